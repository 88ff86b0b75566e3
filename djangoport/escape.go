package djangoport

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// unescape decodes the escapes of a Python str literal body. It returns a
// message when the body holds something a TOML string cannot carry or the
// converter does not model (\N{...}, lone surrogates).
func unescape(body string) (string, string) {
	if !strings.Contains(body, "\\") {
		return normNewlines(body), ""
	}
	var b strings.Builder
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c != '\\' || i+1 >= len(body) {
			if c == '\r' {
				b.WriteByte('\n')
				if i+1 < len(body) && body[i+1] == '\n' {
					i++
				}
				continue
			}
			b.WriteByte(c)
			continue
		}
		i++
		e := body[i]
		switch e {
		case '\n':
		case '\r':
			if i+1 < len(body) && body[i+1] == '\n' {
				i++
			}
		case '\\', '\'', '"':
			b.WriteByte(e)
		case 'a':
			b.WriteByte('\a')
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'v':
			b.WriteByte('\v')
		case '0', '1', '2', '3', '4', '5', '6', '7':
			j := i
			for j < len(body) && j < i+3 && body[j] >= '0' && body[j] <= '7' {
				j++
			}
			n, _ := strconv.ParseUint(body[i:j], 8, 32)
			b.WriteRune(rune(n))
			i = j - 1
		case 'x', 'u', 'U':
			width := map[byte]int{'x': 2, 'u': 4, 'U': 8}[e]
			if i+1+width > len(body) {
				return "", "truncated \\" + string(e) + " escape"
			}
			n, err := strconv.ParseUint(body[i+1:i+1+width], 16, 32)
			if err != nil {
				return "", "truncated \\" + string(e) + " escape"
			}
			r := rune(n)
			if r > utf8.MaxRune || r >= 0xD800 && r <= 0xDFFF {
				return "", "a \\" + string(e) + " escape that is not a Unicode character"
			}
			b.WriteRune(r)
			i += width
		case 'N':
			return "", "a \\N{...} escape (write the character itself)"
		default:
			// Python keeps an unknown escape as written (with a warning).
			b.WriteByte('\\')
			b.WriteByte(e)
		}
	}
	return b.String(), ""
}

// normNewlines turns the \r\n and \r line ends inside a literal into \n, as
// Python's reader does.
func normNewlines(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n")
}

// unbrace turns the {{ and }} of an f-string literal segment into { and }.
func unbrace(s string) string {
	if !strings.Contains(s, "{{") && !strings.Contains(s, "}}") {
		return s
	}
	s = strings.ReplaceAll(s, "{{", "{")
	return strings.ReplaceAll(s, "}}", "}")
}
