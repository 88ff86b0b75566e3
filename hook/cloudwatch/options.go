package cloudwatch

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/sirupsen/logrus"
)

// Client is the part of the CloudWatch Logs API the handler calls.
// *cloudwatchlogs.Client implements it; a wrapper may add metrics or
// tracing. Its methods are called from several goroutines at once.
type Client interface {
	PutLogEvents(ctx context.Context, in *cloudwatchlogs.PutLogEventsInput, opts ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.PutLogEventsOutput, error)
	CreateLogGroup(ctx context.Context, in *cloudwatchlogs.CreateLogGroupInput, opts ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.CreateLogGroupOutput, error)
	CreateLogStream(ctx context.Context, in *cloudwatchlogs.CreateLogStreamInput, opts ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.CreateLogStreamOutput, error)
	PutRetentionPolicy(ctx context.Context, in *cloudwatchlogs.PutRetentionPolicyInput, opts ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.PutRetentionPolicyOutput, error)
}

var _ Client = (*cloudwatchlogs.Client)(nil)

// Overflow is what Emit does when the queue is full. The zero value is
// [DropOldest].
type Overflow int

const (
	// DropOldest evicts the oldest queued events to make room, so the
	// newest logs survive an outage (OpenTelemetry's choice). The default.
	DropOldest Overflow = iota
	// DropNewest refuses the event being logged.
	DropNewest
	// Block makes the logging goroutine wait for room, at most
	// [Options.BlockTimeout], then drops the event.
	Block
)

var overflowNames = [...]string{DropOldest: "drop_oldest", DropNewest: "drop_newest", Block: "block"}

// String returns the config name: drop_oldest, drop_newest or block.
func (o Overflow) String() string {
	if o >= 0 && int(o) < len(overflowNames) {
		return overflowNames[o]
	}
	return fmt.Sprintf("Overflow(%d)", int(o))
}

// UnmarshalText parses drop_oldest, drop_newest or block.
func (o *Overflow) UnmarshalText(b []byte) error {
	for i, n := range overflowNames {
		if string(b) == n {
			*o = Overflow(i)
			return nil
		}
	}
	return fmt.Errorf("unknown overflow policy %q (want one of: block, drop_newest, drop_oldest)", b)
}

// MarshalText returns the config name.
func (o Overflow) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// Oversize is what happens to a message longer than
// [Options.MaxMessageBytes]. The zero value is [Truncate].
type Oversize int

const (
	// Truncate cuts the message at a character boundary and ends it with
	// [TruncationMarker]. The default, as in watchtower.
	Truncate Oversize = iota
	// Split sends the message as several events, cut at character
	// boundaries, with the same timestamp and in order.
	Split
)

// TruncationMarker ends a truncated message.
const TruncationMarker = "...[truncated]"

var oversizeNames = [...]string{Truncate: "truncate", Split: "split"}

// String returns the config name: truncate or split.
func (o Oversize) String() string {
	if o >= 0 && int(o) < len(oversizeNames) {
		return oversizeNames[o]
	}
	return fmt.Sprintf("Oversize(%d)", int(o))
}

// UnmarshalText parses truncate or split.
func (o *Oversize) UnmarshalText(b []byte) error {
	for i, n := range oversizeNames {
		if string(b) == n {
			*o = Oversize(i)
			return nil
		}
	}
	return fmt.Errorf("unknown oversize policy %q (want truncate or split)", b)
}

// MarshalText returns the config name.
func (o Oversize) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// Defaults of [Options].
const (
	DefaultLogGroup        = "watchtower"
	DefaultLogStream       = "{machine_name}/{program_name}/{logger_name}/{process_id}"
	DefaultSendInterval    = 5 * time.Second
	DefaultMaxQueueEvents  = 100_000
	DefaultMaxQueueBytes   = 64 << 20
	DefaultBlockTimeout    = time.Second
	DefaultShutdownTimeout = 10 * time.Second
	DefaultRequestTimeout  = 30 * time.Second
	DefaultSenders         = 2
	DefaultStreamIdle      = time.Hour
)

// AWS says where and as whom to connect when [Options.Client] is nil. Empty
// fields fall back to the SDK's default chain (environment, shared config
// and credentials files, SSO, container and instance roles), so
// AWS_REGION, AWS_PROFILE and AWS_ENDPOINT_URL_CLOUDWATCH_LOGS work.
type AWS struct {
	Region          string
	Profile         string // boto3_profile_name
	Endpoint        string // endpoint_url, e.g. a local server
	AccessKeyID     string // static credentials; all or none of the two
	SecretAccessKey string
	SessionToken    string
}

// String shows a without its secrets (the secret access key and the
// session token), so that printing Options or AWS with %v or %+v, in a
// debug dump or a panic, leaks no credential.
func (a AWS) String() string {
	return fmt.Sprintf("{Region:%s Profile:%s Endpoint:%s AccessKeyID:%s SecretAccessKey:%s SessionToken:%s}",
		a.Region, a.Profile, a.Endpoint, a.AccessKeyID, hidden(a.SecretAccessKey), hidden(a.SessionToken))
}

// GoString is String for %#v.
func (a AWS) GoString() string {
	return fmt.Sprintf("cloudwatch.AWS{Region:%q, Profile:%q, Endpoint:%q, AccessKeyID:%q, SecretAccessKey:%s, SessionToken:%s}",
		a.Region, a.Profile, a.Endpoint, a.AccessKeyID, hidden(a.SecretAccessKey), hidden(a.SessionToken))
}

func hidden(s string) string {
	if s == "" {
		return `""`
	}
	return "(hidden)"
}

// Options configures a [Handler]. The zero value of every field means its
// default, so Options{} ships to the "watchtower" group with the SDK's
// default credentials. Fields mirror the config keys of [Factory].
type Options struct {
	LogGroup  string // log_group_name; default "watchtower"
	LogStream string // log_stream_name template; default DefaultLogStream

	SendInterval    time.Duration // longest an event waits for a batch to fill; default 5s
	MaxBatchBytes   int           // default and most MaxBatchBytes
	MaxBatchEvents  int           // default and most MaxBatchEvents
	MaxMessageBytes int           // default MaxMessageBytes (or MaxBatchBytes-26 if less)
	Oversize        Oversize      // truncate (default) or split

	NoCreateLogGroup  bool              // do not create a missing group (create_log_group = false)
	NoCreateLogStream bool              // do not create a missing stream
	RetentionDays     int               // 0: leave the group's retention alone
	Tags              map[string]string // tags of a group this handler creates

	MaxQueueEvents int           // events held (queued or being sent); default 100,000
	MaxQueueBytes  int64         // bytes held: CloudWatch size + 26 + 32 (ring slot) each; default 64 MiB
	Overflow       Overflow      // default DropOldest
	BlockTimeout   time.Duration // longest wait of Block; default 1s

	ShutdownTimeout time.Duration // Close without a deadline and logrus's exit handler; default 10s
	RequestTimeout  time.Duration // one PutLogEvents call; default 30s
	Senders         int           // concurrent PutLogEvents calls; default 2
	StreamIdle      time.Duration // forget a stream name unused this long; default 1h

	// Client, when set, is used as is (its retryer included); else one is
	// built from AWS with the SDK's retries and logging turned off, as the
	// handler retries on its own and must not log into itself.
	Client Client
	AWS    AWS

	// OnError receives the handler's own problems: failed calls, drops,
	// rejections (aggregated at most once a second). It is called from the
	// handler's goroutines (from Emit only once: for the first record after
	// Close), and must not log through a logger that uses this handler. Nil means rate-limited lines on
	// os.Stderr.
	OnError func(error)

	// Formatter renders entries for Fire (plain logrus use). Nil sends the
	// entry's message alone.
	Formatter logrus.Formatter
	// Levels are the levels Fire is called for. Nil means all.
	Levels []logrus.Level
	// NoExitHandler skips logrus.RegisterExitHandler, which otherwise
	// closes the handler within ShutdownTimeout when logrus's Fatal exits.
	NoExitHandler bool

	// Test hooks, unexported so only this package's tests set them.
	now         func() time.Time // clock of the too-old/too-new checks
	coarseNow   bool             // now is time.Now: Emit may read the owner's copy (Handler.clockMS)
	retryBase   time.Duration    // first backoff; default 100ms
	retryMax    time.Duration    // longest backoff; default 20s
	reportEvery time.Duration    // aggregation of drop reports; default 1s
}

// withDefaults returns o with every zero field set to its default.
func (o Options) withDefaults() Options {
	def := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	if o.LogGroup == "" {
		o.LogGroup = DefaultLogGroup
	}
	if o.LogStream == "" {
		o.LogStream = DefaultLogStream
	}
	def(&o.SendInterval, DefaultSendInterval)
	if o.MaxBatchBytes <= 0 || o.MaxBatchBytes > MaxBatchBytes {
		o.MaxBatchBytes = MaxBatchBytes
	}
	if o.MaxBatchEvents <= 0 || o.MaxBatchEvents > MaxBatchEvents {
		o.MaxBatchEvents = MaxBatchEvents
	}
	if o.MaxMessageBytes <= 0 || o.MaxMessageBytes > o.MaxBatchBytes-EventOverhead {
		o.MaxMessageBytes = o.MaxBatchBytes - EventOverhead
	}
	if o.MaxQueueEvents <= 0 {
		o.MaxQueueEvents = DefaultMaxQueueEvents
	}
	if o.MaxQueueBytes <= 0 {
		o.MaxQueueBytes = DefaultMaxQueueBytes
	}
	def(&o.BlockTimeout, DefaultBlockTimeout)
	def(&o.ShutdownTimeout, DefaultShutdownTimeout)
	def(&o.RequestTimeout, DefaultRequestTimeout)
	if o.Senders <= 0 {
		o.Senders = DefaultSenders
	}
	def(&o.StreamIdle, DefaultStreamIdle)
	if o.now == nil {
		o.now, o.coarseNow = time.Now, true
	}
	def(&o.retryBase, 100*time.Millisecond)
	def(&o.retryMax, 20*time.Second)
	def(&o.reportEvery, time.Second)
	return o
}
