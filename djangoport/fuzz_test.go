package djangoport

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

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
