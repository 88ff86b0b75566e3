package formatters

import (
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/logdict/logging/core"
)

// JSONOptions configure a [JSON] formatter. The zero value gives
// {"time":...,"level":...,"logger":...,"message":...} plus every field.
type JSONOptions struct {
	// Fields are the record attributes written first, in this order: any
	// LogRecord attribute (asctime, levelname, name, message, lineno,
	// pathname...) or field name. Nil is asctime, levelname, name, message.
	Fields []string
	// Rename maps an attribute to its JSON key. asctime is "time",
	// levelname "level" and name "logger" unless renamed here; other
	// attributes keep their name.
	Rename map[string]string
	// DateFormat is the strftime format of asctime; "" is RFC 3339 with
	// milliseconds ("2024-01-02T03:04:05.678Z").
	DateFormat string
	// Location is the time zone of asctime; nil is time.Local.
	Location *time.Location
	// OmitFields leaves out the record's other fields (logrus fields and
	// filter attributes), which are written after Fields by default.
	OmitFields bool
}

// JSON writes one JSON object per record: the configured attributes, then
// every other field of the record sorted by key, with an attached error
// under "error" as its text. A field whose key collides with an attribute's
// key is written as "fields.<key>", as logrus's JSONFormatter does.
//
// Strings, numbers and booleans are encoded by hand; other values go
// through encoding/json. A JSON is safe for concurrent use and immutable;
// use [NewJSON].
type JSON struct {
	cols       []jsonCol
	date       *strftime
	loc        *time.Location
	cache      secondCache
	omitFields bool
	usesCaller bool
	fieldCols  map[string]bool // fields written as columns: not repeated
	outKeys    map[string]bool // JSON keys of the columns
	proc
}

type jsonCol struct {
	key  string // JSON key, already quoted and followed by ':'
	attr attr
	name string
}

var (
	_ core.Formatter  = (*JSON)(nil)
	_ core.CallerUser = (*JSON)(nil)
)

var defaultJSONKeys = map[string]string{"asctime": "time", "levelname": "level", "name": "logger"}

// NewJSON builds a JSON formatter. It fails on an empty attribute name or
// two attributes with the same JSON key.
func NewJSON(o JSONOptions) (*JSON, error) {
	fields := o.Fields
	if fields == nil {
		fields = []string{"asctime", "levelname", "name", "message"}
	}
	j := &JSON{loc: o.Location, omitFields: o.OmitFields, proc: newProc(),
		fieldCols: map[string]bool{}, outKeys: map[string]bool{}}
	if j.loc == nil {
		j.loc = time.Local
	}
	if o.DateFormat != "" {
		j.date = compileStrftime(o.DateFormat)
	}
	keys := map[string]string{}
	for _, name := range fields {
		if name == "" {
			return nil, fmt.Errorf("%w: empty attribute name", ErrFormat)
		}
		key, ok := o.Rename[name]
		if !ok {
			if key, ok = defaultJSONKeys[name]; !ok {
				key = name
			}
		}
		if prev, dup := keys[key]; dup {
			return nil, fmt.Errorf("%w: %q and %q both write the key %q", ErrFormat, prev, name, key)
		}
		keys[key] = name
		a, ok := builtinAttrs[name]
		if !ok {
			a = attrField
		}
		j.usesCaller = j.usesCaller || a.usesCaller()
		j.cols = append(j.cols, jsonCol{key: string(appendJSONString(nil, key)) + ":", attr: a, name: name})
		j.outKeys[key] = true
		if a == attrField {
			j.fieldCols[name] = true
		}
	}
	return j, nil
}

// UsesCaller reports whether a configured attribute is a call-site one.
func (j *JSON) UsesCaller() bool { return j.usesCaller }

var keyPool = sync.Pool{New: func() any { s := make([]string, 0, 16); return &s }}

// Format appends the record as one JSON object, without a newline.
func (j *JSON) Format(dst []byte, r *core.Record) []byte {
	dst = append(dst, '{')
	first := true
	for i := range j.cols {
		c := &j.cols[i]
		if c.attr == attrField {
			x, ok := r.Get(c.name)
			if !ok {
				continue
			}
			dst = j.sep(dst, &first)
			dst = append(dst, c.key...)
			dst = appendJSONValue(dst, anyVal(x))
			continue
		}
		dst = j.sep(dst, &first)
		dst = append(dst, c.key...)
		dst = j.appendAttr(dst, c.attr, r)
	}
	if !j.omitFields && r.Len() > 0 {
		kp := keyPool.Get().(*[]string)
		keys := (*kp)[:0]
		r.Range(func(k string, _ any) bool {
			keys = append(keys, k)
			return true
		})
		slices.Sort(keys)
		for _, k := range keys {
			if j.fieldCols[k] {
				continue // written above
			}
			x, _ := r.Get(k)
			dst = j.sep(dst, &first)
			if j.outKeys[k] {
				dst = appendJSONString(dst, "fields."+k)
			} else {
				dst = appendJSONString(dst, k)
			}
			dst = append(dst, ':')
			dst = appendJSONValue(dst, anyVal(x))
		}
		clear(keys)
		*kp = keys[:0]
		keyPool.Put(kp)
	}
	return append(dst, '}')
}

func (j *JSON) sep(dst []byte, first *bool) []byte {
	if *first {
		*first = false
		return dst
	}
	return append(dst, ',')
}

func (j *JSON) appendAttr(dst []byte, a attr, r *core.Record) []byte {
	if a == attrAsctime {
		dst = append(dst, '"')
		t := r.Entry.Time
		if j.date != nil {
			dst = j.cache.appendTime(dst, t, j.loc, j.date)
		} else {
			dst = t.In(j.loc).AppendFormat(dst, "2006-01-02T15:04:05.000Z07:00")
		}
		return append(dst, '"')
	}
	if v, ok := j.proc.value(a, r); ok {
		return appendJSONValue(dst, v)
	}
	return appendJSONString(dst, j.proc.text(a, r))
}

// JSONFactory builds a [JSON] formatter from its configuration section.
// Keys: fields (list of attribute names), rename (table attribute -> key),
// datefmt, utc / converter, omit_fields (bool).
func JSONFactory(p *core.Params, env *core.Env) (core.Formatter, error) {
	o := JSONOptions{
		Fields:     p.StringList("fields"),
		Rename:     p.StringMap("rename"),
		DateFormat: p.String("datefmt", ""),
		OmitFields: p.Bool("omit_fields", false),
	}
	o.Location = location(p)
	j, err := NewJSON(o)
	if err != nil {
		p.Fail("fields", err)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return j, nil
}
