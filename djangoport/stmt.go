package djangoport

import "sort"

// stmt is one simple statement, or a compound statement's header with its
// body (the statements indented under it, or written after its colon).
type stmt struct {
	toks   []token
	indent int
	pos    int
	kw     string // compound keyword, "" for a simple statement
	body   []*stmt
	errTok *token // the first tokenizer error in the statement
}

var compoundKw = map[string]bool{
	"if": true, "elif": true, "else": true, "for": true, "while": true, "try": true, "except": true,
	"finally": true, "with": true, "def": true, "class": true, "async": true,
}

// lineIndex maps byte offsets to 1-based lines and columns.
type lineIndex []int

func newLineIndex(src []byte) lineIndex {
	idx := lineIndex{0}
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '\n':
			idx = append(idx, i+1)
		case '\r':
			if i+1 < len(src) && src[i+1] == '\n' {
				i++
			}
			idx = append(idx, i+1)
		}
	}
	return idx
}

func (li lineIndex) line(pos int) int {
	return sort.Search(len(li), func(i int) bool { return li[i] > pos })
}

// col is the 1-based column of pos in runes.
func (li lineIndex) col(src []byte, pos int) int {
	start := li[li.line(pos)-1]
	if pos > len(src) {
		pos = len(src)
	}
	n := 1
	for _, c := range src[start:pos] {
		if c&0xC0 != 0x80 {
			n++
		}
	}
	return n
}

// parseModule splits tokens into statements and nests them by indentation.
func parseModule(src []byte, toks []token, li lineIndex) []*stmt {
	var flat []*stmt
	var line []token
	for _, t := range toks {
		if t.kind != tNewline && t.kind != tEOF {
			line = append(line, t)
			continue
		}
		if len(line) > 0 {
			indent := line[0].pos - li[li.line(line[0].pos)-1]
			flat = append(flat, logicalLine(line, indent)...)
		}
		line = nil
	}
	var roots []*stmt
	var stack []*stmt
	for _, s := range flat {
		for len(stack) > 0 && stack[len(stack)-1].indent >= s.indent {
			stack = stack[:len(stack)-1]
		}
		if len(stack) > 0 {
			top := stack[len(stack)-1]
			top.body = append(top.body, s)
		} else {
			roots = append(roots, s)
		}
		if s.kw != "" && len(s.body) == 0 {
			stack = append(stack, s)
		}
	}
	return roots
}

// logicalLine turns one logical line into statements: a compound header
// (with what follows its colon as its body) or simple statements split at
// semicolons.
func logicalLine(line []token, indent int) []*stmt {
	if kw := headerKw(line); kw != "" {
		h := &stmt{indent: indent, pos: line[0].pos, kw: kw}
		c := colonAt(line)
		if c < 0 {
			h.toks = line
		} else {
			h.toks = line[:c+1]
			for _, s := range splitSemis(line[c+1:], indent+1) {
				h.body = append(h.body, s)
			}
		}
		h.errTok = firstErr(h.toks)
		for _, b := range h.body {
			if h.errTok == nil && b.errTok != nil {
				h.errTok = b.errTok
			}
		}
		return []*stmt{h}
	}
	return splitSemis(line, indent)
}

func headerKw(line []token) string {
	t := line[0]
	switch {
	case t.kind == tOp && t.text == "@":
		return "@"
	case t.kind != tName:
		return ""
	case compoundKw[t.text]:
		return t.text
	case (t.text == "match" || t.text == "case") && len(line) > 1:
		// Soft keywords: "match = 1" is an assignment.
		last := line[len(line)-1]
		if last.kind == tOp && last.text == ":" && !(line[1].kind == tOp && line[1].text == "=") {
			return t.text
		}
	}
	return ""
}

// colonAt returns the index of the colon ending a compound header.
func colonAt(line []token) int {
	depth := 0
	lambdas := 0
	for i, t := range line {
		if t.kind == tName && t.text == "lambda" && depth == 0 {
			lambdas++
		}
		if t.kind != tOp {
			continue
		}
		switch t.text {
		case "(", "[", "{":
			depth++
		case ")", "]", "}":
			depth--
		case ":":
			if depth == 0 {
				if lambdas > 0 {
					lambdas--
					continue
				}
				return i
			}
		}
	}
	return -1
}

func splitSemis(line []token, indent int) []*stmt {
	var out []*stmt
	depth, start := 0, 0
	flush := func(end int) {
		if end > start {
			toks := line[start:end:end]
			out = append(out, &stmt{toks: toks, indent: indent, pos: toks[0].pos, errTok: firstErr(toks)})
		}
	}
	for i, t := range line {
		if t.kind != tOp {
			continue
		}
		switch t.text {
		case "(", "[", "{":
			depth++
		case ")", "]", "}":
			depth--
		case ";":
			if depth == 0 {
				flush(i)
				start = i + 1
			}
		}
	}
	flush(len(line))
	return out
}

func firstErr(toks []token) *token {
	for i := range toks {
		if toks[i].kind == tError {
			return &toks[i]
		}
	}
	return nil
}

// mentions reports whether a statement (or its body) uses the name.
func (s *stmt) mentions(name string) bool {
	for _, t := range s.toks {
		if t.kind == tName && t.text == name {
			return true
		}
	}
	for _, b := range s.body {
		if b.mentions(name) {
			return true
		}
	}
	return false
}
