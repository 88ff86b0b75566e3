package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const seed = "../../djangoport/testdata/seed_settings.py"

func TestRun(t *testing.T) {
	seedSrc, err := os.ReadFile(seed)
	if err != nil {
		t.Fatal(err)
	}
	golden, err := os.ReadFile("../../djangoport/testdata/seed_settings.toml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.py")
	if err := os.WriteFile(bad, []byte("A = 1\nLOGGING = {\"version\": 1,,}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	outFile := filepath.Join(dir, "out.toml")
	for _, tc := range []struct {
		name       string
		args       []string
		stdin      string
		code       int
		stdout     string // exact, when not empty
		stderrHas  []string
		wantOutput bool
	}{
		{name: "file", args: []string{seed}, code: 0,
			stderrHas: []string{seed + ":46: loggers.watchtower: \"propogate\"", seed + ":28: filters.aws"}},
		{name: "file named", args: []string{"-name", "settings.py", seed}, code: 0, stdout: string(golden),
			stderrHas: []string{"settings.py:46: loggers.watchtower: \"propogate\""}},
		{name: "stdin", args: []string{"-"}, stdin: string(seedSrc), code: 0, stderrHas: []string{"<stdin>:46: "}},
		{name: "stdin named", args: []string{"-name", "settings.py", "-"}, stdin: string(seedSrc), code: 0, stdout: string(golden),
			stderrHas: []string{"settings.py:35: handlers.watchtower.boto3_session"}},
		{name: "output file", args: []string{"-o", outFile, "-name", "settings.py", seed}, code: 0, wantOutput: true},
		{name: "parse error", args: []string{bad}, code: 1, stderrHas: []string{bad + ":2:25: expected an expression"}},
		{name: "no logging", args: []string{"-"}, stdin: "DEBUG = True\n", code: 1, stderrHas: []string{"<stdin>: no module-level LOGGING"}},
		{name: "missing file", args: []string{filepath.Join(dir, "nope.py")}, code: 1, stderrHas: []string{"no such file"}},
		{name: "usage", args: nil, code: 2, stderrHas: []string{"usage: djangoport"}},
		{name: "bad flag", args: []string{"-x", seed}, code: 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tc.args, strings.NewReader(tc.stdin), &stdout, &stderr)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, tc.code, stderr.String())
			}
			if tc.stdout != "" && stdout.String() != tc.stdout {
				t.Errorf("stdout:\n%s\nwant:\n%s", stdout.String(), tc.stdout)
			}
			for _, s := range tc.stderrHas {
				if !strings.Contains(stderr.String(), s) {
					t.Errorf("stderr lacks %q:\n%s", s, stderr.String())
				}
			}
			if tc.wantOutput {
				b, err := os.ReadFile(outFile)
				if err != nil || !bytes.Equal(b, golden) || stdout.Len() != 0 {
					t.Errorf("-o wrote %q (%v), stdout %q", b, err, stdout.String())
				}
			}
		})
	}
}

// TestRunSplitSettings converts a production.py that star-imports the seed
// from base.py and edits LOGGING: the output is the seed's with the edits,
// and each warning names the file that holds its line.
func TestRunSplitSettings(t *testing.T) {
	seedSrc, err := os.ReadFile(seed)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	settings := filepath.Join(dir, "myproject", "settings")
	if err := os.MkdirAll(settings, 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"__init__.py":   "",
		"base.py":       string(seedSrc),
		"production.py": "from myproject.settings.base import *\n\nLOGGING[\"root\"] = {\"handlers\": [\"console\"], \"level\": \"INFO\"}\n",
		"broken.py":     "from .base import *\nLOGGING[\"root\"] = {,}\n",
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(settings, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	var stdout, stderr bytes.Buffer
	prod := filepath.Join("myproject", "settings", "production.py")
	if code := run([]string{prod}, strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr.String())
	}
	base := filepath.Join("myproject", "settings", "base.py")
	for _, s := range []string{base + ":46: loggers.watchtower: \"propogate\"", base + ":28: filters.aws"} {
		if !strings.Contains(stderr.String(), s) {
			t.Errorf("stderr lacks %q:\n%s", s, stderr.String())
		}
	}
	for _, s := range []string{"commented out (" + base + ":28)", "[root]\nhandlers = [\"console\"]\nlevel    = \"INFO\"", `log_group             = "CWOSLogs"`} {
		if !strings.Contains(stdout.String(), s) {
			t.Errorf("stdout lacks %q:\n%s", s, stdout.String())
		}
	}
	// With -name, the converted file and its neighbours are named from it.
	stdout.Reset()
	stderr.Reset()
	if code := run([]string{"-name", "production.py", prod}, strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "\nbase.py:46: ") && !strings.HasPrefix(stderr.String(), "base.py:46: ") {
		t.Errorf("stderr:\n%s", stderr.String())
	}
	// A syntax error names its file.
	stderr.Reset()
	if code := run([]string{filepath.Join("myproject", "settings", "broken.py")}, strings.NewReader(""), &stdout, &stderr); code != 1 ||
		!strings.Contains(stderr.String(), filepath.Join("myproject", "settings", "broken.py")+":2:") {
		t.Errorf("exit %d; stderr:\n%s", code, stderr.String())
	}
	// Standard input follows no import.
	stderr.Reset()
	if code := run([]string{"-"}, strings.NewReader(files["production.py"]), &stdout, &stderr); code != 1 ||
		!strings.Contains(stderr.String(), "<stdin>: no module-level LOGGING = {...} found (it may be defined by `from myproject.settings.base import *` (line 1)") {
		t.Errorf("stdin: exit %d; stderr:\n%s", code, stderr.String())
	}
}
