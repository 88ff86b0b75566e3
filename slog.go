package logging

import (
	"context"
	"log/slog"
	"math"
	"sync"

	"github.com/sirupsen/logrus"

	"github.com/logdict/logging/core"
)

// Slog returns a *slog.Logger that logs into the default registry's logger
// name; see [Registry.SlogHandler].
//
//	log := logging.Slog("app.db")
//	log.Info("connected", "host", "db1", slog.Group("pool", "size", 4))
//
// is the record "connected" on the logger app.db with the fields host=db1
// and pool.size=4, handled as a logrus call on logging.Get("app.db") is.
func Slog(name string) *slog.Logger { return std.Slog(name) }

// SlogHandler returns a slog.Handler for the default registry's logger name.
func SlogHandler(name string) slog.Handler { return std.SlogHandler(name) }

// Slog returns a *slog.Logger whose handler is r.SlogHandler(name).
func (r *Registry) Slog(name string) *slog.Logger { return slog.New(r.SlogHandler(name)) }

// SlogHandler returns a slog.Handler that logs into the logger name, as if
// the record had been logged on r.Get(name): that logger's level, disabled
// flag and filters decide, and its handlers and its ancestors' (while
// propagate is set) format and write the record. It follows every later
// configuration, as the logger does.
//
// Levels map to Python's: slog's Debug (-4), Info (0), Warn (4) and Error
// (8) are DEBUG, INFO, WARNING and ERROR, 12 and above CRITICAL, and levels
// in between fall proportionally in between (Info+2 is 25), as custom
// Python levels; see [FromSlogLevel]. Enabled answers with the logger's
// effective level, so a disabled call costs slog nothing more.
//
// Attributes become logrus fields; a group's attributes are qualified by the
// group's name and a dot (group "db", attribute "host" is the field
// "db.host"), and WithAttrs and WithGroup are kept in the same way. Values
// are resolved (LogValuer); an error attribute named "error" is what
// logrus's WithError attaches, so formatters append it as they do for
// logrus. The record's time is the entry's time (a zero time becomes the
// time of the call, as logrus stamps every entry), and its PC is the
// record's call site, so %(pathname)s, %(lineno)d and %(funcName)s name the
// slog call. The context passed to the slog call is the entry's Context.
//
// The handler is safe for concurrent use; its zero value is not usable.
func (r *Registry) SlogHandler(name string) slog.Handler {
	return &slogHandler{n: r.node(name)}
}

// slogHandler is the slog.Handler of one registry logger. It is immutable:
// WithAttrs and WithGroup return new handlers.
type slogHandler struct {
	n *node
	// prefix qualifies attribute keys: the open groups, each followed by
	// a dot ("g.h.").
	prefix string
	// attrs are the WithAttrs attributes, already qualified and resolved.
	attrs []slogField
}

type slogField struct {
	key string
	val any
}

var _ slog.Handler = (*slogHandler)(nil)

// Enabled reports whether the logger would handle a record at level l.
func (h *slogHandler) Enabled(_ context.Context, l slog.Level) bool {
	st := h.n.state.Load()
	return !st.disabled && FromSlogLevel(l) >= st.eff
}

// WithAttrs returns a handler that adds attrs, qualified by the groups open
// now, to every record.
func (h *slogHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	if len(attrs) == 0 {
		return h
	}
	c := *h
	c.attrs = make([]slogField, len(h.attrs), len(h.attrs)+len(attrs))
	copy(c.attrs, h.attrs)
	for _, a := range attrs {
		c.attrs = appendAttr(c.attrs, h.prefix, a)
	}
	return &c
}

// WithGroup returns a handler that qualifies later attributes by name.
func (h *slogHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	c := *h
	c.prefix = h.prefix + name + "."
	return &c
}

// appendAttr adds a resolved, qualified attribute; an empty attribute is
// dropped, a group is flattened (an empty group adds nothing, a group with
// no name is inlined), as slog's Handler contract asks.
func appendAttr(dst []slogField, prefix string, a slog.Attr) []slogField {
	a.Value = a.Value.Resolve()
	if a.Equal(slog.Attr{}) {
		return dst
	}
	if a.Value.Kind() == slog.KindGroup {
		p := prefix
		if a.Key != "" {
			p = prefix + a.Key + "."
		}
		for _, g := range a.Value.Group() {
			dst = appendAttr(dst, p, g)
		}
		return dst
	}
	key := a.Key
	if prefix != "" {
		key = prefix + a.Key
	}
	return append(dst, slogField{key, slogValue(a.Value)})
}

// slogValue turns a resolved slog.Value into what a logrus field holds.
func slogValue(v slog.Value) any {
	switch v.Kind() {
	case slog.KindString:
		return v.String()
	case slog.KindInt64:
		return v.Int64()
	case slog.KindUint64:
		return v.Uint64()
	case slog.KindFloat64:
		return v.Float64()
	case slog.KindBool:
		return v.Bool()
	case slog.KindDuration:
		return v.Duration()
	case slog.KindTime:
		return v.Time()
	default:
		return v.Any()
	}
}

// slogScratch is what one Handle call borrows: the attribute list and the
// entry handed to logrus, which copies both before its hooks see them.
type slogScratch struct {
	fields []slogField
	entry  logrus.Entry
}

var slogPool = sync.Pool{New: func() any {
	return &slogScratch{fields: make([]slogField, 0, 8), entry: logrus.Entry{Data: make(logrus.Fields, 8)}}
}}

// Handle logs rec on the logger.
func (h *slogHandler) Handle(ctx context.Context, rec slog.Record) error {
	lvl := FromSlogLevel(rec.Level)
	st := h.n.state.Load()
	if st.disabled || lvl < st.eff {
		// slog.Logger asks Enabled first; a caller of Handle itself may not.
		return nil
	}
	s := slogPool.Get().(*slogScratch)
	fields := append(s.fields[:0], h.attrs...)
	rec.Attrs(func(a slog.Attr) bool {
		fields = appendAttr(fields, h.prefix, a)
		return true
	})
	e := &s.entry
	*e = logrus.Entry{Logger: h.n.logger, Data: e.Data, Time: rec.Time, Context: ctx}
	for _, f := range fields {
		e.Data[f.key] = f.val
	}
	ll := core.LogrusThreshold(lvl)
	if core.FromLogrus(ll) != lvl {
		e.Data[LevelKey] = lvl
	}
	if rec.PC != 0 && st.needCaller {
		// The record's PC is the slog call; without it the dispatch
		// would walk the stack, which finds the same frame at more cost.
		e.Caller = frameFor(rec.PC)
	}
	e.Log(ll, rec.Message)

	// Large scratch space is not pooled: one record with many attributes
	// must not pin memory.
	n := len(fields)
	clear(e.Data)
	*e = logrus.Entry{Data: e.Data}
	clear(fields) // drop references to the values
	s.fields = fields[:0]
	if n <= 64 {
		slogPool.Put(s)
	}
	return nil
}

// FromSlogLevel returns the Python level of a slog level: Debug (-4) is
// DEBUG (10), Info (0) INFO (20), Warn (4) WARNING (30), Error (8) ERROR
// (40), 12 and above CRITICAL (50); in between, 2.5 Python levels per slog
// level, rounded down (Info+2 is 25, Debug-2 is TRACE, 5). The result is
// at least 1, so that no record is NOTSET.
func FromSlogLevel(l slog.Level) Level {
	if l >= 12 {
		return CRITICAL
	}
	py := 20 + int(math.Floor(float64(l)*2.5))
	if py < 1 {
		return 1
	}
	return Level(py)
}

// ToSlogLevel returns the slog level of a Python level, the inverse of
// [FromSlogLevel] on the named levels: DEBUG is slog.LevelDebug, CRITICAL
// is 12, TRACE is -6; in between, rounded down.
func ToSlogLevel(l Level) slog.Level {
	return slog.Level(math.Floor(float64(int(l)-20) / 2.5))
}
