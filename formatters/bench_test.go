package formatters

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"

	"github.com/logdict/logging/core"
	"github.com/sirupsen/logrus"
)

const seedFormat = "%(asctime)s [%(levelname)-8s] %(message)s [%(pathname)s:%(lineno)d]"

func benchRecord() *core.Record {
	e := &logrus.Entry{
		Time:    time.Now(),
		Level:   logrus.InfoLevel,
		Message: "student created",
		Data:    logrus.Fields{"env": "prod", "id": 42},
	}
	return &core.Record{
		Entry:  e,
		Name:   "app.students",
		Level:  core.INFO,
		Caller: &runtime.Frame{File: "/src/app/students/create.go", Line: 87, Function: "github.com/x/app/students.createStudent"},
	}
}

func mustPython(b testing.TB, o Options) *Python {
	f, err := NewPython(o)
	if err != nil {
		b.Fatal(err)
	}
	return f
}

// BenchmarkPython compares the formatters on one entry; "logrus-text" is
// logrus's TextFormatter on the same entry, the baseline to beat.
func BenchmarkPython(b *testing.B) {
	cases := []struct {
		name string
		f    core.Formatter
	}{
		{"seed", mustPython(b, Options{Format: seedFormat, DateFormat: "%Y-%m-%d %H:%M:%S"})},
		{"default-asctime", mustPython(b, Options{Format: "%(asctime)s %(levelname)s %(name)s: %(message)s %(env)s"})},
		{"brace-specs", mustPython(b, Options{Format: "{asctime} {levelname:<8} {name:>12.12} {id:05d} {msecs:03.0f} {message!r}", Style: "{"})},
		{"json", func() core.Formatter { j, _ := NewJSON(JSONOptions{}); return j }()},
		{"logrus-text", FromLogrus(&logrus.TextFormatter{DisableColors: true, FullTimestamp: true, TimestampFormat: "2006-01-02 15:04:05"})},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			r := benchRecord()
			buf := make([]byte, 0, 256)
			b.ReportAllocs()
			for b.Loop() {
				buf = c.f.Format(buf[:0], r)
			}
		})
	}
	// The same seed format from many goroutines: the second cache is read
	// without locks.
	b.Run("seed-parallel", func(b *testing.B) {
		f := mustPython(b, Options{Format: seedFormat, DateFormat: "%Y-%m-%d %H:%M:%S"})
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			r := benchRecord()
			buf := make([]byte, 0, 256)
			for pb.Next() {
				buf = f.Format(buf[:0], r)
			}
		})
	})
}

// BenchmarkLogrusTextFormatter is logrus's TextFormatter called the way
// logrus calls it, for comparison with BenchmarkPython/seed.
func BenchmarkLogrusTextFormatter(b *testing.B) {
	f := &logrus.TextFormatter{DisableColors: true, FullTimestamp: true, TimestampFormat: "2006-01-02 15:04:05"}
	e := benchRecord().Entry
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.Format(e); err != nil {
			b.Fatal(err)
		}
	}
}

// TestAllocs pins the hot path: the seed format and the JSON formatter's
// defaults allocate nothing once the second is cached.
func TestAllocs(t *testing.T) {
	if raceEnabled() {
		t.Skip("the race detector allocates")
	}
	cases := []struct {
		name string
		f    core.Formatter
		want float64
	}{
		{"seed", mustPython(t, Options{Format: seedFormat, DateFormat: "%Y-%m-%d %H:%M:%S"}), 0},
		{"default asctime and a field", mustPython(t, Options{Format: "%(asctime)s %(levelname)-8s %(name)s %(funcName)s: %(message)s %(env)s %(id)05d"}), 0},
		{"brace specs", mustPython(t, Options{Format: "{asctime} {levelname:<8} {id:>5} {msecs:03.0f} {created:.3f}", Style: "{"}), 0},
		{"json without fields", func() core.Formatter {
			j, _ := NewJSON(JSONOptions{Fields: []string{"asctime", "levelname", "name", "message", "lineno"}, OmitFields: true})
			return j
		}(), 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := benchRecord()
			buf := c.f.Format(make([]byte, 0, 256), r)
			got := testing.AllocsPerRun(100, func() { buf = c.f.Format(buf[:0], r) })
			if got != c.want {
				t.Errorf("%v allocs per Format, want %v", got, c.want)
			}
		})
	}
}

// raceEnabled reports whether the test binary was built with -race, whose
// instrumentation allocates.
func raceEnabled() bool {
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
