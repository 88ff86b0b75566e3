// Package core holds the small interfaces the parts of logdict share: the
// [Record] a log call becomes, [Level], and the [Formatter], [Filter] and
// [Handler] a configuration builds, with [Params], the typed view of one
// section of a configuration that reports problems by key path.
//
// Users configure logging through the root package; they need this package
// only to write their own classes for [logging.RegisterHandler] and friends.
package core

import (
	"context"
	"io"
)

// Formatter renders a record. Format appends the rendering of r to dst and
// returns the extended slice, with no trailing newline (handlers add their
// terminator). It must be safe for concurrent use and must never fail: a
// problem (a missing field) renders as best it can and is reported through
// the formatter's own error reporting, never to the caller.
type Formatter interface {
	Format(dst []byte, r *Record) []byte
}

// CallerUser is implemented by formatters that print the call site
// (pathname, lineno, funcName...). Loggers whose handlers use none of them
// skip the stack walk.
type CallerUser interface {
	UsesCaller() bool
}

// Filter decides whether a record goes on, and may attach attributes to it
// with [Record.Set]. It must be safe for concurrent use.
type Filter interface {
	Filter(r *Record) bool
}

// FilterFunc adapts a function to [Filter].
type FilterFunc func(r *Record) bool

// Filter calls f(r).
func (f FilterFunc) Filter(r *Record) bool { return f(r) }

// Handler is a sink: where formatted records go. The registry checks the
// handler's level and filters and formats the record before calling Emit.
//
// Emit must be safe for concurrent use. p is the formatted record without a
// terminator; it belongs to the caller and is valid only during the call.
// An error from Emit is reported (rate-limited, on stderr by default), never
// returned to the code that logged.
//
// Flush delivers what is buffered, within ctx. Close flushes and releases
// the handler's resources; it must be idempotent. Both return what could not
// be done, undelivered records counted. A record emitted after Close is the
// handler's to define, but never lost silently: streams and files write it
// as Python's do (a file reopens for it), a queueing handler counts it as
// dropped.
type Handler interface {
	Emit(r *Record, p []byte) error
	Flush(ctx context.Context) error
	Close(ctx context.Context) error
}

// Env is what a factory may use besides its own parameters: the handler's
// name, where ext://sys.stdout and ext://sys.stderr lead, and where a
// class's own errors go (never into the loggers, which could loop).
type Env struct {
	Name    string
	Stdout  io.Writer
	Stderr  io.Writer
	OnError func(error)
}

// HandlerFactory builds a handler class from its parameters. It reads every
// key it understands from p; keys it does not read are reported as unknown.
type HandlerFactory func(p *Params, env *Env) (Handler, error)

// FilterFactory builds a filter class from its parameters.
type FilterFactory func(p *Params, env *Env) (Filter, error)

// FormatterFactory builds a formatter class from its parameters.
type FormatterFactory func(p *Params, env *Env) (Formatter, error)
