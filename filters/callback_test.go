package filters

import (
	"strings"
	"testing"

	"github.com/logdict/logging/core"
	"github.com/sirupsen/logrus"
)

func init() {
	RegisterCallback("skip_health", func(r *core.Record) bool {
		return r.Message() != "GET /health"
	})
	RegisterCallback("tag", func(r *core.Record) bool {
		r.Set("tagged", true)
		return true
	})
}

func TestCallback(t *testing.T) {
	for _, tt := range []struct {
		name, msg string
		want      bool
	}{
		{"skip_health", "GET /health", false},
		{"skip_health", "GET /api", true},
		{"tag", "x", true},
	} {
		t.Run(tt.name+"/"+tt.msg, func(t *testing.T) {
			f := mustFactory(t, CallbackFactory, map[string]any{"callback": tt.name})
			r := record("a", core.INFO, tt.msg, logrus.Fields{})
			if got := f.Filter(r); got != tt.want {
				t.Errorf("Filter = %v, want %v", got, tt.want)
			}
		})
	}
	r := record("a", core.INFO, "", nil)
	mustFactory(t, CallbackFactory, map[string]any{"callback": "tag"}).Filter(r)
	if v, _ := r.Get("tagged"); v != true {
		t.Errorf("the callback's attribute is missing: %v", v)
	}
}

func TestCallbackFactoryErrors(t *testing.T) {
	for _, tt := range []struct {
		desc string
		m    map[string]any
		path string
		want error
		says string
	}{
		{"unknown", map[string]any{"callback": "nope"}, "filters.f.callback", core.ErrUnknownRef, "known: skip_health, tag"},
		{"typo", map[string]any{"callback": "skip_helth"}, "filters.f.callback", core.ErrUnknownRef, `did you mean "skip_health"`},
		{"missing", map[string]any{}, "filters.f.callback", core.ErrMissing, "required"},
		{"not a string", map[string]any{"callback": int64(1)}, "filters.f.callback", core.ErrBadValue, "want a string"},
	} {
		t.Run(tt.desc, func(t *testing.T) {
			factoryErr(t, CallbackFactory, tt.m, tt.path, tt.want)
			_, err := CallbackFactory(core.NewParams("filters.f", tt.m), &core.Env{})
			if !strings.Contains(err.Error(), tt.says) {
				t.Errorf("error %q does not say %q", err, tt.says)
			}
		})
	}
}

func TestRegisterCallbackPanics(t *testing.T) {
	for _, tt := range []struct {
		desc string
		name string
		fn   func(*core.Record) bool
	}{
		{"duplicate", "tag", func(*core.Record) bool { return true }},
		{"empty name", "", func(*core.Record) bool { return true }},
		{"nil func", "x_nil", nil},
	} {
		t.Run(tt.desc, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			RegisterCallback(tt.name, tt.fn)
		})
	}
}
