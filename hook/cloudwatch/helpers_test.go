package cloudwatch

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/logdict/logging/core"
	"github.com/logdict/logging/cwlocal"
	"github.com/sirupsen/logrus"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

const (
	testGroup  = "test-group"
	testStream = "test-stream"
	testKey    = "AKIDTEST"
	testSecret = "s3cr3t-value-never-shown"
)

// errLog collects what a handler reports through OnError.
type errLog struct {
	mu   sync.Mutex
	errs []error
}

func (l *errLog) add(err error) {
	l.mu.Lock()
	l.errs = append(l.errs, err)
	l.mu.Unlock()
}

func (l *errLog) all() []error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]error(nil), l.errs...)
}

func (l *errLog) String() string {
	var b strings.Builder
	for _, e := range l.all() {
		fmt.Fprintln(&b, e)
	}
	return b.String()
}

// find returns the first reported error that matches as target does.
func findErr[T error](l *errLog) (T, bool) {
	for _, e := range l.all() {
		var t T
		if errors.As(e, &t) {
			return t, true
		}
	}
	var zero T
	return zero, false
}

func newServer(t testing.TB, opts ...cwlocal.Option) *cwlocal.Server {
	t.Helper()
	srv := cwlocal.New(opts...)
	t.Cleanup(srv.Close)
	return srv
}

// newServerWithStream starts a server where the test stream exists.
func newServerWithStream(t testing.TB, opts ...cwlocal.Option) *cwlocal.Server {
	t.Helper()
	srv := newServer(t, opts...)
	srv.CreateStream(testGroup, testStream)
	return srv
}

// testOptions points a handler at srv through the real SDK client, with
// fast backoff and a send interval long enough that tests cut batches by
// the rules or by Flush, not by the clock.
func testOptions(srv *cwlocal.Server, log *errLog) Options {
	return Options{
		LogGroup:      testGroup,
		LogStream:     testStream,
		SendInterval:  time.Hour,
		NoExitHandler: true,
		OnError:       log.add,
		AWS: AWS{
			Region:          "us-west-2",
			Endpoint:        srv.URL(),
			AccessKeyID:     testKey,
			SecretAccessKey: testSecret,
		},
		retryBase:   time.Millisecond,
		retryMax:    10 * time.Millisecond,
		reportEvery: 5 * time.Millisecond,
	}
}

// newHandler starts a handler and closes it at the end of the test.
func newHandler(t testing.TB, o Options) *Handler {
	t.Helper()
	h, err := New(context.Background(), o)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = h.Close(ctx)
	})
	return h
}

// record makes a registry record of logger name at time ts.
func record(name string, ts time.Time, msg string) *core.Record {
	e := logrus.NewEntry(logrus.StandardLogger())
	e.Time, e.Message, e.Level = ts, msg, logrus.InfoLevel
	return &core.Record{Entry: e, Name: name, Level: core.INFO}
}

func emit(h *Handler, ts time.Time, msg string) {
	_ = h.Emit(record("app", ts, msg), []byte(msg))
}

func flush(t testing.TB, h *Handler) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := h.Flush(ctx); err != nil {
		t.Fatalf("Flush: %v", err)
	}
}

// checkInvariant asserts that every event is accounted for exactly once.
func checkInvariant(t testing.TB, s Stats) {
	t.Helper()
	if got := s.Sent + s.Dropped.Total() + s.Rejected.Total() + s.QueueLen; got != s.Emitted {
		t.Errorf("accounting: emitted %d != sent %d + dropped %d + rejected %d + queued %d (%+v)",
			s.Emitted, s.Sent, s.Dropped.Total(), s.Rejected.Total(), s.QueueLen, s)
	}
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func messages(evs []cwlocal.Event) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.Message
	}
	return out
}
