package cloudwatch

import (
	"context"
	"testing"
	"time"

	"github.com/logdict/logging/cwlocal"
	"github.com/sirupsen/logrus"
)

// BenchmarkFire is Fire, the handler as a plain logrus hook (format +
// enqueue), while the server hangs: logrus's TextFormatter, or the message
// alone, with the queue full and drop_oldest evicting an event per call.
// Fire is called directly, so logrus's own work is not measured.
func BenchmarkFire(b *testing.B) {
	cases := []struct {
		name string
		f    logrus.Formatter
	}{
		{"message", nil},
		{"text", &logrus.TextFormatter{DisableColors: true, FullTimestamp: true, TimestampFormat: "2006-01-02 15:04:05"}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			h := blockedHook(b, c.f)
			e := entry()
			b.ReportAllocs()
			for b.Loop() {
				_ = h.Fire(e)
			}
		})
		b.Run(c.name+"/parallel", func(b *testing.B) {
			h := blockedHook(b, c.f)
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				e := entry()
				for pb.Next() {
					_ = h.Fire(e)
				}
			})
		})
	}
}

func entry() *logrus.Entry {
	e := logrus.NewEntry(logrus.StandardLogger())
	e.Time, e.Level, e.Message = time.Now(), logrus.InfoLevel, "Student Created: Arya Stark (PK: 4)"
	return e
}

// blockedHook is a handler stuck on a hanging server, its queue full.
func blockedHook(b *testing.B, f logrus.Formatter) *Handler {
	srv := cwlocal.New(cwlocal.WithDiscard())
	srv.CreateStream(testGroup, testStream)
	srv.Hang()
	var log errLog
	o := testOptions(srv, &log)
	o.MaxQueueEvents = 10_000
	o.OnError = func(error) {}
	o.Formatter = f
	h, err := New(context.Background(), o)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		_ = h.Close(ctx)
		srv.Close()
	})
	e := entry()
	for range o.MaxQueueEvents {
		_ = h.Fire(e)
	}
	return h
}
