package logging

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/logdict/logging/core"
)

// closeTimeout bounds how long a reconfiguration waits for the handlers it
// replaces to deliver what they hold.
const closeTimeout = 10 * time.Second

// ConfigureMap applies a dictConfig dict that is already decoded, such as
// {"version": 1, "loggers": {...}}. The map is not modified or kept.
//
// Everything is checked and every new handler built before anything
// changes: on any error the previous configuration stays fully in effect,
// and the error lists every problem by key path (see [Error]). On success
// the loggers switch to the new handlers at once, then the replaced
// handlers are flushed and closed.
func (r *Registry) ConfigureMap(tree map[string]any) error {
	prepared, err := prepare(tree, envLookup)
	if err != nil {
		return err
	}
	if err := r.applyEnvLevels(prepared); err != nil {
		return err
	}
	cfg, err := parseConfig(prepared)
	if err != nil {
		// Report unknown classes too, so one pass fixes more; parameters
		// are checked by the factories, which run only on a sound file.
		var errs errList
		errs.addAll(err)
		if cfg != nil && !cfg.incremental {
			errs.addAll(checkClasses(cfg))
		}
		return errs.join()
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if cfg.incremental {
		return r.applyIncremental(cfg)
	}
	b, err := r.build(cfg)
	if err != nil {
		return err
	}
	replaced := r.apply(cfg, b)
	r.registerExit()
	var old []*handler
	for _, h := range replaced {
		if _, kept := b.reused[h]; !kept {
			old = append(old, h)
		}
	}
	// The replaced handlers are closed after the swap, outside of any lock
	// a logging goroutine could wait on.
	ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
	defer cancel()
	if err := closeHandlers(ctx, old); err != nil {
		r.report.report(fmt.Errorf("closing the previous configuration's handlers: %w", err))
	}
	return nil
}

// checkClasses reports every class name that is not registered.
func checkClasses(cfg *config) error {
	var errs errList
	check := func(section string, secs map[string]map[string]any, def string, lookup func(string) error) {
		for _, name := range sortedKeys(secs) {
			path := core.JoinPath(section, name)
			cls, err := class(path, secs[name], def)
			if err != nil {
				errs.addAll(err)
				continue
			}
			if err := lookup(cls); err != nil {
				errs.add(core.JoinPath(path, classKey(secs[name])), err)
			}
		}
	}
	check("formatters", cfg.formatters, "logging.Formatter", func(c string) error { _, err := formatterClasses.lookup(c); return err })
	check("filters", cfg.filters, "logging.Filter", func(c string) error { _, err := filterClasses.lookup(c); return err })
	check("handlers", cfg.handlers, "", func(c string) error { _, err := handlerClasses.lookup(c); return err })
	return errs.join()
}

// built is what a configuration constructs, before it is put in place.
type built struct {
	// reused are handlers kept from the previous configuration, with
	// the level the new one gives them.
	reused   map[*handler]core.Level
	filters  map[string]core.Filter
	handlers map[string]*handler
	order    []*handler // sorted by name, Python's construction order
}

// build constructs formatters, filters and handlers (in Python's order:
// formatters, filters, handlers sorted by name). On error it closes what it
// built and returns every problem.
func (r *Registry) build(cfg *config) (*built, error) {
	var errs errList
	env := func(name string) *core.Env {
		return &core.Env{Name: name, Stdout: r.out(), Stderr: r.errOut(), OnError: r.report.report}
	}

	formatters := map[string]core.Formatter{}
	for _, name := range sortedKeys(cfg.formatters) {
		path := core.JoinPath("formatters", name)
		f, err := buildFormatter(path, cfg.formatters[name], env(name))
		if err != nil {
			errs.addAll(err)
			continue
		}
		formatters[name] = f
	}
	filters := map[string]core.Filter{}
	for _, name := range sortedKeys(cfg.filters) {
		path := core.JoinPath("filters", name)
		f, err := buildFilter(path, cfg.filters[name], env(name))
		if err != nil {
			errs.addAll(err)
			continue
		}
		filters[name] = f
	}
	b := &built{handlers: map[string]*handler{}, reused: map[*handler]core.Level{}}
	current := map[string]*handler{}
	for _, h := range r.handlers {
		current[h.name] = h
	}
	var fresh []*handler
	for _, name := range sortedKeys(cfg.handlers) {
		path := core.JoinPath("handlers", name)
		spec := handlerSpec(cfg, name)
		if old, ok := current[name]; ok && reflect.DeepEqual(old.spec, spec) {
			// The same handler, formatter and filters as before: keep it
			// running (its queue, its connections, its open file). Only
			// its level may differ, applied with the rest.
			l, err := core.ParseLevel(orDefault(cfg.handlers[name]["level"], int64(0)))
			if err != nil {
				errs.add(path+".level", err)
				continue
			}
			b.reused[old] = l
			b.handlers[name] = old
			b.order = append(b.order, old)
			continue
		}
		h, err := r.buildHandler(path, name, cfg.handlers[name], formatters, filters, env(name))
		if err != nil {
			errs.addAll(err)
			continue
		}
		h.spec = spec
		b.handlers[name] = h
		b.order = append(b.order, h)
		fresh = append(fresh, h)
	}
	if err := errs.join(); err != nil {
		ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
		defer cancel()
		_ = closeHandlers(ctx, fresh)
		return nil, err
	}
	b.filters = filters
	return b, nil
}

// handlerSpec is what decides whether a handler can be kept across a
// reconfiguration: its section but the level, with the sections of its
// formatter and filters in place of their names.
func handlerSpec(cfg *config, name string) map[string]any {
	sec := cfg.handlers[name]
	spec := make(map[string]any, len(sec))
	for k, v := range sec {
		if k != "level" {
			spec[k] = v
		}
	}
	if f, ok := sec["formatter"].(string); ok {
		spec["formatter"] = cfg.formatters[f]
	}
	names, _ := stringList(sec["filters"])
	fs := make([]any, len(names))
	for i, n := range names {
		fs[i] = cfg.filters[n]
	}
	spec["filters"] = fs
	return spec
}

func orDefault(v, def any) any {
	if v == nil {
		return def
	}
	return v
}

// class returns the class a section names with "()" or "class", or def.
func class(path string, sec map[string]any, def string) (string, error) {
	var names []string
	for _, k := range []string{"()", "class"} {
		if v, ok := sec[k]; ok {
			s, isStr := v.(string)
			if !isStr || s == "" {
				return "", &core.ConfigError{Path: core.JoinPath(path, k), Err: fmt.Errorf("%w: want a class name, got %s", core.ErrBadValue, show(v))}
			}
			names = append(names, s)
		}
	}
	switch len(names) {
	case 0:
		if def == "" {
			return "", &core.ConfigError{Path: path + ".class", Err: fmt.Errorf("%w: every handler needs a class", core.ErrMissing)}
		}
		return def, nil
	case 2:
		return "", &core.ConfigError{Path: path, Err: fmt.Errorf("%w: give class or \"()\", not both", core.ErrBadValue)}
	}
	return names[0], nil
}

func classKey(sec map[string]any) string {
	if _, ok := sec["()"]; ok {
		return "()"
	}
	return "class"
}

// params returns the factory's view of a section: every key but those the
// registry consumes, with the "." table (attributes Python sets after
// construction) merged in, since a Go constructor takes them all at once.
func params(path string, sec map[string]any, consumed ...string) (*core.Params, error) {
	m := make(map[string]any, len(sec))
	for k, v := range sec {
		if k == "()" || k == "class" || k == "." || contains(consumed, k) {
			continue
		}
		m[k] = v
	}
	if dot, ok := sec["."]; ok {
		dm, isMap := dot.(map[string]any)
		if !isMap {
			return nil, &core.ConfigError{Path: core.JoinPath(path, "."), Err: fmt.Errorf("%w: want a table of attributes", core.ErrBadValue)}
		}
		for k, v := range dm {
			if _, dup := m[k]; dup {
				return nil, &core.ConfigError{Path: core.JoinPath(core.JoinPath(path, "."), k), Err: fmt.Errorf("%w: also given as a parameter", core.ErrBadValue)}
			}
			m[k] = v
		}
	}
	return core.NewParams(path, m), nil
}

func buildFormatter(path string, sec map[string]any, env *core.Env) (core.Formatter, error) {
	return buildSection(path, sec, "logging.Formatter", formatterClasses, env)
}

func buildFilter(path string, sec map[string]any, env *core.Env) (core.Filter, error) {
	return buildSection(path, sec, "logging.Filter", filterClasses, env)
}

// buildSection builds a formatter or filter section with the factory its
// class names (def when it names none).
func buildSection[T any, F ~func(*core.Params, *core.Env) (T, error)](path string, sec map[string]any, def string, classes *classTable[F], env *core.Env) (T, error) {
	var zero T
	name, err := class(path, sec, def)
	if err != nil {
		return zero, err
	}
	factory, err := classes.lookup(name)
	if err != nil {
		return zero, &core.ConfigError{Path: core.JoinPath(path, classKey(sec)), Err: err}
	}
	p, err := params(path, sec)
	if err != nil {
		return zero, err
	}
	return factory(p, env)
}

func (r *Registry) buildHandler(path, name string, sec map[string]any, formatters map[string]core.Formatter, filters map[string]core.Filter, env *core.Env) (*handler, error) {
	var errs errList
	cls, err := class(path, sec, "")
	if err != nil {
		return nil, err
	}
	factory, err := handlerClasses.lookup(cls)
	if err != nil {
		errs.add(core.JoinPath(path, classKey(sec)), err)
	}
	h := &handler{name: name, report: r.report, formatter: defaultFormatter()}
	if v, ok := sec["level"]; ok {
		l, err := core.ParseLevel(v)
		if err != nil {
			errs.add(path+".level", err)
		}
		h.lvl.Store(int64(l))
	}
	if v, ok := sec["formatter"]; ok {
		// Existence was checked with the configuration; a formatter that
		// failed to build was reported already.
		if f, ok := formatters[v.(string)]; ok {
			h.formatter = f
		}
	}
	names, _ := stringList(sec["filters"])
	for _, fn := range names {
		if f, ok := filters[fn]; ok {
			h.filters = append(h.filters, f)
		}
	}
	if cu, ok := h.formatter.(core.CallerUser); ok {
		h.needCaller = cu.UsesCaller()
	}
	if len(errs) > 0 || factory == nil {
		return nil, errs.join()
	}
	p, err := params(path, sec, "level", "formatter", "filters")
	if err != nil {
		return nil, err
	}
	sink, err := factory(p, env)
	if err != nil {
		return nil, err
	}
	h.sink = sink
	return h, nil
}

// apply puts a built configuration in place, as Python's dictConfig does
// for the loggers, and returns the handlers it replaced. Called with r.mu.
func (r *Registry) apply(cfg *config, b *built) []*handler {
	r.swap.Lock()
	defer r.swap.Unlock()

	for h, l := range b.reused {
		h.lvl.Store(int64(l))
	}
	configured := map[string]bool{}
	for _, name := range cfg.loggerOrder {
		n := r.nodeLocked(name, false)
		configured[name] = true
		n.state.Store(loggerState(n.state.Load(), cfg.loggers[name], b, true))
	}
	// _handle_existing_loggers: loggers below a configured one are reset
	// to inherit from it; other existing loggers are disabled when
	// disable_existing_loggers is true (and enabled when it is false).
	// Unlike Python, which leaves closed handlers attached to loggers the
	// configuration does not name, every logger loses the old handlers: a
	// closed CloudWatch handler would only drop what it got.
	for name, n := range r.nodes {
		if n == r.root || configured[name] {
			continue
		}
		st := n.state.Load().clone()
		st.handlers = nil
		if under(name, configured) {
			st.level, st.propagate, st.disabled, st.filters = core.NOTSET, true, false, nil
		} else if !n.placeholder {
			st.disabled = cfg.disableExisting
		}
		n.state.Store(st)
	}
	rs := r.root.state.Load()
	if cfg.root != nil {
		rs = loggerState(rs, cfg.root, b, false)
	} else {
		rs = rs.clone()
		rs.handlers = nil
	}
	r.root.state.Store(rs)
	r.recompute()

	old := r.handlers
	r.handlers = b.order
	return old
}

// under reports whether name is below any configured logger.
func under(name string, configured map[string]bool) bool {
	for i := strings.LastIndexByte(name, '.'); i > 0; i = strings.LastIndexByte(name[:i], '.') {
		if configured[name[:i]] {
			return true
		}
	}
	return false
}

// loggerState is Python's common_logger_config: level and propagate change
// only when given; handlers are replaced; filters are replaced too (Python
// accumulates them across configurations, a quirk not worth keeping).
func loggerState(prev *nodeState, s *loggerSpec, b *built, isLogger bool) *nodeState {
	st := prev.clone()
	if s.level != nil {
		st.level = *s.level
	}
	if s.propagate != nil && isLogger {
		st.propagate = *s.propagate
	}
	st.disabled = false
	st.handlers = nil
	for _, h := range s.handlers {
		st.handlers = append(st.handlers, b.handlers[h])
	}
	st.filters = nil
	for _, f := range s.filters {
		st.filters = append(st.filters, b.filters[f])
	}
	return st
}

// applyIncremental is dictConfig with incremental = true: only handler
// levels and logger levels and propagate change; nothing is built. Every
// named handler must exist, checked before anything changes.
func (r *Registry) applyIncremental(cfg *config) error {
	var errs errList
	byName := map[string]*handler{}
	for _, h := range r.handlers {
		byName[h.name] = h
	}
	levels := map[*handler]core.Level{}
	for _, name := range sortedKeys(cfg.handlers) {
		path := core.JoinPath("handlers", name)
		h, ok := byName[name]
		if !ok {
			errs.add(path, fmt.Errorf("%w: no handler named %q to change (incremental configurations change existing handlers only; known: %s)", core.ErrUnknownRef, name, knownNames(byName)))
			continue
		}
		if v, ok := cfg.handlers[name]["level"]; ok {
			l, err := core.ParseLevel(v)
			if err != nil {
				errs.add(path+".level", err)
				continue
			}
			levels[h] = l
		}
	}
	if err := errs.join(); err != nil {
		return err
	}
	r.swap.Lock()
	defer r.swap.Unlock()
	for h, l := range levels {
		h.lvl.Store(int64(l))
	}
	set := func(n *node, s *loggerSpec, isLogger bool) {
		st := n.state.Load().clone()
		if s.level != nil {
			st.level = *s.level
		}
		if s.propagate != nil && isLogger {
			st.propagate = *s.propagate
		}
		st.disabled = false
		n.state.Store(st)
	}
	for _, name := range cfg.loggerOrder {
		set(r.nodeLocked(name, false), cfg.loggers[name], true)
	}
	if cfg.root != nil {
		set(r.root, cfg.root, false)
	}
	r.recompute()
	return nil
}

// handlerNames lists the names of the handlers in effect, sorted.
func (r *Registry) handlerNames() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]string, 0, len(r.handlers))
	for _, h := range r.handlers {
		out = append(out, h.name)
	}
	sort.Strings(out)
	return out
}
