package djangoport

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/pelletier/go-toml/v2"
)

// FuzzParse feeds arbitrary source to Convert: it must never panic or hang,
// a syntax error must name a position inside the file, and any output must
// be valid TOML. The committed corpus is in testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.py")
	for _, file := range files {
		if b, err := os.ReadFile(file); err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{
		`LOGGING = {"version": 1, "x": f"{a!r:>{w}}" f'{b["k"]}'}`,
		"LOGGING = {\"version\": 1}\nif X:\n  LOGGING['a'] = 1\nelse: pass",
		`LOGGING = {**A, "b": [*C], 1: 2, (lambda: 3): 4}`,
		"LOGGING = {'x': '\\N{BULLET}' b'' rb'\\x'}\n",
		"LOGGING = ((((((((((1))))))))))",
		"LOGGING = - - - - not not 1 ** -2 // 0 % 0",
		"x = '''\n",
		"LOGGING = {'a': 1 if 2 else 3, 'b': [i for i in j]}; del LOGGING['a']",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		r, err := Convert(src, "f.py")
		var pe *ParseError
		switch {
		case errors.As(err, &pe):
			if pe.Line < 1 || pe.Line > len(newLineIndex(src)) || pe.Col < 1 {
				t.Fatalf("position out of the file: %v", pe)
			}
		case err != nil:
		default:
			var m map[string]any
			if err := toml.Unmarshal(r.TOML, &m); err != nil {
				t.Fatalf("invalid TOML: %v\n%s", err, r.TOML)
			}
		}
	})
}

// FuzzImports feeds arbitrary sources, split at "\n#--\n" into the files of
// a small project whose main file imports the others, to ConvertFile: it
// must never panic or hang, every warning and syntax error must name one of
// the files and a line inside it, and any output must be valid TOML.
func FuzzImports(f *testing.F) {
	for _, s := range []string{
		"from .b import *\nLOGGING['root'] = {'level': L}\n#--\nL = 'INFO'\nLOGGING = {'version': 1}\n",
		"from .b import *\n#--\nfrom .a import *\nfrom s import c\nLOGGING = {'version': 1}\n",
		"from s.b import X as Y, Z\nLOGGING = {'version': 1, 'x': Y}\n#--\n__all__ = ['X']\nX = 1\n#--\nfrom ..c import *\n#--\nfrom .s.a import *\n",
		"if A:\n from .b import *\nLOGGING = {'version': 1}\n#--\nLOGGING = {'version': 1,,}\n",
		"from ... import *\nfrom .b.c import *\nfrom . import b\nLOGGING = {}\n#--\nx = '''\n",
	} {
		f.Add([]byte(s))
	}
	names := []string{"s/a.py", "s/b.py", "s/__init__.py", "c.py"}
	f.Fuzz(func(t *testing.T, src []byte) {
		fsys := fstest.MapFS{}
		lines := map[string]int{}
		for i, part := range bytes.SplitN(src, []byte("\n#--\n"), len(names)) {
			fsys[names[i]] = &fstest.MapFile{Data: part}
			lines[names[i]] = len(newLineIndex(part))
		}
		r, err := ConvertFile(fsys, names[0])
		var pe *ParseError
		switch {
		case errors.As(err, &pe):
			if n, ok := lines[pe.File]; !ok || pe.Line < 1 || pe.Line > n || pe.Col < 1 {
				t.Fatalf("position out of the files: %v", pe)
			}
		case err != nil:
		default:
			var m map[string]any
			if err := toml.Unmarshal(r.TOML, &m); err != nil {
				t.Fatalf("invalid TOML: %v\n%s", err, r.TOML)
			}
			for _, w := range r.Warnings {
				if n, ok := lines[w.File]; !ok || w.Line < 0 || w.Line > n {
					t.Fatalf("warning out of the files: %+v", w)
				}
			}
		}
	})
}
