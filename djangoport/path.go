package djangoport

import "strings"

// Paths are strings with isPath set. A path built from __file__ (Django's
// BASE_DIR = Path(__file__).resolve().parent.parent) has an anchor: the
// folder it starts from is not known to the converter, so its text is kept
// relative to that folder and written relative to the working directory,
// which is where Django projects are usually started from.

const anchorNote = "__file__ (the settings file's folder) is not known here: the path is written relative to the working directory; make it absolute if the program runs elsewhere"

func fileAnchor() *val {
	return &val{k: vStr, isPath: true, anchor: "__file__", s: []part{{}}, notes: []string{anchorNote}}
}

func toPath(v *val) *val {
	switch v.k {
	case vStr:
		if v.isPath {
			return v
		}
		cp := *v
		cp.isPath = true
		return &cp
	case vUnknown:
		return v
	}
	return unknown("a path from a " + v.typeName())
}

func pathText(v *val) (string, bool) {
	var b strings.Builder
	for _, p := range v.s {
		if p.env != "" {
			return "", false
		}
		b.WriteString(p.lit)
	}
	return b.String(), true
}

func isEmptyPath(v *val) bool {
	t, ok := pathText(v)
	return ok && t == ""
}

// joinPath is os.path.join(a, b) and Path(a) / b.
func joinPath(a, b *val) *val {
	a = toPath(a)
	if a.k == vUnknown {
		return a
	}
	if b.k == vUnknown {
		return b
	}
	if b.k != vStr {
		return unknown("joining a path with a " + b.typeName())
	}
	var r *val
	switch t, lit := pathText(b); {
	case b.isPath && b.anchor != "", lit && strings.HasPrefix(t, "/"), len(b.s) > 0 && b.s[0].env != "":
		// An absolute second part replaces the first, as in Python; a
		// variable is taken to be absolute too (${LOG_DIR}).
		r = toPath(b)
	case a.anchor != "" && (isEmptyPath(a) || len(a.s) == 1 && a.s[0].lit == "."):
		r = &val{k: vStr, isPath: true, anchor: a.anchor, s: b.s}
	default:
		at, alit := pathText(a)
		sep := "/"
		if alit && (at == "" || strings.HasSuffix(at, "/")) {
			sep = ""
		}
		if alit && at == "." && a.anchor == "" {
			r = &val{k: vStr, isPath: true, s: b.s}
			break
		}
		r = &val{k: vStr, isPath: true, anchor: a.anchor, s: concat(concat(a.s, []part{{lit: sep}}), b.s)}
	}
	r = &val{k: vStr, isPath: true, anchor: r.anchor, s: r.s}
	r.via = append(append(r.via, a.via...), b.via...)
	r.notes = append(append(r.notes, a.notes...), b.notes...)
	return r
}

// dirname is os.path.dirname and Path.parent.
func dirname(v *val) *val {
	v = toPath(v)
	if v.k == vUnknown {
		return v
	}
	cp := *v
	last := v.s[len(v.s)-1]
	if last.env != "" {
		return unknown("the parent of a folder from the environment")
	}
	t := strings.TrimRight(last.lit, "/")
	i := strings.LastIndexByte(t, '/')
	switch {
	case i > 0:
		t = t[:i]
	case i == 0:
		t = "/"
	case len(v.s) > 1:
		return unknown("the parent of a folder from the environment")
	case v.anchor != "":
		t = ""
	default:
		t = "."
	}
	cp.s = append(append([]part(nil), v.s[:len(v.s)-1]...), part{lit: t})
	cp.plain = false
	return &cp
}

// pathParts is the text of a path: relative to the working directory when
// its anchor is not known.
func pathParts(v *val) []part {
	if v.anchor != "" && isEmptyPath(v) {
		return []part{{lit: "."}}
	}
	return v.s
}
