package cloudwatch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
	"weak"

	"github.com/logdict/logging/core"
	"github.com/sirupsen/logrus"
)

// Handler ships log records to CloudWatch Logs, as watchtower's
// CloudWatchLogHandler does. It is a [core.Handler] for the registry and a
// [logrus.Hook] for plain logrus loggers.
//
// All methods are safe for concurrent use. Emit and Fire never wait on the
// network: they copy the message into a bounded queue and return; one
// owner goroutine cuts batches by CloudWatch's rules and a few sender
// goroutines make the calls. A Handler is made by [New] or [Factory]; the
// zero value is not usable. After [Handler.Close], records are counted as
// dropped (reason closed).
type Handler struct {
	opts   Options
	name   string // for reports: the config name, else the group
	tmpl   *template
	fixed  []byte // the stream name when the template needs no record
	client Client

	maxAgeMS, expireMS, skewMS int64
	// clockMS is the clock of Emit's time-window checks when opts.now is
	// time.Now: the owner stores the time at every report tick, so it is
	// at most a report interval (1 s) old, which against windows of 2
	// hours and days changes nothing a caller can see, and it saves Emit a
	// clock read per event (about 55 ns on a KVM guest).
	clockMS atomic.Int64

	q *queue
	c counters

	own     owner // the owner goroutine's state
	work    chan *batch
	results chan result
	flushCh chan *flushReq
	// cancelCh carries Flush requests whose context ended.
	cancelCh chan *flushReq
	abortCh  chan struct{}
	abort    sync.Once
	done     chan struct{} // closed when the owner has stopped

	senders    sync.WaitGroup
	sendCtx    context.Context // cancelled when Close gives up
	cancelSend context.CancelFunc

	closed       atomic.Bool // admission stopped
	closeStarted atomic.Bool
	retentionSet atomic.Bool
	onError      func(error)
}

var (
	_ core.Handler = (*Handler)(nil)
	_ logrus.Hook  = (*Handler)(nil)
)

// New validates opts, builds the CloudWatch Logs client (unless
// opts.Client is set) and starts the handler's goroutines. It makes no
// network call: a missing group or stream is created when the first
// PutLogEvents reports it. ctx bounds loading the AWS configuration only.
func New(ctx context.Context, opts Options) (*Handler, error) {
	o := opts.withDefaults()
	var errs []error
	if err := checkGroupName(o.LogGroup); err != nil {
		errs = append(errs, fmt.Errorf("cloudwatch: log group name: %w", err))
	}
	tmpl, err := compileTemplate(o.LogStream)
	if err != nil {
		errs = append(errs, fmt.Errorf("cloudwatch: log stream name: %w", err))
	}
	if o.RetentionDays != 0 && !ValidRetention(o.RetentionDays) {
		errs = append(errs, fmt.Errorf("cloudwatch: retention %d days is not one CloudWatch accepts %v", o.RetentionDays, retentionDays))
	}
	if o.MaxMessageBytes < 2*len(TruncationMarker) {
		errs = append(errs, fmt.Errorf("cloudwatch: max message size %d is below %d", o.MaxMessageBytes, 2*len(TruncationMarker)))
	}
	if o.Overflow < DropOldest || o.Overflow > Block {
		errs = append(errs, fmt.Errorf("cloudwatch: unknown overflow policy %v", o.Overflow))
	}
	if (o.AWS.AccessKeyID == "") != (o.AWS.SecretAccessKey == "") {
		errs = append(errs, errors.New("cloudwatch: give both the access key ID and the secret access key, or neither"))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	client := o.Client
	if client == nil {
		if client, err = newClient(ctx, o.AWS); err != nil {
			return nil, err
		}
	}
	h := &Handler{
		opts:     o,
		name:     o.LogGroup,
		tmpl:     tmpl,
		client:   client,
		maxAgeMS: MaxEventAge.Milliseconds(),
		skewMS:   MaxFutureSkew.Milliseconds(),
		work:     make(chan *batch),
		results:  make(chan result, o.Senders),
		flushCh:  make(chan *flushReq),
		cancelCh: make(chan *flushReq),
		abortCh:  make(chan struct{}),
		done:     make(chan struct{}),
		onError:  o.OnError,
	}
	if o.RetentionDays > 0 {
		h.expireMS = int64(o.RetentionDays) * 24 * time.Hour.Milliseconds()
	}
	h.clockMS.Store(o.now().UnixMilli())
	if !tmpl.perItem {
		h.fixed = tmpl.appendName(nil, "", time.Time{})
	}
	if h.onError == nil {
		r := &stderrReporter{w: os.Stderr, every: time.Second}
		h.onError = r.report
	}
	h.q = newQueue(&h.opts, &h.c)
	h.own = owner{builders: make(map[*stream]*batch), inflight: make(map[*batch]struct{})}
	h.sendCtx, h.cancelSend = context.WithCancel(context.Background())
	h.senders.Add(o.Senders)
	for range o.Senders {
		go h.sender()
	}
	go h.run()
	if !o.NoExitHandler {
		// Weak, so that logrus's global list of exit handlers does not keep
		// closed handlers alive.
		wp := weak.Make(h)
		timeout := o.ShutdownTimeout
		logrus.RegisterExitHandler(func() {
			if h := wp.Value(); h != nil {
				ctx, cancel := context.WithTimeout(context.Background(), timeout)
				defer cancel()
				if err := h.Close(ctx); err != nil {
					h.onError(err)
				}
			}
		})
	}
	return h, nil
}

// Emit queues the formatted record p, stamped with r's time, for the
// stream the template names for r. A record whose message is empty is
// dropped (counted as empty), as watchtower does. It never waits on the network and
// always returns nil: an event it cannot queue is counted in [Stats]
// (dropped or rejected) and reported through OnError. p is copied.
func (h *Handler) Emit(r *core.Record, p []byte) error {
	h.emit(r.Name, r.Time(), p, r.Message() == "")
	return nil
}

// Levels returns Options.Levels, or all levels.
func (h *Handler) Levels() []logrus.Level {
	if h.opts.Levels != nil {
		return h.opts.Levels
	}
	return logrus.AllLevels
}

// Fire queues a logrus entry, formatted by Options.Formatter (or its
// message alone), as logger "root". It returns nil even when the event is
// dropped, because logrus skips the remaining hooks after an error; the
// drop is counted and reported through OnError instead.
func (h *Handler) Fire(e *logrus.Entry) error {
	if h.opts.Formatter == nil {
		// Read-only view of the message: emit copies what it keeps.
		h.emit("root", e.Time, unsafe.Slice(unsafe.StringData(e.Message), len(e.Message)), false)
		return nil
	}
	p, err := h.opts.Formatter.Format(e)
	if err != nil {
		h.onError(fmt.Errorf("cloudwatch: formatting entry: %w", err))
		return nil
	}
	h.emit("root", e.Time, bytes.TrimRight(p, "\n"), e.Message == "")
	return nil
}

// emit queues p. emptyMsg says the record's message is empty: watchtower
// drops such records even when the formatted line is not empty.
func (h *Handler) emit(logger string, t time.Time, p []byte, emptyMsg bool) {
	c := &h.c
	if h.closed.Load() {
		c.emitted.Add(1)
		if c.closed.Add(1) == 1 {
			// The owner, which aggregates reports, may be gone: say it once.
			h.onError(fmt.Errorf("%w: records logged after Close are dropped", ErrClosed))
		}
		return
	}
	if len(p) == 0 || emptyMsg {
		c.emitted.Add(1)
		c.empty.Add(1)
		return
	}
	ts := t.UnixMilli()
	now := h.clockMS.Load()
	if !h.opts.coarseNow {
		now = h.opts.now().UnixMilli() // a test's clock
	}
	switch {
	case ts > now+h.skewMS:
		c.emitted.Add(1)
		c.tooNew.Add(1)
		return
	case h.expireMS > 0 && h.expireMS < h.maxAgeMS && ts < now-h.expireMS:
		c.emitted.Add(1)
		c.expired.Add(1)
		return
	case ts < now-h.maxAgeMS || ts < 0:
		c.emitted.Add(1)
		c.tooOld.Add(1)
		return
	}
	var nb [256]byte
	name := h.fixed
	if name == nil {
		name = h.tmpl.appendName(nb[:0], logger, t)
	}
	limit := h.opts.MaxMessageBytes
	cost := messageCost(p)
	if cost <= limit {
		c.emitted.Add(1)
		parts := [1]part{{end: len(p), cost: cost}}
		h.q.add(name, ts, p, false, parts[:])
		return
	}
	if h.opts.Oversize == Truncate {
		n, kept := cutPoint(p, limit-len(TruncationMarker))
		c.emitted.Add(1)
		c.truncated.Add(1)
		parts := [1]part{{end: n + len(TruncationMarker), cost: kept + len(TruncationMarker)}}
		h.q.add(name, ts, p[:n], true, parts[:])
		return
	}
	var buf [8]part
	parts := buf[:0]
	for off := 0; off < len(p); {
		n, pc := cutPoint(p[off:], limit)
		off += n
		parts = append(parts, part{end: off, cost: pc})
	}
	c.emitted.Add(int64(len(parts)))
	c.split.Add(int64(len(parts) - 1))
	h.q.add(name, ts, p, false, parts)
}

// Flush sends everything queued before the call and waits until it is
// delivered or ctx ends. It returns nil when all of it reached CloudWatch,
// else an [*UndeliveredError] (joined with ctx's error if ctx ended first,
// in which case the events are still being sent). After Close it returns
// nil at once.
func (h *Handler) Flush(ctx context.Context) error {
	f := &flushReq{reply: make(chan flushReply, 1)}
	select {
	case h.flushCh <- f:
	case <-h.done:
		return nil
	}
	select {
	case r := <-f.reply:
		return r.err()
	case <-ctx.Done():
	}
	select {
	case h.cancelCh <- f:
	case <-h.done:
	}
	r := <-f.reply
	return errors.Join(ctx.Err(), r.err())
}

// Close stops admission, delivers what is held and stops the handler's
// goroutines. Without a deadline on ctx it uses Options.ShutdownTimeout.
// When the deadline passes first it abandons the rest, counts it as
// dropped (undeliverable) and returns ctx's error joined with an
// [*UndeliveredError]. Close is idempotent: later calls wait for the first
// to finish (within their ctx) and return nil.
func (h *Handler) Close(ctx context.Context) error {
	if h.closeStarted.Swap(true) {
		select {
		case <-h.done:
		case <-ctx.Done():
		}
		return nil
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, h.opts.ShutdownTimeout)
		defer cancel()
	}
	h.closed.Store(true)
	h.q.close()
	f := &flushReq{reply: make(chan flushReply, 1), closing: true}
	h.flushCh <- f // the owner runs until it has answered a closing request
	var r flushReply
	select {
	case r = <-f.reply:
		<-h.done
		return r.err()
	case <-ctx.Done():
	}
	h.abort.Do(func() {
		h.cancelSend()
		close(h.abortCh)
	})
	// Senders return as soon as their calls see the cancelled context; the
	// grace only guards against a client that ignores it.
	grace := time.NewTimer(time.Second)
	defer grace.Stop()
	select {
	case r = <-f.reply:
		<-h.done
	case <-grace.C:
		n, _ := h.q.held()
		r = flushReply{undelivered: int(n), pending: int(n)}
	}
	if r.pending == 0 {
		r.pending = r.undelivered
	}
	return errors.Join(ctx.Err(), r.err())
}

// Stats returns a snapshot of the counters. See [Stats] for the invariant
// that holds between them.
func (h *Handler) Stats() Stats {
	s := h.c.snapshot()
	h.q.fill(&s)
	return s
}

// String names the handler by its group: a dump of a handler (%v, %+v,
// %#v) shows neither its options, credentials included, nor its state.
func (h *Handler) String() string { return "cloudwatch.Handler(" + h.opts.LogGroup + ")" }

// GoString is String for %#v.
func (h *Handler) GoString() string { return h.String() }

// report sends a LossError for the drops and rejections since the last
// report. Owner only.
func (h *Handler) report() {
	s := h.c.snapshot()
	h.q.fill(&s)
	last := &h.own.reported
	if s.Dropped == last.Dropped && s.Rejected == last.Rejected {
		return
	}
	e := &LossError{Handler: h.name,
		Dropped: Drops{
			Overflow:      s.Dropped.Overflow - last.Dropped.Overflow,
			Empty:         s.Dropped.Empty - last.Dropped.Empty,
			Closed:        s.Dropped.Closed - last.Dropped.Closed,
			Invalid:       s.Dropped.Invalid - last.Dropped.Invalid,
			Undeliverable: s.Dropped.Undeliverable - last.Dropped.Undeliverable,
		},
		Rejected: Rejections{
			TooNew:  s.Rejected.TooNew - last.Rejected.TooNew,
			TooOld:  s.Rejected.TooOld - last.Rejected.TooOld,
			Expired: s.Rejected.Expired - last.Rejected.Expired,
		},
	}
	*last = s
	h.onError(e)
}
