package logging

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/logdict/logging/core"
)

// classTable maps class names (a short name and its Python aliases) to
// factories. It is safe for concurrent use.
type classTable[F any] struct {
	kind string
	mu   sync.RWMutex
	m    map[string]F
}

func (t *classTable[F]) register(name string, f F) error {
	if name == "" {
		return fmt.Errorf("logging: Register%s: empty class name", t.kind)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.m == nil {
		t.m = map[string]F{}
	}
	if _, dup := t.m[name]; dup {
		return fmt.Errorf("logging: Register%s: class %q is already registered", t.kind, name)
	}
	t.m[name] = f
	return nil
}

func (t *classTable[F]) lookup(name string) (F, error) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	if f, ok := t.m[name]; ok {
		return f, nil
	}
	var zero F
	known := make([]string, 0, len(t.m))
	for k := range t.m {
		known = append(known, k)
	}
	sort.Strings(known) // not t.names(): t.mu is held
	if s := core.Suggest(name, known); s != "" {
		return zero, fmt.Errorf("%w %q: did you mean %q? (known: %s)", core.ErrUnknownClass, name, s, strings.Join(known, ", "))
	}
	return zero, fmt.Errorf("%w %q (known: %s)", core.ErrUnknownClass, name, strings.Join(known, ", "))
}

var (
	handlerClasses   = &classTable[core.HandlerFactory]{kind: "Handler"}
	filterClasses    = &classTable[core.FilterFactory]{kind: "Filter"}
	formatterClasses = &classTable[core.FormatterFactory]{kind: "Formatter"}
)

// RegisterHandler makes a handler class available to configurations under
// name, through `class = "name"` or `"()" = "name"`. A name registered twice
// is an error. It is safe to call at any time, typically from init.
func RegisterHandler(name string, f core.HandlerFactory) error {
	return handlerClasses.register(name, f)
}

// RegisterFilter makes a filter class available under name.
func RegisterFilter(name string, f core.FilterFactory) error {
	return filterClasses.register(name, f)
}

// RegisterFormatter makes a formatter class available under name.
func RegisterFormatter(name string, f core.FormatterFactory) error {
	return formatterClasses.register(name, f)
}

func mustRegister(err error) {
	if err != nil {
		panic(err)
	}
}

// Classes returns the class names registered for kind: "handlers",
// "filters" or "formatters" (the built-ins under their short and Python
// names, and those added with RegisterHandler and friends), sorted. Tools
// such as the djangoport converter use it to tell a class this library has
// from Python code it cannot run.
func Classes(kind string) []string {
	switch kind {
	case "handlers":
		return handlerClasses.names()
	case "filters":
		return filterClasses.names()
	case "formatters":
		return formatterClasses.names()
	}
	return nil
}

func (t *classTable[F]) names() []string {
	t.mu.RLock()
	defer t.mu.RUnlock()
	out := make([]string, 0, len(t.m))
	for k := range t.m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
