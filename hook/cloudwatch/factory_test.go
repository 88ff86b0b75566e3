package cloudwatch

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/logdict/logging/core"
)

func TestFactoryErrors(t *testing.T) {
	tests := []struct {
		name     string
		params   map[string]any
		wantPath string
		want     error
		wantText string
	}{
		{"batch count", map[string]any{"max_batch_count": 20000}, "handlers.watchtower.max_batch_count", core.ErrBadValue, "must be 1..10000, got 20000"},
		{"batch size", map[string]any{"max_batch_size": int64(2 << 20)}, "handlers.watchtower.max_batch_size", core.ErrBadValue, "1048576"},
		{"message size over batch", map[string]any{"max_batch_size": 1000, "max_message_size": 2000}, "handlers.watchtower.max_message_size", core.ErrBadValue, "does not fit"},
		{"old and new group names", map[string]any{"log_group": "a", "log_group_name": "b"}, "handlers.watchtower.log_group", core.ErrBadValue, "not both"},
		{"old and new stream names", map[string]any{"stream_name": "a", "log_stream_name": "b"}, "handlers.watchtower.stream_name", core.ErrBadValue, "not both"},
		{"bad group", map[string]any{"log_group_name": "my group"}, "handlers.watchtower.log_group_name", core.ErrBadValue, "may not hold"},
		{"bad template", map[string]any{"log_stream_name": "{host}"}, "handlers.watchtower.log_stream_name", core.ErrBadValue, "unknown placeholder {host}"},
		{"retention", map[string]any{"log_group_retention_days": 2}, "handlers.watchtower.log_group_retention_days", core.ErrBadValue, "not a retention"},
		{"overflow", map[string]any{"overflow": "drop_all"}, "handlers.watchtower.overflow", core.ErrBadValue, "drop_oldest, drop_newest, block"},
		{"oversize", map[string]any{"oversize": "wrap"}, "handlers.watchtower.oversize", core.ErrBadValue, "truncate, split"},
		{"send interval", map[string]any{"send_interval": "soon"}, "handlers.watchtower.send_interval", core.ErrBadValue, "duration"},
		{"senders", map[string]any{"senders": 0}, "handlers.watchtower.senders", core.ErrBadValue, "1..64"},
		{"use_queues false", map[string]any{"use_queues": false}, "handlers.watchtower.use_queues", core.ErrBadValue, "always queues"},
		{"json_serialize_default", map[string]any{"json_serialize_default": "str"}, "handlers.watchtower.json_serialize_default", core.ErrBadValue, "not supported"},
		{"add_log_record_attrs", map[string]any{"add_log_record_attrs": []any{"levelname"}}, "handlers.watchtower.add_log_record_attrs", core.ErrBadValue, "not supported"},
		{"typo", map[string]any{"send_intervall": 5}, "handlers.watchtower.send_intervall", core.ErrUnknownKey, `did you mean "send_interval"`},
		{"key without secret", map[string]any{"aws_access_key_id": "AKID"}, "handlers.watchtower.aws_secret_access_key", core.ErrMissing, "required"},
		{"secret hidden", map[string]any{"aws_secret_access_key": 12345}, "handlers.watchtower.aws_secret_access_key", core.ErrBadValue, "(value hidden)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := core.NewParams("handlers.watchtower", tt.params)
			h, err := Factory(p, &core.Env{Name: "watchtower"})
			if err == nil {
				_ = h.Close(t.Context())
				t.Fatal("no error")
			}
			var ce *core.ConfigError
			found := false
			for _, e := range unjoin(err) {
				if errors.As(e, &ce) && ce.Path == tt.wantPath {
					found = true
					break
				}
			}
			if !found || !errors.Is(ce, tt.want) || !strings.Contains(ce.Error(), tt.wantText) {
				t.Errorf("got %v\nwant %s: ...%s", err, tt.wantPath, tt.wantText)
			}
			if strings.Contains(err.Error(), "12345") {
				t.Error("secret echoed")
			}
		})
	}
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

func TestFactoryValues(t *testing.T) {
	srv := newServer(t)
	p := core.NewParams("handlers.cw", map[string]any{
		"log_group_name":           "G",
		"log_stream_name":          "{logger_name}",
		"send_interval":            int64(2),
		"max_batch_size":           int64(500_000),
		"max_batch_count":          int64(100),
		"oversize":                 "split",
		"create_log_group":         "false",
		"create_log_stream":        true,
		"log_group_retention_days": int64(14),
		"log_group_tags":           map[string]any{"team": "core", "n": int64(1)},
		"boto3_profile_name":       "",
		"region":                   "eu-west-1",
		"endpoint":                 srv.URL(),
		"aws_access_key_id":        testKey,
		"aws_secret_access_key":    testSecret,
		"aws_session_token":        "tok",
		"max_queue_events":         int64(1000),
		"max_queue_bytes":          int64(1 << 20),
		"overflow":                 "block",
		"block_timeout":            "250ms",
		"shutdown_timeout":         1.5,
		"request_timeout":          "3s",
		"senders":                  int64(4),
		"stream_idle_timeout":      "10m",
		"use_queues":               true,
	})
	ch, err := Factory(p, &core.Env{Name: "cw"})
	if err != nil {
		t.Fatal(err)
	}
	h := ch.(*Handler)
	defer h.Close(t.Context())
	o := h.opts
	checks := []struct {
		name      string
		got, want any
	}{
		{"group", o.LogGroup, "G"},
		{"interval", o.SendInterval, 2 * time.Second},
		{"batch bytes", o.MaxBatchBytes, 500_000},
		{"message bytes", o.MaxMessageBytes, 500_000 - EventOverhead},
		{"batch events", o.MaxBatchEvents, 100},
		{"oversize", o.Oversize, Split},
		{"no create group", o.NoCreateLogGroup, true},
		{"no create stream", o.NoCreateLogStream, false},
		{"retention", o.RetentionDays, 14},
		{"tags", o.Tags["n"], "1"},
		{"region", o.AWS.Region, "eu-west-1"},
		{"endpoint", o.AWS.Endpoint, srv.URL()},
		{"queue events", o.MaxQueueEvents, 1000},
		{"queue bytes", o.MaxQueueBytes, int64(1 << 20)},
		{"overflow", o.Overflow, Block},
		{"block", o.BlockTimeout, 250 * time.Millisecond},
		{"shutdown", o.ShutdownTimeout, 1500 * time.Millisecond},
		{"request", o.RequestTimeout, 3 * time.Second},
		{"senders", o.Senders, 4},
		{"idle", o.StreamIdle, 10 * time.Minute},
		{"name", h.name, "cw"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestNewErrors(t *testing.T) {
	t.Setenv("AWS_REGION", "")
	t.Setenv("AWS_DEFAULT_REGION", "")
	t.Setenv("AWS_CONFIG_FILE", t.TempDir()+"/none")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", t.TempDir()+"/none")
	t.Setenv("AWS_PROFILE", "")
	p := core.NewParams("handlers.watchtower", map[string]any{})
	_, err := Factory(p, nil)
	var ce *core.ConfigError
	if !errors.As(err, &ce) || ce.Path != "handlers.watchtower.region" || !errors.Is(err, ErrNoRegion) {
		t.Errorf("no region: %v", err)
	}
	p = core.NewParams("handlers.watchtower", map[string]any{"profile": "missing-profile", "region": "us-east-1"})
	_, err = Factory(p, nil)
	if !errors.As(err, &ce) || ce.Path != "handlers.watchtower.profile" || !strings.Contains(err.Error(), "missing-profile") {
		t.Errorf("missing profile: %v", err)
	}
}

func TestEndpointFromEnvironment(t *testing.T) {
	// AWS_ENDPOINT_URL_CLOUDWATCH_LOGS works through the SDK's default chain.
	srv := newServerWithStream(t)
	t.Setenv("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", srv.URL())
	t.Setenv("AWS_ACCESS_KEY_ID", testKey)
	t.Setenv("AWS_SECRET_ACCESS_KEY", testSecret)
	t.Setenv("AWS_REGION", "us-west-2")
	var log errLog
	h := newHandler(t, Options{LogGroup: testGroup, LogStream: testStream, NoExitHandler: true, OnError: log.add})
	emit(h, time.Now(), "via env")
	flush(t, h)
	if got := messages(srv.Events(testGroup, testStream)); len(got) != 1 || got[0] != "via env" {
		t.Errorf("stored %q\n%s", got, &log)
	}
}
