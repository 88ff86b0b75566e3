package formatters

import (
	"fmt"
	"io"
	"os"
	"sync/atomic"
	"time"

	"github.com/logdict/logging/core"
)

// Options configure a [Python] formatter. The zero value is Python's
// logging.Formatter(): the message alone, %-style, validated, local time.
type Options struct {
	// Format is the format string; "" is the style's default, the message
	// alone ("%(message)s", "{message}", "${message}").
	Format string
	// DateFormat is the strftime format of asctime; "" is Python's
	// "%Y-%m-%d %H:%M:%S,mmm" (DefaultTimeFormat plus milliseconds).
	DateFormat string
	// Style is "%" (the default when ""), "{" or "$".
	Style string
	// SkipValidation turns off Python's validation of the format (the
	// validate=False of logging.Formatter). Formats that cannot be compiled
	// are still rejected: Python would fail on every record instead.
	SkipValidation bool
	// Defaults give values to fields that a record lacks (Python 3.12's
	// defaults). The map is read once, by NewPython.
	Defaults map[string]any
	// Location is the time zone of asctime; nil is time.Local (Python's
	// time.localtime converter).
	Location *time.Location
	// DefaultTimeFormat replaces "%Y-%m-%d %H:%M:%S" when DateFormat is ""
	// (Python's Formatter.default_time_format); ",mmm" is still appended.
	DefaultTimeFormat string
	// OnError receives the formatter's problems (a missing field, a value
	// that does not fit its conversion), each reported once per field of
	// the format. Nil writes them to os.Stderr.
	OnError func(error)
	// Name names the formatter in those reports.
	Name string

	server bool // Django's ServerFormatter: fill server_time
}

// Python is Python's logging.Formatter: a %-, {- or $-style format string
// over the record's attributes (name, levelname, asctime, lineno...) and its
// fields (logrus fields and attributes set by filters, such as %(env)s).
//
// The format is compiled once; Format then appends each literal and field
// straight into dst, so the common attributes cost no allocation. A Python
// is safe for concurrent use and immutable once built; use [NewPython].
//
// Formatting never fails. A field the record lacks renders from the
// defaults, else as empty, and is reported once per field of the format;
// Python would instead drop the line and print "--- Logging error ---".
// Attributes are resolved before fields: a logrus field named "name" does
// not replace the logger's name. Fields are printed only where the format
// names them, as in Python (see [JSON] for all of them).
//
// An error attached with logrus's WithError is appended after the line on
// a new line, as Python appends a traceback, unless the format prints it
// itself through %(error)s, %(exc_text)s or %(exc_info)s.
type Python struct {
	ops        []op
	date       *strftime
	msecs      bool // append ",mmm" to asctime (no datefmt given)
	loc        *time.Location
	cache      secondCache
	usesCaller bool
	namesError bool
	server     bool
	onError    func(error)
	name       string

	proc
}

// op is one compiled piece of the format.
type op struct {
	lit      string
	attr     attr
	key      string
	sp       spec
	text     bool // a str attribute formatted as a str: append, cut, pad
	def      val
	hasDef   bool
	reported atomic.Bool
}

var (
	_ core.Formatter  = (*Python)(nil)
	_ core.CallerUser = (*Python)(nil)
)

// NewPython compiles a formatter. Errors wrap [ErrFormat] or [ErrStyle]
// and use Python's wording ("Invalid format '%(message)' for '%' style",
// "invalid format: no fields").
func NewPython(o Options) (*Python, error) {
	style := byte('%')
	switch o.Style {
	case "", "%":
	case "{", "$":
		style = o.Style[0]
	default:
		return nil, ErrStyle
	}
	format := o.Format
	if format == "" {
		format = map[byte]string{'%': "%(message)s", '{': "{message}", '$': "${message}"}[style]
	}
	pieces, err := parse(format, style, !o.SkipValidation)
	if err != nil {
		return nil, err
	}
	f := &Python{
		loc:     o.Location,
		server:  o.server,
		onError: o.OnError,
		name:    o.Name,
		proc:    newProc(),
	}
	if f.loc == nil {
		f.loc = time.Local
	}
	if f.onError == nil {
		f.onError = stderrReporter(os.Stderr)
	}
	if o.DateFormat != "" {
		f.date = compileStrftime(o.DateFormat)
	} else {
		dt := o.DefaultTimeFormat
		if dt == "" {
			dt = "%Y-%m-%d %H:%M:%S"
		}
		f.date, f.msecs = compileStrftime(dt), true
	}
	f.ops = make([]op, len(pieces))
	for i, pc := range pieces {
		o2 := &f.ops[i]
		if !pc.isField {
			o2.lit = pc.lit
			continue
		}
		o2.key, o2.sp = pc.f.key, pc.f.sp
		o2.attr = attrField
		if a, ok := builtinAttrs[o2.key]; ok {
			o2.attr = a
		} else if o.server && o2.key == "server_time" {
			o2.attr = attrServerTime
		}
		strMode := o2.sp.conv == 0 && (o2.sp.typ == 's' || !o2.sp.percent && o2.sp.typ == 0)
		o2.text = strMode && (o2.attr.isText() || o2.attr == attrServerTime)
		if d, ok := o.Defaults[o2.key]; ok {
			o2.def, o2.hasDef = anyVal(d), true
		}
		switch {
		case o2.attr.usesCaller():
			f.usesCaller = true
		case o2.attr == attrExcText || o2.key == "error":
			f.namesError = true
		}
	}
	return f, nil
}

// stderrReporter writes each report on its own line.
func stderrReporter(w io.Writer) func(error) {
	return func(err error) { fmt.Fprintf(w, "logdict: %v\n", err) }
}

// UsesCaller reports whether the format prints the call site (pathname,
// filename, module, funcName or lineno), which costs a stack walk.
func (f *Python) UsesCaller() bool { return f.usesCaller }

// Format appends the formatted record to dst.
func (f *Python) Format(dst []byte, r *core.Record) []byte {
	start := len(dst)
	for i := range f.ops {
		o := &f.ops[i]
		if o.attr == attrLit {
			dst = append(dst, o.lit...)
			continue
		}
		dst = f.field(dst, o, r)
	}
	if !f.namesError {
		if err := r.Err(); err != nil {
			if msg := err.Error(); msg != "" {
				if len(dst) == start || dst[len(dst)-1] != '\n' {
					dst = append(dst, '\n')
				}
				dst = append(dst, msg...)
			}
		}
	}
	return dst
}

func (f *Python) field(dst []byte, o *op, r *core.Record) []byte {
	if o.text {
		if o.attr != attrServerTime || !hasKey(r, "server_time") {
			start := len(dst)
			dst = f.appendText(dst, o.attr, r)
			if o.sp.prec >= 0 {
				dst = cutRunes(dst, start, o.sp.prec)
			}
			return padString(dst, start, &o.sp)
		}
	}
	v, found := f.value(o, r)
	if !found {
		f.report(o, fmt.Errorf("Formatting field not found in record: %s", pyRepr(o.key)))
		return strField(dst, strVal(""), &o.sp, 's')
	}
	dst, ok := render(dst, v, &o.sp)
	if !ok {
		f.report(o, fmt.Errorf("field %s: cannot format %s with %s", pyRepr(o.key), pyRepr(string(appendStr(nil, v))), specName(&o.sp)))
	}
	return dst
}

func hasKey(r *core.Record, key string) bool {
	_, ok := r.Get(key)
	return ok
}

func specName(sp *spec) string {
	if sp.percent {
		return "%" + string(sp.typ)
	}
	return "format code " + pyRepr(string(sp.typ))
}

// appendText appends a str attribute.
func (f *Python) appendText(dst []byte, a attr, r *core.Record) []byte {
	if a == attrAsctime || a == attrServerTime {
		return f.appendAsctime(dst, r.Entry.Time)
	}
	return append(dst, f.proc.text(a, r)...)
}

// value returns an attribute or field as a value; found is false for a
// field neither the record nor the defaults have.
func (f *Python) value(o *op, r *core.Record) (val, bool) {
	if v, ok := f.proc.value(o.attr, r); ok {
		return v, true
	}
	switch o.attr {
	case attrField, attrServerTime:
		if x, ok := r.Get(o.key); ok {
			return anyVal(x), true
		}
		if o.attr == attrServerTime {
			// Django sets server_time before formatting: defaults never apply.
			return strVal(string(f.appendAsctime(nil, r.Entry.Time))), true
		}
		if o.hasDef {
			return o.def, true
		}
		return val{}, false
	}
	// A str attribute under a conversion such as %(name)r.
	if o.attr == attrAsctime {
		return strVal(string(f.appendAsctime(nil, r.Entry.Time))), true
	}
	return strVal(f.proc.text(o.attr, r)), true
}

// appendAsctime is Python's formatTime: datefmt through strftime, or the
// default time format and ",mmm".
func (f *Python) appendAsctime(dst []byte, t time.Time) []byte {
	dst = f.cache.appendTime(dst, t, f.loc, f.date)
	if f.msecs {
		ms := t.Nanosecond() / 1e6
		dst = append(dst, ',', byte('0'+ms/100), byte('0'+ms/10%10), byte('0'+ms%10))
	}
	return dst
}

// report sends a problem with one field of the format to OnError, once.
func (f *Python) report(o *op, err error) {
	if o.reported.Load() || o.reported.Swap(true) {
		return
	}
	if f.name != "" {
		err = fmt.Errorf("formatter %q: %w (printed as best it could; reported once)", f.name, err)
	} else {
		err = fmt.Errorf("formatter: %w (printed as best it could; reported once)", err)
	}
	f.onError(err)
}
