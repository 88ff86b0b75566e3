package logging

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"reflect"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"testing/slogtest"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/logdict/logging/core"
)

// capture is a handler class for the slog tests: it keeps each record as a
// map, the shape testing/slogtest reads (fields split at dots into nested
// maps), plus the record itself for other checks.
type capture struct {
	mu   sync.Mutex
	maps []map[string]any
	recs []capturedRecord
}

type capturedRecord struct {
	name    string
	level   core.Level
	msg     string
	time    time.Time
	ctx     context.Context
	caller  *runtime.Frame
	fields  map[string]any
	printed string
}

func (c *capture) Emit(r *core.Record, p []byte) error {
	m := map[string]any{
		slog.TimeKey:    r.Time(),
		slog.LevelKey:   r.Level,
		slog.MessageKey: r.Message(),
	}
	fields := map[string]any{}
	r.Range(func(k string, v any) bool {
		if k == LevelKey {
			return true
		}
		fields[k] = v
		g := m
		parts := strings.Split(k, ".")
		for _, part := range parts[:len(parts)-1] {
			sub, ok := g[part].(map[string]any)
			if !ok {
				sub = map[string]any{}
				g[part] = sub
			}
			g = sub
		}
		g[parts[len(parts)-1]] = v
		return true
	})
	c.mu.Lock()
	defer c.mu.Unlock()
	c.maps = append(c.maps, m)
	c.recs = append(c.recs, capturedRecord{r.Name, r.Level, r.Message(), r.Time(), r.Entry.Context, r.Caller, fields, string(p)})
	return nil
}

func (c *capture) Flush(context.Context) error { return nil }
func (c *capture) Close(context.Context) error { return nil }

func (c *capture) records() []capturedRecord {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]capturedRecord(nil), c.recs...)
}

var captures sync.Map // key -> *capture

func captureFor(key string) *capture {
	c, _ := captures.LoadOrStore(key, &capture{})
	return c.(*capture)
}

func init() {
	mustRegister(RegisterHandler("test.SlogCapture", func(p *core.Params, env *core.Env) (core.Handler, error) {
		key := p.RequiredString("key")
		if err := p.Err(); err != nil {
			return nil, err
		}
		return captureFor(key), nil
	}))
}

// slogConfig sends app's records at INFO and above to the capture "c",
// formatted with the call site.
const slogConfig = `version = 1
[formatters.f]
format = "%(levelname)s %(name)s %(message)s @%(filename)s:%(lineno)d"
[handlers.c]
class = "test.SlogCapture"
key = "@c"
formatter = "f"
[loggers.app]
level = "INFO"
handlers = ["c"]
`

func TestSlogConformance(t *testing.T) {
	var c *capture
	slogtest.Run(t, func(t *testing.T) slog.Handler {
		if strings.HasSuffix(t.Name(), "/zero-time") {
			// slog asks a handler to leave a zero time out; a logrus
			// entry always has one (logrus stamps the time of the call),
			// and %(asctime)s always prints one. TestSlogZeroTime checks
			// what happens instead.
			t.Skip("a zero slog time becomes the time of the call, as in logrus")
		}
		r, _ := newReg(t)
		configureTOML(t, r, slogConfig)
		c = captureFor(runKey(t, "c"))
		return r.SlogHandler("app")
	}, func(t *testing.T) map[string]any {
		maps := c.maps
		if len(maps) != 1 {
			t.Fatalf("%d records, want 1", len(maps))
		}
		return maps[0]
	})
}

func TestSlogZeroTime(t *testing.T) {
	r, _ := newReg(t)
	configureTOML(t, r, slogConfig)
	h := r.SlogHandler("app")
	before := time.Now()
	if err := h.Handle(context.Background(), slog.NewRecord(time.Time{}, slog.LevelInfo, "m", 0)); err != nil {
		t.Fatal(err)
	}
	got := captureFor(runKey(t, "c")).records()
	if len(got) != 1 || got[0].time.Before(before) || got[0].time.After(time.Now()) {
		t.Fatalf("got %+v, want one record stamped with the time of the call", got)
	}
}

func TestSlogLevelMapping(t *testing.T) {
	for _, tc := range []struct {
		slog slog.Level
		py   Level
		back slog.Level
	}{
		{slog.LevelDebug, DEBUG, slog.LevelDebug},
		{slog.LevelInfo, INFO, slog.LevelInfo},
		{slog.LevelWarn, WARNING, slog.LevelWarn},
		{slog.LevelError, ERROR, slog.LevelError},
		{12, CRITICAL, 12},
		{100, CRITICAL, 12},
		{2, 25, 2},
		{1, 22, 0},
		{-1, 17, -2},
		{-6, TRACE, -6},
		{-8, 1, -8},
		{-100, 1, -8},
	} {
		t.Run(tc.slog.String(), func(t *testing.T) {
			if got := FromSlogLevel(tc.slog); got != tc.py {
				t.Errorf("FromSlogLevel(%d) = %d, want %d", tc.slog, got, tc.py)
			}
			if got := ToSlogLevel(tc.py); got != tc.back {
				t.Errorf("ToSlogLevel(%d) = %d, want %d", tc.py, got, tc.back)
			}
		})
	}
	// Monotonic both ways, so level comparisons agree.
	for l := slog.Level(-20); l < 20; l++ {
		if FromSlogLevel(l) > FromSlogLevel(l+1) {
			t.Errorf("FromSlogLevel is not monotonic at %d", l)
		}
	}
	for l := Level(0); l < 60; l++ {
		if ToSlogLevel(l) > ToSlogLevel(l+1) {
			t.Errorf("ToSlogLevel is not monotonic at %d", l)
		}
	}
}

func TestSlogRoutesThroughTheLogger(t *testing.T) {
	const config = `version = 1
[formatters.f]
format = "%(levelname)s %(name)s %(message)s"
[filters.drop]
"()" = "test.DropAll"
[handlers.c]
class = "test.SlogCapture"
key = "@c"
formatter = "f"
[handlers.muted]
class = "test.SlogCapture"
key = "@muted"
[loggers.app]
level = "INFO"
handlers = ["c"]
[loggers."app.quiet"]
level = "ERROR"
[loggers."app.filtered"]
filters = ["drop"]
[loggers.alone]
handlers = ["muted"]
propagate = false
level = "DEBUG"
`
	r, _ := newReg(t)
	configureTOML(t, r, config)
	r.Slog("app.db").Debug("below app's level")
	r.Slog("app.db").Info("propagates to app")
	r.Slog("app").Log(context.Background(), slog.LevelInfo+2, "custom level")
	r.Slog("app").Log(context.Background(), 12, "critical")
	r.Slog("app.quiet").Warn("below its own level")
	r.Slog("app.quiet").Error("at its level")
	r.Slog("app.filtered").Error("dropped by the logger's filter")
	r.Slog("alone").Debug("debug alone")
	want := []string{
		"INFO app.db propagates to app",
		"Level 25 app custom level",
		"CRITICAL app critical",
		"ERROR app.quiet at its level",
	}
	var got []string
	for _, rc := range captureFor(runKey(t, "c")).records() {
		got = append(got, rc.printed)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if got := captureFor(runKey(t, "muted")).records(); len(got) != 1 || got[0].msg != "debug alone" {
		t.Errorf("alone's handler got %+v", got)
	}
}

func TestSlogEnabled(t *testing.T) {
	r, _ := newReg(t)
	// "old" exists before the configuration, which does not name it:
	// disable_existing_loggers (true by default) disables it.
	r.Get("old")
	configureTOML(t, r, `version = 1
[loggers.app]
level = "WARNING"
[loggers.trace]
level = "TRACE"
`)
	ctx := context.Background()
	for _, tc := range []struct {
		logger string
		level  slog.Level
		want   bool
	}{
		{"app", slog.LevelInfo, false},
		{"app", slog.LevelInfo + 3, false}, // 27 < 30
		{"app", slog.LevelWarn, true},
		{"app.child", slog.LevelWarn, true},
		{"app.child", slog.LevelInfo, false},
		{"trace", -6, true},
		{"trace", -7, false},
		{"old", slog.LevelError, false},
	} {
		t.Run(fmt.Sprintf("%s/%v", tc.logger, tc.level), func(t *testing.T) {
			if got := r.SlogHandler(tc.logger).Enabled(ctx, tc.level); got != tc.want {
				t.Errorf("Enabled = %v, want %v", got, tc.want)
			}
		})
	}
}

type ctxKey struct{}

func TestSlogRecordDetails(t *testing.T) {
	r, _ := newReg(t)
	configureTOML(t, r, slogConfig)
	c := captureFor(runKey(t, "c"))
	boom := errors.New("boom")
	ctx := context.WithValue(context.Background(), ctxKey{}, "trace-1")

	l := r.Slog("app").With("svc", "api").WithGroup("req").With("id", 7)
	_, file, line, _ := runtime.Caller(0)
	l.InfoContext(ctx, "handled", "status", 200, slog.Group("", "inline", true), slog.Group("user", "name", "arya", slog.Group("empty")), "error", boom)

	got := c.records()
	if len(got) != 1 {
		t.Fatalf("%d records", len(got))
	}
	rc := got[0]
	wantFields := map[string]any{
		"svc": "api", "req.id": int64(7), "req.status": int64(200), "req.inline": true,
		"req.user.name": "arya", "req.error": boom,
	}
	if !reflect.DeepEqual(rc.fields, wantFields) {
		t.Errorf("fields %v\nwant %v", rc.fields, wantFields)
	}
	if rc.ctx == nil || rc.ctx.Value(ctxKey{}) != "trace-1" {
		t.Error("the slog call's context is not the entry's")
	}
	if rc.caller == nil || rc.caller.File != file || rc.caller.Line != line+1 {
		t.Errorf("caller %+v, want %s:%d", rc.caller, file, line+1)
	}
	if want := fmt.Sprintf("INFO app handled @slog_test.go:%d", line+1); rc.printed != want {
		t.Errorf("printed %q, want %q", rc.printed, want)
	}

	// A top-level "error" is logrus's WithError error: appended by the
	// default formatter, as for logrus.
	r.Slog("app").Error("failed", "error", boom)
	got = c.records()
	if rc := got[len(got)-1]; rc.fields[logrus.ErrorKey] != boom {
		t.Errorf("error field %v", rc.fields)
	}

	// The record's own time is the entry's.
	at := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	if err := r.SlogHandler("app").Handle(ctx, slog.NewRecord(at, slog.LevelWarn, "timed", 0)); err != nil {
		t.Fatal(err)
	}
	got = c.records()
	if rc := got[len(got)-1]; !rc.time.Equal(at) || rc.msg != "timed" {
		t.Errorf("record %+v, want time %v", rc, at)
	}
	// With no PC, the dispatch finds the caller itself: this function.
	if rc := got[len(got)-1]; rc.caller == nil || rc.caller.File != file {
		t.Errorf("caller without PC: %+v", rc.caller)
	}
}

func TestSlogFollowsReconfiguration(t *testing.T) {
	r, _ := newReg(t)
	l := r.Slog("app") // before any configuration, like a package variable
	configureTOML(t, r, slogConfig)
	l.Info("after")
	if got := captureFor(runKey(t, "c")).records(); len(got) != 1 || got[0].msg != "after" {
		t.Errorf("got %+v", got)
	}
}

func TestSlogConcurrent(t *testing.T) {
	r, _ := newReg(t)
	configureTOML(t, r, slogConfig)
	const goroutines, each = 8, 200
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			l := r.Slog(fmt.Sprintf("app.g%d", g)).With("g", g)
			for i := range each {
				l.Info("m", "i", i)
			}
		})
	}
	wg.Wait()
	if got := len(captureFor(runKey(t, "c")).records()); got != goroutines*each {
		t.Errorf("%d records, want %d", got, goroutines*each)
	}
}

func TestSlogAllocs(t *testing.T) {
	if builtWithRace() {
		t.Skip("allocation counts differ under -race")
	}
	r := New(WithStderr(io.Discard), WithStdout(io.Discard))
	configureTOML(t, r, `version = 1
[formatters.f]
format = "%(levelname)s %(name)s %(message)s"
[handlers.h]
class = "stream"
stream = "ext://sys.stdout"
formatter = "f"
[loggers.app]
level = "INFO"
handlers = ["h"]
`)
	l := r.Slog("app")
	if n := testing.AllocsPerRun(100, func() { l.Debug("disabled", "k", 1) }); n != 0 {
		t.Errorf("a disabled call allocates %v times", n)
	}
	// logrus copies the entry and its fields (2), boxes the message (1);
	// the record is pooled.
	if n := testing.AllocsPerRun(100, func() { l.Info("enabled", "k", 1) }); n > 5 {
		t.Errorf("an enabled call allocates %v times, want at most 5", n)
	}
}

// builtWithRace reports whether the test binary was built with -race, whose
// instrumentation allocates.
func builtWithRace() bool {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, s := range bi.Settings {
		if s.Key == "-race" {
			return s.Value == "true"
		}
	}
	return false
}
