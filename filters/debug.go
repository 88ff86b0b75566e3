package filters

import (
	"os"
	"strings"
	"sync/atomic"

	"github.com/logdict/logging/core"
)

// debug is the process-wide DEBUG setting Django's filters read.
var debug atomic.Bool

func init() { debug.Store(debugFromEnv()) }

// debugFromEnv reads DJANGO_DEBUG, else DEBUG.
func debugFromEnv() bool {
	if v, ok := os.LookupEnv("DJANGO_DEBUG"); ok {
		return truthy(v)
	}
	return truthy(os.Getenv("DEBUG"))
}

// truthy reports whether an environment value turns DEBUG on: "true", "1"
// or "yes", in any case. Anything else, including unset, is off.
func truthy(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "1", "yes":
		return true
	}
	return false
}

// SetDebug sets the process-wide DEBUG setting read by [RequireDebugFalse]
// and [RequireDebugTrue] on every record, Django's settings.DEBUG. It is
// safe to call at any time from any goroutine; the change applies to the
// next record.
//
// At start-up the setting is read from the environment: DJANGO_DEBUG when it
// is set, else DEBUG; "true", "1" and "yes" (any case) mean true.
func SetDebug(on bool) { debug.Store(on) }

// Debug returns the process-wide DEBUG setting; see [SetDebug].
func Debug() bool { return debug.Load() }

// RequireDebugFalse is Django's filter of the same name: it passes records
// only while DEBUG is false, read per record, so [SetDebug] takes effect at
// once. Django's default configuration uses it to mail admins only in
// production.
//
// The zero value reads the process-wide setting. It is safe for concurrent
// use.
type RequireDebugFalse struct {
	fixed *bool // from debug_env at configuration time; nil: process-wide
}

// RequireDebugTrue is Django's filter of the same name: it passes records
// only while DEBUG is true. See [RequireDebugFalse].
type RequireDebugTrue struct {
	fixed *bool
}

var (
	_ core.Filter = (*RequireDebugFalse)(nil)
	_ core.Filter = (*RequireDebugTrue)(nil)
)

func isDebug(fixed *bool) bool {
	if fixed != nil {
		return *fixed
	}
	return debug.Load()
}

// Filter reports whether DEBUG is false.
func (f *RequireDebugFalse) Filter(*core.Record) bool { return !isDebug(f.fixed) }

// Filter reports whether DEBUG is true.
func (f *RequireDebugTrue) Filter(*core.Record) bool { return isDebug(f.fixed) }

// debugParams reads the optional key `debug_env`: the name of an environment
// variable that decides DEBUG for this filter instead of the process-wide
// setting. It is read when the configuration is applied; when the variable
// is unset then, the filter follows the process-wide setting.
func debugParams(p *core.Params) *bool {
	name := p.String("debug_env", "")
	if p.Has("debug_env") && name == "" && p.Err() == nil {
		p.Errorf("debug_env", "%w: must name an environment variable", core.ErrBadValue)
	}
	if name == "" {
		return nil
	}
	v, ok := os.LookupEnv(name)
	if !ok {
		return nil
	}
	b := truthy(v)
	return &b
}

// RequireDebugFalseFactory builds a [RequireDebugFalse]; key `debug_env`
// (optional) names an environment variable to read DEBUG from instead.
func RequireDebugFalseFactory(p *core.Params, _ *core.Env) (core.Filter, error) {
	fixed := debugParams(p)
	if err := p.Err(); err != nil {
		return nil, err
	}
	return &RequireDebugFalse{fixed: fixed}, nil
}

// RequireDebugTrueFactory builds a [RequireDebugTrue]; key `debug_env`
// (optional) names an environment variable to read DEBUG from instead.
func RequireDebugTrueFactory(p *core.Params, _ *core.Env) (core.Filter, error) {
	fixed := debugParams(p)
	if err := p.Err(); err != nil {
		return nil, err
	}
	return &RequireDebugTrue{fixed: fixed}, nil
}
