package djangoport

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// maxStrLen bounds strings built by repetition, so that "a" * 10**9 in a
// settings file cannot exhaust memory.
const maxStrLen = 1 << 20

// levels are the logging module's level constants.
var levels = map[string]int64{"CRITICAL": 50, "FATAL": 50, "ERROR": 40, "WARNING": 30, "WARN": 30, "INFO": 20, "DEBUG": 10, "NOTSET": 0}

// eval computes the value of an expression. It never fails: what it cannot
// compute is a vUnknown saying why.
func (in *interp) eval(n *node) *val {
	switch n.kind {
	case nOpaque:
		return unknown(n.why)
	case nConst:
		switch n.name {
		case "True", "False":
			return &val{k: vBool, b: n.name == "True", plain: true}
		case "None":
			return &val{k: vNone, plain: true}
		}
		return unknown("Ellipsis")
	case nNum:
		return number(n.name)
	case nStr:
		return in.evalStr(n)
	case nName:
		return in.lookup(n.name)
	case nList, nTuple, nSet:
		return in.evalSeq(n)
	case nDict:
		return in.evalDict(n)
	case nAttr:
		return in.attr(in.eval(n.kids[0]), n.name, n)
	case nIndex:
		return in.index(in.eval(n.kids[0]), in.eval(n.kids[1]))
	case nCall:
		return in.call(n)
	case nBin:
		return binop(n.name, in.eval(n.kids[0]), in.eval(n.kids[1]))
	case nUnary:
		return unary(n.name, in.eval(n.kids[0]))
	case nNot:
		t, ok := truth(in.eval(n.kids[0]))
		if !ok {
			return unknown("the truth of " + in.text(n.kids[0]) + " is not known")
		}
		return &val{k: vBool, b: !t}
	case nBool:
		return in.boolOp(n)
	case nCompare:
		return in.compare(n)
	case nIf:
		cond := in.eval(n.kids[1])
		t, ok := truth(cond)
		if !ok {
			return unknown("it depends on " + in.text(n.kids[1]) + whyOf(cond))
		}
		branch := n.kids[2]
		if t {
			branch = n.kids[0]
		}
		r := in.eval(branch).annotate("")
		if r.k != vDict && r.k != vList && r.k != vTuple && r.k != vSession {
			r.via = append(r.via, cond.via...)
		}
		return r
	case nStar:
		return unknown("a starred expression")
	}
	return unknown("unsupported expression")
}

func whyOf(v *val) string {
	if v.k == vUnknown && v.why != "" {
		return " (" + v.why + ")"
	}
	return ""
}

// text returns the source of a node on one line, shortened for messages.
func (in *interp) text(n *node) string {
	return oneLine(string(in.src[n.pos:n.end]), 80)
}

func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > max {
		cut := max
		for cut > 0 && s[cut]&0xC0 == 0x80 {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

func number(text string) *val {
	t := strings.ReplaceAll(text, "_", "")
	lower := strings.ToLower(t)
	if strings.HasSuffix(lower, "j") {
		return unknown("a complex number")
	}
	if strings.HasPrefix(lower, "0x") || strings.HasPrefix(lower, "0o") || strings.HasPrefix(lower, "0b") {
		i, err := strconv.ParseInt(t, 0, 64)
		if err != nil {
			return unknown("the number " + text + " does not fit in 64 bits")
		}
		return &val{k: vInt, i: i, plain: true}
	}
	if !strings.ContainsAny(lower, ".e") {
		trimmed := strings.TrimLeft(t, "0")
		if trimmed == "" {
			trimmed = "0"
		}
		i, err := strconv.ParseInt(trimmed, 10, 64)
		if err != nil {
			return unknown("the number " + text + " does not fit in 64 bits")
		}
		return &val{k: vInt, i: i, plain: true}
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil && !strings.Contains(err.Error(), "range") {
		return unknown("the number " + text + " could not be read")
	}
	return &val{k: vFloat, f: f, plain: true}
}

func (in *interp) evalStr(n *node) *val {
	v := &val{k: vStr, plain: true}
	for _, p := range n.str {
		if p.err != "" {
			return unknown(p.err)
		}
		if p.expr == nil {
			v.s = concat(v.s, []part{{lit: p.lit}})
			continue
		}
		v.plain = false
		x := in.eval(p.expr)
		if p.spec != "" {
			return unknown("an f-string format spec (:" + p.spec + ")")
		}
		if p.conv == 'r' || p.conv == 'a' {
			if s, ok := x.literal(); ok {
				x = strVal(pyRepr(s))
			} else {
				return unknown("an f-string !" + string(p.conv) + " conversion")
			}
		}
		s := str(x)
		if s.k == vUnknown {
			return s
		}
		v.s = concat(v.s, s.s)
		v.via = append(v.via, x.via...)
		v.notes = append(v.notes, x.notes...)
	}
	if len(v.s) == 0 {
		v.s = []part{{}}
	}
	return v
}

// pyRepr is repr() of a str, for the common cases.
func pyRepr(s string) string {
	q := "'"
	if strings.Contains(s, "'") && !strings.Contains(s, `"`) {
		q = `"`
	}
	r := strings.NewReplacer(`\`, `\\`, "\n", `\n`, "\r", `\r`, "\t", `\t`, q, `\`+q)
	return q + r.Replace(s) + q
}

// str is Python's str() of a value, when it is known.
func str(v *val) *val {
	switch v.k {
	case vStr:
		if v.isPath {
			cp := *v
			cp.isPath = false
			cp.s = pathParts(v)
			return &cp
		}
		return v
	case vInt:
		if v.level != "" {
			return &val{k: vStr, s: []part{{lit: strconv.FormatInt(v.i, 10)}}, via: v.via}
		}
		return &val{k: vStr, s: []part{{lit: strconv.FormatInt(v.i, 10)}}, via: v.via, notes: v.notes}
	case vFloat:
		return &val{k: vStr, s: []part{{lit: pyFloat(v.f)}}, via: v.via}
	case vBool:
		return &val{k: vStr, s: []part{{lit: map[bool]string{true: "True", false: "False"}[v.b]}}, via: v.via}
	case vNone:
		return &val{k: vStr, s: []part{{lit: "None"}}, via: v.via}
	case vUnknown:
		return v
	case vRef:
		if v.undefined {
			return unknown(v.qual + " is not defined in this file")
		}
	}
	return unknown("str() of a " + v.typeName())
}

// pyFloat formats a float as Python's repr does.
func pyFloat(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if a := math.Abs(f); a != 0 && (a < 1e-4 || a >= 1e16) {
		s = strconv.FormatFloat(f, 'e', -1, 64)
		if i := strings.Index(s, "e"); i >= 0 && len(s)-i == 4 && s[i+2] == '0' {
			s = s[:i+2] + s[i+3:]
		}
		return s
	}
	s = strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.ContainsAny(s, ".e") {
		s += ".0"
	}
	return s
}

func (in *interp) evalSeq(n *node) *val {
	k := vList
	if n.kind == nTuple {
		k = vTuple
	}
	if n.kind == nSet {
		return unknown("a set")
	}
	v := &val{k: k, plain: true}
	for _, kid := range n.kids {
		if kid.kind == nStar {
			x := in.eval(kid.kids[0])
			if x.k != vList && x.k != vTuple {
				return unknown("*" + in.text(kid.kids[0]) + whyOf(x))
			}
			v.items = append(v.items, x.items...)
			v.plain = false
			continue
		}
		x := in.eval(kid)
		x.line = in.line(kid.pos)
		v.items = append(v.items, x)
		if !x.plain {
			v.plain = false
		}
	}
	return v
}

func (in *interp) evalDict(n *node) *val {
	d := newDict()
	for i, kn := range n.keys {
		vn := n.kids[i]
		if kn == nil {
			x := in.eval(vn)
			if x.k != vDict {
				d.addBad(&entry{bad: "**" + in.text(vn) + " is not a known dict" + whyOf(x), line: in.line(vn.pos), src: "**" + in.text(vn)})
				continue
			}
			for _, e := range x.d.order {
				cp := *e
				if e.bad != "" {
					d.addBad(&cp)
					continue
				}
				cp.v = e.v.annotate("")
				d.set(&cp)
			}
			continue
		}
		src := string(in.src[kn.pos:vn.end])
		if kn.kind == nOpaque || kn == vn {
			d.addBad(&entry{bad: kn.why, line: in.line(kn.pos), src: src})
			continue
		}
		kv := in.eval(kn)
		key, ok := kv.literal()
		if !ok {
			why := "its key is a " + kv.typeName()
			if kv.k == vStr {
				why = "its key comes from the environment"
			}
			d.addBad(&entry{bad: why + whyOf(kv), line: in.line(kn.pos), src: src})
			continue
		}
		if _, dup := d.get(key); dup {
			in.warn(in.line(kn.pos), fmt.Sprintf("key %q is given twice in this dict: Python keeps the later value, and so does the output", key))
		}
		v := in.eval(vn)
		d.set(&entry{key: key, v: v, keyLine: in.line(kn.pos), line: in.line(vn.pos), src: src, vsrc: string(in.src[vn.pos:vn.end])})
	}
	return &val{k: vDict, d: d, plain: true}
}

func (in *interp) index(x, i *val) *val {
	switch x.k {
	case vUnknown:
		return x
	case vRef:
		if x.qual == "os.environ" {
			name, ok := i.literal()
			if !ok || !isEnvName(name) {
				return unknown("os.environ[...] with a name that is not a literal")
			}
			return &val{k: vStr, s: []part{{env: name}}}
		}
	case vDict:
		k, ok := i.literal()
		if !ok {
			return unknown("a dict lookup with a key that is not a literal")
		}
		e, ok := x.d.get(k)
		if !ok {
			return unknown(fmt.Sprintf("the dict has no key %q", k))
		}
		return e.v.annotate("")
	case vList, vTuple:
		if i.k != vInt {
			return unknown("a list index that is not a number")
		}
		j := i.i
		if j < 0 {
			j += int64(len(x.items))
		}
		if j < 0 || j >= int64(len(x.items)) {
			return unknown("a list index out of range")
		}
		return x.items[j].annotate("")
	}
	return unknown("indexing a " + x.typeName())
}

func isEnvName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// truth is Python's truthiness, when it is known.
func truth(v *val) (bool, bool) {
	switch v.k {
	case vNone:
		return false, true
	case vBool:
		return v.b, true
	case vInt:
		return v.i != 0, true
	case vFloat:
		return v.f != 0, true
	case vStr:
		if s, ok := v.literal(); ok {
			return s != "", true
		}
		// A non-empty literal part makes the string non-empty whatever the
		// environment says.
		for _, p := range v.s {
			if p.lit != "" {
				return true, true
			}
		}
	case vList, vTuple:
		return len(v.items) > 0, true
	case vDict:
		return len(v.d.m) > 0, true
	case vSession, vStream:
		return true, true
	case vRef:
		return true, !v.undefined
	}
	return false, false
}

func (in *interp) boolOp(n *node) *val {
	x := in.eval(n.kids[0])
	for _, kid := range n.kids[1:] {
		t, ok := truth(x)
		if !ok {
			// os.environ.get("X") or "default": ${X:-default}, exactly:
			// an unset or empty variable is falsy.
			y := in.eval(kid)
			if n.name == "or" && x.k == vStr && len(x.s) == 1 && x.s[0].env != "" && !x.s[0].hasDef {
				if d, isLit := str(y).literal(); isLit && (y.k == vStr || y.k == vInt || y.k == vFloat) && !strings.Contains(d, "}") {
					return &val{k: vStr, s: []part{{env: x.s[0].env, def: d, hasDef: true}}, via: append(x.via, y.via...)}
				}
			}
			return unknown("the truth of " + in.text(n.kids[0]) + " is not known" + whyOf(x))
		}
		if n.name == "or" && t || n.name == "and" && !t {
			return x.annotate("")
		}
		x = in.eval(kid)
	}
	return x.annotate("")
}

func (in *interp) compare(n *node) *val {
	left := in.eval(n.kids[0])
	for i, op := range n.ops {
		right := in.eval(n.kids[i+1])
		r, ok := compare1(op, left, right)
		if !ok {
			return unknown(in.text(n) + " cannot be decided here")
		}
		if !r {
			return &val{k: vBool}
		}
		left = right
	}
	return &val{k: vBool, b: true}
}

func compare1(op string, a, b *val) (bool, bool) {
	switch op {
	case "is", "is not":
		if a.k == vNone || b.k == vNone {
			known := a.k != vUnknown && b.k != vUnknown && !(a.k == vStr && !isLit(a)) && !(b.k == vStr && !isLit(b))
			same := a.k == vNone && b.k == vNone
			return same == (op == "is"), known
		}
		return false, false
	case "==", "!=":
		eq, ok := equal(a, b)
		return eq == (op == "=="), ok
	case "in", "not in":
		var found bool
		switch b.k {
		case vList, vTuple:
			for _, it := range b.items {
				eq, ok := equal(a, it)
				if !ok {
					return false, false
				}
				found = found || eq
			}
		case vDict:
			k, ok := a.literal()
			if !ok {
				return false, false
			}
			_, found = b.d.get(k)
		case vStr:
			as, ok1 := a.literal()
			bs, ok2 := b.literal()
			if !ok1 || !ok2 {
				return false, false
			}
			found = strings.Contains(bs, as)
		default:
			return false, false
		}
		return found == (op == "in"), true
	}
	x, okx := numeric(a)
	y, oky := numeric(b)
	if !okx || !oky {
		return false, false
	}
	switch op {
	case "<":
		return x < y, true
	case ">":
		return x > y, true
	case "<=":
		return x <= y, true
	case ">=":
		return x >= y, true
	}
	return false, false
}

func isLit(v *val) bool { _, ok := v.literal(); return ok }

func equal(a, b *val) (bool, bool) {
	if x, ok := numeric(a); ok {
		if y, ok := numeric(b); ok {
			return x == y, true
		}
	}
	as, ok1 := a.literal()
	bs, ok2 := b.literal()
	if ok1 && ok2 {
		return as == bs, true
	}
	if a.k == vNone || b.k == vNone {
		if a.k == vUnknown || b.k == vUnknown || a.k == vStr && !ok1 || b.k == vStr && !ok2 {
			return false, false
		}
		return a.k == b.k, true
	}
	if a.k == vUnknown || b.k == vUnknown || a.k == vStr || b.k == vStr {
		if (a.k == vStr && ok1 || a.k != vStr) && (b.k == vStr && ok2 || b.k != vStr) && a.k != vUnknown && b.k != vUnknown {
			return false, true // a str never equals a number
		}
		return false, false
	}
	return false, false
}

func numeric(v *val) (float64, bool) {
	switch v.k {
	case vInt:
		return float64(v.i), true
	case vFloat:
		return v.f, true
	case vBool:
		if v.b {
			return 1, true
		}
		return 0, true
	}
	return 0, false
}

func unary(op string, x *val) *val {
	switch {
	case x.k == vUnknown:
		return x
	case op == "+" && (x.k == vInt || x.k == vFloat):
		return x.annotate("")
	case op == "-" && x.k == vInt && x.i != math.MinInt64:
		return &val{k: vInt, i: -x.i, plain: x.plain}
	case op == "-" && x.k == vFloat:
		return &val{k: vFloat, f: -x.f, plain: x.plain}
	case op == "~" && x.k == vInt:
		return &val{k: vInt, i: ^x.i}
	case x.k == vBool:
		return unary(op, intVal(map[bool]int64{true: 1}[x.b]))
	}
	return unknown("unary " + op + " on a " + x.typeName())
}
