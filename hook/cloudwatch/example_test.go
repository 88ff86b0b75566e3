package cloudwatch_test

import (
	"context"
	"fmt"
	"time"

	"github.com/logdict/logging/cwlocal"
	"github.com/logdict/logging/hook/cloudwatch"
	"github.com/sirupsen/logrus"
)

// A plain logrus logger ships to a CloudWatch Logs-compatible server on
// loopback; Close delivers what is queued and Stats accounts for it.
func Example() {
	srv := cwlocal.New()
	defer srv.Close()

	h, err := cloudwatch.New(context.Background(), cloudwatch.Options{
		LogGroup:      "CWOSLogs",
		LogStream:     "logs-local",
		Formatter:     &logrus.TextFormatter{DisableTimestamp: true},
		NoExitHandler: true,
		OnError:       func(error) {}, // the default writes rate-limited lines to stderr
		AWS: cloudwatch.AWS{
			Region:          "us-west-2",
			Endpoint:        srv.URL(),
			AccessKeyID:     "AKIDEXAMPLE",
			SecretAccessKey: "example",
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	log := logrus.New()
	log.SetOutput(discard{})
	log.AddHook(h)
	log.WithField("user", "ada").Info("signed in")
	log.Warn("disk almost full")
	log.Info("") // an empty message is dropped, as watchtower does: counted, not sent

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := h.Close(ctx); err != nil {
		fmt.Println(err)
	}
	for _, e := range srv.Events("CWOSLogs", "logs-local") {
		fmt.Println(e.Message)
	}
	s := h.Stats()
	fmt.Printf("emitted %d, sent %d, dropped %d (empty %d)\n", s.Emitted, s.Sent, s.Dropped.Total(), s.Dropped.Empty)
	// Output:
	// level=info msg="signed in" user=ada
	// level=warning msg="disk almost full"
	// emitted 3, sent 2, dropped 1 (empty 1)
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
