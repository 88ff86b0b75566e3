package logging

import (
	"context"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/sirupsen/logrus"

	"github.com/logdict/logging/core"
)

// Registry is a tree of named loggers and the handlers a configuration
// attached to them: what Python's logging module keeps globally. The package
// functions (Configure, Get, Shutdown) use a default Registry; New makes an
// independent one. A Registry is safe for concurrent use: loggers may log
// from any goroutine while it is reconfigured.
type Registry struct {
	// mu serialises changes: configuration, logger creation, shutdown.
	mu    sync.Mutex
	nodes map[string]*node
	root  *node

	// swap is read-locked by every dispatch and write-locked while a new
	// configuration is put in place, so no record is ever handed to a
	// handler after it was closed, and each record sees one configuration.
	swap sync.RWMutex

	handlers []*handler // in build order; closed in reverse
	stdout   io.Writer
	stderr   io.Writer
	report   *reporter
	exitOnce sync.Once
	// envPrefixVal is the prefix of the LOGGING_LEVEL_* overrides; nil
	// means DefaultEnvPrefix (see SetEnvPrefix).
	envPrefixVal atomic.Pointer[string]
}

// Option configures a Registry made by New.
type Option interface{ apply(*Registry) }

type optionFunc func(*Registry)

func (f optionFunc) apply(r *Registry) { f(r) }

// WithStdout sets where ext://sys.stdout leads (default os.Stdout).
func WithStdout(w io.Writer) Option { return optionFunc(func(r *Registry) { r.stdout = w }) }

// WithStderr sets where ext://sys.stderr, the last-resort handler and the
// registry's own error reports go (default os.Stderr).
func WithStderr(w io.Writer) Option { return optionFunc(func(r *Registry) { r.stderr = w }) }

// New returns an empty Registry: a root logger at WARNING and no handlers,
// so WARNING and above go to stderr, as in Python before any configuration.
func New(opts ...Option) *Registry {
	r := &Registry{nodes: map[string]*node{}}
	for _, o := range opts {
		o.apply(r)
	}
	r.report = newReporter(r.errOut)
	r.root = r.newNode("root", nil)
	r.root.state.Store(&nodeState{level: core.WARNING, eff: core.WARNING, propagate: true})
	r.root.logger.SetLevel(core.LogrusThreshold(core.WARNING))
	r.nodes["root"] = r.root
	return r
}

func (r *Registry) out() io.Writer {
	if r.stdout != nil {
		return r.stdout
	}
	return os.Stdout
}

// errOut is the current stderr: like Python's lastResort, it follows
// os.Stderr if that is replaced after the registry was made.
func (r *Registry) errOut() io.Writer {
	if r.stderr != nil {
		return r.stderr
	}
	return os.Stderr
}

// node is one named logger.
type node struct {
	reg    *Registry
	name   string // "root" for the root logger
	parent *node  // nil for the root only
	logger *logrus.Logger
	// placeholder marks a node made only because a descendant was asked
	// for (Python's PlaceHolder): it is never disabled.
	placeholder bool
	state       atomic.Pointer[nodeState]
}

// nodeState is a logger's configuration. It is replaced whole, never
// modified, so a dispatch reads a consistent one without locking.
type nodeState struct {
	level     core.Level // own level; NOTSET inherits
	eff       core.Level // effective level
	propagate bool
	disabled  bool
	filters   []core.Filter
	handlers  []*handler
	// needCaller: some handler this logger's records can reach formats the
	// call site, so dispatch must find it.
	needCaller bool
}

func (s *nodeState) clone() *nodeState {
	c := *s
	return &c
}

// Get returns the logger called name, creating it (and its ancestors) if
// needed. "" and "root" are the root logger. The same *logrus.Logger is
// returned for a name for the life of the registry, and it follows every
// later configuration.
func (r *Registry) Get(name string) *logrus.Logger {
	return r.node(name).logger
}

func (r *Registry) node(name string) *node {
	if name == "" {
		name = "root"
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.nodeLocked(name, false)
}

// nodeLocked returns the node for name, creating it and any missing
// ancestors (as placeholders). Called with r.mu held.
func (r *Registry) nodeLocked(name string, placeholder bool) *node {
	if n, ok := r.nodes[name]; ok {
		if !placeholder && n.placeholder {
			n.placeholder = false
		}
		return n
	}
	parent := r.root
	if i := strings.LastIndexByte(name, '.'); i > 0 {
		parent = r.nodeLocked(name[:i], true)
	}
	n := r.newNode(name, parent)
	n.placeholder = placeholder
	ps := parent.state.Load()
	st := &nodeState{level: core.NOTSET, eff: ps.eff, propagate: true}
	st.needCaller = ps.needCaller // a new logger propagates into its parent
	n.state.Store(st)
	n.logger.SetLevel(core.LogrusThreshold(st.eff))
	r.nodes[name] = n
	return n
}

func (r *Registry) newNode(name string, parent *node) *node {
	n := &node{reg: r, name: name, parent: parent}
	l := logrus.New()
	// The logger's own output does nothing: every record leaves through
	// the dispatch hook. No lock is needed around a discarded write.
	l.Out = io.Discard
	l.Formatter = nopFormatter{}
	l.SetNoLock()
	l.AddHook(dispatchHook{n})
	n.logger = l
	return n
}

type nopFormatter struct{}

func (nopFormatter) Format(*logrus.Entry) ([]byte, error) { return nil, nil }

// recompute derives every logger's effective level and caller need from
// the tree, and sets each logrus logger's level so that logrus's own
// atomic check rejects disabled calls. Called with r.mu held, after states
// were replaced.
func (r *Registry) recompute() {
	// Parents are created before children, but map order is random: walk
	// from each node up, memoising.
	done := make(map[*node]bool, len(r.nodes))
	var visit func(n *node)
	visit = func(n *node) {
		if done[n] {
			return
		}
		done[n] = true
		st := n.state.Load().clone()
		var ps *nodeState
		if n.parent != nil {
			visit(n.parent)
			ps = n.parent.state.Load()
		}
		st.eff = st.level
		if st.eff == core.NOTSET && ps != nil {
			st.eff = ps.eff
		}
		st.needCaller = false
		for _, h := range st.handlers {
			st.needCaller = st.needCaller || h.needCaller
		}
		if st.propagate && ps != nil {
			st.needCaller = st.needCaller || ps.needCaller
		}
		n.state.Store(st)
		switch {
		case st.disabled:
			// logrus cannot reject Panic by level; dispatch checks
			// disabled. Everything else stops at logrus's check.
			n.logger.SetLevel(logrus.PanicLevel)
		default:
			n.logger.SetLevel(core.LogrusThreshold(st.eff))
		}
	}
	for _, n := range r.nodes {
		visit(n)
	}
}

// dispatchHook is the only hook on a registry logger: it hands each entry
// to the node, which does what Python's Logger.handle does.
type dispatchHook struct{ n *node }

func (dispatchHook) Levels() []logrus.Level { return logrus.AllLevels }

func (h dispatchHook) Fire(e *logrus.Entry) error {
	h.n.dispatch(e)
	return nil
}

var recordPool = sync.Pool{New: func() any { return new(core.Record) }}

// dispatch is Python's Logger.handle + callHandlers: the originating
// logger's disabled flag, level and filters decide; then the handlers of the
// logger and of each ancestor while propagate is set, each with its own
// level and filters (ancestors' levels and filters are not consulted).
func (n *node) dispatch(e *logrus.Entry) {
	r := n.reg
	r.swap.RLock()
	defer r.swap.RUnlock()
	st := n.state.Load()
	lvl := entryLevel(e)
	if st.disabled || lvl < st.eff {
		return
	}
	rec := recordPool.Get().(*core.Record)
	*rec = core.Record{Entry: e, Name: n.name, Level: lvl, Caller: e.Caller}
	defer func() {
		*rec = core.Record{}
		recordPool.Put(rec)
	}()
	if st.needCaller && rec.Caller == nil {
		rec.Caller = callerFrame()
	}
	for _, f := range st.filters {
		if !f.Filter(rec) {
			return
		}
	}
	found := 0
	for c, cs := n, st; c != nil; c = c.parent {
		if c != n {
			cs = c.state.Load()
		}
		for _, h := range cs.handlers {
			found++
			if lvl >= h.level() {
				h.handle(rec)
			}
		}
		if !cs.propagate {
			break
		}
	}
	if found == 0 && lvl >= core.WARNING {
		r.lastResort(rec)
	}
}

// LevelKey is the logrus field that carries a custom Python level number
// (such as 15 or 25) on an entry; see [Log].
const LevelKey = "levelno"

func entryLevel(e *logrus.Entry) core.Level {
	if v, ok := e.Data[LevelKey]; ok {
		if l, ok := v.(core.Level); ok {
			return l
		}
	}
	return core.FromLogrus(e.Level)
}

// lastResort is Python's logging.lastResort: with no handler anywhere on
// the path, WARNING and above are written to stderr as the bare message.
func (r *Registry) lastResort(rec *core.Record) {
	b := make([]byte, 0, len(rec.Message())+1)
	b = appendMessage(b, rec)
	b = append(b, '\n')
	_, _ = r.errOut().Write(b)
}

// appendMessage is %(message)s with a WithError error appended on its own
// line, as Python appends a traceback.
func appendMessage(b []byte, rec *core.Record) []byte {
	b = append(b, rec.Message()...)
	if err := rec.Err(); err != nil {
		b = append(b, '\n')
		b = append(b, err.Error()...)
	}
	return b
}

// Shutdown flushes and closes every handler, in reverse order of building,
// within ctx, and returns what could not be delivered. Handlers stay
// attached, as in Python: what is logged afterwards goes to closed handlers,
// which write it (streams, files) or count it as dropped (CloudWatch).
func (r *Registry) Shutdown(ctx context.Context) error {
	r.mu.Lock()
	hs := r.handlers
	r.mu.Unlock()
	return closeHandlers(ctx, hs)
}

// Flush asks every handler to deliver what it holds, within ctx.
func (r *Registry) Flush(ctx context.Context) error {
	r.mu.Lock()
	hs := r.handlers
	r.mu.Unlock()
	var errs []error
	for _, h := range hs {
		if err := h.sink.Flush(ctx); err != nil {
			errs = append(errs, handlerErr(h, err))
		}
	}
	return joinErrs(errs)
}
