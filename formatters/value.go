package formatters

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// kind is the Python type a value renders as.
type kind uint8

const (
	kNone  kind = iota // Python None (nil, a missing value)
	kStr               // str
	kInt               // int (negative or small)
	kUint              // int too large for int64
	kFloat             // float
	kBool              // bool (an int subclass, as in Python)
	kAny               // anything else: str() is fmt's %v, or Error()/String()
)

// val is a value to format, held unboxed so that built-in attributes (ints,
// floats, strings) are formatted without an allocation.
type val struct {
	k kind
	s string
	i int64
	u uint64
	f float64
	a any
}

func strVal(s string) val    { return val{k: kStr, s: s} }
func intVal(i int64) val     { return val{k: kInt, i: i} }
func floatVal(f float64) val { return val{k: kFloat, f: f} }
func noneVal() val           { return val{k: kNone} }
func boolVal(b bool) val     { v := val{k: kBool}; v.i = b2i(b); return v }
func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// anyVal classifies a field value (a logrus field, a filter attribute or a
// default) by the Python type it stands for.
func anyVal(x any) val {
	switch v := x.(type) {
	case nil:
		return noneVal()
	case string:
		return strVal(v)
	case int:
		return intVal(int64(v))
	case int64:
		return intVal(v)
	case int32:
		return intVal(int64(v))
	case int16:
		return intVal(int64(v))
	case int8:
		return intVal(int64(v))
	case uint:
		return uintVal(uint64(v))
	case uint64:
		return uintVal(v)
	case uint32:
		return intVal(int64(v))
	case uint16:
		return intVal(int64(v))
	case uint8:
		return intVal(int64(v))
	case float64:
		return floatVal(v)
	case float32:
		return floatVal(float64(v))
	case bool:
		return boolVal(v)
	case []byte:
		return strVal(string(v))
	}
	return val{k: kAny, a: x}
}

func uintVal(u uint64) val {
	if u <= math.MaxInt64 {
		return intVal(int64(u))
	}
	return val{k: kUint, u: u}
}

// appendStr appends Python's str(v).
func appendStr(dst []byte, v val) []byte {
	switch v.k {
	case kNone:
		return append(dst, "None"...)
	case kStr:
		return append(dst, v.s...)
	case kInt:
		return strconv.AppendInt(dst, v.i, 10)
	case kUint:
		return strconv.AppendUint(dst, v.u, 10)
	case kFloat:
		return appendPyFloat(dst, v.f)
	case kBool:
		if v.i != 0 {
			return append(dst, "True"...)
		}
		return append(dst, "False"...)
	}
	switch x := v.a.(type) {
	case error:
		return append(dst, x.Error()...)
	case fmt.Stringer:
		return append(dst, x.String()...)
	}
	return fmt.Append(dst, v.a)
}

// appendRepr appends Python's repr(v) (ascii(v) when ascii is set). Only
// strings differ from str(): they are quoted and escaped as Python does.
// Other Go values have no Python repr; their str() is used.
func appendRepr(dst []byte, v val, ascii bool) []byte {
	switch v.k {
	case kStr:
		return appendPyQuote(dst, v.s, ascii)
	case kAny:
		if ascii {
			var tmp []byte
			tmp = appendStr(tmp, v)
			return appendASCII(dst, string(tmp))
		}
	}
	return appendStr(dst, v)
}

// appendPyQuote appends s quoted as Python's repr quotes a str: single
// quotes unless s holds a single quote and no double quote.
func appendPyQuote(dst []byte, s string, ascii bool) []byte {
	q := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		q = '"'
	}
	dst = append(dst, q)
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == q || c == '\\':
				dst = append(dst, '\\', c)
			case c == '\n':
				dst = append(dst, '\\', 'n')
			case c == '\r':
				dst = append(dst, '\\', 'r')
			case c == '\t':
				dst = append(dst, '\\', 't')
			case c < 0x20 || c == 0x7f:
				dst = appendHexEscape(dst, 'x', uint32(c), 2)
			default:
				dst = append(dst, c)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			// Python strings cannot hold invalid UTF-8; show the byte.
			dst = appendHexEscape(dst, 'x', uint32(s[i]), 2)
		case ascii || !unicode.IsPrint(r):
			dst = appendRuneEscape(dst, r)
		default:
			dst = append(dst, s[i:i+n]...)
		}
		i += n
	}
	return append(dst, q)
}

// appendASCII escapes the non-ASCII runes of s as Python's ascii() does.
func appendASCII(dst []byte, s string) []byte {
	for _, r := range s {
		if r < utf8.RuneSelf {
			dst = append(dst, byte(r))
		} else {
			dst = appendRuneEscape(dst, r)
		}
	}
	return dst
}

func appendRuneEscape(dst []byte, r rune) []byte {
	switch {
	case r < 0x100:
		return appendHexEscape(dst, 'x', uint32(r), 2)
	case r < 0x10000:
		return appendHexEscape(dst, 'u', uint32(r), 4)
	}
	return appendHexEscape(dst, 'U', uint32(r), 8)
}

func appendHexEscape(dst []byte, c byte, v uint32, n int) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '\\', c)
	for i := n - 1; i >= 0; i-- {
		dst = append(dst, hex[(v>>(4*uint(i)))&0xf])
	}
	return dst
}

// appendPyFloat appends Python's repr of a float: the shortest digits that
// round-trip, in fixed notation for exponents -4..15 (always with a
// fractional part, "678.0"), else in exponent notation ("1e+16").
func appendPyFloat(dst []byte, f float64) []byte {
	switch {
	case math.IsInf(f, 1):
		return append(dst, "inf"...)
	case math.IsInf(f, -1):
		return append(dst, "-inf"...)
	case math.IsNaN(f):
		return append(dst, "nan"...)
	}
	x := decExp(f, -1)
	if x < -4 || x >= 16 {
		return strconv.AppendFloat(dst, f, 'e', -1, 64)
	}
	start := len(dst)
	dst = strconv.AppendFloat(dst, f, 'f', -1, 64)
	for _, c := range dst[start:] {
		if c == '.' {
			return dst
		}
	}
	return append(dst, '.', '0')
}

// decExp returns the decimal exponent of f once rounded to prec significant
// digits minus one (prec -1: shortest), as %e would print it.
func decExp(f float64, prec int) int {
	if f == 0 {
		return 0
	}
	var buf [32]byte
	b := strconv.AppendFloat(buf[:0], f, 'e', prec, 64)
	i := len(b) - 1
	for i > 0 && b[i] != 'e' {
		i--
	}
	neg, x := false, 0
	for _, c := range b[i+1:] {
		switch {
		case c == '-':
			neg = true
		case c >= '0' && c <= '9':
			x = x*10 + int(c-'0')
		}
	}
	if neg {
		return -x
	}
	return x
}

// toNumber converts v for a numeric conversion. Strings that hold a number
// are accepted (Python would raise); ok is false for values that are not
// numbers at all.
func toNumber(v val) (val, bool) {
	switch v.k {
	case kInt, kUint, kFloat:
		return v, true
	case kBool:
		return intVal(v.i), true
	case kStr:
		s := strings.TrimSpace(v.s)
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return intVal(i), true
		}
		if u, err := strconv.ParseUint(s, 10, 64); err == nil {
			return uintVal(u), true
		}
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return floatVal(f), true
		}
	}
	return v, false
}
