package djangoport

import (
	"fmt"
	"strings"
)

// target is the settings name the converter looks for.
const target = "LOGGING"

// binding is a module-level name and where it was last assigned.
type binding struct {
	v    *val
	line int
}

// condition is why a block's statements may or may not run: the converter
// does not know, so names assigned there become unknown and changes to
// LOGGING there are reported and not applied.
type condition struct {
	line int
	what string
}

// interp follows the module-level statements of a settings file in order,
// as Python would run them, as far as they can be known without running
// code.
type interp struct {
	src        []byte
	li         lineIndex
	names      map[string]*binding
	warns      []Warning
	perr       *ParseError // a syntax error in a statement about LOGGING
	firstErr   *ParseError // the first syntax error anywhere
	starImport string
	dictConfig *binding // the argument of a module-level dictConfig(...) call
	exports    *exports // what `from this import *` binds, once this module has run

	// ld reads the modules this file imports; base is this file's index
	// in ld.files, shifted (see loader.at); name is its name in ld.fsys.
	ld   *loader
	base int
	name string
}

func (in *interp) line(pos int) int { return in.base + in.li.line(pos) }

func (in *interp) warn(line int, msg string) {
	in.warns = append(in.warns, Warning{Line: line, Msg: msg})
}

func (in *interp) syntaxError(pos int, msg string) *ParseError {
	return &ParseError{Line: in.line(pos), Col: in.li.col(in.src, pos), Msg: msg}
}

func (in *interp) bind(name string, v *val, line int) {
	in.names[name] = &binding{v: v, line: line}
}

// execBlock runs statements; cond is non-nil inside a block that may or may
// not run.
func (in *interp) execBlock(stmts []*stmt, cond *condition) {
	chain := "" // the compound statement an elif/else/except belongs to
	state := 0  // if-chain: 0 no branch taken yet, 1 taken, 2 not known
	var chainCond *condition
	for _, s := range stmts {
		if s.errTok != nil {
			in.badStatement(s)
			continue
		}
		switch s.kw {
		case "":
			in.simple(s, cond)
		case "if", "elif":
			if s.kw == "if" {
				chain, state, chainCond = "if", 0, nil
			}
			if chain != "if" {
				continue
			}
			switch state {
			case 1:
				continue
			case 2:
				in.execBlock(s.body, chainCond)
				continue
			}
			t, known, what := in.condition(s)
			switch {
			case cond != nil:
				in.execBlock(s.body, cond)
			case !known:
				state, chainCond = 2, &condition{line: in.line(s.pos), what: what}
				in.execBlock(s.body, chainCond)
			case t:
				state = 1
				in.execBlock(s.body, cond)
			}
		case "else":
			switch {
			case chain == "if" && state == 0 || chain == "try":
				in.execBlock(s.body, cond)
			case chain == "if" && state == 2:
				in.execBlock(s.body, chainCond)
			case chain == "loop":
				in.execBlock(s.body, orCond(cond, s, in, "a loop's else"))
			}
		case "try":
			chain = "try"
			in.execBlock(s.body, cond)
		case "except":
			in.execBlock(s.body, orCond(cond, s, in, "an except block"))
		case "finally", "with":
			in.execBlock(s.body, cond)
		case "for", "while", "async", "match", "case":
			chain = "loop"
			in.execBlock(s.body, orCond(cond, s, in, "a "+s.kw+" block"))
		case "def", "class":
			if len(s.toks) > 1 && s.toks[1].kind == tName {
				l := in.line(s.pos)
				in.bind(s.toks[1].text, &val{k: vRef, qual: s.toks[1].text, def: s.kw, line: l, where: in.ld.where(l, l)}, l)
			}
		}
		if s.kw != "if" && s.kw != "elif" && s.kw != "else" && s.kw != "try" && s.kw != "except" && s.kw != "for" && s.kw != "while" {
			chain = ""
		}
	}
}

func orCond(cond *condition, s *stmt, in *interp, what string) *condition {
	if cond != nil {
		return cond
	}
	return &condition{line: in.line(s.pos), what: what}
}

// condition evaluates the test of an if/elif header.
func (in *interp) condition(s *stmt) (truth, known bool, what string) {
	toks := s.toks[1:]
	if n := len(toks); n > 0 && toks[n-1].kind == tOp && toks[n-1].text == ":" {
		toks = toks[:n-1]
	}
	text := "`" + oneLine(string(in.src[s.pos:s.toks[len(s.toks)-1].end]), 60) + "`"
	n, err := in.parseExpr(toks)
	if err != nil {
		return false, false, text
	}
	v := in.eval(n)
	t, ok := truthOf(v)
	return t, ok, text + whyOf(v)
}

func truthOf(v *val) (bool, bool) { return truth(v) }

func (in *interp) parseExpr(toks []token) (n *node, err *syntaxErr) {
	p := newParser(in.src, toks)
	defer func() {
		if r := recover(); r != nil {
			se, ok := r.(syntaxErr)
			if !ok {
				panic(r)
			}
			n, err = nil, &se
		}
	}()
	n = p.exprList()
	if p.peek().kind != tEOF {
		p.fail(p.peek().pos, "unexpected"+describe(p.peek()))
	}
	return n, nil
}

// badStatement handles a statement the tokenizer could not read.
func (in *interp) badStatement(s *stmt) {
	e := in.syntaxError(s.errTok.pos, s.errTok.text)
	if in.firstErr == nil {
		in.firstErr = e
	}
	if s.mentions(target) {
		if in.perr == nil {
			in.perr = e
		}
		return
	}
	line := in.line(s.pos)
	for _, name := range assignedNames(s) {
		in.bind(name, unknown(fmt.Sprintf("%s could not be read: %s", in.ld.lineText(line, line), s.errTok.text)), line)
	}
	in.warn(line, fmt.Sprintf("skipped a statement that could not be read (column %d: %s)", e.Col, e.Msg))
}

// assignedNames returns the names a statement assigns at its start
// ("A = B = ...", "A: int = ...", "A += ...").
func assignedNames(s *stmt) []string {
	var out []string
	toks := s.toks
	for len(toks) >= 2 && toks[0].kind == tName && toks[1].kind == tOp &&
		(toks[1].text == "=" || toks[1].text == ":" || strings.HasSuffix(toks[1].text, "=") && len(toks[1].text) > 1 && toks[1].text != "==") {
		out = append(out, toks[0].text)
		if toks[1].text != "=" {
			break
		}
		toks = toks[2:]
	}
	for _, b := range s.body {
		out = append(out, assignedNames(b)...)
	}
	return out
}

// simple runs a simple statement.
func (in *interp) simple(s *stmt, cond *condition) {
	first := s.toks[0]
	if first.kind == tName {
		switch first.text {
		case "import", "from":
			in.imports(s, cond)
			return
		case "del":
			in.del(s, cond)
			return
		case "pass", "global", "nonlocal", "assert", "raise", "return", "break", "continue", "yield", "print":
			return
		}
	}
	p := newParser(in.src, s.toks)
	defer func() {
		if r := recover(); r != nil {
			se, ok := r.(syntaxErr)
			if !ok {
				panic(r)
			}
			in.unreadable(s, se)
		}
	}()
	lhs := p.exprList()
	switch t := p.peek(); {
	case t.kind == tOp && t.text == "=":
		targets := []*node{lhs}
		var value *node
		for p.isOp("=") {
			p.next()
			value = p.exprList()
			if p.isOp("=") {
				targets = append(targets, value)
			}
		}
		in.end(p)
		v := in.eval(value)
		for _, tn := range targets {
			in.assign(tn, v, value, cond)
		}
	case t.kind == tOp && t.text == ":":
		p.next()
		p.expr()
		if !p.isOp("=") {
			in.end(p)
			return
		}
		p.next()
		value := p.exprList()
		in.end(p)
		in.assign(lhs, in.eval(value), value, cond)
	case t.kind == tOp && len(t.text) >= 2 && strings.HasSuffix(t.text, "=") && !contains([]string{"==", "!=", "<=", ">="}, t.text):
		p.next()
		value := p.exprList()
		in.end(p)
		op := strings.TrimSuffix(t.text, "=")
		cur := in.eval(lhs)
		rhs := in.eval(value)
		var res *val
		if (cur.k == vList || cur.k == vDict) && op == "+" || cur.k == vDict && op == "|" {
			res = binop(op, cur, rhs)
			if res.k == vList {
				cur.items = res.items // in place, as Python's list += does
				res = cur
			}
		} else {
			res = binop(op, cur, rhs)
		}
		in.assign(lhs, res, value, cond)
	default:
		in.end(p)
		in.exprStmt(lhs, s, cond)
	}
}

func (in *interp) end(p *parser) {
	if t := p.peek(); t.kind != tEOF {
		p.fail(t.pos, "unexpected"+describe(t))
	}
}

// unreadable handles a statement whose syntax the parser does not accept.
func (in *interp) unreadable(s *stmt, se syntaxErr) {
	line := in.line(s.pos)
	if s.mentions(target) {
		if in.perr == nil {
			in.perr = in.syntaxError(se.pos, se.msg)
		}
		return
	}
	for _, name := range assignedNames(s) {
		in.bind(name, unknown(fmt.Sprintf("%s uses syntax the converter does not read (%s)", in.ld.lineText(line, line), se.msg)), line)
	}
}

func rootName(n *node) string {
	for n != nil {
		switch n.kind {
		case nName:
			return n.name
		case nIndex, nAttr, nCall:
			n = n.kids[0]
		default:
			return ""
		}
	}
	return ""
}

// assign binds or stores a value in a target.
func (in *interp) assign(tn *node, v *val, value *node, cond *condition) {
	line := in.line(tn.pos)
	root := rootName(tn)
	if cond != nil {
		if root == target {
			in.warn(line, fmt.Sprintf("%s is changed under %s (%s), which the converter cannot decide: this change is not in the output; apply it by hand if it holds", target, cond.what, in.ld.lineText(cond.line, line)))
			return
		}
		if tn.kind == nName {
			in.bind(tn.name, unknown(fmt.Sprintf("%s is assigned under %s (%s)", tn.name, cond.what, in.ld.lineText(cond.line, line))), line)
		}
		return
	}
	switch tn.kind {
	case nName:
		if v.k == vRef && v.undefined {
			v = unknown(v.why)
		}
		in.bind(tn.name, v, line)
	case nTuple, nList:
		if (v.k == vTuple || v.k == vList) && len(v.items) == len(tn.kids) {
			for i, k := range tn.kids {
				in.assign(k, v.items[i], value, cond)
			}
			return
		}
		for _, k := range tn.kids {
			in.assign(k, unknown("an unpacking the converter cannot follow"), value, cond)
		}
	case nIndex:
		container := in.eval(tn.kids[0])
		key := in.eval(tn.kids[1])
		k, ok := key.literal()
		switch {
		case container.k == vDict && ok:
			container.d.set(&entry{key: k, v: v, keyLine: line, line: in.line(value.pos),
				src: string(in.src[tn.pos:value.end]), vsrc: string(in.src[value.pos:value.end])})
		case container.k == vList && key.k == vInt && key.i >= 0 && key.i < int64(len(container.items)):
			container.items[key.i] = v
		case root == target:
			in.warn(line, fmt.Sprintf("could not apply `%s = ...`: %s", in.text(tn), "the target is not a dict the converter knows"+whyOf(container)))
		}
	default:
		if root == target {
			in.warn(line, fmt.Sprintf("could not apply `%s = ...`", in.text(tn)))
		}
	}
}

// exprStmt applies LOGGING.update(...), .setdefault, .pop, list.append and
// friends, and notes a module-level dictConfig(...) call.
func (in *interp) exprStmt(n *node, s *stmt, cond *condition) {
	line := in.line(n.pos)
	if n.kind != nCall {
		return
	}
	fn := n.kids[0]
	root := rootName(fn)
	if fn.kind == nAttr && (fn.name == "dictConfig") || fn.kind == nName && fn.name == "dictConfig" {
		if len(n.kids) == 2 && cond == nil {
			in.dictConfig = &binding{v: in.eval(n.kids[1]), line: line}
		}
		return
	}
	if fn.kind != nAttr {
		return
	}
	if cond != nil {
		if root == target {
			in.warn(line, fmt.Sprintf("%s is changed under %s (%s), which the converter cannot decide: this change is not in the output; apply it by hand if it holds", target, cond.what, in.ld.lineText(cond.line, line)))
		}
		return
	}
	recv := in.eval(fn.kids[0])
	args := n.kids[1:]
	applied := false
	switch {
	case recv.k == vDict && fn.name == "update" && len(args) <= 1:
		var src *val
		if len(args) == 1 {
			src = in.eval(args[0])
		}
		if src != nil && src.k != vDict {
			break
		}
		if src != nil {
			for _, e := range src.d.order {
				cp := *e
				if e.bad != "" {
					recv.d.addBad(&cp)
				} else {
					recv.d.set(&cp)
				}
			}
		}
		for _, k := range n.kw {
			if k.name != "" {
				recv.d.set(&entry{key: k.name, v: in.eval(k.val), keyLine: line, line: in.line(k.val.pos),
					src: in.text(k.val), vsrc: string(in.src[k.val.pos:k.val.end])})
			}
		}
		applied = true
	case recv.k == vDict && fn.name == "setdefault" && len(args) == 2:
		if k, ok := in.eval(args[0]).literal(); ok {
			if _, exists := recv.d.get(k); !exists {
				recv.d.set(&entry{key: k, v: in.eval(args[1]), keyLine: line, line: in.line(args[1].pos),
					src: in.text(n), vsrc: string(in.src[args[1].pos:args[1].end])})
			}
			applied = true
		}
	case recv.k == vDict && fn.name == "pop" && len(args) >= 1:
		if k, ok := in.eval(args[0]).literal(); ok {
			recv.d.del(k)
			applied = true
		}
	case recv.k == vDict && fn.name == "clear" && len(args) == 0:
		*recv.d = *newDict()
		applied = true
	case recv.k == vList && fn.name == "append" && len(args) == 1:
		recv.items = append(recv.items, in.eval(args[0]))
		applied = true
	case recv.k == vList && fn.name == "extend" && len(args) == 1:
		x := in.eval(args[0])
		if x.k == vList || x.k == vTuple {
			recv.items = append(recv.items, x.items...)
			applied = true
		}
	case recv.k == vList && fn.name == "remove" && len(args) == 1:
		x := in.eval(args[0])
		for i, it := range recv.items {
			if eq, ok := equal(it, x); ok && eq {
				recv.items = append(recv.items[:i:i], recv.items[i+1:]...)
				applied = true
				break
			}
		}
	}
	if !applied && root == target {
		in.warn(line, fmt.Sprintf("could not apply `%s`: the converter does not run this call%s", in.text(n), whyOf(recv)))
	}
}

// del handles `del LOGGING["loggers"]["x"]`.
func (in *interp) del(s *stmt, cond *condition) {
	n, err := in.parseExpr(s.toks[1:])
	if err != nil {
		return
	}
	targets := []*node{n}
	if n.kind == nTuple {
		targets = n.kids
	}
	for _, tn := range targets {
		root := rootName(tn)
		line := in.line(tn.pos)
		if cond != nil {
			if root == target {
				in.warn(line, fmt.Sprintf("%s is changed under %s (%s), which the converter cannot decide: this change is not in the output", target, cond.what, in.ld.lineText(cond.line, line)))
			}
			continue
		}
		switch tn.kind {
		case nName:
			delete(in.names, tn.name)
		case nIndex:
			c := in.eval(tn.kids[0])
			if k, ok := in.eval(tn.kids[1]).literal(); ok && c.k == vDict && c.d.del(k) {
				continue
			}
			if root == target {
				in.warn(line, fmt.Sprintf("could not apply `del %s`", in.text(tn)))
			}
		}
	}
}
