package filters

import (
	"errors"
	"testing"

	"github.com/logdict/logging/core"
	"github.com/sirupsen/logrus"
)

func TestMatch(t *testing.T) {
	data := logrus.Fields{
		"status": 404, "path": "/health", "ok": true, "ratio": 0.5,
		logrus.ErrorKey: errors.New("boom"),
	}
	for _, tt := range []struct {
		desc string
		m    map[string]any
		want bool
	}{
		{"name equals", map[string]any{"field": "name", "equals": "app.db"}, true},
		{"name differs", map[string]any{"field": "name", "equals": "app"}, false},
		{"message regexp", map[string]any{"field": "message", "regexp": "^GET /health"}, true},
		{"message regexp searches", map[string]any{"field": "message", "regexp": "health"}, true},
		{"levelname", map[string]any{"field": "levelname", "equals": "WARNING"}, true},
		{"levelno", map[string]any{"field": "levelno", "equals": int64(30)}, true},
		{"int field as text", map[string]any{"field": "status", "equals": "404"}, true},
		{"int field as number", map[string]any{"field": "status", "equals": int64(404)}, true},
		{"int field regexp", map[string]any{"field": "status", "regexp": "^4\\d\\d$"}, true},
		{"bool field prints as Python", map[string]any{"field": "ok", "equals": true}, true},
		{"float field", map[string]any{"field": "ratio", "equals": "0.5"}, true},
		{"error field", map[string]any{"field": "error", "equals": "boom"}, true},
		{"string field", map[string]any{"field": "path", "equals": "/health"}, true},
		{"inverted", map[string]any{"field": "path", "equals": "/health", "invert": true}, false},
		{"missing field", map[string]any{"field": "nope", "equals": ""}, false},
		{"missing field inverted", map[string]any{"field": "nope", "equals": "", "invert": true}, true},
		{"attribute set by a filter", map[string]any{"field": "env", "equals": "prod"}, true},
	} {
		t.Run(tt.desc, func(t *testing.T) {
			f := mustFactory(t, MatchFactory, tt.m)
			r := record("app.db", core.WARNING, "GET /health 200", data)
			r.Set("env", "prod")
			if got := f.Filter(r); got != tt.want {
				t.Errorf("Filter = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestMatchFactoryErrors(t *testing.T) {
	for _, tt := range []struct {
		desc string
		m    map[string]any
		path string
		want error
	}{
		{"no field", map[string]any{"equals": "x"}, "filters.f.field", core.ErrMissing},
		{"no value", map[string]any{"field": "name"}, "filters.f.equals", core.ErrMissing},
		{"both", map[string]any{"field": "name", "equals": "a", "regexp": "a"}, "filters.f.regexp", core.ErrBadValue},
		{"bad regexp", map[string]any{"field": "name", "regexp": "a("}, "filters.f.regexp", core.ErrBadValue},
		{"regexp not a string", map[string]any{"field": "name", "regexp": int64(1)}, "filters.f.regexp", core.ErrBadValue},
		{"equals a list", map[string]any{"field": "name", "equals": []any{"a"}}, "filters.f.equals", core.ErrBadValue},
		{"invert not bool", map[string]any{"field": "name", "equals": "a", "invert": "maybe"}, "filters.f.invert", core.ErrBadValue},
	} {
		t.Run(tt.desc, func(t *testing.T) { factoryErr(t, MatchFactory, tt.m, tt.path, tt.want) })
	}
}

func TestMatchAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation count")
	}
	f := NewMatch("status", "404", false)
	r := record("a", core.INFO, "m", logrus.Fields{"status": 404, "path": "/x"})
	g := NewMatch("path", "/x", false)
	if n := testing.AllocsPerRun(100, func() { f.Filter(r); g.Filter(r) }); n != 0 {
		t.Errorf("Match.Filter allocates %v times, want 0", n)
	}
}

func BenchmarkMatchFilter(b *testing.B) {
	f := NewMatch("path", "/health", true)
	r := record("a", core.INFO, "m", logrus.Fields{"path": "/api"})
	b.ReportAllocs()
	for b.Loop() {
		f.Filter(r)
	}
}
