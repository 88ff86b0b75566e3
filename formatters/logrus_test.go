package formatters

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/sirupsen/logrus"
)

// TestLogrusAdapter drives a plain logrus logger through Logrus(f).
func TestLogrusAdapter(t *testing.T) {
	var reports []error
	f, err := NewPython(Options{
		Format:  "%(name)s %(levelname)s %(message)s user=%(user)s %(funcName)s",
		OnError: func(err error) { reports = append(reports, err) },
	})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	l := logrus.New()
	l.SetOutput(&out)
	l.SetReportCaller(true)
	l.SetFormatter(Logrus(f))
	l.WithField("user", "alice").Warn("first")
	l.WithError(errors.New("boom")).WithField("user", "bob").Error("second")
	l.Log(logrus.FatalLevel, "third") // logs without exiting
	want := "root WARNING first user=alice TestLogrusAdapter\n" +
		"root ERROR second user=bob TestLogrusAdapter\nboom\n" +
		"root CRITICAL third user= TestLogrusAdapter\n"
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
	// Without a logrus buffer (a direct call) the line is still whole.
	e := logrus.NewEntry(l)
	e.Message = "direct"
	b, err := Logrus(f).Format(e)
	if want := "root CRITICAL direct user= (unknown function)\n"; err != nil || string(b) != want {
		t.Errorf("Format = %q, %v; want %q", b, err, want)
	}
	if len(reports) != 1 {
		t.Errorf("reports = %v, want the missing user once", reports)
	}
}

// TestFromLogrus checks that logrus's own formatters see the filter
// attributes, lose their newline, and leave the shared entry alone.
func TestFromLogrus(t *testing.T) {
	tests := []struct {
		name string
		f    logrus.Formatter
		want string
	}{
		{"text", &logrus.TextFormatter{DisableTimestamp: true, DisableColors: true},
			`level=info msg="hello world" env=prod user=alice`},
		{"json", &logrus.JSONFormatter{DisableTimestamp: true},
			`{"env":"prod","level":"info","msg":"hello world","user":"alice"}`},
		{"json pretty", &logrus.JSONFormatter{DisableTimestamp: true, PrettyPrint: true},
			"{\n  \"env\": \"prod\",\n  \"level\": \"info\",\n  \"msg\": \"hello world\",\n  \"user\": \"alice\"\n}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := refRecord()
			r.Entry.Data["user"] = "alice"
			r.Set("env", "prod")
			got := string(FromLogrus(tt.f).Format([]byte("> "), r))
			if got != "> "+tt.want {
				t.Errorf("got\n%s\nwant\n> %s", got, tt.want)
			}
			if len(r.Entry.Data) != 1 || r.Entry.Buffer != nil {
				t.Errorf("the shared entry was modified: %v", r.Entry.Data)
			}
		})
	}
}

func TestLogrusFormatterError(t *testing.T) {
	r := refRecord()
	r.Entry.Data["bad"] = make(chan int)
	got := string(FromLogrus(&logrus.JSONFormatter{}).Format(nil, r))
	if !strings.HasPrefix(got, "hello world (logrus formatter: ") {
		t.Errorf("got %q", got)
	}
}
