package cwlocal

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// CloudWatch Logs limits, from the PutLogEvents, CreateLogGroup and
// PutRetentionPolicy pages of the API reference
// (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html).
const (
	MaxBatchEvents   = 10_000         // events per PutLogEvents call
	MaxBatchBytes    = 1_048_576      // sum of message bytes + EventOverhead per event
	MaxEventBytes    = 1_048_576      // one event, overhead included (1 MB since April 2025)
	EventOverhead    = 26             // bytes charged per event on top of its message
	MaxBatchSpan     = 24 * time.Hour // between the oldest and newest accepted event
	MaxFutureSkew    = 2 * time.Hour  // newer events are rejected, not stored
	MaxEventAge      = 14 * 24 * time.Hour
	maxNameLen       = 512
	maxDescribeLimit = 50
	maxEventsLimit   = 10_000
	groupPattern     = `[\.\-_/#A-Za-z0-9]+`
	streamPattern    = `[^:*]*`
)

// retentionDays are the only values PutRetentionPolicy accepts.
var retentionDays = []int32{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731,
	1096, 1827, 2192, 2557, 2922, 3288, 3653}

// Messages of PutLogEvents batch-rule failures.
const (
	msgOrder = "Log events in a single PutLogEvents request must be in chronological order."
	msgSpan  = "The batch of log events in a single PutLogEvents request cannot span more than 24 hours."
)

func isGroupChar(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
		strings.ContainsRune("._-/#", r)
}

func validGroupName(s string) bool {
	for _, r := range s {
		if !isGroupChar(r) {
			return false
		}
	}
	return true
}

func validStreamName(s string) bool { return !strings.ContainsAny(s, ":*") }

// groupName validates a required log group name member.
func (v *violations) groupName(name *string, path string) {
	if name == nil {
		v.notNull(path)
		return
	}
	v.str(*name, path, 1, maxNameLen, groupPattern, validGroupName)
}

// streamName validates a required log stream name member.
func (v *violations) streamName(name *string, path string) {
	if name == nil {
		v.notNull(path)
		return
	}
	v.str(*name, path, 1, maxNameLen, streamPattern, validStreamName)
}

func (v *violations) retention(days *int32) {
	if days == nil {
		v.notNull("retentionInDays")
		return
	}
	if !slices.Contains(retentionDays, *days) {
		list := fmt.Sprint(retentionDays)
		list = strings.ReplaceAll(list[1:len(list)-1], " ", ", ")
		v.add("Value '%d' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [%s]", *days, list)
	}
}

// MessageSize returns the bytes CloudWatch charges for message: its UTF-8
// length, where each invalid byte counts 3 because the service replaces it
// with U+FFFD. It excludes the per-event [EventOverhead].
func MessageSize(message string) int {
	n := 0
	for i := 0; i < len(message); {
		r, w := utf8.DecodeRuneInString(message[i:])
		if r == utf8.RuneError && w == 1 {
			n += 3
		} else {
			n += w
		}
		i += w
	}
	return n
}

// inputEvent is one element of PutLogEvents' logEvents.
type inputEvent struct {
	Timestamp *int64  `json:"timestamp"`
	Message   *string `json:"message"`
}

// validateBatch applies the request-wide PutLogEvents rules that do not
// depend on the clock or on stored state, and returns the charged size.
func validateBatch(events []inputEvent) (int, *apiError) {
	var v violations
	switch {
	case events == nil:
		v.notNull("logEvents")
	case len(events) == 0:
		v.add("Value '[]' at 'logEvents' failed to satisfy constraint: Member must have length greater than or equal to 1")
	case len(events) > MaxBatchEvents:
		v.add("Value at 'logEvents' failed to satisfy constraint: Member must have length less than or equal to %d", MaxBatchEvents)
	}
	for i, e := range events {
		path := fmt.Sprintf("logEvents.%d.member", i+1)
		if e.Timestamp == nil {
			v.notNull(path + ".timestamp")
		} else if *e.Timestamp < 0 {
			v.add("Value '%d' at '%s.timestamp' failed to satisfy constraint: Member must have value greater than or equal to 0", *e.Timestamp, path)
		}
		if e.Message == nil {
			v.notNull(path + ".message")
		} else if *e.Message == "" {
			v.add("Value '' at '%s.message' failed to satisfy constraint: Member must have length greater than or equal to 1", path)
		}
		if len(v) >= 10 {
			break // the service also stops listing after a handful
		}
	}
	if err := v.err(); err != nil {
		return 0, err
	}
	total := 0
	for i, e := range events {
		size := MessageSize(*e.Message) + EventOverhead
		if size > MaxEventBytes {
			return 0, invalidParam("Log event too large: %d bytes exceeds limit of %d", size, MaxEventBytes)
		}
		total += size
		if i > 0 && *e.Timestamp < *events[i-1].Timestamp {
			return 0, invalidParam(msgOrder)
		}
	}
	if total > MaxBatchBytes {
		return 0, invalidParam("Upload too large: %d bytes exceeds limit of %d", total, MaxBatchBytes)
	}
	return total, nil
}

// rejection is the outcome of the time windows for a sorted batch: events
// [start, end) are accepted; the three indices are -1 when unset.
type rejection struct {
	start, end                  int
	tooOld, expired, tooNewFrom int
}

// classify applies the time windows at now (ms) to sorted timestamps.
// retentionDays 0 means the group never expires events.
func classify(ts []int64, now int64, retentionDays int32) rejection {
	r := rejection{end: len(ts), tooOld: -1, expired: -1, tooNewFrom: -1}
	oldest := now - MaxEventAge.Milliseconds()
	newest := now + MaxFutureSkew.Milliseconds()
	n := 0
	for n < len(ts) && ts[n] < oldest {
		n++
	}
	if n > 0 {
		r.tooOld = n
	}
	r.start = n
	if retentionDays > 0 {
		cutoff := now - int64(retentionDays)*24*time.Hour.Milliseconds()
		e := 0
		for e < len(ts) && ts[e] < cutoff {
			e++
		}
		if e > 0 {
			r.expired = e
		}
		r.start = max(r.start, e)
	}
	for i := len(ts) - 1; i >= r.start && ts[i] > newest; i-- {
		r.tooNewFrom = i
		r.end = i
	}
	return r
}
