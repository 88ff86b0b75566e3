package core

import (
	"runtime"
	"time"

	"github.com/sirupsen/logrus"
)

// Record is what filters, formatters and handlers see of one log call: the
// logrus entry, the name of the logger it was logged on and its Python level,
// plus attributes that filters attached (Python's `record.env = ...`).
//
// One Record is shared by every filter and handler of one dispatch, as one
// LogRecord is in Python, so an attribute a logger filter sets is seen by
// every handler. A Record must not be kept after the call that received it
// returns; copy what is needed.
type Record struct {
	// Entry is the logrus entry: time, message, fields (Data), context and,
	// when logrus reported it, Caller. It is shared with logrus's other hooks:
	// do not modify it.
	Entry *logrus.Entry
	// Name is the logger's dotted name; "root" for the root logger.
	Name string
	// Level is the record's Python level.
	Level Level
	// Caller is the user's call site (not a frame of logrus or of this
	// library), or nil when no handler of the logger asked for it.
	Caller *runtime.Frame

	extra map[string]any
	// msg shadows Entry.Message once a filter rewrote the message
	// (Python's `record.msg = ...`); msgSet says it does.
	msg    string
	msgSet bool
}

// NewRecord wraps a logrus entry that did not come through a registry (a hook
// used on a plain logrus logger). Its Name is "root" and its caller is the
// entry's own.
func NewRecord(e *logrus.Entry) *Record {
	return &Record{Entry: e, Name: "root", Level: FromLogrus(e.Level), Caller: e.Caller}
}

// Time returns the time of the log call.
func (r *Record) Time() time.Time { return r.Entry.Time }

// Message returns the logged message, as a filter may have rewritten it
// with [Record.SetMessage].
func (r *Record) Message() string {
	if r.msgSet {
		return r.msg
	}
	return r.Entry.Message
}

// SetMessage replaces the message that later filters, formatters and
// handlers see, as a Python filter does with `record.msg = ...` (a
// redaction filter, say). The logrus entry, shared with logrus's other
// hooks, is not modified.
func (r *Record) SetMessage(msg string) {
	r.msg, r.msgSet = msg, true
}

// Get returns the attribute key: one a filter set, else a logrus field.
func (r *Record) Get(key string) (any, bool) {
	if v, ok := r.extra[key]; ok {
		return v, true
	}
	v, ok := r.Entry.Data[key]
	return v, ok
}

// Set attaches an attribute to the record, as a Python filter does with
// `record.key = value`. It never modifies the logrus entry's fields.
func (r *Record) Set(key string, v any) {
	if r.extra == nil {
		r.extra = make(map[string]any, 4)
	}
	r.extra[key] = v
}

// Range calls fn for every attribute, logrus fields first, then those set by
// filters (which shadow fields of the same name), until fn returns false.
// The order within each group is unspecified.
func (r *Record) Range(fn func(key string, v any) bool) {
	for k, v := range r.Entry.Data {
		if _, shadowed := r.extra[k]; shadowed {
			continue
		}
		if !fn(k, v) {
			return
		}
	}
	for k, v := range r.extra {
		if !fn(k, v) {
			return
		}
	}
}

// Len returns the number of distinct attributes Range visits.
func (r *Record) Len() int {
	n := len(r.Entry.Data)
	for k := range r.extra {
		if _, dup := r.Entry.Data[k]; !dup {
			n++
		}
	}
	return n
}

// Err returns the error attached with logrus's WithError, or nil.
func (r *Record) Err() error {
	if v, ok := r.Get(logrus.ErrorKey); ok {
		if err, ok := v.(error); ok {
			return err
		}
	}
	return nil
}
