package cwlocal

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"
)

// AnyOp matches every operation in [Server.FailNext].
const AnyOp = "*"

type faultKind int

const (
	kindError faultKind = iota + 1
	kindLatency
	kindHang
	kindConnReset
	kindAcceptThenDrop
)

// A Fault is a failure the server injects instead of (or around) a normal
// answer. Build one from the package variables, [Latency] or [ErrorFault].
// The zero Fault injects nothing. Faults are immutable values.
type Fault struct {
	kind    faultKind
	status  int
	code    string
	message string
	delay   time.Duration
}

var (
	// Throttle answers HTTP 400 ThrottlingException "Rate exceeded", which
	// the SDKs retry with backoff.
	Throttle = ErrorFault(http.StatusBadRequest, CodeThrottling, "Rate exceeded")

	// ServiceUnavailable answers HTTP 500 ServiceUnavailableException. Use
	// ServiceUnavailable.WithStatus(503) for a 503.
	ServiceUnavailable = ErrorFault(http.StatusInternalServerError, CodeServiceUnavailable,
		"The server failed to process the request due to an internal error.")

	// Hang blocks the request until the client gives up (its context is
	// cancelled, which closes the connection), [Server.Resume] is called
	// (then it is answered normally) or the server closes.
	Hang = Fault{kind: kindHang}

	// ConnReset hijacks the connection and closes it with a TCP reset,
	// without reading further or answering, before doing any work.
	ConnReset = Fault{kind: kindConnReset}

	// AcceptThenDrop performs the call (PutLogEvents stores its events) and
	// then resets the connection instead of answering, like a response lost
	// on the way back. Retrying clients then send duplicates.
	AcceptThenDrop = Fault{kind: kindAcceptThenDrop}
)

// ErrorFault answers with the given HTTP status and an awsJson1_1 error of
// the given code (the __type, e.g. "InvalidParameterException") and message.
func ErrorFault(status int, code, message string) Fault {
	return Fault{kind: kindError, status: status, code: code, message: message}
}

// Latency delays the answer by d, then answers normally. The wait ends
// early, without an answer, if the client gives up or the server closes.
func Latency(d time.Duration) Fault {
	return Fault{kind: kindLatency, delay: d}
}

// WithStatus returns a copy of an error fault with another HTTP status.
func (f Fault) WithStatus(status int) Fault {
	f.status = status
	return f
}

// String names the fault for logs.
func (f Fault) String() string {
	switch f.kind {
	case kindError:
		return fmt.Sprintf("error(%d %s)", f.status, f.code)
	case kindLatency:
		return fmt.Sprintf("latency(%s)", f.delay)
	case kindHang:
		return "hang"
	case kindConnReset:
		return "conn-reset"
	case kindAcceptThenDrop:
		return "accept-then-drop"
	}
	return "none"
}

type faultRule struct {
	op    string
	left  int
	fault Fault
}

// FailNext makes the next n calls of op (an operation name such as
// "PutLogEvents", or [AnyOp]) meet fault f. Rules queue up in call order: a
// request takes the first rule that matches it. Faults apply after the
// [WithAccessKeyID] check. It is safe for concurrent use.
func (s *Server) FailNext(op string, n int, f Fault) {
	if n <= 0 || f.kind == 0 {
		return
	}
	s.fmu.Lock()
	defer s.fmu.Unlock()
	s.rules = append(s.rules, faultRule{op: op, left: n, fault: f})
}

// FailWhen installs a programmable rule, consulted for every request that no
// [Server.FailNext] rule matched: it gets the operation name and the raw
// JSON body (owned by the server; do not keep it) and returns the fault to
// inject, or false. It is called concurrently. Nil removes it.
func (s *Server) FailWhen(fn func(op string, body []byte) (Fault, bool)) {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	s.faultFunc = fn
}

// ClearFaults drops every queued [Server.FailNext] rule and the
// [Server.FailWhen] function. Persistent modes stay. It is safe for
// concurrent use.
func (s *Server) ClearFaults() {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	s.rules = nil
	s.faultFunc = nil
}

// SetLatency delays every later request by d before it is handled (0 turns
// it off). It is safe for concurrent use.
func (s *Server) SetLatency(d time.Duration) {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	s.latency = d
}

// Hang makes every later request block as the [Hang] fault does, until
// [Server.Resume]. It is safe for concurrent use.
func (s *Server) Hang() {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	s.hanging = true
}

// Resume ends the mode set by [Server.Hang] and lets every request blocked
// by it or by a [Hang] fault proceed to a normal answer. It is safe for
// concurrent use.
func (s *Server) Resume() {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	s.hanging = false
	close(s.release)
	s.release = make(chan struct{})
}

// modes is a snapshot of the persistent fault modes for one request.
type modes struct {
	latency time.Duration
	hang    bool
	// release is taken with hang, under one lock, so a Resume racing with
	// this request cannot be missed.
	release chan struct{}
}

// takeFault picks the fault for one request, consuming a FailNext rule, and
// reports the persistent modes.
func (s *Server) takeFault(op string, body []byte) (f Fault, m modes) {
	s.fmu.Lock()
	fn := s.faultFunc
	m = modes{s.latency, s.hanging, s.release}
	for i := range s.rules {
		r := &s.rules[i]
		if r.op == op || r.op == AnyOp {
			f = r.fault
			if r.left--; r.left == 0 {
				s.rules = append(s.rules[:i], s.rules[i+1:]...)
			}
			break
		}
	}
	s.fmu.Unlock()
	// Call the user's function unlocked: it may call back into the server.
	if f.kind == 0 && fn != nil {
		if ff, ok := fn(op, body); ok {
			f = ff
		}
	}
	return f, m
}

// sleep waits d and reports whether the request should still be answered.
func (s *Server) sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
	case <-s.done:
	}
	return false
}

// block waits for Resume and reports whether the request should be answered.
func (s *Server) block(ctx context.Context, release <-chan struct{}) bool {
	select {
	case <-release:
		return true
	case <-ctx.Done():
	case <-s.done:
	}
	return false
}

// errAbort ends a request without an answer; net/http closes the
// connection and, for this sentinel, logs nothing.
var errAbort = http.ErrAbortHandler

// resetConn closes the client connection with a TCP RST so the client sees
// "connection reset by peer" rather than a clean EOF. Where the
// ResponseWriter cannot be hijacked (HTTP/2) it aborts the stream instead.
func resetConn(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(errAbort)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}
