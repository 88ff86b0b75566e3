package logging

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Watch applies the configuration file path to the default registry, then
// applies it again each time it changes, until ctx is done; see
// [Registry.Watch].
func Watch(ctx context.Context, path string, onError func(error)) error {
	return std.Watch(ctx, path, onError)
}

// ReloadError is a change of a watched configuration file that could not be
// applied. The previous configuration stays in effect; Err is the
// configuration's error (an [*Error] listing every problem by key path, or
// the error reading the file).
type ReloadError struct {
	Path string
	Err  error
}

func (e *ReloadError) Error() string {
	return "logging: reloading " + e.Path + " (the previous configuration stays): " +
		strings.TrimPrefix(e.Err.Error(), "logging: ")
}

func (e *ReloadError) Unwrap() error { return e.Err }

// Watch applies the configuration file path, as [Registry.Configure] does,
// and returns its error at once if that fails. Otherwise it watches the
// file, applies each change, and returns nil when ctx is done, having
// stopped everything it started. It blocks: run it in its own goroutine.
//
//	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
//	defer stop()
//	go func() {
//		if err := logging.Watch(ctx, "logging.toml", nil); err != nil {
//			log.Fatal(err) // the first configuration failed
//		}
//	}()
//
// A change is applied 150 ms after the last event naming the file, so an
// editor's several writes are one reload, and only when the content
// differs from the last seen. It survives the ways files are replaced:
// written in place, a new file renamed over it, vim's rename and rewrite,
// rm and recreate, and a Kubernetes ConfigMap's ..data symlink swap (a
// change of what filepath.EvalSymlinks(path) resolves to). While the file is
// missing or empty, as it is for a moment in some of these, nothing
// changes; it is looked at again until it is back.
//
// A change that fails to apply (a syntax error, an unknown class) leaves the
// previous configuration in effect, as Configure always does, and is
// reported as a [*ReloadError] to onError, or to the registry's stderr when
// onError is nil; the next change is applied as usual. onError is called
// from Watch's goroutine, one call at a time. Handlers whose configuration
// did not change are kept running across a reload (see
// [Registry.ConfigureMap]), so changing a level does not reconnect a
// CloudWatch handler. Environment level overrides ([Registry.SetEnvPrefix])
// are applied at every reload.
//
// Watch is safe to call from any goroutine, but one file per registry is
// the sensible use: two Watch calls on one registry each apply their own
// file, and the last change wins.
//
// Watch uses fsnotify on the file's directory (and on the directory of its
// symlink target), never viper.WatchConfig, which stops for good when the
// file is removed and exits the process when it cannot watch.
func (r *Registry) Watch(ctx context.Context, path string, onError func(error)) error {
	return r.watch(ctx, path, onError, defaultWatch)
}

// watchOptions are Watch's timings; tests shorten them.
type watchOptions struct {
	// debounce is the quiet time after the last event before the file is
	// read: an in-place save is a truncate and a write, two events.
	debounce time.Duration
	// retry is how often a missing, empty or unreadable file is read
	// again, in case its return is not seen (a symlink target elsewhere).
	retry time.Duration
	// trace, when set, is told what each look at the file found: empty,
	// missing, unreadable, unchanged, applied or failed. Tests wait on it.
	trace func(outcome string)
}

var defaultWatch = watchOptions{debounce: 150 * time.Millisecond, retry: time.Second}

// fileWatch is the state of one Watch call. Everything in it is owned by
// the goroutine that called Watch.
type fileWatch struct {
	r       *Registry
	w       *fsnotify.Watcher
	path    string // as given, for messages
	abs     string
	dir     string // the directory of abs, always watched
	onError func(error)
	opts    watchOptions

	resolved  string // what abs resolved to at the last look
	targetDir string // the watched directory of resolved, when not dir
	last      [sha256.Size]byte
	lastErr   string // the last read error reported, to report it once
	timer     *time.Timer
}

func (r *Registry) watch(ctx context.Context, path string, onError func(error), o watchOptions) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return fmt.Errorf("logging: watching %s: %w", path, err)
	}
	if onError == nil {
		onError = func(err error) { _, _ = io.WriteString(r.errOut(), err.Error()+"\n") }
	}
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("logging: watching %s: %w", path, err)
	}
	// Close stops fsnotify's goroutine and waits for it.
	defer w.Close()
	fw := &fileWatch{r: r, w: w, path: path, abs: abs, dir: filepath.Dir(abs), onError: onError, opts: o}
	// The watch starts before the first read, so that no change made
	// after the read can be missed; the bytes are read before Configure
	// reads them, so that a change in between is seen as one.
	if err := w.Add(fw.dir); err != nil {
		return fmt.Errorf("logging: watching %s: %w", path, err)
	}
	fw.track()
	b, readErr := os.ReadFile(abs)
	if err := r.Configure(abs); err != nil {
		return err
	}
	if readErr == nil {
		fw.last = sha256.Sum256(b)
	}
	fw.timer = time.NewTimer(time.Hour)
	fw.timer.Stop()
	defer fw.timer.Stop()
	return fw.loop(ctx)
}

func (fw *fileWatch) loop(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-fw.w.Events:
			if !ok {
				return nil
			}
			if fw.relevant(ev) {
				fw.timer.Reset(fw.opts.debounce)
			}
		case err, ok := <-fw.w.Errors:
			if !ok {
				return nil
			}
			// An overflow of the kernel's queue may have hidden an event
			// about the file: look at it, which costs one read.
			fw.onError(fmt.Errorf("logging: watching %s: %w", fw.path, err))
			fw.timer.Reset(fw.opts.debounce)
		case <-fw.timer.C:
			fw.reload()
		}
	}
}

// relevant reports whether an event may have changed the configuration:
// it names the file or its symlink target, or the file now resolves to
// another target (Kubernetes swaps the ..data symlink; no event names the
// file).
func (fw *fileWatch) relevant(ev fsnotify.Event) bool {
	name := filepath.Clean(ev.Name)
	if name == fw.abs || (fw.resolved != "" && name == fw.resolved) {
		return true
	}
	if name == fw.dir || name == fw.targetDir {
		return true // the directory itself went away: reload re-adds it
	}
	res, err := filepath.EvalSymlinks(fw.abs)
	return err == nil && res != fw.resolved
}

// track follows the file's symlink target, watching the target's
// directory too, so that an in-place edit of a target elsewhere is seen.
func (fw *fileWatch) track() {
	res, err := filepath.EvalSymlinks(fw.abs)
	if err != nil || res == fw.resolved {
		return
	}
	fw.resolved = res
	dir := filepath.Dir(res)
	if dir == fw.targetDir || dir == fw.dir {
		return
	}
	if fw.targetDir != "" {
		// The old target directory may be gone already (Kubernetes
		// removes it), and fsnotify with it.
		_ = fw.w.Remove(fw.targetDir)
		fw.targetDir = ""
	}
	if err := fw.w.Add(dir); err == nil {
		fw.targetDir = dir
	}
}

func (fw *fileWatch) traced(outcome string) {
	if fw.opts.trace != nil {
		fw.opts.trace(outcome)
	}
}

// reload reads the file and applies it if its content changed.
func (fw *fileWatch) reload() {
	if !slices.Contains(fw.w.WatchList(), fw.dir) {
		// The directory was removed or replaced; watch the new one.
		_ = fw.w.Add(fw.dir)
	}
	fw.track()
	b, err := os.ReadFile(fw.abs)
	switch {
	case err == nil && len(bytes.TrimSpace(b)) == 0:
		// Truncated and not yet written, or being replaced.
		fw.timer.Reset(fw.opts.retry)
		fw.traced("empty")
		return
	case errors.Is(err, fs.ErrNotExist):
		// Removed or renamed away: an editor is replacing it.
		fw.timer.Reset(fw.opts.retry)
		fw.traced("missing")
		return
	case err != nil:
		if err.Error() != fw.lastErr {
			fw.lastErr = err.Error()
			fw.onError(&ReloadError{Path: fw.path, Err: err})
		}
		fw.timer.Reset(fw.opts.retry)
		fw.traced("unreadable")
		return
	}
	fw.lastErr = ""
	sum := sha256.Sum256(b)
	if sum == fw.last {
		fw.traced("unchanged")
		return
	}
	fw.last = sum
	if err := fw.r.Configure(fw.abs); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			// Gone between the two reads: try again when it is back.
			fw.last = [sha256.Size]byte{}
			fw.timer.Reset(fw.opts.retry)
			fw.traced("missing")
			return
		}
		// The same content is not reported again: fw.last holds it.
		fw.onError(&ReloadError{Path: fw.path, Err: err})
		fw.traced("failed")
		return
	}
	fw.traced("applied")
}
