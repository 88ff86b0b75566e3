package core

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Params is the typed view of one section of a configuration (one handler,
// filter or formatter) for its factory. Each getter records a [ConfigError]
// naming the key path when the value is of the wrong type or out of range,
// and returns the default; [Params.Err] then returns all problems at once,
// together with every key no getter asked for (an unknown key).
//
// Values arrive as TOML, YAML or JSON decoded them (int64, int or float64 for
// numbers), after ${VAR} expansion and cfg:// resolution. A Params is used by
// one goroutine.
type Params struct {
	path string
	m    map[string]any
	used map[string]bool
	errs []error
}

// NewParams returns a view of m whose keys live under path.
func NewParams(path string, m map[string]any) *Params {
	return &Params{path: path, m: m, used: make(map[string]bool, len(m))}
}

// Path returns the key path of key in this section.
func (p *Params) Path(key string) string { return JoinPath(p.path, key) }

// Section returns the key path of the section itself.
func (p *Params) Section() string { return p.path }

// Has reports whether key is present, and marks it as known.
func (p *Params) Has(key string) bool {
	p.used[key] = true
	_, ok := p.m[key]
	return ok
}

// Use marks keys as known without reading them.
func (p *Params) Use(keys ...string) {
	for _, k := range keys {
		p.used[k] = true
	}
}

// Raw returns the value of key as decoded, and marks it as known.
func (p *Params) Raw(key string) (any, bool) {
	p.used[key] = true
	v, ok := p.m[key]
	return v, ok
}

// Errorf records a problem with key.
func (p *Params) Errorf(key string, format string, args ...any) {
	p.errs = append(p.errs, &ConfigError{Path: p.Path(key), Err: fmt.Errorf(format, args...)})
}

// Fail records err as a problem with key; err is wrapped, not re-worded.
func (p *Params) Fail(key string, err error) {
	p.errs = append(p.errs, &ConfigError{Path: p.Path(key), Err: err})
}

// Alias resolves a key that has an old and a new name (watchtower's
// log_group and log_group_name): it returns the name present, and records an
// error when both are given.
func (p *Params) Alias(names ...string) string {
	found := ""
	for _, n := range names {
		p.used[n] = true
		if _, ok := p.m[n]; ok {
			if found != "" {
				p.Errorf(n, "%w: give %s or %s, not both", ErrBadValue, found, n)
				continue
			}
			found = n
		}
	}
	if found == "" {
		return names[0]
	}
	return found
}

func (p *Params) show(key string, v any) string {
	if IsSecretKey(key) {
		return "(value hidden)"
	}
	if s, ok := v.(string); ok {
		return strconv.Quote(s)
	}
	return fmt.Sprintf("%v", v)
}

func (p *Params) typeErr(key, want string, v any) {
	p.Errorf(key, "%w: want %s, got %s", ErrBadValue, want, p.show(key, v))
}

// String returns a string value, or def when absent.
func (p *Params) String(key, def string) string {
	v, ok := p.Raw(key)
	if !ok || v == nil {
		return def
	}
	s, ok := v.(string)
	if !ok {
		p.typeErr(key, "a string", v)
		return def
	}
	return s
}

// RequiredString returns a string that must be present and non-empty.
func (p *Params) RequiredString(key string) string {
	v, ok := p.Raw(key)
	if !ok || v == nil {
		p.Errorf(key, "%w: required", ErrMissing)
		return ""
	}
	s, ok := v.(string)
	if !ok {
		p.typeErr(key, "a string", v)
		return ""
	}
	if s == "" {
		p.Errorf(key, "%w: must not be empty", ErrBadValue)
	}
	return s
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case int32:
		return float64(x), true
	case uint64:
		return float64(x), true
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		return f, err == nil
	}
	return 0, false
}

// Int returns an integer in [lo, hi], or def when absent. Numeric strings
// (from ${VAR} expansion) are accepted.
func (p *Params) Int(key string, def, lo, hi int64) int64 {
	v, ok := p.Raw(key)
	if !ok || v == nil {
		return def
	}
	f, ok := toFloat(v)
	if !ok || f != math.Trunc(f) || math.IsInf(f, 0) {
		p.typeErr(key, "an integer", v)
		return def
	}
	if f < float64(lo) || f > float64(hi) {
		p.Errorf(key, "%w: must be %d..%d, got %s", ErrBadValue, lo, hi, p.show(key, v))
		return def
	}
	return int64(f)
}

// Float returns a number in [lo, hi], or def when absent.
func (p *Params) Float(key string, def, lo, hi float64) float64 {
	v, ok := p.Raw(key)
	if !ok || v == nil {
		return def
	}
	f, ok := toFloat(v)
	if !ok || math.IsNaN(f) {
		p.typeErr(key, "a number", v)
		return def
	}
	if f < lo || f > hi {
		p.Errorf(key, "%w: must be %g..%g, got %s", ErrBadValue, lo, hi, p.show(key, v))
		return def
	}
	return f
}

// Bool returns a boolean, or def when absent. "true"/"false" strings (from
// ${VAR} expansion) are accepted; other strings are an error, unlike Python,
// where "false" is truthy.
func (p *Params) Bool(key string, def bool) bool {
	v, ok := p.Raw(key)
	if !ok || v == nil {
		return def
	}
	switch x := v.(type) {
	case bool:
		return x
	case string:
		if b, err := strconv.ParseBool(strings.TrimSpace(x)); err == nil {
			return b
		}
	}
	p.typeErr(key, "true or false", v)
	return def
}

// Duration returns a duration in [lo, hi], or def when absent. A number is
// seconds (watchtower's send_interval = 60); a string is either a number of
// seconds or a Go duration ("1m30s", "250ms").
func (p *Params) Duration(key string, def, lo, hi time.Duration) time.Duration {
	v, ok := p.Raw(key)
	if !ok || v == nil {
		return def
	}
	var d time.Duration
	if f, isNum := toFloat(v); isNum {
		d = time.Duration(f * float64(time.Second))
	} else if s, isStr := v.(string); isStr {
		var err error
		if d, err = time.ParseDuration(strings.TrimSpace(s)); err != nil {
			p.typeErr(key, `a duration ("5s", "250ms") or seconds`, v)
			return def
		}
	} else {
		p.typeErr(key, "a duration or seconds", v)
		return def
	}
	if d < lo || d > hi {
		p.Errorf(key, "%w: must be %v..%v, got %s", ErrBadValue, lo, hi, p.show(key, v))
		return def
	}
	return d
}

// Level returns a level, or def when absent.
func (p *Params) Level(key string, def Level) Level {
	v, ok := p.Raw(key)
	if !ok || v == nil {
		return def
	}
	l, err := ParseLevel(v)
	if err != nil {
		p.Fail(key, err)
		return def
	}
	return l
}

// OneOf returns a string that must be one of choices, or def when absent.
func (p *Params) OneOf(key, def string, choices ...string) string {
	s := p.String(key, def)
	for _, c := range choices {
		if s == c {
			return s
		}
	}
	p.Errorf(key, "%w: %s (want one of: %s)", ErrBadValue, p.show(key, s), strings.Join(choices, ", "))
	return def
}

// StringList returns a list of strings; a single string is a list of one.
func (p *Params) StringList(key string) []string {
	v, ok := p.Raw(key)
	if !ok || v == nil {
		return nil
	}
	switch x := v.(type) {
	case string:
		return []string{x}
	case []string:
		return x
	case []any:
		out := make([]string, 0, len(x))
		for i, e := range x {
			s, ok := e.(string)
			if !ok {
				p.errs = append(p.errs, &ConfigError{Path: fmt.Sprintf("%s[%d]", p.Path(key), i), Err: fmt.Errorf("%w: want a string, got %s", ErrBadValue, p.show(key, e))})
				continue
			}
			out = append(out, s)
		}
		return out
	}
	p.typeErr(key, "a list of strings", v)
	return nil
}

// Map returns a table value.
func (p *Params) Map(key string) map[string]any {
	v, ok := p.Raw(key)
	if !ok || v == nil {
		return nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		p.typeErr(key, "a table", v)
		return nil
	}
	return m
}

// StringMap returns a table of strings (tags, defaults); numbers and booleans
// are turned into their text.
func (p *Params) StringMap(key string) map[string]string {
	m := p.Map(key)
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		switch x := v.(type) {
		case string:
			out[k] = x
		case bool, int, int64, float64:
			out[k] = fmt.Sprint(x)
		default:
			p.errs = append(p.errs, &ConfigError{Path: JoinPath(p.Path(key), k), Err: fmt.Errorf("%w: want a string, got %s", ErrBadValue, p.show(k, v))})
		}
	}
	return out
}

// Err returns every problem recorded, and one error per key that no getter
// read, with a suggestion when it looks like a typo of a known key. It
// returns nil when all is well.
func (p *Params) Err() error {
	errs := p.errs
	var unknown []string
	for k := range p.m {
		if !p.used[k] {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	if len(unknown) > 0 {
		known := make([]string, 0, len(p.used))
		for k := range p.used {
			known = append(known, k)
		}
		sort.Strings(known)
		for _, k := range unknown {
			msg := fmt.Errorf("%w (known: %s)", ErrUnknownKey, strings.Join(known, ", "))
			if s := Suggest(k, known); s != "" {
				msg = fmt.Errorf("%w: did you mean %q? (known: %s)", ErrUnknownKey, s, strings.Join(known, ", "))
			}
			errs = append(errs, &ConfigError{Path: p.Path(k), Err: msg})
		}
	}
	return errors.Join(errs...)
}
