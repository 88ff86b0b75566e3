package hook

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/logdict/logging/core"
)

func TestFileFactory(t *testing.T) {
	withUmask(t)
	for _, tt := range []struct {
		desc     string
		m        map[string]any
		existing string // "" means no file before
		want     string
		mode     os.FileMode
	}{
		{"creates 0640", map[string]any{}, "", "a\nb\n", 0o640},
		{"appends by default", map[string]any{}, "old\n", "old\na\nb\n", 0o600},
		{"mode w truncates", map[string]any{"mode": "w"}, "old\n", "a\nb\n", 0o600},
		{"perm", map[string]any{"perm": "0600"}, "", "a\nb\n", 0o600},
		{"file_mode as TOML octal", map[string]any{"file_mode": int64(0o644)}, "", "a\nb\n", 0o644},
		{"encoding utf-8", map[string]any{"encoding": "UTF-8", "errors": "strict"}, "", "a\nb\n", 0o640},
		{"encoding null", map[string]any{"encoding": nil}, "", "a\nb\n", 0o640},
		{"terminator", map[string]any{"terminator": ";"}, "", "a;b;", 0o640},
		{"buffered", map[string]any{"buffer_size": int64(4096)}, "", "a\nb\n", 0o640},
		{"delay", map[string]any{"delay": true}, "", "a\nb\n", 0o640},
	} {
		t.Run(tt.desc, func(t *testing.T) {
			name := filepath.Join(t.TempDir(), "app.log")
			if tt.existing != "" {
				if err := os.WriteFile(name, []byte(tt.existing), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			tt.m["filename"] = name
			h := mustBuild(t, FileFactory, tt.m, nil)
			emit(t, h, "a", "b")
			if err := h.Close(context.Background()); err != nil {
				t.Fatal(err)
			}
			if got := readFile(t, name); got != tt.want {
				t.Errorf("file holds %q, want %q", got, tt.want)
			}
			wantMode(t, name, tt.mode)
		})
	}
}

func TestFileDelay(t *testing.T) {
	name := filepath.Join(t.TempDir(), "app.log")
	h := mustBuild(t, FileFactory, map[string]any{"filename": name, "delay": true}, nil)
	if _, err := os.Stat(name); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("delay: the file exists before the first record (%v)", err)
	}
	emit(t, h, "first")
	if got := readFile(t, name); got != "first\n" {
		t.Errorf("got %q", got)
	}
}

func TestFileBuffered(t *testing.T) {
	name := filepath.Join(t.TempDir(), "app.log")
	h := mustBuild(t, FileFactory, map[string]any{"filename": name, "buffer_size": int64(1024)}, nil)
	emit(t, h, "a")
	if got := readFile(t, name); got != "" {
		t.Errorf("buffered record written before Flush: %q", got)
	}
	if err := h.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, name); got != "a\n" {
		t.Errorf("after Flush: %q", got)
	}
}

func TestFileAfterClose(t *testing.T) {
	name := filepath.Join(t.TempDir(), "app.log")
	h := mustBuild(t, FileFactory, map[string]any{"filename": name, "mode": "w"}, nil)
	emit(t, h, "a")
	for range 2 {
		if err := h.Close(context.Background()); err != nil {
			t.Fatalf("Close: %v", err)
		}
	}
	emit(t, h, "late")
	f := h.(*File)
	f.mu.Lock()
	open := f.f != nil
	f.mu.Unlock()
	if open {
		t.Error("a record after Close left the file open")
	}
	if got := readFile(t, name); got != "a\nlate\n" {
		t.Errorf("got %q; the late record must be appended, not truncate", got)
	}
}

func TestFileConcurrentWrites(t *testing.T) {
	name := filepath.Join(t.TempDir(), "app.log")
	h := mustBuild(t, FileFactory, map[string]any{"filename": name}, nil)
	const goroutines, each = 8, 500
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for i := range each {
				_ = h.Emit(rec(), fmt.Appendf(nil, "g%02d-%04d %s", g, i, strings.Repeat("x", 100)))
			}
		})
	}
	wg.Wait()
	lines := strings.Split(strings.TrimSuffix(readFile(t, name), "\n"), "\n")
	if len(lines) != goroutines*each {
		t.Fatalf("%d lines, want %d", len(lines), goroutines*each)
	}
	seen := map[string]bool{}
	for _, l := range lines {
		if len(l) != 109 || seen[l] {
			t.Fatalf("interleaved or repeated line %q", l)
		}
		seen[l] = true
	}
}

func TestFileFactoryErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct {
		desc string
		m    map[string]any
		path string
		want error
	}{
		{"no filename", map[string]any{}, "handlers.h.filename", core.ErrMissing},
		{"missing directory", map[string]any{"filename": filepath.Join(dir, "nope", "app.log")}, "handlers.h.filename", fs.ErrNotExist},
		{"bad mode", map[string]any{"filename": "x.log", "mode": "r"}, "handlers.h.mode", core.ErrBadValue},
		{"bad encoding", map[string]any{"filename": "x.log", "encoding": "latin-1"}, "handlers.h.encoding", core.ErrBadValue},
		{"perm decimal", map[string]any{"filename": "x.log", "perm": int64(640)}, "handlers.h.perm", core.ErrBadValue},
		{"perm not octal", map[string]any{"filename": "x.log", "perm": "0988"}, "handlers.h.perm", core.ErrBadValue},
		{"perm and file_mode", map[string]any{"filename": "x.log", "perm": "0600", "file_mode": "0600"}, "handlers.h.file_mode", core.ErrBadValue},
		{"delay not bool", map[string]any{"filename": "x.log", "delay": "soon"}, "handlers.h.delay", core.ErrBadValue},
		{"buffer negative", map[string]any{"filename": "x.log", "buffer_size": int64(-1)}, "handlers.h.buffer_size", core.ErrBadValue},
		{"typo", map[string]any{"filename": "x.log", "dealy": true}, "handlers.h.dealy", core.ErrUnknownKey},
	} {
		t.Run(tt.desc, func(t *testing.T) {
			t.Chdir(dir)
			wantFactoryErr(t, FileFactory, tt.m, nil, tt.path, tt.want)
		})
	}
	t.Run("nothing created on a key error", func(t *testing.T) {
		name := filepath.Join(dir, "never.log")
		wantFactoryErr(t, FileFactory, map[string]any{"filename": name, "mode": "x"}, nil, "handlers.h.mode", core.ErrBadValue)
		if _, err := os.Stat(name); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("the file was created although the configuration was refused")
		}
	})
	t.Run("delay skips the directory check", func(t *testing.T) {
		h := mustBuild(t, FileFactory, map[string]any{"filename": filepath.Join(dir, "later", "app.log"), "delay": true}, nil)
		if err := h.Emit(rec(), []byte("x")); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Emit into a missing directory: %v", err)
		}
	})
}

func BenchmarkFileEmit(b *testing.B) {
	name := filepath.Join(b.TempDir(), "app.log")
	h, err := NewFile(name, FileOptions{BufferSize: 64 << 10})
	if err != nil {
		b.Fatal(err)
	}
	defer h.Close(context.Background())
	p := []byte("2024-01-01 12:00:00,000 [INFO    ] request served [app.go:42]")
	b.ReportAllocs()
	b.SetBytes(int64(len(p) + 1))
	for b.Loop() {
		if err := h.Emit(nil, p); err != nil {
			b.Fatal(err)
		}
	}
}
