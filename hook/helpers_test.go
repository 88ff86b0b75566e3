package hook

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/logdict/logging/core"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	// lumberjack's mill goroutine is never stopped by Close
	// (natefinch/lumberjack#56); every other goroutine must be gone.
	goleak.VerifyTestMain(m, goleak.IgnoreTopFunction("gopkg.in/natefinch/lumberjack%2ev2.(*Logger).millRun"))
}

func rec() *core.Record { return &core.Record{Name: "app", Level: core.INFO} }

// build runs a handler factory on m under the section path handlers.h.
func build(f core.HandlerFactory, m map[string]any, env *core.Env) (core.Handler, error) {
	if env == nil {
		env = &core.Env{Name: "h"}
	}
	return f(core.NewParams("handlers.h", m), env)
}

func mustBuild(t *testing.T, f core.HandlerFactory, m map[string]any, env *core.Env) core.Handler {
	t.Helper()
	h, err := build(f, m, env)
	if err != nil {
		t.Fatalf("factory(%v): %v", m, err)
	}
	t.Cleanup(func() { _ = h.Close(context.Background()) })
	return h
}

// wantFactoryErr checks that the factory fails naming wantPath, wrapping want.
func wantFactoryErr(t *testing.T, f core.HandlerFactory, m map[string]any, env *core.Env, wantPath string, want error) error {
	t.Helper()
	h, err := build(f, m, env)
	if err == nil {
		_ = h.Close(context.Background())
		t.Fatalf("factory(%v) succeeded; want an error at %s", m, wantPath)
	}
	var ce *core.ConfigError
	if !errors.As(err, &ce) {
		t.Errorf("error %v is not a ConfigError", err)
	}
	if !strings.Contains(err.Error(), wantPath+": ") {
		t.Errorf("error %q does not name %s", err, wantPath)
	}
	if want != nil && !errors.Is(err, want) {
		t.Errorf("error %q does not wrap %v", err, want)
	}
	return err
}

func emit(t *testing.T, h core.Handler, lines ...string) {
	t.Helper()
	for _, l := range lines {
		if err := h.Emit(rec(), []byte(l)); err != nil {
			t.Fatalf("Emit(%q): %v", l, err)
		}
	}
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// backups lists the files in dir other than base, sorted.
func backups(t *testing.T, dir, base string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		if e.Name() != base {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	sort.Strings(out)
	return out
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// fakeClock is a manual clock: timers fire when Advance passes their time.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*fakeTimer
}

type fakeTimer struct {
	c       chan time.Time
	at      time.Time
	clk     *fakeClock
	stopped bool
}

func newFakeClock(now time.Time) *fakeClock { return &fakeClock{now: now} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) NewTimer(d time.Duration) timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{c: make(chan time.Time, 1), at: c.now.Add(d), clk: c}
	if d <= 0 {
		t.c <- c.now
		return t
	}
	c.timers = append(c.timers, t)
	return t
}

// Advance moves the clock and fires the timers that are due.
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	kept := c.timers[:0]
	for _, t := range c.timers {
		if !t.at.After(c.now) {
			t.c <- c.now
		} else {
			kept = append(kept, t)
		}
	}
	c.timers = kept
}

// Waiting returns how many timers are pending.
func (c *fakeClock) Waiting() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.timers)
}

func (t *fakeTimer) C() <-chan time.Time { return t.c }

func (t *fakeTimer) Stop() bool {
	t.clk.mu.Lock()
	defer t.clk.mu.Unlock()
	for i, x := range t.clk.timers {
		if x == t {
			t.clk.timers = append(t.clk.timers[:i], t.clk.timers[i+1:]...)
			return true
		}
	}
	return false
}
