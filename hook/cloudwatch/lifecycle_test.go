package cloudwatch

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/logdict/logging/cwlocal"
	"github.com/sirupsen/logrus"
)

func TestCloseDrainsAndIsIdempotent(t *testing.T) {
	srv := newServerWithStream(t)
	var log errLog
	h, err := New(t.Context(), testOptions(srv, &log))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 100 {
		emit(h, time.Now(), fmt.Sprint("m", i))
	}
	t.Run("first close delivers everything", func(t *testing.T) {
		if err := h.Close(t.Context()); err != nil {
			t.Fatalf("Close = %v", err)
		}
		if got := len(srv.Events(testGroup, testStream)); got != 100 {
			t.Errorf("server holds %d", got)
		}
	})
	t.Run("second close", func(t *testing.T) {
		if err := h.Close(t.Context()); err != nil {
			t.Errorf("Close = %v", err)
		}
	})
	t.Run("flush after close", func(t *testing.T) {
		if err := h.Flush(t.Context()); err != nil {
			t.Errorf("Flush = %v", err)
		}
	})
	t.Run("emit after close is counted", func(t *testing.T) {
		emit(h, time.Now(), "late")
		emit(h, time.Now(), "later")
		s := h.Stats()
		if s.Dropped.Closed != 2 {
			t.Errorf("closed drops = %d", s.Dropped.Closed)
		}
		if !errors.Is(errors.Join(log.all()...), ErrClosed) {
			t.Errorf("not reported: %s", &log)
		}
		checkInvariant(t, s)
	})
}

func TestCloseOnTimeWhenServerHangs(t *testing.T) {
	srv := newServerWithStream(t)
	srv.Hang()
	defer srv.Resume()
	var log errLog
	h, err := New(t.Context(), testOptions(srv, &log))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 50 {
		emit(h, time.Now(), fmt.Sprint("m", i))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = h.Close(ctx)
	if d := time.Since(start); d > time.Second {
		t.Errorf("Close took %v with a 200ms deadline", d)
	}
	var ue *UndeliveredError
	if !errors.As(err, &ue) || ue.Events != 50 || ue.Pending != 50 || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Close = %v", err)
	}
	s := h.Stats()
	if s.Dropped.Undeliverable != 50 || s.QueueLen != 0 {
		t.Errorf("stats %+v", s)
	}
	checkInvariant(t, s)
}

func TestFlushCancelled(t *testing.T) {
	srv := newServerWithStream(t)
	srv.Hang()
	var log errLog
	h := newHandler(t, testOptions(srv, &log))
	for range 7 {
		emit(h, time.Now(), "x")
	}
	t.Run("deadline", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
		defer cancel()
		err := h.Flush(ctx)
		var ue *UndeliveredError
		if !errors.As(err, &ue) || ue.Pending != 7 || !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Flush = %v", err)
		}
	})
	t.Run("already cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if err := h.Flush(ctx); !errors.Is(err, context.Canceled) {
			t.Errorf("Flush = %v", err)
		}
	})
	t.Run("events still delivered after resume", func(t *testing.T) {
		srv.Resume()
		flush(t, h)
		if s := h.Stats(); s.Sent != 7 {
			t.Errorf("sent %d", s.Sent)
		}
	})
}

func TestConcurrentFlushAndClose(t *testing.T) {
	srv := newServerWithStream(t, cwlocal.WithDiscard())
	srv.SetLatency(5 * time.Millisecond)
	var log errLog
	o := testOptions(srv, &log)
	o.MaxBatchEvents = 100
	h, err := New(t.Context(), o)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 500 {
				emit(h, time.Now(), fmt.Sprint(g, "-", i))
				if i%100 == 0 {
					_ = h.Flush(t.Context())
				}
			}
		})
	}
	wg.Wait()
	if err := h.Close(t.Context()); err != nil {
		t.Fatalf("Close = %v", err)
	}
	s := h.Stats()
	if s.Sent != 4000 || srv.Stats().Events != 4000 {
		t.Errorf("sent %d, server %d\n%s", s.Sent, srv.Stats().Events, &log)
	}
	checkInvariant(t, s)
}

func TestOverflowPolicies(t *testing.T) {
	tests := []struct {
		policy Overflow
	}{{DropNewest}, {DropOldest}, {Block}}
	for _, tt := range tests {
		t.Run(tt.policy.String(), func(t *testing.T) {
			srv := newServerWithStream(t)
			srv.Hang()
			var log errLog
			o := testOptions(srv, &log)
			o.MaxQueueEvents = 100
			o.MaxBatchEvents = 10
			o.Overflow = tt.policy
			o.BlockTimeout = 10 * time.Millisecond
			h := newHandler(t, o)
			for i := range 130 {
				emit(h, time.Now(), fmt.Sprint("m", i))
			}
			s := h.Stats()
			if s.Dropped.Overflow != 30 || s.Enqueued+s.Dropped.Overflow < 130 || s.QueueLen != 100 {
				t.Errorf("overflow %d, enqueued %d, held %d", s.Dropped.Overflow, s.Enqueued, s.QueueLen)
			}
			checkInvariant(t, s)
			eventually(t, "loss report", func() bool { return reportedLoss(&log).Dropped.Overflow == 30 })
			srv.Resume()
			flush(t, h)
			s = h.Stats()
			if s.Sent != 100 || s.QueueLen != 0 {
				t.Errorf("after resume: %+v", s)
			}
			checkInvariant(t, s)
			evs := messages(srv.Events(testGroup, testStream))
			switch tt.policy {
			case DropNewest, Block:
				if !contains(evs, "m99") || contains(evs, "m100") {
					t.Errorf("kept %q, want m0..m99", evs)
				}
			case DropOldest:
				if !contains(evs, "m129") {
					t.Errorf("drop_oldest lost the newest event")
				}
			}
		})
	}
}

func TestBlockWaitsForRoom(t *testing.T) {
	srv := newServerWithStream(t)
	srv.Hang()
	var log errLog
	o := testOptions(srv, &log)
	o.MaxQueueEvents = 10
	o.MaxBatchEvents = 10
	o.Overflow = Block
	o.BlockTimeout = 10 * time.Second
	h := newHandler(t, o)
	for i := range 10 {
		emit(h, time.Now(), fmt.Sprint("m", i))
	}
	done := make(chan struct{})
	go func() {
		emit(h, time.Now(), "blocked")
		close(done)
	}()
	select {
	case <-done:
		t.Fatal("Emit did not block on a full queue")
	case <-time.After(20 * time.Millisecond):
	}
	srv.Resume()
	<-done
	flush(t, h)
	if s := h.Stats(); s.Sent != 11 || s.Dropped.Total() != 0 {
		t.Errorf("stats %+v", s)
	}
}

func TestBlockedEmitReleasedByClose(t *testing.T) {
	srv := newServerWithStream(t)
	srv.Hang()
	defer srv.Resume()
	var log errLog
	o := testOptions(srv, &log)
	o.MaxQueueEvents = 1
	o.Overflow = Block
	o.BlockTimeout = time.Minute
	h, err := New(t.Context(), o)
	if err != nil {
		t.Fatal(err)
	}
	emit(h, time.Now(), "first")
	done := make(chan struct{})
	go func() {
		emit(h, time.Now(), "blocked")
		close(done)
	}()
	eventually(t, "blocked emit", func() bool {
		h.q.mu.Lock()
		defer h.q.mu.Unlock()
		return h.q.space != nil
	})
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	_ = h.Close(ctx)
	<-done
	s := h.Stats()
	if s.Dropped.Closed != 1 || s.Dropped.Undeliverable != 1 {
		t.Errorf("stats %+v", s)
	}
	checkInvariant(t, s)
}

func TestByteBound(t *testing.T) {
	srv := newServerWithStream(t)
	srv.Hang()
	var log errLog
	o := testOptions(srv, &log)
	o.MaxQueueBytes = 10 * (100 + heldOverhead)
	o.Overflow = DropNewest
	h := newHandler(t, o)
	msg := string(make([]byte, 100))
	for range 15 {
		emit(h, time.Now(), msg)
	}
	s := h.Stats()
	if s.QueueLen != 10 || s.QueueBytes != o.MaxQueueBytes || s.Dropped.Overflow != 5 {
		t.Errorf("stats %+v", s)
	}
	srv.Resume()
}

func TestFireFromLogrus(t *testing.T) {
	srv := newServerWithStream(t)
	var log errLog
	tests := []struct {
		name   string
		format logrus.Formatter
		want   string
	}{
		{"message", nil, "hello"},
		{"json", &logrus.JSONFormatter{DisableTimestamp: true}, `{"k":"v","level":"info","msg":"hello"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := testOptions(srv, &log)
			o.LogStream = tt.name
			o.Formatter = tt.format
			h := newHandler(t, o)
			l := logrus.New()
			l.Out = discard{}
			l.AddHook(h)
			l.WithField("k", "v").Info("hello")
			flush(t, h)
			if got := messages(srv.Events(testGroup, tt.name)); len(got) != 1 || got[0] != tt.want {
				t.Errorf("stored %q, want %q\n%s", got, tt.want, &log)
			}
		})
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// reportedLoss sums the LossErrors reported so far.
func reportedLoss(l *errLog) LossError {
	var sum LossError
	for _, e := range l.all() {
		var le *LossError
		if errors.As(e, &le) {
			d, r := &sum.Dropped, &sum.Rejected
			d.Overflow += le.Dropped.Overflow
			d.Empty += le.Dropped.Empty
			d.Closed += le.Dropped.Closed
			d.Invalid += le.Dropped.Invalid
			d.Undeliverable += le.Dropped.Undeliverable
			r.TooNew += le.Rejected.TooNew
			r.TooOld += le.Rejected.TooOld
			r.Expired += le.Rejected.Expired
		}
	}
	return sum
}
