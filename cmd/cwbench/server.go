package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/logdict/logging/cwlocal"
)

// The local server runs in a child process by default: this same binary,
// started with serveEnv set. The child's CPU then does not count as the
// logging side's (this process reads its own rusage), yet both share the
// machine's cores, as a real sidecar or a remote endpoint's client would.
//
// The protocol is line-based over the child's stdin and stdout: the child
// prints its URL, then answers each "stats" line with one JSON line of
// [serverStats]; at EOF on stdin it prints a last one and exits.
const (
	serveEnv = "CWBENCH_SERVE" // run as the server child: see serveEnvValue
	group    = "CWOSLogs"
	stream   = "logs-bench"
)

// serverStats is what the server accepted, and its own CPU and peak RSS.
// Bytes are message bytes for cwlocal (CloudWatch adds 26 per event) and
// request body bytes for the null sink.
type serverStats struct {
	Batches  int64   `json:"batches"`
	Events   int64   `json:"events"`
	Bytes    int64   `json:"bytes"`
	Rejected int64   `json:"rejected"`
	CPU      float64 `json:"cpu_s"`
	PeakRSS  int64   `json:"peak_rss"`
}

// The sinks: what serves the run.
const (
	sinkCWLocal = "cwlocal" // cwlocal in discard mode: decodes and validates every request
	sinkNull    = "null"    // nullSink: reads the body, counts, answers {}
)

// server is the CloudWatch Logs endpoint of a run: a child process, an
// in-process server, or an external URL (no stats).
type server struct {
	url   string
	sink  string // sinkCWLocal or sinkNull; "" for an external server
	stats func() (serverStats, bool)
	close func() (serverStats, bool)
}

// batchBytes sets r's bytes per batch from the server's byte and event
// counts over batches: CloudWatch's measure (message bytes + 26 per
// event) from cwlocal, the request body's size from the null sink.
func (s *server) batchBytes(r *report, bytes, events, batches int64) {
	if batches <= 0 {
		return
	}
	switch s.sink {
	case sinkCWLocal:
		r.BytesPerBatch = float64(bytes+26*events) / float64(batches)
	case sinkNull:
		r.BodyPerBatch = float64(bytes) / float64(batches)
	}
}

// local is a server running in this process, child or not.
type local interface {
	URL() string
	stats() serverStats // CPU and PeakRSS left zero
	Close()             // releases hanging requests
}

// cwlocalSink is cwlocal in discard mode, as a local.
type cwlocalSink struct{ *cwlocal.Server }

func (s cwlocalSink) stats() serverStats {
	st := s.Stats()
	return serverStats{Batches: st.Batches, Events: st.Events, Bytes: st.Bytes, Rejected: st.Rejected}
}

// startLocal starts the named sink with the bench's group and stream;
// hang makes PutLogEvents hang (cwlocal: every request after the stream
// is created; the null sink answers the others).
func startLocal(sink string, hang bool) (local, error) {
	if sink == sinkNull {
		return startNull(hang)
	}
	srv, err := cwlocal.Start(cwlocal.WithDiscard())
	if err != nil {
		return nil, err
	}
	srv.CreateStream(group, stream)
	if hang {
		srv.Hang()
	}
	return cwlocalSink{srv}, nil
}

// serveEnvValue is serveEnv's value for a child: "1" or "hang" for
// cwlocal (as before -sink), "null" or "null,hang" for the null sink.
func serveEnvValue(sink string, hang bool) string {
	switch {
	case sink == sinkNull && hang:
		return "null,hang"
	case sink == sinkNull:
		return "null"
	case hang:
		return "hang"
	}
	return "1"
}

// parseServeEnv is serveEnvValue's inverse.
func parseServeEnv(v string) (sink string, hang bool) {
	if rest, ok := strings.CutPrefix(v, sinkNull); ok {
		return sinkNull, rest == ",hang"
	}
	return sinkCWLocal, v == "hang"
}

// serveChild is main when serveEnv is set: it never returns.
func serveChild() {
	srv, err := startLocal(parseServeEnv(os.Getenv(serveEnv)))
	if err != nil {
		fmt.Fprintln(os.Stderr, "cwbench server:", err)
		os.Exit(2)
	}
	w := bufio.NewWriter(os.Stdout)
	say := func(v any) {
		b, _ := json.Marshal(v)
		w.Write(append(b, '\n'))
		w.Flush()
	}
	say(srv.URL())
	stats := func() serverStats {
		st := srv.stats()
		st.CPU, st.PeakRSS = selfUsage().cpu().Seconds(), peakRSS()
		return st
	}
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		say(stats())
	}
	srv.Close() // releases hanging requests
	say(stats())
	os.Exit(0)
}

// startChild starts the server child running sink; hang makes it hang
// PutLogEvents (cwlocal: every request, after creating the group and
// stream).
func startChild(sink string, hang bool) (*server, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), serveEnv+"="+serveEnvValue(sink, hang))
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	outPipe, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	out := bufio.NewScanner(outPipe)
	read := func(v any) bool {
		if !out.Scan() {
			return false
		}
		return json.Unmarshal(out.Bytes(), v) == nil
	}
	var url string
	if !read(&url) || !strings.HasPrefix(url, "http://") {
		in.Close()
		_ = cmd.Wait()
		return nil, errors.New("the server child did not start")
	}
	s := &server{url: url, sink: sink}
	s.stats = func() (serverStats, bool) {
		var st serverStats
		if _, err := io.WriteString(in, "stats\n"); err != nil {
			return st, false
		}
		return st, read(&st)
	}
	s.close = func() (serverStats, bool) {
		var st serverStats
		in.Close()
		ok := read(&st)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
		return st, ok
	}
	return s, nil
}

// startInProcess runs the server in this process: simpler, but its CPU
// and memory count as the logging side's.
func startInProcess(sink string, hang bool) (*server, error) {
	srv, err := startLocal(sink, hang)
	if err != nil {
		return nil, err
	}
	stats := func() (serverStats, bool) { return srv.stats(), true }
	return &server{url: srv.URL(), sink: sink, stats: stats, close: func() (serverStats, bool) {
		srv.Close()
		return stats()
	}}, nil
}

// external is a server someone else runs (go run ./cmd/cwlocal -discard).
func external(url string) *server {
	none := func() (serverStats, bool) { return serverStats{}, false }
	return &server{url: url, stats: none, close: none}
}
