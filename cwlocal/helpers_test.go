package cwlocal_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/smithy-go"
	"go.uber.org/goleak"

	"github.com/logdict/logging/cwlocal"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// start runs a server closed at the end of the test.
func start(t *testing.T, opts ...cwlocal.Option) *cwlocal.Server {
	t.Helper()
	srv := cwlocal.New(opts...)
	t.Cleanup(srv.Close)
	return srv
}

// client is the real SDK client pointed at srv, without retries unless
// opts add them, so each call is one request. Its HTTP client is the SDK's
// default one behind [ownBodyClient].
func client(srv *cwlocal.Server, opts ...func(*cloudwatchlogs.Options)) *cloudwatchlogs.Client {
	return cloudwatchlogs.New(cloudwatchlogs.Options{
		Region:           "us-west-2",
		BaseEndpoint:     aws.String(srv.URL()),
		Credentials:      credentials.NewStaticCredentialsProvider("AKIDLOCAL", "secret", ""),
		RetryMaxAttempts: 1,
		HTTPClient:       ownBodyClient{awshttp.NewBuildableClient()},
	}, opts...)
}

// ownBodyClient hands net/http a request body that only net/http uses.
//
// It works around a client-side race between smithy-go and net/http
// (aws/aws-sdk-go-v2#1825, #2737). smithy-go closes the request body as soon
// as Do returns, that is once the response headers are in. But net/http's
// write goroutine may not be done with the body yet: after sending
// Content-Length bytes it reads the body once more to check that it is
// empty. smithy-go's closed body answers that read with io.EOF as an error
// (safeWriteToReadCloser.WriteTo), so net/http takes it as a failed request
// write and closes the connection, while the caller is still reading the
// response body: "deserialization failed, read tcp ...: use of closed
// network connection" with StatusCode 200. The window is the time between
// the last body byte leaving and the server's answer arriving: nothing over
// a real network, but a loopback server answers within it whenever the
// write goroutine is descheduled, as on a loaded CI machine. Responses too
// big to be buffered with their headers (GetLogEvents in
// TestConcurrentPuts) then fail; for small ones the connection is only not
// reused.
//
// Reading the body into memory first (SDK request bodies already are) and
// sending a copy that nothing else closes removes the race without retrying
// anything, so a test still sees exactly the requests it makes.
type ownBodyClient struct{ next aws.HTTPClient }

func (c ownBodyClient) Do(req *http.Request) (*http.Response, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return c.next.Do(req)
	}
	body, err := io.ReadAll(req.Body)
	_ = req.Body.Close()
	if err != nil {
		return nil, err
	}
	out := req.Clone(req.Context())
	out.ContentLength = int64(len(body))
	out.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	out.Body, _ = out.GetBody()
	return c.next.Do(out)
}

// withRetries uses the SDK's standard retryer with n attempts and no backoff
// delay, so retry behaviour is tested without sleeping.
func withRetries(n int) func(*cloudwatchlogs.Options) {
	return func(o *cloudwatchlogs.Options) {
		o.RetryMaxAttempts = 0
		o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) {
			so.MaxAttempts = n
			so.Backoff = noBackoff{}
		})
	}
}

type noBackoff struct{}

func (noBackoff) BackoffDelay(int, error) (time.Duration, error) { return 0, nil }

// fakeClock is a settable clock for WithClock.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) ms(offset time.Duration) int64 { return c.Now().Add(offset).UnixMilli() }

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

// setup creates group g and stream s.
func setup(t *testing.T, cl *cloudwatchlogs.Client, g, s string) {
	t.Helper()
	if _, err := cl.CreateLogGroup(ctx(t), &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(g)}); err != nil {
		t.Fatalf("CreateLogGroup: %v", err)
	}
	if _, err := cl.CreateLogStream(ctx(t), &cloudwatchlogs.CreateLogStreamInput{
		LogGroupName: aws.String(g), LogStreamName: aws.String(s)}); err != nil {
		t.Fatalf("CreateLogStream: %v", err)
	}
}

func put(t *testing.T, cl *cloudwatchlogs.Client, g, s string, evs ...types.InputLogEvent) (*cloudwatchlogs.PutLogEventsOutput, error) {
	t.Helper()
	return cl.PutLogEvents(ctx(t), &cloudwatchlogs.PutLogEventsInput{
		LogGroupName: aws.String(g), LogStreamName: aws.String(s), LogEvents: evs})
}

func ev(ts int64, msg string) types.InputLogEvent {
	return types.InputLogEvent{Timestamp: aws.Int64(ts), Message: aws.String(msg)}
}

// apiCode returns the error code of an SDK API error, or "" for others.
func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// wantAPIError checks that err is the typed SDK error *T with message msg
// ("" skips the message check).
func wantAPIError[T smithy.APIError](t *testing.T, err error, msg string) {
	t.Helper()
	var target T
	if !errors.As(err, &target) {
		t.Fatalf("error = %v (%T), want %T", err, err, target)
	}
	if msg != "" && target.ErrorMessage() != msg {
		t.Fatalf("message = %q, want %q", target.ErrorMessage(), msg)
	}
}
