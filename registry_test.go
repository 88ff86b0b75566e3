package logging

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/sirupsen/logrus"
)

// semantics are table-driven cases of Python's logging semantics. Each says
// what Python does (checked with python3's logging module), sets up loggers,
// applies a TOML configuration, logs, and compares what each recorder
// handler got and what reached stderr. In configurations, "@" in a recorder
// key stands for the test's name.
var semantics = []struct {
	name   string
	python string
	before func(r *Registry, conf func(string))
	config string
	log    func(r *Registry)
	want   map[string][]string // recorder -> lines
	stderr []string
}{
	{
		name:   "lastResort",
		python: "no handler anywhere: WARNING and above go to stderr as the bare message, INFO is dropped",
		config: "version = 1",
		log: func(r *Registry) {
			r.Get("app").Info("not shown")
			r.Get("app").Warn("shown")
			r.Get("").Error("root error")
		},
		stderr: []string{"shown", "root error"},
	},
	{
		name:   "root defaults to WARNING",
		python: "a logger with no level inherits the root's WARNING",
		config: `version = 1
[handlers.h]
class = "test.Recorder"
key = "@h"
[root]
handlers = ["h"]`,
		log: func(r *Registry) {
			r.Get("a.b.c").Info("dropped")
			r.Get("a.b.c").Warn("kept")
		},
		want: map[string][]string{"h": {"kept"}},
	},
	{
		name:   "propagation ignores ancestor levels",
		python: "app at ERROR with a handler; app.child at DEBUG: child.debug reaches app's handler (A in reference 2)",
		config: `version = 1
[handlers.h]
class = "test.Recorder"
key = "@h"
[loggers.app]
level = "ERROR"
handlers = ["h"]
[loggers."app.child"]
level = "DEBUG"`,
		log: func(r *Registry) {
			r.Get("app.child").Debug("A: child DEBUG reaches parent's handler")
			r.Get("app").Warn("below app's own level")
		},
		want: map[string][]string{"h": {"A: child DEBUG reaches parent's handler"}},
	},
	{
		name:   "logger filters only at the originating logger",
		python: "a filter on app that drops everything drops app's records but not app.child's",
		config: `version = 1
[filters.none]
"()" = "test.DropAll"
[handlers.h]
class = "test.Recorder"
key = "@h"
[loggers.app]
level = "DEBUG"
handlers = ["h"]
filters = ["none"]`,
		log: func(r *Registry) {
			r.Get("app").Error("B: dropped by app's own filter")
			r.Get("app.child").Info("child passes")
		},
		want: map[string][]string{"h": {"child passes"}},
	},
	{
		name:   "handler level and handler filters",
		python: "a handler at WARNING ignores INFO; a handler filter drops for that handler only",
		config: `version = 1
[filters.none]
"()" = "test.DropAll"
[handlers.warn]
class = "test.Recorder"
key = "@warn"
level = "WARNING"
[handlers.all]
class = "test.Recorder"
key = "@all"
[handlers.filtered]
class = "test.Recorder"
key = "@filtered"
filters = ["none"]
[loggers.app]
level = "DEBUG"
handlers = ["warn", "all", "filtered"]`,
		log: func(r *Registry) {
			r.Get("app").Info("C: info")
			r.Get("app").Warn("warning")
		},
		want: map[string][]string{"warn": {"warning"}, "all": {"C: info", "warning"}, "filtered": nil},
	},
	{
		name:   "propagate false stops at the logger",
		python: "watchtower with propagate=False: root's handler does not see its records",
		config: `version = 1
[handlers.root]
class = "test.Recorder"
key = "@root"
[handlers.wt]
class = "test.Recorder"
key = "@wt"
[root]
level = "INFO"
handlers = ["root"]
[loggers.watchtower]
level = "INFO"
handlers = ["wt"]
propagate = false`,
		log: func(r *Registry) {
			r.Get("watchtower").Info("to cloudwatch only")
			r.Get("other").Info("to root")
		},
		want: map[string][]string{"wt": {"to cloudwatch only"}, "root": {"to root"}},
	},
	{
		name:   "propagate false and no handler is lastResort",
		python: "a handler-less logger with propagate=False has found no handler: lastResort prints WARNING+",
		config: `version = 1
[handlers.root]
class = "test.Recorder"
key = "@root"
[root]
handlers = ["root"]
[loggers.lonely]
propagate = false`,
		log: func(r *Registry) {
			r.Get("lonely").Warn("to stderr")
			r.Get("lonely").Info("nowhere")
		},
		want:   map[string][]string{"root": nil},
		stderr: []string{"to stderr"},
	},
	{
		name:   "a handler that rejects by level still counts as found",
		python: "a handler exists but its level rejects the record: no lastResort",
		config: `version = 1
[handlers.h]
class = "test.Recorder"
key = "@h"
level = "CRITICAL"
[root]
handlers = ["h"]`,
		log: func(r *Registry) {
			r.Get("x").Error("rejected by the handler's level, not printed by lastResort")
		},
		want: map[string][]string{"h": nil},
	},
	{
		name:   "filters attach attributes seen by every handler",
		python: "a logger filter sets record.env; the handler's formatter prints it",
		config: `version = 1
[filters.env]
"()" = "test.Tag"
key = "env"
value = "staging"
[formatters.f]
"()" = "test.Prefix"
attr = "env"
[handlers.h]
class = "test.Recorder"
key = "@h"
formatter = "f"
[loggers.app]
level = "INFO"
handlers = ["h"]
filters = ["env"]`,
		log:  func(r *Registry) { r.Get("app").Info("hello") },
		want: map[string][]string{"h": {"staging hello"}},
	},
	{
		name:   "disable_existing_loggers default true",
		python: "existing loggers not named are disabled, children of named ones are reset (app.db keeps working), 'apple' is not a child of 'app'",
		before: func(r *Registry, conf func(string)) {
			for _, n := range []string{"app", "app.db", "apple", "lib.sub"} {
				r.Get(n)
			}
		},
		config: `version = 1
[handlers.h]
class = "test.Recorder"
key = "@h"
[root]
level = "DEBUG"
handlers = ["h"]
[loggers.app]
level = "INFO"`,
		log: func(r *Registry) {
			r.Get("app.db").Info("app.db reset, enabled")
			r.Get("apple").Error("apple disabled")
			r.Get("lib.sub").Error("lib.sub disabled")
			r.Get("lib").Error("lib was only a placeholder: enabled")
			r.Get("new").Info("created after: enabled")
		},
		want: map[string][]string{"h": {"app.db reset, enabled", "lib was only a placeholder: enabled", "created after: enabled"}},
	},
	{
		name:   "disable_existing_loggers false re-enables",
		python: "a second configuration with the flag false re-enables loggers the first disabled",
		before: func(r *Registry, conf func(string)) {
			r.Get("old")
			conf("version = 1")
		},
		config: `version = 1
disable_existing_loggers = false
[handlers.h]
class = "test.Recorder"
key = "@h"
[root]
handlers = ["h"]`,
		log:  func(r *Registry) { r.Get("old").Warn("enabled again") },
		want: map[string][]string{"h": {"enabled again"}},
	},
	{
		name:   "children of configured loggers are reset",
		python: "app.db had DEBUG and propagate=False; configuring app resets it to NOTSET, propagate True",
		before: func(r *Registry, conf func(string)) {
			conf(`version = 1
[loggers."app.db"]
level = "DEBUG"
propagate = false`)
		},
		config: `version = 1
[handlers.h]
class = "test.Recorder"
key = "@h"
[loggers.app]
level = "WARNING"
handlers = ["h"]`,
		log: func(r *Registry) {
			r.Get("app.db").Info("NOTSET now: inherits WARNING, dropped")
			r.Get("app.db").Warn("propagates to app again")
		},
		want: map[string][]string{"h": {"propagates to app again"}},
	},
	{
		name:   "root section wins over loggers.root",
		python: "root is applied last (3.9+: loggers.root and loggers[''] also mean the root)",
		config: `version = 1
[handlers.a]
class = "test.Recorder"
key = "@a"
[handlers.b]
class = "test.Recorder"
key = "@b"
[loggers.root]
handlers = ["a"]
[root]
handlers = ["b"]`,
		log:  func(r *Registry) { r.Get("x").Warn("w") },
		want: map[string][]string{"a": nil, "b": {"w"}},
	},
	{
		name:   "names are case-sensitive",
		python: "getLogger('MyApp') is not getLogger('myapp')",
		config: `version = 1
[handlers.Watchtower]
class = "test.Recorder"
key = "@Watchtower"
[handlers.watchtower]
class = "test.Recorder"
key = "@watchtower"
[loggers.MyApp]
level = "INFO"
handlers = ["Watchtower"]
propagate = false
[loggers.myapp]
level = "INFO"
handlers = ["watchtower"]
propagate = false
[loggers."django.request"]
level = "ERROR"
handlers = ["watchtower"]
propagate = false`,
		log: func(r *Registry) {
			r.Get("MyApp").Info("upper")
			r.Get("myapp").Info("lower")
			r.Get("django.request").Error("dotted")
			r.Get("django.request").Warn("below ERROR")
		},
		want: map[string][]string{"Watchtower": {"upper"}, "watchtower": {"lower", "dotted"}},
	},
	{
		name:   "incremental changes levels only",
		python: "incremental: handler and logger levels and propagate change; handlers stay attached",
		before: func(r *Registry, conf func(string)) {
			conf(`version = 1
[handlers.h]
class = "test.Recorder"
key = "@h"
level = "ERROR"
[loggers.app]
level = "ERROR"
handlers = ["h"]`)
		},
		config: `version = 1
incremental = true
[handlers.h]
level = "INFO"
class = "no.such.Class"
[loggers.app]
level = "INFO"
handlers = []`,
		log:  func(r *Registry) { r.Get("app").Info("now passes both levels") },
		want: map[string][]string{"h": {"now passes both levels"}},
	},
	{
		name:   "custom level numbers",
		python: "a logger at level 25 drops INFO (20) and passes WARNING (30)",
		config: `version = 1
[handlers.h]
class = "test.Recorder"
key = "@h"
[loggers.app]
level = 25
handlers = ["h"]`,
		log: func(r *Registry) {
			r.Get("app").Info("dropped")
			r.Get("app").Warn("kept")
			Critical(r.Get("app"), "critical, no exit")
		},
		want: map[string][]string{"h": {"kept", "critical, no exit"}},
	},
}

func TestSemantics(t *testing.T) {
	for _, tc := range semantics {
		t.Run(tc.name, func(t *testing.T) {
			r, stderr := newReg(t)
			at := func(s string) string { return strings.ReplaceAll(s, `"@`, `"`+t.Name()+"/") }
			conf := func(toml string) {
				t.Helper()
				tree, err := decodeTOML([]byte(at(toml)))
				if err != nil {
					t.Fatal(err)
				}
				if err := r.ConfigureMap(tree); err != nil {
					t.Fatalf("configure: %v", err)
				}
			}
			if tc.before != nil {
				tc.before(r, conf)
			}
			conf(tc.config)
			tc.log(r)
			for h, want := range tc.want {
				got := rec(keyed(t, h)).get()
				if !reflect.DeepEqual(got, want) {
					t.Errorf("handler %s got %q, want %q (Python: %s)", h, got, want, tc.python)
				}
			}
			if got := lines(stderr.String()); !reflect.DeepEqual(got, tc.stderr) {
				t.Errorf("stderr got %q, want %q (Python: %s)", got, tc.stderr, tc.python)
			}
		})
	}
}

func TestGetReturnsTheSameLoggerAcrossConfigurations(t *testing.T) {
	r, _ := newReg(t)
	early := r.Get("app.db")
	if r.Get("app.db") != early || r.Get("") != r.Get("root") {
		t.Fatal("Get must return one logger per name; \"\" and \"root\" are the root")
	}
	tree, _ := decodeTOML([]byte(`version = 1
disable_existing_loggers = false
[handlers.h]
class = "test.Recorder"
key = "` + keyed(t, "h") + `"
[loggers.app]
level = "DEBUG"
handlers = ["h"]`))
	if err := r.ConfigureMap(tree); err != nil {
		t.Fatal(err)
	}
	if r.Get("app.db") != early {
		t.Fatal("configuration replaced the logger object")
	}
	early.Debug("early logger follows the configuration")
	if got := rec(keyed(t, "h")).get(); len(got) != 1 {
		t.Fatalf("got %q", got)
	}
}

func TestFailedConfigureKeepsThePreviousOne(t *testing.T) {
	r, _ := newReg(t)
	good := `version = 1
[handlers.h]
class = "test.Recorder"
key = "` + keyed(t, "h") + `"
[loggers.app]
level = "INFO"
handlers = ["h"]`
	tree, _ := decodeTOML([]byte(good))
	if err := r.ConfigureMap(tree); err != nil {
		t.Fatal(err)
	}
	bad, _ := decodeTOML([]byte(`version = 1
[handlers.h2]
class = "test.Recorder"
key = "` + keyed(t, "h2") + `"
[handlers.broken]
class = "no.such.Handler"
[loggers.app]
level = "ERROR"
handlers = ["h2", "broken"]`))
	if err := r.ConfigureMap(bad); err == nil {
		t.Fatal("want an error")
	}
	r.Get("app").Info("still configured as before")
	if got := rec(keyed(t, "h")).get(); len(got) != 1 {
		t.Fatalf("old handler got %q", got)
	}
	if got := rec(keyed(t, "h2")).get(); len(got) != 0 {
		t.Fatalf("the failed configuration's handler got %q", got)
	}
	if rec(keyed(t, "h2")).closed != 1 {
		t.Fatal("a handler built by a failed configuration must be closed")
	}
	if rec(keyed(t, "h")).closed != 0 {
		t.Fatal("the previous configuration's handler was closed")
	}
}

func TestReconfigureClosesReplacedHandlers(t *testing.T) {
	r, _ := newReg(t)
	cfg := func(key string) map[string]any {
		tree, _ := decodeTOML([]byte(`version = 1
[handlers.h]
class = "test.Recorder"
key = "` + keyed(t, key) + `"
[root]
handlers = ["h"]`))
		return tree
	}
	if err := r.ConfigureMap(cfg("one")); err != nil {
		t.Fatal(err)
	}
	if err := r.ConfigureMap(cfg("two")); err != nil {
		t.Fatal(err)
	}
	if rec(keyed(t, "one")).closed != 1 || rec(keyed(t, "two")).closed != 0 {
		t.Fatal("reconfiguring must close the old handler and only it")
	}
	r.Get("x").Warn("new")
	if got := rec(keyed(t, "two")).get(); !reflect.DeepEqual(got, []string{"new"}) {
		t.Fatalf("got %q", got)
	}
}

func TestLoggingWhileReconfiguring(t *testing.T) {
	r, _ := newReg(t)
	const writers, per = 4, 500
	cfg := func(i int) map[string]any {
		tree, _ := decodeTOML([]byte(fmt.Sprintf(`version = 1
disable_existing_loggers = false
[handlers.h]
class = "test.Recorder"
key = "%s"
[root]
level = "INFO"
handlers = ["h"]`, keyed(t, fmt.Sprint(i%2)))))
		return tree
	}
	if err := r.ConfigureMap(cfg(0)); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l := r.Get(fmt.Sprintf("app.w%d", w))
			for i := range per {
				l.WithField("i", i).Info("line")
			}
		}()
	}
	for i := 1; i <= 20; i++ {
		if err := r.ConfigureMap(cfg(i)); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
	total := len(rec(keyed(t, "0")).get()) + len(rec(keyed(t, "1")).get())
	if total != writers*per {
		t.Fatalf("got %d records, want %d: records were lost during reconfiguration", total, writers*per)
	}
}

var _ = errors.New
var _ = context.Background
var _ logrus.Level

// A handler whose configuration did not change is kept across a
// reconfiguration (its queue, connections and file stay); one that changed,
// even only in its formatter, is rebuilt and the old one closed.
func TestUnchangedHandlersAreKept(t *testing.T) {
	r, _ := newReg(t)
	conf := func(level, format string) {
		t.Helper()
		configure(t, r, `version = 1
disable_existing_loggers = false
[formatters.f]
format = "`+format+`"
[handlers.h]
class = "test.Recorder"
key = "`+keyed(t, "h")+`"
level = "`+level+`"
formatter = "f"
[root]
level = "DEBUG"
handlers = ["h"]`)
	}
	conf("INFO", "%(message)s")
	h := rec(keyed(t, "h"))
	conf("WARNING", "%(message)s")
	if h.closed != 0 {
		t.Fatal("an unchanged handler was closed")
	}
	r.Get("x").Info("below the new level")
	r.Get("x").Warn("kept")
	conf("WARNING", "%(levelname)s %(message)s")
	if h.closed != 1 {
		t.Fatalf("a handler whose formatter changed must be rebuilt, closed %d times", h.closed)
	}
	r.Get("x").Warn("rebuilt")
	if got := h.get(); !reflect.DeepEqual(got, []string{"kept", "WARNING rebuilt"}) {
		t.Fatalf("got %q", got)
	}
}
