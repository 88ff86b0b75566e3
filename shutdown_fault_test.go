package logging

import (
	"context"
	"errors"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/logdict/logging/hook/cloudwatch"
)

// TestShutdownWhileServerHangs: Shutdown with a short deadline returns on
// time with the undelivered count while every call hangs; then the edges
// of the lifecycle are defined, and no goroutine is left.
func TestShutdownWhileServerHangs(t *testing.T) {
	leaks := goleak.IgnoreCurrent()
	rig := newFaultRig(t)
	rig.srv.Hang()
	r, _ := newReg(t)
	if err := r.ConfigureMap(rig.config(nil)); err != nil {
		t.Fatal(err)
	}
	h := r.Handler("cw").(*cloudwatch.Handler)
	const n = 200
	log := r.Get("app.w0")
	for i := range n {
		log.Infof("ev-%d", i)
	}
	eventuallyTrue(t, "a call to hang", func() bool { return rig.srv.Requests("PutLogEvents") > 0 })

	const deadline = 300 * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()
	start := time.Now()
	err := r.Shutdown(ctx)
	took := time.Since(start)
	// Close gives senders that ignore cancellation one second of grace;
	// the SDK's do not ignore it, so this is generous.
	if took > deadline+time.Second {
		t.Errorf("Shutdown took %v with a %v deadline", took, deadline)
	}
	var ue *cloudwatch.UndeliveredError
	if !errors.As(err, &ue) || ue.Events != n || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Shutdown = %v; want the deadline and an UndeliveredError for %d events", err, n)
	}
	if !strings.Contains(err.Error(), `handler "cw"`) {
		t.Errorf("the error does not name the handler: %v", err)
	}
	s := h.Stats()
	if s.Sent != 0 || s.Dropped.Undeliverable != n || s.QueueLen != 0 || s.Emitted != n {
		t.Errorf("after an abandoned Shutdown: %+v", s)
	}

	t.Run("shutdown twice", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if err := r.Shutdown(ctx); err != nil {
			t.Errorf("second Shutdown = %v, want nil", err)
		}
	})
	t.Run("flush after shutdown", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if err := r.Flush(ctx); err != nil {
			t.Errorf("Flush after Shutdown = %v, want nil", err)
		}
	})
	t.Run("logging after shutdown is counted", func(t *testing.T) {
		for range 3 {
			log.Info("late")
		}
		s := h.Stats()
		if s.Dropped.Closed != 3 || s.Emitted != n+3 {
			t.Errorf("3 records after Shutdown: %+v", s)
		}
		if got := s.Sent + s.Dropped.Total() + s.Rejected.Total() + s.QueueLen; got != s.Emitted {
			t.Errorf("accounting broken after Shutdown: %+v", s)
		}
	})

	rig.srv.Resume()
	rig.srv.Close()
	rig.ts.Close()
	// An abandoned call's fate is unknown (it is counted undeliverable),
	// but it can only be one of the events logged.
	for id := range rig.stored() {
		if !strings.HasPrefix(id, "ev-") {
			t.Errorf("server holds %q", id)
		}
	}
	goleak.VerifyNone(t, leaks)
}

// TestShutdownDeliversAndLeavesNoGoroutine: a normal Shutdown delivers
// everything and stops every goroutine the configuration started.
func TestShutdownDeliversAndLeavesNoGoroutine(t *testing.T) {
	leaks := goleak.IgnoreCurrent()
	rig := newFaultRig(t)
	ids, s, err := rig.run(t, nil, 4, 100, nil, 30*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if delivered, _ := rig.account(t, ids, s); delivered != len(ids) {
		t.Fatalf("%d of %d delivered", delivered, len(ids))
	}
	rig.srv.Close()
	rig.ts.Close()
	goleak.VerifyNone(t, leaks)
}

// TestCloudWatchMemoryBoundedDuringOutage logs far more than
// max_queue_bytes while every call hangs: the bytes the handler holds never
// exceed the bound, the oldest events are dropped and counted, and the
// heap does not grow with what was logged.
func TestCloudWatchMemoryBoundedDuringOutage(t *testing.T) {
	const (
		bound   = 256 << 10
		g, perG = 4, 12_500
		size    = 1000 // bytes per message: 50 MB logged in all
	)
	rig := newFaultRig(t)
	rig.srv.Hang()
	r, _ := newReg(t)
	if err := r.ConfigureMap(rig.config(map[string]any{"max_queue_bytes": bound, "request_timeout": "10m"})); err != nil {
		t.Fatal(err)
	}
	h := r.Handler("cw").(*cloudwatch.Handler)

	var base runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&base)

	var maxHeld atomic.Int64
	sample := func() {
		b := h.Stats().QueueBytes
		for cur := maxHeld.Load(); b > cur && !maxHeld.CompareAndSwap(cur, b); cur = maxHeld.Load() {
		}
	}
	pad := strings.Repeat("x", size-16)
	var wg sync.WaitGroup
	for w := range g {
		wg.Go(func() {
			log := r.Get("app.w" + strconv.Itoa(w))
			for i := range perG {
				log.Infof("%06d-%d %s", i, w, pad)
				if i%64 == 0 {
					sample()
				}
			}
		})
	}
	wg.Wait()
	sample()

	var after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&after)
	s := h.Stats()
	if m := maxHeld.Load(); m > bound || m == 0 {
		t.Errorf("the handler held up to %d bytes; max_queue_bytes is %d", m, bound)
	}
	if s.Emitted != g*perG || s.Dropped.Overflow == 0 || s.Sent != 0 {
		t.Errorf("during the outage: %+v", s)
	}
	if got := s.Sent + s.Dropped.Total() + s.Rejected.Total() + s.QueueLen; got != s.Emitted {
		t.Errorf("accounting during the outage: %+v", s)
	}
	// The arena keeps messages in 64 KiB chunks, so what is held can pin a
	// little more than the bound; 50 MB were logged.
	const slack = 8 << 20
	growth := int64(after.HeapInuse) - int64(base.HeapInuse)
	t.Logf("logged %d MB; held at most %d KiB; heap in use grew by %d KiB", g*perG*size>>20, maxHeld.Load()>>10, growth>>10)
	if !raceEnabled && growth > 2*bound+slack {
		t.Errorf("heap in use grew by %d bytes; want at most %d", growth, 2*bound+slack)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	err := r.Shutdown(ctx)
	var ue *cloudwatch.UndeliveredError
	if !errors.As(err, &ue) || int64(ue.Events) != s.QueueLen {
		t.Errorf("Shutdown = %v; want %d undelivered", err, s.QueueLen)
	}
	s = h.Stats()
	if got := s.Sent + s.Dropped.Total() + s.Rejected.Total(); got != s.Emitted || s.QueueLen != 0 {
		t.Errorf("accounting after Shutdown: %+v", s)
	}
}
