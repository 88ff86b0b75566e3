package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	logging "github.com/logdict/logging"
	"github.com/logdict/logging/hook/cloudwatch"
)

// configFor is the seed's dictConfig, aimed at url: the aws formatter,
// the watchtower handler and the watchtower logger.
func configFor(c config, url string) map[string]any {
	return map[string]any{
		"version":                  1,
		"disable_existing_loggers": false,
		"formatters": map[string]any{
			"aws": map[string]any{"format": c.pyFormat(), "datefmt": "%Y-%m-%d %H:%M:%S"},
		},
		"handlers": map[string]any{
			"watchtower": map[string]any{
				"class":                 "watchtower.CloudWatchLogHandler",
				"level":                 "INFO",
				"formatter":             "aws",
				"log_group_name":        group,
				"log_stream_name":       stream,
				"region":                "us-west-2",
				"endpoint_url":          url,
				"aws_access_key_id":     "AKIDCWBENCH",
				"aws_secret_access_key": "cwbench-secret",
				"max_queue_bytes":       c.queueBytes,
				"max_queue_events":      c.queueEvents,
				"overflow":              c.overflow,
				"senders":               c.senders,
				// Long enough that only full batches and Flush send: the
				// run measures batch fill, not the timer.
				"send_interval":   "5s",
				"request_timeout": "60s",
			},
		},
		"loggers": map[string]any{
			"watchtower": map[string]any{"level": "INFO", "handlers": []any{"watchtower"}, "propagate": false},
		},
	}
}

// runHandler logs c.n events from c.g goroutines through a registry and
// accounts for each of them.
func runHandler(c config, srv *server) (report, error) {
	r := report{Mode: "handler", N: c.n, Goroutines: c.g, Senders: c.senders, Caller: c.caller,
		Format: c.pyFormat(), Overflow: c.overflow, QueueBytes: c.queueBytes, ServerSaw: -1, BytesPerBatch: -1}
	if c.outage {
		r.Mode = "outage"
	}
	reg := logging.New(logging.WithStdout(io.Discard), logging.WithStderr(io.Discard))
	if err := reg.ConfigureMap(configFor(c, srv.url)); err != nil {
		srv.close()
		return r, err
	}
	h, ok := reg.Handler("watchtower").(*cloudwatch.Handler)
	if !ok {
		srv.close()
		return r, errors.New("the watchtower handler is not a *cloudwatch.Handler")
	}
	log := reg.Get("watchtower")

	// Warm up: connections, the formatter's cached second, the caller
	// cache. Not in an outage: nothing would be delivered.
	if !c.outage && c.warmup > 0 {
		for range c.warmup {
			log.Info(seedLine)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		err := h.Flush(ctx)
		cancel()
		if err != nil {
			srv.close()
			return r, fmt.Errorf("warm-up: %w", err)
		}
	}
	st0 := h.Stats()
	sv0, haveSrv := srv.stats()

	var sampler rssSampler
	if c.outage {
		sampler.start(10 * time.Millisecond)
	}
	hists := make([]hist, c.g)
	stopProfile, err := c.startProfile()
	if err != nil {
		srv.close()
		return r, err
	}
	u0 := selfUsage()
	start := time.Now()
	var wg sync.WaitGroup
	var next atomic.Int64
	for i := range c.g {
		wg.Add(1)
		go func(hs *hist) {
			defer wg.Done()
			// Chunks of 256 calls, so goroutines finish together.
			for {
				lo := next.Add(256) - 256
				if lo >= int64(c.n) {
					return
				}
				k := min(int64(c.n)-lo, 256)
				if !c.outage {
					for range k {
						log.Info(seedLine)
					}
					continue
				}
				for range k {
					t := time.Now()
					log.Info(seedLine)
					hs.add(int64(time.Since(t)))
				}
			}
		}(&hists[i])
	}
	wg.Wait()
	logged := time.Since(start)
	var closeErr error
	if c.outage {
		sampler.stop()
		// Nothing can be delivered: Close gives up on what is held and
		// counts it as undeliverable.
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		closeErr = h.Close(ctx)
		cancel()
	} else {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		closeErr = h.Flush(ctx)
		cancel()
	}
	wall := time.Since(start)
	stopProfile()
	u := selfUsage().sub(u0)
	st := h.Stats()
	if !c.outage {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		_ = reg.Shutdown(ctx)
		cancel()
	}
	sv1, _ := srv.stats()
	svEnd, _ := srv.close()

	r.Wall, r.LogWall = seconds(wall), seconds(logged)
	r.CPU = seconds(u.cpu())
	r.ServerCPU = svEnd.CPU - sv0.CPU
	r.PeakRSS = peakRSS()
	r.Logged = int64(c.n)
	r.Delivered = st.Sent - st0.Sent
	r.Dropped = st.Dropped.Total() - st0.Dropped.Total()
	r.Rejected = st.Rejected.Total() - st0.Rejected.Total()
	r.Batches = st.Batches - st0.Batches
	emitted := st.Emitted - st0.Emitted
	r.Exact = r.Logged == emitted && r.Logged == r.Delivered+r.Dropped+r.Rejected && st.QueueLen == 0
	if haveSrv {
		r.ServerSaw = sv1.Events - sv0.Events
		r.Exact = r.Exact && r.ServerSaw == r.Delivered
		srv.batchBytes(&r, sv1.Bytes-sv0.Bytes, r.ServerSaw, r.Batches)
	}
	if r.Batches > 0 {
		r.EventsPerBatch = float64(r.Delivered) / float64(r.Batches)
	}
	done := r.Delivered
	if c.outage {
		done = r.Logged
	}
	r.EventsPerSec = float64(done) / r.Wall
	r.CallsPerSec = float64(c.n) / r.LogWall
	per := max(done, 1)
	r.CPUPerMillion = r.CPU / float64(per) * 1e6
	if c.outage {
		var all hist
		for i := range hists {
			all.merge(&hists[i])
		}
		r.P50, r.P90, r.P99 = micros(all.quantile(0.5)), micros(all.quantile(0.9)), micros(all.quantile(0.99))
		r.P999, r.Max = micros(all.quantile(0.999)), micros(time.Duration(all.max))
		r.MaxRSS = sampler.max.Load()
		r.RSSBound = c.queueBytes + 2*cloudwatch.MaxBatchBytes + 30<<20
		// Close's deadline passing is the expected outcome of an outage.
		var ue *cloudwatch.UndeliveredError
		if closeErr != nil && !errors.As(closeErr, &ue) && !errors.Is(closeErr, context.DeadlineExceeded) {
			return r, closeErr
		}
	} else if closeErr != nil {
		return r, closeErr
	}
	return r, nil
}

// rssSampler records the largest resident set seen while it runs.
type rssSampler struct {
	max  atomic.Int64
	quit chan struct{}
	done chan struct{}
}

func (s *rssSampler) start(every time.Duration) {
	s.quit, s.done = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(s.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			if v := currentRSS(); v > s.max.Load() {
				s.max.Store(v)
			}
			select {
			case <-t.C:
			case <-s.quit:
				return
			}
		}
	}()
}

func (s *rssSampler) stop() {
	close(s.quit)
	<-s.done
	if v := currentRSS(); v > s.max.Load() {
		s.max.Store(v)
	}
}
