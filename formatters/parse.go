package formatters

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// ErrFormat is wrapped by every error about a format string; ErrStyle by
// the error about an unknown style.
var (
	ErrFormat = errors.New("invalid format")
	ErrStyle  = errors.New("Style must be one of: %,{,$") //nolint:staticcheck // Python's wording
)

// field is a parsed replacement field: the attribute name and its spec.
type field struct {
	key string
	sp  spec
}

// piece is a literal (key == "" and !isField) or a field.
type piece struct {
	lit     string
	isField bool
	f       field
}

// Python's own validation patterns (logging.PercentStyle and
// StrFormatStyle), kept verbatim so that what Python rejects we reject.
var (
	percentValidation = regexp.MustCompile(`(?i)%\(\w+\)[#0+ -]*(\*|\d+)?(\.(\*|\d+))?[diouxefgcrsa%]`)
	braceFieldSpec    = regexp.MustCompile(`^(\d+|\w+)(\.\w+|\[[^]]+\])*$`)
	braceFmtSpec      = regexp.MustCompile(`(?i)^(.?[<>=^])?[+ -]?#?0?(\d+|{\w+})?[,_]?(\.(\d+|{\w+}))?[bcdefgnosx%]?$`)
)

// pyError is an error worded exactly as Python words it, with no prefix.
type pyError struct{ msg string }

func (e *pyError) Error() string        { return e.msg }
func (e *pyError) Is(target error) bool { return target == ErrFormat }

func formatErr(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrFormat}, args...)...)
}

// pyRepr is Python's repr of a str, for error messages.
func pyRepr(s string) string { return string(appendPyQuote(nil, s, false)) }

// parse splits a format string of the given style into literals and fields.
func parse(format string, style byte, validate bool) ([]piece, error) {
	switch style {
	case '%':
		if validate && !percentValidation.MatchString(format) {
			// Python's wording, which (unlike the other styles) has no "invalid format:" prefix.
			return nil, &pyError{fmt.Sprintf("Invalid format '%s' for '%%' style", format)}
		}
		return parsePercent(format)
	case '{':
		return parseBrace(format, validate)
	case '$':
		return parseDollar(format, validate)
	}
	return nil, ErrStyle
}

type pieces struct {
	out []piece
	lit strings.Builder
}

func (p *pieces) flush() {
	if p.lit.Len() > 0 {
		p.out = append(p.out, piece{lit: p.lit.String()})
		p.lit.Reset()
	}
}

func (p *pieces) field(f field) {
	p.flush()
	p.out = append(p.out, piece{isField: true, f: f})
}

// parsePercent parses printf-style mapping formatting the way CPython's
// str % dict does: %(key)[flags][width][.precision][hlL]conversion.
func parsePercent(s string) ([]piece, error) {
	var p pieces
	for i := 0; i < len(s); {
		c := s[i]
		if c != '%' {
			p.lit.WriteByte(c)
			i++
			continue
		}
		i++
		if i == len(s) {
			return nil, formatErr("incomplete format")
		}
		if s[i] == '%' {
			p.lit.WriteByte('%')
			i++
			continue
		}
		if s[i] != '(' {
			return nil, formatErr("%%%c at index %d has no key: a record is a mapping, write %%(name)%c", s[i], i-1, s[i])
		}
		depth, j := 1, i+1
		for j < len(s) && depth > 0 {
			switch s[j] {
			case '(':
				depth++
			case ')':
				depth--
			}
			j++
		}
		if depth > 0 {
			return nil, formatErr("incomplete format key")
		}
		f := field{key: s[i+1 : j-1], sp: spec{percent: true, width: -1, prec: -1}}
		i = j
	flags:
		for ; i < len(s); i++ {
			switch s[i] {
			case '-':
				f.sp.align = '<'
			case '+':
				f.sp.sign = '+'
			case ' ':
				if f.sp.sign == 0 {
					f.sp.sign = ' '
				}
			case '#':
				f.sp.alt = true
			case '0':
				f.sp.zero = true
			default:
				break flags
			}
		}
		if i < len(s) && s[i] == '*' {
			return nil, formatErr("'*' width or precision needs positional arguments, which a record does not have")
		}
		f.sp.width, i = digits(s, i)
		if i < len(s) && s[i] == '.' {
			i++
			if i < len(s) && s[i] == '*' {
				return nil, formatErr("'*' width or precision needs positional arguments, which a record does not have")
			}
			f.sp.prec, i = digits(s, i)
			if f.sp.prec < 0 {
				f.sp.prec = 0
			}
		}
		for i < len(s) && (s[i] == 'h' || s[i] == 'l' || s[i] == 'L') {
			i++
		}
		if i == len(s) {
			return nil, formatErr("incomplete format")
		}
		switch c := s[i]; c {
		case '%':
			p.lit.WriteByte('%')
		case 'd', 'i', 'u', 'o', 'x', 'X', 'e', 'E', 'f', 'F', 'g', 'G', 'c', 'r', 's', 'a':
			f.sp.typ = c
			p.field(f)
		default:
			return nil, formatErr("unsupported format character %s (0x%x) at index %d", pyRepr(string(rune(c))), c, i)
		}
		i++
	}
	p.flush()
	return p.out, nil
}

// digits parses a decimal number at s[i:]; -1 when there is none.
func digits(s string, i int) (int, int) {
	n := -1
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		if n < 0 {
			n = 0
		}
		if n < 1<<20 {
			n = n*10 + int(s[i]-'0')
		}
	}
	return n, i
}

// parseBrace parses str.format syntax the way Python's string.Formatter
// does, then applies logging's validation when validate is set.
func parseBrace(s string, validate bool) ([]piece, error) {
	var p pieces
	nfields := 0
	// Python validates the whole format before anything else: errors of
	// our own (what Python accepts but a record cannot provide) wait.
	var compileErr error
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '}':
			if i+1 < len(s) && s[i+1] == '}' {
				p.lit.WriteByte('}')
				i += 2
				continue
			}
			return nil, formatErr("Single '}' encountered in format string")
		case c != '{':
			p.lit.WriteByte(c)
			i++
			continue
		}
		if i+1 < len(s) && s[i+1] == '{' {
			p.lit.WriteByte('{')
			i += 2
			continue
		}
		if i+1 == len(s) {
			return nil, formatErr("Single '{' encountered in format string")
		}
		// Field name: up to '!', ':' or '}', brackets skipped whole.
		j := i + 1
		for j < len(s) && s[j] != '!' && s[j] != ':' && s[j] != '}' {
			if s[j] == '[' {
				for j < len(s) && s[j] != ']' {
					j++
				}
			}
			if j < len(s) {
				j++
			}
		}
		if j >= len(s) {
			return nil, formatErr("expected '}' before end of string")
		}
		name := s[i+1 : j]
		var conv, specText string
		if s[j] == '!' {
			if j+1 >= len(s) || j+2 >= len(s) {
				return nil, formatErr("unmatched '{' in format spec")
			}
			conv = s[j+1 : j+2]
			j += 2
			if s[j] != ':' && s[j] != '}' {
				return nil, formatErr("expected ':' after conversion specifier")
			}
		}
		if s[j] == ':' {
			depth, k := 1, j+1
			for k < len(s) {
				if s[k] == '{' {
					depth++
				} else if s[k] == '}' {
					depth--
					if depth == 0 {
						break
					}
				}
				k++
			}
			if k >= len(s) {
				return nil, formatErr("unmatched '{' in format spec")
			}
			specText = s[j+1 : k]
			j = k
		}
		i = j + 1
		if validate {
			if name != "" {
				if !braceFieldSpec.MatchString(name) {
					return nil, formatErr("invalid field name/expression: %s", pyRepr(name))
				}
				nfields++
			}
			if conv != "" && !strings.Contains("rsa", conv) {
				return nil, formatErr("invalid conversion: %s", pyRepr(conv))
			}
			if specText != "" && !braceFmtSpec.MatchString(specText) {
				return nil, formatErr("bad specifier: %s", pyRepr(specText))
			}
		}
		f, err := braceField(name, conv, specText)
		if err != nil {
			if compileErr == nil {
				compileErr = err
			}
			continue
		}
		p.field(f)
	}
	if validate && nfields == 0 {
		return nil, formatErr("no fields")
	}
	if compileErr != nil {
		return nil, compileErr
	}
	p.flush()
	return p.out, nil
}

// braceField checks what Python would accept but a record cannot provide
// here (positional fields, attribute and index expressions, nested
// fields), and parses the spec.
func braceField(name, conv, specText string) (field, error) {
	switch {
	case name == "" || name[0] >= '0' && name[0] <= '9':
		return field{}, formatErr("positional field {%s}: a record has only named attributes", name)
	case strings.ContainsAny(name, ".["):
		return field{}, formatErr("field expression %s is not supported: name an attribute", pyRepr(name))
	case strings.ContainsAny(specText, "{}"):
		return field{}, formatErr("nested fields in the format spec %s are not supported", pyRepr(specText))
	}
	f := field{key: name}
	if conv != "" {
		if conv != "r" && conv != "s" && conv != "a" {
			return field{}, formatErr("Unknown conversion specifier %s", conv)
		}
		f.sp.conv = conv[0]
	}
	sp, err := parseFormatSpec(specText)
	if err != nil {
		return field{}, err
	}
	sp.conv = f.sp.conv
	f.sp = sp
	return f, nil
}

// parseFormatSpec parses the format-spec mini-language:
// [[fill]align][sign][z][#][0][width][grouping][.precision][type].
func parseFormatSpec(s string) (spec, error) {
	sp := spec{width: -1, prec: -1}
	bad := func() (spec, error) { return spec{}, formatErr("bad specifier: %s", pyRepr(s)) }
	i := 0
	isAlign := func(c byte) bool { return c == '<' || c == '>' || c == '=' || c == '^' }
	if s != "" {
		r := []rune(s[:min(len(s), 8)])
		if len(r) >= 2 && r[1] < 128 && isAlign(byte(r[1])) {
			sp.fill, sp.align = r[0], byte(r[1])
			i = len(string(r[0])) + 1
		} else if isAlign(s[0]) {
			sp.align = s[0]
			i = 1
		}
	}
	if i < len(s) && (s[i] == '+' || s[i] == '-' || s[i] == ' ') {
		sp.sign = s[i]
		i++
	}
	if i < len(s) && s[i] == 'z' {
		i++ // negative zero coercion: accepted, not applied
	}
	if i < len(s) && s[i] == '#' {
		sp.alt = true
		i++
	}
	if i < len(s) && s[i] == '0' {
		sp.zero = true
		i++
	}
	sp.width, i = digits(s, i)
	if i < len(s) && (s[i] == ',' || s[i] == '_') {
		sp.group = s[i]
		i++
	}
	if i < len(s) && s[i] == '.' {
		sp.prec, i = digits(s, i+1)
		if sp.prec < 0 {
			return bad()
		}
	}
	switch len(s) - i {
	case 0:
	case 1:
		if !strings.ContainsRune("bcdeEfFgGnosxX%", rune(s[i])) {
			return bad()
		}
		sp.typ = s[i]
	default:
		return bad()
	}
	if sp.group != 0 && (sp.typ == 's' || sp.typ == 'c') || sp.group == ',' && strings.IndexByte("boxX", sp.typ) >= 0 && sp.typ != 0 {
		return bad()
	}
	return sp, nil
}

// parseDollar parses string.Template syntax: $name, ${name} and $$.
func parseDollar(s string, validate bool) ([]piece, error) {
	var p pieces
	isStart := func(c byte) bool { return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
	isPart := func(c byte) bool { return isStart(c) || c >= '0' && c <= '9' }
	for i := 0; i < len(s); {
		if s[i] != '$' {
			p.lit.WriteByte(s[i])
			i++
			continue
		}
		switch {
		case i+1 < len(s) && s[i+1] == '$':
			p.lit.WriteByte('$')
			i += 2
			continue
		case i+1 < len(s) && isStart(s[i+1]):
			j := i + 2
			for j < len(s) && isPart(s[j]) {
				j++
			}
			p.field(field{key: s[i+1 : j], sp: spec{width: -1, prec: -1, typ: 's'}})
			i = j
			continue
		case i+2 < len(s) && s[i+1] == '{' && isStart(s[i+2]):
			j := i + 3
			for j < len(s) && isPart(s[j]) {
				j++
			}
			if j < len(s) && s[j] == '}' {
				p.field(field{key: s[i+2 : j], sp: spec{width: -1, prec: -1, typ: 's'}})
				i = j + 1
				continue
			}
		}
		if validate {
			return nil, formatErr("bare '$' not allowed")
		}
		line, col := 1, i+1
		if k := strings.LastIndexByte(s[:i], '\n'); k >= 0 {
			line, col = strings.Count(s[:i], "\n")+1, i-k
		}
		return nil, formatErr("Invalid placeholder in string: line %d, col %d", line, col)
	}
	p.flush()
	if validate {
		n := 0
		for _, pc := range p.out {
			if pc.isField {
				n++
			}
		}
		if n == 0 {
			return nil, formatErr("no fields")
		}
	}
	return p.out, nil
}
