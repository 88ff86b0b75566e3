package djangoport

import (
	"strings"
)

// vkind is the kind of a value computed from the settings file.
type vkind uint8

const (
	vUnknown vkind = iota // why says why
	vNone
	vBool
	vInt
	vFloat
	vStr  // parts: literal text and ${VAR} references
	vList // items
	vTuple
	vDict
	vRef     // qual: a module, function or class, or an undefined name
	vSession // a boto3 Session or client: kw holds its arguments
	vStream  // sys.stdout / sys.stderr: qual holds ext://sys.stdout
)

// val is a value known to the converter. Values are shared like Python
// objects: a dict bound to two names is one *dict, so a mutation through
// one name shows through the other.
type val struct {
	k     vkind
	b     bool
	i     int64
	f     float64
	s     []part
	items []*val
	d     *dict
	qual  string
	why   string
	// plain: written as a literal in the source (no names, calls or
	// operators), so its conversion needs no warning.
	plain bool
	// level: the logging.X constant this int came from ("INFO").
	level string
	// anchor: for a path, the unknown folder it is relative to.
	anchor string
	isPath bool
	// def: for a vRef, "def" or "class" when defined in this file; line is
	// where. undefined: a name nothing in the file binds.
	def       string
	line      int
	where     string // "this file (line 12)" or "base.py (line 12)"
	undefined bool
	// notes explain a mapping that needs more than "source → result".
	notes []string
	// via lists module-level names followed to get here: "ENV (line 5)".
	via []string
}

// part is literal text, or a reference to an environment variable.
type part struct {
	lit    string
	env    string
	def    string
	hasDef bool
}

// dict is an ordered Python dict with string keys; entries whose key is not
// a string (or could not be read) are kept in order as bad entries.
type dict struct {
	order []*entry
	m     map[string]*entry
}

// entry is one key of a dict, with where it was written.
type entry struct {
	key     string
	v       *val
	keyLine int
	line    int    // line of the value
	src     string // source text of "key: value"
	vsrc    string // source text of the value
	bad     string // why the entry could not be read; key is then empty
}

func newDict() *dict { return &dict{m: map[string]*entry{}} }

func (d *dict) get(k string) (*entry, bool) {
	e, ok := d.m[k]
	return e, ok
}

// set replaces the value of an existing key in place (Python keeps the
// first position) or appends a new key.
func (d *dict) set(e *entry) {
	if old, ok := d.m[e.key]; ok {
		*old = *e
		return
	}
	cp := *e
	d.order = append(d.order, &cp)
	d.m[e.key] = &cp
}

func (d *dict) addBad(e *entry) { d.order = append(d.order, e) }

func (d *dict) del(k string) bool {
	if _, ok := d.m[k]; !ok {
		return false
	}
	delete(d.m, k)
	for i, e := range d.order {
		if e.bad == "" && e.key == k {
			d.order = append(d.order[:i:i], d.order[i+1:]...)
			break
		}
	}
	return true
}

func (d *dict) clone() *dict { return d.cloneMemo(map[*val]*val{}, map[*dict]*dict{}) }

func (d *dict) cloneMemo(vals map[*val]*val, dicts map[*dict]*dict) *dict {
	if out, ok := dicts[d]; ok {
		return out
	}
	out := newDict()
	dicts[d] = out
	for _, e := range d.order {
		cp := *e
		cp.v = cloneMemo(e.v, vals, dicts)
		if e.bad != "" {
			out.addBad(&cp)
			continue
		}
		out.set(&cp)
	}
	return out
}

// deepClone copies a value as Python's copy.deepcopy does: each object
// once, so that a list or dict holding itself is copied as one.
func deepClone(v *val) *val { return cloneMemo(v, map[*val]*val{}, map[*dict]*dict{}) }

func cloneMemo(v *val, vals map[*val]*val, dicts map[*dict]*dict) *val {
	if v == nil {
		return nil
	}
	if cp, ok := vals[v]; ok {
		return cp
	}
	cp := *v
	vals[v] = &cp
	switch v.k {
	case vDict, vSession:
		cp.d = v.d.cloneMemo(vals, dicts)
	case vList, vTuple:
		cp.items = make([]*val, len(v.items))
		for i, e := range v.items {
			cp.items[i] = cloneMemo(e, vals, dicts)
		}
	}
	return &cp
}

func unknown(why string) *val { return &val{k: vUnknown, why: why} }

func strVal(s string) *val { return &val{k: vStr, s: []part{{lit: s}}} }

func intVal(i int64) *val { return &val{k: vInt, i: i} }

// literal reports whether a string value has no environment references,
// and its text.
func (v *val) literal() (string, bool) {
	if v.k != vStr {
		return "", false
	}
	var b strings.Builder
	for _, p := range v.s {
		if p.env != "" {
			return "", false
		}
		b.WriteString(p.lit)
	}
	return b.String(), true
}

// annotate returns a shallow copy of v that is no longer plain, carrying
// the extra notes and names followed.
func (v *val) annotate(via string, notes ...string) *val {
	switch v.k {
	case vDict, vList, vTuple, vSession:
		// Containers are shared, as in Python, so that mutations through
		// any name or index reach the one object.
		return v
	}
	cp := *v
	cp.plain = false
	if via != "" {
		cp.via = append(append([]string(nil), v.via...), via)
	}
	if len(notes) > 0 {
		cp.notes = append(append([]string(nil), v.notes...), notes...)
	}
	return &cp
}

// concat joins string parts, merging adjacent literals.
func concat(a, b []part) []part {
	out := make([]part, 0, len(a)+len(b))
	out = append(out, a...)
	for _, p := range b {
		if p.env == "" && len(out) > 0 && out[len(out)-1].env == "" {
			out[len(out)-1].lit += p.lit
			continue
		}
		out = append(out, p)
	}
	return out
}

func partsLen(ps []part) int {
	n := 0
	for _, p := range ps {
		n += len(p.lit) + len(p.env) + len(p.def)
	}
	return n
}

// typeName is Python's name for the type of v, for messages.
func (v *val) typeName() string {
	switch v.k {
	case vNone:
		return "None"
	case vBool:
		return "bool"
	case vInt:
		return "int"
	case vFloat:
		return "float"
	case vStr:
		return "str"
	case vList:
		return "list"
	case vTuple:
		return "tuple"
	case vDict:
		return "dict"
	case vSession:
		return "boto3 session"
	case vStream:
		return "stream"
	case vRef:
		return "name " + v.qual
	}
	return "unknown value"
}
