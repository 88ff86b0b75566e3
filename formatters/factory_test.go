package formatters

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/logdict/logging/core"
)

func TestFactoryErrors(t *testing.T) {
	tests := []struct {
		name    string
		factory core.FormatterFactory
		cfg     map[string]any
		want    []string // each a full line of the joined error
		is      error
	}{
		{"bad style", Factory, map[string]any{"style": "x"},
			[]string{`formatters.aws.style: bad value: Style must be one of: %,{,$ (got "x")`}, core.ErrBadValue},
		{"bad format", Factory, map[string]any{"format": "%(message)"},
			[]string{`formatters.aws.format: Invalid format '%(message)' for '%' style`}, ErrFormat},
		{"bad fmt alias", Factory, map[string]any{"fmt": "{a", "style": "{"},
			[]string{`formatters.aws.fmt: invalid format: expected '}' before end of string`}, ErrFormat},
		{"both format and fmt", Factory, map[string]any{"fmt": "%(message)s", "format": "%(message)s"},
			[]string{`formatters.aws.fmt: bad value: give format or fmt, not both`}, core.ErrBadValue},
		{"typo and bad validate", Factory, map[string]any{"fromat": "x", "validate": "maybe"},
			[]string{
				`formatters.aws.validate: bad value: want true or false, got "maybe"`,
				`formatters.aws.fromat: unknown key: did you mean "format"? (known: converter, datefmt, defaults, fmt, format, style, utc, validate)`,
			}, core.ErrUnknownKey},
		{"bad converter", Factory, map[string]any{"converter": "ctime"},
			[]string{`formatters.aws.converter: bad value: "ctime" (want localtime or gmtime)`}, core.ErrBadValue},
		{"bad defaults", Factory, map[string]any{"defaults": "x"},
			[]string{`formatters.aws.defaults: bad value: want a table, got "x"`}, core.ErrBadValue},
		{"server bad style", ServerFactory, map[string]any{"format": "[{server_time}] {message}", "style": "%"},
			[]string{`formatters.aws.format: Invalid format '[{server_time}] {message}' for '%' style`}, ErrFormat},
		{"json duplicate key", JSONFactory, map[string]any{"fields": []any{"asctime", "created"}, "rename": map[string]any{"created": "time"}},
			[]string{`formatters.aws.fields: invalid format: "asctime" and "created" both write the key "time"`}, ErrFormat},
		{"json fields type", JSONFactory, map[string]any{"fields": 3},
			[]string{`formatters.aws.fields: bad value: want a list of strings, got 3`}, core.ErrBadValue},
		{"logrus text", LogrusTextFactory, map[string]any{"full_timestamp": 1, "field_map": map[string]any{"mesage": "m"}},
			[]string{
				`formatters.aws.full_timestamp: bad value: want true or false, got 1`,
				`formatters.aws.field_map: unknown key "mesage" (known: file, func, level, logrus_error, msg, time)`,
			}, core.ErrUnknownKey},
		{"logrus json", LogrusJSONFactory, map[string]any{"pretty": true},
			[]string{`formatters.aws.pretty: unknown key (known: data_key, disable_html_escape, disable_timestamp, field_map, pretty_print, timestamp_format)`}, core.ErrUnknownKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := tt.factory(core.NewParams("formatters.aws", tt.cfg), &core.Env{Name: "aws"})
			if err == nil {
				t.Fatalf("no error; built %T", f)
			}
			if f != nil {
				t.Errorf("built %T despite the error", f)
			}
			lines := strings.Split(err.Error(), "\n")
			if len(lines) != len(tt.want) {
				t.Fatalf("got %d errors:\n%v\nwant %d", len(lines), err, len(tt.want))
			}
			for i, w := range tt.want {
				if !strings.HasPrefix(lines[i], w) {
					t.Errorf("error %d:\ngot  %s\nwant %s", i, lines[i], w)
				}
			}
			if !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.is)
			}
			var ce *core.ConfigError
			if !errors.As(err, &ce) {
				t.Errorf("%v is not a *core.ConfigError", err)
			}
		})
	}
}

func TestFactoryBuilds(t *testing.T) {
	var stderr bytes.Buffer
	tests := []struct {
		name    string
		factory core.FormatterFactory
		cfg     map[string]any
		record  func(r *core.Record)
		want    string
	}{
		{"seed", Factory, map[string]any{
			"format":  "%(asctime)s [%(levelname)-8s] %(message)s [%(pathname)s:%(lineno)d]",
			"datefmt": "%Y-%m-%d %H:%M:%S", "utc": true,
		}, nil, "2024-01-02 03:04:05 [INFO    ] hello world [/home/u/fmt.py:9]"},
		{"fmt alias, gmtime, defaults", Factory, map[string]any{
			"fmt": "{asctime} {env} {message}", "style": "{", "converter": "time.gmtime",
			"defaults": map[string]any{"env": "local"}, "validate": false,
		}, nil, "2024-01-02 03:04:05,678 local hello world"},
		{"utc zone is GMT as with gmtime", Factory, map[string]any{"format": "%(asctime)s", "datefmt": "%H:%M %Z", "utc": "true"},
			nil, "03:04 GMT"},
		{"django default", ServerFactory, map[string]any{"converter": "gmtime"}, nil,
			"[02/Jan/2024 03:04:05,678] hello world"},
		{"django given server_time", ServerFactory, map[string]any{
			"format": "[{server_time}] {message}", "style": "{",
		}, func(r *core.Record) { r.Entry.Data["server_time"] = "02/Jan/2024 03:04:05" },
			"[02/Jan/2024 03:04:05] hello world"},
		{"django datefmt", ServerFactory, map[string]any{"datefmt": "%H:%M:%S", "utc": true}, nil,
			"[03:04:05] hello world"},
		{"django percent style", ServerFactory, map[string]any{"format": "%(server_time)s|%(message)s", "utc": true}, nil,
			"02/Jan/2024 03:04:05,678|hello world"},
		{"json", JSONFactory, map[string]any{"fields": []any{"asctime", "levelname", "message", "lineno"},
			"rename": map[string]any{"lineno": "line"}, "utc": true}, nil,
			`{"time":"2024-01-02T03:04:05.678Z","level":"INFO","message":"hello world","line":9,"user":"alice"}`},
		{"logrus json", LogrusJSONFactory, map[string]any{"disable_timestamp": true, "field_map": map[string]any{"msg": "message"}}, nil,
			`{"level":"info","message":"hello world","user":"alice"}`},
		{"logrus text", LogrusTextFactory, map[string]any{"disable_timestamp": true, "disable_colors": true}, nil,
			`level=info msg="hello world" user=alice`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := tt.factory(core.NewParams("formatters.x", tt.cfg), &core.Env{Name: "x", Stderr: &stderr})
			if err != nil {
				t.Fatal(err)
			}
			r := refRecord()
			r.Entry.Data["user"] = "alice"
			if tt.record != nil {
				tt.record(r)
			}
			if got := format(f, r); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
	if stderr.Len() != 0 {
		t.Errorf("unexpected reports: %s", stderr.String())
	}
}

// TestFactoryReportsToEnv checks that a missing field is reported through
// the Env: OnError first, else Stderr.
func TestFactoryReportsToEnv(t *testing.T) {
	var got []error
	var stderr bytes.Buffer
	for _, env := range []*core.Env{
		{Name: "aws", OnError: func(err error) { got = append(got, err) }, Stderr: &stderr},
		{Name: "aws", Stderr: &stderr},
	} {
		f, err := Factory(core.NewParams("formatters.aws", map[string]any{"format": "%(message)s %(env)s"}), env)
		if err != nil {
			t.Fatal(err)
		}
		for range 3 {
			if out := format(f, refRecord()); out != "hello world " {
				t.Errorf("got %q", out)
			}
		}
	}
	want := `formatter "aws": Formatting field not found in record: 'env' (printed as best it could; reported once)`
	if len(got) != 1 || got[0].Error() != want {
		t.Errorf("OnError got %v, want [%s]", got, want)
	}
	if stderr.String() != "logdict: "+want+"\n" {
		t.Errorf("stderr got %q", stderr.String())
	}
}
