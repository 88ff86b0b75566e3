package filters

import (
	"errors"
	"strings"
	"testing"

	"github.com/logdict/logging/core"
	"github.com/sirupsen/logrus"
)

func record(name string, lvl core.Level, msg string, data logrus.Fields) *core.Record {
	return &core.Record{
		Entry: &logrus.Entry{Message: msg, Data: data},
		Name:  name,
		Level: lvl,
	}
}

// factoryErr runs a factory on m under the section path filters.f and checks
// that it fails with an error naming wantPath and wrapping want.
func factoryErr(t *testing.T, f core.FilterFactory, m map[string]any, wantPath string, want error) {
	t.Helper()
	flt, err := f(core.NewParams("filters.f", m), &core.Env{})
	if err == nil {
		t.Fatalf("factory(%v) = %v, nil; want an error at %s", m, flt, wantPath)
	}
	if flt != nil {
		t.Errorf("factory returned a filter with an error")
	}
	var ce *core.ConfigError
	if !errors.As(err, &ce) {
		t.Fatalf("error %v is not a ConfigError", err)
	}
	if !strings.Contains(err.Error(), wantPath+": ") {
		t.Errorf("error %q does not name %s", err, wantPath)
	}
	if want != nil && !errors.Is(err, want) {
		t.Errorf("error %q does not wrap %v", err, want)
	}
}

func mustFactory(t *testing.T, f core.FilterFactory, m map[string]any) core.Filter {
	t.Helper()
	flt, err := f(core.NewParams("filters.f", m), &core.Env{})
	if err != nil {
		t.Fatalf("factory(%v): %v", m, err)
	}
	return flt
}
