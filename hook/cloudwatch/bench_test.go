package cloudwatch

import (
	"context"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/logdict/logging/core"
	"github.com/logdict/logging/cwlocal"
)

// The benchmarks run Emit with the senders stuck on a hanging server and
// the drop_oldest policy, so the queue is full and every Emit evicts one
// event and copies in another: what a log call costs does not depend on
// the network (after OpenTelemetry's BenchmarkBatchProcessorOnEmitExporterBlocked).
// Formatting is a few appends into a reused buffer, standing in for a
// core.Formatter.

func blockedHandler(b *testing.B) *Handler {
	srv := cwlocal.New()
	srv.CreateStream(testGroup, testStream)
	srv.Hang()
	var log errLog
	o := testOptions(srv, &log)
	o.MaxQueueEvents = 10_000
	o.OnError = func(error) {}
	h, err := New(context.Background(), o)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		_ = h.Close(ctx)
		srv.Resume()
		srv.Close()
	})
	return h
}

func format(dst []byte, r *core.Record, i int) []byte {
	dst = append(dst, "2026-03-01 12:00:00,123 [INFO    ] request handled id="...)
	dst = strconv.AppendInt(dst, int64(i), 10)
	dst = append(dst, " logger="...)
	return append(dst, r.Name...)
}

func BenchmarkEmit(b *testing.B) {
	h := blockedHandler(b)
	r := record("app.web", time.Now(), "request handled")
	buf := make([]byte, 0, 256)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		buf = format(buf[:0], r, i)
		_ = h.Emit(r, buf)
	}
	b.StopTimer()
	if s := h.Stats(); s.Enqueued == 0 {
		b.Fatal("nothing enqueued")
	}
}

func BenchmarkEmitParallel(b *testing.B) {
	h := blockedHandler(b)
	var n atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		r := record("app.web", time.Now(), "request handled")
		buf := make([]byte, 0, 256)
		for pb.Next() {
			buf = format(buf[:0], r, int(n.Add(1)))
			_ = h.Emit(r, buf)
		}
	})
}

// BenchmarkEmitTemplate names the stream per record ({logger_name} and a
// date), the costliest template.
func BenchmarkEmitTemplate(b *testing.B) {
	h := blockedHandler(b)
	tmpl, err := compileTemplate("{logger_name}/{strftime:%Y-%m-%d}")
	if err != nil {
		b.Fatal(err)
	}
	h.tmpl, h.fixed = tmpl, nil
	r := record("app.web", time.Now(), "request handled")
	buf := make([]byte, 0, 256)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		buf = format(buf[:0], r, i)
		_ = h.Emit(r, buf)
	}
}

func TestEmitAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts differ under -race")
	}
	srv := newServerWithStream(t)
	srv.Hang()
	defer srv.Resume()
	var log errLog
	o := testOptions(srv, &log)
	o.LogStream = "{logger_name}/{strftime:%Y-%m-%d}"
	o.MaxQueueEvents = 1000
	h := newHandler(t, o)
	r := record("app.web", time.Now(), "m")
	p := []byte("a typical formatted log line of about seventy bytes, give or take")
	// Arena chunks are shared by hundreds of events: less than one
	// allocation per Emit, which AllocsPerRun rounds to 0.
	if n := testing.AllocsPerRun(1000, func() { _ = h.Emit(r, p) }); n != 0 {
		t.Errorf("Emit allocates %v times per call", n)
	}
	if s := h.Stats(); s.Dropped.Overflow == 0 {
		t.Error("the queue never filled: the eviction path was not measured")
	}
}

// BenchmarkThroughput measures the whole path: Emit, batching and
// PutLogEvents through the real SDK client to a loopback server that
// validates and counts (discard mode). Reported per event.
func BenchmarkThroughput(b *testing.B) {
	srv := cwlocal.New(cwlocal.WithDiscard())
	defer srv.Close()
	srv.CreateStream(testGroup, testStream)
	var log errLog
	o := testOptions(srv, &log)
	o.OnError = func(error) {}
	h, err := New(context.Background(), o)
	if err != nil {
		b.Fatal(err)
	}
	defer h.Close(context.Background())
	r := record("app.web", time.Now(), "request handled")
	buf := make([]byte, 0, 256)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		buf = format(buf[:0], r, i)
		_ = h.Emit(r, buf)
		if i%50_000 == 49_999 {
			_ = h.Flush(context.Background()) // stay within the queue bound
		}
	}
	if err := h.Flush(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	if s := h.Stats(); s.Dropped.Total() != 0 || s.Sent != s.Emitted {
		b.Fatalf("lost events: %+v", s)
	}
}
