package logging

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/spf13/viper"
)

// Every bad configuration names the key path; all problems of one file are
// reported together.
func TestConfigErrorsNameTheKeyPath(t *testing.T) {
	cases := []struct {
		name   string
		toml   string
		want   []string // substrings, each in the error
		target error
	}{
		{"no version", `[loggers.a]`, []string{"version: missing"}, ErrMissing},
		{"version 2", `version = 2`, []string{"version: bad value: unsupported version 2"}, ErrBadValue},
		{"version as string", `version = "1"`, []string{`version: bad value: unsupported version "1"`}, ErrBadValue},
		{"unknown handler class", "version = 1\n[handlers.watchtower]\nclass = \"x\"",
			[]string{`handlers.watchtower.class: unknown class "x" (known: `}, ErrUnknownClass},
		{"missing class", "version = 1\n[handlers.h]\nlevel = \"INFO\"", []string{"handlers.h.class: missing"}, ErrMissing},
		{"class typo suggests", "version = 1\n[handlers.h]\nclass = \"test.Recordr\"", []string{`did you mean "test.Recorder"`}, ErrUnknownClass},
		{"bad logger level", "version = 1\n[loggers.\"django.request\"]\nlevel = \"VERBOSE\"",
			[]string{`loggers."django.request".level: unknown level "VERBOSE"`}, ErrBadLevel},
		{"bad handler level", "version = 1\n[handlers.h]\nclass = \"test.Recorder\"\nkey = \"k\"\nlevel = \"LOUD\"",
			[]string{`handlers.h.level: unknown level "LOUD"`}, ErrBadLevel},
		{"unknown handler ref", "version = 1\n[loggers.app]\nhandlers = [\"nope\"]",
			[]string{`loggers.app.handlers: unknown reference: no handler named "nope"`}, ErrUnknownRef},
		{"unknown formatter ref", "version = 1\n[handlers.h]\nclass = \"test.Recorder\"\nkey = \"k\"\nformatter = \"nope\"",
			[]string{`handlers.h.formatter: unknown reference: no formatter named "nope"`}, ErrUnknownRef},
		{"unknown filter ref", "version = 1\n[root]\nfilters = [\"f\"]", []string{`root.filters: unknown reference: no filter named "f"`}, ErrUnknownRef},
		{"propogate typo", "version = 1\n[loggers.watchtower]\npropogate = false",
			[]string{`loggers.watchtower.propogate: unknown key: did you mean "propagate"?`}, ErrUnknownKey},
		{"propagate not bool", "version = 1\n[loggers.a]\npropagate = \"sometimes\"", []string{`loggers.a.propagate: bad value`}, ErrBadValue},
		{"unknown handler param", "version = 1\n[handlers.h]\nclass = \"test.Recorder\"\nkey = \"k\"\nbogus = 1",
			[]string{`handlers.h.bogus: unknown key`}, ErrUnknownKey},
		{"section typo", "version = 1\n[handler.h]\nclass = \"x\"", []string{`handler: unknown key: did you mean "handlers"?`}, ErrUnknownKey},
		{"ext other than stdout/stderr", "version = 1\n[handlers.h]\nclass = \"test.Recorder\"\nkey = \"ext://os.system\"",
			[]string{`handlers.h.key: bad value: "ext://os.system": ext:// reaches only`}, ErrBadValue},
		{"bad cfg ref", "version = 1\n[handlers.h]\nclass = \"test.Recorder\"\nkey = \"cfg://nowhere.x\"",
			[]string{`handlers.h.key: unknown reference: "cfg://nowhere.x"`}, ErrUnknownRef},
		{"required env var", "version = 1\n[handlers.h]\nclass = \"test.Recorder\"\nkey = \"${LOGDICT_SURELY_UNSET:?set it}\"",
			[]string{`handlers.h.key: missing: environment variable LOGDICT_SURELY_UNSET: set it`}, ErrMissing},
		{"root propagate", "version = 1\n[root]\npropagate = false", []string{"root.propagate: unknown key"}, ErrUnknownKey},
		{"all problems at once", "version = 1\n[handlers.a]\nclass = \"x\"\n[handlers.b]\nclass = \"y\"\n[loggers.c]\nlevel = \"LOUD\"",
			[]string{"3 problems", `handlers.a.class`, `handlers.b.class`, `loggers.c.level`}, ErrUnknownClass},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, _ := newReg(t)
			tree, err := decodeTOML([]byte(tc.toml))
			if err != nil {
				t.Fatal(err)
			}
			err = r.ConfigureMap(tree)
			if err == nil {
				t.Fatal("want an error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if !errors.Is(err, tc.target) {
				t.Errorf("errors.Is(%v, %v) is false", err, tc.target)
			}
			var ce *ConfigError
			if !errors.As(err, &ce) || ce.Path == "" {
				t.Errorf("want a *ConfigError with a path, got %#v", err)
			}
		})
	}
}

func TestSecretsAreNotEchoed(t *testing.T) {
	r, _ := newReg(t)
	err := r.ConfigureMap(map[string]any{
		"version":  1,
		"handlers": map[string]any{"h": map[string]any{"class": "test.Recorder", "key": "k", "aws_secret_access_key": "wJalrXUtnFEMI/K7MDENG"}},
	})
	if err == nil || strings.Contains(err.Error(), "wJalrXUtnFEMI") {
		t.Fatalf("error must name the key but not echo its value: %v", err)
	}
	if !strings.Contains(err.Error(), "handlers.h.aws_secret_access_key") {
		t.Fatalf("error does not name the key: %v", err)
	}
}

func TestExpandEnv(t *testing.T) {
	t.Setenv("LOGDICT_ENV", "prod")
	t.Setenv("LOGDICT_EMPTY", "")
	cases := []struct{ in, want string }{
		{"logs-${LOGDICT_ENV}", "logs-prod"},
		{"logs-${LOGDICT_UNSET:-local}", "logs-local"},
		{"logs-${LOGDICT_EMPTY:-local}", "logs-local"},
		{"logs-${LOGDICT_EMPTY-local}", "logs-"},
		{"cost $5 and $$", "cost $5 and $"},
		{"$${LOGDICT_ENV}", "${LOGDICT_ENV}"},
		{"plain", "plain"},
	}
	for _, tc := range cases {
		got, err := expandEnv(tc.in, envLookup)
		if err != nil || got != tc.want {
			t.Errorf("expandEnv(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	if _, err := expandEnv("${1BAD}", envLookup); err == nil {
		t.Error("a bad variable name must be an error")
	}
}

func TestDollarStyleFormatIsNotExpanded(t *testing.T) {
	t.Setenv("name", "FROM-ENV")
	tree, err := prepare(map[string]any{"formatters": map[string]any{
		"d": map[string]any{"style": "$", "format": "${name}: $message"},
		"p": map[string]any{"format": "${name}"},
	}}, envLookup)
	if err != nil {
		t.Fatal(err)
	}
	f := tree["formatters"].(map[string]any)
	if got := f["d"].(map[string]any)["format"]; got != "${name}: $message" {
		t.Errorf("$-style format was expanded: %q", got)
	}
	if got := f["p"].(map[string]any)["format"]; got != "FROM-ENV" {
		t.Errorf("%%-style format: got %q", got)
	}
}

func TestCfgReferences(t *testing.T) {
	tree := map[string]any{
		"d":      map[string]any{"k": map[string]any{"n": []any{int64(10), int64(20)}}, "django.server": "ds"},
		"l":      []any{"a", "b"},
		"a":      "cfg://d.k.n[1]",
		"b":      "cfg://d[k][n][0]",
		"c":      "cfg://l[1]",
		"dotted": "cfg://d[django.server]",
		"whole":  "cfg://d.k",
	}
	got, err := prepare(tree, envLookup)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"a": int64(20), "b": int64(10), "c": "b", "dotted": "ds", "whole": map[string]any{"n": []any{int64(10), int64(20)}}}
	for k, w := range want {
		if !reflect.DeepEqual(got[k], w) {
			t.Errorf("%s = %#v, want %#v", k, got[k], w)
		}
	}
	if tree["a"] != "cfg://d.k.n[1]" {
		t.Error("prepare modified the caller's map")
	}
	for _, bad := range []string{"cfg://", "cfg://d.k junk", "cfg://l.x", "cfg://l[5]"} {
		if _, err := prepare(map[string]any{"d": tree["d"], "l": tree["l"], "x": bad}, envLookup); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
}

// Loading through Viper keeps names' case and dots in every format.
func TestConfigureFileKeepsCaseAndDots(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"c.toml": `version = 1
disable_existing_loggers = false
[handlers.Watchtower]
class = "test.Recorder"
key = "@Watchtower"
[handlers.watchtower]
class = "test.Recorder"
key = "@watchtower"
[loggers."django.request"]
level = "ERROR"
handlers = ["watchtower"]
propagate = false
[loggers.MyApp]
level = "INFO"
handlers = ["Watchtower"]
propagate = false
[loggers."MyApp.Sub"]
level = "DEBUG"
`,
		"c.yaml": `version: 1
disable_existing_loggers: false
handlers:
  Watchtower: {class: test.Recorder, key: "@Watchtower"}
  watchtower: {class: test.Recorder, key: "@watchtower"}
loggers:
  django.request: {level: ERROR, handlers: [watchtower], propagate: false}
  MyApp: {level: INFO, handlers: [Watchtower], propagate: false}
  MyApp.Sub: {level: DEBUG}
`,
		"c.json": `{"version": 1, "disable_existing_loggers": false,
 "handlers": {"Watchtower": {"class": "test.Recorder", "key": "@Watchtower"},
              "watchtower": {"class": "test.Recorder", "key": "@watchtower"}},
 "loggers": {"django.request": {"level": "ERROR", "handlers": ["watchtower"], "propagate": false},
             "MyApp": {"level": "INFO", "handlers": ["Watchtower"], "propagate": false},
             "MyApp.Sub": {"level": "DEBUG"}}}`,
	}
	for file, body := range files {
		t.Run(file, func(t *testing.T) {
			path := filepath.Join(dir, file)
			body = strings.ReplaceAll(body, "@", t.Name()+"/")
			if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
				t.Fatal(err)
			}
			r, _ := newReg(t)
			if err := r.Configure(path); err != nil {
				t.Fatal(err)
			}
			r.Get("django.request").Error("dotted")
			r.Get("MyApp").Info("upper")
			r.Get("MyApp.Sub").Debug("sub")
			r.Get("myapp").Warn("lowercase name is another logger")
			if got := rec(keyed(t, "watchtower")).get(); !reflect.DeepEqual(got, []string{"dotted"}) {
				t.Errorf("watchtower got %q", got)
			}
			if got := rec(keyed(t, "Watchtower")).get(); !reflect.DeepEqual(got, []string{"upper", "sub"}) {
				t.Errorf("Watchtower got %q", got)
			}
		})
	}
}

func TestConfigureFileErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.toml")
	_ = os.WriteFile(bad, []byte("version = 1\n[handlers\n"), 0o600)
	ini := filepath.Join(dir, "c.ini")
	_ = os.WriteFile(ini, []byte("x"), 0o600)
	for _, tc := range []struct{ path, want string }{
		{filepath.Join(dir, "missing.toml"), "no such file"},
		{bad, "line 2"},
		{ini, `unknown configuration format ".ini"`},
	} {
		r, _ := newReg(t)
		err := r.Configure(tc.path)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Configure(%s) = %v, want %q", filepath.Base(tc.path), err, tc.want)
		}
	}
}

// An application's own Viper: its logging section, case kept by re-reading
// the file Viper read.
func TestConfigureViper(t *testing.T) {
	path := filepath.Join(t.TempDir(), "app.toml")
	body := `port = 8080
[logging]
version = 1
[logging.handlers.H]
class = "test.Recorder"
key = "` + keyed(t, "H") + `"
[logging.loggers.MyApp]
level = "INFO"
handlers = ["H"]
`
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	v := viper.New()
	v.SetConfigFile(path)
	if err := v.ReadInConfig(); err != nil {
		t.Fatal(err)
	}
	r, _ := newReg(t)
	if err := r.ConfigureViper(v, "logging"); err != nil {
		t.Fatal(err)
	}
	r.Get("MyApp").Info("from the app's viper")
	if got := rec(keyed(t, "H")).get(); len(got) != 1 {
		t.Fatalf("got %q", got)
	}
	// The same file given to Configure: its logging section is used.
	r2, _ := newReg(t)
	if err := r2.Configure(path); err != nil {
		t.Fatal(err)
	}
	r2.Get("MyApp").Info("again")
	if got := rec(keyed(t, "H")).get(); len(got) != 2 {
		t.Fatalf("got %q", got)
	}
}

func TestHandlerErrorsAreReportedNotReturned(t *testing.T) {
	r, stderr := newReg(t)
	if err := r.ConfigureMap(map[string]any{"version": 1,
		"handlers": map[string]any{"bad": map[string]any{"class": "test.Failing"}},
		"root":     map[string]any{"handlers": []any{"bad"}}}); err != nil {
		t.Fatal(err)
	}
	for range 5 {
		r.Get("x").Error("boom")
	}
	out := stderr.String()
	if !strings.Contains(out, `handler "bad": disk on fire`) {
		t.Fatalf("stderr = %q", out)
	}
	if n := strings.Count(out, "disk on fire"); n != 1 {
		t.Fatalf("reports are rate-limited to one a second, got %d", n)
	}
}
