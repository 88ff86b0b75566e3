package filters

import (
	"fmt"
	"regexp"
	"strconv"

	"github.com/logdict/logging/core"
)

// Match passes records whose attribute Field equals a value or matches a
// regular expression; Invert passes the others instead. Field is looked up
// first among the record attributes Python defines, "name", "message",
// "levelname" and "levelno", then among attributes set by filters and logrus
// fields ([core.Record.Get]). A record without the field does not match.
//
// Non-string values are compared by their text: a logrus field status=404
// equals "404"; an error compares by its message.
//
// A Match is immutable and safe for concurrent use. Build it with [NewMatch]
// or [NewMatchRegexp]; the zero value matches nothing.
type Match struct {
	field  string
	equals string
	re     *regexp.Regexp
	invert bool
}

var _ core.Filter = (*Match)(nil)

// NewMatch returns a filter passing records whose field equals value (or,
// with invert, those whose field does not).
func NewMatch(field, value string, invert bool) *Match {
	return &Match{field: field, equals: value, invert: invert}
}

// NewMatchRegexp returns a filter passing records whose field matches re,
// anywhere in the text unless re is anchored (Go's MatchString, Python's
// re.search).
func NewMatchRegexp(field string, re *regexp.Regexp, invert bool) *Match {
	return &Match{field: field, re: re, invert: invert}
}

// Filter reports whether r matches, or does not when the filter is inverted.
func (f *Match) Filter(r *core.Record) bool { return f.match(r) != f.invert }

func (f *Match) match(r *core.Record) bool {
	if f.re == nil && f.field == "" {
		return false
	}
	var v any
	switch f.field {
	case "name":
		return f.test(r.Name)
	case "message", "msg":
		return f.test(r.Message())
	case "levelname":
		return f.test(r.Level.String())
	case "levelno":
		if f.re == nil {
			var buf [20]byte
			return string(strconv.AppendInt(buf[:0], int64(r.Level), 10)) == f.equals
		}
		return f.re.MatchString(strconv.Itoa(int(r.Level)))
	default:
		var ok bool
		if v, ok = r.Get(f.field); !ok {
			return false
		}
	}
	switch x := v.(type) {
	case string:
		return f.test(x)
	case error:
		return f.test(x.Error())
	case fmt.Stringer:
		return f.test(x.String())
	}
	if f.re == nil {
		// A buffer apart from the regexp case's, so that this one stays on
		// the stack: regexp.Match lets its argument escape.
		var buf [64]byte
		return string(appendValue(buf[:0], v)) == f.equals
	}
	return f.re.Match(appendValue(nil, v))
}

func (f *Match) test(s string) bool {
	if f.re != nil {
		return f.re.MatchString(s)
	}
	return s == f.equals
}

// appendValue appends the text of a scalar as Python's str() would print it
// for the types logrus fields usually hold.
func appendValue(dst []byte, v any) []byte {
	switch x := v.(type) {
	case bool:
		if x {
			return append(dst, "True"...)
		}
		return append(dst, "False"...)
	case int:
		return strconv.AppendInt(dst, int64(x), 10)
	case int64:
		return strconv.AppendInt(dst, x, 10)
	case int32:
		return strconv.AppendInt(dst, int64(x), 10)
	case uint:
		return strconv.AppendUint(dst, uint64(x), 10)
	case uint64:
		return strconv.AppendUint(dst, x, 10)
	case float64:
		return strconv.AppendFloat(dst, x, 'g', -1, 64)
	case nil:
		return append(dst, "None"...)
	}
	return fmt.Append(dst, v)
}

// MatchFactory builds a [Match] from `field` (required), exactly one of
// `equals` (a string; numbers and booleans are turned into their text) and
// `regexp` (Go RE2 syntax), and `invert` (default false).
func MatchFactory(p *core.Params, _ *core.Env) (core.Filter, error) {
	field := p.RequiredString("field")
	invert := p.Bool("invert", false)
	key := p.Alias("equals", "regexp")
	var (
		equals string
		re     *regexp.Regexp
	)
	switch v, ok := p.Raw(key); {
	case !ok || v == nil:
		p.Errorf("equals", "%w: give equals or regexp", core.ErrMissing)
	case key == "regexp":
		s, isStr := v.(string)
		if !isStr {
			p.Errorf(key, "%w: want a regular expression string, got %T", core.ErrBadValue, v)
			break
		}
		var err error
		if re, err = regexp.Compile(s); err != nil {
			p.Errorf(key, "%w: %v", core.ErrBadValue, err)
		}
	default:
		switch v.(type) {
		case string, bool, int, int64, float64:
			equals = string(appendValue(nil, v))
		default:
			p.Errorf(key, "%w: want a string, number or boolean, got %T", core.ErrBadValue, v)
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if re != nil {
		return NewMatchRegexp(field, re, invert), nil
	}
	return NewMatch(field, equals, invert), nil
}
