package djangoport_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	logging "github.com/logdict/logging"
	"github.com/logdict/logging/core"
	"github.com/logdict/logging/cwlocal"
	"github.com/logdict/logging/djangoport"
	"github.com/logdict/logging/filters"
	"github.com/logdict/logging/hook/cloudwatch"
	"github.com/pelletier/go-toml/v2"
)

// probe is a test handler class that keeps what it is given.
type probe struct {
	mu    sync.Mutex
	lines []string
}

func (p *probe) Emit(_ *core.Record, b []byte) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.lines = append(p.lines, string(b))
	return nil
}
func (p *probe) Flush(context.Context) error { return nil }
func (p *probe) Close(context.Context) error { return nil }
func (p *probe) get() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.lines...)
}

var (
	probesMu sync.Mutex
	probes   = map[string]*probe{}
)

func probeNamed(name string) *probe {
	probesMu.Lock()
	defer probesMu.Unlock()
	if probes[name] == nil {
		probes[name] = &probe{}
	}
	return probes[name]
}

func init() {
	must := func(err error) {
		if err != nil {
			panic(err)
		}
	}
	must(logging.RegisterHandler("djangoport.test.Probe", func(p *core.Params, _ *core.Env) (core.Handler, error) {
		name := p.RequiredString("name")
		return probeNamed(name), p.Err()
	}))
	// Stand-ins while the root package does not register these classes
	// (registration fails harmlessly once it does, and the real ones run):
	// the real CloudWatch handler, and a mail handler that records.
	_ = logging.RegisterHandler("watchtower.CloudWatchLogHandler", cloudwatch.Factory)
	_ = logging.RegisterHandler("cloudwatch", cloudwatch.Factory)
	_ = logging.RegisterHandler("django.utils.log.AdminEmailHandler", func(p *core.Params, _ *core.Env) (core.Handler, error) {
		p.Bool("include_html", false)
		p.Use("email_backend", "reporter_class")
		return probeNamed("mail"), p.Err()
	})
}

// setup converts a testdata file, adds extra TOML, and configures a new
// registry from it, in a temporary working directory.
func setup(t *testing.T, file, extra string) (*logging.Registry, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	r, err := djangoport.Convert(src, file)
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	// The kitchen sink's files are relative to the working directory; as in
	// Python, their folder must exist.
	if err := os.Mkdir("logs", 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(".", "config.toml")
	if err := os.WriteFile(path, append(r.TOML, extra...), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	reg := logging.New(logging.WithStdout(&stdout), logging.WithStderr(&stderr))
	if err := reg.Configure(path); err != nil {
		t.Fatalf("the converted %s does not load: %v\n%s", file, err, r.TOML)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := reg.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
	})
	return reg, &stdout, &stderr
}

func cloudwatchEnv(t *testing.T) *cwlocal.Server {
	t.Helper()
	srv, err := cwlocal.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	t.Setenv("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", srv.URL())
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
	return srv
}

func flush(t *testing.T, reg *logging.Registry) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := reg.Flush(ctx); err != nil {
		t.Fatalf("Flush: %v", err)
	}
}

// TestSeedBehavesAsMeant runs the converted seed against the local
// CloudWatch server: records of the watchtower logger reach the CWOSLogs
// group in the seed's format, and, with the propagate typo fixed, they no
// longer reach the root logger's handlers (in Python they did).
func TestSeedBehavesAsMeant(t *testing.T) {
	srv := cloudwatchEnv(t)
	t.Setenv("AWS_ID", "AKIDSEED")
	t.Setenv("AWS_KEY", "seed-secret")
	reg, _, _ := setup(t, "seed_settings.py", `
[handlers.probe]
class = "djangoport.test.Probe"
name  = "seed-root"

[root]
level    = "DEBUG"
handlers = ["probe"]
`)
	root := probeNamed("seed-root")
	reg.Get("watchtower").Info("Student Created: Arya Stark (PK: 4)")
	reg.Get("watchtower").Debug("below the logger's level")
	reg.Get("schoolusers.views").Warning("propagates to root")
	flush(t, reg)

	events := srv.Events("CWOSLogs", "logs")
	if len(events) != 1 {
		t.Fatalf("CloudWatch got %d events, want 1: %+v", len(events), events)
	}
	format := regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \[INFO    \] Student Created: Arya Stark \(PK: 4\) \[.*load_test\.go:\d+\]$`)
	if !format.MatchString(events[0].Message) {
		t.Errorf("event %q is not in the seed's format", events[0].Message)
	}
	got := root.get()
	if len(got) != 1 || !strings.Contains(got[0], "propagates to root") {
		t.Errorf("root handler got %q, want only the record of schoolusers.views (propagate = false took effect)", got)
	}
}

// TestDjangoDefaultBehaves checks Django's DEFAULT_LOGGING converted:
// console only while DEBUG, mail only while not DEBUG and at ERROR.
func TestDjangoDefaultBehaves(t *testing.T) {
	defer filters.SetDebug(filters.Debug())
	reg, _, stderr := setup(t, "django_default_logging.py", "")
	// Mail goes to a probe: the same section, filters and level, with the
	// probe's class in place of AdminEmailHandler (which needs an SMTP
	// server and ADMINS).
	b, err := os.ReadFile("config.toml")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := toml.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	mail := m["handlers"].(map[string]any)["mail_admins"].(map[string]any)
	mail["class"], mail["name"] = "djangoport.test.Probe", "mail"
	if err := reg.ConfigureMap(m); err != nil {
		t.Fatal(err)
	}
	mails := probeNamed("mail")
	before := len(mails.get())

	filters.SetDebug(true)
	reg.Get("django.request").Info("shown while DEBUG")
	reg.Get("django.request").Error("not mailed while DEBUG")
	filters.SetDebug(false)
	reg.Get("django.request").Info("hidden without DEBUG")
	reg.Get("django.request").Error("mailed without DEBUG")
	flush(t, reg)

	out := stderr.String()
	if !strings.Contains(out, "shown while DEBUG") || strings.Contains(out, "hidden without DEBUG") {
		t.Errorf("console output %q: want only the DEBUG-time records", out)
	}
	got := mails.get()[before:]
	if len(got) != 1 || !strings.Contains(got[0], "mailed without DEBUG") {
		t.Errorf("mail handler got %q", got)
	}
}

// TestKitchenSinkLoads runs the kitchen sink: files relative to the working
// directory, the boto3 client mapped to the handler's keys, env values.
func TestKitchenSinkLoads(t *testing.T) {
	srv := cloudwatchEnv(t)
	t.Setenv("SERVICE_NAME", "svc")
	t.Setenv("CW_SECRET", "sink-secret")
	t.Setenv("CW_ENDPOINT", srv.URL())
	t.Setenv("ENV", "")
	reg, stdout, _ := setup(t, "kitchen_sink.py", "")
	reg.Get("myproject").Info("to file and cloudwatch")
	reg.Get("myproject").Info("twice")
	reg.Get("celery").Info("celery, stopped by the name filter")
	flush(t, reg)

	b, err := os.ReadFile(filepath.Join("logs", "app-svc-x.log"))
	if err != nil || !strings.Contains(string(b), "to file and cloudwatch") {
		t.Errorf("logs/app-svc-x.log: %q, %v", b, err)
	}
	found := false
	for _, g := range srv.Groups() {
		found = found || g == "svc-local"
	}
	if !found {
		t.Errorf("groups %v: want svc-local (${SERVICE_NAME}-${ENV:-local})", srv.Groups())
	}
	// handlers.console passes only records of myproject.* (filters.named),
	// as in Python.
	if strings.Contains(stdout.String(), "celery") {
		t.Errorf("stdout %q: the name filter should have stopped the celery record", stdout.String())
	}
	if n := len(srv.Events("svc-local", mustHostname(t)+"-myproject")); n != 2 {
		t.Errorf("stream {machine_name}-{logger_name} got %d events, want 2", n)
	}
}

func mustHostname(t *testing.T) string {
	h, err := os.Hostname()
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// TestKnownClassesAreRegistered keeps djangoport's class list in step with
// the library: a class it keeps must load.
func TestKnownClassesAreRegistered(t *testing.T) {
	for _, tc := range []struct{ kind, class string }{
		{"handlers", "logging.StreamHandler"}, {"handlers", "stream"},
		{"handlers", "logging.NullHandler"}, {"handlers", "null"},
		{"handlers", "logging.FileHandler"}, {"handlers", "logging.handlers.RotatingFileHandler"},
		{"handlers", "logging.handlers.TimedRotatingFileHandler"},
		{"handlers", "watchtower.CloudWatchLogHandler"}, {"handlers", "watchtower"}, {"handlers", "cloudwatch"},
		{"handlers", "django.utils.log.AdminEmailHandler"}, {"handlers", "admin_email"},
		{"handlers", "logging.handlers.SysLogHandler"}, {"handlers", "logging.handlers.SMTPHandler"},
		{"filters", "redact"},
		{"filters", "logging.Filter"}, {"filters", "django.utils.log.RequireDebugFalse"},
		{"filters", "django.utils.log.RequireDebugTrue"}, {"filters", "django.utils.log.CallbackFilter"},
		{"filters", "fields"}, {"filters", "match"}, {"filters", "level_range"},
		{"formatters", "logging.Formatter"}, {"formatters", "django.utils.log.ServerFormatter"},
		{"formatters", "json"}, {"formatters", "logrus.TextFormatter"}, {"formatters", "logrus.JSONFormatter"},
	} {
		t.Run(tc.class, func(t *testing.T) {
			key := "()"
			if tc.kind == "handlers" {
				key = "class"
			}
			err := logging.New().ConfigureMap(map[string]any{
				"version": 1,
				tc.kind:   map[string]any{"x": map[string]any{key: tc.class}},
			})
			if errors.Is(err, core.ErrUnknownClass) {
				t.Errorf("%s is not registered: %v", tc.class, err)
			}
		})
	}
}
