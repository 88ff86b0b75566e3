package cloudwatch

import "sync/atomic"

// Stats is a snapshot of a handler's counters, all in events unless named
// otherwise. It is a plain value; see [Handler.Stats].
//
// Every event the handler is given ends in exactly one place, so
//
//	Emitted == Sent + Dropped.Total() + Rejected.Total() + QueueLen
//
// holds exactly whenever no Emit or send is in progress (after Flush, or
// after Close). An oversize message split in k parts counts as k events.
type Stats struct {
	Emitted  int64 // events given to Emit or Fire (split parts counted)
	Enqueued int64 // events admitted to the queue
	Sent     int64 // events CloudWatch accepted
	Batches  int64 // successful PutLogEvents calls

	Retries     int64 // resends of events after a failed call
	FailedCalls int64 // API calls that returned an error (any operation)

	// Unanswered counts the events of PutLogEvents calls that failed with
	// no answer from the service (a timeout, a connection lost after the
	// request left): CloudWatch may have stored them, so the resend that
	// follows can store them twice, and a drop may not be a loss. It is
	// the upper bound of duplicates; delivery is at least once.
	Unanswered int64

	Dropped  Drops      // events not delivered, by reason
	Rejected Rejections // events outside CloudWatch's time window

	Truncated int64 // events cut to MaxMessageBytes (still sent)
	Split     int64 // extra events made by splitting oversize messages

	QueueLen   int64 // events held: queued, being batched or being sent
	QueueBytes int64 // their bytes: CloudWatch size + 26, + 32 for the handler's ring slot
}

// Drops counts events the handler gave up on, by reason.
type Drops struct {
	Overflow int64 // the queue was full (overflow policy)
	Empty    int64 // empty message (CloudWatch rejects them)
	Closed   int64 // logged after Close began
	Invalid  int64 // CloudWatch answered InvalidParameterException for the event alone
	// Undeliverable: retries exhausted, a missing group or stream not
	// created, or Close's deadline passed. In the last case a call that was
	// in flight may still have been stored by the service: its fate is
	// unknown, and it is counted here, never as sent.
	Undeliverable int64
}

// Total returns the sum of all reasons.
func (d Drops) Total() int64 {
	return d.Overflow + d.Empty + d.Closed + d.Invalid + d.Undeliverable
}

// Rejections counts events outside CloudWatch's time window, whether the
// handler filtered them before sending or the service reported them in
// rejectedLogEventsInfo.
type Rejections struct {
	TooNew  int64 // more than 2 h ahead of the clock
	TooOld  int64 // older than 14 days
	Expired int64 // older than the group's retention
}

// Total returns the sum of all reasons.
func (r Rejections) Total() int64 { return r.TooNew + r.TooOld + r.Expired }

// counters are the atomics behind Stats. QueueLen, QueueBytes and
// Dropped.Overflow live in the queue, under its lock (queue.fill).
type counters struct {
	emitted, enqueued, sent, batches atomic.Int64
	retries, failedCalls, unanswered atomic.Int64
	empty, closed                    atomic.Int64
	invalid, undeliverable           atomic.Int64
	tooNew, tooOld, expired          atomic.Int64
	truncated, split                 atomic.Int64
}

func (c *counters) snapshot() Stats {
	return Stats{
		Emitted:     c.emitted.Load(),
		Enqueued:    c.enqueued.Load(),
		Sent:        c.sent.Load(),
		Batches:     c.batches.Load(),
		Retries:     c.retries.Load(),
		FailedCalls: c.failedCalls.Load(),
		Unanswered:  c.unanswered.Load(),
		Dropped: Drops{
			Empty:         c.empty.Load(),
			Closed:        c.closed.Load(),
			Invalid:       c.invalid.Load(),
			Undeliverable: c.undeliverable.Load(),
		},
		Rejected: Rejections{
			TooNew:  c.tooNew.Load(),
			TooOld:  c.tooOld.Load(),
			Expired: c.expired.Load(),
		},
		Truncated: c.truncated.Load(),
		Split:     c.split.Load(),
	}
}
