package filters

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/logdict/logging/core"
)

var callbacks struct {
	mu sync.RWMutex
	m  map[string]func(*core.Record) bool
}

// RegisterCallback makes fn available to configurations as the callback
// called name: `callback = "name"` in a CallbackFilter section. Register
// callbacks before applying the configuration that names them, typically in
// an init function. It is safe for concurrent use.
//
// RegisterCallback panics when name is empty, fn is nil or name is already
// registered, as http.Handle does: each is a programming error.
func RegisterCallback(name string, fn func(*core.Record) bool) {
	if name == "" || fn == nil {
		panic("filters: RegisterCallback with an empty name or a nil func")
	}
	callbacks.mu.Lock()
	defer callbacks.mu.Unlock()
	if _, dup := callbacks.m[name]; dup {
		panic(fmt.Sprintf("filters: callback %q registered twice", name))
	}
	if callbacks.m == nil {
		callbacks.m = make(map[string]func(*core.Record) bool)
	}
	callbacks.m[name] = fn
}

func lookupCallback(name string) (func(*core.Record) bool, []string) {
	callbacks.mu.RLock()
	defer callbacks.mu.RUnlock()
	if fn, ok := callbacks.m[name]; ok {
		return fn, nil
	}
	known := make([]string, 0, len(callbacks.m))
	for k := range callbacks.m {
		known = append(known, k)
	}
	sort.Strings(known)
	return nil, known
}

// Callback is Django's CallbackFilter: it passes records for which its
// function returns true. The function may attach attributes with
// [core.Record.Set].
//
// A Callback is safe for concurrent use when its function is. The zero value
// passes every record.
type Callback struct {
	fn func(*core.Record) bool
}

var _ core.Filter = (*Callback)(nil)

// NewCallback returns a filter calling fn for each record.
func NewCallback(fn func(*core.Record) bool) *Callback { return &Callback{fn: fn} }

// Filter returns fn(r).
func (f *Callback) Filter(r *core.Record) bool {
	if f.fn == nil {
		return true
	}
	return f.fn(r)
}

// CallbackFactory builds a [Callback] from the key `callback`: the name
// given to [RegisterCallback]. An unknown name is an error listing the known
// ones.
func CallbackFactory(p *core.Params, _ *core.Env) (core.Filter, error) {
	name := p.RequiredString("callback")
	var fn func(*core.Record) bool
	if name != "" {
		var known []string
		if fn, known = lookupCallback(name); fn == nil {
			list := "none registered; use filters.RegisterCallback"
			if len(known) > 0 {
				list = "known: " + strings.Join(known, ", ")
			}
			if s := core.Suggest(name, known); s != "" {
				p.Errorf("callback", "%w: unknown callback %q: did you mean %q? (%s)", core.ErrUnknownRef, name, s, list)
			} else {
				p.Errorf("callback", "%w: unknown callback %q (%s)", core.ErrUnknownRef, name, list)
			}
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return NewCallback(fn), nil
}
