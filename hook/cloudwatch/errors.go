package cloudwatch

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// ErrClosed is reported (through OnError, aggregated in a [LossError])
// for events logged after Close began.
var ErrClosed = errors.New("cloudwatch: handler closed")

// UndeliveredError is returned by Flush and Close when events they waited
// for did not reach CloudWatch: sends that failed for good, events the
// service rejected, and, when the context ended first, events still held.
type UndeliveredError struct {
	Events  int   // events that did not reach CloudWatch
	Pending int   // of which were still queued or in flight when ctx ended
	Cause   error // the last send error, if any
}

func (e *UndeliveredError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "cloudwatch: %d events not delivered", e.Events)
	if e.Pending > 0 {
		fmt.Fprintf(&b, " (%d still pending when the context ended)", e.Pending)
	}
	if e.Cause != nil {
		fmt.Fprintf(&b, ": %v", e.Cause)
	}
	return b.String()
}

func (e *UndeliveredError) Unwrap() error { return e.Cause }

// LossError is reported through OnError, at most once per second, when
// events were dropped or rejected since the previous report. The counts
// are those of that interval.
type LossError struct {
	Handler  string
	Dropped  Drops
	Rejected Rejections
}

func (e *LossError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "cloudwatch handler %q:", e.Handler)
	sep := " dropped"
	for _, c := range []struct {
		n    int64
		name string
	}{
		{e.Dropped.Overflow, "queue full"}, {e.Dropped.Empty, "empty"}, {e.Dropped.Closed, "after close"},
		{e.Dropped.Invalid, "invalid"}, {e.Dropped.Undeliverable, "undeliverable"},
	} {
		if c.n > 0 {
			fmt.Fprintf(&b, "%s %d %s", sep, c.n, c.name)
			sep = ","
		}
	}
	sep = " rejected"
	if e.Dropped.Total() > 0 {
		sep = "; rejected"
	}
	for _, c := range []struct {
		n    int64
		name string
	}{
		{e.Rejected.TooNew, "more than 2h in the future"}, {e.Rejected.TooOld, "older than 14 days"},
		{e.Rejected.Expired, "older than the retention"},
	} {
		if c.n > 0 {
			fmt.Fprintf(&b, "%s %d %s", sep, c.n, c.name)
			sep = ","
		}
	}
	return b.String()
}

// Is makes errors.Is(err, ErrClosed) true for a report of drops after Close.
func (e *LossError) Is(target error) bool { return target == ErrClosed && e.Dropped.Closed > 0 }

// CallError is a failed CloudWatch Logs call, as reported through OnError.
type CallError struct {
	Op      string // PutLogEvents, CreateLogGroup, ...
	Group   string
	Stream  string
	Events  int    // events the call carried (PutLogEvents)
	Attempt int    // 1 for the first try of these events
	Action  string // what the handler does next: "retrying", "dropped", ...
	Err     error
}

func (e *CallError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "cloudwatch: %s %s", e.Op, e.Group)
	if e.Stream != "" {
		fmt.Fprintf(&b, "/%s", e.Stream)
	}
	if e.Events > 0 {
		fmt.Fprintf(&b, " (%d events, attempt %d)", e.Events, e.Attempt)
	}
	fmt.Fprintf(&b, ": %v", e.Err)
	if e.Action != "" {
		fmt.Fprintf(&b, "; %s", e.Action)
	}
	return b.String()
}

func (e *CallError) Unwrap() error { return e.Err }

// stderrReporter writes at most one line per interval and counts the rest,
// so a CloudWatch outage cannot flood the terminal. It is safe for
// concurrent use.
type stderrReporter struct {
	mu         sync.Mutex
	w          io.Writer
	every      time.Duration
	last       time.Time
	suppressed int
}

func (s *stderrReporter) report(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	if now.Sub(s.last) < s.every {
		s.suppressed++
		return
	}
	s.last = now
	if s.suppressed > 0 {
		fmt.Fprintf(s.w, "%v (%d similar errors suppressed)\n", err, s.suppressed)
		s.suppressed = 0
		return
	}
	fmt.Fprintln(s.w, err)
}
