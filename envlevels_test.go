package logging

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

func TestEnvLevelsParse(t *testing.T) {
	for _, tc := range []struct {
		name    string
		prefix  string
		environ []string
		want    []envLevel
		err     string
	}{
		{
			name:    "names, dots and case",
			prefix:  "LOGGING_LEVEL",
			environ: []string{"LOGGING_LEVEL_django__request=DEBUG", "HOME=/root", "LOGGING_LEVEL_MyApp=warn", "LOGGING_LEVEL_my_app=15"},
			want: []envLevel{
				{"LOGGING_LEVEL_MyApp", "MyApp", "warn"},
				{"LOGGING_LEVEL_django__request", "django.request", "DEBUG"},
				{"LOGGING_LEVEL_my_app", "my_app", "15"},
			},
		},
		{
			name:    "root spellings, root last",
			prefix:  "LOGGING_LEVEL",
			environ: []string{"LOGGING_LEVEL_root=ERROR", "LOGGING_LEVEL=INFO", "LOGGING_LEVEL_ROOT=DEBUG"},
			want: []envLevel{
				{"LOGGING_LEVEL", "", "INFO"},
				{"LOGGING_LEVEL_ROOT", "", "DEBUG"},
				{"LOGGING_LEVEL_root", "", "ERROR"},
			},
		},
		{
			name:    "other variables and empty values are ignored",
			prefix:  "LOGGING_LEVEL",
			environ: []string{"LOGGING_LEVELS=x", "LOGGING_LEVELX_a=LOUD", "LOGGING_LEVEL_app=", "LOGGING_LEVEL_b=  ", "logging_level_c=LOUD"},
		},
		{
			name:    "bad values name the variable",
			prefix:  "LOGGING_LEVEL",
			environ: []string{"LOGGING_LEVEL_b=-3", "LOGGING_LEVEL_app=LOUD", "LOGGING_LEVEL_ok=INFO"},
			err: `logging: 2 problems in the configuration:
  env LOGGING_LEVEL_app: unknown level "LOUD" (known: CRITICAL, ERROR, WARNING, INFO, DEBUG, TRACE, NOTSET or a number)
  env LOGGING_LEVEL_b: unknown level -3: must be 0 or more`,
		},
		{
			name:    "another prefix",
			prefix:  "APP_LOG",
			environ: []string{"LOGGING_LEVEL_a=DEBUG", "APP_LOG_b=DEBUG"},
			want:    []envLevel{{"APP_LOG_b", "b", "DEBUG"}},
		},
		{
			name:    "no prefix, no overrides",
			environ: []string{"LOGGING_LEVEL_a=DEBUG", "_a=DEBUG"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := envLevels(tc.prefix, tc.environ)
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("error:\n%v\nwant:\n%s", err, tc.err)
				}
				var ce *ConfigError
				if !errors.As(err, &ce) || !errors.Is(err, ErrBadLevel) {
					t.Error("the error must be a ConfigError wrapping ErrBadLevel")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

// envConfig has a root handler, app at INFO and root at WARNING.
const envConfig = `version = 1
disable_existing_loggers = false
[handlers.h]
class = "test.Recorder"
key = "@h"
[loggers.app]
level = "INFO"
[root]
level = "WARNING"
handlers = ["h"]
`

func TestEnvLevelsOverrideTheFile(t *testing.T) {
	for _, tc := range []struct {
		name   string
		env    map[string]string
		config string
		prefix *string
		want   map[string]Level // logger -> effective level after Configure
		lines  []string         // what h got from logEach
	}{
		{
			name:  "a logger of the file",
			env:   map[string]string{"LOGGING_LEVEL_app": "DEBUG"},
			want:  map[string]Level{"app": DEBUG, "other": WARNING, "root": WARNING},
			lines: []string{"app debug", "app info", "app.db debug", "app.db info"},
		},
		{
			name:  "a dotted logger the file does not name is added",
			env:   map[string]string{"LOGGING_LEVEL_django__request": "ERROR", "LOGGING_LEVEL_other": "info"},
			want:  map[string]Level{"app": INFO, "django.request": ERROR, "django": WARNING, "other": INFO},
			lines: []string{"app info", "app.db info", "other info"},
		},
		{
			name:  "the root, the more specific variable wins",
			env:   map[string]string{"LOGGING_LEVEL": "DEBUG", "LOGGING_LEVEL_root": "ERROR"},
			want:  map[string]Level{"root": ERROR, "other": ERROR, "app": INFO},
			lines: []string{"app info", "app.db info"},
		},
		{
			name: "the root given as loggers.root keeps its handlers",
			env:  map[string]string{"LOGGING_LEVEL": "INFO"},
			config: `version = 1
disable_existing_loggers = false
[handlers.h]
class = "test.Recorder"
key = "@h"
[loggers.root]
level = "WARNING"
handlers = ["h"]
`,
			want:  map[string]Level{"root": INFO, "other": INFO},
			lines: []string{"app info", "app.db info", "other info"},
		},
		{
			name:   "prefix off",
			env:    map[string]string{"LOGGING_LEVEL_app": "DEBUG", "LOGGING_LEVEL": "LOUD"},
			prefix: new(""),
			want:   map[string]Level{"app": INFO, "root": WARNING},
			lines:  []string{"app info", "app.db info"},
		},
		{
			name:   "another prefix",
			env:    map[string]string{"LOGGING_LEVEL_app": "ERROR", "MYAPP_LOG_app": "DEBUG"},
			prefix: new("MYAPP_LOG"),
			want:   map[string]Level{"app": DEBUG},
			lines:  []string{"app debug", "app info", "app.db debug", "app.db info"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			r, _ := newReg(t)
			if tc.prefix != nil {
				r.SetEnvPrefix(*tc.prefix)
			}
			config := tc.config
			if config == "" {
				config = envConfig
			}
			configureTOML(t, r, config)
			for name, want := range tc.want {
				if got := r.node(name).state.Load().eff; got != want {
					t.Errorf("%s: effective level %v, want %v", name, got, want)
				}
			}
			for _, name := range []string{"app", "app.db", "other"} {
				r.Get(name).Debug(name + " debug")
				r.Get(name).Info(name + " info")
			}
			if got := rec(runKey(t, "h")).get(); !reflect.DeepEqual(got, tc.lines) {
				t.Errorf("h got %q, want %q", got, tc.lines)
			}
		})
	}
}

func TestEnvLevelBadValueKeepsThePreviousConfiguration(t *testing.T) {
	r, _ := newReg(t)
	configureTOML(t, r, envConfig)
	t.Setenv("LOGGING_LEVEL_app", "LOUD")
	err := r.ConfigureMap(mustTOML(t, withTestName(t, envConfig)))
	want := `logging: env LOGGING_LEVEL_app: unknown level "LOUD"`
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("error %v, want it to start with %s", err, want)
	}
	if got := r.node("app").state.Load().eff; got != INFO {
		t.Errorf("app's level changed to %v by a failed configuration", got)
	}
}

func TestEnvLevelsIncremental(t *testing.T) {
	r, _ := newReg(t)
	configureTOML(t, r, envConfig)
	t.Setenv("LOGGING_LEVEL_app", "ERROR")
	configureTOML(t, r, "version = 1\nincremental = true\n")
	if got := r.node("app").state.Load().eff; got != ERROR {
		t.Errorf("app at %v after an incremental configuration, want ERROR from the environment", got)
	}
}

func TestEnvPrefixIsPerRegistry(t *testing.T) {
	a, b := New(), New()
	a.SetEnvPrefix("A")
	a.SetEnvPrefix("B")
	if a.envPrefix() != "B" || b.envPrefix() != DefaultEnvPrefix {
		t.Fatalf("prefixes %q, %q", a.envPrefix(), b.envPrefix())
	}
	a.SetEnvPrefix("")
	if a.envPrefix() != "" {
		t.Fatal(`SetEnvPrefix("") must turn overrides off`)
	}
}

// withTestName replaces "@ in a configuration with a prefix unique to this
// run of the test, for recorder and capture keys: see runKey.
func withTestName(t *testing.T, s string) string {
	return strings.ReplaceAll(s, `"@`, `"`+runKey(t, ""))
}

var (
	runIDs  sync.Map // *testing.T -> string
	nextRun atomic.Int64
)

// runKey is the key of a recorder or capture h of this run of the test.
// Recorders are kept by key for the life of the process, so with -count=N
// the test name alone would gather every run's records.
func runKey(t *testing.T, h string) string {
	id, _ := runIDs.LoadOrStore(t, fmt.Sprintf("%s#%d/", t.Name(), nextRun.Add(1)))
	return id.(string) + h
}

func mustTOML(t *testing.T, s string) map[string]any {
	t.Helper()
	tree, err := decodeTOML([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

func configureTOML(t *testing.T, r *Registry, s string) {
	t.Helper()
	if err := r.ConfigureMap(mustTOML(t, withTestName(t, s))); err != nil {
		t.Fatalf("configure: %v", err)
	}
}
