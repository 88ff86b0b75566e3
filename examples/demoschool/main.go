// Command demoschool is the seed's demo app in Go: a small HTTP API that
// creates and lists students and, like the Django view in the blog post,
// logs "Student Created: <name> (PK: <pk>)" through the watchtower logger,
// which the seed's configuration ships to CloudWatch Logs.
//
//	go run ./examples/demoschool -addr 127.0.0.1:8000            # embedded config.example.toml
//	curl -X POST -d '{"name":"Arya Stark"}' http://127.0.0.1:8000/students/
//	curl http://127.0.0.1:8000/students/
//
// Point it at a local server with AWS_ENDPOINT_URL_CLOUDWATCH_LOGS (for
// example `go run ./cmd/cwlocal -addr 127.0.0.1:4566`), or at AWS.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	logging "github.com/logdict/logging"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8000", "listen address")
	cfg := flag.String("config", "", "dictConfig file; default: the embedded config.example.toml")
	flag.Parse()
	if err := run(*addr, *cfg); err != nil {
		fmt.Fprintln(os.Stderr, "demoschool:", err)
		os.Exit(1)
	}
}

func run(addr, cfg string) error {
	var err error
	if cfg != "" {
		err = logging.Configure(cfg)
	} else {
		err = logging.ConfigureBytes(logging.SeedConfig(), "toml")
	}
	if err != nil {
		return err
	}
	srv := &http.Server{Addr: addr, Handler: newSchool().routes(), ReadHeaderTimeout: 5 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	fmt.Fprintf(os.Stderr, "demoschool listening on http://%s/students/\n", addr)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	// Deliver what the watchtower handler still holds before exiting.
	flush, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return logging.Shutdown(flush)
}
