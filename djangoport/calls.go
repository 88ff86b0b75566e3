package djangoport

import (
	"fmt"
	"strings"
)

// bareAliases are names that settings files use without importing them in
// a way the converter saw, mapped to what they almost always are.
var bareAliases = map[string]string{
	"Path":     "pathlib.Path",
	"Session":  "boto3.session.Session",
	"environ":  "os.environ",
	"getenv":   "os.getenv",
	"deepcopy": "copy.deepcopy",
}

// canonical maps the names of the same thing to one.
var canonical = map[string]string{
	"boto3.Session":         "boto3.session.Session",
	"pathlib.PosixPath":     "pathlib.Path",
	"pathlib.PurePath":      "pathlib.Path",
	"pathlib.PurePosixPath": "pathlib.Path",
	"posixpath.join":        "os.path.join",
	"posixpath.dirname":     "os.path.dirname",
}

var builtinNames = map[string]bool{"int": true, "float": true, "str": true, "bool": true, "dict": true, "list": true, "tuple": true, "len": true}

// lookup evaluates a name.
func (in *interp) lookup(name string) *val {
	if b, ok := in.names[name]; ok {
		if b.v.k == vRef {
			return b.v
		}
		return b.v.annotate(fmt.Sprintf("%s (%s)", name, in.ld.lineText(b.line, b.line)))
	}
	switch {
	case name == "__file__":
		return fileAnchor()
	case builtinNames[name]:
		return &val{k: vRef, qual: name}
	case bareAliases[name] != "":
		return in.ref(bareAliases[name])
	case name == "os" || name == "sys" || name == "logging" || name == "pathlib" || name == "boto3" || name == "copy":
		return &val{k: vRef, qual: name}
	}
	why := ""
	if in.starImport != "" {
		why = " (it may come from " + in.starImport + ")"
	}
	return &val{k: vRef, qual: name, undefined: true, why: name + " is not defined in this file" + why}
}

// ref resolves a qualified name to a constant when it is one.
func (in *interp) ref(qual string) *val {
	if c, ok := canonical[qual]; ok {
		qual = c
	}
	if lv, ok := strings.CutPrefix(qual, "logging."); ok {
		if n, isLevel := levels[lv]; isLevel {
			return &val{k: vInt, i: n, level: lv}
		}
	}
	switch qual {
	case "sys.stdout", "sys.stderr":
		return &val{k: vStream, qual: "ext://" + qual}
	case "sys.__stdout__", "sys.__stderr__":
		return &val{k: vStream, qual: "ext://sys." + strings.Trim(strings.TrimPrefix(qual, "sys."), "_")}
	}
	return &val{k: vRef, qual: qual}
}

// attr evaluates x.name.
func (in *interp) attr(x *val, name string, n *node) *val {
	switch x.k {
	case vUnknown:
		return x
	case vRef:
		if x.undefined {
			return unknown(x.why)
		}
		if x.def != "" {
			return unknown(fmt.Sprintf("%s.%s: %s defined in %s", x.qual, name, x.def, in.ld.where(x.line, in.base)))
		}
		return in.ref(x.qual + "." + name).annotate(strings.Join(x.via, ""))
	case vStr:
		if x.isPath && name == "parent" {
			return dirname(x)
		}
		if x.isPath && name == "name" {
			s, ok := str(x).literal()
			if !ok || x.anchor != "" && len(x.s) == 1 && x.s[0].lit == "" {
				return unknown("the name of a path that is not known")
			}
			return strVal(s[strings.LastIndexByte(s, '/')+1:])
		}
	}
	return unknown(fmt.Sprintf("the attribute %s of a %s", name, x.typeName()))
}

// call evaluates a call expression.
func (in *interp) call(n *node) *val {
	fn := n.kids[0]
	if fn.kind == nAttr {
		recv := in.eval(fn.kids[0])
		if recv.k != vRef && recv.k != vUnknown {
			return in.method(recv, fn.name, n)
		}
	}
	f := in.eval(fn)
	switch {
	case f.k == vUnknown:
		return f
	case f.k != vRef:
		return unknown("calling a " + f.typeName())
	case f.undefined:
		return unknown(f.why)
	case f.def != "":
		return unknown(fmt.Sprintf("it calls %s, a %s defined in %s", f.qual, f.def, in.ld.where(f.line, in.base)))
	}
	args := make([]*val, 0, len(n.kids)-1)
	for _, a := range n.kids[1:] {
		if a.kind == nStar {
			return unknown("a call with *args")
		}
		args = append(args, in.eval(a))
	}
	kw := newDict()
	for _, k := range n.kw {
		if k.name == "" {
			x := in.eval(k.val)
			if x.k != vDict {
				return unknown("a call with **" + in.text(k.val) + whyOf(x))
			}
			for _, e := range x.d.order {
				if e.bad == "" {
					kw.set(e)
				}
			}
			continue
		}
		kw.set(&entry{key: k.name, v: in.eval(k.val), line: in.line(k.val.pos), vsrc: in.text(k.val)})
	}
	return in.callQual(f.qual, args, kw, n)
}

func kwArg(kw *dict, name string) *val {
	if e, ok := kw.get(name); ok {
		return e.v
	}
	return nil
}

// callQual calls a function known by its qualified name.
func (in *interp) callQual(qual string, args []*val, kw *dict, n *node) *val {
	arg := func(i int, name string) *val {
		if v := kwArg(kw, name); v != nil {
			return v
		}
		if i < len(args) {
			return args[i]
		}
		return nil
	}
	switch qual {
	case "os.environ.get", "os.getenv", "os.environ.setdefault":
		return envGet(in.text(n), arg(0, "key"), arg(1, "default"))
	case "pathlib.Path":
		if len(args) == 0 {
			return &val{k: vStr, isPath: true, s: []part{{lit: "."}}}
		}
		p := toPath(args[0])
		for _, a := range args[1:] {
			p = joinPath(p, a)
		}
		return p
	case "pathlib.Path.home", "pathlib.Path.cwd":
		env := "HOME"
		if strings.HasSuffix(qual, "cwd") {
			env = "PWD"
		}
		return &val{k: vStr, isPath: true, s: []part{{env: env}}}
	case "os.path.join":
		if len(args) == 0 {
			return unknown("os.path.join() with no arguments")
		}
		p := toPath(args[0])
		for _, a := range args[1:] {
			p = joinPath(p, a)
		}
		return str(p)
	case "os.path.dirname":
		if len(args) != 1 {
			break
		}
		return str(dirname(toPath(args[0])))
	case "os.path.abspath", "os.path.realpath", "os.path.normpath", "os.fspath":
		if len(args) != 1 {
			break
		}
		return str(toPath(args[0]))
	case "os.path.expanduser":
		if len(args) != 1 {
			break
		}
		if s, ok := args[0].literal(); ok && (s == "~" || strings.HasPrefix(s, "~/")) {
			return &val{k: vStr, s: []part{{env: "HOME"}, {lit: s[1:]}}}
		}
		return str(toPath(args[0]))
	case "str":
		if len(args) == 1 {
			return str(args[0])
		}
	case "int", "float":
		if len(args) != 1 {
			break
		}
		return convertNumber(qual, args[0])
	case "bool":
		if len(args) == 1 {
			t, ok := truth(args[0])
			if !ok {
				return unknown("bool() of a value from the environment (Python: any non-empty string is true)")
			}
			return &val{k: vBool, b: t}
		}
	case "dict":
		d := newDict()
		if len(args) == 1 {
			if args[0].k != vDict {
				return unknown("dict() of a " + args[0].typeName())
			}
			d = args[0].d.clone()
		}
		for _, e := range kw.order {
			d.set(e)
		}
		return &val{k: vDict, d: d}
	case "list", "tuple":
		if len(args) == 1 && (args[0].k == vList || args[0].k == vTuple) {
			k := vList
			if qual == "tuple" {
				k = vTuple
			}
			return &val{k: k, items: append([]*val(nil), args[0].items...)}
		}
	case "copy.deepcopy", "copy.copy":
		if len(args) == 1 {
			if qual == "copy.copy" && args[0].k == vDict {
				return &val{k: vDict, d: shallow(args[0].d)}
			}
			return deepClone(args[0])
		}
	case "boto3.session.Session":
		return session(args, kw, []string{"aws_access_key_id", "aws_secret_access_key", "aws_session_token", "region_name", "botocore_session", "profile_name"})
	case "boto3.client":
		return client(nil, args, kw)
	}
	if strings.HasPrefix(qual, "os.environ.") || strings.HasPrefix(qual, "os.path.") {
		return unknown(qual + "() is not modelled")
	}
	return unknown(qual + "() is Python code the converter does not run")
}

func shallow(d *dict) *dict {
	out := newDict()
	for _, e := range d.order {
		cp := *e
		if e.bad != "" {
			out.addBad(&cp)
		} else {
			out.set(&cp)
		}
	}
	return out
}

// envGet maps os.environ.get(name, default) to ${name:-default}.
func envGet(src string, name, def *val) *val {
	if name == nil {
		return unknown("an environment lookup without a name")
	}
	key, ok := name.literal()
	if !ok || !isEnvName(key) {
		return unknown("an environment lookup whose name is not a literal variable name")
	}
	p := part{env: key}
	if def != nil && def.k != vNone {
		d := str(def)
		text, isLit := d.literal()
		if !isLit || strings.Contains(text, "}") {
			return unknown("the default of " + src + " cannot be written as ${" + key + ":-...}")
		}
		p.def, p.hasDef = text, true
	}
	return &val{k: vStr, s: []part{p}}
}

func convertNumber(qual string, x *val) *val {
	switch x.k {
	case vInt, vFloat, vBool:
		n, _ := numeric(x)
		if qual == "int" {
			if x.k == vFloat {
				return intVal(int64(n))
			}
			return intVal(int64(n))
		}
		return &val{k: vFloat, f: n}
	case vStr:
		if s, ok := x.literal(); ok {
			v := number(strings.TrimSpace(s))
			if v.k == vUnknown {
				return unknown(qual + "() of " + pyRepr(s))
			}
			return convertNumber(qual, v)
		}
		// The library reads numbers from text (${VAR} expands to text).
		return x.annotate("", qual+"() of a variable is kept as text: the library reads numbers from text")
	}
	return unknown(qual + "() of a " + x.typeName())
}

// method evaluates recv.name(args...).
func (in *interp) method(recv *val, name string, n *node) *val {
	var args []*val
	for _, a := range n.kids[1:] {
		if a.kind == nStar {
			return unknown("a call with *args")
		}
		args = append(args, in.eval(a))
	}
	kw := newDict()
	for _, k := range n.kw {
		if k.name == "" {
			return unknown("a call with **kwargs")
		}
		kw.set(&entry{key: k.name, v: in.eval(k.val)})
	}
	switch recv.k {
	case vStr:
		if recv.isPath {
			switch name {
			case "resolve", "absolute", "expanduser":
				return recv
			case "joinpath":
				p := recv
				for _, a := range args {
					p = joinPath(p, a)
				}
				return p
			case "as_posix", "__str__":
				return str(recv)
			}
			break
		}
		s, ok := recv.literal()
		if !ok {
			return unknown(name + "() of a value from the environment")
		}
		switch name {
		case "upper":
			return strVal(strings.ToUpper(s))
		case "lower":
			return strVal(strings.ToLower(s))
		case "strip":
			if len(args) == 0 {
				return strVal(strings.TrimSpace(s))
			}
		case "format":
			return strFormat(s, args, kw)
		}
	case vDict:
		switch name {
		case "get":
			if len(args) >= 1 {
				if k, ok := args[0].literal(); ok {
					if e, found := recv.d.get(k); found {
						return e.v.annotate("")
					}
					if len(args) > 1 {
						return args[1]
					}
					return &val{k: vNone}
				}
			}
		case "copy":
			return &val{k: vDict, d: shallow(recv.d)}
		}
	case vSession:
		if name == "client" {
			return client(recv, args, kw)
		}
	}
	return unknown(fmt.Sprintf("the method %s() of a %s", name, recv.typeName()))
}

// strFormat is str.format with {} / {0} / {name} fields and no specs.
func strFormat(format string, args []*val, kw *dict) *val {
	var out []part
	auto := 0
	for i := 0; i < len(format); i++ {
		c := format[i]
		switch {
		case c == '{' && i+1 < len(format) && format[i+1] == '{', c == '}' && i+1 < len(format) && format[i+1] == '}':
			out = concat(out, []part{{lit: string(c)}})
			i++
		case c == '{':
			end := strings.IndexByte(format[i:], '}')
			if end < 0 {
				return unknown("an unterminated {} field in str.format")
			}
			field := format[i+1 : i+end]
			var a *val
			switch {
			case field == "":
				if auto < len(args) {
					a = args[auto]
				}
				auto++
			case field[0] >= '0' && field[0] <= '9':
				if j := int(field[0] - '0'); len(field) == 1 && j < len(args) {
					a = args[j]
				}
			default:
				a = kwArg(kw, field)
			}
			if a == nil {
				return unknown("the str.format field {" + field + "}")
			}
			s := str(a)
			if s.k == vUnknown {
				return s
			}
			out = concat(out, s.s)
			i += end
		default:
			out = concat(out, []part{{lit: string(c)}})
		}
	}
	if len(out) == 0 {
		out = []part{{}}
	}
	return &val{k: vStr, s: out}
}

// session is a boto3 Session: its arguments, by name.
func session(args []*val, kw *dict, positional []string) *val {
	d := newDict()
	for i, a := range args {
		if i >= len(positional) {
			return unknown("too many arguments to Session()")
		}
		d.set(&entry{key: positional[i], v: a})
	}
	for _, e := range kw.order {
		d.set(e)
	}
	return &val{k: vSession, d: d}
}

// client is boto3.client("logs", ...) or session.client("logs", ...): the
// session's arguments overridden by the client's.
func client(sess *val, args []*val, kw *dict) *val {
	if len(args) > 0 {
		if svc, ok := args[0].literal(); !ok || svc != "logs" {
			return unknown("a boto3 client for a service other than logs")
		}
	}
	c := session(nil, kw, nil)
	if sess != nil {
		d := sess.d.clone()
		for _, e := range c.d.order {
			d.set(e)
		}
		c.d = d
	}
	c.d.del("service_name")
	return c
}
