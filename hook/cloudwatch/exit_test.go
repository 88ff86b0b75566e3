package cloudwatch

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/logdict/logging/cwlocal"
	"github.com/sirupsen/logrus"
)

// TestFatalFlushes runs a child process that logs through the handler and
// calls logrus's Fatal: the exit handler New registered must deliver the
// queued events before the process exits.
func TestFatalFlushes(t *testing.T) {
	if url := os.Getenv("CW_FATAL_CHILD"); url != "" {
		fatalChild(url)
		return
	}
	srv := newServerWithStream(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestFatalFlushes$")
	cmd.Env = append(os.Environ(), "CW_FATAL_CHILD="+srv.URL())
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 {
		t.Fatalf("child: %v\n%s", err, out)
	}
	got := messages(srv.Events(testGroup, testStream))
	if len(got) != 3 || got[2] != "fatal: bye" {
		t.Errorf("stored %q\nchild output:\n%s", got, out)
	}
}

func fatalChild(url string) {
	h, err := New(context.Background(), Options{
		LogGroup: testGroup, LogStream: testStream, SendInterval: time.Hour,
		AWS: AWS{Region: "us-west-2", Endpoint: url, AccessKeyID: testKey, SecretAccessKey: testSecret},
	})
	if err != nil {
		fmt.Println(err)
		os.Exit(2)
	}
	l := logrus.New()
	l.SetFormatter(&logrus.TextFormatter{DisableTimestamp: true})
	l.AddHook(h)
	l.Info("one")
	l.Info("two")
	l.Fatal("fatal: bye")
}

// TestAccountingUnderLoad logs from many goroutines into a small queue
// against a slow, flaky server, then closes with a deadline that cannot
// be met: every event must still be in exactly one counter.
func TestAccountingUnderLoad(t *testing.T) {
	srv := newServerWithStream(t, cwlocal.WithDiscard())
	srv.SetLatency(2 * time.Millisecond)
	srv.FailNext("PutLogEvents", 5, cwlocal.Throttle)
	srv.FailNext("PutLogEvents", 3, cwlocal.ConnReset)
	var log errLog
	o := testOptions(srv, &log)
	o.MaxQueueEvents = 500
	o.MaxBatchEvents = 50
	o.SendInterval = 5 * time.Millisecond
	o.Overflow = DropOldest
	h, err := New(t.Context(), o)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 2000 {
				msg := fmt.Sprint(g, "-", i)
				if i%97 == 0 {
					msg = ""
				}
				emit(h, time.Now(), msg)
			}
		})
	}
	wg.Wait()
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
	defer cancel()
	_ = h.Close(ctx)
	s := h.Stats()
	if s.Emitted != 16000 || s.QueueLen != 0 || s.Dropped.Empty != 8*21 {
		t.Errorf("stats %+v", s)
	}
	checkInvariant(t, s)
	// Sent is a floor: a call cut short by Close's deadline may still have
	// been stored, and its events are counted undeliverable.
	if got := srv.Stats().Events; got < s.Sent || got > s.Sent+s.Dropped.Undeliverable {
		t.Errorf("server stored %d, handler counted %d sent, %d undeliverable", got, s.Sent, s.Dropped.Undeliverable)
	}
}
