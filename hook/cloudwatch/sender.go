package cloudwatch

import (
	"cmp"
	"context"
	"errors"
	"math/rand/v2"
	"net"
	"slices"
	"strings"
	"time"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/smithy-go"
)

// errAborted is the cause of events given up when Close's deadline passed.
var errAborted = errors.New("close deadline passed before delivery")

// errNotCreated is the cause of events whose group or stream is missing
// while create_log_group or create_log_stream is false.
var errNotCreated = errors.New("missing and not created (create_log_group/create_log_stream is false)")

// errKind is what the handler does about a failed call.
type errKind int

const (
	kindTransient     errKind = iota // throttling, 5xx, network, timeout: back off and resend
	kindGroupMissing                 // create the group (and stream), resend
	kindStreamMissing                // create the stream, resend
	kindInvalid                      // never resend as is: split, or drop the event
	kindAuth                         // credentials: report loudly, resend a few times, drop
	kindPermanent                    // other client errors: resend a few times, drop
	kindDone                         // counts as success (DataAlreadyAccepted)
)

// maxHardAttempts bounds the tries of a batch that fails with an
// authentication or unexpected client error. Such errors rarely heal
// within seconds, and holding the batch longer only makes the queue drop
// newer events instead; the drop is counted and reported.
const maxHardAttempts = 4

// maxCreates bounds the group/stream creations per batch (a group deleted
// again and again must not keep a sender busy forever).
const maxCreates = 3

// splitBudget bounds the extra calls spent isolating events that
// CloudWatch refuses with InvalidParameterException.
const splitBudget = 64

func classify(err error) errKind {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		switch ae.ErrorCode() {
		case "ResourceNotFoundException":
			if strings.Contains(strings.ToLower(ae.ErrorMessage()), "stream") {
				return kindStreamMissing
			}
			return kindGroupMissing
		case "InvalidParameterException", "ValidationException", "SerializationException":
			return kindInvalid
		case "ThrottlingException", "ServiceUnavailableException", "InternalFailure",
			"InternalServerException", "RequestTimeout", "RequestTimeoutException",
			"InvalidSequenceTokenException", "OperationAbortedException", "TooManyRequestsException":
			return kindTransient
		case "DataAlreadyAcceptedException":
			return kindDone
		case "UnrecognizedClientException", "AccessDeniedException", "InvalidClientTokenId",
			"ExpiredTokenException", "SignatureDoesNotMatch", "MissingAuthenticationToken",
			"IncompleteSignature", "InvalidSignatureException":
			return kindAuth
		}
		// LimitExceededException is a resource count, not a rate: it is
		// permanent here, unlike in the SDK's retryer.
		var hs interface{ HTTPStatusCode() int }
		if errors.As(err, &hs) && (hs.HTTPStatusCode() >= 500 || hs.HTTPStatusCode() == 429) {
			return kindTransient
		}
		return kindPermanent
	}
	var se *v4.SigningError
	if errors.As(err, &se) {
		return kindAuth // no credentials could be found or refreshed
	}
	return kindTransient
}

// unanswered reports whether a failed call may still have been performed:
// the request may have reached the service, but no error answer came back
// (an answer with a 2xx status whose body was lost counts as none).
func unanswered(err error) bool {
	var hs interface{ HTTPStatusCode() int }
	var se *v4.SigningError
	var oe *net.OpError
	switch {
	case errors.As(err, &hs) && hs.HTTPStatusCode() >= 300: // the service refused it
		return false
	case errors.As(err, &se): // never sent
		return false
	case errors.As(err, &oe) && oe.Op == "dial": // never connected
		return false
	}
	return true
}

// sender is one of the goroutines that send batches; it owns its scratch
// slice of InputLogEvents.
func (h *Handler) sender() {
	defer h.senders.Done()
	evs := make([]types.InputLogEvent, 0, 256)
	for b := range h.work {
		var r result
		r, evs = h.sendBatch(b, evs)
		h.results <- r
	}
}

type span struct{ lo, hi int }

// sendBatch delivers b, retrying under its own loop, and accounts for
// every event of it in the result.
func (h *Handler) sendBatch(b *batch, evs []types.InputLogEvent) (result, []types.InputLogEvent) {
	r := result{b: b}
	// Stable: events with equal timestamps keep their logging order.
	slices.SortStableFunc(b.items, func(x, y item) int { return cmp.Compare(x.ts, y.ts) })
	todo := []span{{0, len(b.items)}}
	splits, creates := 0, 0
	for len(todo) > 0 {
		sp := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		items := b.items[sp.lo:sp.hi]
		for attempt := 1; ; attempt++ {
			if h.sendCtx.Err() != nil {
				r.undeliverable += len(items)
				for _, s := range todo {
					r.undeliverable += s.hi - s.lo
				}
				if r.err == nil {
					r.err = errAborted
				}
				return r, evs
			}
			if attempt > 1 {
				h.c.retries.Add(int64(len(items)))
			}
			var out *cloudwatchlogs.PutLogEventsOutput
			var err error
			out, evs, err = h.put(b.st.name, items, evs)
			if err == nil || classify(err) == kindDone {
				h.countAccepted(&r, out, len(items))
				h.ensureRetention()
				break
			}
			h.c.failedCalls.Add(1)
			if unanswered(err) {
				h.c.unanswered.Add(int64(len(items)))
			}
			if h.sendCtx.Err() != nil {
				continue // counted as undeliverable above
			}
			r.err = err
			ce := &CallError{Op: "PutLogEvents", Group: h.opts.LogGroup, Stream: b.st.name,
				Events: len(items), Attempt: attempt, Err: err}
			kind := classify(err)
			if kind == kindGroupMissing || kind == kindStreamMissing {
				if creates < maxCreates {
					cerr := h.create(kind, b.st.name)
					if cerr == nil {
						creates++
						continue
					}
					r.err = cerr
					if !errors.Is(cerr, errNotCreated) {
						switch classify(cerr) {
						case kindTransient:
							h.backoff(attempt) // CreateLogGroup is throttled at a low rate
							continue
						case kindGroupMissing, kindStreamMissing:
							// The group vanished while its stream was being
							// created (deleted again mid-run, or another
							// sender's put saw only the stream missing):
							// resend, and create again from what it reports.
							creates++
							continue
						}
					}
				}
				ce.Action = "dropped: the log group or stream is missing and was not created"
				h.onError(ce)
				r.undeliverable += len(items)
				break
			}
			switch kind {
			case kindInvalid:
				if len(items) > 1 && splits < splitBudget {
					splits++
					mid := sp.lo + len(items)/2
					// Later half first on the stack, so order is kept.
					todo = append(todo, span{mid, sp.hi}, span{sp.lo, mid})
					ce.Action = "splitting the batch to find the invalid events"
					h.onError(ce)
				} else {
					ce.Action = "dropped as invalid"
					h.onError(ce)
					r.invalid += len(items)
				}
			case kindAuth, kindPermanent:
				if attempt >= maxHardAttempts {
					ce.Action = "dropped after retries"
					h.onError(ce)
					r.undeliverable += len(items)
					break
				}
				ce.Action = "retrying"
				h.onError(ce)
				h.backoff(attempt)
				continue
			default:
				ce.Action = "retrying"
				h.onError(ce)
				h.backoff(attempt)
				continue
			}
			break
		}
	}
	return r, evs
}

// put makes one PutLogEvents call with its own deadline. The events point
// into items, which stay untouched while the call runs.
func (h *Handler) put(streamName string, items []item, evs []types.InputLogEvent) (*cloudwatchlogs.PutLogEventsOutput, []types.InputLogEvent, error) {
	evs = evs[:0]
	for i := range items {
		evs = append(evs, types.InputLogEvent{Timestamp: &items[i].ts, Message: &items[i].msg})
	}
	ctx, cancel := context.WithTimeout(h.sendCtx, h.opts.RequestTimeout)
	defer cancel()
	out, err := h.client.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{
		LogGroupName:  &h.opts.LogGroup,
		LogStreamName: &streamName,
		LogEvents:     evs,
	}, withPutEncoder)
	clear(evs) // do not keep messages alive through the scratch slice
	return out, evs[:0], err
}

// countAccepted splits an accepted call's n events into sent and rejected
// by rejectedLogEventsInfo. The indices refer to the sorted events:
// [0, expiredEnd) expired, [0, tooOldEnd) too old (exclusive ends) and
// [tooNewStart, n) too new; an event both expired and too old counts once,
// as expired.
func (h *Handler) countAccepted(r *result, out *cloudwatchlogs.PutLogEventsOutput, n int) {
	r.batches++
	var old, expired, tooNewFrom = 0, 0, n
	if out != nil && out.RejectedLogEventsInfo != nil {
		ri := out.RejectedLogEventsInfo
		if ri.ExpiredLogEventEndIndex != nil {
			expired = clamp(int(*ri.ExpiredLogEventEndIndex), n)
		}
		if ri.TooOldLogEventEndIndex != nil {
			old = clamp(int(*ri.TooOldLogEventEndIndex), n)
		}
		if ri.TooNewLogEventStartIndex != nil {
			tooNewFrom = clamp(int(*ri.TooNewLogEventStartIndex), n)
		}
	}
	rejectedOld := max(old, expired)
	tooNewFrom = max(tooNewFrom, rejectedOld)
	r.expired += expired
	r.tooOld += rejectedOld - expired
	r.tooNew += n - tooNewFrom
	r.sent += tooNewFrom - rejectedOld
}

func clamp(v, n int) int { return min(max(v, 0), n) }

// backoff sleeps a jittered exponential delay before the next attempt, or
// until Close gives up.
func (h *Handler) backoff(attempt int) {
	d := h.opts.retryBase << min(attempt-1, 20)
	if d <= 0 || d > h.opts.retryMax {
		d = h.opts.retryMax
	}
	// Equal jitter: at least half the delay, so a throttled fleet spreads
	// out without ever hammering at zero delay.
	d = d/2 + rand.N(d/2+1)
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-h.sendCtx.Done():
	}
}

// create makes the missing group (when allowed, then its stream) or
// stream. "Already exists" and OperationAborted (a concurrent creation)
// count as success.
func (h *Handler) create(kind errKind, streamName string) error {
	if kind == kindGroupMissing {
		if h.opts.NoCreateLogGroup {
			return &CallError{Op: "CreateLogGroup", Group: h.opts.LogGroup, Err: errNotCreated}
		}
		err := h.call("CreateLogGroup", streamName, func(ctx context.Context) error {
			in := &cloudwatchlogs.CreateLogGroupInput{LogGroupName: &h.opts.LogGroup}
			if len(h.opts.Tags) > 0 {
				in.Tags = h.opts.Tags
			}
			_, err := h.client.CreateLogGroup(ctx, in)
			return err
		})
		if err != nil {
			return err
		}
		if h.opts.RetentionDays > 0 {
			h.retentionSet.Store(false)
			h.ensureRetention()
		}
	}
	if h.opts.NoCreateLogStream {
		return &CallError{Op: "CreateLogStream", Group: h.opts.LogGroup, Stream: streamName, Err: errNotCreated}
	}
	return h.call("CreateLogStream", streamName, func(ctx context.Context) error {
		_, err := h.client.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: &h.opts.LogGroup, LogStreamName: &streamName})
		return err
	})
}

// ensureRetention sets the group's retention once per handler, as
// watchtower does at construction, but off the logging path: after the
// first accepted batch or after creating the group.
func (h *Handler) ensureRetention() {
	if h.opts.RetentionDays == 0 || h.retentionSet.Swap(true) {
		return
	}
	days := int32(h.opts.RetentionDays)
	err := h.call("PutRetentionPolicy", "", func(ctx context.Context) error {
		_, err := h.client.PutRetentionPolicy(ctx, &cloudwatchlogs.PutRetentionPolicyInput{LogGroupName: &h.opts.LogGroup, RetentionInDays: &days})
		return err
	})
	if err != nil && classify(err) == kindTransient {
		h.retentionSet.Store(false) // try again after a later batch
	}
}

// call makes one control-plane call with its own deadline, treating the
// idempotent answers as success and reporting failures.
func (h *Handler) call(op, streamName string, fn func(ctx context.Context) error) error {
	ctx, cancel := context.WithTimeout(h.sendCtx, h.opts.RequestTimeout)
	defer cancel()
	err := fn(ctx)
	var ae smithy.APIError
	if err != nil && errors.As(err, &ae) {
		switch ae.ErrorCode() {
		case "ResourceAlreadyExistsException", "OperationAbortedException":
			return nil
		}
	}
	if err != nil {
		h.c.failedCalls.Add(1)
		err = &CallError{Op: op, Group: h.opts.LogGroup, Stream: streamName, Err: err}
		h.onError(err)
	}
	return err
}
