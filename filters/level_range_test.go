package filters

import (
	"testing"

	"github.com/logdict/logging/core"
)

func TestLevelRange(t *testing.T) {
	for _, tt := range []struct {
		desc string
		m    map[string]any
		pass []core.Level
		drop []core.Level
	}{
		{"both", map[string]any{"min_level": "INFO", "max_level": "WARNING"},
			[]core.Level{core.INFO, 25, core.WARNING}, []core.Level{core.DEBUG, 19, 31, core.ERROR}},
		{"min only", map[string]any{"min_level": "error"},
			[]core.Level{core.ERROR, core.CRITICAL, 100}, []core.Level{core.WARNING}},
		{"max only", map[string]any{"max_level": int64(20)},
			[]core.Level{core.NOTSET, core.TRACE, core.DEBUG, core.INFO}, []core.Level{21, core.WARNING}},
		{"one level", map[string]any{"min_level": "DEBUG", "max_level": "debug"},
			[]core.Level{core.DEBUG}, []core.Level{core.TRACE, core.INFO}},
	} {
		t.Run(tt.desc, func(t *testing.T) {
			f := mustFactory(t, LevelRangeFactory, tt.m)
			for _, l := range tt.pass {
				if !f.Filter(record("a", l, "", nil)) {
					t.Errorf("dropped %v", l)
				}
			}
			for _, l := range tt.drop {
				if f.Filter(record("a", l, "", nil)) {
					t.Errorf("passed %v", l)
				}
			}
		})
	}
}

func TestLevelRangeFactoryErrors(t *testing.T) {
	for _, tt := range []struct {
		desc string
		m    map[string]any
		path string
		want error
	}{
		{"neither bound", map[string]any{}, "filters.f.min_level", core.ErrMissing},
		{"inverted", map[string]any{"min_level": "ERROR", "max_level": "INFO"}, "filters.f.max_level", core.ErrBadValue},
		{"bad level", map[string]any{"min_level": "LOUD"}, "filters.f.min_level", core.ErrBadLevel},
		{"typo", map[string]any{"min_level": "INFO", "maxlevel": "ERROR"}, "filters.f.maxlevel", core.ErrUnknownKey},
	} {
		t.Run(tt.desc, func(t *testing.T) { factoryErr(t, LevelRangeFactory, tt.m, tt.path, tt.want) })
	}
}
