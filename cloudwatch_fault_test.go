package logging

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/logdict/logging/cwlocal"
	"github.com/logdict/logging/hook/cloudwatch"
)

// The fault tests drive the real path: a registry configured with a
// watchtower.CloudWatchLogHandler section, the real AWS SDK client over
// loopback HTTP, and cwlocal injecting faults. Each test logs events with
// unique ids from several goroutines, shuts down, and then compares what
// the server stored, id by id, with the handler's Stats.
//
// The accounting rule they check: for every id,
//
//	stored(id) == ambiguous(id) + delivered(id)
//
// where delivered(id) is 1 for exactly Stats.Sent ids and 0 for exactly
// Stats.Dropped.Total()+Stats.Rejected.Total() ids, and ambiguous(id) is
// the number of requests holding id that the server stored but whose answer
// it then dropped (cwlocal.AcceptThenDrop): the only duplicates allowed,
// each counted by the test's fault rule and never more than Stats.Retries.

var longFaults = flag.Bool("long", false, "run the fault tests at full length (a 30 s outage); also LOGDICT_LONG=1")

// outageLength is how long the outage test keeps the service down: 30 s
// with -long or LOGDICT_LONG=1, else 2 s so that the default suite stays
// fast. Both take the handler through several backoff steps.
func outageLength() time.Duration {
	if *longFaults || os.Getenv("LOGDICT_LONG") == "1" {
		return 30 * time.Second
	}
	return 2 * time.Second
}

const (
	faultGroup  = "faults"
	faultKey    = "AKIDFAULTTEST"
	faultSecret = "fault-secret-Zq8Xv2Lw9Rk4Tn7Jm3Hp"
)

// faultRig is a cwlocal server behind a gate: a test can stop every
// request for a moment to act on the server atomically (snapshot the
// stored events and delete the group in between two requests).
type faultRig struct {
	t    *testing.T
	srv  *cwlocal.Server
	ts   *httptest.Server
	gate sync.RWMutex

	mu        sync.Mutex
	snapshot  map[string]int // events stored before a DeleteGroup
	ambiguous map[string]int // id -> stored-but-unanswered requests holding it
}

func newFaultRig(t *testing.T, opts ...cwlocal.Option) *faultRig {
	t.Helper()
	rig := &faultRig{t: t, srv: cwlocal.New(opts...), snapshot: map[string]int{}, ambiguous: map[string]int{}}
	h := rig.srv.Handler()
	rig.ts = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rig.gate.RLock()
		defer rig.gate.RUnlock()
		h.ServeHTTP(w, r)
	}))
	// cwlocal first: it releases hanging requests, then the listener closes.
	t.Cleanup(rig.ts.Close)
	t.Cleanup(rig.srv.Close)
	return rig
}

// stored returns how many times each message is stored, over every stream
// of the group, plus what was stored before the group was deleted.
func (rig *faultRig) stored() map[string]int {
	rig.mu.Lock()
	out := make(map[string]int, len(rig.snapshot))
	for k, v := range rig.snapshot {
		out[k] += v
	}
	rig.mu.Unlock()
	for _, st := range rig.srv.Streams(faultGroup) {
		for _, e := range rig.srv.Events(faultGroup, st) {
			out[e.Message]++
		}
	}
	return out
}

// deleteGroup deletes the log group between two requests, keeping what it
// held for the final count.
func (rig *faultRig) deleteGroup() {
	rig.gate.Lock()
	defer rig.gate.Unlock()
	for id, n := range rig.stored() {
		rig.mu.Lock()
		rig.snapshot[id] = n
		rig.mu.Unlock()
	}
	rig.srv.DeleteGroup(faultGroup)
}

// acceptThenDrop makes PutLogEvents calls for which pick returns true store
// their events and then lose the answer; it records the events they held.
func (rig *faultRig) acceptThenDrop(pick func(call int) bool) {
	var calls atomic.Int64
	rig.srv.FailWhen(func(op string, body []byte) (cwlocal.Fault, bool) {
		if op != "PutLogEvents" || !pick(int(calls.Add(1))) {
			return cwlocal.Fault{}, false
		}
		var in struct {
			LogEvents []struct{ Message string } `json:"logEvents"`
		}
		if err := json.Unmarshal(body, &in); err != nil {
			return cwlocal.Fault{}, false
		}
		rig.mu.Lock()
		for _, e := range in.LogEvents {
			rig.ambiguous[e.Message]++
		}
		rig.mu.Unlock()
		return cwlocal.AcceptThenDrop, true
	})
}

// config is the handler section under test; extra overrides its keys.
func (rig *faultRig) config(extra map[string]any) map[string]any {
	cw := map[string]any{
		"class":                 "watchtower.CloudWatchLogHandler",
		"log_group_name":        faultGroup,
		"log_stream_name":       "{logger_name}",
		"endpoint_url":          rig.ts.URL,
		"region":                "us-west-2",
		"aws_access_key_id":     faultKey,
		"aws_secret_access_key": faultSecret,
		"send_interval":         "20ms",
		"max_batch_count":       100,
		"request_timeout":       "5s",
	}
	for k, v := range extra {
		cw[k] = v
	}
	return map[string]any{
		"version":  1,
		"handlers": map[string]any{"cw": cw},
		"loggers":  map[string]any{"app": map[string]any{"level": "INFO", "handlers": []any{"cw"}, "propagate": false}},
	}
}

// run configures a registry, logs perG events from each of g goroutines
// through loggers app.w0, app.w1..., calling mid once half of them are
// logged, then shuts down within limit. It returns the ids logged, the
// handler's Stats and Shutdown's error.
func (rig *faultRig) run(t *testing.T, extra map[string]any, g, perG int, mid func(), limit time.Duration) ([]string, cloudwatch.Stats, error) {
	t.Helper()
	r, _ := newReg(t)
	if err := r.ConfigureMap(rig.config(extra)); err != nil {
		t.Fatal(err)
	}
	h, ok := r.Handler("cw").(*cloudwatch.Handler)
	if !ok {
		t.Fatalf("handler cw is %T", r.Handler("cw"))
	}
	ids := make([]string, 0, g*perG)
	for w := range g {
		for i := range perG {
			ids = append(ids, fmt.Sprintf("ev-%d-%d", w, i))
		}
	}
	phase := func(from, to int) {
		var wg sync.WaitGroup
		for w := range g {
			wg.Go(func() {
				log := r.Get("app.w" + strconv.Itoa(w))
				for i := from; i < to; i++ {
					log.Info(ids[w*perG+i])
				}
			})
		}
		wg.Wait()
	}
	phase(0, perG/2)
	if mid != nil {
		mid()
	}
	phase(perG/2, perG)
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	err := r.Shutdown(ctx)
	return ids, h.Stats(), err
}

// account checks the accounting rule (see the top of this file) and
// returns how many ids were delivered and how many duplicates were stored.
func (rig *faultRig) account(t *testing.T, ids []string, s cloudwatch.Stats) (delivered, dups int) {
	t.Helper()
	if s.QueueLen != 0 || s.QueueBytes != 0 {
		t.Errorf("after Shutdown the handler still holds %d events (%d bytes)", s.QueueLen, s.QueueBytes)
	}
	if got := s.Sent + s.Dropped.Total() + s.Rejected.Total() + s.QueueLen; got != s.Emitted || s.Emitted != int64(len(ids)) {
		t.Errorf("logged %d: emitted %d, sent %d + dropped %d + rejected %d + queued %d = %d",
			len(ids), s.Emitted, s.Sent, s.Dropped.Total(), s.Rejected.Total(), s.QueueLen, got)
	}
	stored := rig.stored()
	rig.mu.Lock()
	amb := rig.ambiguous
	rig.mu.Unlock()
	logged := make(map[string]bool, len(ids))
	lost := 0
	for _, id := range ids {
		logged[id] = true
		n := stored[id] - amb[id]
		switch n {
		case 1:
			delivered++
		case 0:
			lost++
		default:
			t.Errorf("%s stored %d times, %d of them by a lost answer", id, stored[id], amb[id])
		}
		dups += amb[id]
	}
	for id := range stored {
		if !logged[id] {
			t.Errorf("server holds %q, which was never logged", id)
		}
	}
	if int64(delivered) != s.Sent {
		t.Errorf("%d ids delivered (net of %d duplicates), Stats.Sent = %d", delivered, dups, s.Sent)
	}
	if int64(lost) != s.Dropped.Total()+s.Rejected.Total() {
		t.Errorf("%d ids missing, Stats counts %d dropped + %d rejected (%+v)", lost, s.Dropped.Total(), s.Rejected.Total(), s.Dropped)
	}
	if int64(dups) > s.Retries {
		t.Errorf("%d duplicates but only %d events resent", dups, s.Retries)
	}
	// Stats.Unanswered bounds the duplicates: only a call with no answer
	// can have been stored and then sent again.
	if int64(dups) > s.Unanswered {
		t.Errorf("%d duplicates, but Stats.Unanswered = %d", dups, s.Unanswered)
	}
	return delivered, dups
}

func TestCloudWatchFaultsAccounting(t *testing.T) {
	const g, perG = 4, 250
	cases := []struct {
		name  string
		extra map[string]any
		setup func(rig *faultRig) // before logging
		mid   func(rig *faultRig) // once half is logged
		check func(t *testing.T, rig *faultRig, s cloudwatch.Stats, dups int)
	}{
		{
			name: "throttling bursts",
			// Bursts short enough for the backoff (100 ms doubling, up
			// to 20 s: the SDK's) to get through within seconds.
			setup: func(rig *faultRig) {
				rig.srv.FailNext("PutLogEvents", 5, cwlocal.Throttle)
			},
			mid:   func(rig *faultRig) { rig.srv.FailNext("PutLogEvents", 5, cwlocal.Throttle) },
			check: answeredOnly,
		},
		{
			name: "5xx",
			setup: func(rig *faultRig) {
				rig.srv.FailNext("PutLogEvents", 2, cwlocal.ServiceUnavailable)
				rig.srv.FailNext("PutLogEvents", 2, cwlocal.ServiceUnavailable.WithStatus(503))
				rig.srv.FailNext(cwlocal.AnyOp, 2, cwlocal.ErrorFault(500, "InternalFailure", "oops"))
			},
			check: answeredOnly,
		},
		{
			name: "latency beyond the request timeout",
			// The timed-out calls are abandoned before the server does
			// any work, so they cannot store anything: no duplicate.
			extra: map[string]any{"request_timeout": "2s"},
			setup: func(rig *faultRig) {
				rig.srv.FailNext("PutLogEvents", 2, cwlocal.Latency(time.Minute))
			},
		},
		{
			name: "connection resets",
			setup: func(rig *faultRig) {
				rig.srv.FailNext(cwlocal.AnyOp, 4, cwlocal.ConnReset)
			},
			mid: func(rig *faultRig) { rig.srv.FailNext("PutLogEvents", 6, cwlocal.ConnReset) },
		},
		{
			name: "answers lost after the server stored the batch",
			setup: func(rig *faultRig) {
				// Streams exist, so every picked call stores its events.
				for w := range g {
					rig.srv.CreateStream(faultGroup, "app.w"+strconv.Itoa(w))
				}
				rig.acceptThenDrop(func(call int) bool { return call%4 == 2 })
			},
			check: func(t *testing.T, rig *faultRig, s cloudwatch.Stats, dups int) {
				if dups == 0 {
					t.Error("no answer was lost: the test did not exercise AcceptThenDrop")
				}
			},
		},
		{
			name: "log group deleted mid-run",
			mid: func(rig *faultRig) {
				eventuallyTrue(rig.t, "a first delivery", func() bool { return len(rig.stored()) > 0 })
				rig.deleteGroup()
			},
			check: func(t *testing.T, rig *faultRig, s cloudwatch.Stats, _ int) {
				rig.mu.Lock()
				before := len(rig.snapshot)
				rig.mu.Unlock()
				if before == 0 || len(rig.stored()) == before {
					t.Errorf("%d events stored before the deletion, %d in all: want some on each side", before, len(rig.stored()))
				}
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rig := newFaultRig(t)
			if c.setup != nil {
				c.setup(rig)
			}
			var mid func()
			if c.mid != nil {
				mid = func() { c.mid(rig) }
			}
			ids, s, err := rig.run(t, c.extra, g, perG, mid, 60*time.Second)
			if err != nil {
				t.Errorf("Shutdown: %v", err)
			}
			delivered, dups := rig.account(t, ids, s)
			if delivered != len(ids) {
				t.Errorf("%d of %d delivered; transient faults must not lose events (%+v)", delivered, len(ids), s)
			}
			if s.FailedCalls == 0 {
				t.Errorf("no call failed: the fault was not exercised (%+v)", s)
			}
			if c.check != nil {
				c.check(t, rig, s, dups)
			}
		})
	}
}

// answeredOnly checks a run whose failed calls were all answered with an
// error: none can have been stored, so none counts as unanswered.
func answeredOnly(t *testing.T, _ *faultRig, s cloudwatch.Stats, _ int) {
	if s.Unanswered != 0 {
		t.Errorf("Stats.Unanswered = %d, but every failed call was answered", s.Unanswered)
	}
}

// TestCloudWatchOutage keeps the service down (every call answered 503)
// for outageLength while logging goes on, then lets it recover: nothing is
// lost, as the queue holds the outage's events.
func TestCloudWatchOutage(t *testing.T) {
	d := outageLength()
	rig := newFaultRig(t)
	var end atomic.Int64 // unix nanos; 0: no outage
	var refused atomic.Int64
	rig.srv.FailWhen(func(string, []byte) (cwlocal.Fault, bool) {
		if e := end.Load(); e != 0 && time.Now().UnixNano() < e {
			refused.Add(1)
			return cwlocal.ServiceUnavailable.WithStatus(503), true
		}
		return cwlocal.Fault{}, false
	})
	start := time.Now()
	mid := func() {
		end.Store(time.Now().Add(d).UnixNano())
	}
	ids, s, err := rig.run(t, nil, 4, 500, mid, d+60*time.Second)
	if err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	if time.Since(start) < d {
		t.Fatalf("done in %v, before the %v outage ended", time.Since(start), d)
	}
	if refused.Load() < 2 {
		t.Errorf("only %d calls met the outage", refused.Load())
	}
	delivered, _ := rig.account(t, ids, s)
	if delivered != len(ids) {
		t.Errorf("%d of %d delivered after the outage (%+v)", delivered, len(ids), s)
	}
}

// TestCloudWatchBadCredentialsCounted: the service refuses the key; every
// event is dropped as undeliverable after the bounded retries, and counted.
func TestCloudWatchBadCredentialsCounted(t *testing.T) {
	rig := newFaultRig(t, cwlocal.WithAccessKeyID("AKIDSOMEONEELSE"))
	ids, s, err := rig.run(t, nil, 2, 50, nil, 60*time.Second)
	var ue *cloudwatch.UndeliveredError
	if !errors.As(err, &ue) || ue.Events != len(ids) {
		t.Errorf("Shutdown = %v, want an UndeliveredError for %d events", err, len(ids))
	}
	delivered, _ := rig.account(t, ids, s)
	if delivered != 0 || s.Dropped.Undeliverable != int64(len(ids)) {
		t.Errorf("delivered %d, %+v; want all undeliverable", delivered, s.Dropped)
	}
}

// eventuallyTrue polls cond until it holds or 10 s pass.
func eventuallyTrue(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}
