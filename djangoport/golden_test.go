package djangoport

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestGolden converts every testdata/*.py and compares the TOML and the
// warnings with testdata/*.toml and testdata/*.warnings.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.py")
	if err != nil || len(files) < 3 {
		t.Fatalf("want the seed, Django's default and the kitchen sink in testdata, got %v %v", files, err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".py")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			r, err := Convert(src, "settings.py")
			if err != nil {
				t.Fatal(err)
			}
			var m map[string]any
			if err := toml.Unmarshal(r.TOML, &m); err != nil {
				t.Fatalf("output is not TOML: %v\n%s", err, r.TOML)
			}
			var w bytes.Buffer
			for _, x := range r.Warnings {
				fmt.Fprintf(&w, "settings.py:%d: %s\n", x.Line, x.Msg)
			}
			golden(t, strings.TrimSuffix(f, ".py")+".toml", r.TOML)
			golden(t, strings.TrimSuffix(f, ".py")+".warnings", w.Bytes())
			again, err := Convert(src, "settings.py")
			if err != nil || !bytes.Equal(again.TOML, r.TOML) {
				t.Error("the output is not deterministic")
			}
		})
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (go test -update rewrites it); got:\n%s", path, got)
	}
}

// BenchmarkConvert converts the kitchen sink, every form at once. Convert
// is not a hot path (it runs once, offline); the figure bounds the cost of
// a large settings file.
func BenchmarkConvert(b *testing.B) {
	src, err := os.ReadFile("testdata/kitchen_sink.py")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := Convert(src, "settings.py"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTokenize is the tokenizer alone, the part that scales with the
// size of the file rather than of LOGGING.
func BenchmarkTokenize(b *testing.B) {
	src, err := os.ReadFile("testdata/kitchen_sink.py")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		tokenize(src)
	}
}
