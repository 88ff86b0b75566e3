package cloudwatch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/smithy-go"
	"github.com/logdict/logging/cwlocal"
)

func TestRetriedAndDeliveredOnce(t *testing.T) {
	tests := []struct {
		name       string
		fault      cwlocal.Fault
		n          int
		config     func(o *Options)
		unanswered bool // the failed calls got no answer: their fate is unknown
	}{
		{"throttling", cwlocal.Throttle, 3, nil, false},
		{"500", cwlocal.ServiceUnavailable, 2, nil, false},
		{"503", cwlocal.ServiceUnavailable.WithStatus(http.StatusServiceUnavailable), 2, nil, false},
		{"internal failure", cwlocal.ErrorFault(500, "InternalFailure", "oops"), 1, nil, false},
		{"connection reset", cwlocal.ConnReset, 2, nil, true},
		{"latency past the request timeout", cwlocal.Latency(2 * time.Second), 1, func(o *Options) {
			o.RequestTimeout = 50 * time.Millisecond
		}, true},
		{"hang past the request timeout", cwlocal.Hang, 1, func(o *Options) {
			o.RequestTimeout = 50 * time.Millisecond
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServerWithStream(t)
			var log errLog
			o := testOptions(srv, &log)
			if tt.config != nil {
				tt.config(&o)
			}
			h := newHandler(t, o)
			srv.FailNext("PutLogEvents", tt.n, tt.fault)
			for i := range 10 {
				emit(h, time.Now(), fmt.Sprint("m", i))
			}
			flush(t, h)
			s := h.Stats()
			if got := len(srv.Events(testGroup, testStream)); got != 10 || s.Sent != 10 {
				t.Fatalf("server holds %d, sent %d; want 10 exactly once\n%s", got, s.Sent, &log)
			}
			if s.FailedCalls != int64(tt.n) || s.Retries != int64(10*tt.n) {
				t.Errorf("failed calls %d, retries %d; want %d, %d", s.FailedCalls, s.Retries, tt.n, 10*tt.n)
			}
			if want := int64(0); tt.unanswered && s.Unanswered != int64(10*tt.n) || !tt.unanswered && s.Unanswered != want {
				t.Errorf("unanswered %d; want %d", s.Unanswered, map[bool]int64{true: int64(10 * tt.n)}[tt.unanswered])
			}
			if srv.Requests("PutLogEvents") != tt.n+1 {
				t.Errorf("%d PutLogEvents calls, want %d", srv.Requests("PutLogEvents"), tt.n+1)
			}
			if ce, ok := findErr[*CallError](&log); !ok || ce.Action != "retrying" {
				t.Errorf("no retry reported: %s", &log)
			}
			checkInvariant(t, s)
		})
	}
}

func TestAcceptThenDropDuplicates(t *testing.T) {
	// The service stored the batch but the answer was lost: the handler
	// cannot know, resends, and CloudWatch holds the events twice. This is
	// at-least-once delivery, the only choice without sequence tokens.
	srv := newServerWithStream(t)
	var log errLog
	h := newHandler(t, testOptions(srv, &log))
	srv.FailNext("PutLogEvents", 1, cwlocal.AcceptThenDrop)
	for i := range 5 {
		emit(h, time.Now(), fmt.Sprint("m", i))
	}
	flush(t, h)
	s := h.Stats()
	if got := len(srv.Events(testGroup, testStream)); got != 10 {
		t.Errorf("server holds %d events, want 10 (each twice)", got)
	}
	if s.Sent != 5 || s.Retries != 5 {
		t.Errorf("sent %d, retries %d", s.Sent, s.Retries)
	}
	// The 5 duplicates are within what Stats calls unanswered.
	if s.Unanswered != 5 {
		t.Errorf("unanswered %d, want 5 (the lost answer's batch)", s.Unanswered)
	}
	checkInvariant(t, s)
}

func TestCreatesGroupAndStream(t *testing.T) {
	srv := newServer(t)
	var log errLog
	o := testOptions(srv, &log)
	o.RetentionDays = 30
	o.Tags = map[string]string{"team": "core"}
	o.LogStream = "{logger_name}"
	h := newHandler(t, o)
	_ = h.Emit(record("a", time.Now(), "x"), []byte("one"))
	_ = h.Emit(record("b", time.Now(), "x"), []byte("two"))
	flush(t, h)
	if !slices.Equal(srv.Groups(), []string{testGroup}) || !slices.Equal(srv.Streams(testGroup), []string{"a", "b"}) {
		t.Fatalf("groups %v, streams %v\n%s", srv.Groups(), srv.Streams(testGroup), &log)
	}
	if got := srv.Requests("CreateLogGroup"); got < 1 || got > 2 {
		t.Errorf("CreateLogGroup called %d times", got)
	}
	if got := srv.Requests("PutRetentionPolicy"); got < 1 {
		t.Errorf("PutRetentionPolicy not called")
	}
	if srv.Requests("DescribeLogStreams")+srv.Requests("DescribeLogGroups") != 0 {
		t.Error("Describe calls on the send path")
	}
	s := h.Stats()
	if s.Sent != 2 {
		t.Errorf("sent %d\n%s", s.Sent, &log)
	}

	// Someone deletes the group mid-run: it is made again.
	srv.DeleteGroup(testGroup)
	_ = h.Emit(record("a", time.Now(), "x"), []byte("three"))
	flush(t, h)
	if got := messages(srv.Events(testGroup, "a")); !slices.Equal(got, []string{"three"}) {
		t.Errorf("after deletion: %q\n%s", got, &log)
	}
	checkInvariant(t, h.Stats())
}

func TestNoCreateDropsCounted(t *testing.T) {
	tests := []struct {
		name  string
		setup func(srv *cwlocal.Server)
		opts  func(o *Options)
		op    string
	}{
		{"group", func(*cwlocal.Server) {}, func(o *Options) { o.NoCreateLogGroup = true }, "CreateLogGroup"},
		{"stream", func(srv *cwlocal.Server) {
			srv.CreateStream(testGroup, "other")
		}, func(o *Options) { o.NoCreateLogStream = true }, "CreateLogStream"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t)
			tt.setup(srv)
			var log errLog
			o := testOptions(srv, &log)
			tt.opts(&o)
			h := newHandler(t, o)
			for range 3 {
				emit(h, time.Now(), "x")
			}
			err := h.Flush(t.Context())
			var ue *UndeliveredError
			if !errors.As(err, &ue) || ue.Events != 3 || !errors.Is(err, errNotCreated) {
				t.Errorf("Flush = %v", err)
			}
			s := h.Stats()
			if s.Dropped.Undeliverable != 3 || s.Sent != 0 || srv.Requests(tt.op) != 0 {
				t.Errorf("stats %+v, %s calls %d", s, tt.op, srv.Requests(tt.op))
			}
			ce, ok := findErr[*CallError](&log)
			if !ok || !strings.Contains(ce.Action, "dropped") {
				t.Errorf("drop not reported: %s", &log)
			}
			eventually(t, "loss report", func() bool { return reportedLoss(&log).Dropped.Undeliverable == 3 })
			checkInvariant(t, s)
		})
	}
}

func TestBadCredentialsReported(t *testing.T) {
	srv := newServerWithStream(t, cwlocal.WithAccessKeyID("AKIDGOOD"))
	var log errLog
	h := newHandler(t, testOptions(srv, &log))
	emit(h, time.Now(), "x")
	err := h.Flush(t.Context())
	var ue *UndeliveredError
	if !errors.As(err, &ue) || ue.Events != 1 {
		t.Fatalf("Flush = %v", err)
	}
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "UnrecognizedClientException" {
		t.Errorf("cause = %v", err)
	}
	s := h.Stats()
	if s.Dropped.Undeliverable != 1 || s.FailedCalls != maxHardAttempts {
		t.Errorf("stats %+v", s)
	}
	if strings.Contains(log.String(), testSecret) || strings.Contains(err.Error(), testSecret) {
		t.Error("the secret key appears in an error")
	}
	if n := strings.Count(log.String(), "UnrecognizedClientException"); n < maxHardAttempts {
		t.Errorf("reported %d times:\n%s", n, &log)
	}
}

func TestInvalidEventIsolated(t *testing.T) {
	srv := newServerWithStream(t)
	// The service refuses any request holding the poisoned event.
	srv.FailWhen(func(op string, body []byte) (cwlocal.Fault, bool) {
		if op == "PutLogEvents" && bytes.Contains(body, []byte("POISON")) {
			return cwlocal.ErrorFault(400, cwlocal.CodeInvalidParameter, "bad event"), true
		}
		return cwlocal.Fault{}, false
	})
	var log errLog
	h := newHandler(t, testOptions(srv, &log))
	now := time.Now()
	var want []string
	for i := range 16 {
		if i == 11 {
			emit(h, now, "POISON")
			continue
		}
		m := fmt.Sprint("m", i)
		want = append(want, m)
		emit(h, now, m)
	}
	err := h.Flush(t.Context())
	var ue *UndeliveredError
	if !errors.As(err, &ue) || ue.Events != 1 {
		t.Errorf("Flush = %v", err)
	}
	s := h.Stats()
	if s.Sent != 15 || s.Dropped.Invalid != 1 {
		t.Errorf("sent %d, invalid %d\n%s", s.Sent, s.Dropped.Invalid, &log)
	}
	if got := messages(srv.Events(testGroup, testStream)); !slices.Equal(got, want) {
		t.Errorf("stored %q", got)
	}
	// Halving 16 events to find one costs 2*log2(16) calls plus the first.
	if got := srv.Requests("PutLogEvents"); got > 9 {
		t.Errorf("%d calls to isolate one event", got)
	}
	checkInvariant(t, s)
}

func TestLimitExceededIsNotThrottling(t *testing.T) {
	srv := newServerWithStream(t)
	srv.FailNext("PutLogEvents", 100, cwlocal.ErrorFault(400, "LimitExceededException", "Resource limit exceeded."))
	var log errLog
	h := newHandler(t, testOptions(srv, &log))
	emit(h, time.Now(), "x")
	_ = h.Flush(t.Context())
	if got := srv.Requests("PutLogEvents"); got != maxHardAttempts {
		t.Errorf("%d calls, want %d (bounded, not retried as throttling)", got, maxHardAttempts)
	}
	if s := h.Stats(); s.Dropped.Undeliverable != 1 {
		t.Errorf("stats %+v", s)
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		err  error
		want errKind
	}{
		{&smithy.GenericAPIError{Code: "ResourceNotFoundException", Message: "The specified log group does not exist."}, kindGroupMissing},
		{&smithy.GenericAPIError{Code: "ResourceNotFoundException", Message: "The specified log stream does not exist."}, kindStreamMissing},
		{&smithy.GenericAPIError{Code: "ThrottlingException"}, kindTransient},
		{&smithy.GenericAPIError{Code: "LimitExceededException"}, kindPermanent},
		{&smithy.GenericAPIError{Code: "InvalidParameterException"}, kindInvalid},
		{&smithy.GenericAPIError{Code: "DataAlreadyAcceptedException"}, kindDone},
		{&smithy.GenericAPIError{Code: "AccessDeniedException"}, kindAuth},
		{errors.New("dial tcp: connection refused"), kindTransient},
	}
	for _, tt := range tests {
		t.Run(tt.err.Error(), func(t *testing.T) {
			if got := classify(tt.err); got != tt.want {
				t.Errorf("classify = %d, want %d", got, tt.want)
			}
		})
	}
}

// unanswered tells a call that may have been stored (no answer came) from
// one that cannot have been, through the real SDK client.
func TestUnanswered(t *testing.T) {
	call := func(t *testing.T, url string) error {
		client := cloudwatchlogs.New(cloudwatchlogs.Options{
			Region:       "us-east-1",
			BaseEndpoint: aws.String(url),
			Credentials:  credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
			Retryer:      aws.NopRetryer{},
		})
		_, err := client.PutLogEvents(context.Background(), &cloudwatchlogs.PutLogEventsInput{
			LogGroupName: aws.String("g"), LogStreamName: aws.String("s"), LogEvents: events(time.Now().UnixMilli(), "m"),
		}, withPutEncoder)
		if err == nil {
			t.Fatal("the call succeeded")
		}
		return err
	}
	serve := func(t *testing.T, h http.HandlerFunc) string {
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		return srv.URL
	}
	t.Run("connection refused", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		url := "http://" + ln.Addr().String()
		ln.Close()
		if err := call(t, url); unanswered(err) {
			t.Errorf("a refused connection counts as unanswered: %v", err)
		}
	})
	t.Run("error answer", func(t *testing.T) {
		url := serve(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/x-amz-json-1.1")
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, `{"__type":"ServiceUnavailableException","message":"busy"}`)
		})
		if err := call(t, url); unanswered(err) {
			t.Errorf("an error answer counts as unanswered: %v", err)
		}
	})
	t.Run("read, then the connection closed", func(t *testing.T) {
		url := serve(t, func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body)
			panic(http.ErrAbortHandler)
		})
		if err := call(t, url); !unanswered(err) {
			t.Errorf("a call read by the server and never answered is not unanswered: %v", err)
		}
	})
	t.Run("success status, body lost", func(t *testing.T) {
		url := serve(t, func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body)
			w.Header().Set("Content-Type", "application/x-amz-json-1.1")
			w.Header().Set("Content-Length", "100")
			w.WriteHeader(http.StatusOK)
			io.WriteString(w, `{"rejected`)
		})
		if err := call(t, url); !unanswered(err) {
			t.Errorf("a 200 whose body was cut counts as answered: %v", err)
		}
	})
}
