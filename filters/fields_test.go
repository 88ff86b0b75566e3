package filters

import (
	"testing"

	"github.com/logdict/logging/core"
	"github.com/sirupsen/logrus"
)

func TestFields(t *testing.T) {
	f := mustFactory(t, FieldsFactory, map[string]any{
		"fields": map[string]any{"env": "prod", "shard": int64(3), "canary": true},
	})
	data := logrus.Fields{"env": "from-logrus", "user": "bob"}
	r := record("app", core.INFO, "m", data)
	if !f.Filter(r) {
		t.Fatal("Fields dropped a record")
	}
	for _, tt := range []struct {
		key  string
		want any
	}{
		{"env", "prod"}, // a filter's attribute shadows the logrus field
		{"shard", int64(3)},
		{"canary", true},
		{"user", "bob"},
	} {
		t.Run(tt.key, func(t *testing.T) {
			if got, ok := r.Get(tt.key); !ok || got != tt.want {
				t.Errorf("Get(%q) = %v, %v; want %v", tt.key, got, ok, tt.want)
			}
		})
	}
	if data["env"] != "from-logrus" {
		t.Errorf("the logrus entry was modified: env = %v", data["env"])
	}
}

func TestFieldsCopiesTheMap(t *testing.T) {
	m := map[string]any{"env": "a"}
	f := NewFields(m)
	m["env"] = "b"
	r := record("x", core.INFO, "", nil)
	f.Filter(r)
	if v, _ := r.Get("env"); v != "a" {
		t.Errorf("env = %v after the caller changed its map, want a", v)
	}
}

func TestFieldsFactoryErrors(t *testing.T) {
	for _, tt := range []struct {
		desc string
		m    map[string]any
		path string
		want error
	}{
		{"missing", map[string]any{}, "filters.f.fields", core.ErrMissing},
		{"not a table", map[string]any{"fields": "env=prod"}, "filters.f.fields", core.ErrBadValue},
		{"bad value", map[string]any{"fields": map[string]any{"env": []any{"a"}}}, "filters.f.fields.env", core.ErrBadValue},
		{"top-level key", map[string]any{"fields": map[string]any{"a": "b"}, "env": "prod"}, "filters.f.env", core.ErrUnknownKey},
	} {
		t.Run(tt.desc, func(t *testing.T) { factoryErr(t, FieldsFactory, tt.m, tt.path, tt.want) })
	}
}

func BenchmarkFieldsFilter(b *testing.B) {
	f := NewFields(map[string]any{"env": "prod"})
	e := &logrus.Entry{Message: "m"}
	b.ReportAllocs()
	for b.Loop() {
		r := core.Record{Entry: e, Name: "app", Level: core.INFO}
		f.Filter(&r)
	}
}
