package formatters

import (
	"encoding/json"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/logdict/logging/core"
	"github.com/sirupsen/logrus"
)

func TestJSONString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", `"plain"`},
		{`say "hi" \ bye`, `"say \"hi\" \\ bye"`},
		{"a\nb\rc\td\be\ff", `"a\nb\rc\td\be\ff"`},
		{"\x00\x01\x1f\x7f", `"\u0000\u0001\u001f` + "\x7f" + `"`},
		{"bad \xff\xfe utf8", `"bad \ufffd\ufffd utf8"`},
		{"cut \xe2\x82", `"cut \ufffd\ufffd"`},
		{"é 😀 <&>", `"é 😀 <&>"`},
		{"js \u2028\u2029", `"js \u2028\u2029"`},
		{"", `""`},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			got := string(appendJSONString(nil, tt.in))
			if got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
			var back string
			if err := json.Unmarshal([]byte(got), &back); err != nil {
				t.Errorf("not valid JSON: %v", err)
			}
		})
	}
}

type point struct{ X, Y int }

type textOnly struct{}

func (textOnly) MarshalText() ([]byte, error) { return []byte("as text"), nil }

func TestJSONValues(t *testing.T) {
	tests := []struct {
		name  string
		value any
		want  string
	}{
		{"int", 42, `42`},
		{"negative", int64(-7), `-7`},
		{"uint64", uint64(math.MaxUint64), `18446744073709551615`},
		{"float", 1.5, `1.5`},
		{"whole float", 678.0, `678.0`},
		{"inf", math.Inf(1), `"inf"`},
		{"nan", math.NaN(), `"nan"`},
		{"bool", true, `true`},
		{"nil", nil, `null`},
		{"error", errors.New("boom \"x\""), `"boom \"x\""`},
		{"time", time.Date(2024, 1, 2, 3, 4, 5, 6000, time.UTC), `"2024-01-02T03:04:05.000006Z"`},
		{"struct", point{1, 2}, `{"X":1,"Y":2}`},
		{"slice", []string{"a", "b"}, `["a","b"]`},
		{"raw", json.RawMessage(`{"a":1}`), `{"a":1}`},
		{"text marshaler", textOnly{}, `"as text"`},
		{"unencodable", make(chan int), ``},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(appendJSONValue(nil, anyVal(tt.value)))
			if tt.want == "" {
				if !json.Valid([]byte(got)) {
					t.Errorf("got invalid JSON %s", got)
				}
				return
			}
			if got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestJSONFormatter(t *testing.T) {
	tests := []struct {
		name   string
		opts   JSONOptions
		record func(r *core.Record)
		want   string
	}{
		{"defaults", JSONOptions{}, nil,
			`{"time":"2024-01-02T03:04:05.678Z","level":"INFO","logger":"demo.sub","message":"hello world"}`},
		{"fields sorted, error as text, filter attributes", JSONOptions{}, func(r *core.Record) {
			r.Entry.Data["zeta"] = 1
			r.Entry.Data["alpha"] = "a"
			r.Entry.Data[logrus.ErrorKey] = errors.New("boom")
			r.Set("env", "prod")
		}, `{"time":"2024-01-02T03:04:05.678Z","level":"INFO","logger":"demo.sub","message":"hello world","alpha":"a","env":"prod","error":"boom","zeta":1}`},
		{"collisions are prefixed", JSONOptions{}, func(r *core.Record) {
			r.Entry.Data["message"] = "field"
			r.Entry.Data["name"] = "not the logger"
		}, `{"time":"2024-01-02T03:04:05.678Z","level":"INFO","logger":"demo.sub","message":"hello world","fields.message":"field","name":"not the logger"}`},
		{"named field not repeated, missing one skipped", JSONOptions{Fields: []string{"message", "user", "absent"}}, func(r *core.Record) {
			r.Entry.Data["user"] = "alice"
		}, `{"message":"hello world","user":"alice"}`},
		{"attributes", JSONOptions{Fields: []string{"levelno", "created", "msecs", "pathname", "lineno", "funcName", "process", "taskName", "exc_text"}, OmitFields: true},
			func(r *core.Record) { r.Entry.Data["user"] = "x" },
			`{"levelno":20,"created":1704164645.678901,"msecs":678.0,"pathname":"/home/u/fmt.py","lineno":9,"funcName":"<lambda>","process":4242,"taskName":null,"exc_text":null}`},
		{"rename and datefmt", JSONOptions{Fields: []string{"asctime", "levelname"}, Rename: map[string]string{"asctime": "@timestamp", "levelname": "severity"}, DateFormat: "%Y-%m-%dT%H:%M:%S%z"}, nil,
			`{"@timestamp":"2024-01-02T03:04:05+0000","severity":"INFO"}`},
		{"escaping in message", JSONOptions{Fields: []string{"message"}}, func(r *core.Record) {
			r.Entry.Message = "line1\nline2 \"q\" \xff"
		}, `{"message":"line1\nline2 \"q\" \ufffd"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.opts.Location == nil {
				tt.opts.Location = time.UTC
			}
			j, err := NewJSON(tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			j.pid = 4242
			r := refRecord()
			if tt.record != nil {
				tt.record(r)
			}
			got := j.Format(nil, r)
			if string(got) != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
			if !json.Valid(got) {
				t.Errorf("invalid JSON: %s", got)
			}
		})
	}
}

func TestJSONUsesCaller(t *testing.T) {
	for _, tt := range []struct {
		fields []string
		want   bool
	}{{nil, false}, {[]string{"message", "lineno"}, true}, {[]string{"funcName"}, true}, {[]string{"process"}, false}} {
		j, err := NewJSON(JSONOptions{Fields: tt.fields})
		if err != nil {
			t.Fatal(err)
		}
		if j.UsesCaller() != tt.want {
			t.Errorf("fields %v: UsesCaller() = %v", tt.fields, !tt.want)
		}
	}
	if _, err := NewJSON(JSONOptions{Fields: []string{""}}); err == nil {
		t.Error("an empty field name was accepted")
	}
}
