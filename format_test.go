package logging

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/sirupsen/logrus"
)

// seedTOML is the seed's aws formatter on a stream handler.
const seedTOML = `version = 1
disable_existing_loggers = false
[formatters.aws]
format  = "%(asctime)s [%(levelname)-8s] %(message)s [%(pathname)s:%(lineno)d]"
datefmt = "%Y-%m-%d %H:%M:%S"
[handlers.console]
class     = "logging.StreamHandler"
stream    = "ext://sys.stdout"
formatter = "aws"
[loggers.watchtower]
level     = "INFO"
handlers  = ["console"]
propagate = false
`

func configure(t *testing.T, r *Registry, toml string) {
	t.Helper()
	tree, err := decodeTOML([]byte(toml))
	if err != nil {
		t.Fatal(err)
	}
	if err := r.ConfigureMap(tree); err != nil {
		t.Fatal(err)
	}
}

func TestSeedLineNamesTheCallSite(t *testing.T) {
	r, out := newReg(t)
	configure(t, r, seedTOML)
	_, file, line, _ := runtime.Caller(0)
	r.Get("watchtower").Info("Student Created: Arya Stark (PK: 4)")
	want := fmt.Sprintf(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \[INFO    \] Student Created: Arya Stark \(PK: 4\) \[%s:%d\]\n$`,
		regexp.QuoteMeta(file), line+1)
	if !regexp.MustCompile(want).MatchString(out.String()) {
		t.Fatalf("got %q\nwant %s", out.String(), want)
	}
}

// The caller is the user's call site however the call reaches logrus: a
// Logger method, an Entry from WithField, Log, or this package's Critical.
func TestCallerThroughEveryPath(t *testing.T) {
	r, out := newReg(t)
	configure(t, r, strings.Replace(seedTOML, `format  = "%(asctime)s [%(levelname)-8s] %(message)s [%(pathname)s:%(lineno)d]"`,
		`format  = "%(filename)s:%(lineno)d %(funcName)s %(levelname)s %(message)s"`, 1))
	l := r.Get("watchtower")
	calls := []func(){
		func() { l.Info("info") },
		func() { l.WithField("k", "v").Warn("entry") },
		func() { l.Log(logrus.ErrorLevel, "log") },
		func() { Critical(l, "critical") },
		func() { Critical(l.WithField("k", 1), "critical entry") },
		func() { l.Infof("%s", "infof") },
	}
	_, _, base, _ := runtime.Caller(0)
	for i, call := range calls {
		call()
		got := lines(out.String())[i]
		// Each call sits on its own line of the table above.
		wantLine := base - len(calls) - 1 + i
		if !strings.HasPrefix(got, fmt.Sprintf("format_test.go:%d TestCallerThroughEveryPath.func", wantLine)) {
			t.Errorf("call %d: got %q, want format_test.go:%d", i, got, wantLine)
		}
	}
	if !strings.Contains(out.String(), "CRITICAL critical entry") {
		t.Errorf("Critical on an entry must log at CRITICAL: %q", out.String())
	}
}

func TestErrorAppendedLikeATraceback(t *testing.T) {
	r, out := newReg(t)
	configure(t, r, strings.Replace(seedTOML, `format  = "%(asctime)s [%(levelname)-8s] %(message)s [%(pathname)s:%(lineno)d]"`,
		`format  = "%(levelname)s %(message)s"`, 1))
	r.Get("watchtower").WithError(errors.New("division by zero")).Error("failed")
	if got := out.String(); got != "ERROR failed\ndivision by zero\n" {
		t.Fatalf("got %q", got)
	}
}

func TestMissingFieldIsReportedOnceAndTheLineKept(t *testing.T) {
	r, out := newReg(t)
	configure(t, r, strings.Replace(seedTOML, `format  = "%(asctime)s [%(levelname)-8s] %(message)s [%(pathname)s:%(lineno)d]"`,
		`format  = "%(levelname)s [%(request_id)s] [%(env)s] %(message)s"
defaults = { env = "local" }`, 1))
	l := r.Get("watchtower")
	l.Info("one")
	l.Info("two")
	l.WithField("request_id", "r-1").Info("three")
	got := out.String()
	for _, want := range []string{"INFO [] [local] one\n", "INFO [] [local] two\n", "INFO [r-1] [local] three\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in %q", want, got)
		}
	}
	if n := strings.Count(got, "request_id"); n != 1 {
		t.Errorf("the missing field must be reported once, found %d mentions in %q", n, got)
	}
}

// Caller fields cost a stack walk: loggers whose handlers do not print them
// do not pay it.
func TestCallerOnlyWhenAFormatterUsesIt(t *testing.T) {
	r, _ := newReg(t)
	configure(t, r, `version = 1
[formatters.plain]
format = "%(message)s"
[formatters.where]
format = "%(lineno)d %(message)s"
[handlers.plain]
class = "test.Recorder"
key = "`+keyed(t, "plain")+`"
formatter = "plain"
[handlers.where]
class = "test.Recorder"
key = "`+keyed(t, "where")+`"
formatter = "where"
[loggers.a]
handlers = ["plain"]
[loggers.b]
handlers = ["where"]
`)
	if r.node("a").state.Load().needCaller {
		t.Error("logger a prints no caller field")
	}
	if !r.node("b").state.Load().needCaller || !r.node("b.child").state.Load().needCaller {
		t.Error("b and its children propagate to a handler that prints the line number")
	}
}

func TestFileHandlerThroughConfig(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "app.log")
	r, _ := newReg(t)
	configure(t, r, `version = 1
[handlers.f]
class = "logging.FileHandler"
filename = '`+path+`'
[root]
level = "DEBUG"
handlers = ["f"]
`)
	r.Get("x").Debug("to the file")
	if err := r.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	b, err := readFileString(path)
	if err != nil || b != "to the file\n" {
		t.Fatalf("file has %q, %v", b, err)
	}
}
