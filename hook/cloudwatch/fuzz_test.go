package cloudwatch

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzStreamTemplate compiles a log_stream_name template and renders it for
// a logger name and a time: whatever the input, a template that compiles
// renders a name CloudWatch accepts (1 to 512 characters of valid UTF-8,
// no ':' or '*').
func FuzzStreamTemplate(f *testing.F) {
	for _, s := range []string{
		DefaultLogStream, "logs-{strftime:%Y-%m-%d}", "{logger_name}", "{{literal}}", "a:b*c", "",
		"{strftime:%H:%M:%S %j %%}", "{thread_name}-{process_id}", "{", "}", "{nope}", "{strftime:%Q}",
		strings.Repeat("é", 600), "\xff\xfe{logger_name}",
	} {
		f.Add(s, "django.request", int64(1_700_000_000_000))
	}
	f.Add("{logger_name}", strings.Repeat("x:", 400), int64(-1))
	f.Fuzz(func(t *testing.T, tmpl, logger string, ms int64) {
		tp, err := compileTemplate(tmpl)
		if err != nil {
			return
		}
		name := tp.appendName([]byte("keep"), logger, time.UnixMilli(ms))
		if string(name[:4]) != "keep" {
			t.Fatalf("appendName overwrote dst")
		}
		checkStreamName(t, tmpl, string(name[4:]))
		// A template that needs no record renders the same name with none.
		if !tp.perItem {
			if fixed := string(tp.appendName(nil, "", time.Time{})); fixed != string(name[4:]) {
				t.Fatalf("%q: fixed name %q, per record %q", tmpl, fixed, name[4:])
			}
		}
	})
}

func checkStreamName(t *testing.T, tmpl, name string) {
	t.Helper()
	n := utf8.RuneCountInString(name)
	switch {
	case !utf8.ValidString(name):
		t.Fatalf("%q renders invalid UTF-8 %q", tmpl, name)
	case n < 1 || n > MaxNameLen:
		t.Fatalf("%q renders a name of %d characters", tmpl, n)
	case strings.ContainsAny(name, ":*"):
		t.Fatalf("%q renders %q, which holds ':' or '*'", tmpl, name)
	}
}
