package logging

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/logdict/logging/core"
	"github.com/logdict/logging/internal/fpstack"
)

// handler is a configured handler: Python's Handler with its level,
// filters and formatter, around a sink that does the writing.
type handler struct {
	name       string
	lvl        atomic.Int64
	filters    []core.Filter
	formatter  core.Formatter
	sink       core.Handler
	needCaller bool
	report     *reporter
	// spec is the configuration the handler was built from; an identical
	// one in a later configuration keeps this handler (see handlerSpec).
	spec map[string]any
}

func (h *handler) level() core.Level { return core.Level(h.lvl.Load()) }

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

// handle is Python's Handler.handle: filters, then format and emit. The
// record was already checked against the handler's level.
func (h *handler) handle(rec *core.Record) {
	for _, f := range h.filters {
		if !f.Filter(rec) {
			return
		}
	}
	bp := bufPool.Get().(*[]byte)
	b := h.formatter.Format((*bp)[:0], rec)
	if err := h.sink.Emit(rec, b); err != nil {
		h.report.report(fmt.Errorf("handler %q: %w", h.name, err))
	}
	// Large buffers are not pooled: one huge record must not pin memory.
	if cap(b) <= 64<<10 {
		*bp = b[:0]
		bufPool.Put(bp)
	}
}

func handlerErr(h *handler, err error) error {
	return fmt.Errorf("handler %q: %w", h.name, err)
}

func joinErrs(errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	return errors.Join(errs...)
}

// closeHandlers flushes and closes hs in reverse order, within ctx.
func closeHandlers(ctx context.Context, hs []*handler) error {
	var errs []error
	for i := len(hs) - 1; i >= 0; i-- {
		if err := hs[i].sink.Close(ctx); err != nil {
			errs = append(errs, handlerErr(hs[i], err))
		}
	}
	return joinErrs(errs)
}

// reporter writes the library's own errors (a handler that failed to
// write) to stderr, at most one line a second, counting what it held back.
// It never logs through the loggers, which could loop.
type reporter struct {
	out        func() io.Writer
	mu         sync.Mutex
	last       time.Time
	suppressed int
}

func newReporter(out func() io.Writer) *reporter { return &reporter{out: out} }

func (p *reporter) report(err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if now.Sub(p.last) < time.Second {
		p.suppressed++
		return
	}
	msg := "logging: " + err.Error()
	if p.suppressed > 0 {
		msg += fmt.Sprintf(" (%d more errors suppressed)", p.suppressed)
	}
	p.last, p.suppressed = now, 0
	_, _ = io.WriteString(p.out(), msg+"\n")
}

// callerFrame finds the user's call site: the first frame that is neither
// logrus's nor this library's dispatch machinery. It follows the frame
// pointers (a load per frame, where runtime.Callers decodes tables for
// each: about 40 ns against 900) and resolves each program counter once,
// caching it, where logrus's ReportCaller symbolises the whole stack on
// every call.
func callerFrame() *runtime.Frame {
	// The user's frame is usually within the first dozen above this one
	// (fpstack, dispatch, the hook, logrus's log, Log, Info).
	var pcs [24]uintptr
	n := fpstack.Callers(pcs[:])
	for _, pc := range pcs[:n] {
		if f := frameFor(pc); f != nil {
			return f
		}
	}
	if n < len(pcs) {
		return nil // the whole stack is library frames
	}
	// Deeper than that: the general unwinder, which stops safely wherever
	// the stack does.
	var more [64]uintptr
	n = runtime.Callers(2, more[:])
	for _, pc := range more[:n] {
		if f := frameFor(pc); f != nil {
			return f
		}
	}
	return nil
}

type cachedFrame struct {
	frame *runtime.Frame // nil: every frame at this pc belongs to the library
}

var frameCache sync.Map // uintptr -> cachedFrame

// pcSlot is an entry of hotFrames.
type pcSlot struct {
	pc    uintptr
	frame *runtime.Frame
}

// hotFrames is a direct-mapped, lock-free cache in front of frameCache:
// a dispatch looks up several program counters, and a sync.Map lookup
// (hashing, boxing the key) costs more than the rest of the walk. A
// collision only costs a trip to frameCache.
var hotFrames [1024]atomic.Pointer[pcSlot]

func frameFor(pc uintptr) *runtime.Frame {
	slot := &hotFrames[(pc^pc>>10)%uintptr(len(hotFrames))]
	if e := slot.Load(); e != nil && e.pc == pc {
		return e.frame
	}
	f := resolveFrame(pc)
	slot.Store(&pcSlot{pc, f})
	return f
}

func resolveFrame(pc uintptr) *runtime.Frame {
	if v, ok := frameCache.Load(pc); ok {
		return v.(cachedFrame).frame
	}
	var found *runtime.Frame
	// The trailing 0 makes CallersFrames expand every call inlined at pc:
	// for the last pc of a list it reports only the innermost, trusting
	// runtime.Callers to have listed the others, which a frame pointer
	// walk does not. (Frames skips the 0 itself.)
	frames := runtime.CallersFrames([]uintptr{pc, 0})
	for {
		f, more := frames.Next()
		// Compiler-made wrappers (an interface call of a value method goes
		// through one) are never the user's code.
		if !isLibraryFrame(f.Function) && f.File != "<autogenerated>" {
			fc := f
			found = &fc
			break
		}
		if !more {
			break
		}
	}
	frameCache.Store(pc, cachedFrame{found})
	return found
}

// libraryFuncs are this package's functions that stand between the user's
// call and the dispatch. Test functions of this package are user code.
var libraryFuncs = []string{
	"github.com/logdict/logging.(*node).",
	"github.com/logdict/logging.callerFrame",
	"github.com/logdict/logging/internal/fpstack.",
	"github.com/logdict/logging.dispatchHook.",
	"github.com/logdict/logging.Critical",
	"github.com/logdict/logging.Log",
	"github.com/logdict/logging.(*slogHandler).",
	"github.com/logdict/logging.stdlogWriter.",
	"github.com/logdict/logging.(*stdlogWriter).",
}

func isLibraryFrame(fn string) bool {
	if strings.HasPrefix(fn, "github.com/sirupsen/logrus.") || strings.HasPrefix(fn, "log/slog.") || strings.HasPrefix(fn, "log.") {
		return true
	}
	for _, p := range libraryFuncs {
		if strings.HasPrefix(fn, p) {
			return true
		}
	}
	return false
}
