package hook

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// ErrClosed is counted (and reported through OnError) for each record given
// to a network handler after its Close began.
var ErrClosed = errors.New("hook: handler closed")

// NetStats is a snapshot of a network handler's counters ([SMTP.Stats],
// [SysLog.Stats]). Every record handed to the handler ends up in exactly one
// of Sent, Failed and Dropped, or is still Queued.
type NetStats struct {
	Queued  int    // records waiting in the queue now
	Sent    uint64 // records delivered
	Failed  uint64 // records the peer or the network refused for good
	Dropped uint64 // records never tried: queue full, after Close, or Close's ctx ended
	Retries uint64 // connection attempts that failed and were retried later
}

// LossError is reported through OnError, at most once per second per
// handler, when records were dropped since the previous report.
type LossError struct {
	Handler string
	Dropped uint64 // since the previous report
	Reason  string // "queue full", "after close", ...
}

func (e *LossError) Error() string {
	return fmt.Sprintf("handler %q: dropped %d records (%s)", e.Handler, e.Dropped, e.Reason)
}

// UndeliveredError is returned by Flush and Close when records they waited
// for were still queued when the context ended (Close drops them).
type UndeliveredError struct {
	Handler string
	Pending int
	Cause   error // the context's error
}

func (e *UndeliveredError) Error() string {
	return fmt.Sprintf("handler %q: %d records not delivered: %v", e.Handler, e.Pending, e.Cause)
}

func (e *UndeliveredError) Unwrap() error { return e.Cause }

// transientError marks a delivery failure where nothing was sent (the peer
// could not be reached): the record stays at the head of the queue and is
// tried again after a pause, instead of being lost.
type transientError struct{ err error }

func (e *transientError) Error() string { return e.err.Error() }
func (e *transientError) Unwrap() error { return e.err }

// job is one record waiting in the queue. buf is pooled and owned by the
// queue from push until the worker releases it.
type job struct {
	buf  *[]byte
	subj string // mail only
	at   time.Time
}

// transport is the network side of a queue; only the worker goroutine calls
// it, so implementations need no locking.
type transport interface {
	// deliver sends one record. more says whether another record is
	// queued behind it (a mail session is kept open for it). A
	// *transientError means nothing was delivered and the record may be
	// tried again; any other error loses the record.
	deliver(ctx context.Context, j job, more bool) error
	// idle is called when the queue has emptied.
	idle()
	// close releases the connection.
	close() error
}

var netBufPool = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

func getBuf() *[]byte { return netBufPool.Get().(*[]byte) }

func putBuf(b *[]byte) {
	if b == nil || cap(*b) > maxKeptBuffer {
		return
	}
	*b = (*b)[:0]
	netBufPool.Put(b)
}

// netQueue is the part the network handlers share: a bounded queue in
// front of one worker goroutine that owns the connection. Callers only
// copy their record into a pooled buffer and try to enqueue it, so a slow
// or dead peer never blocks the code that logs; a full queue drops the
// newest record and counts it.
//
// Why one owner: the connection, its reconnect backoff and the SMTP session
// state are touched by one goroutine only, so they need no lock, and
// records leave in the order they were queued.
type netQueue struct {
	name    string
	tr      transport
	onError func(error)
	clk     clock

	backoffMin, backoffMax time.Duration

	// mu is held shared by push while it checks closed and enqueues, and
	// exclusively by Close to set closed: after Close holds it once, no
	// record can enter the queue behind the worker's final drain.
	mu     sync.RWMutex
	closed bool

	q       chan job
	flushc  chan chan struct{}
	stop    chan struct{} // closed by Close: drain, then exit
	done    chan struct{} // closed by the worker on exit
	ctx     context.Context
	cancel  context.CancelFunc
	closing atomic.Bool

	sent, failed, retries atomic.Uint64
	dropFull, dropClosed  atomic.Uint64
	dropAbort             atomic.Uint64
	reportedFull          atomic.Uint64 // dropFull already reported
	reportedClosed        atomic.Uint64
	lastLoss              atomic.Int64 // unix nanos of the last LossError
}

// newNetQueue starts a queue of size records in front of tr. backoffMin
// is the first pause after a transient failure (0 means 100ms); it doubles
// up to 30s.
func newNetQueue(name string, size int, tr transport, onError func(error), clk clock, backoffMin time.Duration) *netQueue {
	if backoffMin <= 0 {
		backoffMin = 100 * time.Millisecond
	}
	if onError == nil {
		onError = stderrReporter(os.Stderr)
	}
	ctx, cancel := context.WithCancel(context.Background())
	q := &netQueue{
		name: name, tr: tr, onError: onError, clk: clk,
		backoffMin: backoffMin, backoffMax: max(backoffMin, 30*time.Second),
		q:      make(chan job, size),
		flushc: make(chan chan struct{}),
		stop:   make(chan struct{}),
		done:   make(chan struct{}),
		ctx:    ctx, cancel: cancel,
	}
	go q.run()
	return q
}

// stderrReporter writes each error on one line of w; a nil w is os.Stderr.
func stderrReporter(w io.Writer) func(error) {
	var mu sync.Mutex
	return func(err error) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(w, "logdict: %v\n", err)
	}
}

// envOnError picks where a network handler's own errors go: env.OnError,
// else env.Stderr, else os.Stderr.
func envOnError(onError func(error), stderr io.Writer) func(error) {
	if onError != nil {
		return onError
	}
	if stderr != nil {
		return stderrReporter(stderr)
	}
	return nil
}

// full reports whether push would drop for lack of room: callers check it
// first to skip copying a record that would be dropped. It is a hint;
// push decides.
func (q *netQueue) full() bool {
	if len(q.q) < cap(q.q) {
		return false
	}
	q.dropFull.Add(1)
	q.maybeReportLoss()
	return true
}

// push hands a filled buffer to the worker, or drops and counts it. It
// never blocks.
func (q *netQueue) push(j job) {
	q.mu.RLock()
	if q.closed {
		q.mu.RUnlock()
		putBuf(j.buf)
		q.dropClosed.Add(1)
		q.maybeReportLoss()
		return
	}
	select {
	case q.q <- j:
		q.mu.RUnlock()
	default:
		q.mu.RUnlock()
		putBuf(j.buf)
		q.dropFull.Add(1)
		q.maybeReportLoss()
	}
}

// maybeReportLoss reports unreported drops, at most once per second; the
// compare-and-swap elects one reporter among concurrent callers.
func (q *netQueue) maybeReportLoss() {
	now := q.clk.Now().UnixNano()
	last := q.lastLoss.Load()
	if last != 0 && now-last < int64(time.Second) {
		return
	}
	if !q.lastLoss.CompareAndSwap(last, now) {
		return
	}
	q.reportLoss()
}

func (q *netQueue) reportLoss() {
	for _, c := range []struct {
		n, reported *atomic.Uint64
		reason      string
	}{{&q.dropFull, &q.reportedFull, "queue full"}, {&q.dropClosed, &q.reportedClosed, "after close"}} {
		n := c.n.Load()
		if prev := c.reported.Swap(n); n > prev {
			q.onError(&LossError{Handler: q.name, Dropped: n - prev, Reason: c.reason})
		}
	}
}

// stats returns a snapshot of the counters.
func (q *netQueue) stats() NetStats {
	return NetStats{
		Queued:  len(q.q),
		Sent:    q.sent.Load(),
		Failed:  q.failed.Load(),
		Dropped: q.dropFull.Load() + q.dropClosed.Load() + q.dropAbort.Load(),
		Retries: q.retries.Load(),
	}
}

// run is the worker: it owns the transport.
func (q *netQueue) run() {
	defer close(q.done)
	defer func() {
		// Close's ctx ended: what is still queued is dropped, counted.
		for {
			select {
			case j := <-q.q:
				putBuf(j.buf)
				q.dropAbort.Add(1)
			default:
				q.report(q.tr.close())
				return
			}
		}
	}()
	for {
		select {
		case j := <-q.q:
			q.handle(j)
			continue
		default:
		}
		q.tr.idle()
		select {
		case j := <-q.q:
			q.handle(j)
		case reply := <-q.flushc:
			// Everything queued before Flush sent its request is in the
			// queue now: drain it, then answer.
			if !q.drain() {
				return
			}
			reply <- struct{}{}
		case <-q.stop:
			// Admission is closed: what is queued is all there will be.
			q.drain()
			return
		case <-q.ctx.Done():
			return
		}
	}
}

// drain delivers until the queue is empty; it returns false when the
// worker was cancelled.
func (q *netQueue) drain() bool {
	for {
		select {
		case j := <-q.q:
			q.handle(j)
			if q.ctx.Err() != nil {
				return false
			}
		default:
			return true
		}
	}
}

// handle delivers one record, retrying after transient failures with
// exponential backoff until it is delivered, fails for good, or the worker
// is cancelled (Close's ctx ended).
func (q *netQueue) handle(j job) {
	defer putBuf(j.buf)
	backoff := q.backoffMin
	outage := false
	for {
		err := q.tr.deliver(q.ctx, j, len(q.q) > 0)
		if err == nil {
			q.sent.Add(1)
			if outage {
				q.onError(fmt.Errorf("handler %q: delivering again", q.name))
			}
			return
		}
		if q.ctx.Err() != nil {
			q.dropAbort.Add(1)
			return
		}
		var te *transientError
		if !errors.As(err, &te) {
			q.failed.Add(1)
			q.onError(fmt.Errorf("handler %q: %w", q.name, err))
			return
		}
		q.retries.Add(1)
		if !outage {
			// One report per outage, not one per attempt.
			outage = true
			q.onError(fmt.Errorf("handler %q: %w (holding records, retrying)", q.name, err))
		}
		t := q.clk.NewTimer(backoff)
		select {
		case <-t.C():
		case <-q.ctx.Done():
			t.Stop()
			q.dropAbort.Add(1)
			return
		}
		backoff = min(backoff*2, q.backoffMax)
	}
}

func (q *netQueue) report(err error) {
	if err != nil {
		q.onError(fmt.Errorf("handler %q: %w", q.name, err))
	}
}

// flush waits until every record queued before the call was handled, or
// ctx ends.
func (q *netQueue) flush(ctx context.Context) error {
	reply := make(chan struct{}, 1)
	select {
	case q.flushc <- reply:
	case <-q.done:
		return nil
	case <-ctx.Done():
		return q.undelivered(ctx.Err())
	}
	select {
	case <-reply:
		return nil
	case <-q.done:
		return nil
	case <-ctx.Done():
		return q.undelivered(ctx.Err())
	}
}

func (q *netQueue) undelivered(cause error) error {
	return &UndeliveredError{Handler: q.name, Pending: len(q.q), Cause: cause}
}

// shutdown stops admission, lets the worker drain the queue within ctx,
// and cancels it when ctx ends (aborting a connection in progress, dropping
// what is left). It always waits for the worker to exit, which is prompt
// once cancelled. It is idempotent.
func (q *netQueue) shutdown(ctx context.Context) error {
	if q.closing.Swap(true) {
		// Another Close is draining; wait for it within this ctx.
		select {
		case <-q.done:
			return nil
		case <-ctx.Done():
			return q.undelivered(ctx.Err())
		}
	}
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	close(q.stop)
	var err error
	select {
	case <-q.done:
	case <-ctx.Done():
		err = q.undelivered(ctx.Err())
		q.cancel()
		<-q.done
	}
	q.cancel()
	q.reportLoss()
	return err
}

// String summarises the counters.
func (s NetStats) String() string {
	return fmt.Sprintf("queued %d, sent %d, failed %d, dropped %d, retries %d", s.Queued, s.Sent, s.Failed, s.Dropped, s.Retries)
}
