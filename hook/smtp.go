package hook

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/logdict/logging/core"
	"github.com/sirupsen/logrus"
)

// SMTPOptions configures an [SMTP] handler: Python's SMTPHandler arguments
// plus the queue. Host, From and To are required; other zero values are
// defaults.
type SMTPOptions struct {
	// Host and Port are the mail server (Python's mailhost); Port 0 is 25.
	Host string
	Port int
	// From is the sender address, To the recipients; the handler does not
	// keep To after NewSMTP returns.
	From string
	To   []string
	// Subject is the subject of every mail; SubjectFunc, when set,
	// computes it per record instead, on the goroutine that logs (r is
	// never nil for records from Fire; it may be for direct Emit calls).
	Subject     string
	SubjectFunc func(r *core.Record, p []byte) string
	// Username and Password log in (AUTH PLAIN, LOGIN or CRAM-MD5) when
	// Username is set. PLAIN and LOGIN are refused over an unencrypted
	// connection except to localhost.
	Username string
	Password string
	// StartTLS upgrades the session with STARTTLS after EHLO (Python's
	// secure). SSL speaks TLS from the first byte (port 465).
	StartTLS bool
	SSL      bool
	// TLSConfig verifies the server and may carry a client certificate;
	// nil verifies against the system roots with ServerName = Host.
	TLSConfig *tls.Config
	// Timeout bounds connecting and each exchange with the server; 0 is
	// Python's 5s.
	Timeout time.Duration
	// QueueSize is how many mails may wait for the sender; 0 is 64. When
	// the queue is full, new records are dropped and counted.
	QueueSize int
	// OnError receives the handler's own problems (failed sends, drops);
	// nil writes them to stderr. It is called from the sender goroutine
	// or, for drops, from Emit: it must not log through the logger this
	// handler is attached to.
	OnError func(error)
	// Name names the handler in reported errors; "" is "smtp".
	Name string
	// Levels and Formatter are as in [StreamOptions].
	Levels    []logrus.Level
	Formatter logrus.Formatter

	toHeader string    // Django joins To with ", "
	console  io.Writer // Django's console backend instead of SMTP
}

// SMTP is Python's SMTPHandler: it mails each record to a fixed list of
// recipients. Sending is slow, so Emit only copies the formatted record
// into a bounded queue; one sender goroutine per handler delivers the
// mails in order, keeping one SMTP session open while mails are queued
// back to back and closing it (QUIT) when the queue empties. A full queue
// drops the new record, counted in [SMTP.Stats] and reported through
// OnError. A server that cannot be reached holds the queue and is retried
// with backoff; a mail the server refuses is reported and lost, as in
// Python.
//
// SMTP is safe for concurrent use. Build it with [NewSMTP]; the zero value
// is not usable. Close must be called to stop the sender goroutine.
type SMTP struct {
	logrusSide
	q       *netQueue
	subject string
	subjFn  func(r *core.Record, p []byte) string
}

var (
	_ core.Handler = (*SMTP)(nil)
	_ logrus.Hook  = (*SMTP)(nil)
)

// NewSMTP validates opts and starts the sender. It does not connect: the
// first record does, as in Python.
func NewSMTP(opts SMTPOptions) (*SMTP, error) {
	if opts.Host == "" || opts.From == "" || len(opts.To) == 0 {
		return nil, fmt.Errorf("hook: NewSMTP: Host, From and To are required")
	}
	for _, a := range append([]string{opts.From, opts.Subject}, opts.To...) {
		if strings.ContainsAny(a, "\r\n") {
			return nil, fmt.Errorf("hook: NewSMTP: %q: line breaks are not allowed in addresses or the subject", a)
		}
	}
	if opts.Port == 0 {
		opts.Port = 25
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 5 * time.Second
	}
	if opts.QueueSize <= 0 {
		opts.QueueSize = 64
	}
	if opts.Name == "" {
		opts.Name = "smtp"
	}
	if opts.toHeader == "" {
		opts.toHeader = strings.Join(opts.To, ",")
	}
	cfg := mailConfig{
		host: opts.Host, port: opts.Port, from: opts.From,
		to: append([]string(nil), opts.To...), toHeader: opts.toHeader,
		user: opts.Username, password: opts.Password,
		startTLS: opts.StartTLS, useSSL: opts.SSL, tls: opts.TLSConfig, timeout: opts.Timeout,
	}
	var tr transport = newSMTPTransport(cfg)
	if opts.console != nil {
		tr = &consoleTransport{cfg: cfg, w: opts.console, local: localName()}
	}
	return &SMTP{
		logrusSide: logrusSide{levels: opts.Levels, formatter: opts.Formatter},
		q:          newNetQueue(opts.Name, opts.QueueSize, tr, opts.OnError, realClock{}, 0),
		subject:    opts.Subject,
		subjFn:     opts.SubjectFunc,
	}, nil
}

// Emit queues one mail whose body is p. p is copied, not retained; Emit
// never blocks on the network and returns nil even when the record is
// dropped (the drop is counted and reported).
func (h *SMTP) Emit(r *core.Record, p []byte) error {
	h.push(r, p, "")
	return nil
}

// Fire renders the entry and queues it, for logrus's AddHook.
func (h *SMTP) Fire(e *logrus.Entry) error {
	return h.render(e, func(p []byte, msg string) error {
		h.push(core.NewRecord(e), p, msg)
		return nil
	})
}

func (h *SMTP) push(r *core.Record, p []byte, msg string) {
	if h.q.full() {
		return
	}
	subj := h.subject
	if h.subjFn != nil {
		subj = h.subjFn(r, p)
	}
	b := getBuf()
	*b = append(append(*b, p...), msg...)
	at := time.Now()
	if r != nil && r.Entry != nil && !r.Entry.Time.IsZero() {
		at = r.Entry.Time
	}
	h.q.push(job{buf: b, subj: subj, at: at})
}

// Flush waits until every mail queued before the call was sent or failed,
// or ctx ends; then it returns an [*UndeliveredError] counting what is
// still queued.
func (h *SMTP) Flush(ctx context.Context) error { return h.q.flush(ctx) }

// Close stops accepting records, sends what is queued within ctx, and
// stops the sender; when ctx ends first, the mail in progress is aborted
// and the rest dropped and counted. Records emitted after Close are
// dropped and counted. Close is idempotent.
func (h *SMTP) Close(ctx context.Context) error { return h.q.shutdown(ctx) }

// Stats returns the handler's counters.
func (h *SMTP) Stats() NetStats { return h.q.stats() }

// SMTPFactory builds an [SMTP] (logging.handlers.SMTPHandler) from
// Python's keys: `mailhost` ("host", "host:port" or [host, port]),
// `fromaddr`, `toaddrs` (an address or a list), `subject`, `credentials`
// ([user, password]; never echoed in errors), `secure` (STARTTLS: an empty
// list or true; [keyfile, certfile] adds a client certificate; false or
// absent: none), `timeout` (seconds, default 5), and `queue_size` (default
// 64). Unlike Python, which uses `secure` only with credentials, STARTTLS
// is used whenever `secure` is given, and the server certificate is
// verified. Errors go to env.OnError, else env.Stderr.
func SMTPFactory(p *core.Params, env *core.Env) (core.Handler, error) {
	if env == nil {
		env = &core.Env{}
	}
	o := SMTPOptions{Name: env.Name, OnError: envOnError(env.OnError, env.Stderr)}
	o.Host, o.Port = mailhostParam(p, "mailhost")
	o.From = addrParam(p, "fromaddr", true)
	o.To = addrListParam(p, "toaddrs", true)
	o.Subject = p.RequiredString("subject")
	if strings.ContainsAny(o.Subject, "\r\n") {
		p.Errorf("subject", "%w: line breaks are not allowed", core.ErrBadValue)
	}
	o.Username, o.Password = credentialsParam(p, "credentials")
	o.StartTLS, o.TLSConfig = secureParam(p, "secure")
	o.Timeout = p.Duration("timeout", 5*time.Second, time.Millisecond, time.Hour)
	o.QueueSize = int(p.Int("queue_size", 64, 1, 1<<20))
	if err := p.Err(); err != nil {
		return nil, err
	}
	return NewSMTP(o)
}

// mailhostParam reads "host", "host:port" or [host, port] (dictConfig
// turns the list into Python's tuple). The port defaults to 25.
func mailhostParam(p *core.Params, key string) (string, int) {
	v, ok := p.Raw(key)
	if !ok || v == nil {
		p.Errorf(key, "%w: required", core.ErrMissing)
		return "", 0
	}
	switch x := v.(type) {
	case string:
		host := strings.TrimSpace(x)
		if h, port, err := net.SplitHostPort(host); err == nil {
			n, err := strconv.Atoi(port)
			if err != nil || n < 1 || n > 65535 {
				p.Errorf(key, "%w: bad port in %q", core.ErrBadValue, x)
				return "", 0
			}
			return h, n
		}
		if host == "" {
			p.Errorf(key, "%w: must not be empty", core.ErrBadValue)
		}
		return host, 25
	case []any, []string:
		return mailhostParamList(p, key, x)
	}
	p.Errorf(key, "%w: want \"host\" or [host, port], got %T", core.ErrBadValue, v)
	return "", 0
}

// hostPortList reads a [host, port] pair; the port may be a number or a
// numeric string (from ${VAR} expansion).
func hostPortList(p *core.Params, key string, l []any) (string, int) {
	if len(l) != 2 {
		p.Errorf(key, "%w: want [host, port], got %d items", core.ErrBadValue, len(l))
		return "", 0
	}
	host, ok := l[0].(string)
	if !ok || strings.TrimSpace(host) == "" {
		p.Errorf(key, "%w: item 0: want a host name, got %v", core.ErrBadValue, l[0])
		return "", 0
	}
	sub := core.NewParams("", map[string]any{"port": l[1]})
	port := sub.Int("port", 0, 1, 65535)
	if sub.Err() != nil {
		p.Errorf(key, "%w: item 1: want a port number 1..65535, got %v", core.ErrBadValue, l[1])
		return "", 0
	}
	return strings.TrimSpace(host), int(port)
}

// addrParam reads one mail address; line breaks would inject headers.
func addrParam(p *core.Params, key string, required bool) string {
	var s string
	if required {
		s = p.RequiredString(key)
	} else {
		s = p.String(key, "")
	}
	if strings.ContainsAny(s, "\r\n") {
		p.Errorf(key, "%w: line breaks are not allowed in an address", core.ErrBadValue)
		return ""
	}
	return strings.TrimSpace(s)
}

// addrListParam reads an address or a list of addresses; required means
// the key must be present and name at least one.
func addrListParam(p *core.Params, key string, required bool) []string {
	if v, ok := p.Raw(key); !ok || v == nil {
		if required {
			p.Errorf(key, "%w: required", core.ErrMissing)
		}
		return nil
	}
	l := p.StringList(key)
	out := l[:0:0]
	for i, a := range l {
		a = strings.TrimSpace(a)
		switch {
		case a == "":
			p.Errorf(key, "%w: item %d: empty address", core.ErrBadValue, i)
		case strings.ContainsAny(a, "\r\n"):
			p.Errorf(key, "%w: item %d: line breaks are not allowed in an address", core.ErrBadValue, i)
		default:
			out = append(out, a)
		}
	}
	if required && len(l) == 0 {
		p.Errorf(key, "%w: must name at least one address", core.ErrBadValue)
	}
	return out
}

// credentialsParam reads [user, password]. Its errors never show the
// values, whatever they hold.
func credentialsParam(p *core.Params, key string) (user, password string) {
	v, ok := p.Raw(key)
	if !ok || v == nil {
		return "", ""
	}
	var l []any
	switch x := v.(type) {
	case []any:
		l = x
	case []string:
		for _, s := range x {
			l = append(l, s)
		}
	default:
		p.Errorf(key, "%w: want [user, password], got a %T (value hidden)", core.ErrBadValue, v)
		return "", ""
	}
	if len(l) != 2 {
		p.Errorf(key, "%w: want [user, password], got %d items (values hidden)", core.ErrBadValue, len(l))
		return "", ""
	}
	u, ok1 := l[0].(string)
	pw, ok2 := l[1].(string)
	if !ok1 || !ok2 || u == "" {
		p.Errorf(key, "%w: want [user, password] as two strings, user not empty (values hidden)", core.ErrBadValue)
		return "", ""
	}
	return u, pw
}

// secureParam reads Python's `secure`: absent, null or false is no TLS;
// true or [] is STARTTLS; [keyfile, certfile] is STARTTLS presenting that
// client certificate (Python's tuple order). [keyfile] alone is refused:
// a key without its certificate cannot be used.
func secureParam(p *core.Params, key string) (bool, *tls.Config) {
	v, ok := p.Raw(key)
	if !ok || v == nil {
		return false, nil
	}
	switch x := v.(type) {
	case bool:
		return x, nil
	case []any:
		switch len(x) {
		case 0:
			return true, nil
		case 2:
			keyFile, ok1 := x[0].(string)
			certFile, ok2 := x[1].(string)
			if !ok1 || !ok2 {
				p.Errorf(key, "%w: want [keyfile, certfile] as two paths", core.ErrBadValue)
				return false, nil
			}
			cert, err := tls.LoadX509KeyPair(certFile, keyFile)
			if err != nil {
				p.Errorf(key, "%w: loading the client certificate: %w", core.ErrBadValue, err)
				return false, nil
			}
			return true, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		case 1:
			p.Errorf(key, "%w: [keyfile] needs its certfile: give [keyfile, certfile], or [] for plain STARTTLS", core.ErrBadValue)
			return false, nil
		}
	}
	p.Errorf(key, "%w: want true, false, [] or [keyfile, certfile]", core.ErrBadValue)
	return false, nil
}
