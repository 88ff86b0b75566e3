package formatters

import (
	"encoding"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"
	"unicode/utf8"
)

// appendJSONString appends s as a JSON string: quotes, backslashes and
// control characters escaped, invalid UTF-8 replaced by U+FFFD, and U+2028
// and U+2029 escaped so the line is also valid JavaScript. HTML characters
// are kept as they are (logs are not HTML).
func appendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i++
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// appendJSONValue appends a value: strings, numbers, booleans and nil by
// hand; errors as their text; anything else through encoding/json (its
// text with fmt's %v when it cannot be encoded).
func appendJSONValue(dst []byte, v val) []byte {
	switch v.k {
	case kNone:
		return append(dst, "null"...)
	case kStr:
		return appendJSONString(dst, v.s)
	case kInt:
		return strconv.AppendInt(dst, v.i, 10)
	case kUint:
		return strconv.AppendUint(dst, v.u, 10)
	case kBool:
		return strconv.AppendBool(dst, v.i != 0)
	case kFloat:
		if math.IsInf(v.f, 0) || math.IsNaN(v.f) {
			// JSON has no infinities: a string keeps the line parseable.
			return appendJSONString(dst, string(appendPyFloat(nil, v.f)))
		}
		return appendPyFloat(dst, v.f)
	}
	switch x := v.a.(type) {
	case error:
		if _, ok := x.(json.Marshaler); !ok {
			return appendJSONString(dst, x.Error())
		}
	case time.Time:
		dst = append(dst, '"')
		dst = x.AppendFormat(dst, time.RFC3339Nano)
		return append(dst, '"')
	case json.RawMessage:
		if json.Valid(x) {
			return append(dst, x...)
		}
	}
	if b, err := json.Marshal(v.a); err == nil {
		return append(dst, b...)
	}
	if t, ok := v.a.(encoding.TextMarshaler); ok {
		if b, err := t.MarshalText(); err == nil {
			return appendJSONString(dst, string(b))
		}
	}
	return appendJSONString(dst, fmt.Sprint(v.a))
}
