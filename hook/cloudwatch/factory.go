package cloudwatch

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/logdict/logging/core"
)

// unsupported are watchtower arguments this handler refuses, with why.
var unsupported = []struct{ key, why string }{
	{"json_serialize_default", "formatting belongs to the formatter: use a json formatter"},
	{"add_log_record_attrs", "formatting belongs to the formatter: use a json formatter with the attributes in its format"},
	{"boto3_client", "a client cannot come from a config file: use region, endpoint_url and the profile or credential keys, or New with Options.Client"},
	{"boto3_session", "removed in watchtower 2.0: use boto3_profile_name"},
}

// Factory builds a [Handler] from a handler section of a configuration,
// with watchtower's argument names (the old names log_group, stream_name
// and profile, and endpoint for endpoint_url, are aliases; giving both is an
// error). It is a [core.HandlerFactory]. Every bad value is reported with
// its key path, and nothing is started when any is bad.
//
// Keys: log_group_name, log_stream_name, send_interval, max_batch_size,
// max_batch_count, max_message_size, oversize, create_log_group,
// create_log_stream, log_group_retention_days, log_group_tags,
// boto3_profile_name, region, endpoint_url, aws_access_key_id,
// aws_secret_access_key, aws_session_token, max_queue_events,
// max_queue_bytes, overflow, block_timeout, shutdown_timeout,
// request_timeout, senders, stream_idle_timeout, use_queues (true only).
func Factory(p *core.Params, env *core.Env) (core.Handler, error) {
	var o Options
	groupKey := p.Alias("log_group_name", "log_group")
	o.LogGroup = p.String(groupKey, DefaultLogGroup)
	if err := checkGroupName(o.LogGroup); err != nil {
		p.Errorf(groupKey, "%w: %v", core.ErrBadValue, err)
	}
	streamKey := p.Alias("log_stream_name", "stream_name")
	o.LogStream = p.String(streamKey, DefaultLogStream)
	if _, err := compileTemplate(o.LogStream); err != nil {
		p.Fail(streamKey, fmt.Errorf("%w: %v", core.ErrBadValue, err))
	}
	// 5s rather than watchtower's 60: a minute of logs lost on a crash (or
	// waiting in memory) is too much, and batching gains little past a few
	// seconds at typical rates; a full batch goes out at once anyway.
	o.SendInterval = p.Duration("send_interval", DefaultSendInterval, time.Millisecond, time.Hour)
	o.MaxBatchBytes = int(p.Int("max_batch_size", MaxBatchBytes, int64(2*len(TruncationMarker)+EventOverhead), MaxBatchBytes))
	o.MaxBatchEvents = int(p.Int("max_batch_count", MaxBatchEvents, 1, MaxBatchEvents))
	if p.Has("max_message_size") {
		o.MaxMessageBytes = int(p.Int("max_message_size", MaxMessageBytes, int64(2*len(TruncationMarker)), MaxMessageBytes))
		if o.MaxMessageBytes > o.MaxBatchBytes-EventOverhead {
			p.Errorf("max_message_size", "%w: %d does not fit in max_batch_size %d (with the %d-byte overhead)",
				core.ErrBadValue, o.MaxMessageBytes, o.MaxBatchBytes, EventOverhead)
		}
	}
	if p.OneOf("oversize", "truncate", "truncate", "split") == "split" {
		o.Oversize = Split
	}
	o.NoCreateLogGroup = !p.Bool("create_log_group", true)
	o.NoCreateLogStream = !p.Bool("create_log_stream", true)
	if p.Has("log_group_retention_days") {
		o.RetentionDays = int(p.Int("log_group_retention_days", 0, 1, 3653))
		if o.RetentionDays != 0 && !ValidRetention(o.RetentionDays) {
			p.Errorf("log_group_retention_days", "%w: %d is not a retention CloudWatch accepts (one of %v)",
				core.ErrBadValue, o.RetentionDays, retentionDays)
		}
	}
	o.Tags = p.StringMap("log_group_tags")
	profileKey := p.Alias("boto3_profile_name", "profile")
	o.AWS.Profile = p.String(profileKey, "")
	o.AWS.Region = p.String("region", "")
	o.AWS.Endpoint = p.String(p.Alias("endpoint_url", "endpoint"), "")
	o.AWS.AccessKeyID = p.String("aws_access_key_id", "")
	o.AWS.SecretAccessKey = p.String("aws_secret_access_key", "")
	o.AWS.SessionToken = p.String("aws_session_token", "")
	switch {
	case o.AWS.AccessKeyID != "" && o.AWS.SecretAccessKey == "":
		p.Errorf("aws_secret_access_key", "%w: required with aws_access_key_id", core.ErrMissing)
	case o.AWS.AccessKeyID == "" && o.AWS.SecretAccessKey != "":
		p.Errorf("aws_access_key_id", "%w: required with aws_secret_access_key", core.ErrMissing)
	}
	o.MaxQueueEvents = int(p.Int("max_queue_events", DefaultMaxQueueEvents, 1, 100_000_000))
	o.MaxQueueBytes = p.Int("max_queue_bytes", DefaultMaxQueueBytes, 64<<10, math.MaxInt64)
	if err := o.Overflow.UnmarshalText([]byte(p.OneOf("overflow", "drop_oldest", "drop_oldest", "drop_newest", "block"))); err != nil {
		p.Fail("overflow", err) // unreachable: OneOf checked the name
	}
	o.BlockTimeout = p.Duration("block_timeout", DefaultBlockTimeout, time.Millisecond, time.Minute)
	o.ShutdownTimeout = p.Duration("shutdown_timeout", DefaultShutdownTimeout, time.Millisecond, time.Hour)
	o.RequestTimeout = p.Duration("request_timeout", DefaultRequestTimeout, 10*time.Millisecond, 10*time.Minute)
	o.Senders = int(p.Int("senders", DefaultSenders, 1, 64))
	o.StreamIdle = p.Duration("stream_idle_timeout", DefaultStreamIdle, time.Second, 30*24*time.Hour)
	if !p.Bool("use_queues", true) {
		p.Errorf("use_queues", "%w: false is not supported: it would make every log call wait for a PutLogEvents round trip; "+
			"this handler always queues (lower send_interval, or call Flush, to send sooner)", core.ErrBadValue)
	}
	for _, u := range unsupported {
		if p.Has(u.key) {
			p.Errorf(u.key, "%w: not supported: %s", core.ErrBadValue, u.why)
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if env != nil {
		o.OnError = env.OnError
	}
	h, err := New(context.Background(), o)
	if err != nil {
		// Only the AWS configuration can fail here; name the key behind it.
		key := "region"
		if o.AWS.Profile != "" && !errors.Is(err, ErrNoRegion) {
			key = profileKey
		}
		return nil, &core.ConfigError{Path: p.Path(key), Err: err}
	}
	if env != nil && env.Name != "" {
		h.name = env.Name
	}
	return h, nil
}
