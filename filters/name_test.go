package filters

import (
	"testing"

	"github.com/logdict/logging/core"
)

// The expectations were produced by python3.11's logging.Filter(name).filter.
func TestName(t *testing.T) {
	for _, tt := range []struct {
		filter, logger string
		want           bool
	}{
		{"a.b", "a.b", true},
		{"a.b", "a.b.c", true},
		{"a.b", "a.bc", false},
		{"a.b", "a", false},
		{"a.b", "x.a.b", false},
		{"", "anything", true},
		{"", "root", true},
		{"root", "root", true},
		{"a", "a.b.c.d", true},
		{"a.b", "a.b.", true},
		{"A", "a", false},
		{"a.b.", "a.b.c", false},
	} {
		t.Run(tt.filter+"/"+tt.logger, func(t *testing.T) {
			f := mustFactory(t, NameFactory, map[string]any{"name": tt.filter})
			if got := f.Filter(record(tt.logger, core.INFO, "m", nil)); got != tt.want {
				t.Errorf("Name(%q).Filter(%q) = %v, want %v", tt.filter, tt.logger, got, tt.want)
			}
		})
	}
	t.Run("zero value passes all", func(t *testing.T) {
		var f Name
		if !f.Filter(record("x.y", core.INFO, "m", nil)) {
			t.Error("zero Name dropped a record")
		}
	})
	t.Run("no name key passes all", func(t *testing.T) {
		if !mustFactory(t, NameFactory, map[string]any{}).Filter(record("q", core.INFO, "", nil)) {
			t.Error("Name without name dropped a record")
		}
	})
}

func TestNameFactoryErrors(t *testing.T) {
	for _, tt := range []struct {
		desc string
		m    map[string]any
		path string
		want error
	}{
		{"not a string", map[string]any{"name": int64(3)}, "filters.f.name", core.ErrBadValue},
		{"typo", map[string]any{"nmae": "a"}, "filters.f.nmae", core.ErrUnknownKey},
	} {
		t.Run(tt.desc, func(t *testing.T) { factoryErr(t, NameFactory, tt.m, tt.path, tt.want) })
	}
}

func BenchmarkNameFilter(b *testing.B) {
	f := NewName("app.db")
	r := record("app.db.pool", core.INFO, "m", nil)
	b.ReportAllocs()
	for b.Loop() {
		if !f.Filter(r) {
			b.Fatal("dropped")
		}
	}
}
