package hook

import (
	"context"
	"io"
	"sync"

	"github.com/logdict/logging/core"
	"github.com/sirupsen/logrus"
)

// StreamOptions configures a [Stream]. The zero value writes each record
// followed by "\n", for every logrus level, rendering logrus entries as their
// bare message.
type StreamOptions struct {
	// Terminator is written after each record; "" means "\n" unless
	// NoTerminator is set (Python's StreamHandler.terminator).
	Terminator   string
	NoTerminator bool
	// Levels are the logrus levels Fire is called for; nil means all.
	Levels []logrus.Level
	// Formatter renders entries given to Fire; nil means the bare message.
	// Records given to Emit are already formatted.
	Formatter logrus.Formatter
}

func (o *StreamOptions) terminator() string {
	if o.NoTerminator {
		return ""
	}
	if o.Terminator == "" {
		return "\n"
	}
	return o.Terminator
}

// Stream is Python's StreamHandler: it writes each record and its terminator
// to an io.Writer with one Write call, under a mutex, so lines written from
// many goroutines never interleave. It is a [core.Handler] for the registry
// and a logrus.Hook for a plain logrus logger.
//
// Stream is safe for concurrent use. It never closes its writer: Close only
// flushes, as Python's StreamHandler leaves sys.stderr open, and a record
// emitted after Close is still written (logging during shutdown is not lost).
// Build it with [NewStream]; the zero value is not usable.
type Stream struct {
	logrusSide
	mu   sync.Mutex
	w    io.Writer
	term string
	buf  []byte // guarded by mu
}

var (
	_ core.Handler = (*Stream)(nil)
	_ logrus.Hook  = (*Stream)(nil)
)

// NewStream returns a Stream writing to w. The caller keeps ownership of w
// and should not write to it concurrently by other means.
func NewStream(w io.Writer, opts StreamOptions) *Stream {
	return &Stream{
		logrusSide: logrusSide{levels: opts.Levels, formatter: opts.Formatter},
		w:          w,
		term:       opts.terminator(),
	}
}

// Emit writes p and the terminator with one Write call. p is not retained.
func (s *Stream) Emit(_ *core.Record, p []byte) error { return s.write(p, "") }

// Fire renders the entry and writes it, for logrus's AddHook.
func (s *Stream) Fire(e *logrus.Entry) error { return s.render(e, s.write) }

func (s *Stream) write(p []byte, msg string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.buf = appendLine(s.buf[:0], p, msg, s.term)
	_, err := s.w.Write(s.buf)
	s.buf = keepBuffer(s.buf)
	return err
}

// Flush flushes the writer if it buffers (Flush) and syncs it if it can
// (Sync), ignoring the EINVAL a terminal or pipe returns.
func (s *Stream) Flush(context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return flushWriter(s.w)
}

// Close flushes; the writer is left open. It is idempotent.
func (s *Stream) Close(ctx context.Context) error { return s.Flush(ctx) }

// StreamFactory builds a [Stream] (logging.StreamHandler) from the keys
// `stream` ("ext://sys.stderr", the default as in Python, or
// "ext://sys.stdout", resolved through env.Stderr and env.Stdout; no other
// ext:// target is reachable) and `terminator` (default "\n").
func StreamFactory(p *core.Params, env *core.Env) (core.Handler, error) {
	w := streamParam(p, env)
	term, none := terminatorParam(p)
	if err := p.Err(); err != nil {
		return nil, err
	}
	return NewStream(w, StreamOptions{Terminator: term, NoTerminator: none}), nil
}

// Null is Python's NullHandler: it discards every record. A library attaches
// one to its top logger so that, with no configuration, its records do not
// reach the WARNING-to-stderr fallback.
//
// Null is safe for concurrent use; its zero value is ready to use.
type Null struct{}

var (
	_ core.Handler = Null{}
	_ logrus.Hook  = Null{}
)

// Emit discards the record.
func (Null) Emit(*core.Record, []byte) error { return nil }

// Flush does nothing.
func (Null) Flush(context.Context) error { return nil }

// Close does nothing.
func (Null) Close(context.Context) error { return nil }

// Levels returns every logrus level.
func (Null) Levels() []logrus.Level { return logrus.AllLevels }

// Fire discards the entry.
func (Null) Fire(*logrus.Entry) error { return nil }

// NullFactory builds a [Null]; it takes no keys (logging.NullHandler).
func NullFactory(p *core.Params, _ *core.Env) (core.Handler, error) {
	if err := p.Err(); err != nil {
		return nil, err
	}
	return Null{}, nil
}
