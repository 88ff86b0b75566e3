package hook

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/logdict/logging/core"
	"github.com/sirupsen/logrus"
)

func TestStreamFactory(t *testing.T) {
	for _, tt := range []struct {
		desc     string
		m        map[string]any
		out, err string
	}{
		{"default is stderr", map[string]any{}, "", "a\n"},
		{"stderr", map[string]any{"stream": "ext://sys.stderr"}, "", "a\n"},
		{"stdout", map[string]any{"stream": "ext://sys.stdout"}, "a\n", ""},
		{"terminator", map[string]any{"stream": "ext://sys.stdout", "terminator": "\r\n"}, "a\r\n", ""},
		{"no terminator", map[string]any{"stream": "ext://sys.stdout", "terminator": ""}, "a", ""},
	} {
		t.Run(tt.desc, func(t *testing.T) {
			var out, errw bytes.Buffer
			h := mustBuild(t, StreamFactory, tt.m, &core.Env{Stdout: &out, Stderr: &errw})
			emit(t, h, "a")
			if out.String() != tt.out || errw.String() != tt.err {
				t.Errorf("stdout %q stderr %q; want %q, %q", out.String(), errw.String(), tt.out, tt.err)
			}
		})
	}
	t.Run("a writer value", func(t *testing.T) {
		var w bytes.Buffer
		emit(t, mustBuild(t, StreamFactory, map[string]any{"stream": &w}, nil), "x")
		if w.String() != "x\n" {
			t.Errorf("got %q", w.String())
		}
	})
}

func TestStreamFactoryErrors(t *testing.T) {
	for _, tt := range []struct {
		desc string
		m    map[string]any
		path string
		says string
	}{
		{"ext elsewhere", map[string]any{"stream": "ext://os.Remove"}, "handlers.h.stream", "ext:// reaches only sys.stdout and sys.stderr"},
		{"stdin", map[string]any{"stream": "ext://sys.stdin"}, "handlers.h.stream", "ext:// reaches only sys.stdout and sys.stderr"},
		{"a path", map[string]any{"stream": "/dev/stdout"}, "handlers.h.stream", "want ext://sys.stdout or ext://sys.stderr"},
		{"a number", map[string]any{"stream": int64(1)}, "handlers.h.stream", "want ext://sys.stdout or ext://sys.stderr"},
		{"typo", map[string]any{"strem": "ext://sys.stdout"}, "handlers.h.strem", `did you mean "stream"`},
		{"bad terminator", map[string]any{"terminator": int64(1)}, "handlers.h.terminator", "want a string"},
	} {
		t.Run(tt.desc, func(t *testing.T) {
			err := wantFactoryErr(t, StreamFactory, tt.m, nil, tt.path, nil)
			if !strings.Contains(err.Error(), tt.says) {
				t.Errorf("error %q does not say %q", err, tt.says)
			}
		})
	}
}

// countingWriter counts Write calls and checks each is one whole line.
type countingWriter struct {
	mu     sync.Mutex
	writes int
	bad    []string
	lines  map[string]int
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.writes++
	s := string(p)
	if strings.Count(s, "\n") != 1 || !strings.HasSuffix(s, "\n") {
		w.bad = append(w.bad, s)
	}
	w.lines[s]++
	return len(p), nil
}

func TestStreamConcurrentWrites(t *testing.T) {
	w := &countingWriter{lines: map[string]int{}}
	h := NewStream(w, StreamOptions{})
	const goroutines, each = 16, 500
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for i := range each {
				if err := h.Emit(rec(), fmt.Appendf(nil, "g%d-%d", g, i)); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if w.writes != goroutines*each || len(w.lines) != goroutines*each {
		t.Errorf("%d writes, %d distinct lines; want %d", w.writes, len(w.lines), goroutines*each)
	}
	if len(w.bad) > 0 {
		t.Errorf("%d writes were not one line, first %q", len(w.bad), w.bad[0])
	}
}

type syncWriter struct {
	bytes.Buffer
	synced, flushed int
	err             error
}

func (w *syncWriter) Sync() error  { w.synced++; return w.err }
func (w *syncWriter) Flush() error { w.flushed++; return nil }

func TestStreamFlushAndClose(t *testing.T) {
	t.Run("flushes and syncs", func(t *testing.T) {
		w := &syncWriter{}
		h := NewStream(w, StreamOptions{})
		if err := h.Flush(context.Background()); err != nil {
			t.Fatal(err)
		}
		if w.synced != 1 || w.flushed != 1 {
			t.Errorf("synced %d flushed %d, want 1, 1", w.synced, w.flushed)
		}
	})
	t.Run("sync error reported", func(t *testing.T) {
		w := &syncWriter{err: io.ErrClosedPipe}
		if err := NewStream(w, StreamOptions{}).Flush(context.Background()); err == nil {
			t.Error("Sync's error was dropped")
		}
	})
	t.Run("pipe: EINVAL ignored, never closed", func(t *testing.T) {
		r, pw, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		defer pw.Close()
		h := NewStream(pw, StreamOptions{})
		emit(t, h, "before")
		for range 2 {
			if err := h.Close(context.Background()); err != nil {
				t.Fatalf("Close: %v", err)
			}
		}
		// Written after Close, as Python's StreamHandler does.
		emit(t, h, "after")
		if _, err := pw.Write([]byte("still open\n")); err != nil {
			t.Fatalf("the stream was closed: %v", err)
		}
		pw.Close()
		b, _ := io.ReadAll(r)
		if string(b) != "before\nafter\nstill open\n" {
			t.Errorf("got %q", b)
		}
	})
}

func TestStreamAsLogrusHook(t *testing.T) {
	for _, tt := range []struct {
		desc string
		opts StreamOptions
		want string
	}{
		{"bare message", StreamOptions{}, "hello\nbad\n"},
		{"levels", StreamOptions{Levels: []logrus.Level{logrus.ErrorLevel}}, "bad\n"},
		{"formatter's newline replaced", StreamOptions{
			Formatter:  &logrus.TextFormatter{DisableTimestamp: true, DisableColors: true},
			Terminator: "|",
		}, `level=info msg=hello|level=error msg=bad|`},
	} {
		t.Run(tt.desc, func(t *testing.T) {
			var out bytes.Buffer
			l := logrus.New()
			l.Out = io.Discard
			l.AddHook(NewStream(&out, tt.opts))
			l.Info("hello")
			l.Error("bad")
			if out.String() != tt.want {
				t.Errorf("got %q, want %q", out.String(), tt.want)
			}
		})
	}
}

func TestNull(t *testing.T) {
	h := mustBuild(t, NullFactory, map[string]any{}, nil)
	emit(t, h, "x")
	if err := (Null{}).Fire(&logrus.Entry{}); err != nil {
		t.Error(err)
	}
	if len((Null{}).Levels()) != len(logrus.AllLevels) {
		t.Error("Null does not fire for every level")
	}
	wantFactoryErr(t, NullFactory, map[string]any{"stream": "ext://sys.stdout"}, nil, "handlers.h.stream", core.ErrUnknownKey)
}

func TestStreamEmitAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts differ under -race")
	}
	h := NewStream(io.Discard, StreamOptions{})
	p := []byte("2024-01-01 12:00:00,000 [INFO    ] request served [app.go:42]")
	r := rec()
	if n := testing.AllocsPerRun(1000, func() { _ = h.Emit(r, p) }); n != 0 {
		t.Errorf("Stream.Emit allocates %v times per record, want 0", n)
	}
}

func BenchmarkStreamEmit(b *testing.B) {
	h := NewStream(io.Discard, StreamOptions{})
	p := []byte("2024-01-01 12:00:00,000 [INFO    ] request served [app.go:42]")
	r := rec()
	b.ReportAllocs()
	b.SetBytes(int64(len(p) + 1))
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := h.Emit(r, p); err != nil {
				b.Fatal(err)
			}
		}
	})
}
