package logging

import (
	"log/slog"
	"testing"
)

// The bridges' benchmarks log the same record through a registry logger
// three ways, logrus itself, log/slog and the standard log package, into a
// stream handler writing to io.Discard, so what differs is the bridge's
// own cost. "caller" formats %(filename)s:%(lineno)d, which costs a stack
// walk for logrus and a (cached) PC lookup for slog.

func BenchmarkBridges(b *testing.B) {
	for _, format := range []struct{ name, format string }{
		{"plain", "%(asctime)s [%(levelname)-8s] %(name)s %(message)s pk=%(pk)s"},
		{"caller", "%(asctime)s [%(levelname)-8s] %(message)s [%(filename)s:%(lineno)d]"},
	} {
		b.Run(format.name, func(b *testing.B) {
			r := benchRegistry(b, format.format)
			lr, sl, st := r.Get("watchtower"), r.Slog("watchtower"), r.StdLog("watchtower", INFO)
			for _, bc := range []struct {
				name string
				log  func()
			}{
				{"logrus", func() { lr.WithField("pk", 4).Info("Student Created") }},
				{"slog", func() { sl.Info("Student Created", "pk", 4) }},
				{"slog-disabled", func() { sl.Debug("Student Created", "pk", 4) }},
				{"logrus-disabled", func() { lr.WithField("pk", 4).Debug("Student Created") }},
				{"stdlog", func() { st.Print("Student Created") }},
			} {
				b.Run(bc.name, func(b *testing.B) {
					b.ReportAllocs()
					b.RunParallel(func(pb *testing.PB) {
						for pb.Next() {
							bc.log()
						}
					})
				})
			}
		})
	}
}

// BenchmarkSlogWithAttrs is a slog logger with context attributes and a
// group, the common shape of request loggers.
func BenchmarkSlogWithAttrs(b *testing.B) {
	r := benchRegistry(b, "%(levelname)s %(name)s %(message)s")
	l := r.Slog("watchtower").With("svc", "api", "region", "us-west-2").WithGroup("req")
	b.ReportAllocs()
	for b.Loop() {
		l.Info("handled", "status", 200, slog.Duration("took", 1500))
	}
}
