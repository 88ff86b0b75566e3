package cwlocal_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"github.com/logdict/logging/cwlocal"
)

// rawCall posts body to srv with the given target, as an unsigned client.
func rawCall(t *testing.T, srv *cwlocal.Server, target, body string) (*http.Response, map[string]any) {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx(t), http.MethodPost, srv.URL()+"/", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", target)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var m map[string]any
	if len(data) > 0 {
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatalf("body %q: %v", data, err)
		}
	}
	return resp, m
}

func TestWireShape(t *testing.T) {
	srv := start(t)
	defer http.DefaultClient.CloseIdleConnections()
	tests := []struct {
		name, target, body string
		status             int
		code               string
	}{
		{"ok without signature", "Logs_20140328.CreateLogGroup", `{"logGroupName":"g"}`, 200, ""},
		{"client error", "Logs_20140328.CreateLogGroup", `{"logGroupName":"g"}`, 400, "ResourceAlreadyExistsException"},
		{"unknown operation", "Logs_20140328.StartQuery", `{}`, 400, "UnknownOperationException"},
		{"wrong prefix", "Logs_20990101.CreateLogGroup", `{}`, 400, "UnknownOperationException"},
		{"malformed json", "Logs_20140328.CreateLogGroup", `{"logGroupName":`, 400, "SerializationException"},
		{"wrong type", "Logs_20140328.DescribeLogGroups", `{"limit":"ten"}`, 400, "SerializationException"},
		{"missing member", "Logs_20140328.CreateLogStream", `{"logGroupName":"g"}`, 400, "InvalidParameterException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := rawCall(t, srv, tt.target, tt.body)
			if resp.StatusCode != tt.status {
				t.Errorf("status = %d, want %d", resp.StatusCode, tt.status)
			}
			if resp.Header.Get("x-amzn-RequestId") == "" {
				t.Error("no x-amzn-RequestId")
			}
			if tt.code == "" {
				return
			}
			if got := resp.Header.Get("x-amzn-ErrorType"); got != tt.code {
				t.Errorf("x-amzn-ErrorType = %q, want %q", got, tt.code)
			}
			if body["__type"] != tt.code || body["message"] == "" {
				t.Errorf("body = %v, want __type %q and a message", body, tt.code)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/x-amz-json-1.1" {
				t.Errorf("Content-Type = %q", ct)
			}
		})
	}
	if n := srv.Requests("CreateLogGroup"); n != 3 {
		t.Errorf("Requests(CreateLogGroup) = %d, want 3 (failed calls count)", n)
	}
	if n := srv.Requests("Logs_20990101.CreateLogGroup"); n != 1 {
		t.Errorf("Requests(raw unknown target) = %d, want 1", n)
	}
}

func TestAccessKeyID(t *testing.T) {
	srv := start(t, cwlocal.WithAccessKeyID("AKIDLOCAL"))
	good := client(srv)
	bad := client(srv, func(o *cloudwatchlogs.Options) {
		o.Credentials = credentials.NewStaticCredentialsProvider("AKIDWRONG", "secret", "")
	})
	if _, err := good.DescribeLogGroups(ctx(t), &cloudwatchlogs.DescribeLogGroupsInput{}); err != nil {
		t.Fatalf("right key: %v", err)
	}
	_, err := bad.DescribeLogGroups(ctx(t), &cloudwatchlogs.DescribeLogGroupsInput{})
	wantAPIError[*types.UnrecognizedClientException](t, err, "The security token included in the request is invalid.")

	srv.SetAccessKeyID("ROTATED")
	_, err = good.DescribeLogGroups(ctx(t), &cloudwatchlogs.DescribeLogGroupsInput{})
	wantAPIError[*types.UnrecognizedClientException](t, err, "")

	resp, _ := rawCall(t, srv, "Logs_20140328.DescribeLogGroups", `{}`)
	http.DefaultClient.CloseIdleConnections()
	if resp.Header.Get("x-amzn-ErrorType") != "UnrecognizedClientException" {
		t.Errorf("unsigned request: %s", resp.Header.Get("x-amzn-ErrorType"))
	}
}

func TestHookAndRequestLog(t *testing.T) {
	var mu sync.Mutex
	var ops []string
	rec := newLogRecorder()
	srv := start(t, cwlocal.WithHook(func(op string, body []byte) {
		mu.Lock()
		defer mu.Unlock()
		ops = append(ops, op+" "+string(body))
	}), cwlocal.WithRequestLog(rec.log))
	cl := client(srv)
	setup(t, cl, "g", "s")
	if _, err := put(t, cl, "g", "s", ev(time.Now().UnixMilli(), "a"), ev(time.Now().UnixMilli(), "b")); err != nil {
		t.Fatal(err)
	}
	srv.FailNext("PutLogEvents", 1, cwlocal.Throttle)
	_, _ = put(t, cl, "g", "s", ev(time.Now().UnixMilli(), "c"))

	mu.Lock()
	if len(ops) != 4 || !strings.HasPrefix(ops[2], `PutLogEvents {"logEvents":[`) {
		t.Errorf("hook saw %q", ops)
	}
	mu.Unlock()
	for range 4 {
		<-rec.each
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	want := []cwlocal.RequestInfo{
		{Op: "CreateLogGroup", Group: "g", Status: 200},
		{Op: "CreateLogStream", Group: "g", Stream: "s", Status: 200},
		{Op: "PutLogEvents", Group: "g", Stream: "s", Events: 2, Status: 200},
		{Op: "PutLogEvents", Group: "g", Stream: "s", Events: 1, Status: 400, Code: "ThrottlingException", Fault: "error(400 ThrottlingException)"},
	}
	for i, w := range want {
		got := rec.got[i]
		got.Duration = 0
		if got != w {
			t.Errorf("log %d = %+v, want %+v", i, got, w)
		}
	}
}

func TestDiscardMode(t *testing.T) {
	srv := start(t, cwlocal.WithDiscard())
	cl := client(srv)
	setup(t, cl, "g", "s")
	now := time.Now().UnixMilli()
	for range 3 {
		evs := make([]types.InputLogEvent, 1000)
		for i := range evs {
			evs[i] = ev(now, "0123456789")
		}
		if _, err := put(t, cl, "g", "s", evs...); err != nil {
			t.Fatal(err)
		}
	}
	_, err := put(t, cl, "g", "s", ev(now, "b"), ev(now-1, "a"))
	wantAPIError[*types.InvalidParameterException](t, err, "") // still validates

	if st := srv.Stats(); st != (cwlocal.Stats{Batches: 3, Events: 3000, Bytes: 30000}) {
		t.Errorf("Stats = %+v", st)
	}
	if n := len(srv.Events("g", "s")); n != 0 {
		t.Errorf("discard mode kept %d events", n)
	}
	out, _ := cl.DescribeLogStreams(ctx(t), &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String("g")})
	if aws.ToInt64(out.LogStreams[0].LastEventTimestamp) != now {
		t.Error("discard mode did not update stream metadata")
	}
}

func TestPersistence(t *testing.T) {
	dir := t.TempDir()
	srv := cwlocal.New(cwlocal.WithDir(dir))
	cl := client(srv)
	now := time.Now().UnixMilli()
	setup(t, cl, "/app/web", "host/1")
	setup(t, cl, "gone", "s")
	if _, err := put(t, cl, "/app/web", "host/1", ev(now, "first"), ev(now+1, `with "quotes" <and> newline
`)); err != nil {
		t.Fatal(err)
	}
	if _, err := cl.PutRetentionPolicy(ctx(t), &cloudwatchlogs.PutRetentionPolicyInput{
		LogGroupName: aws.String("/app/web"), RetentionInDays: aws.Int32(30)}); err != nil {
		t.Fatal(err)
	}
	srv.DeleteGroup("gone")
	srv.CreateStream("gone", "again") // re-created: must not bring back old streams
	srv.Close()

	srv2 := start(t, cwlocal.WithDir(dir))
	if got := fmt.Sprint(srv2.Groups()); got != "[/app/web gone]" {
		t.Errorf("Groups = %s", got)
	}
	if got := fmt.Sprint(srv2.Streams("gone")); got != "[again]" {
		t.Errorf("Streams(gone) = %s", got)
	}
	evs := srv2.Events("/app/web", "host/1")
	if len(evs) != 2 || evs[1].Message != "with \"quotes\" <and> newline\n" || evs[0].Timestamp != now {
		t.Errorf("Events = %+v", evs)
	}
	out, err := client(srv2).DescribeLogGroups(ctx(t), &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("/app")})
	if err != nil || aws.ToInt32(out.LogGroups[0].RetentionInDays) != 30 {
		t.Errorf("retention not restored: %v", err)
	}
	if st := srv2.Stats(); st != (cwlocal.Stats{}) {
		t.Errorf("Stats after reload = %+v, want zero (this run only)", st)
	}
}

func TestConcurrentPuts(t *testing.T) {
	srv := start(t)
	cl := client(srv)
	setup(t, cl, "g", "s")
	const writers, calls, per = 8, 10, 20
	var wg sync.WaitGroup
	errs := make(chan error, writers*calls)
	for w := range writers {
		wg.Go(func() {
			for c := range calls {
				evs := make([]types.InputLogEvent, per)
				for i := range evs {
					evs[i] = ev(time.Now().UnixMilli(), fmt.Sprintf("w%d c%d e%d", w, c, i))
				}
				if _, err := put(t, cl, "g", "s", evs...); err != nil {
					errs <- err
				}
			}
		})
	}
	// Readers run alongside the writers.
	wg.Go(func() {
		for range 20 {
			if _, err := cl.GetLogEvents(ctx(t), &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s")}); err != nil {
				errs <- err
			}
			_ = srv.Events("g", "s")
		}
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := len(srv.Events("g", "s")); n != writers*calls*per {
		t.Errorf("stored %d events, want %d", n, writers*calls*per)
	}
	if n := srv.Requests("PutLogEvents"); n != writers*calls {
		t.Errorf("Requests = %d, want %d", n, writers*calls)
	}
}
