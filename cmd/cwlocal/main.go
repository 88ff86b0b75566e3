// Command cwlocal runs a local CloudWatch Logs-compatible server, for demos
// and for the AWS CLI:
//
//	go run ./cmd/cwlocal -addr 127.0.0.1:4566 -dir ./data
//	aws logs describe-log-groups --endpoint-url http://127.0.0.1:4566
//
// It logs one line per request to stderr (operation, group, stream, event
// count, status) and stops cleanly on SIGINT or SIGTERM. See package
// github.com/logdict/logging/cwlocal for what the server implements.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"syscall"

	"github.com/logdict/logging/cwlocal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stderr, nil)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "cwlocal:", err)
		os.Exit(2)
	}
}

// run serves until ctx is done. ready, if not nil, receives the server URL
// once it listens (tests use it).
func run(ctx context.Context, args []string, stderr io.Writer, ready chan<- string) error {
	fs := flag.NewFlagSet("cwlocal", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:4566", "TCP `address` to listen on")
	dir := fs.String("dir", "", "`folder` to persist groups, streams and events in (default: memory only)")
	discard := fs.Bool("discard", false, "benchmark mode: validate and count events without storing them")
	akid := fs.String("access-key-id", "", "reject requests signed with any other access key `ID` (UnrecognizedClientException)")
	quiet := fs.Bool("quiet", false, "do not log requests")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %q", fs.Args())
	}

	logger := log.New(stderr, "", log.LstdFlags|log.Lmicroseconds)
	opts := []cwlocal.Option{cwlocal.WithAddr(*addr), cwlocal.WithDir(*dir), cwlocal.WithAccessKeyID(*akid)}
	if *discard {
		opts = append(opts, cwlocal.WithDiscard())
	}
	if !*quiet {
		opts = append(opts, cwlocal.WithRequestLog(func(ri cwlocal.RequestInfo) { logger.Print(formatRequest(ri)) }))
	}
	srv, err := cwlocal.Start(opts...)
	if err != nil {
		return err
	}
	logger.Printf("cwlocal listening on %s", srv.URL())
	if ready != nil {
		ready <- srv.URL()
	}
	<-ctx.Done()
	logger.Print("cwlocal shutting down")
	srv.Close()
	st := srv.Stats()
	logger.Printf("cwlocal stopped: %d batches, %d events, %d bytes accepted, %d events rejected",
		st.Batches, st.Events, st.Bytes, st.Rejected)
	return nil
}

// formatRequest renders one access-log line, e.g.
// "PutLogEvents group=app stream=web-1 events=3 status=200 1.2ms".
func formatRequest(ri cwlocal.RequestInfo) string {
	line := ri.Op
	if ri.Group != "" {
		line += fmt.Sprintf(" group=%q", ri.Group)
	}
	if ri.Stream != "" {
		line += fmt.Sprintf(" stream=%q", ri.Stream)
	}
	if ri.Events > 0 {
		line += fmt.Sprintf(" events=%d", ri.Events)
	}
	status := fmt.Sprint(ri.Status)
	if ri.Status == 0 {
		status = "dropped"
	}
	line += " status=" + status
	if ri.Code != "" {
		line += " error=" + ri.Code
	}
	if ri.Fault != "" {
		line += " fault=" + ri.Fault
	}
	return line + " " + ri.Duration.Round(10_000).String()
}
