package djangoport

import (
	"fmt"
	"strings"

	"github.com/logdict/logging/core"
)

func (c *converter) handler(path []string, kpath string, e *entry) {
	d := e.v.d
	cls, _, ce := classOf(d, "class", "()")
	switch {
	case ce == nil:
		c.warn(lineOf(e), "%s: the handler has no class: Python's dictConfig refuses it, and so will the library", kpath)
	case cls == "":
		c.commentOut("handlers", path, e, "its class is not a name", fmt.Sprintf("%s: the handler class `%s` cannot be read: the handler is commented out", kpath, oneLine(ce.vsrc, 60)))
		return
	case !known("handlers", cls):
		msg := fmt.Sprintf("%s: handler class %q is Python code, which the library cannot run: the handler is commented out; register a Go handler with logging.RegisterHandler(%q, factory) and uncomment it", kpath, cls, cls)
		if alt := alternatives[cls]; alt != "" {
			msg += ", or use " + alt
		}
		c.commentOut("handlers", path, e, fmt.Sprintf("class %q is Python code", cls), msg)
		return
	}
	t := &table{path: path}
	c.tables = append(c.tables, t)
	watch := isWatchtower(cls)
	c.items(t, kpath, d, nil, "handler", func(key string, se *entry) *item {
		kp := core.JoinPath(kpath, key)
		switch {
		case key == "formatter":
			return c.formatterRef(kp, se)
		case key == "filters":
			return c.refList(kp, "filters", se)
		case watch && (key == "boto3_session" || key == "boto3_client"):
			t.items = append(t.items, c.boto(kp, key, se, d)...)
			return &item{}
		case watch && watchtowerRefused[key] != "":
			it := c.value(kp, key, se, false)
			c.warn(lineOf(se), "%s: the library's CloudWatch handler does not take %s (%s): commented out", kp, key, watchtowerRefused[key])
			it.commented = true
			return it
		case watch && key == "use_queues":
			if t, ok := truth(se.v); ok && !t {
				it := c.value(kp, key, se, false)
				c.warn(lineOf(se), "%s: the library's CloudWatch handler always queues (a log call never waits on the network): use_queues = False is commented out", kp)
				it.commented = true
				return it
			}
		}
		return c.value(kp, key, se, false)
	})
}

// formatterRef converts a handler's formatter name.
func (c *converter) formatterRef(kp string, se *entry) *item {
	name, ok := se.v.literal()
	if !ok {
		return c.value(kp, "formatter", se, false)
	}
	if g := c.gone["formatters"][name]; g != nil {
		g.uses = append(g.uses, kp)
		it := c.value(kp, "formatter", se, false)
		it.commented = true
		it.pre = append(it.pre, fmt.Sprintf("djangoport: formatter %q is commented out above, so this handler uses the default format", name))
		return it
	}
	if !c.defined["formatters"][name] {
		c.warn(lineOf(se), "%s: there is no formatter %q: Python's dictConfig would fail, and so will the library", kp, name)
	}
	return c.value(kp, "formatter", se, false)
}

// refList converts a list of filter or handler names, taking out the
// names whose sections are commented out.
func (c *converter) refList(kp, kind string, se *entry) *item {
	v := se.v
	if v.k != vList && v.k != vTuple {
		if v.k == vStr {
			c.warn(lineOf(se), "%s: a string, not a list: Python iterates over its characters and fails; the library takes it as a list of one name", kp)
		}
		return c.value(kp, kind, se, false)
	}
	what := strings.TrimSuffix(kind, "s")
	kept := &val{k: vList, plain: v.plain}
	var pre []string
	for _, it := range v.items {
		name, ok := it.literal()
		if ok {
			if g := c.gone[kind][name]; g != nil {
				g.uses = append(g.uses, kp)
				pre = append(pre, fmt.Sprintf("djangoport: %s %q taken out of this list: it is commented out above", what, name))
				continue
			}
			if !c.defined[kind][name] {
				c.warn(it.line, "%s: there is no %s %q: Python's dictConfig would fail, and so will the library", kp, what, name)
			}
		}
		if !it.plain {
			kept.plain = false
		}
		kept.items = append(kept.items, it)
		kept.via = append(kept.via, it.via...)
		kept.notes = append(kept.notes, it.notes...)
	}
	cp := *se
	cp.v = kept
	out := c.value(kp, kind, &cp, false)
	out.pre = append(pre, out.pre...)
	return out
}

// boto turns a boto3 Session or client given to watchtower into the
// handler's own region, profile, credential and endpoint keys.
func (c *converter) boto(kp, key string, se *entry, section *dict) []*item {
	v := se.v
	if v.k != vSession {
		return []*item{c.couldNot(kp, se, "not a boto3 session or client the converter can read"+whyOf(v)+
			": set region, profile or the aws_* keys of the handler instead")}
	}
	var out []*item
	var shown, via []string
	if b, ok := c.in.names[strings.TrimSpace(se.vsrc)]; ok {
		via = append(via, fmt.Sprintf("%s (%s)", strings.TrimSpace(se.vsrc), c.in.ld.lineText(b.line, b.line)))
	}
	for _, m := range botoKeys {
		be, ok := v.d.get(m.boto)
		if !ok || be.v.k == vNone {
			continue
		}
		names := []string{m.key}
		switch m.key {
		case "profile":
			names = append(names, "boto3_profile_name")
		case "endpoint_url":
			names = append(names, "endpoint")
		}
		explicit := ""
		for _, n := range names {
			if _, has := section.get(n); has {
				explicit = n
			}
		}
		if explicit != "" {
			c.warn(lineOf(se), "%s: the handler sets %s itself; the session's %s is left out", kp, explicit, m.boto)
			continue
		}
		text, why := renderValue(be.v, false)
		if why != "" {
			out = append(out, &item{pre: []string{fmt.Sprintf("djangoport: could not convert (%s): %s=%s from %s: %s", c.in.ld.at(lineOf(se)), m.boto, oneLine(be.vsrc, 60), oneLine(se.vsrc, 40), why)}})
			c.warn(lineOf(se), "%s: could not convert the session's %s: %s; kept as a comment", kp, m.boto, why)
			continue
		}
		it := &item{key: m.key, text: text}
		if len(out) == 0 {
			it.pre = []string{fmt.Sprintf("djangoport: from %s = %s", key, oneLine(se.vsrc, 80))}
		}
		out = append(out, it)
		if c.secret(core.JoinPath(strings.TrimSuffix(kp, "."+key), m.key), m.key, be.v, lineOf(se)) {
			text = "(value hidden)"
		}
		shown = append(shown, m.key+" = "+text)
		via = append(via, be.v.via...)
	}
	for _, be := range v.d.order {
		known := be.bad != ""
		for _, m := range botoKeys {
			known = known || be.key == m.boto
		}
		if !known && be.v.k != vNone {
			c.warn(lineOf(se), "%s: the session's %s has no equivalent in the library's CloudWatch handler: left out", kp, be.key)
		}
	}
	if len(shown) == 0 {
		shown = []string{"nothing (the AWS SDK's default chain applies)"}
	}
	c.warn(lineOf(se), "%s: the boto3 session `%s` is written as %s%s", kp, oneLine(se.vsrc, 40), strings.Join(shown, ", "), explain(&val{via: via}))
	return out
}

func (c *converter) logger(kpath string, path []string, e *entry) {
	d := e.v.d
	isRoot := len(path) == 1 || e.key == "" || e.key == "root"
	t := &table{path: path}
	c.tables = append(c.tables, t)
	c.items(t, kpath, d, loggerKeys, "logger", func(key string, se *entry) *item {
		kp := core.JoinPath(kpath, key)
		switch key {
		case "handlers", "filters":
			return c.refList(kp, key, se)
		case "propagate":
			if isRoot {
				it := c.value(kp, key, se, false)
				c.warn(lineOf(se), "%s: the root logger has no parent: Python ignores propagate there, and the library refuses it, so it is commented out", kp)
				it.commented = true
				return it
			}
			if se.v.k == vStr {
				c.warn(lineOf(se), "%s: a string: Python takes any non-empty string as true, the library reads \"false\" as false", kp)
			}
		}
		return c.value(kp, key, se, false)
	})
}
