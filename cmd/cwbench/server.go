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
	serveEnv = "CWBENCH_SERVE" // "1": run as the server child; "hang": and hang every request
	group    = "CWOSLogs"
	stream   = "logs-bench"
)

// serverStats is what the server accepted, and its own CPU and peak RSS.
type serverStats struct {
	Batches  int64   `json:"batches"`
	Events   int64   `json:"events"`
	Bytes    int64   `json:"bytes"`
	Rejected int64   `json:"rejected"`
	CPU      float64 `json:"cpu_s"`
	PeakRSS  int64   `json:"peak_rss"`
}

// server is the CloudWatch Logs endpoint of a run: a child process, an
// in-process cwlocal server, or an external URL (no stats).
type server struct {
	url   string
	stats func() (serverStats, bool)
	close func() (serverStats, bool)
}

// serveChild is main when serveEnv is set: it never returns.
func serveChild() {
	srv, err := cwlocal.Start(cwlocal.WithDiscard())
	if err != nil {
		fmt.Fprintln(os.Stderr, "cwbench server:", err)
		os.Exit(2)
	}
	srv.CreateStream(group, stream)
	if os.Getenv(serveEnv) == "hang" {
		srv.Hang()
	}
	w := bufio.NewWriter(os.Stdout)
	say := func(v any) {
		b, _ := json.Marshal(v)
		w.Write(append(b, '\n'))
		w.Flush()
	}
	say(srv.URL())
	stats := func() serverStats {
		st := srv.Stats()
		u := selfUsage()
		return serverStats{st.Batches, st.Events, st.Bytes, st.Rejected, u.cpu().Seconds(), peakRSS()}
	}
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		say(stats())
	}
	srv.Close() // releases hanging requests
	say(stats())
	os.Exit(0)
}

// startChild starts the server child; hang makes it hang every request
// (after creating the group and stream).
func startChild(hang bool) (*server, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(exe)
	mode := "1"
	if hang {
		mode = "hang"
	}
	cmd.Env = append(os.Environ(), serveEnv+"="+mode)
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
	s := &server{url: url}
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
func startInProcess(hang bool) *server {
	srv := cwlocal.New(cwlocal.WithDiscard())
	srv.CreateStream(group, stream)
	if hang {
		srv.Hang()
	}
	stats := func() (serverStats, bool) {
		st := srv.Stats()
		return serverStats{Batches: st.Batches, Events: st.Events, Bytes: st.Bytes, Rejected: st.Rejected}, true
	}
	return &server{url: srv.URL(), stats: stats, close: func() (serverStats, bool) {
		srv.Close()
		return stats()
	}}
}

// external is a server someone else runs (go run ./cmd/cwlocal -discard).
func external(url string) *server {
	none := func() (serverStats, bool) { return serverStats{}, false }
	return &server{url: url, stats: none, close: none}
}
