package logging

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/logdict/logging/filters"
)

func writeTOML(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "settings.toml")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func setDebug(t *testing.T, on bool) {
	was := filters.Debug()
	filters.SetDebug(on)
	t.Cleanup(func() { filters.SetDebug(was) })
}

// Django's DEFAULT_LOGGING alone: django.server prints "[time] message";
// the django logger prints INFO to stderr only when DEBUG is on.
func TestDjangoDefaults(t *testing.T) {
	t.Setenv("DJANGO_ADMINS", "")
	r, stderr := newReg(t)
	if err := r.ConfigureDjango(""); err != nil {
		t.Fatal(err)
	}
	setDebug(t, true)
	r.Get("django.server").Info(`"GET /students/ HTTP/1.1" 200 2`)
	r.Get("django.request").Info("seen with DEBUG on")
	setDebug(t, false)
	r.Get("django.request").Info("not seen with DEBUG off")
	got := lines(stderr.String())
	if len(got) != 2 {
		t.Fatalf("stderr: %q", got)
	}
	if !regexp.MustCompile(`^\[\d\d/[A-Z][a-z]{2}/\d{4} \d\d:\d\d:\d\d,\d{3}\] "GET /students/ HTTP/1.1" 200 2$`).MatchString(got[0]) {
		t.Errorf("django.server line %q", got[0])
	}
	if got[1] != "seen with DEBUG on" {
		t.Errorf("django line %q", got[1])
	}
}

// A project's LOGGING with disable_existing_loggers = false keeps Django's
// handlers on the django loggers it does not configure, as Django does.
func TestDjangoProjectLoggingOnTop(t *testing.T) {
	t.Setenv("DJANGO_ADMINS", "")
	setDebug(t, true)
	r, stderr := newReg(t)
	path := writeTOML(t, `version = 1
disable_existing_loggers = false
[handlers.console]
class = "test.Recorder"
key = "`+keyed(t, "console")+`"
[root]
level = "INFO"
handlers = ["console"]
`)
	if err := r.ConfigureDjango(path); err != nil {
		t.Fatal(err)
	}
	r.Get("django.server").Info("request line")
	r.Get("django.request").Error("Internal Server Error: /x")
	out := stderr.String()
	if !strings.Contains(out, "] request line") {
		t.Errorf("django.server lost Django's handler: %q", out)
	}
	// Django prints it twice: its own console handler and the project's
	// root handler (django propagates).
	if !strings.Contains(out, "Internal Server Error: /x") {
		t.Errorf("django's default console handler is gone: %q", out)
	}
	if got := rec(keyed(t, "console")).get(); len(got) != 1 || got[0] != "Internal Server Error: /x" {
		t.Errorf("the project's root handler got %q", got)
	}

	// Naming django in the project's LOGGING resets it, as in Python.
	r2, stderr2 := newReg(t)
	path2 := writeTOML(t, `version = 1
disable_existing_loggers = false
[loggers.django]
level = "ERROR"
`)
	if err := r2.ConfigureDjango(path2); err != nil {
		t.Fatal(err)
	}
	r2.Get("django.server").Error("no more django.server handler")
	if got := stderr2.String(); got != "no more django.server handler\n" {
		t.Errorf("want lastResort only, got %q", got)
	}
}

func TestDjangoDisableExistingDefault(t *testing.T) {
	r, stderr := newReg(t)
	path := writeTOML(t, "version = 1\n")
	if err := r.ConfigureDjango(path); err != nil {
		t.Fatal(err)
	}
	r.Get("django").Error("disabled, as in Django when the flag is absent")
	if stderr.String() != "" {
		t.Errorf("got %q", stderr.String())
	}
}
