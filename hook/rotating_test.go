package hook

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/logdict/logging/core"
)

func lines(n, from int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("line-%02d", from+i) // 8 bytes with "\n"
	}
	return out
}

func TestRotatingBySize(t *testing.T) {
	withUmask(t)
	dir := t.TempDir()
	name := filepath.Join(dir, "app.log")
	h := mustBuild(t, RotatingFileFactory, map[string]any{
		"filename": name, "maxBytes": int64(100), "backupCount": int64(3),
	}, nil)
	// 12 lines of 8 bytes fill a file: a 13th would reach 104 >= 100.
	emit(t, h, lines(50, 0)...)

	// lumberjack deletes old backups in its own goroutine after a rotation.
	eventually(t, "3 backups", func() bool { return len(backups(t, dir, "app.log")) == 3 })
	if got, want := readFile(t, name), "line-48\nline-49\n"; got != want {
		t.Errorf("current file %q, want %q", got, want)
	}
	var all []string
	for _, b := range backups(t, dir, "app.log") {
		content := readFile(t, b)
		if len(content) >= 100 {
			t.Errorf("backup %s holds %d bytes, want < maxBytes", b, len(content))
		}
		if !strings.HasPrefix(filepath.Base(b), "app-") || !strings.HasSuffix(b, ".log") {
			t.Errorf("backup name %s is not lumberjack's app-<time>.log", b)
		}
		wantMode(t, b, 0o640)
		all = append(all, strings.Split(strings.TrimSuffix(content, "\n"), "\n")...)
	}
	// Backups sort by time: they hold lines 12..47 in order, 12 each.
	if want := lines(36, 12); strings.Join(all, ",") != strings.Join(want, ",") {
		t.Errorf("backups hold %v, want %v", all, want)
	}
	wantMode(t, name, 0o640)
}

func TestRotatingNever(t *testing.T) {
	for _, tt := range []struct {
		desc string
		m    map[string]any
	}{
		{"maxBytes 0", map[string]any{"max_bytes": int64(0), "backup_count": int64(3)}},
		{"backupCount 0", map[string]any{"maxBytes": int64(20)}},
	} {
		t.Run(tt.desc, func(t *testing.T) {
			dir := t.TempDir()
			name := filepath.Join(dir, "app.log")
			tt.m["filename"] = name
			h := mustBuild(t, RotatingFileFactory, tt.m, nil)
			emit(t, h, lines(20, 0)...)
			if b := backups(t, dir, "app.log"); len(b) != 0 {
				t.Errorf("rotated: %v", b)
			}
			if got := readFile(t, name); len(got) != 160 {
				t.Errorf("file holds %d bytes, want 160", len(got))
			}
		})
	}
}

func TestRotatingEdges(t *testing.T) {
	t.Run("a record larger than maxBytes is written whole, no empty backup", func(t *testing.T) {
		dir := t.TempDir()
		name := filepath.Join(dir, "app.log")
		h := mustBuild(t, RotatingFileFactory, map[string]any{"filename": name, "maxBytes": int64(10), "backupCount": int64(2)}, nil)
		big := strings.Repeat("x", 30)
		emit(t, h, big)
		if got := readFile(t, name); got != big+"\n" {
			t.Errorf("got %q", got)
		}
		if b := backups(t, dir, "app.log"); len(b) != 0 {
			t.Errorf("an empty file was rotated: %v", b)
		}
		emit(t, h, "y")
		if got := readFile(t, name); got != "y\n" {
			t.Errorf("after the next record the file holds %q", got)
		}
	})
	t.Run("an existing file's size counts", func(t *testing.T) {
		dir := t.TempDir()
		name := filepath.Join(dir, "app.log")
		if err := os.WriteFile(name, []byte(strings.Repeat("o", 96)), 0o640); err != nil {
			t.Fatal(err)
		}
		h := mustBuild(t, RotatingFileFactory, map[string]any{"filename": name, "maxBytes": int64(100), "backupCount": int64(1)}, nil)
		emit(t, h, "new")
		if got := readFile(t, name); got != "new\n" {
			t.Errorf("got %q, want a fresh file", got)
		}
	})
	t.Run("delay", func(t *testing.T) {
		name := filepath.Join(t.TempDir(), "app.log")
		h := mustBuild(t, RotatingFileFactory, map[string]any{"filename": name, "delay": true, "maxBytes": int64(100), "backupCount": int64(1)}, nil)
		if _, err := os.Stat(name); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("delay: the file exists before the first record")
		}
		emit(t, h, "a")
		if got := readFile(t, name); got != "a\n" {
			t.Errorf("got %q", got)
		}
	})
	t.Run("after Close", func(t *testing.T) {
		name := filepath.Join(t.TempDir(), "app.log")
		h := mustBuild(t, RotatingFileFactory, map[string]any{"filename": name}, nil)
		emit(t, h, "a")
		for range 2 {
			if err := h.Close(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		emit(t, h, "late")
		if got := readFile(t, name); got != "a\nlate\n" {
			t.Errorf("got %q", got)
		}
	})
}

func TestRotatingFactoryErrors(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "x.log")
	for _, tt := range []struct {
		desc string
		m    map[string]any
		path string
		want error
	}{
		{"negative maxBytes", map[string]any{"filename": f, "maxBytes": int64(-1)}, "handlers.h.maxBytes", core.ErrBadValue},
		{"both spellings", map[string]any{"filename": f, "maxBytes": int64(1), "max_bytes": int64(1)}, "handlers.h.max_bytes", core.ErrBadValue},
		{"backupCount text", map[string]any{"filename": f, "backupCount": "many"}, "handlers.h.backupCount", core.ErrBadValue},
		{"missing directory", map[string]any{"filename": filepath.Join(dir, "no", "x.log")}, "handlers.h.filename", fs.ErrNotExist},
		{"typo", map[string]any{"filename": f, "maxbytes": int64(1)}, "handlers.h.maxbytes", core.ErrUnknownKey},
	} {
		t.Run(tt.desc, func(t *testing.T) {
			wantFactoryErr(t, RotatingFileFactory, tt.m, nil, tt.path, tt.want)
		})
	}
}

func BenchmarkRotatingFileEmit(b *testing.B) {
	name := filepath.Join(b.TempDir(), "app.log")
	h, err := NewRotatingFile(name, RotatingFileOptions{MaxBytes: 1 << 20, BackupCount: 2})
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
