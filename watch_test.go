package logging

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// watchConf is a configuration with the recorder h on app at level, plus
// extra sections.
func watchConf(t *testing.T, level, extra string) []byte {
	return []byte(withTestName(t, `version = 1
disable_existing_loggers = false
[handlers.h]
class = "test.Recorder"
key = "@h"
[loggers.app]
level = "`+level+`"
handlers = ["h"]
`+extra))
}

// watching is one Watch under test, with what it reported.
type watching struct {
	r      *Registry
	stderr *syncBuf
	mu     sync.Mutex
	errs   []error
	trace  []string
}

func (w *watching) errors() []error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.errs)
}

func (w *watching) outcomes() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.trace)
}

// startWatch runs Watch on path until the test ends, waits for the first
// configuration, and checks at the end that Watch returned nil and left no
// goroutine behind. A nil onError uses Watch's default (the registry's
// stderr).
func startWatch(t *testing.T, path string, ownOnError bool) *watching {
	t.Helper()
	leaks := goleak.IgnoreCurrent()
	r, stderr := newReg(t)
	w := &watching{r: r, stderr: stderr}
	var onError func(error)
	if ownOnError {
		onError = func(err error) { w.mu.Lock(); w.errs = append(w.errs, err); w.mu.Unlock() }
	}
	opts := watchOptions{debounce: 10 * time.Millisecond, retry: 20 * time.Millisecond, trace: func(s string) {
		w.mu.Lock()
		w.trace = append(w.trace, s)
		w.mu.Unlock()
	}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.watch(ctx, path, onError, opts) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Watch returned %v after cancel", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("Watch did not return after its context was cancelled")
		}
		goleak.VerifyNone(t, leaks)
	})
	eventually(t, "the first configuration", func() bool { return slices.Contains(r.handlerNames(), "h") })
	return w
}

// eventually polls cond until it holds, failing the test after a deadline.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func levelOf(r *Registry, name string) Level { return r.node(name).state.Load().eff }

func TestWatchSurvivesEditors(t *testing.T) {
	for _, tc := range []struct {
		name string
		// setup lays out the directory and returns the path to watch.
		setup func(t *testing.T, dir string, initial []byte) string
		// edit replaces the configuration at path with next.
		edit func(t *testing.T, path string, next []byte)
	}{
		{
			name: "in-place write",
			edit: func(t *testing.T, path string, next []byte) { must(t, os.WriteFile(path, next, 0o644)) },
		},
		{
			name: "truncate, then write",
			edit: func(t *testing.T, path string, next []byte) {
				must(t, os.WriteFile(path, nil, 0o644))
				must(t, os.WriteFile(path, next, 0o644))
			},
		},
		{
			name: "write a temporary file and rename it over",
			edit: func(t *testing.T, path string, next []byte) {
				must(t, os.WriteFile(path+".tmp", next, 0o644))
				must(t, os.Rename(path+".tmp", path))
			},
		},
		{
			name: "vim: rename away, write anew, remove the backup",
			edit: func(t *testing.T, path string, next []byte) {
				must(t, os.Rename(path, path+"~"))
				must(t, os.WriteFile(path, next, 0o644))
				must(t, os.Remove(path+"~"))
			},
		},
		{
			name: "rm and recreate",
			edit: func(t *testing.T, path string, next []byte) {
				must(t, os.Remove(path))
				must(t, os.WriteFile(path, next, 0o644))
			},
		},
		{
			name:  "kubernetes ConfigMap ..data swap",
			setup: k8sLayout,
			edit: func(t *testing.T, path string, next []byte) {
				// What the kubelet does: a new version directory, a new
				// ..data symlink renamed over the old, the old removed.
				dir := filepath.Dir(path)
				old, err := os.Readlink(filepath.Join(dir, "..data"))
				must(t, err)
				version, err := os.MkdirTemp(dir, "..v")
				must(t, err)
				must(t, os.WriteFile(filepath.Join(version, "logging.toml"), next, 0o644))
				must(t, os.Symlink(filepath.Base(version), filepath.Join(dir, "..data_tmp")))
				must(t, os.Rename(filepath.Join(dir, "..data_tmp"), filepath.Join(dir, "..data")))
				must(t, os.RemoveAll(filepath.Join(dir, old)))
			},
		},
		{
			// No event names the file or its target: only the change of
			// what the path resolves to tells.
			name:  "..data swap, the old version kept",
			setup: k8sLayout,
			edit: func(t *testing.T, path string, next []byte) {
				dir := filepath.Dir(path)
				version, err := os.MkdirTemp(dir, "..v")
				must(t, err)
				must(t, os.WriteFile(filepath.Join(version, "logging.toml"), next, 0o644))
				must(t, os.Symlink(filepath.Base(version), filepath.Join(dir, "..data_tmp")))
				must(t, os.Rename(filepath.Join(dir, "..data_tmp"), filepath.Join(dir, "..data")))
			},
		},
		{
			name: "a symlink to a file elsewhere, edited in place",
			setup: func(t *testing.T, dir string, initial []byte) string {
				target := filepath.Join(t.TempDir(), "real.toml")
				must(t, os.WriteFile(target, initial, 0o644))
				path := filepath.Join(dir, "logging.toml")
				must(t, os.Symlink(target, path))
				return path
			},
			edit: func(t *testing.T, path string, next []byte) {
				target, err := filepath.EvalSymlinks(path)
				must(t, err)
				must(t, os.WriteFile(target, next, 0o644))
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			initial := watchConf(t, "INFO", "")
			path := filepath.Join(dir, "logging.toml")
			if tc.setup != nil {
				path = tc.setup(t, dir, initial)
			} else {
				must(t, os.WriteFile(path, initial, 0o644))
			}
			w := startWatch(t, path, true)
			if got := levelOf(w.r, "app"); got != INFO {
				t.Fatalf("app at %v before the edit", got)
			}
			sink := rec(runKey(t, "h"))
			closedBefore := closedCount(sink)

			tc.edit(t, path, watchConf(t, "DEBUG", ""))
			eventually(t, "app at DEBUG", func() bool { return levelOf(w.r, "app") == DEBUG })
			w.r.Get("app").Debug("after the edit")
			if got := sink.get(); !slices.Equal(got, []string{"after the edit"}) {
				t.Errorf("h got %q", got)
			}
			// Only a level changed: the handler was kept, not closed and
			// rebuilt (a CloudWatch handler keeps its queue).
			if n := closedCount(sink) - closedBefore; n != 0 {
				t.Errorf("the unchanged handler was closed %d times", n)
			}

			// And it keeps watching: a second edit of the same kind.
			tc.edit(t, path, watchConf(t, "ERROR", ""))
			eventually(t, "app at ERROR", func() bool { return levelOf(w.r, "app") == ERROR })
			if errs := w.errors(); len(errs) != 0 {
				t.Errorf("errors reported: %v", errs)
			}
		})
	}
}

func TestWatchKeepsTheOldConfigurationOnABadEdit(t *testing.T) {
	for _, tc := range []struct {
		name string
		bad  func(t *testing.T) []byte
		want string // in the reported error
	}{
		{"syntax error", func(*testing.T) []byte { return []byte("version = 1\n[loggers.app\n") }, "line 2"},
		{"unknown class", func(t *testing.T) []byte {
			return watchConf(t, "DEBUG", "[handlers.x]\nclass = \"nope\"\n")
		}, `handlers.x.class: unknown class "nope"`},
		{"bad level", func(t *testing.T) []byte { return watchConf(t, "LOUD", "") }, `loggers.app.level: unknown level "LOUD"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "logging.toml")
			must(t, os.WriteFile(path, watchConf(t, "INFO", ""), 0o644))
			w := startWatch(t, path, true)

			must(t, os.WriteFile(path, tc.bad(t), 0o644))
			eventually(t, "the error", func() bool { return len(w.errors()) > 0 })
			errs := w.errors()
			var re *ReloadError
			if len(errs) != 1 || !errors.As(errs[0], &re) || re.Path != path || !strings.Contains(errs[0].Error(), tc.want) {
				t.Fatalf("errors %v, want one ReloadError for %s containing %q", errs, path, tc.want)
			}
			if !strings.HasPrefix(errs[0].Error(), "logging: reloading "+path+" (the previous configuration stays): ") {
				t.Errorf("message %q", errs[0])
			}
			if got := levelOf(w.r, "app"); got != INFO {
				t.Errorf("app at %v after a failed reload, want the old INFO", got)
			}
			w.r.Get("app").Info("still logging")
			if got := rec(runKey(t, "h")).get(); !slices.Equal(got, []string{"still logging"}) {
				t.Errorf("h got %q", got)
			}

			// Fixing the file applies it.
			must(t, os.WriteFile(path, watchConf(t, "WARNING", ""), 0o644))
			eventually(t, "app at WARNING", func() bool { return levelOf(w.r, "app") == WARNING })
			if n := len(w.errors()); n != 1 {
				t.Errorf("%d errors, want the one", n)
			}
		})
	}
}

func TestWatchAppliesNewLoggersAndHandlers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "logging.toml")
	must(t, os.WriteFile(path, watchConf(t, "INFO", ""), 0o644))
	w := startWatch(t, path, true)
	fresh := w.r.Get("fresh") // exists before the reload that names it

	must(t, os.WriteFile(path, watchConf(t, "INFO", `[handlers.h2]
class = "test.Recorder"
key = "@h2"
[loggers.fresh]
level = "DEBUG"
handlers = ["h2"]
propagate = false
`), 0o644))
	eventually(t, "handler h2", func() bool { return slices.Contains(w.r.handlerNames(), "h2") })
	fresh.Debug("to h2")
	if got := rec(runKey(t, "h2")).get(); !slices.Equal(got, []string{"to h2"}) {
		t.Errorf("h2 got %q", got)
	}
	if got := rec(runKey(t, "h")).get(); len(got) != 0 {
		t.Errorf("h got %q", got)
	}
}

func TestWatchSkipsUnchangedAndEmptyContent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "logging.toml")
	conf := watchConf(t, "INFO", "")
	must(t, os.WriteFile(path, conf, 0o644))
	w := startWatch(t, path, true)
	sink := rec(runKey(t, "h"))
	closedBefore := closedCount(sink)

	must(t, os.WriteFile(path, conf, 0o644)) // the same bytes
	eventually(t, "a look at the file", func() bool { return slices.Contains(w.outcomes(), "unchanged") })
	must(t, os.WriteFile(path, []byte("  \n"), 0o644))
	eventually(t, "a look at the empty file", func() bool { return slices.Contains(w.outcomes(), "empty") })
	must(t, os.Remove(path))
	eventually(t, "a look at the missing file", func() bool { return slices.Contains(w.outcomes(), "missing") })
	if slices.Contains(w.outcomes(), "applied") || len(w.errors()) != 0 {
		t.Fatalf("outcomes %q, errors %v", w.outcomes(), w.errors())
	}
	if got := levelOf(w.r, "app"); got != INFO {
		t.Errorf("app at %v", got)
	}
	// The missing file comes back: applied, the handler never closed.
	must(t, os.WriteFile(path, watchConf(t, "DEBUG", ""), 0o644))
	eventually(t, "app at DEBUG", func() bool { return levelOf(w.r, "app") == DEBUG })
	if n := closedCount(sink) - closedBefore; n != 0 {
		t.Errorf("handler closed %d times", n)
	}
}

func TestWatchReportsToStderrByDefault(t *testing.T) {
	path := filepath.Join(t.TempDir(), "logging.toml")
	must(t, os.WriteFile(path, watchConf(t, "INFO", ""), 0o644))
	w := startWatch(t, path, false)
	must(t, os.WriteFile(path, []byte("version = 2\n"), 0o644))
	want := "logging: reloading " + path + " (the previous configuration stays): version: bad value: unsupported version 2 (only 1 exists)\n"
	eventually(t, "the report on stderr", func() bool { return w.stderr.String() == want })
}

func TestWatchReturnsTheFirstError(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.toml")
	must(t, os.WriteFile(bad, []byte("version = 1\n[handlers.x]\nclass = \"nope\"\n"), 0o644))
	for _, tc := range []struct {
		name, path, want string
	}{
		{"missing file", filepath.Join(dir, "missing.toml"), "no such file"},
		{"missing directory", filepath.Join(dir, "nodir", "x.toml"), "no such file"},
		{"bad configuration", bad, `handlers.x.class: unknown class "nope"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			leaks := goleak.IgnoreCurrent()
			r, _ := newReg(t)
			err := r.Watch(context.Background(), tc.path, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Watch = %v, want an error containing %q", err, tc.want)
			}
			goleak.VerifyNone(t, leaks)
		})
	}
}

func TestWatchDefaultRegistry(t *testing.T) {
	// Watch on the default registry with a context that is already done:
	// it configures, then returns.
	path := filepath.Join(t.TempDir(), "logging.toml")
	must(t, os.WriteFile(path, []byte("version = 1\nincremental = true\n"), 0o644))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Watch(ctx, path, nil); err != nil {
		t.Fatal(err)
	}
}

// k8sLayout lays out dir as the kubelet does for a ConfigMap volume:
// logging.toml -> ..data/logging.toml, ..data -> ..v1.
func k8sLayout(t *testing.T, dir string, initial []byte) string {
	must(t, os.Mkdir(filepath.Join(dir, "..v1"), 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "..v1", "logging.toml"), initial, 0o644))
	must(t, os.Symlink("..v1", filepath.Join(dir, "..data")))
	path := filepath.Join(dir, "logging.toml")
	must(t, os.Symlink(filepath.Join("..data", "logging.toml"), path))
	return path
}

// closedCount is how many times a recorder was closed; recorders are
// shared by key, so across -count runs too: compare differences.
func closedCount(r *recorder) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.closed
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
