package logging

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/logdict/logging/cwlocal"
	"github.com/logdict/logging/hook/cloudwatch"
)

// BenchmarkCloudWatchBlocked is a log call through the registry to the
// watchtower handler while the server hangs every request: the level
// check, dispatch, the caller, the seed's %-format and the enqueue, with
// the queue full and drop_oldest evicting one event per call. What a call
// costs must not depend on the network (after OpenTelemetry's
// BenchmarkBatchProcessorOnEmitExporterBlocked).
func BenchmarkCloudWatchBlocked(b *testing.B) {
	for _, c := range []struct{ name, format string }{
		{"seed-caller", seedFormat},
		{"seed-nocaller", seedNoCaller},
	} {
		b.Run(c.name, func(b *testing.B) {
			l, h := blockedCloudWatch(b, c.format)
			b.ReportAllocs()
			m := startCPU(b)
			for b.Loop() {
				l.Info(benchMsg)
			}
			m.stop()
			if s := h.Stats(); s.Enqueued == 0 || s.Sent != 0 {
				b.Fatalf("not a blocked run: %+v", s)
			}
		})
		b.Run(c.name+"/parallel", func(b *testing.B) {
			l, _ := blockedCloudWatch(b, c.format)
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					l.Info(benchMsg)
				}
			})
		})
	}
}

// blockedCloudWatch configures the seed's watchtower logger against a
// local server that hangs, with a queue small enough to fill at once.
func blockedCloudWatch(b *testing.B, format string) (interface{ Info(...any) }, *cloudwatch.Handler) {
	b.Helper()
	srv := cwlocal.New(cwlocal.WithDiscard())
	srv.CreateStream("CWOSLogs", "logs-bench")
	srv.Hang()
	r := New(WithStdout(io.Discard), WithStderr(io.Discard))
	err := r.ConfigureMap(map[string]any{
		"version": 1,
		"formatters": map[string]any{
			"aws": map[string]any{"format": format, "datefmt": "%Y-%m-%d %H:%M:%S"},
		},
		"handlers": map[string]any{
			"watchtower": map[string]any{
				"class": "watchtower.CloudWatchLogHandler", "formatter": "aws",
				"log_group_name": "CWOSLogs", "log_stream_name": "logs-bench",
				"region": "us-west-2", "endpoint_url": srv.URL(),
				"aws_access_key_id": "AKIDBENCH", "aws_secret_access_key": "bench-secret",
				"max_queue_events": 10_000, "overflow": "drop_oldest",
			},
		},
		"loggers": map[string]any{
			"watchtower": map[string]any{"level": "INFO", "handlers": []any{"watchtower"}, "propagate": false},
		},
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		_ = r.Shutdown(ctx)
		srv.Close()
	})
	h := r.Handler("watchtower").(*cloudwatch.Handler)
	l := r.Get("watchtower")
	// Fill the queue, so every measured call takes the eviction path.
	for range 10_000 {
		l.Info(benchMsg)
	}
	return l, h
}
