package cloudwatch

import (
	"slices"
	"time"
	"unicode/utf8"
)

// CloudWatch Logs limits, from the PutLogEvents page of the API reference
// (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html),
// the InputLogEvent, CreateLogGroup and LogStream pages, and the April 2025
// announcement that raised the event size to 1 MB.
const (
	// MaxBatchEvents is the most events one PutLogEvents call may carry.
	MaxBatchEvents = 10_000
	// MaxBatchBytes is the most bytes one PutLogEvents call may carry,
	// counted as each message's UTF-8 length plus [EventOverhead].
	MaxBatchBytes = 1_048_576
	// EventOverhead is what the service charges per event on top of its
	// message.
	EventOverhead = 26
	// MaxMessageBytes is the largest message: a 1 MB event plus its
	// overhead must still fit in one batch.
	MaxMessageBytes = MaxBatchBytes - EventOverhead
	// MaxBatchSpan is the widest time span of one batch.
	MaxBatchSpan = 24 * time.Hour
	// MaxFutureSkew is how far ahead of the service clock an event may be;
	// newer events are rejected.
	MaxFutureSkew = 2 * time.Hour
	// MaxEventAge is how old an event may be; older events are rejected,
	// and so are events older than the group's retention.
	MaxEventAge = 14 * 24 * time.Hour
	// MaxNameLen is the longest log group or stream name, in characters.
	MaxNameLen = 512
)

// retentionDays are the only values PutRetentionPolicy accepts.
var retentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731,
	1096, 1827, 2192, 2557, 2922, 3288, 3653}

// ValidRetention reports whether days is a value PutRetentionPolicy accepts.
func ValidRetention(days int) bool { return slices.Contains(retentionDays, days) }

// messageCost returns the bytes CloudWatch charges for p without the
// per-event overhead: its length, where each invalid UTF-8 byte counts 3
// because the service stores it as U+FFFD.
func messageCost(p []byte) int {
	if utf8.Valid(p) {
		return len(p)
	}
	n := 0
	for i := 0; i < len(p); {
		r, w := utf8.DecodeRune(p[i:])
		if r == utf8.RuneError && w == 1 {
			n += 3
		} else {
			n += w
		}
		i += w
	}
	return n
}

// cutPoint returns the length of the longest prefix of p that ends on a
// character boundary (an invalid byte is a character of its own) and costs
// at most limit, and that prefix's cost.
func cutPoint(p []byte, limit int) (n, cost int) {
	for n < len(p) {
		r, w := utf8.DecodeRune(p[n:])
		c := w
		if r == utf8.RuneError && w == 1 {
			c = 3
		}
		if cost+c > limit {
			break
		}
		cost += c
		n += w
	}
	return n, cost
}
