package djangoport

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokKind is the kind of a Python token.
type tokKind uint8

const (
	tEOF     tokKind = iota
	tNewline         // end of a logical line (never inside brackets)
	tName
	tNumber
	tString
	tOp
	tError // text is the message; the statement holding it is not parsed
)

// token is one Python token. pos and end are byte offsets into the source;
// str is set for strings.
type token struct {
	kind     tokKind
	pos, end int
	text     string
	str      *strTok
}

// strTok is a string literal: its prefix (lower case, without the quote),
// the offsets of its body between the quotes, and, for an f-string, the
// literal and replacement-field segments of the body in order.
type strTok struct {
	prefix    string
	bodyStart int
	bodyEnd   int
	segs      []fseg
}

// fseg is a segment of an f-string body: literal text (raw source, still
// escaped) when expr is false, else a replacement field whose expression is
// src[start:end], with its !conversion and :spec source.
type fseg struct {
	expr       bool
	start, end int
	conv       byte
	spec       string
	debug      bool // f"{x=}"
}

// maxNesting bounds bracket nesting, as CPython does (200), so that the
// recursive-descent parser cannot exhaust the stack.
const maxNesting = 200

// lexer turns Python source into tokens. It never fails: problems become
// tError tokens, and the statement holding one is skipped or reported.
type lexer struct {
	src      []byte
	i        int
	toks     []token
	stack    []int // offsets of open brackets
	lineToks bool  // the current logical line has tokens
}

func tokenize(src []byte) []token {
	lx := &lexer{src: src, toks: make([]token, 0, len(src)/4+1)}
	lx.run()
	return lx.toks
}

func (lx *lexer) emit(k tokKind, pos, end int, text string) {
	lx.toks = append(lx.toks, token{kind: k, pos: pos, end: end, text: text})
	lx.lineToks = true
}

func (lx *lexer) errorf(pos, end int, msg string) { lx.emit(tError, pos, end, msg) }

func (lx *lexer) newline(pos int) {
	if lx.lineToks {
		lx.toks = append(lx.toks, token{kind: tNewline, pos: pos, end: pos})
		lx.lineToks = false
	}
}

func isIdentStart(r rune) bool {
	return r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= 0x80 && unicode.IsLetter(r)
}

func isIdentChar(r rune) bool {
	return isIdentStart(r) || r >= '0' && r <= '9' || r >= 0x80 && (unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r))
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func (lx *lexer) run() {
	src := lx.src
	for lx.i < len(src) {
		c := src[lx.i]
		switch {
		case c == '\n' || c == '\r':
			if len(lx.stack) == 0 {
				lx.newline(lx.i)
			}
			lx.i++
		case c == ' ' || c == '\t' || c == '\f':
			lx.i++
		case c == '#':
			for lx.i < len(src) && src[lx.i] != '\n' && src[lx.i] != '\r' {
				lx.i++
			}
		case c == '\\':
			j := lx.i + 1
			switch {
			case j < len(src) && src[j] == '\r':
				j++
				if j < len(src) && src[j] == '\n' {
					j++
				}
				lx.i = j
			case j < len(src) && src[j] == '\n':
				lx.i = j + 1
			case j == len(src):
				lx.i = j
			default:
				lx.errorf(lx.i, lx.i+1, "unexpected character after line continuation character")
				lx.i++
			}
		case c == '"' || c == '\'':
			lx.str(lx.i, lx.i, "")
		case isDigit(c) || c == '.' && lx.i+1 < len(src) && isDigit(src[lx.i+1]):
			lx.number()
		default:
			r, n := utf8.DecodeRune(src[lx.i:])
			if isIdentStart(r) {
				lx.name()
				continue
			}
			if !lx.op() {
				lx.errorf(lx.i, lx.i+n, "invalid character "+quoteRune(r))
				lx.i += n
			}
		}
	}
	for len(lx.stack) > 0 {
		p := lx.stack[len(lx.stack)-1]
		lx.stack = lx.stack[:len(lx.stack)-1]
		lx.errorf(p, p+1, "'"+string(src[p])+"' was never closed")
	}
	lx.newline(len(src))
	lx.toks = append(lx.toks, token{kind: tEOF, pos: len(src), end: len(src)})
}

func quoteRune(r rune) string {
	if r == utf8.RuneError {
		return "(invalid UTF-8)"
	}
	return "'" + string(r) + "'"
}

func (lx *lexer) name() {
	start := lx.i
	for lx.i < len(lx.src) {
		r, n := utf8.DecodeRune(lx.src[lx.i:])
		if !isIdentChar(r) {
			break
		}
		lx.i += n
	}
	word := string(lx.src[start:lx.i])
	if lx.i < len(lx.src) && (lx.src[lx.i] == '"' || lx.src[lx.i] == '\'') && isStrPrefix(word) {
		lx.str(start, lx.i, strings.ToLower(word))
		return
	}
	lx.emit(tName, start, lx.i, word)
}

func isStrPrefix(w string) bool {
	switch strings.ToLower(w) {
	case "r", "u", "b", "f", "t", "br", "rb", "fr", "rf", "tr", "rt":
		return true
	}
	return false
}

func (lx *lexer) number() {
	src, start := lx.src, lx.i
	digits := func() {
		for lx.i < len(src) && (isDigit(src[lx.i]) || src[lx.i] == '_') {
			lx.i++
		}
	}
	if src[lx.i] == '0' && lx.i+1 < len(src) && strings.IndexByte("xXoObB", src[lx.i+1]) >= 0 {
		lx.i += 2
		for lx.i < len(src) && (isDigit(src[lx.i]) || src[lx.i] == '_' || src[lx.i]|0x20 >= 'a' && src[lx.i]|0x20 <= 'f') {
			lx.i++
		}
	} else {
		digits()
		if lx.i < len(src) && src[lx.i] == '.' {
			lx.i++
			digits()
		}
		if lx.i < len(src) && src[lx.i]|0x20 == 'e' {
			j := lx.i + 1
			if j < len(src) && (src[j] == '+' || src[j] == '-') {
				j++
			}
			if j < len(src) && isDigit(src[j]) {
				lx.i = j
				digits()
			}
		}
		if lx.i < len(src) && src[lx.i]|0x20 == 'j' {
			lx.i++
		}
	}
	lx.emit(tNumber, start, lx.i, string(src[start:lx.i]))
}

var ops3 = []string{"**=", "//=", ">>=", "<<=", "...", "!="}
var ops2 = []string{"**", "//", "==", "!=", "<=", ">=", "->", ":=", "<<", ">>", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@="}

func (lx *lexer) op() bool {
	rest := lx.src[lx.i:]
	// Only a few second characters make a multi-character operator.
	multi := len(rest) >= 2 && strings.IndexByte("=*/<>.", rest[1]) >= 0
	for _, set := range [][]string{ops3, ops2} {
		if !multi {
			break
		}
		for _, o := range set {
			if len(rest) >= len(o) && string(rest[:len(o)]) == o {
				lx.emit(tOp, lx.i, lx.i+len(o), o)
				lx.i += len(o)
				return true
			}
		}
	}
	c := rest[0]
	switch c {
	case '(', '[', '{':
		if len(lx.stack) >= maxNesting {
			lx.errorf(lx.i, lx.i+1, "too many nested parentheses")
		}
		lx.stack = append(lx.stack, lx.i)
	case ')', ']', '}':
		if len(lx.stack) == 0 {
			lx.errorf(lx.i, lx.i+1, "unmatched '"+string(c)+"'")
			lx.i++
			return true
		}
		open := lx.src[lx.stack[len(lx.stack)-1]]
		lx.stack = lx.stack[:len(lx.stack)-1]
		if closer(open) != c {
			lx.errorf(lx.i, lx.i+1, "closing parenthesis '"+string(c)+"' does not match opening parenthesis '"+string(open)+"'")
			lx.i++
			return true
		}
	case '+', '-', '*', '/', '%', '@', '&', '|', '^', '~', '<', '>', ',', ':', '.', ';', '=':
	default:
		return false
	}
	lx.emit(tOp, lx.i, lx.i+1, string(c))
	lx.i++
	return true
}

func closer(open byte) byte {
	switch open {
	case '(':
		return ')'
	case '[':
		return ']'
	}
	return '}'
}

// str scans a string literal whose prefix starts at start and whose opening
// quote is at q.
func (lx *lexer) str(start, q int, prefix string) {
	st, end, msg := scanString(lx.src, q, prefix, 0)
	lx.i = end
	if msg != "" {
		lx.errorf(start, end, msg)
		return
	}
	st.prefix = prefix
	lx.toks = append(lx.toks, token{kind: tString, pos: start, end: end, str: st})
	lx.lineToks = true
}

// scanString scans the string whose opening quote is at q and returns it
// and the offset after it, or an error message. depth counts nested
// f-strings.
func scanString(src []byte, q int, prefix string, depth int) (*strTok, int, string) {
	quote := src[q]
	triple := q+2 < len(src) && src[q+1] == quote && src[q+2] == quote
	qlen := 1
	if triple {
		qlen = 3
	}
	raw := strings.ContainsRune(prefix, 'r')
	fmt := strings.ContainsRune(prefix, 'f') || strings.ContainsRune(prefix, 't')
	st := &strTok{bodyStart: q + qlen}
	i := q + qlen
	litStart := i
	for i < len(src) {
		c := src[i]
		switch {
		case c == quote && (!triple || i+2 < len(src) && src[i+1] == quote && src[i+2] == quote):
			st.bodyEnd = i
			if fmt && i > litStart {
				st.segs = append(st.segs, fseg{start: litStart, end: i})
			}
			return st, i + qlen, ""
		case c == '\\':
			i += 2
			if i > len(src) {
				i = len(src)
			}
			continue
		case (c == '\n' || c == '\r') && !triple:
			return nil, i, "unterminated string literal"
		case fmt && c == '{':
			if i+1 < len(src) && src[i+1] == '{' {
				i += 2
				continue
			}
			if i > litStart {
				st.segs = append(st.segs, fseg{start: litStart, end: i})
			}
			seg, next, msg := scanField(src, i+1, quote, triple, raw, depth)
			if msg != "" {
				return nil, next, msg
			}
			st.segs = append(st.segs, seg)
			i, litStart = next, next
			continue
		case fmt && c == '}':
			if i+1 < len(src) && src[i+1] == '}' {
				i += 2
				continue
			}
			return nil, i + 1, "f-string: single '}' is not allowed"
		}
		i++
	}
	if triple {
		return nil, len(src), "unterminated triple-quoted string literal"
	}
	return nil, len(src), "unterminated string literal"
}

// scanField scans an f-string replacement field from just after its '{' to
// just after its '}'. Strings inside the expression may use any quote, as
// Python 3.12 allows.
func scanField(src []byte, i int, quote byte, triple, raw bool, depth int) (fseg, int, string) {
	if depth > 8 {
		return fseg{}, i, "f-string: expressions nested too deeply"
	}
	seg := fseg{expr: true, start: i}
	nest := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == '\n' || c == '\r':
			if !triple && nest == 0 {
				return seg, i, "unterminated string literal"
			}
		case c == '\'' || c == '"':
			_, end, msg := scanString(src, i, "", depth+1)
			if msg != "" {
				return seg, end, msg
			}
			i = end
			continue
		case c == '#':
			return seg, i, "f-string expression part cannot include '#'"
		case c == '(' || c == '[' || c == '{':
			nest++
		case c == ')' || c == ']':
			nest--
		case c == '}' && nest > 0:
			nest--
		case nest == 0 && (c == '}' || c == '!' && i+1 < len(src) && src[i+1] != '=' || c == ':'):
			seg.end = i
			e := strings.TrimRight(string(src[seg.start:i]), " \t")
			if strings.HasSuffix(e, "=") && !strings.HasSuffix(e, "==") && !strings.HasSuffix(e, "!=") &&
				!strings.HasSuffix(e, "<=") && !strings.HasSuffix(e, ">=") {
				seg.debug = true
			}
			if c == '!' {
				if i+1 >= len(src) {
					return seg, i + 1, "f-string: missing conversion character"
				}
				seg.conv = src[i+1]
				i += 2
				if i < len(src) && src[i] != '}' && src[i] != ':' {
					return seg, i, "f-string: invalid conversion character"
				}
				if i >= len(src) {
					return seg, i, "unterminated f-string"
				}
				c = src[i]
			}
			if c == ':' {
				specStart := i + 1
				j, msg := scanSpec(src, specStart, quote, triple, raw, depth)
				if msg != "" {
					return seg, j, msg
				}
				seg.spec = string(src[specStart:j])
				i = j
			}
			if i >= len(src) || src[i] != '}' {
				return seg, i, "f-string: expecting '}'"
			}
			if strings.TrimSpace(string(src[seg.start:seg.end])) == "" {
				return seg, i, "f-string: valid expression required before '}'"
			}
			return seg, i + 1, ""
		}
		i++
	}
	return seg, i, "unterminated f-string"
}

// scanSpec scans a format spec up to its closing '}' (not consumed); nested
// replacement fields are skipped whole.
func scanSpec(src []byte, i int, quote byte, triple, raw bool, depth int) (int, string) {
	for i < len(src) {
		switch c := src[i]; {
		case c == '}':
			return i, ""
		case c == '{':
			_, next, msg := scanField(src, i+1, quote, triple, raw, depth+1)
			if msg != "" {
				return next, msg
			}
			i = next
			continue
		case c == quote && !triple, (c == '\n' || c == '\r') && !triple:
			return i, "unterminated f-string"
		}
		i++
	}
	return i, "unterminated f-string"
}
