package main

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"go.uber.org/goleak"

	"github.com/logdict/logging/cwlocal"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestRun(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stderr syncBuffer
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-dir", dir}, &stderr, ready) }()
	var url string
	select {
	case url = <-ready:
	case err := <-done:
		t.Fatalf("run: %v", err)
	}

	cl := cloudwatchlogs.New(cloudwatchlogs.Options{Region: "us-west-2", BaseEndpoint: aws.String(url),
		Credentials: credentials.NewStaticCredentialsProvider("AKID", "secret", "")})
	c, stop := context.WithTimeout(context.Background(), 10*time.Second)
	defer stop()
	if _, err := cl.CreateLogGroup(c, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("g")}); err != nil {
		t.Fatal(err)
	}
	if _, err := cl.CreateLogStream(c, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s")}); err != nil {
		t.Fatal(err)
	}
	_, err := cl.PutLogEvents(c, &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"),
		LogEvents: []types.InputLogEvent{{Timestamp: aws.Int64(time.Now().UnixMilli()), Message: aws.String("hi")}}})
	if err != nil {
		t.Fatal(err)
	}

	cancel() // as SIGINT does
	if err := <-done; err != nil {
		t.Fatalf("run: %v", err)
	}
	log := stderr.String()
	for _, want := range []string{
		"cwlocal listening on http://127.0.0.1:",
		`PutLogEvents group="g" stream="s" events=1 status=200`,
		"cwlocal stopped: 1 batches, 1 events",
	} {
		if !strings.Contains(log, want) {
			t.Errorf("stderr lacks %q:\n%s", want, log)
		}
	}

	// The -dir journal survives the restart.
	srv := cwlocal.New(cwlocal.WithDir(dir))
	defer srv.Close()
	if evs := srv.Events("g", "s"); len(evs) != 1 || evs[0].Message != "hi" {
		t.Errorf("reloaded events = %+v", evs)
	}
}

func TestRunBadFlags(t *testing.T) {
	var stderr syncBuffer
	if err := run(context.Background(), []string{"-nope"}, &stderr, nil); err == nil {
		t.Error("run accepted an unknown flag")
	}
	if err := run(context.Background(), []string{"extra"}, &stderr, nil); err == nil {
		t.Error("run accepted a positional argument")
	}
}

func TestFormatRequest(t *testing.T) {
	got := formatRequest(cwlocal.RequestInfo{Op: "PutLogEvents", Group: "g", Stream: "s", Events: 3,
		Status: 400, Code: "ThrottlingException", Fault: "error(400 ThrottlingException)", Duration: 1500 * time.Microsecond})
	want := `PutLogEvents group="g" stream="s" events=3 status=400 error=ThrottlingException fault=error(400 ThrottlingException) 1.5ms`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if got := formatRequest(cwlocal.RequestInfo{Op: "X"}); got != "X status=dropped 0s" {
		t.Errorf("dropped: %s", got)
	}
}
