package logging

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/logdict/logging/core"
)

// recorder is a handler class for tests: it keeps each formatted record,
// prefixed with nothing, under the key its configuration names.
type recorder struct {
	mu     sync.Mutex
	lines  []string
	closed int
}

func (r *recorder) Emit(_ *core.Record, p []byte) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lines = append(r.lines, string(p))
	return nil
}

func (r *recorder) Flush(context.Context) error { return nil }

func (r *recorder) Close(context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.closed++
	return nil
}

func (r *recorder) get() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.lines...)
}

var (
	recordersMu sync.Mutex
	recorders   = map[string]*recorder{}
)

func rec(key string) *recorder {
	recordersMu.Lock()
	defer recordersMu.Unlock()
	r, ok := recorders[key]
	if !ok {
		r = &recorder{}
		recorders[key] = r
	}
	return r
}

// failingSink fails every Emit, to test error reporting.
type failingSink struct{ recorder }

func (*failingSink) Emit(*core.Record, []byte) error { return errors.New("disk on fire") }

func init() {
	mustRegister(RegisterHandler("test.Recorder", func(p *core.Params, env *core.Env) (core.Handler, error) {
		key := p.RequiredString("key")
		if err := p.Err(); err != nil {
			return nil, err
		}
		return rec(key), nil
	}))
	mustRegister(RegisterHandler("test.Failing", func(p *core.Params, env *core.Env) (core.Handler, error) {
		return &failingSink{}, p.Err()
	}))
	mustRegister(RegisterFilter("test.DropAll", func(p *core.Params, env *core.Env) (core.Filter, error) {
		return core.FilterFunc(func(*core.Record) bool { return false }), p.Err()
	}))
	mustRegister(RegisterFilter("test.Tag", func(p *core.Params, env *core.Env) (core.Filter, error) {
		k, v := p.String("key", "tag"), p.String("value", "x")
		return core.FilterFunc(func(r *core.Record) bool { r.Set(k, v); return true }), p.Err()
	}))
	mustRegister(RegisterFormatter("test.Prefix", func(p *core.Params, env *core.Env) (core.Formatter, error) {
		pre := p.String("prefix", "")
		attr := p.String("attr", "")
		return fmtFunc(func(dst []byte, r *core.Record) []byte {
			dst = append(dst, pre...)
			if attr != "" {
				v, _ := r.Get(attr)
				dst = append(dst, fmt.Sprint(v)...)
				dst = append(dst, ' ')
			}
			return append(dst, r.Message()...)
		}), p.Err()
	}))
}

type fmtFunc func([]byte, *core.Record) []byte

func (f fmtFunc) Format(dst []byte, r *core.Record) []byte { return f(dst, r) }

// keyed returns a unique recorder key for this test and handler.
func keyed(t *testing.T, h string) string { return t.Name() + "/" + h }

// newReg returns a registry whose stderr is captured.
func newReg(t *testing.T) (*Registry, *syncBuf) {
	t.Helper()
	var buf syncBuf
	r := New(WithStderr(&buf), WithStdout(&buf))
	t.Cleanup(func() {
		_ = r.Shutdown(context.Background())
		// Recorders are keyed by test name: forget this test's, so that
		// -count=N runs start afresh.
		recordersMu.Lock()
		defer recordersMu.Unlock()
		for k := range recorders {
			if strings.HasPrefix(k, t.Name()+"/") {
				delete(recorders, k)
			}
		}
	})
	return r, &buf
}

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func lines(s string) []string {
	s = strings.TrimRight(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func readFileString(path string) (string, error) {
	b, err := os.ReadFile(path)
	return string(b), err
}
