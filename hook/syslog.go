package hook

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"syscall"
	"time"

	"github.com/logdict/logging/core"
	"github.com/sirupsen/logrus"
)

// SysLogOptions configures a [SysLog] handler: Python's SysLogHandler
// arguments and attributes, plus the queue. The zero value sends to
// localhost:514 over UDP with facility user, as Python does, except that
// AppendNUL must be set explicitly (Python's default is true; the factory
// applies it).
type SysLogOptions struct {
	// Network is "udp" (Python's SOCK_DGRAM), "tcp" (SOCK_STREAM),
	// "unixgram" or "unix"; "" is "udp" for a host address and, for a
	// socket path, "unixgram" falling back to "unix", as Python tries.
	Network string
	// Address is "host:port" for udp and tcp (default "localhost:514") or
	// the path of a unix socket ("/dev/log").
	Address string
	// Facility is the syslog facility number; 0 (kern) is replaced by 1
	// (user) unless KernFacility is set.
	Facility     int
	KernFacility bool
	// Ident is prepended to every message (Python's ident attribute).
	Ident string
	// AppendNUL ends every message with "\x00" (Python's append_nul).
	AppendNUL bool
	// Timeout bounds connecting and each write; 0 is 5s. Writes happen on
	// the sender goroutine, never on the goroutine that logs.
	Timeout time.Duration
	// QueueSize is how many records may wait for the sender; 0 is 1024.
	QueueSize int
	// OnError, Name, Levels and Formatter are as in [SMTPOptions]; Name ""
	// is "syslog".
	OnError   func(error)
	Name      string
	Levels    []logrus.Level
	Formatter logrus.Formatter

	backoff time.Duration // first pause after an unreachable peer (tests)
}

// SysLog is Python's SysLogHandler: each record is sent as
// "<PRI>" + ident + message (+ "\x00"), PRI = facility*8 + severity, in one
// datagram (UDP, unix datagram socket) or as bytes on a stream (TCP, unix
// stream socket) with no further framing, exactly as Python sends it.
//
// Emit copies the record into a bounded queue and returns; one sender
// goroutine owns the socket, so a dead TCP peer or a full /dev/log never
// blocks the code that logs. The sender reconnects after a failed write
// and sends that record again once (a TCP peer may then see a record
// twice, or a fragment); a peer that cannot be reached holds the queue and
// is retried with backoff. A full queue drops the new record, counted in
// [SysLog.Stats] and reported through OnError.
//
// SysLog is safe for concurrent use. Build it with [NewSysLog]; the zero
// value is not usable. Close must be called to stop the sender goroutine.
type SysLog struct {
	logrusSide
	q        *netQueue
	facility int
	ident    string
	nul      bool
}

var (
	_ core.Handler = (*SysLog)(nil)
	_ logrus.Hook  = (*SysLog)(nil)
)

// NewSysLog validates opts and starts the sender. Like Python it does not
// fail when the peer is not there yet: the first record connects.
func NewSysLog(opts SysLogOptions) (*SysLog, error) {
	switch opts.Network {
	case "":
	case "udp", "tcp", "unixgram", "unix":
	default:
		return nil, fmt.Errorf("hook: NewSysLog: unknown network %q (want udp, tcp, unixgram or unix)", opts.Network)
	}
	if opts.Address == "" {
		opts.Address = "localhost:514"
	}
	unix := len(opts.Address) > 0 && (opts.Network == "unix" || opts.Network == "unixgram" ||
		opts.Network == "" && !isHostPort(opts.Address))
	if opts.Network == "" && !unix {
		opts.Network = "udp"
	}
	if opts.Facility < 0 || opts.Facility > 23 {
		return nil, fmt.Errorf("hook: NewSysLog: facility %d out of range 0..23", opts.Facility)
	}
	if opts.Facility == 0 && !opts.KernFacility {
		opts.Facility = 1
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 5 * time.Second
	}
	if opts.QueueSize <= 0 {
		opts.QueueSize = 1024
	}
	if opts.Name == "" {
		opts.Name = "syslog"
	}
	tr := &syslogTransport{network: opts.Network, addr: opts.Address, unix: unix, timeout: opts.Timeout}
	return &SysLog{
		logrusSide: logrusSide{levels: opts.Levels, formatter: opts.Formatter},
		q:          newNetQueue(opts.Name, opts.QueueSize, tr, opts.OnError, realClock{}, opts.backoff),
		facility:   opts.Facility,
		ident:      opts.Ident,
		nul:        opts.AppendNUL,
	}, nil
}

func isHostPort(s string) bool {
	_, port, err := net.SplitHostPort(s)
	if err != nil {
		return false
	}
	_, err = strconv.Atoi(port)
	return err == nil
}

// Severity returns the syslog severity Python's SysLogHandler gives a
// level: CRITICAL 2 (crit), ERROR 3 (err), WARNING 4 (warning), INFO 6
// (info), DEBUG and TRACE 7 (debug); any other level is 4, as Python maps
// unknown level names to "warning".
func Severity(l core.Level) int {
	switch l {
	case core.CRITICAL:
		return 2
	case core.ERROR:
		return 3
	case core.WARNING:
		return 4
	case core.INFO:
		return 6
	case core.DEBUG, core.TRACE:
		return 7
	}
	return 4
}

// Emit queues "<PRI>" + ident + p (+ NUL). p is copied, not retained;
// Emit never blocks on the network and returns nil even when the record
// is dropped (counted and reported). A nil r is sent as WARNING.
func (h *SysLog) Emit(r *core.Record, p []byte) error {
	l := core.Level(-1)
	if r != nil {
		l = r.Level
	}
	h.push(l, p, "")
	return nil
}

// Fire renders the entry and queues it, for logrus's AddHook.
func (h *SysLog) Fire(e *logrus.Entry) error {
	return h.render(e, func(p []byte, msg string) error {
		h.push(core.FromLogrus(e.Level), p, msg)
		return nil
	})
}

func (h *SysLog) push(l core.Level, p []byte, msg string) {
	if h.q.full() {
		return
	}
	b := getBuf()
	buf := append(*b, '<')
	buf = strconv.AppendInt(buf, int64(h.facility<<3|Severity(l)), 10)
	buf = append(buf, '>')
	buf = append(buf, h.ident...)
	buf = append(buf, p...)
	buf = append(buf, msg...)
	if h.nul {
		buf = append(buf, 0)
	}
	*b = buf
	h.q.push(job{buf: b})
}

// Flush waits until every record queued before the call was sent or
// failed, or ctx ends; then it returns an [*UndeliveredError].
func (h *SysLog) Flush(ctx context.Context) error { return h.q.flush(ctx) }

// Close stops accepting records, sends what is queued within ctx, closes
// the socket and stops the sender; when ctx ends first the rest is dropped
// and counted. Records emitted after Close are dropped and counted. Close
// is idempotent.
func (h *SysLog) Close(ctx context.Context) error { return h.q.shutdown(ctx) }

// Stats returns the handler's counters.
func (h *SysLog) Stats() NetStats { return h.q.stats() }

// syslogTransport owns the socket; only the queue's worker uses it.
type syslogTransport struct {
	network string // "" for a unix path: unixgram, falling back to unix
	addr    string
	unix    bool
	timeout time.Duration

	conn    net.Conn     // connected socket (tcp, unix, unixgram)
	udp     *net.UDPConn // unconnected UDP socket, as Python's sendto
	udpAddr netip.AddrPort
	stream  bool
	idled   bool        // the queue emptied since the last write
	stop    func() bool // unregisters the ctx watcher of the socket
}

func (t *syslogTransport) deliver(ctx context.Context, j job, _ bool) error {
	if t.conn == nil && t.udp == nil {
		if err := t.connect(ctx); err != nil {
			return &transientError{err}
		}
	} else if t.idled && t.stream && peerClosed(t.conn) {
		// A peer that hung up while we were idle would swallow the next
		// write without an error; reconnect first.
		t.disconnect()
		if err := t.connect(ctx); err != nil {
			return &transientError{err}
		}
	}
	t.idled = false
	err := t.write(*j.buf)
	if err == nil {
		return nil
	}
	// Python reconnects a unix socket and sends again once; do the same
	// for every kind: syslog daemons restart.
	t.disconnect()
	if cerr := t.connect(ctx); cerr != nil {
		return &transientError{fmt.Errorf("%w (after: %w)", cerr, err)}
	}
	return t.write(*j.buf)
}

func (t *syslogTransport) write(b []byte) error {
	if t.udp != nil {
		_ = t.udp.SetWriteDeadline(time.Now().Add(t.timeout))
		_, err := t.udp.WriteToUDPAddrPort(b, t.udpAddr)
		return err
	}
	_ = t.conn.SetWriteDeadline(time.Now().Add(t.timeout))
	_, err := t.conn.Write(b)
	return err
}

func (t *syslogTransport) connect(ctx context.Context) error {
	d := net.Dialer{Timeout: t.timeout}
	switch {
	case t.network == "udp":
		ua, err := net.ResolveUDPAddr("udp", t.addr)
		if err != nil {
			return fmt.Errorf("syslog: %w", err)
		}
		c, err := net.ListenUDP("udp", nil)
		if err != nil {
			return fmt.Errorf("syslog: %w", err)
		}
		// The netip form keeps the send free of allocations.
		t.udp, t.udpAddr = c, ua.AddrPort()
		t.watch(ctx, c)
		return nil
	case t.unix && t.network == "":
		c, err := d.DialContext(ctx, "unixgram", t.addr)
		if err != nil {
			var err2 error
			if c, err2 = d.DialContext(ctx, "unix", t.addr); err2 != nil {
				return fmt.Errorf("syslog: %w", err)
			}
			t.stream = true
		}
		t.conn = c
		t.watch(ctx, c)
		return nil
	}
	c, err := d.DialContext(ctx, t.network, t.addr)
	if err != nil {
		return fmt.Errorf("syslog: %w", err)
	}
	t.conn, t.stream = c, t.network == "tcp" || t.network == "unix"
	t.watch(ctx, c)
	return nil
}

// watch closes c when ctx ends: a cancelled worker (Close's ctx ended)
// must not wait out a write to a peer that does not read.
func (t *syslogTransport) watch(ctx context.Context, c net.Conn) {
	t.stop = context.AfterFunc(ctx, func() { c.Close() })
}

func (t *syslogTransport) disconnect() {
	if t.stop != nil {
		t.stop()
		t.stop = nil
	}
	if t.conn != nil {
		_ = t.conn.Close()
		t.conn = nil
	}
	if t.udp != nil {
		_ = t.udp.Close()
		t.udp = nil
	}
	t.stream = false
}

func (t *syslogTransport) idle() { t.idled = true }

func (t *syslogTransport) close() error {
	t.disconnect()
	return nil
}

// peerClosed reports whether the peer of a stream socket has hung up, with
// a non-blocking peek: it reads nothing that the stream would lose.
func peerClosed(c net.Conn) bool {
	sc, ok := c.(syscall.Conn)
	if !ok {
		return false
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return false
	}
	closed := false
	var b [1]byte
	_ = rc.Read(func(fd uintptr) bool {
		n, _, err := syscall.Recvfrom(int(fd), b[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		closed = n == 0 && err == nil || err != nil && !errors.Is(err, syscall.EAGAIN)
		return true
	})
	return closed
}
