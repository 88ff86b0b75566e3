// Command cwbench is the CloudWatch load test: it logs N events from G
// goroutines through a logdict registry to a CloudWatch handler aimed at a
// local server (cwlocal in discard mode, or with -sink null a server that
// only reads, counts and answers {}) and reports throughput, CPU per
// event, peak memory, batch fill and the exact accounting of every event.
//
//	go run ./cmd/cwbench -n 200000 -g 4                  # the seed's line, caller fields on
//	go run ./cmd/cwbench -mode ceiling -n 200000         # the SDK alone: the limit
//	go run ./cmd/cwbench -outage -n 1000000 -queue-bytes 16777216
//
// Modes:
//   - handler: logger.Info through the registry, the seed's %-format, the
//     watchtower handler with its default queue; the clock stops when
//     Flush returns, so events/s counts delivered events.
//   - ceiling: pre-built full batches of the same line sent straight through
//     the aws-sdk-go-v2 client by -senders goroutines: what the handler can
//     approach at best.
//   - outage (-outage): the server hangs every request; each log call is
//     timed (p50/p99/max) and the resident set sampled while the queue
//     overflows under the drop policy; Close then gives up on what is held.
//
// The server runs in a child process (this binary again) unless -inproc or
// -server is given, so the CPU figures are the logging side's alone
// (getrusage of this process); the child's CPU is reported beside them.
// -sink null makes that server a null sink, which reads each request,
// counts PutLogEvents' events and answers {}: the condition of figures
// "measured against a local null sink", where cwlocal's decoding and
// validation no longer share the cores with the logging side.
// The last line of the report is the accounting:
//
//	logged = delivered + dropped + rejected
//
// which must hold exactly; cwbench exits with status 1 when it does not.
// -json prints one machine-readable line instead of the report.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"runtime/trace"
	"time"
)

func main() {
	if os.Getenv(serveEnv) != "" {
		serveChild()
	}
	err := run(os.Args[1:], os.Stdout, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "cwbench:", err)
		os.Exit(1)
	}
}

// config is the command line.
type config struct {
	n, g        int
	mode        string
	caller      bool
	format      string
	queueBytes  int64
	queueEvents int
	overflow    string
	senders     int
	outage      bool
	server      string
	sink        string
	inproc      bool
	json        bool
	warmup      int
	cpuprofile  string
	trace       string
}

func parse(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("cwbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&c.n, "n", 200_000, "events to log")
	fs.IntVar(&c.g, "g", 4, "logging goroutines (ceiling: ignored, see -senders)")
	fs.StringVar(&c.mode, "mode", "handler", "handler or ceiling")
	fs.BoolVar(&c.caller, "caller", true, "the seed format's caller fields ([%(pathname)s:%(lineno)d])")
	fs.StringVar(&c.format, "format", "seed", `"seed", or a Python %-format`)
	fs.Int64Var(&c.queueBytes, "queue-bytes", 64<<20, "the handler's max_queue_bytes")
	fs.IntVar(&c.queueEvents, "queue-events", 100_000, "the handler's max_queue_events")
	fs.StringVar(&c.overflow, "overflow", "", "overflow policy (default: block; with -outage drop_oldest)")
	fs.IntVar(&c.senders, "senders", 2, "concurrent PutLogEvents calls (handler's senders, or ceiling senders)")
	fs.BoolVar(&c.outage, "outage", false, "the server hangs: measure log call latency and memory under the drop policy")
	fs.StringVar(&c.server, "server", "", "`URL` of a running server (go run ./cmd/cwlocal -discard -quiet) instead of a child")
	fs.StringVar(&c.sink, "sink", sinkCWLocal, `the server cwbench starts: "cwlocal" (discard mode: decodes and validates every request) or "null" (reads the body, counts, answers {})`)
	fs.BoolVar(&c.inproc, "inproc", false, "run the server in this process (its CPU then counts as the logging side's)")
	fs.BoolVar(&c.json, "json", false, "print one JSON line instead of the report")
	fs.IntVar(&c.warmup, "warmup", 2000, "events logged and flushed before measuring")
	fs.StringVar(&c.cpuprofile, "cpuprofile", "", "write a CPU profile of the measured part to `file`")
	fs.StringVar(&c.trace, "trace", "", "write a runtime execution trace of the measured part to `file` (go tool trace)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	switch {
	case fs.NArg() > 0:
		return c, fmt.Errorf("unexpected arguments %q", fs.Args())
	case c.n < 1 || c.g < 1 || c.senders < 1 || c.senders > 64:
		return c, errors.New("-n and -g must be positive, -senders 1..64")
	case c.mode != "handler" && c.mode != "ceiling":
		return c, fmt.Errorf("-mode %q: want handler or ceiling", c.mode)
	case c.outage && c.mode != "handler":
		return c, errors.New("-outage measures the handler: use -mode handler")
	case c.sink != sinkCWLocal && c.sink != sinkNull:
		return c, fmt.Errorf("-sink %q: want cwlocal or null", c.sink)
	case c.sink == sinkNull && c.server != "":
		return c, errors.New("-sink null is a server cwbench starts: not with -server")
	}
	if c.overflow == "" {
		c.overflow = "block"
		if c.outage {
			c.overflow = "drop_oldest"
		}
	}
	return c, nil
}

// report is one run's figures; the JSON names are the -json line's.
type report struct {
	Mode       string `json:"mode"`
	N          int    `json:"n"`
	Goroutines int    `json:"goroutines"`
	Senders    int    `json:"senders"`
	Caller     bool   `json:"caller"`
	Format     string `json:"format"`
	Overflow   string `json:"overflow,omitempty"`
	QueueBytes int64  `json:"queue_bytes,omitempty"`
	Server     string `json:"server"` // child/SINK, inproc/SINK or external
	Sink       string `json:"sink"`   // cwlocal or null; external with -server

	Wall          float64 `json:"wall_s"`         // first call to delivery of the last event
	LogWall       float64 `json:"log_wall_s"`     // first call to the return of the last
	EventsPerSec  float64 `json:"events_per_sec"` // delivered (or logged, in an outage) per second of Wall
	CallsPerSec   float64 `json:"calls_per_sec"`  // log calls per second of LogWall
	CPU           float64 `json:"cpu_s"`          // this process, user + system
	CPUPerMillion float64 `json:"cpu_s_per_million"`
	ServerCPU     float64 `json:"server_cpu_s"`    // the child's, when it runs one
	PeakRSS       int64   `json:"peak_rss"`        // bytes (VmHWM)
	MaxRSS        int64   `json:"max_rss_sampled"` // outage: largest VmRSS sample while logging
	RSSBound      int64   `json:"rss_bound,omitempty"`

	Batches        int64   `json:"batches"`
	EventsPerBatch float64 `json:"events_per_batch"`
	BytesPerBatch  float64 `json:"bytes_per_batch"`                // as CloudWatch counts them (+26 per event); -1 unknown
	BodyPerBatch   float64 `json:"body_bytes_per_batch,omitempty"` // request body bytes (null sink)

	Logged    int64 `json:"logged"`
	Delivered int64 `json:"delivered"`
	Dropped   int64 `json:"dropped"`
	Rejected  int64 `json:"rejected"`
	ServerSaw int64 `json:"server_events"` // -1 unknown
	Exact     bool  `json:"exact"`

	P50  float64 `json:"call_p50_us,omitempty"`
	P90  float64 `json:"call_p90_us,omitempty"`
	P99  float64 `json:"call_p99_us,omitempty"`
	P999 float64 `json:"call_p999_us,omitempty"`
	Max  float64 `json:"call_max_us,omitempty"`
}

func run(args []string, stdout, stderr io.Writer) error {
	c, err := parse(args, stderr)
	if err != nil {
		return err
	}
	var srv *server
	where, sink := "child/"+c.sink, c.sink
	switch {
	case c.server != "":
		srv, where, sink = external(c.server), "external", "external"
	case c.inproc:
		where = "inproc/" + c.sink
		if srv, err = startInProcess(c.sink, c.outage); err != nil {
			return err
		}
	default:
		if srv, err = startChild(c.sink, c.outage); err != nil {
			return err
		}
	}
	var r report
	if c.mode == "ceiling" {
		r, err = runCeiling(c, srv)
	} else {
		r, err = runHandler(c, srv)
	}
	if err != nil {
		return err
	}
	r.Server, r.Sink = where, sink
	if c.json {
		b, _ := json.Marshal(r)
		fmt.Fprintf(stdout, "%s\n", b)
	} else {
		printReport(stdout, &r)
	}
	if !r.Exact {
		return fmt.Errorf("accounting is not exact: logged %d != delivered %d + dropped %d + rejected %d (server saw %d)",
			r.Logged, r.Delivered, r.Dropped, r.Rejected, r.ServerSaw)
	}
	return nil
}

func printReport(w io.Writer, r *report) {
	mb := func(b int64) string { return fmt.Sprintf("%.1f MB", float64(b)/(1<<20)) }
	fmt.Fprintf(w, "cwbench %s: %d events, %d goroutines, %d senders, caller=%v, server=%s\n",
		r.Mode, r.N, r.Goroutines, r.Senders, r.Caller, r.Server)
	fmt.Fprintf(w, "  format       %s\n", r.Format)
	if r.Overflow != "" {
		fmt.Fprintf(w, "  queue        %s, overflow %s\n", mb(r.QueueBytes), r.Overflow)
	}
	fmt.Fprintf(w, "  throughput   %.0f events/s delivered (%.3f s); %.0f calls/s logging (%.3f s)\n",
		r.EventsPerSec, r.Wall, r.CallsPerSec, r.LogWall)
	fmt.Fprintf(w, "  cpu          %.2f s per million events (%.2f µs/event; %.3f s total); server %.3f s\n",
		r.CPUPerMillion, r.CPUPerMillion, r.CPU, r.ServerCPU)
	fmt.Fprintf(w, "  memory       peak RSS %s", mb(r.PeakRSS))
	if r.MaxRSS > 0 {
		fmt.Fprintf(w, "; largest sample %s (bound %s)", mb(r.MaxRSS), mb(r.RSSBound))
	}
	fmt.Fprintln(w)
	bpb := "unknown"
	switch {
	case r.BytesPerBatch >= 0:
		bpb = fmt.Sprintf("%.0f bytes (%.1f%% of 1 MiB)", r.BytesPerBatch, 100*r.BytesPerBatch/(1<<20))
	case r.BodyPerBatch > 0:
		bpb = fmt.Sprintf("%.0f request body bytes", r.BodyPerBatch)
	}
	fmt.Fprintf(w, "  batches      %d PutLogEvents, %.0f events and %s each\n", r.Batches, r.EventsPerBatch, bpb)
	if r.P50 > 0 || r.Max > 0 {
		fmt.Fprintf(w, "  call latency p50 %.2f µs, p90 %.2f, p99 %.2f, p99.9 %.2f, max %.0f µs\n", r.P50, r.P90, r.P99, r.P999, r.Max)
	}
	saw := ""
	if r.ServerSaw >= 0 {
		saw = fmt.Sprintf("; server stored %d", r.ServerSaw)
		if r.Sink == sinkNull {
			saw = fmt.Sprintf("; server counted %d", r.ServerSaw)
		}
	}
	verdict := "exact"
	if !r.Exact {
		verdict = "NOT EXACT"
	}
	fmt.Fprintf(w, "  accounting   logged %d = delivered %d + dropped %d + rejected %d%s: %s\n",
		r.Logged, r.Delivered, r.Dropped, r.Rejected, saw, verdict)
}

// seedLine is the seed's message; the format adds the time, level and
// call site around it.
const seedLine = "Student Created: Arya Stark (PK: 4)"

// pyFormat returns the Python format the run uses.
func (c config) pyFormat() string {
	if c.format != "seed" {
		return c.format
	}
	if c.caller {
		return "%(asctime)s [%(levelname)-8s] %(message)s [%(pathname)s:%(lineno)d]"
	}
	return "%(asctime)s [%(levelname)-8s] %(message)s"
}

func seconds(d time.Duration) float64 { return d.Seconds() }

func micros(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }

// startProfile starts the CPU profile of -cpuprofile and the execution
// trace of -trace, if given; the returned function stops them.
func (c config) startProfile() (func(), error) {
	var stops []func()
	stop := func() {
		for _, f := range stops {
			f()
		}
	}
	if c.cpuprofile != "" {
		f, err := os.Create(c.cpuprofile)
		if err != nil {
			return nil, err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return nil, err
		}
		stops = append(stops, func() { pprof.StopCPUProfile(); f.Close() })
	}
	if c.trace != "" {
		f, err := os.Create(c.trace)
		if err != nil {
			stop()
			return nil, err
		}
		if err := trace.Start(f); err != nil {
			f.Close()
			stop()
			return nil, err
		}
		stops = append(stops, func() { trace.Stop(); f.Close() })
	}
	return stop, nil
}
