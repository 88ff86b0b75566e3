package djangoport

import (
	"errors"
	"strings"
	"testing"
)

// convertValue converts a settings file whose LOGGING has one extra key x,
// and returns the TOML text of x and the warnings.
func convertValue(t *testing.T, prelude, expr string) (string, []Warning) {
	t.Helper()
	src := prelude + "\nLOGGING = {\"version\": 1, \"x\": " + expr + "}\n"
	r, err := Convert([]byte(src), "s.py")
	if err != nil {
		t.Fatalf("Convert: %v\n%s", err, src)
	}
	for _, l := range strings.Split(string(r.TOML), "\n") {
		if k, v, ok := strings.Cut(l, " = "); ok && strings.TrimSpace(k) == "x" {
			return strings.TrimSpace(v), r.Warnings
		}
	}
	for _, l := range strings.Split(string(r.TOML), "\n") {
		if strings.Contains(l, "could not convert") {
			return "#", r.Warnings
		}
	}
	t.Fatalf("no x in\n%s", r.TOML)
	return "", nil
}

func TestValues(t *testing.T) {
	for _, tc := range []struct {
		name, prelude, expr, want string
	}{
		{"int", "", "42", "42"},
		{"underscores", "", "1_000_000", "1000000"},
		{"hex", "", "0x1F", "31"},
		{"float", "", "1.5", "1.5"},
		{"exp float", "", "2e3", "2000.0"},
		{"negative", "", "-7", "-7"},
		{"true", "", "True", "true"},
		{"single quotes", "", "'a\"b'", `"a\"b"`},
		{"escapes", "", `"tab\there\nnl \x41 \u00e9 \101"`, `"tab\there\nnl A é A"`},
		{"raw", "", `r"C:\new\path"`, `"C:\\new\\path"`},
		{"triple", "", "'''a\nb'''", `"a\nb"`},
		{"implicit concat", "", `"a" 'b' """c"""`, `"abc"`},
		{"continuation", "", "\"a\" \\\n  \"b\"", `"ab"`},
		{"parens", "", "(\n 'a'\n 'b'  # comment\n)", `"ab"`},
		{"fstring", `ENV = "prod"`, `f"logs-{ENV}"`, `"logs-prod"`},
		{"fstring braces", "", `f"{{x}}"`, `"{x}"`},
		{"fstring nested quotes", `D = {"a": "b"}`, `f"{D["a"]}"`, `"b"`},
		{"fstring repr", `X = "q"`, `f"{X!r}"`, `"'q'"`},
		{"environ.get default", "import os", `os.environ.get("ENV", "local")`, `"${ENV:-local}"`},
		{"environ.get", "import os", `os.environ.get("ENV")`, `"${ENV}"`},
		{"getenv", "import os", `os.getenv("X", "d")`, `"${X:-d}"`},
		{"bare environ", "from os import environ", `environ.get("X", "d")`, `"${X:-d}"`},
		{"environ index", "import os", `os.environ["X"]`, `"${X}"`},
		{"or default", "import os", `os.environ.get("X") or "d"`, `"${X:-d}"`},
		{"env in fstring", "import os\nENV = os.environ.get('ENV', 'local')", `f"logs-{ENV}"`, `"logs-${ENV:-local}"`},
		{"env number default", "import os", `int(os.environ.get("N", 5))`, `"${N:-5}"`},
		{"arith", "", "10 * 1024 * 1024", "10485760"},
		{"floor div mod", "", "-7 // 2 + -7 % 3", "-2"},
		{"true div", "", "7 / 2", "3.5"},
		{"power", "", "2 ** 10", "1024"},
		{"string plus", `A = "a"`, `A + "-" + "b"`, `"a-b"`},
		{"percent format", `A = "x"`, `"%s-%d" % (A, 3)`, `"x-3"`},
		{"str.format", "", `"{}-{name}".format(1, name="n")`, `"1-n"`},
		{"names followed", "A = 2\nB = A * 3", "B + 1", "7"},
		{"annotated", "A: int = 5", "A", "5"},
		{"chained assign", "A = B = 'v'", "B", `"v"`},
		{"tuple unpack", "A, B = 1, 2", "B", "2"},
		{"aug assign", "A = 1\nA += 2", "A", "3"},
		{"semicolons", "A = 1; B = A + 1", "B", "2"},
		{"ternary known", "DEBUG = False", `"DEBUG" if DEBUG else "INFO"`, `"INFO"`},
		{"if block known", "DEBUG = True\nif DEBUG:\n    L = 'DEBUG'\nelse:\n    L = 'INFO'", "L", `"DEBUG"`},
		{"elif", "X = 2\nif X == 1:\n    L = 'a'\nelif X == 2:\n    L = 'b'\nelse:\n    L = 'c'", "L", `"b"`},
		{"logging constant", "import logging", "logging.WARNING", `"WARNING"`},
		{"sys.stdout", "import sys", "sys.stdout", `"ext://sys.stdout"`},
		{"list tuple", "", `["a", ("b",)]`, `["a", ["b"]]`},
		{"dict inline", "", `{"a": 1, "b.c": [True]}`, `{ a = 1, "b.c" = [true] }`},
		{"dict unpack", `BASE = {"a": 1}`, `{**BASE, "b": 2}`, `{ a = 1, b = 2 }`},
		{"dict call", "", `dict(a=1, b="x")`, `{ a = 1, b = "x" }`},
		{"trailing commas", "", `[1, 2,]`, `[1, 2]`},
		{"os.path.join", `LOG_DIR = "/var/log"`, `os.path.join(LOG_DIR, "app", "x.log")`, `"/var/log/app/x.log"`},
		{"join absolute", "", `os.path.join("/a", "/b")`, `"/b"`},
		{"join env", "import os", `os.path.join(os.environ.get("D", "/tmp"), "x.log")`, `"${D:-/tmp}/x.log"`},
		{"pathlib", "from pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent.parent", `BASE_DIR / "logs" / "app.log"`, `"logs/app.log"`},
		{"dirname file", "import os\nBASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))", `os.path.join(BASE_DIR, "app.log")`, `"app.log"`},
		{"expanduser", "import os", `os.path.expanduser("~/logs")`, `"${HOME}/logs"`},
		{"dollar escaped", "", `"a ${B} $$ $x"`, `"a $${B} $$$ $x"`},
		{"dollar before env", "import os", `"$" + os.environ["X"]`, `"$$${X}"`},
		{"deepcopy", "import copy\nA = {'a': [1]}", "copy.deepcopy(A)", `{ a = [1] }`},
		{"unknown call", "import socket", "socket.gethostname()", "#"},
		{"undefined name", "", "NOPE", "#"},
		{"lambda", "", "lambda r: True", "#"},
		{"comprehension", "", "[i for i in range(3)]", "#"},
		{"bytes", "", `b"x"`, "#"},
		{"set", "", `{"a"}`, "#"},
		{"unknown condition", "import os\nif os.environ.get('X'):\n    L = 1", "L", "#"},
		{"loop assignment", "for i in range(3):\n    L = i", "L", "#"},
		{"def skipped", "def f():\n    L = 1\n    return L\nL = 2", "L", "2"},
		{"class skipped", "class C:\n    L = 1\nL = 3", "L", "3"},
		{"huge number", "", "10 ** 30", "#"},
		{"huge string", "", `"a" * 10**9`, "#"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, _ := convertValue(t, tc.prelude, tc.expr)
			if got != tc.want {
				t.Errorf("%s\n%s\n got %s\nwant %s", tc.prelude, tc.expr, got, tc.want)
			}
		})
	}
}

func TestNonLiteralsAreReported(t *testing.T) {
	for _, tc := range []struct {
		name, prelude, expr, want string
	}{
		{"env", "import os\nENV = os.environ.get('ENV', 'local')", `f"logs-{ENV}"`, "ENV (line 2)"},
		{"arith", "", "10 * 1024", "→ 10240"},
		{"could not", "", "NOPE", "NOPE is not defined in this file"},
		{"anchor", "from pathlib import Path\nB = Path(__file__).parent", `B / "x"`, "relative to the working directory"},
		{"literal secret", "", `{"aws_secret_access_key": "abc"}`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, ws := convertValue(t, tc.prelude, tc.expr)
			if tc.want == "" {
				return
			}
			for _, w := range ws {
				if strings.Contains(w.Msg, tc.want) && w.Line > 0 {
					return
				}
			}
			t.Errorf("no warning with %q in %v", tc.want, ws)
		})
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		line, col int
		msg       string
		noLogging bool
	}{
		{"unterminated string", "LOGGING = {\"version\": 1, \"x\": \"abc}\n", 1, 31, "unterminated string", false},
		{"never closed", "A = 1\nLOGGING = {\"version\": 1,\n", 2, 11, "never closed", false},
		{"mismatched", "LOGGING = {\"version\": 1]\n", 1, 24, "does not match", false},
		{"bad syntax", "LOGGING = {\"version\" 1}\n", 1, 22, "expected '}'", false},
		{"triple swallows", "X = '''\nLOGGING = {}\n", 1, 5, "unterminated triple-quoted", false},
		{"no logging", "A = 1\n", 0, 0, "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Convert([]byte(tc.src), "s.py")
			if tc.noLogging {
				if !errors.Is(err, ErrNoLogging) {
					t.Fatalf("got %v, want ErrNoLogging", err)
				}
				return
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("got %v, want a ParseError", err)
			}
			if pe.Line != tc.line || pe.Col != tc.col || !strings.Contains(pe.Msg, tc.msg) || pe.File != "s.py" {
				t.Errorf("got %v, want s.py:%d:%d: ...%s...", pe, tc.line, tc.col, tc.msg)
			}
		})
	}
}

func TestUnreadableStatementsElsewhereAreSkipped(t *testing.T) {
	src := "X = $oops\nY = 'fine'\nmatch = 1\nLOGGING = {'version': 1, 'y': Y}\n"
	r, err := Convert([]byte(src), "s.py")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(r.TOML), `y       = "fine"`) && !strings.Contains(string(r.TOML), `y = "fine"`) {
		t.Errorf("y not converted:\n%s", r.TOML)
	}
	if len(r.Warnings) == 0 || r.Warnings[0].Line != 1 || !strings.Contains(r.Warnings[0].Msg, "skipped") {
		t.Errorf("want a warning for line 1, got %v", r.Warnings)
	}
}
