package cwlocal_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/smithy-go"

	"github.com/logdict/logging/cwlocal"
)

func TestErrorFaults(t *testing.T) {
	tests := []struct {
		name   string
		fault  cwlocal.Fault
		status int
		check  func(t *testing.T, err error)
	}{
		{"throttle", cwlocal.Throttle, 400, func(t *testing.T, err error) {
			wantAPIError[*types.ThrottlingException](t, err, "Rate exceeded")
		}},
		{"service unavailable", cwlocal.ServiceUnavailable, 500, func(t *testing.T, err error) {
			wantAPIError[*types.ServiceUnavailableException](t, err, "")
		}},
		{"service unavailable 503", cwlocal.ServiceUnavailable.WithStatus(503), 503, func(t *testing.T, err error) {
			wantAPIError[*types.ServiceUnavailableException](t, err, "")
		}},
		{"typed custom error", cwlocal.ErrorFault(400, "LimitExceededException", "too many"), 400, func(t *testing.T, err error) {
			wantAPIError[*types.LimitExceededException](t, err, "too many")
		}},
		{"unmodelled error", cwlocal.ErrorFault(418, "TeapotException", "short and stout"), 418, func(t *testing.T, err error) {
			if apiCode(err) != "TeapotException" {
				t.Errorf("code = %q (%v)", apiCode(err), err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := start(t)
			cl := client(srv)
			srv.CreateStream("g", "s")
			srv.FailNext("PutLogEvents", 2, tt.fault)
			for range 2 {
				_, err := put(t, cl, "g", "s", ev(time.Now().UnixMilli(), "x"))
				tt.check(t, err)
				var re interface{ HTTPStatusCode() int }
				if errors.As(err, &re) && re.HTTPStatusCode() != tt.status {
					t.Errorf("status = %d, want %d", re.HTTPStatusCode(), tt.status)
				}
			}
			if _, err := put(t, cl, "g", "s", ev(time.Now().UnixMilli(), "x")); err != nil {
				t.Errorf("third call: %v, want success once the fault is used up", err)
			}
			if n := srv.Requests("PutLogEvents"); n != 3 {
				t.Errorf("Requests = %d, want 3", n)
			}
			if n := len(srv.Events("g", "s")); n != 1 {
				t.Errorf("stored %d events, want 1", n)
			}
		})
	}
}

func TestThrottleRetriedBySDK(t *testing.T) {
	srv := start(t)
	cl := client(srv, withRetries(3))
	srv.CreateStream("g", "s")
	srv.FailNext("PutLogEvents", 2, cwlocal.Throttle)
	if _, err := put(t, cl, "g", "s", ev(time.Now().UnixMilli(), "x")); err != nil {
		t.Fatalf("SDK did not retry ThrottlingException: %v", err)
	}
	if n := srv.Requests("PutLogEvents"); n != 3 {
		t.Errorf("Requests = %d, want 3 (2 throttled + 1)", n)
	}
}

func TestFaultRules(t *testing.T) {
	srv := start(t)
	cl := client(srv)
	srv.CreateStream("g", "s")
	srv.FailNext(cwlocal.AnyOp, 1, cwlocal.ServiceUnavailable)
	srv.FailNext("DescribeLogGroups", 1, cwlocal.Throttle)

	_, err := cl.DescribeLogGroups(ctx(t), &cloudwatchlogs.DescribeLogGroupsInput{})
	wantAPIError[*types.ServiceUnavailableException](t, err, "") // first matching rule wins
	_, err = cl.DescribeLogGroups(ctx(t), &cloudwatchlogs.DescribeLogGroupsInput{})
	wantAPIError[*types.ThrottlingException](t, err, "")

	srv.FailWhen(func(op string, body []byte) (cwlocal.Fault, bool) {
		return cwlocal.Throttle, op == "PutLogEvents" && string(body) != "" && len(body) > 0
	})
	_, err = put(t, cl, "g", "s", ev(time.Now().UnixMilli(), "x"))
	wantAPIError[*types.ThrottlingException](t, err, "")
	srv.ClearFaults()
	if _, err := put(t, cl, "g", "s", ev(time.Now().UnixMilli(), "x")); err != nil {
		t.Errorf("after ClearFaults: %v", err)
	}
}

// isConnError reports whether err is a transport failure rather than an
// answer from the server.
func isConnError(err error) bool {
	var ae smithy.APIError
	return err != nil && !errors.As(err, &ae) &&
		(errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF))
}

func TestConnReset(t *testing.T) {
	srv := start(t)
	cl := client(srv)
	srv.CreateStream("g", "s")
	srv.FailNext("PutLogEvents", 1, cwlocal.ConnReset)
	_, err := put(t, cl, "g", "s", ev(time.Now().UnixMilli(), "x"))
	if !isConnError(err) {
		t.Fatalf("err = %v, want a connection reset", err)
	}
	if n := len(srv.Events("g", "s")); n != 0 {
		t.Errorf("ConnReset stored %d events", n)
	}
}

func TestAcceptThenDrop(t *testing.T) {
	t.Run("client sees a connection error but events are stored", func(t *testing.T) {
		srv := start(t)
		cl := client(srv)
		srv.CreateStream("g", "s")
		srv.FailNext("PutLogEvents", 1, cwlocal.AcceptThenDrop)
		_, err := put(t, cl, "g", "s", ev(time.Now().UnixMilli(), "x"))
		if !isConnError(err) {
			t.Fatalf("err = %v, want a connection error", err)
		}
		if n := len(srv.Events("g", "s")); n != 1 {
			t.Errorf("stored %d events, want 1", n)
		}
	})
	t.Run("a retrying client stores duplicates", func(t *testing.T) {
		srv := start(t)
		cl := client(srv, withRetries(3))
		srv.CreateStream("g", "s")
		srv.FailNext("PutLogEvents", 1, cwlocal.AcceptThenDrop)
		if _, err := put(t, cl, "g", "s", ev(time.Now().UnixMilli(), "x")); err != nil {
			t.Fatal(err)
		}
		if n := len(srv.Events("g", "s")); n != 2 {
			t.Errorf("stored %d events, want 2 (original + retry)", n)
		}
	})
}

func TestLatency(t *testing.T) {
	srv := start(t)
	cl := client(srv)
	srv.CreateStream("g", "s")

	srv.FailNext("PutLogEvents", 1, cwlocal.Latency(50*time.Millisecond))
	t0 := time.Now()
	if _, err := put(t, cl, "g", "s", ev(time.Now().UnixMilli(), "x")); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(t0); d < 50*time.Millisecond {
		t.Errorf("answered after %v, want >= 50ms", d)
	}

	srv.SetLatency(time.Minute)
	c, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	_, err := cl.DescribeLogGroups(c, &cloudwatchlogs.DescribeLogGroupsInput{})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want deadline exceeded", err)
	}
	srv.SetLatency(0)
	if _, err := cl.DescribeLogGroups(ctx(t), &cloudwatchlogs.DescribeLogGroupsInput{}); err != nil {
		t.Errorf("after SetLatency(0): %v", err)
	}
}

// logRecorder collects RequestInfo and signals each one.
type logRecorder struct {
	mu   sync.Mutex
	got  []cwlocal.RequestInfo
	each chan cwlocal.RequestInfo
}

func newLogRecorder() *logRecorder { return &logRecorder{each: make(chan cwlocal.RequestInfo, 100)} }

func (r *logRecorder) log(ri cwlocal.RequestInfo) {
	r.mu.Lock()
	r.got = append(r.got, ri)
	r.mu.Unlock()
	r.each <- ri
}

func TestHang(t *testing.T) {
	t.Run("client cancel unblocks", func(t *testing.T) {
		rec := newLogRecorder()
		// Cancel once the server holds the request, not after a fixed
		// delay: on a loaded machine the request may not even have been
		// sent within one, and then nothing hangs.
		arrived := make(chan struct{}, 1)
		srv := start(t, cwlocal.WithRequestLog(rec.log), cwlocal.WithHook(func(string, []byte) {
			select {
			case arrived <- struct{}{}:
			default:
			}
		}))
		cl := client(srv)
		srv.CreateStream("g", "s")
		srv.FailNext("PutLogEvents", 1, cwlocal.Hang)
		c, cancel := context.WithCancel(context.Background())
		defer cancel()
		go func() {
			select {
			case <-arrived:
				cancel()
			case <-c.Done():
			}
		}()
		_, err := cl.PutLogEvents(c, &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String("g"),
			LogStreamName: aws.String("s"), LogEvents: []types.InputLogEvent{ev(time.Now().UnixMilli(), "x")}})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context canceled", err)
		}
		// The server side gives up too, without answering.
		select {
		case ri := <-rec.each:
			if ri.Op != "PutLogEvents" || ri.Status != 0 || ri.Fault != "hang" {
				t.Errorf("request log = %+v", ri)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("hanging handler did not return after the client cancelled")
		}
		if n := len(srv.Events("g", "s")); n != 0 {
			t.Errorf("stored %d events", n)
		}
	})
	t.Run("Resume answers normally", func(t *testing.T) {
		srv := start(t)
		cl := client(srv)
		srv.CreateStream("g", "s")
		srv.Hang()
		done := make(chan error, 1)
		go func() {
			_, err := put(t, cl, "g", "s", ev(time.Now().UnixMilli(), "x"))
			done <- err
		}()
		waitFor(t, func() bool { return srv.Requests("PutLogEvents") == 1 })
		select {
		case err := <-done:
			t.Fatalf("answered while hanging: %v", err)
		case <-time.After(20 * time.Millisecond):
		}
		srv.Resume()
		if err := <-done; err != nil {
			t.Fatalf("after Resume: %v", err)
		}
		if n := len(srv.Events("g", "s")); n != 1 {
			t.Errorf("stored %d events, want 1", n)
		}
	})
	t.Run("Close unblocks", func(t *testing.T) {
		srv := cwlocal.New()
		cl := client(srv)
		srv.CreateStream("g", "s")
		srv.FailNext(cwlocal.AnyOp, 1, cwlocal.Hang)
		done := make(chan error, 1)
		go func() {
			_, err := put(t, cl, "g", "s", ev(time.Now().UnixMilli(), "x"))
			done <- err
		}()
		waitFor(t, func() bool { return srv.Requests("PutLogEvents") == 1 })
		closed := make(chan struct{})
		go func() { srv.Close(); close(closed) }()
		select {
		case <-closed:
		case <-time.After(5 * time.Second):
			t.Fatal("Close blocked on a hanging request")
		}
		if err := <-done; err == nil || apiCode(err) != "" {
			t.Errorf("err = %v, want a connection error", err)
		}
		srv.Close() // idempotent
	})
}

func TestDeleteGroupMidRun(t *testing.T) {
	srv := start(t)
	cl := client(srv)
	srv.CreateStream("g", "s")
	if _, err := put(t, cl, "g", "s", ev(time.Now().UnixMilli(), "x")); err != nil {
		t.Fatal(err)
	}
	srv.DeleteGroup("g")
	_, err := put(t, cl, "g", "s", ev(time.Now().UnixMilli(), "x"))
	wantAPIError[*types.ResourceNotFoundException](t, err, "The specified log group does not exist.")
}

func TestHandlerAfterClose(t *testing.T) {
	srv := cwlocal.New()
	h := srv.Handler()
	srv.Close()
	rec := &responseRecorder{header: http.Header{}}
	req, _ := http.NewRequest(http.MethodPost, "/", nil)
	req.Header.Set("X-Amz-Target", "Logs_20140328.DescribeLogGroups")
	h.ServeHTTP(rec, req)
	if rec.status != http.StatusServiceUnavailable || rec.header.Get("x-amzn-ErrorType") != "ServiceUnavailableException" {
		t.Errorf("after Close: %d %q", rec.status, rec.header.Get("x-amzn-ErrorType"))
	}
}

type responseRecorder struct {
	header http.Header
	status int
	body   []byte
}

func (r *responseRecorder) Header() http.Header { return r.header }
func (r *responseRecorder) WriteHeader(s int)   { r.status = s }
func (r *responseRecorder) Write(p []byte) (int, error) {
	r.body = append(r.body, p...)
	return len(p), nil
}

// waitFor polls cond with a deadline instead of sleeping a fixed time.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 5s")
		}
		time.Sleep(time.Millisecond)
	}
}
