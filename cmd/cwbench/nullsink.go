package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// nullSink is the -sink null server: the least an endpoint can do and
// still let the SDK's calls succeed. It reads each request's body whole
// and answers 200 with "{}" to every AWS JSON 1.1 call (X-Amz-Target
// "Logs_20140328.<Op>"), which the SDK decodes as an empty, successful
// output: no rejected events, no sequence token. Nothing is parsed or
// validated and nothing is stored; PutLogEvents calls are counted.
//
// It is what peer figures "measured against a local null sink" mean:
// cwlocal in discard mode still decodes and validates every request,
// which on a shared machine takes CPU from the logging side.
type nullSink struct {
	ln     net.Listener
	hs     *http.Server
	served chan struct{} // closed when Serve returns
	hang   bool          // PutLogEvents blocks until Close (or the client gives up)
	done   chan struct{} // closed by Close
	once   sync.Once

	batches, events, bytes atomic.Int64
	hanging                atomic.Int64 // PutLogEvents calls held by hang now

	bufs sync.Pool // *bytes.Buffer, request bodies
}

const (
	amzTarget   = "Logs_20140328."
	amzJSON     = "application/x-amz-json-1.1"
	maxNullBody = 8 << 20 // a full batch is about 1.2 MiB of JSON
)

// tsKey is the key of an event's timestamp in a PutLogEvents body.
//
// Counting its occurrences counts the events exactly, for every
// well-formed body: a JSON string cannot hold an unescaped '"', so the
// quote just before the ':' (preceded by 'p', not '\') can only close a
// string, and a string followed by ':' is an object key; the keys of a
// PutLogEvents body are logEvents, logGroupName, logStreamName, and each
// event's message and timestamp, of which only "timestamp" ends the
// sequence. A message, group or stream name holding `"timestamp":` is
// sent as `\"timestamp\":` and does not match. Every event has exactly
// one timestamp (the field is required; the SDK validates that before
// sending), and the SDK and the handler's encoder write no whitespace
// between a key and its colon.
var tsKey = []byte(`"timestamp":`)

// startNull starts the null sink on 127.0.0.1.
func startNull(hang bool) (*nullSink, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &nullSink{ln: ln, served: make(chan struct{}), hang: hang, done: make(chan struct{})}
	s.bufs.New = func() any { return new(bytes.Buffer) }
	s.hs = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		defer close(s.served)
		if err := s.hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintln(os.Stderr, "cwbench null sink:", err)
		}
	}()
	return s, nil
}

func (s *nullSink) URL() string { return "http://" + s.ln.Addr().String() }

// Close releases hanging requests unanswered, as cwlocal's Close does,
// and stops the server.
func (s *nullSink) Close() {
	s.once.Do(func() {
		close(s.done)
		_ = s.hs.Close()
		<-s.served
	})
}

func (s *nullSink) stats() serverStats {
	return serverStats{Batches: s.batches.Load(), Events: s.events.Load(), Bytes: s.bytes.Load()}
}

func (s *nullSink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	op, ok := strings.CutPrefix(r.Header.Get("X-Amz-Target"), amzTarget)
	if !ok || op == "" || r.Method != http.MethodPost {
		w.Header().Set("Content-Type", amzJSON)
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"__type":"UnknownOperationException","message":"null sink: not an AWS JSON 1.1 call"}`)
		return
	}
	buf := s.bufs.Get().(*bytes.Buffer)
	defer s.bufs.Put(buf)
	buf.Reset()
	if n := r.ContentLength; n > 0 && n <= maxNullBody {
		buf.Grow(int(n) + bytes.MinRead) // ReadFrom wants MinRead spare to see EOF
	}
	if _, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, maxNullBody)); err != nil {
		w.Header().Set("Content-Type", amzJSON)
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"__type":"SerializationException","message":"null sink: cannot read the body"}`)
		return
	}
	if op == "PutLogEvents" {
		if s.hang {
			// An outage: no answer until the client gives up or Close;
			// then the connection closes with nothing counted.
			s.hanging.Add(1)
			select {
			case <-r.Context().Done():
			case <-s.done:
			}
			s.hanging.Add(-1)
			panic(http.ErrAbortHandler)
		}
		s.batches.Add(1)
		s.events.Add(int64(bytes.Count(buf.Bytes(), tsKey)))
		s.bytes.Add(int64(buf.Len()))
	}
	h := w.Header()
	h.Set("Content-Type", amzJSON)
	h.Set("Content-Length", "2")
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, "{}")
}
