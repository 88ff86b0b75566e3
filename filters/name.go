package filters

import (
	"strings"

	"github.com/logdict/logging/core"
)

// Name is Python's logging.Filter(name): it passes records logged on the
// logger called name or on one of its descendants. Name "a.b" passes "a.b"
// and "a.b.c", not "a.bc", "a" or "x.a.b". The empty name passes every record.
//
// A Name is immutable and safe for concurrent use. The zero value passes
// every record.
type Name struct {
	name string
}

var _ core.Filter = (*Name)(nil)

// NewName returns a filter passing records of logger name and its descendants.
func NewName(name string) *Name { return &Name{name: name} }

// Filter reports whether r was logged on the filter's logger or below it.
func (f *Name) Filter(r *core.Record) bool {
	n := f.name
	if n == "" {
		return true
	}
	// Python compares against record.name, where the root logger is "root":
	// Filter("root") passes records of the root logger only.
	return r.Name == n || (len(r.Name) > len(n) && r.Name[len(n)] == '.' && strings.HasPrefix(r.Name, n))
}

// String returns the logger name the filter passes.
func (f *Name) String() string { return f.name }

// NameFactory builds a [Name] from the key `name` (default "", pass all),
// the class Python's dictConfig uses for a filter section without `()`.
func NameFactory(p *core.Params, _ *core.Env) (core.Filter, error) {
	name := p.String("name", "")
	if err := p.Err(); err != nil {
		return nil, err
	}
	return NewName(name), nil
}

// LevelRange passes records whose level lies in [Min, Max], both inclusive:
// the usual way to send INFO..WARNING to stdout and ERROR and above to
// stderr, which Python does with a custom filter class.
//
// A LevelRange is immutable once built and safe for concurrent use. The zero
// value passes only NOTSET records; build it with [NewLevelRange].
type LevelRange struct {
	min, max core.Level
}

var _ core.Filter = (*LevelRange)(nil)

// NewLevelRange returns a filter passing records with min <= level <= max.
func NewLevelRange(min, max core.Level) *LevelRange { return &LevelRange{min: min, max: max} }

// Filter reports whether r's level lies in the range.
func (f *LevelRange) Filter(r *core.Record) bool { return r.Level >= f.min && r.Level <= f.max }

// LevelRangeFactory builds a [LevelRange] from `min_level` (default NOTSET)
// and `max_level` (default no upper bound); each is a level name or number.
// min_level above max_level is an error, as is a range with neither bound.
func LevelRangeFactory(p *core.Params, _ *core.Env) (core.Filter, error) {
	hasMin, hasMax := p.Has("min_level"), p.Has("max_level")
	lo := p.Level("min_level", core.NOTSET)
	hi := p.Level("max_level", core.Level(1<<30))
	if !hasMin && !hasMax {
		p.Errorf("min_level", "%w: give min_level, max_level or both", core.ErrMissing)
	} else if lo > hi {
		p.Errorf("max_level", "%w: max_level %v is below min_level %v", core.ErrBadValue, hi, lo)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return NewLevelRange(lo, hi), nil
}
