package cwlocal

import "time"

// An Option configures a [Server] at construction. Options are created only
// by the With functions of this package.
type Option interface {
	apply(*config)
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

type config struct {
	addr       string
	clock      func() time.Time
	dir        string
	discard    bool
	accessKey  string
	hook       func(op string, body []byte)
	requestLog func(RequestInfo)
}

func defaultConfig() config {
	return config{addr: "127.0.0.1:0", clock: time.Now}
}

// WithAddr sets the TCP address to listen on. The default, "127.0.0.1:0",
// picks a free loopback port.
func WithAddr(addr string) Option {
	return optionFunc(func(c *config) { c.addr = addr })
}

// WithClock replaces the server clock, which decides ingestion times and the
// PutLogEvents windows (2 hours ahead, 14 days and the retention behind).
// The function is called concurrently from request goroutines. Nil means
// [time.Now].
func WithClock(now func() time.Time) Option {
	return optionFunc(func(c *config) {
		if now != nil {
			c.clock = now
		}
	})
}

// WithDir makes the server persist groups, streams and events as a JSON
// lines journal in dir (created if missing) and replay it at start.
// An empty dir means memory only.
func WithDir(dir string) Option {
	return optionFunc(func(c *config) { c.dir = dir })
}

// WithDiscard selects benchmark mode: PutLogEvents validates every request
// and updates stream metadata and [Server.Stats], but does not keep the
// messages, so a load test of millions of events needs constant memory.
// [Server.Events] then returns nothing.
func WithDiscard() Option {
	return optionFunc(func(c *config) { c.discard = true })
}

// WithAccessKeyID makes the server answer every request whose SigV4
// Authorization header does not name this access key ID (or that has no
// such header) with UnrecognizedClientException, as AWS does for bad
// credentials. Signatures are never verified. Empty means accept anything.
func WithAccessKeyID(id string) Option {
	return optionFunc(func(c *config) { c.accessKey = id })
}

// WithHook registers a function called with the operation name and raw JSON
// body of every request before it is answered (faults included). It is called
// concurrently; body belongs to the server and must not be kept or modified.
func WithHook(hook func(op string, body []byte)) Option {
	return optionFunc(func(c *config) { c.hook = hook })
}

// WithRequestLog registers a function called once per finished request with
// a summary, for access logs such as the one cmd/cwlocal prints. It is called
// concurrently from request goroutines.
func WithRequestLog(log func(RequestInfo)) Option {
	return optionFunc(func(c *config) { c.requestLog = log })
}

// RequestInfo summarises one request for [WithRequestLog].
type RequestInfo struct {
	Op       string // operation name, e.g. "PutLogEvents"; the raw target if unknown
	Group    string // logGroupName (or identifier) when the request has one
	Stream   string // logStreamName when the request has one
	Events   int    // number of events sent (PutLogEvents) or returned (Get/Filter)
	Status   int    // HTTP status; 0 when the connection was reset or abandoned
	Code     string // error code (__type) of a failed request
	Fault    string // name of the injected fault, if any
	Duration time.Duration
}
