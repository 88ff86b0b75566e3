package cloudwatch

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/logdict/logging/core"
	"github.com/logdict/logging/cwlocal"
)

func TestSeedLineArrives(t *testing.T) {
	srv := newServer(t)
	var log errLog
	t.Setenv("ENV", "staging")
	p := core.NewParams("handlers.watchtower", map[string]any{
		"log_group":             "CWOSLogs",
		"stream_name":           "logs-staging", // ${ENV} already expanded by the root
		"region":                "us-west-2",
		"endpoint_url":          srv.URL(),
		"aws_access_key_id":     testKey,
		"aws_secret_access_key": testSecret,
	})
	ch, err := Factory(p, &core.Env{Name: "watchtower", OnError: log.add})
	if err != nil {
		t.Fatal(err)
	}
	h := ch.(*Handler)
	t.Cleanup(func() { _ = h.Close(t.Context()) })
	ts := time.Now().Truncate(time.Millisecond)
	line := "2026-03-01 12:00:00 [INFO    ] héllo wörld [/app/main.go:42]"
	if err := h.Emit(record("watchtower", ts, "héllo wörld"), []byte(line)); err != nil {
		t.Fatal(err)
	}
	flush(t, h)
	evs := srv.Events("CWOSLogs", "logs-staging")
	if len(evs) != 1 || evs[0].Message != line || evs[0].Timestamp != ts.UnixMilli() {
		t.Fatalf("events = %+v, want one %q at %d\nerrors:\n%s", evs, line, ts.UnixMilli(), &log)
	}
	s := h.Stats()
	if s.Sent != 1 || s.Batches != 1 || s.QueueLen != 0 {
		t.Errorf("stats = %+v", s)
	}
}

func TestBatchLimits(t *testing.T) {
	now := time.Now()
	invalid := strings.Repeat("\xff", 500) // 1500 bytes once CloudWatch makes each a U+FFFD
	tests := []struct {
		name        string
		n           int
		msg         func(i int) string
		ts          func(i int) time.Time
		wantBatches int64
	}{
		{"10k events", 25_000, func(i int) string { return fmt.Sprint("e", i) }, func(int) time.Time { return now }, 3},
		{"1 MiB multibyte", 3000, func(i int) string { return fmt.Sprintf("%04d", i) + strings.Repeat("é", 498) }, func(int) time.Time { return now }, 3},
		{"1 MiB invalid UTF-8", 1500, func(i int) string { return fmt.Sprintf("%04d", i) + invalid }, func(int) time.Time { return now }, 3},
		{"24h span", 6, func(i int) string { return fmt.Sprint("e", i) },
			func(i int) time.Time { return now.Add(-time.Duration(5-i) * 25 * time.Hour) }, 6},
		{"span just under 24h", 2, func(i int) string { return fmt.Sprint("e", i) },
			func(i int) time.Time { return now.Add(-time.Duration(1-i) * (24*time.Hour - time.Millisecond)) }, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServerWithStream(t)
			var log errLog
			h := newHandler(t, testOptions(srv, &log))
			for i := range tt.n {
				emit(h, tt.ts(i), tt.msg(i))
			}
			flush(t, h)
			s := h.Stats()
			if s.Sent != int64(tt.n) || s.Batches != tt.wantBatches || s.FailedCalls != 0 {
				t.Fatalf("sent %d in %d batches (%d failed calls), want %d in %d\n%s",
					s.Sent, s.Batches, s.FailedCalls, tt.n, tt.wantBatches, &log)
			}
			if got := len(srv.Events(testGroup, testStream)); got != tt.n {
				t.Errorf("server holds %d events, want %d", got, tt.n)
			}
			checkInvariant(t, s)
		})
	}
}

func TestMultibyteBatchIsFull(t *testing.T) {
	// 1022 events of 1000 bytes + 26 fill a batch to 1,048,572 bytes; the
	// 1023rd starts the next. Counting runes instead of bytes would put all
	// 3000 in one batch, and the service would refuse it.
	msg := strings.Repeat("é", 500)
	if got := messageCost([]byte(msg)); got != 1000 {
		t.Fatalf("cost = %d", got)
	}
	if got := messageCost([]byte("a\xffb\xc3")); got != 8 {
		t.Fatalf("invalid cost = %d, want 8", got)
	}
}

func TestOrderFromConcurrentGoroutines(t *testing.T) {
	srv := newServerWithStream(t)
	var log errLog
	o := testOptions(srv, &log)
	o.MaxBatchEvents = 500 // many batches, each must be sorted
	h := newHandler(t, o)
	now := time.Now()
	var wg sync.WaitGroup
	const goroutines, each = 8, 1000
	for g := range goroutines {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(g), 1))
			for i := range each {
				ts := now.Add(-time.Duration(r.IntN(3600_000)) * time.Millisecond)
				emit(h, ts, fmt.Sprintf("g%d-%d", g, i))
			}
		})
	}
	wg.Wait()
	flush(t, h)
	s := h.Stats()
	if s.Sent != goroutines*each || s.FailedCalls != 0 {
		t.Fatalf("sent %d with %d failed calls\n%s", s.Sent, s.FailedCalls, &log)
	}
	evs := srv.Events(testGroup, testStream)
	if !slices.IsSortedFunc(evs, func(a, b cwlocal.Event) int { return int(a.Timestamp - b.Timestamp) }) {
		t.Error("stream not in timestamp order")
	}
}

func TestEqualTimestampsKeepLoggingOrder(t *testing.T) {
	srv := newServer(t)
	var log errLog
	h := newHandler(t, testOptions(srv, &log))
	now := time.Now()
	var want []string
	for i := range 100 {
		m := fmt.Sprint("m", i)
		want = append(want, m)
		emit(h, now, m)
	}
	flush(t, h)
	if got := messages(srv.Events(testGroup, testStream)); !slices.Equal(got, want) {
		t.Fatalf("order = %v", got)
	}
}

func TestEmptyAndOversize(t *testing.T) {
	long := strings.Repeat("0123456789", 25) // 250 bytes
	tests := []struct {
		name     string
		oversize Oversize
		msg      string
		want     []string
		check    func(t *testing.T, s Stats)
	}{
		{"empty", Truncate, "", nil, func(t *testing.T, s Stats) {
			if s.Dropped.Empty != 1 {
				t.Errorf("empty drops = %d", s.Dropped.Empty)
			}
		}},
		{"truncate", Truncate, long, []string{long[:86] + TruncationMarker}, func(t *testing.T, s Stats) {
			if s.Truncated != 1 {
				t.Errorf("truncated = %d", s.Truncated)
			}
		}},
		{"truncate at rune boundary", Truncate, strings.Repeat("é", 100),
			[]string{strings.Repeat("é", 43) + TruncationMarker}, nil},
		{"truncate invalid UTF-8 counts 3", Truncate, strings.Repeat("\xff", 100),
			// 86 bytes of room hold 28 invalid bytes (84 once replaced).
			[]string{strings.Repeat("\ufffd", 28) + TruncationMarker}, nil},
		{"split", Split, long, []string{long[:100], long[100:200], long[200:]}, func(t *testing.T, s Stats) {
			if s.Split != 2 || s.Emitted != 3 {
				t.Errorf("split = %d, emitted = %d", s.Split, s.Emitted)
			}
		}},
		{"split at rune boundary", Split, "a" + strings.Repeat("é", 60),
			[]string{"a" + strings.Repeat("é", 49), strings.Repeat("é", 11)}, nil},
		{"fits exactly", Truncate, long[:100], []string{long[:100]}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t)
			var log errLog
			o := testOptions(srv, &log)
			o.MaxMessageBytes = 100
			o.Oversize = tt.oversize
			h := newHandler(t, o)
			emit(h, time.Now(), tt.msg)
			flush(t, h)
			got := messages(srv.Events(testGroup, testStream))
			if len(got) == 0 {
				got = nil
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("stored %q\nwant   %q\n%s", got, tt.want, &log)
			}
			s := h.Stats()
			if tt.check != nil {
				tt.check(t, s)
			}
			checkInvariant(t, s)
		})
	}
}

func TestTimeWindow(t *testing.T) {
	now := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		retention int
		ts        time.Time
		want      Rejections
	}{
		{"too new", 0, now.Add(2*time.Hour + time.Second), Rejections{TooNew: 1}},
		{"too old", 0, now.Add(-MaxEventAge - time.Second), Rejections{TooOld: 1}},
		{"negative", 0, time.UnixMilli(-5), Rejections{TooOld: 1}},
		{"expired by retention", 7, now.Add(-8 * 24 * time.Hour), Rejections{Expired: 1}},
		{"too old beyond retention", 30, now.Add(-20 * 24 * time.Hour), Rejections{TooOld: 1}},
		{"in window", 7, now.Add(-6 * 24 * time.Hour), Rejections{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, cwlocal.WithClock(func() time.Time { return now }))
			var log errLog
			o := testOptions(srv, &log)
			o.RetentionDays = tt.retention
			o.now = func() time.Time { return now }
			h := newHandler(t, o)
			emit(h, tt.ts, "x")
			flush(t, h)
			s := h.Stats()
			if s.Rejected != tt.want {
				t.Errorf("rejected = %+v, want %+v", s.Rejected, tt.want)
			}
			if tt.want.Total() > 0 && srv.Requests("PutLogEvents") != 0 {
				t.Errorf("a rejected event was sent")
			}
			if tt.want.Total() == 0 && s.Sent != 1 {
				t.Errorf("sent = %d\n%s", s.Sent, &log)
			}
			checkInvariant(t, s)
		})
	}
}

func TestServerRejections(t *testing.T) {
	// The handler's clock says the events are fine; the service's clock
	// disagrees, and its rejectedLogEventsInfo is counted event by event.
	now := time.Now()
	srv := newServer(t, cwlocal.WithClock(func() time.Time { return now }))
	var log errLog
	o := testOptions(srv, &log)
	o.now = func() time.Time { return now.Add(-10 * 24 * time.Hour) }
	h := newHandler(t, o)
	emit(h, now.Add(-12*24*time.Hour-time.Hour), "old1") // 12 days: fine for both
	emit(h, now.Add(-15*24*time.Hour), "old2")           // too old for the service
	emit(h, now.Add(-16*24*time.Hour), "old3")           // too old for the service
	err := h.Flush(t.Context())
	var ue *UndeliveredError
	if !errors.As(err, &ue) || ue.Events != 2 || ue.Pending != 0 {
		t.Errorf("Flush = %v, want 2 undelivered", err)
	}
	s := h.Stats()
	if s.Sent != 1 || s.Rejected.TooOld != 2 {
		t.Fatalf("sent %d, rejected %+v\n%s", s.Sent, s.Rejected, &log)
	}
	if got := messages(srv.Events(testGroup, testStream)); !slices.Equal(got, []string{"old1"}) {
		t.Errorf("stored %q", got)
	}
	checkInvariant(t, s)
}

// With the real clock, Emit's window checks read the owner's copy of the
// time, which the owner renews at every report tick: a copy 3 hours old
// makes an event of now "too new" until the next tick puts it right.
func TestWindowClockRenewedByOwner(t *testing.T) {
	srv := newServerWithStream(t)
	var log errLog
	o := testOptions(srv, &log)
	o.reportEvery = time.Hour // no tick during the first part
	h := newHandler(t, o)
	if !h.opts.coarseNow {
		t.Fatal("the default clock is not the owner's copy")
	}
	if d := time.Since(time.UnixMilli(h.clockMS.Load())); d < 0 || d > time.Minute {
		t.Fatalf("the copy starts %v old", d)
	}
	h.clockMS.Store(time.Now().Add(-3 * time.Hour).UnixMilli())
	emit(h, time.Now(), "ahead of the copy")
	if s := h.Stats(); s.Rejected.TooNew != 1 {
		t.Fatalf("with a copy 3 h old: rejected %+v, want 1 too new", s.Rejected)
	}

	o = testOptions(srv, &log) // ticks every 5 ms
	h = newHandler(t, o)
	h.clockMS.Store(time.Now().Add(-3 * time.Hour).UnixMilli())
	eventually(t, "the owner renews the clock", func() bool {
		return time.Since(time.UnixMilli(h.clockMS.Load())) < time.Minute
	})
	emit(h, time.Now(), "in the window")
	flush(t, h)
	if s := h.Stats(); s.Sent != 1 || s.Rejected.Total() != 0 {
		t.Fatalf("after the tick: sent %d, rejected %+v\n%s", s.Sent, s.Rejected, &log)
	}
}
