package cwlocal

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"
)

const (
	targetPrefix = "Logs_20140328."
	contentType  = "application/x-amz-json-1.1"
	accountID    = "123456789012"
	// maxBody bounds a request body. A full PutLogEvents batch is 1 MiB of
	// messages, which JSON escaping can inflate up to six times.
	maxBody = 8 << 20
)

// Server is a CloudWatch Logs-compatible HTTP server on a loopback port,
// for tests, demos and the AWS CLI. It speaks awsJson1_1 (POST /, routed on
// X-Amz-Target), validates requests like the service and answers with its
// error shapes. Stored data can be read back, and faults injected.
//
// A Server is safe for concurrent use. Create one with [New] or [Start]
// and stop it with [Server.Close].
type Server struct {
	cfg       config
	hs        *http.Server
	ln        net.Listener
	serveDone chan struct{}
	done      chan struct{} // closed by Close; ends every wait
	closeOnce sync.Once

	amu      sync.Mutex // admission: closed and the Add side of inflight
	closed   bool
	inflight sync.WaitGroup

	mu     sync.Mutex // guards st, jf and counts
	st     *state
	jf     *os.File
	counts map[string]int

	fmu       sync.Mutex // guards the fault fields below
	rules     []faultRule
	faultFunc func(op string, body []byte) (Fault, bool)
	latency   time.Duration
	hanging   bool
	release   chan struct{} // closed and replaced by Resume
	accessKey string
}

// New starts a server on 127.0.0.1 with a free port (or the [WithAddr]
// address). Like httptest.NewServer it panics if it cannot listen or load
// the [WithDir] journal; use [Start] to get an error instead.
func New(opts ...Option) *Server {
	s, err := Start(opts...)
	if err != nil {
		panic(err)
	}
	return s
}

// Start is [New] returning an error instead of panicking.
func Start(opts ...Option) (*Server, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		o.apply(&cfg)
	}
	s := &Server{
		cfg:       cfg,
		st:        newState(),
		counts:    make(map[string]int),
		done:      make(chan struct{}),
		serveDone: make(chan struct{}),
		release:   make(chan struct{}),
		accessKey: cfg.accessKey,
	}
	if cfg.dir != "" {
		f, err := openJournal(cfg.dir, s.st)
		if err != nil {
			return nil, err
		}
		s.jf = f
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		if s.jf != nil {
			_ = s.jf.Close()
		}
		return nil, fmt.Errorf("cwlocal: %w", err)
	}
	s.ln = ln
	s.hs = &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		defer close(s.serveDone)
		if err := s.hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintf(os.Stderr, "cwlocal: serve: %v\n", err)
		}
	}()
	return s, nil
}

// URL returns the base URL, "http://127.0.0.1:PORT", for the SDK's
// BaseEndpoint or the CLI's --endpoint-url.
func (s *Server) URL() string { return "http://" + s.ln.Addr().String() }

// Handler returns the server's HTTP handler, to mount it on another server.
// It shares state, faults and counters with s, and answers
// ServiceUnavailableException once s is closed.
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.serve) }

// Close stops the server: it unblocks hanging and delayed requests, closes
// the listener and every connection, waits for running handlers and closes
// the journal. Later calls do nothing.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		s.amu.Lock()
		s.closed = true
		s.amu.Unlock()
		close(s.done)
		_ = s.hs.Close()
		<-s.serveDone
		s.inflight.Wait()
		s.mu.Lock()
		if s.jf != nil {
			_ = s.jf.Close()
			s.jf = nil
		}
		s.mu.Unlock()
	})
}

// Requests returns how many calls of op (e.g. "PutLogEvents") the server has
// received, failed and faulted ones included. Unknown operations count
// under the name after "Logs_20140328.", or under the raw X-Amz-Target if
// it lacks that prefix. It is safe for concurrent use.
func (s *Server) Requests(op string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[op]
}

// SetAccessKeyID changes the access key ID required by [WithAccessKeyID]
// ("" accepts any), e.g. to simulate revoked credentials. It is safe for
// concurrent use.
func (s *Server) SetAccessKeyID(id string) {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	s.accessKey = id
}

func (s *Server) nowMS() int64 { return s.cfg.clock().UnixMilli() }

// call is one request being handled.
type call struct {
	op     string
	body   []byte
	now    int64 // server clock, ms
	region string
	info   *RequestInfo
}

func (c *call) decode(v any) *apiError {
	if len(bytes.TrimSpace(c.body)) == 0 {
		return nil
	}
	if err := json.Unmarshal(c.body, v); err != nil {
		return clientError(CodeSerialization, "%v", err)
	}
	return nil
}

func (c *call) groupARN(name string) string {
	return "arn:aws:logs:" + c.region + ":" + accountID + ":log-group:" + name
}

type opFunc func(*Server, *call) (any, *apiError)

var operations = map[string]opFunc{
	"CreateLogGroup":        (*Server).createLogGroup,
	"DeleteLogGroup":        (*Server).deleteLogGroup,
	"DescribeLogGroups":     (*Server).describeLogGroups,
	"PutRetentionPolicy":    (*Server).putRetentionPolicy,
	"DeleteRetentionPolicy": (*Server).deleteRetentionPolicy,
	"TagResource":           (*Server).tagResource,
	"UntagResource":         (*Server).untagResource,
	"ListTagsForResource":   (*Server).listTagsForResource,
	"ListTagsLogGroup":      (*Server).listTagsLogGroup,
	"CreateLogStream":       (*Server).createLogStream,
	"DeleteLogStream":       (*Server).deleteLogStream,
	"DescribeLogStreams":    (*Server).describeLogStreams,
	"PutLogEvents":          (*Server).putLogEvents,
	"GetLogEvents":          (*Server).getLogEvents,
	"FilterLogEvents":       (*Server).filterLogEvents,
}

func (s *Server) enter() bool {
	s.amu.Lock()
	defer s.amu.Unlock()
	if s.closed {
		return false
	}
	s.inflight.Add(1)
	return true
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if !s.enter() {
		writeError(w, &apiError{http.StatusServiceUnavailable, CodeServiceUnavailable, "cwlocal: server closed"})
		return
	}
	defer s.inflight.Done()

	start := time.Now()
	sw := &statusWriter{ResponseWriter: w}
	target := r.Header.Get("X-Amz-Target")
	op, _ := strings.CutPrefix(target, targetPrefix)
	info := RequestInfo{Op: op}
	var body []byte
	defer func() {
		if s.cfg.requestLog != nil {
			info.Status, info.Duration = sw.status, time.Since(start)
			if info.Group == "" && len(body) > 0 {
				describe(&info, body)
			}
			s.cfg.requestLog(info)
		}
	}()
	fail := func(e *apiError) {
		info.Code = e.code
		writeError(sw, e)
	}
	sw.Header().Set("x-amzn-RequestId", newRequestID())

	s.mu.Lock()
	s.counts[op]++
	s.mu.Unlock()
	handle := operations[op]
	var err error
	if r.Method != http.MethodPost || handle == nil || !strings.HasPrefix(target, targetPrefix) {
		fail(clientError(CodeUnknownOperation, "Unknown operation %q", target))
		return
	}
	body, err = io.ReadAll(http.MaxBytesReader(sw, r.Body, maxBody))
	if err != nil {
		fail(clientError(CodeSerialization, "cannot read request body: %v", err))
		return
	}
	if s.cfg.hook != nil {
		s.cfg.hook(op, body)
	}
	akid, region := parseCredential(r.Header.Get("Authorization"))
	s.fmu.Lock()
	want := s.accessKey
	s.fmu.Unlock()
	if want != "" && akid != want {
		fail(clientError(CodeUnrecognizedClient, msgBadToken))
		return
	}

	f, m := s.takeFault(op, body)
	if f.kind != 0 {
		info.Fault = f.String()
	}
	ctx := r.Context()
	if m.latency > 0 && !s.sleep(ctx, m.latency) || m.hang && !s.block(ctx, m.release) {
		panic(errAbort)
	}
	switch f.kind {
	case kindError:
		fail(&apiError{f.status, f.code, f.message})
		return
	case kindLatency:
		if !s.sleep(ctx, f.delay) {
			panic(errAbort)
		}
	case kindHang:
		if !s.block(ctx, m.release) {
			panic(errAbort)
		}
	case kindConnReset:
		resetConn(sw)
		return
	}

	c := &call{op: op, body: body, now: s.nowMS(), region: region, info: &info}
	resp, apiErr := handle(s, c)
	if f.kind == kindAcceptThenDrop {
		resetConn(sw)
		return
	}
	if apiErr != nil {
		fail(apiErr)
		return
	}
	writeJSON(sw, resp)
}

// describe fills the request log fields of a request that failed before
// its operation read them (a fault, a validation error).
func describe(info *RequestInfo, body []byte) {
	var in struct {
		LogGroupName  string     `json:"logGroupName"`
		LogStreamName string     `json:"logStreamName"`
		LogEvents     []struct{} `json:"logEvents"`
	}
	if json.Unmarshal(body, &in) == nil {
		info.Group, info.Stream, info.Events = in.LogGroupName, in.LogStreamName, len(in.LogEvents)
	}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", contentType)
	if v == nil {
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(http.StatusOK)
		return
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		writeError(w, &apiError{http.StatusInternalServerError, CodeServiceUnavailable, err.Error()})
		return
	}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(buf.Bytes())
}

// parseCredential extracts the access key ID and region from a SigV4
// header: "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-west-2/logs/aws4_request, ...".
func parseCredential(auth string) (akid, region string) {
	region = "us-east-1"
	_, cred, ok := strings.Cut(auth, "Credential=")
	if !ok {
		return "", region
	}
	cred, _, _ = strings.Cut(cred, ",")
	parts := strings.Split(strings.TrimSpace(cred), "/")
	if len(parts) >= 3 && parts[2] != "" {
		region = parts[2]
	}
	return parts[0], region
}

func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// statusWriter records the status for the request log. Unwrap lets
// http.ResponseController reach the Hijacker underneath.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(p)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
