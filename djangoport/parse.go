package djangoport

import "strings"

// parser is a recursive-descent parser for the Python expressions found in
// settings files. Syntax it does not model (lambda, comprehensions, slices,
// await, ...) inside a list, dict or call becomes an nOpaque node covering
// that element, so one odd value never hides the rest of a dict.
type parser struct {
	src   []byte
	toks  []token // ends with a tEOF token
	p     int
	depth int
}

// syntaxErr is raised (panicked) inside the parser and recovered at the
// nearest element or statement boundary.
type syntaxErr struct {
	pos int
	msg string
}

// maxDepth bounds recursion for chains that do not nest brackets
// ("- - - - 1", "not not not x").
const maxDepth = 400

func newParser(src []byte, toks []token) *parser {
	if len(toks) == 0 || toks[len(toks)-1].kind != tEOF {
		end := len(src)
		if len(toks) > 0 {
			end = toks[len(toks)-1].end
		}
		toks = append(toks[:len(toks):len(toks)], token{kind: tEOF, pos: end, end: end})
	}
	return &parser{src: src, toks: toks}
}

func (p *parser) peek() token { return p.toks[p.p] }

func (p *parser) next() token {
	t := p.toks[p.p]
	if t.kind != tEOF {
		p.p++
	}
	return t
}

func (p *parser) fail(pos int, msg string) { panic(syntaxErr{pos: pos, msg: msg}) }

func (p *parser) isOp(s string) bool {
	t := p.peek()
	return t.kind == tOp && t.text == s
}

func (p *parser) isName(s string) bool {
	t := p.peek()
	return t.kind == tName && t.text == s
}

func (p *parser) expectOp(s string) token {
	t := p.peek()
	if t.kind != tOp || t.text != s {
		p.fail(t.pos, "expected '"+s+"'"+describe(t))
	}
	return p.next()
}

func describe(t token) string {
	switch t.kind {
	case tEOF, tNewline:
		return " at the end of the statement"
	case tString:
		return ", found a string"
	case tError:
		return ": " + t.text
	}
	return ", found '" + t.text + "'"
}

func (p *parser) prevEnd() int {
	if p.p == 0 {
		return p.toks[0].pos
	}
	return p.toks[p.p-1].end
}

func (p *parser) mk(kind nkind, pos int) *node {
	return &node{kind: kind, pos: pos, end: p.prevEnd()}
}

// protect parses with fn; on a syntax error it rewinds, skips to the next
// element boundary (a ',' or a closing bracket outside brackets; also ':'
// when stopColon) and returns an nOpaque node for what it skipped.
func (p *parser) protect(stopColon bool, fn func() *node) (n *node) {
	start, depth := p.p, p.depth
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		se, ok := r.(syntaxErr)
		if !ok {
			panic(r)
		}
		p.p, p.depth = start, depth
		pos := p.peek().pos
		p.skipElement(stopColon)
		if p.p == start {
			panic(se) // nothing to skip: the enclosing construct is broken
		}
		n = &node{kind: nOpaque, pos: pos, end: p.prevEnd(), why: se.msg}
	}()
	return fn()
}

func (p *parser) skipElement(stopColon bool) {
	depth := 0
	for {
		t := p.peek()
		switch {
		case t.kind == tEOF || t.kind == tNewline:
			return
		case t.kind == tOp && (t.text == "(" || t.text == "[" || t.text == "{"):
			depth++
		case t.kind == tOp && (t.text == ")" || t.text == "]" || t.text == "}"):
			if depth == 0 {
				return
			}
			depth--
		case depth == 0 && t.kind == tOp && (t.text == "," || stopColon && t.text == ":"):
			return
		}
		p.next()
	}
}

// noComprehension fails on the "for" of a comprehension, so that the
// whole display (not one element of it) is what cannot be read.
func (p *parser) noComprehension() {
	if p.isName("for") || p.isName("async") {
		p.fail(p.peek().pos, "comprehensions are not supported")
	}
}

// exprList parses an expression or a bare tuple (a, b).
func (p *parser) exprList() *node {
	pos := p.peek().pos
	first := p.starExpr()
	if !p.isOp(",") {
		return first
	}
	t := &node{kind: nTuple, kids: []*node{first}}
	for p.isOp(",") {
		p.next()
		if p.atExprEnd() {
			break
		}
		t.kids = append(t.kids, p.starExpr())
	}
	t.pos, t.end = pos, p.prevEnd()
	return t
}

func (p *parser) atExprEnd() bool {
	t := p.peek()
	if t.kind == tEOF || t.kind == tNewline {
		return true
	}
	return t.kind == tOp && strings.Contains(" ) ] } = : ; += -= *= /= //= %= **= |= &= ^= >>= <<= @= ", " "+t.text+" ")
}

func (p *parser) starExpr() *node {
	if p.isOp("*") {
		pos := p.next().pos
		x := p.orExpr()
		n := p.mk(nStar, pos)
		n.kids = []*node{x}
		return n
	}
	return p.expr()
}

// expr is Python's "test": a conditional expression.
func (p *parser) expr() *node {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxDepth {
		p.fail(p.peek().pos, "expression nested too deeply")
	}
	t := p.peek()
	if t.kind == tName && (t.text == "lambda" || t.text == "yield" || t.text == "await") {
		p.fail(t.pos, t.text+" is not supported")
	}
	body := p.orExpr()
	if p.isOp(":=") {
		p.fail(p.peek().pos, "assignment expressions are not supported")
	}
	if !p.isName("if") {
		return body
	}
	p.next()
	cond := p.orExpr()
	if !p.isName("else") {
		p.fail(p.peek().pos, "expected 'else'"+describe(p.peek()))
	}
	p.next()
	orelse := p.expr()
	n := p.mk(nIf, body.pos)
	n.kids = []*node{body, cond, orelse}
	return n
}

func (p *parser) orExpr() *node  { return p.boolOp("or", p.andExpr) }
func (p *parser) andExpr() *node { return p.boolOp("and", p.notExpr) }

func (p *parser) boolOp(op string, sub func() *node) *node {
	first := sub()
	if !p.isName(op) {
		return first
	}
	n := &node{kind: nBool, name: op, kids: []*node{first}}
	for p.isName(op) {
		p.next()
		n.kids = append(n.kids, sub())
	}
	n.pos, n.end = first.pos, p.prevEnd()
	return n
}

func (p *parser) notExpr() *node {
	if p.isName("not") {
		pos := p.next().pos
		p.depth++
		defer func() { p.depth-- }()
		if p.depth > maxDepth {
			p.fail(pos, "expression nested too deeply")
		}
		x := p.notExpr()
		n := p.mk(nNot, pos)
		n.kids = []*node{x}
		return n
	}
	return p.comparison()
}

func (p *parser) compOp() string {
	t := p.peek()
	switch {
	case t.kind == tOp && strings.Contains(" < > == >= <= != ", " "+t.text+" "):
		p.next()
		return t.text
	case t.kind == tName && t.text == "in":
		p.next()
		return "in"
	case t.kind == tName && t.text == "is":
		p.next()
		if p.isName("not") {
			p.next()
			return "is not"
		}
		return "is"
	case t.kind == tName && t.text == "not" && p.toks[p.p+1].kind == tName && p.toks[p.p+1].text == "in":
		p.next()
		p.next()
		return "not in"
	}
	return ""
}

func (p *parser) comparison() *node {
	first := p.binary(0)
	op := p.compOp()
	if op == "" {
		return first
	}
	n := &node{kind: nCompare, kids: []*node{first}}
	for op != "" {
		n.ops = append(n.ops, op)
		n.kids = append(n.kids, p.binary(0))
		op = p.compOp()
	}
	n.pos, n.end = first.pos, p.prevEnd()
	return n
}

// binLevels are Python's binary operators from loosest to tightest.
var binLevels = [][]string{{"|"}, {"^"}, {"&"}, {"<<", ">>"}, {"+", "-"}, {"*", "/", "//", "%", "@"}}

func (p *parser) binary(level int) *node {
	if level == len(binLevels) {
		return p.factor()
	}
	x := p.binary(level + 1)
	for {
		t := p.peek()
		if t.kind != tOp || !contains(binLevels[level], t.text) {
			return x
		}
		p.next()
		y := p.binary(level + 1)
		n := &node{kind: nBin, name: t.text, kids: []*node{x, y}, pos: x.pos, end: p.prevEnd()}
		x = n
	}
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

func (p *parser) factor() *node {
	t := p.peek()
	if t.kind == tOp && (t.text == "-" || t.text == "+" || t.text == "~") {
		p.next()
		p.depth++
		defer func() { p.depth-- }()
		if p.depth > maxDepth {
			p.fail(t.pos, "expression nested too deeply")
		}
		x := p.factor()
		n := p.mk(nUnary, t.pos)
		n.name = t.text
		n.kids = []*node{x}
		return n
	}
	return p.power()
}

func (p *parser) power() *node {
	x := p.primary()
	if !p.isOp("**") {
		return x
	}
	p.next()
	y := p.factor()
	return &node{kind: nBin, name: "**", kids: []*node{x, y}, pos: x.pos, end: p.prevEnd()}
}

func (p *parser) primary() *node {
	x := p.atom()
	for {
		t := p.peek()
		if t.kind != tOp {
			return x
		}
		switch t.text {
		case ".":
			p.next()
			nt := p.next()
			if nt.kind != tName {
				p.fail(nt.pos, "expected a name after '.'"+describe(nt))
			}
			n := &node{kind: nAttr, name: nt.text, kids: []*node{x}, pos: x.pos, end: nt.end}
			x = n
		case "(":
			x = p.call(x)
		case "[":
			p.next()
			idx := p.subscript()
			p.expectOp("]")
			x = &node{kind: nIndex, kids: []*node{x, idx}, pos: x.pos, end: p.prevEnd()}
		default:
			return x
		}
	}
}

func (p *parser) subscript() *node {
	pos := p.peek().pos
	var kids []*node
	for {
		if p.isOp(":") {
			p.fail(p.peek().pos, "slices are not supported")
		}
		kids = append(kids, p.starExpr())
		if p.isOp(":") {
			p.fail(p.peek().pos, "slices are not supported")
		}
		if !p.isOp(",") {
			break
		}
		p.next()
		if p.isOp("]") {
			break
		}
	}
	if len(kids) == 1 && p.toks[p.p-1].text != "," {
		return kids[0]
	}
	n := p.mk(nTuple, pos)
	n.kids = kids
	return n
}

func (p *parser) call(fn *node) *node {
	p.expectOp("(")
	n := &node{kind: nCall, kids: []*node{fn}, pos: fn.pos}
	for !p.isOp(")") {
		t := p.peek()
		switch {
		case t.kind == tOp && t.text == "**":
			p.next()
			n.kw = append(n.kw, kwarg{val: p.protect(false, p.expr)})
		case t.kind == tName && p.toks[p.p+1].kind == tOp && p.toks[p.p+1].text == "=":
			p.next()
			p.next()
			n.kw = append(n.kw, kwarg{name: t.text, val: p.protect(false, p.expr)})
		default:
			n.kids = append(n.kids, p.protect(false, p.starExpr))
			p.noComprehension()
		}
		if !p.isOp(",") {
			break
		}
		p.next()
	}
	p.expectOp(")")
	n.end = p.prevEnd()
	return n
}

func (p *parser) atom() *node {
	t := p.peek()
	switch t.kind {
	case tName:
		switch t.text {
		case "True", "False", "None":
			p.next()
			return &node{kind: nConst, name: t.text, pos: t.pos, end: t.end}
		case "if", "else", "for", "in", "is", "and", "or", "not", "lambda", "def", "class", "return",
			"import", "from", "as", "with", "while", "try", "except", "finally", "raise", "del",
			"pass", "break", "continue", "global", "nonlocal", "assert", "yield", "await", "async", "elif":
			p.fail(t.pos, "unexpected keyword '"+t.text+"'")
		}
		p.next()
		return &node{kind: nName, name: t.text, pos: t.pos, end: t.end}
	case tNumber:
		p.next()
		return &node{kind: nNum, name: t.text, pos: t.pos, end: t.end}
	case tString:
		return p.strings()
	case tOp:
		switch t.text {
		case "(":
			return p.paren()
		case "[":
			return p.list()
		case "{":
			return p.brace()
		case "...":
			p.next()
			return &node{kind: nConst, name: "...", pos: t.pos, end: t.end}
		}
	}
	p.fail(t.pos, "expected an expression"+describe(t))
	return nil
}

func (p *parser) paren() *node {
	pos := p.expectOp("(").pos
	if p.isOp(")") {
		p.next()
		return p.mk(nTuple, pos)
	}
	first := p.starExpr()
	p.noComprehension()
	if p.isOp(")") {
		p.next()
		if first.kind == nStar {
			p.fail(first.pos, "cannot use starred expression here")
		}
		// A parenthesised expression keeps its inner node; widen its span
		// so that source excerpts include the parentheses.
		cp := *first
		cp.pos, cp.end = pos, p.prevEnd()
		return &cp
	}
	n := &node{kind: nTuple, kids: []*node{first}}
	for p.isOp(",") {
		p.next()
		if p.isOp(")") {
			break
		}
		n.kids = append(n.kids, p.protect(false, p.starExpr))
	}
	p.expectOp(")")
	n.pos, n.end = pos, p.prevEnd()
	return n
}

func (p *parser) list() *node {
	pos := p.expectOp("[").pos
	n := &node{kind: nList}
	for !p.isOp("]") {
		n.kids = append(n.kids, p.protect(false, p.starExpr))
		p.noComprehension()
		if !p.isOp(",") {
			break
		}
		p.next()
	}
	p.expectOp("]")
	n.pos, n.end = pos, p.prevEnd()
	return n
}

// brace parses a dict or a set display.
func (p *parser) brace() *node {
	pos := p.expectOp("{").pos
	n := &node{kind: nDict}
	set := false
	for i := 0; !p.isOp("}"); i++ {
		if p.isOp("**") {
			p.next()
			n.keys = append(n.keys, nil)
			n.kids = append(n.kids, p.protect(false, p.orExpr))
		} else {
			entryStart := p.p
			k := p.protect(true, p.starExpr)
			p.noComprehension()
			switch {
			case p.isOp(":") && !set:
				p.next()
				if k.kind == nOpaque {
					// The whole entry is unusable without its key.
					p.p = entryStart
					k = p.protect(false, func() *node { p.fail(p.peek().pos, k.why); return nil })
					n.keys = append(n.keys, k)
					n.kids = append(n.kids, k)
					break
				}
				n.keys = append(n.keys, k)
				n.kids = append(n.kids, p.protect(false, p.expr))
				p.noComprehension()
			case i == 0 || set:
				set = true
				n.kids = append(n.kids, k)
			default:
				p.fail(p.peek().pos, "expected ':'"+describe(p.peek()))
			}
		}
		if !p.isOp(",") {
			break
		}
		p.next()
	}
	p.expectOp("}")
	if set {
		n.kind, n.keys = nSet, nil
	}
	n.pos, n.end = pos, p.prevEnd()
	return n
}
