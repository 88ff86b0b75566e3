package core

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sirupsen/logrus"
)

func TestParseLevel(t *testing.T) {
	cases := []struct {
		in   any
		want Level
		err  bool
	}{
		{"INFO", INFO, false}, {"info", INFO, false}, {"Warn", WARNING, false}, {"WARNING", WARNING, false},
		{"FATAL", CRITICAL, false}, {"critical", CRITICAL, false}, {"panic", CRITICAL, false},
		{"trace", TRACE, false}, {"NOTSET", NOTSET, false}, {"15", 15, false},
		{int64(25), 25, false}, {float64(10), DEBUG, false}, {10, DEBUG, false},
		{"VERBOSE", 0, true}, {-1, 0, true}, {1.5, 0, true}, {true, 0, true},
	}
	for _, tc := range cases {
		got, err := ParseLevel(tc.in)
		if (err != nil) != tc.err || got != tc.want {
			t.Errorf("ParseLevel(%#v) = %v, %v; want %v, err %v", tc.in, got, err, tc.want, tc.err)
		}
		if err != nil && !errors.Is(err, ErrBadLevel) {
			t.Errorf("ParseLevel(%#v): error does not wrap ErrBadLevel", tc.in)
		}
	}
}

func TestLevelNames(t *testing.T) {
	for l, want := range map[Level]string{CRITICAL: "CRITICAL", WARNING: "WARNING", TRACE: "TRACE", 15: "Level 15"} {
		if l.String() != want {
			t.Errorf("%d.String() = %q, want %q", int(l), l.String(), want)
		}
	}
}

func TestLogrusMapping(t *testing.T) {
	for _, lv := range logrus.AllLevels {
		py := FromLogrus(lv)
		// A logger whose effective level is py must let lv through.
		if th := LogrusThreshold(py); th < lv {
			t.Errorf("threshold for %v is %v, which rejects logrus %v", py, th, lv)
		}
	}
	if LogrusThreshold(25) != logrus.WarnLevel || LogrusThreshold(NOTSET) != logrus.TraceLevel {
		t.Error("custom levels must map to the next more severe logrus level")
	}
}

func TestParams(t *testing.T) {
	p := NewParams("handlers.watchtower", map[string]any{
		"max_batch_count":       int64(20000),
		"send_interval":         int64(5),
		"block_timeout":         "250ms",
		"create_log_group":      "false",
		"log_group":             "a",
		"log_group_name":        "b",
		"aws_secret_access_key": int64(1234567),
		"propogate":             true,
		"tags":                  map[string]any{"team": "x", "n": int64(2)},
	})
	if got := p.Int("max_batch_count", 10000, 1, 10000); got != 10000 {
		t.Errorf("out of range must give the default, got %d", got)
	}
	if got := p.Duration("send_interval", time.Minute, 0, time.Hour); got != 5*time.Second {
		t.Errorf("send_interval = %v", got)
	}
	if got := p.Duration("block_timeout", 0, 0, time.Hour); got != 250*time.Millisecond {
		t.Errorf("block_timeout = %v", got)
	}
	if p.Bool("create_log_group", true) {
		t.Error(`"false" must parse as false`)
	}
	p.Alias("log_group_name", "log_group")
	p.String("aws_secret_access_key", "")
	p.Use("propagate")
	if m := p.StringMap("tags"); m["n"] != "2" || m["team"] != "x" {
		t.Errorf("tags = %v", m)
	}
	err := p.Err()
	msg := err.Error()
	for _, want := range []string{
		"handlers.watchtower.max_batch_count: bad value: must be 1..10000, got 20000",
		"handlers.watchtower.log_group: bad value: give log_group_name or log_group, not both",
		"handlers.watchtower.aws_secret_access_key: bad value: want a string, got (value hidden)",
		`handlers.watchtower.propogate: unknown key: did you mean "propagate"?`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("missing %q in:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "1234567") {
		t.Error("a secret value was echoed")
	}
	var ce *ConfigError
	if !errors.As(err, &ce) || !errors.Is(err, ErrUnknownKey) || !errors.Is(err, ErrBadValue) {
		t.Error("errors must be ConfigErrors wrapping the sentinels")
	}
}

func TestJoinPath(t *testing.T) {
	for _, tc := range []struct{ path, key, want string }{
		{"loggers", "django.request", `loggers."django.request"`},
		{"loggers", "MyApp", "loggers.MyApp"},
		{"", "handlers", "handlers"},
		{"loggers", "", `loggers.""`},
	} {
		if got := JoinPath(tc.path, tc.key); got != tc.want {
			t.Errorf("JoinPath(%q, %q) = %s, want %s", tc.path, tc.key, got, tc.want)
		}
	}
}

func TestSuggest(t *testing.T) {
	known := []string{"level", "propagate", "filters", "handlers"}
	for in, want := range map[string]string{"propogate": "propagate", "handler": "handlers", "lvl": "", "zzzzzz": ""} {
		if got := Suggest(in, known); got != want {
			t.Errorf("Suggest(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRecordAttributes(t *testing.T) {
	e := &logrus.Entry{Data: logrus.Fields{"user": "alice", "env": "field"}, Message: "m", Level: logrus.InfoLevel}
	r := NewRecord(e)
	r.Set("env", "filter")
	if v, _ := r.Get("env"); v != "filter" {
		t.Errorf("a filter attribute must shadow the field, got %v", v)
	}
	if e.Data["env"] != "field" {
		t.Error("Set modified the entry")
	}
	seen := map[string]any{}
	r.Range(func(k string, v any) bool { seen[k] = v; return true })
	if len(seen) != 2 || seen["env"] != "filter" || r.Len() != 2 {
		t.Errorf("Range saw %v, Len %d", seen, r.Len())
	}
	if r.Err() != nil {
		t.Error("no error attached")
	}
	e.Data[logrus.ErrorKey] = errors.New("boom")
	if r.Err() == nil || r.Err().Error() != "boom" {
		t.Error("Err must return the WithError error")
	}
}
