package logging

import (
	"io"
	"testing"

	"github.com/sirupsen/logrus"
)

// The benchmarks compare a call through the registry with the same call on
// a plain logrus logger, message and fields alike. Handlers write to
// io.Discard through a stream handler, so what is measured is the
// library's own cost: level check, dispatch, formatting, the write call.

const benchMsg = "Student Created: Arya Stark (PK: 4)"

func benchRegistry(b *testing.B, format string) *Registry {
	b.Helper()
	r := New(WithStdout(io.Discard), WithStderr(io.Discard))
	tree, err := decodeTOML([]byte(`version = 1
[formatters.f]
format = "` + format + `"
datefmt = "%Y-%m-%d %H:%M:%S"
[handlers.h]
class = "stream"
stream = "ext://sys.stdout"
formatter = "f"
[loggers.watchtower]
level = "INFO"
handlers = ["h"]
propagate = false
`))
	if err != nil {
		b.Fatal(err)
	}
	if err := r.ConfigureMap(tree); err != nil {
		b.Fatal(err)
	}
	return r
}

const (
	seedFormat     = "%(asctime)s [%(levelname)-8s] %(message)s [%(pathname)s:%(lineno)d]"
	seedNoCaller   = "%(asctime)s [%(levelname)-8s] %(message)s"
	benchFieldsKey = "pk"
)

func plainLogrus(caller bool) *logrus.Logger {
	l := logrus.New()
	l.Out = io.Discard
	l.Formatter = &logrus.TextFormatter{DisableColors: true, FullTimestamp: true}
	l.ReportCaller = caller
	return l
}

func BenchmarkDisabled(b *testing.B) {
	b.Run("registry", func(b *testing.B) {
		l := benchRegistry(b, seedFormat).Get("watchtower")
		b.ReportAllocs()
		m := startCPU(b)
		for b.Loop() {
			l.Debug(benchMsg)
		}
		m.stop()
	})
	b.Run("logrus", func(b *testing.B) {
		l := plainLogrus(false)
		l.SetLevel(logrus.InfoLevel)
		b.ReportAllocs()
		m := startCPU(b)
		for b.Loop() {
			l.Debug(benchMsg)
		}
		m.stop()
	})
	// A non-constant argument: Go boxes it before logrus checks the level,
	// one allocation either way; the registry must add none.
	b.Run("registry/arg", func(b *testing.B) {
		l := benchRegistry(b, seedFormat).Get("watchtower")
		b.ReportAllocs()
		m := startCPU(b)
		for i := 0; b.Loop(); i++ {
			l.Debug(benchMsg, i)
		}
		m.stop()
	})
	b.Run("logrus/arg", func(b *testing.B) {
		l := plainLogrus(false)
		l.SetLevel(logrus.InfoLevel)
		b.ReportAllocs()
		m := startCPU(b)
		for i := 0; b.Loop(); i++ {
			l.Debug(benchMsg, i)
		}
		m.stop()
	})
}

func BenchmarkEnabled(b *testing.B) {
	cases := []struct {
		name string
		l    func(b *testing.B) *logrus.Logger
	}{
		{"registry/seed-caller", func(b *testing.B) *logrus.Logger { return benchRegistry(b, seedFormat).Get("watchtower") }},
		{"registry/seed-nocaller", func(b *testing.B) *logrus.Logger { return benchRegistry(b, seedNoCaller).Get("watchtower") }},
		{"logrus/text-caller", func(*testing.B) *logrus.Logger { return plainLogrus(true) }},
		{"logrus/text-nocaller", func(*testing.B) *logrus.Logger { return plainLogrus(false) }},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			l := c.l(b)
			b.ReportAllocs()
			m := startCPU(b)
			for b.Loop() {
				l.Info(benchMsg)
			}
			m.stop()
		})
		b.Run(c.name+"/fields", func(b *testing.B) {
			l := c.l(b)
			b.ReportAllocs()
			m := startCPU(b)
			for b.Loop() {
				l.WithField(benchFieldsKey, 4).Info(benchMsg)
			}
			m.stop()
		})
		b.Run(c.name+"/parallel", func(b *testing.B) {
			l := c.l(b)
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					l.Info(benchMsg)
				}
			})
		})
	}
}
