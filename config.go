package logging

import (
	"fmt"
	"sort"
	"strings"

	"github.com/logdict/logging/core"
)

// config is a dictConfig dict, checked: every problem has been reported by
// key path before anything is built.
type config struct {
	incremental     bool
	disableExisting bool
	formatters      map[string]map[string]any
	filters         map[string]map[string]any
	handlers        map[string]map[string]any
	loggers         map[string]*loggerSpec // by logger name; the root is in root
	loggerOrder     []string
	root            *loggerSpec
}

// loggerSpec is one logger's section. Nil pointers mean "absent": Python
// leaves the level and propagate of a logger unchanged when they are omitted.
type loggerSpec struct {
	path      string
	level     *core.Level
	propagate *bool
	filters   []string
	handlers  []string
}

var topKeys = []string{"version", "incremental", "disable_existing_loggers", "formatters", "filters", "handlers", "loggers", "root"}

var loggerKeys = []string{"level", "propagate", "filters", "handlers"}

// parseConfig checks the shape of a prepared tree (see prepare). Keys that
// dictConfig does not know are ignored at the top level, as in Python (they
// are reachable through cfg://), unless they look like a typo of a section.
func parseConfig(tree map[string]any) (*config, error) {
	var errs errList
	c := &config{disableExisting: true}

	switch v, ok := tree["version"]; {
	case !ok:
		errs.add("version", fmt.Errorf("%w: the configuration must say version = 1", core.ErrMissing))
	default:
		if f, isNum := number(v); !isNum || f != 1 {
			errs.add("version", fmt.Errorf("%w: unsupported version %s (only 1 exists)", core.ErrBadValue, show(v)))
		}
	}
	c.incremental = boolKey(tree, "incremental", false, &errs)
	c.disableExisting = boolKey(tree, "disable_existing_loggers", true, &errs)

	for _, k := range sortedKeys(tree) {
		if contains(topKeys, k) {
			continue
		}
		if s := core.Suggest(k, topKeys); s != "" {
			errs.add(core.QuoteKey(k), fmt.Errorf("%w: did you mean %q?", core.ErrUnknownKey, s))
		}
	}

	c.formatters = sections(tree, "formatters", &errs)
	c.filters = sections(tree, "filters", &errs)
	c.handlers = sections(tree, "handlers", &errs)

	c.loggers = map[string]*loggerSpec{}
	loggers := sections(tree, "loggers", &errs)
	for _, name := range sortedKeys(loggers) {
		sec := loggers[name]
		path := core.JoinPath("loggers", name)
		spec := parseLogger(path, sec, &errs)
		if name == "" || name == "root" {
			// loggers.root and loggers."" are the root logger; a root
			// section, applied last, wins over them (Python 3.9+).
			if c.root == nil {
				c.root = spec
			}
			continue
		}
		c.loggers[name] = spec
	}
	if v, ok := tree["root"]; ok {
		if m, isMap := v.(map[string]any); isMap {
			c.root = parseLogger("root", m, &errs)
			if c.root.propagate != nil {
				// Python ignores propagate on the root; say so rather than
				// accept a setting that does nothing.
				errs.add("root.propagate", fmt.Errorf("%w: the root logger has no parent to propagate to", core.ErrUnknownKey))
			}
		} else {
			errs.add("root", fmt.Errorf("%w: want a table, got %s", core.ErrBadValue, show(v)))
		}
	}
	for name := range c.loggers {
		c.loggerOrder = append(c.loggerOrder, name)
	}
	sort.Strings(c.loggerOrder)

	c.checkRefs(&errs)
	return c, errs.join() // c is returned even on error, for checkClasses
}

// checkRefs reports references to formatters, filters and handlers that the
// configuration does not define. Incremental configurations name only
// existing handlers, checked when they are applied.
func (c *config) checkRefs(errs *errList) {
	if c.incremental {
		return
	}
	for _, name := range sortedKeys(c.handlers) {
		sec := c.handlers[name]
		path := core.JoinPath("handlers", name)
		if f, ok := sec["formatter"]; ok {
			if s, isStr := f.(string); !isStr {
				errs.add(path+".formatter", fmt.Errorf("%w: want a formatter name, got %s", core.ErrBadValue, show(f)))
			} else if _, known := c.formatters[s]; !known {
				errs.add(path+".formatter", fmt.Errorf("%w: no formatter named %q (known: %s)", core.ErrUnknownRef, s, knownNames(c.formatters)))
			}
		}
		c.checkList(path+".filters", sec["filters"], "filter", c.filters, errs)
	}
	specs := make([]*loggerSpec, 0, len(c.loggers)+1)
	for _, name := range c.loggerOrder {
		specs = append(specs, c.loggers[name])
	}
	if c.root != nil {
		specs = append(specs, c.root)
	}
	for _, s := range specs {
		for _, h := range s.handlers {
			if _, ok := c.handlers[h]; !ok {
				errs.add(s.path+".handlers", fmt.Errorf("%w: no handler named %q (known: %s)", core.ErrUnknownRef, h, knownNames(c.handlers)))
			}
		}
		for _, f := range s.filters {
			if _, ok := c.filters[f]; !ok {
				errs.add(s.path+".filters", fmt.Errorf("%w: no filter named %q (known: %s)", core.ErrUnknownRef, f, knownNames(c.filters)))
			}
		}
	}
}

func (c *config) checkList(path string, v any, what string, known map[string]map[string]any, errs *errList) {
	names, err := stringList(v)
	if err != nil {
		errs.add(path, err)
		return
	}
	for _, n := range names {
		if _, ok := known[n]; !ok {
			errs.add(path, fmt.Errorf("%w: no %s named %q (known: %s)", core.ErrUnknownRef, what, n, knownNames(known)))
		}
	}
}

func parseLogger(path string, sec map[string]any, errs *errList) *loggerSpec {
	s := &loggerSpec{path: path}
	for _, k := range sortedKeys(sec) {
		v := sec[k]
		kp := core.JoinPath(path, k)
		switch k {
		case "level":
			l, err := core.ParseLevel(v)
			if err != nil {
				errs.add(kp, err)
				continue
			}
			s.level = &l
		case "propagate":
			b, ok := asBool(v)
			if !ok {
				errs.add(kp, fmt.Errorf("%w: want true or false, got %s", core.ErrBadValue, show(v)))
				continue
			}
			s.propagate = &b
		case "filters", "handlers":
			names, err := stringList(v)
			if err != nil {
				errs.add(kp, err)
				continue
			}
			if k == "filters" {
				s.filters = names
			} else {
				s.handlers = names
			}
		default:
			msg := fmt.Errorf("%w (known: %s)", core.ErrUnknownKey, strings.Join(loggerKeys, ", "))
			if sug := core.Suggest(k, loggerKeys); sug != "" {
				// Python ignores such a key; the seed's "propogate" typo
				// silently left propagation on.
				msg = fmt.Errorf("%w: did you mean %q? (Python would silently ignore it)", core.ErrUnknownKey, sug)
			}
			errs.add(kp, msg)
		}
	}
	return s
}

// sections returns tree[key] as a table of tables, one per named object.
func sections(tree map[string]any, key string, errs *errList) map[string]map[string]any {
	out := map[string]map[string]any{}
	v, ok := tree[key]
	if !ok || v == nil {
		return out
	}
	m, ok := v.(map[string]any)
	if !ok {
		errs.add(key, fmt.Errorf("%w: want a table of named sections, got %s", core.ErrBadValue, show(v)))
		return out
	}
	for name, sec := range m {
		sm, ok := sec.(map[string]any)
		if !ok {
			if sec == nil {
				sm = map[string]any{}
			} else {
				errs.add(core.JoinPath(key, name), fmt.Errorf("%w: want a table, got %s", core.ErrBadValue, show(sec)))
				continue
			}
		}
		out[name] = sm
	}
	return out
}

func boolKey(tree map[string]any, key string, def bool, errs *errList) bool {
	v, ok := tree[key]
	if !ok {
		return def
	}
	b, ok := asBool(v)
	if !ok {
		errs.add(key, fmt.Errorf("%w: want true or false, got %s", core.ErrBadValue, show(v)))
		return def
	}
	return b
}

func asBool(v any) (bool, bool) {
	switch x := v.(type) {
	case bool:
		return x, true
	case string:
		switch strings.ToLower(strings.TrimSpace(x)) {
		case "true", "1", "yes", "on":
			return true, true
		case "false", "0", "no", "off":
			return false, true
		}
	}
	if f, ok := number(v); ok && (f == 0 || f == 1) {
		return f == 1, true
	}
	return false, false
}

func number(v any) (float64, bool) {
	switch x := v.(type) {
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case uint64:
		return float64(x), true
	case float64:
		return x, true
	}
	return 0, false
}

func stringList(v any) ([]string, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case string:
		return []string{x}, nil
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			s, ok := e.(string)
			if !ok {
				return nil, fmt.Errorf("%w: want a list of names, got %s in it", core.ErrBadValue, show(e))
			}
			out = append(out, s)
		}
		return out, nil
	}
	return nil, fmt.Errorf("%w: want a list of names, got %s", core.ErrBadValue, show(v))
}

func show(v any) string {
	if s, ok := v.(string); ok {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprintf("%v", v)
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func knownNames[V any](m map[string]V) string {
	if len(m) == 0 {
		return "none defined"
	}
	return strings.Join(sortedKeys(m), ", ")
}
