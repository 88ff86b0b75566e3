package logging

import (
	"context"
	"fmt"
	"regexp"
	"runtime"
	"testing"
	"time"

	"github.com/logdict/logging/cwlocal"
)

// The seed's scenario end to end: config.example.toml, the watchtower
// logger, and the line arriving in CloudWatch Logs group CWOSLogs, stream
// logs-<ENV>, with the exact formatted text — through the real AWS SDK
// client, over loopback HTTP, to the local server.
func TestSeedScenarioReachesCloudWatch(t *testing.T) {
	srv := cwlocal.New()
	defer srv.Close()
	t.Setenv("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", srv.URL())
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDLOCAL")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "local-secret")
	t.Setenv("AWS_REGION", "us-west-2")
	t.Setenv("ENV", "test")

	r, out := newReg(t)
	if err := r.Configure("config.example.toml"); err != nil {
		t.Fatal(err)
	}
	_, file, line, _ := runtime.Caller(0)
	r.Get("watchtower").Info("Student Created: Arya Stark (PK: 4)")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := r.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}

	want := regexp.MustCompile(fmt.Sprintf(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \[INFO    \] Student Created: Arya Stark \(PK: 4\) \[%s:%d\]$`,
		regexp.QuoteMeta(file), line+1))
	events := srv.Events("CWOSLogs", "logs-test")
	if len(events) != 1 || !want.MatchString(events[0].Message) {
		t.Fatalf("CloudWatch got %+v\nwant one event matching %s", events, want)
	}
	// The console handler printed the same line.
	if got := out.String(); got != events[0].Message+"\n" {
		t.Fatalf("console got %q, want %q", got, events[0].Message+"\n")
	}
	if ts := time.UnixMilli(events[0].Timestamp); time.Since(ts) > time.Minute || time.Until(ts) > time.Second {
		t.Fatalf("event timestamp %v is not the time of the call", ts)
	}
}

func TestSeedConfigIsTheExampleFile(t *testing.T) {
	b, err := readFileString("config.example.toml")
	if err != nil || string(SeedConfig()) != b {
		t.Fatal("SeedConfig must return config.example.toml")
	}
	r, _ := newReg(t)
	t.Setenv("AWS_REGION", "us-west-2")
	if err := r.ConfigureBytes(SeedConfig(), "toml"); err != nil {
		t.Fatal(err)
	}
}
