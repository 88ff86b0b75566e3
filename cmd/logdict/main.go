// Command logdict runs the seed's scenario: the Django blog post's LOGGING
// dict, ported to config.example.toml, configured with logdict, a few
// "Student Created" lines logged through logging.Get("watchtower"), and
// the events read back from CloudWatch Logs.
//
// With no AWS account needed: by default it starts the local CloudWatch
// Logs server (package cwlocal) on loopback and ships there.
//
//	go run ./cmd/logdict                      # embedded config, local server
//	go run ./cmd/logdict -config my.toml      # your configuration
//	go run ./cmd/logdict -target http://127.0.0.1:4566   # a running cwlocal, LocalStack...
//	go run ./cmd/logdict -target aws          # real CloudWatch Logs (SDK credential chain)
//
// With -target auto (the default), an endpoint in AWS_ENDPOINT_URL_CLOUDWATCH_LOGS
// or AWS_ENDPOINT_URL is used, else real AWS when AWS_ACCESS_KEY_ID or
// AWS_PROFILE is set, else the local server.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"

	logging "github.com/logdict/logging"
	"github.com/logdict/logging/cwlocal"
	"github.com/logdict/logging/hook/cloudwatch"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "logdict:", err)
		os.Exit(1)
	}
}

var students = []struct {
	name string
	pk   int
}{{"Arya Stark", 4}, {"Jon Snow", 5}, {"Sansa Stark", 6}}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("logdict", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("config", "", "dictConfig file (TOML, YAML or JSON); default: the embedded config.example.toml")
	target := fs.String("target", "auto", `where to ship: "local" (embedded server), "aws", an endpoint URL, or "auto"`)
	group := fs.String("group", "CWOSLogs", "log group to read back")
	timeout := fs.Duration("timeout", 15*time.Second, "how long shutdown may take to deliver")
	if err := fs.Parse(args); err != nil {
		return err
	}

	where, endpoint, srv, err := chooseTarget(*target)
	if err != nil {
		return err
	}
	if srv != nil {
		defer srv.Close()
	}
	fmt.Fprintf(stdout, "target: %s\n", where)
	if endpoint != "" {
		// The handler's SDK config picks the endpoint up from here, as any
		// aws-sdk-go-v2 client would.
		os.Setenv("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", endpoint)
	}
	if srv != nil {
		setDefault("AWS_ACCESS_KEY_ID", "AKIDLOCALDEMO")
		setDefault("AWS_SECRET_ACCESS_KEY", "local-demo-secret")
	}
	setDefault("AWS_REGION", "us-west-2")

	if *cfgPath != "" {
		err = logging.Configure(*cfgPath)
	} else {
		err = logging.ConfigureBytes(logging.SeedConfig(), "toml")
	}
	if err != nil {
		return err
	}

	fmt.Fprintln(stdout, "--- logged (console handler):")
	log := logging.Get("watchtower")
	start := time.Now()
	for _, s := range students {
		log.Infof("Student Created: %s (PK: %d)", s.name, s.pk)
	}
	log.Debug("below the logger's INFO level: not shipped")

	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	if err := logging.Shutdown(ctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if cw, ok := logging.Handler("watchtower").(*cloudwatch.Handler); ok {
		st := cw.Stats()
		fmt.Fprintf(stdout, "--- watchtower handler: %d logged, %d sent in %d batches, %d dropped, %d rejected, %d retries\n",
			st.Emitted, st.Sent, st.Batches, st.Dropped.Total(), st.Rejected.Total(), st.Retries)
	}

	fmt.Fprintf(stdout, "--- arrived in CloudWatch Logs group %s:\n", *group)
	n, err := readBack(ctx, endpoint, *group, start)
	if err != nil {
		return err
	}
	for _, line := range n {
		fmt.Fprintln(stdout, line)
	}
	if len(n) == 0 {
		return errors.New("no events arrived")
	}
	return nil
}

func setDefault(k, v string) {
	if os.Getenv(k) == "" {
		os.Setenv(k, v)
	}
}

// chooseTarget returns a description, the endpoint to use ("" for real
// AWS) and the local server when one was started.
func chooseTarget(t string) (string, string, *cwlocal.Server, error) {
	if t == "auto" {
		switch {
		case os.Getenv("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS") != "":
			t = os.Getenv("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS")
		case os.Getenv("AWS_ENDPOINT_URL") != "":
			t = os.Getenv("AWS_ENDPOINT_URL")
		case os.Getenv("AWS_ACCESS_KEY_ID") != "" || os.Getenv("AWS_PROFILE") != "":
			t = "aws"
		default:
			t = "local"
		}
	}
	switch t {
	case "local":
		srv, err := cwlocal.Start()
		if err != nil {
			return "", "", nil, err
		}
		return "embedded local CloudWatch Logs server at " + srv.URL() + " (no AWS account needed)", srv.URL(), srv, nil
	case "aws":
		return "AWS CloudWatch Logs (credentials from the SDK's default chain)", "", nil, nil
	}
	return "CloudWatch Logs endpoint " + t, t, nil, nil
}

// readBack lists every stream of group and prints the events since start,
// through the same SDK the handler uses.
func readBack(ctx context.Context, endpoint, group string, start time.Time) ([]string, error) {
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, err
	}
	client := cloudwatchlogs.NewFromConfig(cfg, func(o *cloudwatchlogs.Options) {
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
		}
	})
	var lines []string
	p := cloudwatchlogs.NewFilterLogEventsPaginator(client, &cloudwatchlogs.FilterLogEventsInput{
		LogGroupName: aws.String(group),
		StartTime:    aws.Int64(start.Add(-time.Second).UnixMilli()),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("reading back %s: %w", group, err)
		}
		for _, e := range page.Events {
			lines = append(lines, fmt.Sprintf("[%s] %s", aws.ToString(e.LogStreamName), aws.ToString(e.Message)))
		}
	}
	return lines, nil
}
