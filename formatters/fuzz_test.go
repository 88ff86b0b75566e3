package formatters

import (
	"errors"
	"testing"
	"time"

	"github.com/logdict/logging/core"
	"github.com/sirupsen/logrus"
)

// fuzzRecord has fields of several types, so that a format's conversions
// meet strings, numbers, booleans, errors and nil.
func fuzzRecord() *core.Record {
	e := logrus.NewEntry(logrus.New())
	e.Time = time.Date(2024, 2, 29, 23, 59, 58, 123456789, time.UTC)
	e.Message = "msg %s {0} $x"
	e.Level = logrus.WarnLevel
	e.Data = logrus.Fields{"env": "prod", "n": 42, "f": 3.5, "b": true, "err": errors.New("boom"), "nil": nil, "neg": -7}
	return &core.Record{Entry: e, Name: "app.db", Level: core.WARNING}
}

// fuzzFormat compiles format in style (validated and not) with datefmt and,
// when it compiles, formats a record. Neither may panic.
func fuzzFormat(t *testing.T, style, format, datefmt string) {
	for _, skip := range []bool{false, true} {
		f, err := NewPython(Options{Format: format, Style: style, DateFormat: datefmt, SkipValidation: skip,
			Location: time.UTC, OnError: func(error) {}})
		if err != nil {
			if f != nil {
				t.Fatalf("NewPython(%q) returned a formatter with error %v", format, err)
			}
			if !errors.Is(err, ErrFormat) && !errors.Is(err, ErrStyle) {
				t.Fatalf("NewPython(%q): error %v wraps neither ErrFormat nor ErrStyle", format, err)
			}
			continue
		}
		r := fuzzRecord()
		out := f.Format(nil, r)
		// Appending must keep what dst held.
		if again := f.Format([]byte("prefix"), r); string(again[:6]) != "prefix" {
			t.Fatalf("Format(%q) overwrote dst", format)
		}
		_ = out
	}
}

func FuzzPercentFormat(f *testing.F) {
	for _, s := range []string{
		"%(asctime)s [%(levelname)-8s] %(message)s [%(pathname)s:%(lineno)d]",
		"%(n)05.2f %(n)x %(n)o %(n)e %(b)r %(env)10s %(missing)s %%",
		"%(name)-*s", "%(n)+#0 d", "%(", "%(n", "%(n)", "%()s", "%(levelno)c", "%s", "%(msg)s %(args)s",
		"%(created)f %(msecs)03d %(relativeCreated)d %(process)d %(thread)d %(funcName)s",
	} {
		f.Add(s, "%Y-%m-%d %H:%M:%S")
	}
	f.Add("%(asctime)s", "%c %x %X %j %U %W %a %A %b %B %p %I %y %Z %z %% %f %Q")
	f.Fuzz(func(t *testing.T, format, datefmt string) { fuzzFormat(t, "%", format, datefmt) })
}

func FuzzBraceFormat(f *testing.F) {
	for _, s := range []string{
		"{asctime} [{levelname:<8}] {message} [{pathname}:{lineno}]",
		"{n:08.3f} {n:x} {n:#o} {n:,} {n:_} {f:%} {env!r} {env!s:>10} {env!a}",
		"{", "}", "{{}}", "{n:{}}", "{n:{w}}", "{0}", "{}", "{env.x}", "{env[0]}", "{n:=^+#020,.3e}",
		"{levelno:c}", "{missing}", "{n!x}",
	} {
		f.Add(s, "")
	}
	f.Fuzz(func(t *testing.T, format, datefmt string) {
		fuzzFormat(t, "{", format, datefmt)
		fuzzFormat(t, "$", format, datefmt)
	})
}
