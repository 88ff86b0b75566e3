package filters

import (
	"os"
	"testing"

	"github.com/logdict/logging/core"
)

func TestTruthy(t *testing.T) {
	for s, want := range map[string]bool{
		"true": true, "True": true, "1": true, "yes": true, " YES ": true,
		"": false, "0": false, "false": false, "no": false, "on": false,
	} {
		if got := truthy(s); got != want {
			t.Errorf("truthy(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestDebugFromEnv(t *testing.T) {
	for _, tt := range []struct {
		desc          string
		django, plain string // "-" means unset
		want          bool
	}{
		{"DJANGO_DEBUG wins", "false", "true", false},
		{"DEBUG used when DJANGO_DEBUG is unset", "-", "yes", true},
		{"neither", "-", "-", false},
		{"DJANGO_DEBUG on", "1", "-", true},
	} {
		t.Run(tt.desc, func(t *testing.T) {
			setenv(t, "DJANGO_DEBUG", tt.django)
			setenv(t, "DEBUG", tt.plain)
			if got := debugFromEnv(); got != tt.want {
				t.Errorf("debugFromEnv() = %v, want %v", got, tt.want)
			}
		})
	}
}

func setenv(t *testing.T, k, v string) {
	t.Setenv(k, v) // restores the old value after the test
	if v == "-" {
		t.Setenv(k, "")
		unsetenv(t, k)
	}
}

func TestRequireDebug(t *testing.T) {
	defer SetDebug(Debug())
	dfalse := mustFactory(t, RequireDebugFalseFactory, map[string]any{})
	dtrue := mustFactory(t, RequireDebugTrueFactory, map[string]any{})
	r := record("django.request", core.ERROR, "boom", nil)
	for _, on := range []bool{true, false, true} {
		SetDebug(on)
		if Debug() != on {
			t.Fatalf("Debug() = %v after SetDebug(%v)", Debug(), on)
		}
		if got := dfalse.Filter(r); got != !on {
			t.Errorf("DEBUG=%v: RequireDebugFalse = %v", on, got)
		}
		if got := dtrue.Filter(r); got != on {
			t.Errorf("DEBUG=%v: RequireDebugTrue = %v", on, got)
		}
	}
}

func TestRequireDebugEnv(t *testing.T) {
	defer SetDebug(Debug())
	SetDebug(false)
	t.Setenv("MYAPP_DEBUG", "yes")
	f := mustFactory(t, RequireDebugTrueFactory, map[string]any{"debug_env": "MYAPP_DEBUG"})
	g := mustFactory(t, RequireDebugFalseFactory, map[string]any{"debug_env": "MYAPP_DEBUG"})
	r := record("a", core.INFO, "", nil)
	if !f.Filter(r) || g.Filter(r) {
		t.Errorf("debug_env=MYAPP_DEBUG(yes): RequireDebugTrue=%v RequireDebugFalse=%v", f.Filter(r), g.Filter(r))
	}
	unsetenv(t, "MYAPP_DEBUG")
	h := mustFactory(t, RequireDebugTrueFactory, map[string]any{"debug_env": "MYAPP_DEBUG"})
	SetDebug(true)
	if !h.Filter(r) {
		t.Error("with debug_env unset, RequireDebugTrue does not follow the process-wide setting")
	}
}

func TestRequireDebugFactoryErrors(t *testing.T) {
	factoryErr(t, RequireDebugFalseFactory, map[string]any{"debug_env": ""}, "filters.f.debug_env", core.ErrBadValue)
	factoryErr(t, RequireDebugTrueFactory, map[string]any{"debugenv": "X"}, "filters.f.debugenv", core.ErrUnknownKey)
}

// unsetenv removes k for the rest of the test; call t.Setenv(k, ...) first so
// the old value is restored.
func unsetenv(t *testing.T, k string) {
	t.Helper()
	if err := os.Unsetenv(k); err != nil {
		t.Fatal(err)
	}
}
