package djangoport

import (
	"fmt"
	"strings"

	"github.com/logdict/logging/core"
)

// removed is a formatter, filter or handler whose section is commented out;
// uses collects the references to it that were taken out with it.
type removed struct {
	line int
	msg  string
	uses []string
}

// converter turns the LOGGING dict into TOML tables, in dictConfig order.
type converter struct {
	file    string
	in      *interp
	warns   []Warning
	top     []*item
	tables  []*table
	gone    map[string]map[string]*removed
	goneOrd []*removed
	defined map[string]map[string]bool
	noted   map[string]bool
}

func newConverter(file string, in *interp) *converter {
	return &converter{
		file: file, in: in,
		gone:    map[string]map[string]*removed{"formatters": {}, "filters": {}, "handlers": {}},
		defined: map[string]map[string]bool{"formatters": {}, "filters": {}, "handlers": {}},
		noted:   map[string]bool{},
	}
}

func (c *converter) warn(line int, format string, args ...any) {
	c.warns = append(c.warns, Warning{Line: line, Msg: fmt.Sprintf(format, args...)})
}

func (c *converter) render() []byte { return writeDoc(c.top, c.tables) }

func lineOf(e *entry) int {
	if e.keyLine != 0 {
		return e.keyLine
	}
	return e.line
}

func srcOf(e *entry) string {
	if e.src != "" {
		return e.src
	}
	return e.vsrc
}

// couldNot reports an entry that cannot be converted, and returns the
// comment that stands for it in the output.
func (c *converter) couldNot(path string, e *entry, why string) *item {
	src := strings.TrimSpace(srcOf(e))
	where := path
	if where == "" {
		where = target
	}
	c.warn(lineOf(e), "%s: could not convert `%s`: %s; kept as a comment", where, oneLine(src, 60), why)
	return &item{pre: []string{fmt.Sprintf("djangoport: could not convert (%s): %s", c.in.ld.at(lineOf(e)), src)}}
}

// convert fills the document from the LOGGING dict.
func (c *converter) convert(root *dict) {
	sections := map[string]*entry{}
	renamed := map[string]string{}
	var extras []*entry
	for _, e := range root.order {
		if e.bad != "" {
			c.top = append(c.top, c.couldNot("", e, e.bad))
			continue
		}
		key := e.key
		if !contains(topKeys, key) {
			if s := core.Suggest(key, topKeys); s != "" && sections[s] == nil {
				if _, dup := root.get(s); !dup {
					c.warn(lineOf(e), "%q is not a dictConfig key: Python silently ignored it (did you mean %s?); the output uses %s, as surely meant", key, s, s)
					renamed[s] = key
					key = s
				}
			}
		}
		if contains(topKeys, key) {
			sections[key] = e
			continue
		}
		extras = append(extras, e)
	}
	if e := sections["version"]; e == nil {
		c.warn(0, "LOGGING has no \"version\": Python's dictConfig refuses it; the output says version = 1")
		c.top = append(c.top, &item{key: "version", text: "1", pre: []string{"djangoport: added: dictConfig requires version = 1"}})
	} else {
		it := c.value("version", "version", e, false)
		if e.v.k != vInt || e.v.i != 1 {
			c.warn(lineOf(e), "version: dictConfig accepts only 1")
		}
		c.top = append(c.top, it)
	}
	for _, k := range []string{"incremental", "disable_existing_loggers"} {
		if e := sections[k]; e != nil {
			it := c.value(k, k, e, false)
			if renamed[k] != "" {
				it.pre = append([]string{fmt.Sprintf("djangoport: %q corrected to %q", renamed[k], k)}, it.pre...)
			}
			c.top = append(c.top, it)
		}
	}
	for _, e := range extras {
		c.top = append(c.top, c.value(tomlKey(e.key), e.key, e, false))
	}

	dicts := map[string]*dict{}
	for _, kind := range []string{"formatters", "filters", "handlers", "loggers"} {
		e := sections[kind]
		if e == nil {
			continue
		}
		if e.v.k != vDict {
			c.top = append(c.top, c.couldNot(kind, e, "it is not a dict"+whyOf(e.v)))
			continue
		}
		dicts[kind] = e.v.d
		if kind != "loggers" {
			for _, s := range e.v.d.order {
				if s.bad == "" {
					c.defined[kind][s.key] = true
				}
			}
		}
	}
	mark := func(kind string, n int) {
		if len(c.tables) > n && renamed[kind] != "" {
			c.tables[n].pre = append(c.tables[n].pre, fmt.Sprintf("djangoport: %q corrected to %q", renamed[kind], kind))
		}
	}
	for _, kind := range []string{"formatters", "filters", "handlers", "loggers"} {
		d := dicts[kind]
		if d == nil {
			continue
		}
		n := len(c.tables)
		for _, e := range d.order {
			if e.bad != "" {
				it := c.couldNot(kind, e, e.bad)
				c.tables = append(c.tables, &table{path: []string{kind}, pre: it.pre, commented: true})
				continue
			}
			c.section(kind, e)
		}
		mark(kind, n)
	}
	if e := sections["root"]; e != nil {
		n := len(c.tables)
		if e.v.k != vDict {
			it := c.couldNot("root", e, "it is not a dict"+whyOf(e.v))
			c.tables = append(c.tables, &table{path: []string{"root"}, pre: it.pre, commented: true})
		} else {
			c.logger("root", []string{"root"}, e)
		}
		mark("root", n)
	}
	for _, g := range c.goneOrd {
		msg := g.msg
		if len(g.uses) > 0 {
			msg += "; taken out with it: " + strings.Join(g.uses, ", ")
		}
		c.warn(g.line, "%s", msg)
	}
}

// section converts one named formatter, filter, handler or logger.
func (c *converter) section(kind string, e *entry) {
	path := []string{kind, e.key}
	kpath := core.JoinPath(kind, e.key)
	if e.v.k != vDict {
		it := c.couldNot(kpath, e, "it is not a dict"+whyOf(e.v))
		c.tables = append(c.tables, &table{path: path, pre: it.pre, commented: true})
		return
	}
	switch kind {
	case "formatters":
		c.formatter(path, kpath, e)
	case "filters":
		c.filter(path, kpath, e)
	case "handlers":
		c.handler(path, kpath, e)
	case "loggers":
		c.logger(kpath, path, e)
	}
}

// classOf returns the class a section names under one of keys.
func classOf(d *dict, keys ...string) (name, key string, e *entry) {
	for _, k := range keys {
		if ce, ok := d.get(k); ok {
			switch v := ce.v; v.k {
			case vStr:
				if s, lit := v.literal(); lit {
					return s, k, ce
				}
			case vRef:
				return v.qual, k, ce
			}
			return "", k, ce
		}
	}
	return "", "", nil
}

// commentOut writes a section as comments and records it as gone, so that
// references to it are taken out too.
func (c *converter) commentOut(kind string, path []string, e *entry, reason, msg string) {
	t := &table{path: path, commented: true,
		pre: []string{fmt.Sprintf("djangoport: commented out (%s): %s", c.in.ld.at(lineOf(e)), reason)}}
	for _, se := range e.v.d.order {
		if se.bad != "" {
			continue
		}
		text, why := renderValue(se.v, false)
		if se.v.k == vRef {
			text, why = tomlString(se.v.qual), ""
		}
		if why != "" {
			t.items = append(t.items, &item{pre: []string{fmt.Sprintf("%s = %s", tomlKey(se.key), oneLine(se.vsrc, 200))}})
			continue
		}
		t.items = append(t.items, &item{key: se.key, text: text})
	}
	c.tables = append(c.tables, t)
	g := &removed{line: lineOf(e), msg: msg}
	if c.gone[kind] != nil {
		c.gone[kind][e.key] = g
	}
	c.goneOrd = append(c.goneOrd, g)
}

func (c *converter) fieldsHint() string {
	text := `"${ENV}"`
	if b, ok := c.in.names["ENV"]; ok {
		if s, why := renderValue(b.v, false); why == "" && b.v.k == vStr {
			text = s
		}
	}
	return fmt.Sprintf(`"()" = "fields" with fields = { env = %s }`, text)
}

func (c *converter) formatter(path []string, kpath string, e *entry) {
	d := e.v.d
	cls, _, ce := classOf(d, "()", "class")
	if ce != nil && cls == "" {
		c.commentOut("formatters", path, e, "its class is not a name", fmt.Sprintf("%s: the formatter class `%s` cannot be read: the formatter is commented out", kpath, oneLine(ce.vsrc, 60)))
		return
	}
	if ce != nil && !known("formatters", cls) {
		msg := fmt.Sprintf("%s: formatter class %q is Python code, which the library cannot run: the formatter is commented out and its handlers use the default format; register a Go formatter with logging.RegisterFormatter(%q, factory) and uncomment it", kpath, cls, cls)
		if alt := alternatives[cls]; alt != "" {
			msg += ", or use " + alt
		}
		c.commentOut("formatters", path, e, fmt.Sprintf("class %q is Python code", cls), msg)
		return
	}
	var strict []string
	if _, ok := d.get("()"); !ok {
		strict = formatterKeys
	}
	dollar := false
	if se, ok := d.get("style"); ok {
		s, _ := se.v.literal()
		dollar = s == "$"
	}
	t := &table{path: path}
	c.tables = append(c.tables, t)
	c.items(t, kpath, d, strict, "formatter", func(key string, se *entry) *item {
		return c.value(core.JoinPath(kpath, key), key, se, dollar && (key == "format" || key == "fmt"))
	})
}

func (c *converter) filter(path []string, kpath string, e *entry) {
	d := e.v.d
	cls, _, ce := classOf(d, "()")
	if ce != nil && cls == "" {
		c.commentOut("filters", path, e, "its class is not a name", fmt.Sprintf("%s: the filter class `%s` cannot be read: the filter is commented out", kpath, oneLine(ce.vsrc, 60)))
		return
	}
	if ce != nil && !known("filters", cls) {
		c.commentOut("filters", path, e, fmt.Sprintf("class %q is Python code", cls), fmt.Sprintf(
			"%s: filter class %q is Python code, which the library cannot run: the filter is commented out; register a Go filter with logging.RegisterFilter(%q, factory) and uncomment it, or, if it only sets attributes on records (record.env = ...), use the built-in fields filter: %s",
			kpath, cls, cls, c.fieldsHint()))
		return
	}
	if cls == "django.utils.log.CallbackFilter" || cls == "callback" {
		if cb, ok := d.get("callback"); ok && cb.v.k != vStr {
			name := cb.v.qual
			if name == "" {
				name = oneLine(cb.vsrc, 40)
			}
			c.commentOut("filters", path, e, "its callback is a Python function", fmt.Sprintf(
				"%s: the callback %s is a Python function: the filter is commented out; register a Go function with filters.RegisterCallback(%q, fn) and uncomment the filter with callback = %q",
				kpath, name, name, name))
			return
		}
	}
	if strings.Contains(cls, "RequireDebug") || strings.HasPrefix(cls, "require_debug") {
		c.debugNote(kpath, lineOf(e))
	}
	var strict []string
	if ce == nil {
		strict = filterKeys
	}
	t := &table{path: path}
	c.tables = append(c.tables, t)
	c.items(t, kpath, d, strict, "filter", func(key string, se *entry) *item {
		return c.value(core.JoinPath(kpath, key), key, se, false)
	})
}

func (c *converter) debugNote(kpath string, line int) {
	if c.noted["debug"] {
		return
	}
	c.noted["debug"] = true
	from := ""
	if b, ok := c.in.names["DEBUG"]; ok {
		from = fmt.Sprintf(" (DEBUG is set on %s)", c.in.ld.lineText(b.line, line))
		if c.in.ld.fileOf(b.line) == c.in.ld.fileOf(line) {
			_, n := c.in.ld.split(b.line)
			from = fmt.Sprintf(" (DEBUG is set on line %d of this file)", n)
		}
	}
	c.warn(line, "%s: Django's DEBUG setting%s is read by the library from the DJANGO_DEBUG (else DEBUG) environment variable at start-up, or set with filters.SetDebug", kpath, from)
}

// items converts the keys of a section. strict, when not nil, lists the
// only keys Python reads: others are typos to correct or keys to drop.
func (c *converter) items(t *table, kpath string, d *dict, strict []string, what string, conv func(string, *entry) *item) {
	corrected := map[string]bool{} // keys a typo was already corrected to
	for _, se := range d.order {
		if se.bad != "" {
			t.items = append(t.items, c.couldNot(kpath, se, se.bad))
			continue
		}
		key := se.key
		var pre []string
		if strict != nil && !contains(strict, key) {
			s := core.Suggest(key, strict)
			_, taken := d.get(s)
			taken = taken || corrected[s]
			if s == "" || taken {
				also := ""
				if taken {
					also = fmt.Sprintf(" (it looks like %s, which the section also sets)", s)
				}
				c.warn(lineOf(se), "%s: Python ignores %q in a %s%s; the library would reject it, so it is commented out", kpath, key, what, also)
				it := c.value(core.JoinPath(kpath, key), key, se, false)
				it.commented = true
				it.pre = append([]string{fmt.Sprintf("djangoport: Python ignores %q in a %s", key, what)}, it.pre...)
				t.items = append(t.items, it)
				continue
			}
			c.warn(lineOf(se), "%s: %q is not a key Python reads in a %s (did you mean %s?): Python silently ignored it, so %s kept its default; the output sets %s as surely meant (delete it to keep Python's behaviour)",
				kpath, key, what, s, s, s)
			pre = []string{fmt.Sprintf("djangoport: %q corrected to %q (Python silently ignored the misspelt key)", key, s)}
			key = s
			corrected[s] = true
		}
		it := conv(key, se)
		if it.key != "" {
			it.key = key
		}
		it.pre = append(pre, it.pre...)
		t.items = append(t.items, it)
	}
}

// value converts one key's value.
func (c *converter) value(kpath, key string, e *entry, noExpand bool) *item {
	v := e.v
	if v.k == vNone {
		return &item{pre: []string{fmt.Sprintf("djangoport: %s = None in Python: left out, so the default applies", tomlKey(key))}}
	}
	text, why := renderValue(v, noExpand)
	if why != "" {
		return c.couldNot(kpath, e, why)
	}
	if s, ok := v.literal(); ok && strings.HasPrefix(s, "ext://") && s != "ext://sys.stdout" && s != "ext://sys.stderr" {
		return c.couldNot(kpath, e, "the library resolves only ext://sys.stdout and ext://sys.stderr")
	}
	secret := c.secret(kpath, key, v, lineOf(e))
	if !v.plain || len(v.notes) > 0 {
		shown := text
		if secret {
			shown = "(value hidden)"
		}
		c.warn(e.line, "%s: %s → %s%s", kpath, "`"+oneLine(e.vsrc, 60)+"`", shown, explain(v))
	}
	return &item{key: key, text: text}
}

// explain lists the names followed and the notes of a mapped value.
func explain(v *val) string {
	var b strings.Builder
	seen := map[string]bool{}
	var via []string
	for _, n := range v.via {
		if !seen[n] {
			seen[n] = true
			via = append(via, n)
		}
	}
	if len(via) > 0 {
		b.WriteString(" (from " + strings.Join(via, ", ") + ")")
	}
	for _, n := range v.notes {
		if !seen[n] {
			seen[n] = true
			b.WriteString("; " + n)
		}
	}
	return b.String()
}

// secret warns, loudly, about a credential written in the settings file.
func (c *converter) secret(kpath, key string, v *val, line int) bool {
	if !core.IsSecretKey(key) || v.k != vStr {
		return false
	}
	for _, p := range v.s {
		if p.env == "" && p.lit != "" {
			c.warn(line, "%s: WARNING: a credential is written in the settings file, and so in the output (value not shown): move it to an environment variable (%s = \"${%s}\") or use a profile",
				kpath, key, strings.ToUpper(key))
			return true
		}
	}
	return false
}
