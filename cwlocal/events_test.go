package cwlocal_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/smithy-go"

	"github.com/logdict/logging/cwlocal"
)

func TestPutLogEventsBatchRules(t *testing.T) {
	clk := newClock()
	srv := start(t, cwlocal.WithClock(clk.Now))
	cl := client(srv)
	setup(t, cl, "g", "s")
	now := clk.ms(0)
	many := make([]types.InputLogEvent, 10_001)
	for i := range many {
		many[i] = ev(now, "x")
	}
	// 40 events of 26,188 bytes + 26 overhead = 1,048,560 bytes: just fits.
	fits := make([]types.InputLogEvent, 40)
	for i := range fits {
		fits[i] = ev(now, strings.Repeat("a", 26_188))
	}
	tooBig := append(append([]types.InputLogEvent{}, fits...), ev(now, "0123456789abcdef"))

	tests := []struct {
		name  string
		group string
		evs   []types.InputLogEvent
		code  string
		msg   string
	}{
		{"ok", "g", []types.InputLogEvent{ev(now, "a"), ev(now, "b")}, "", ""},
		{"batch at the byte limit", "g", fits, "", ""},
		{"batch over the byte limit", "g", tooBig, "InvalidParameterException",
			"Upload too large: 1048602 bytes exceeds limit of 1048576"},
		{"event too large", "g", []types.InputLogEvent{ev(now, strings.Repeat("a", 1_048_551))}, "InvalidParameterException",
			"Log event too large: 1048577 bytes exceeds limit of 1048576"},
		{"largest event", "g", []types.InputLogEvent{ev(now, strings.Repeat("a", 1_048_550))}, "", ""},
		{"too many events", "g", many, "InvalidParameterException",
			"1 validation error detected: Value at 'logEvents' failed to satisfy constraint: Member must have length less than or equal to 10000"},
		{"no events", "g", []types.InputLogEvent{}, "InvalidParameterException", ""},
		{"empty message", "g", []types.InputLogEvent{ev(now, "a"), ev(now, "")}, "InvalidParameterException",
			"1 validation error detected: Value '' at 'logEvents.2.member.message' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"out of order", "g", []types.InputLogEvent{ev(now, "a"), ev(now-1, "b")}, "InvalidParameterException",
			"Log events in a single PutLogEvents request must be in chronological order."},
		{"span over 24h", "g", []types.InputLogEvent{ev(now-25*3600_000, "a"), ev(now, "b")}, "InvalidParameterException",
			"The batch of log events in a single PutLogEvents request cannot span more than 24 hours."},
		{"span of exactly 24h", "g", []types.InputLogEvent{ev(now-24*3600_000, "a"), ev(now, "b")}, "", ""},
		{"missing group", "nope", []types.InputLogEvent{ev(now, "a")}, "ResourceNotFoundException",
			"The specified log group does not exist."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := put(t, cl, tt.group, "s", tt.evs...)
			if got := apiCode(err); got != tt.code {
				t.Fatalf("code = %q (%v), want %q", got, err, tt.code)
			}
			if tt.msg != "" {
				var ae smithy.APIError
				if errors.As(err, &ae); ae.ErrorMessage() != tt.msg {
					t.Errorf("message = %q, want %q", ae.ErrorMessage(), tt.msg)
				}
			}
		})
	}
	t.Run("missing stream", func(t *testing.T) {
		_, err := put(t, cl, "g", "nope", ev(now, "a"))
		wantAPIError[*types.ResourceNotFoundException](t, err, "The specified log stream does not exist.")
	})
}

func TestPutLogEventsRejected(t *testing.T) {
	const day = 24 * time.Hour
	clk := newClock()
	srv := start(t, cwlocal.WithClock(clk.Now))
	cl := client(srv)
	setup(t, cl, "g", "s")
	setup(t, cl, "r", "s")
	if _, err := cl.PutRetentionPolicy(ctx(t), &cloudwatchlogs.PutRetentionPolicyInput{
		LogGroupName: aws.String("r"), RetentionInDays: aws.Int32(3)}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name                    string
		group                   string
		offsets                 []time.Duration // from now
		tooOld, expired, tooNew *int32
		stored                  int
	}{
		{"all valid", "g", []time.Duration{-time.Hour, 0, 2 * time.Hour}, nil, nil, nil, 3},
		{"too new", "g", []time.Duration{0, time.Hour, 2*time.Hour + time.Millisecond, 3 * time.Hour}, nil, nil, aws.Int32(2), 2},
		{"too old", "g", []time.Duration{-15 * day, -14*day - time.Millisecond, -14 * day, -13 * day}, aws.Int32(2), nil, nil, 2},
		{"all too old", "g", []time.Duration{-20 * day, -15 * day}, aws.Int32(2), nil, nil, 0},
		{"old and new", "g", []time.Duration{-15 * day, 0, 3 * time.Hour}, aws.Int32(1), nil, aws.Int32(2), 1},
		{"expired by retention", "r", []time.Duration{-5 * day, -4 * day, -1 * day, 0}, nil, aws.Int32(2), nil, 2},
		{"expired and too old", "r", []time.Duration{-15 * day, -4 * day, 0}, aws.Int32(1), aws.Int32(2), nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(srv.Events(tt.group, "s"))
			evs := make([]types.InputLogEvent, len(tt.offsets))
			for i, off := range tt.offsets {
				evs[i] = ev(clk.ms(off), fmt.Sprint(tt.name, i))
			}
			out, err := put(t, cl, tt.group, "s", evs...)
			if err != nil {
				t.Fatal(err)
			}
			r := out.RejectedLogEventsInfo
			if tt.tooOld == nil && tt.expired == nil && tt.tooNew == nil {
				if r != nil {
					t.Errorf("rejectedLogEventsInfo = %+v, want none", *r)
				}
			} else if r == nil || !eqPtr(r.TooOldLogEventEndIndex, tt.tooOld) ||
				!eqPtr(r.ExpiredLogEventEndIndex, tt.expired) || !eqPtr(r.TooNewLogEventStartIndex, tt.tooNew) {
				t.Errorf("rejectedLogEventsInfo = %s, want tooOld=%s expired=%s tooNew=%s",
					fmtInfo(r), str(tt.tooOld), str(tt.expired), str(tt.tooNew))
			}
			if got := len(srv.Events(tt.group, "s")) - before; got != tt.stored {
				t.Errorf("stored %d events, want %d", got, tt.stored)
			}
		})
	}
	if st := srv.Stats(); st.Rejected != 12 {
		t.Errorf("Stats().Rejected = %d, want 12", st.Rejected)
	}
}

func eqPtr(a, b *int32) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }

func str(p *int32) string {
	if p == nil {
		return "nil"
	}
	return fmt.Sprint(*p)
}

func fmtInfo(r *types.RejectedLogEventsInfo) string {
	if r == nil {
		return "nil"
	}
	return fmt.Sprintf("{tooOld=%s expired=%s tooNew=%s}", str(r.TooOldLogEventEndIndex),
		str(r.ExpiredLogEventEndIndex), str(r.TooNewLogEventStartIndex))
}

func TestEventsStreamOrder(t *testing.T) {
	clk := newClock()
	srv := start(t, cwlocal.WithClock(clk.Now))
	cl := client(srv)
	setup(t, cl, "g", "s")
	now := clk.ms(0)
	// Sequence tokens are ignored, as by AWS since 2023.
	if _, err := cl.PutLogEvents(ctx(t), &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String("g"),
		LogStreamName: aws.String("s"), SequenceToken: aws.String("stale"),
		LogEvents: []types.InputLogEvent{ev(now, "b"), ev(now+10, "d")}}); err != nil {
		t.Fatal(err)
	}
	out, err := put(t, cl, "g", "s", ev(now-5, "a"), ev(now+5, "c"))
	if err != nil {
		t.Fatal(err)
	}
	if out.NextSequenceToken == nil {
		t.Error("no nextSequenceToken; older clients dereference it")
	}
	var got []string
	for _, e := range srv.Events("g", "s") {
		got = append(got, e.Message)
		if e.IngestionTime != now {
			t.Errorf("IngestionTime = %d, want the clock's %d", e.IngestionTime, now)
		}
	}
	if strings.Join(got, "") != "abcd" {
		t.Errorf("Events order = %v, want a b c d", got)
	}
}

func TestGetLogEvents(t *testing.T) {
	srv := start(t)
	cl := client(srv)
	setup(t, cl, "g", "s")
	base := time.Now().UnixMilli() - 1000
	var evs []types.InputLogEvent
	for i := range 25 {
		evs = append(evs, ev(base+int64(i), fmt.Sprintf("m%02d", i)))
	}
	if _, err := put(t, cl, "g", "s", evs...); err != nil {
		t.Fatal(err)
	}
	get := func(in cloudwatchlogs.GetLogEventsInput) *cloudwatchlogs.GetLogEventsOutput {
		t.Helper()
		in.LogGroupName, in.LogStreamName = aws.String("g"), aws.String("s")
		out, err := cl.GetLogEvents(ctx(t), &in)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	msgs := func(out *cloudwatchlogs.GetLogEventsOutput) string {
		var s []string
		for _, e := range out.Events {
			s = append(s, *e.Message)
		}
		return strings.Join(s, ",")
	}

	t.Run("newest page first by default", func(t *testing.T) {
		out := get(cloudwatchlogs.GetLogEventsInput{Limit: aws.Int32(3)})
		if got := msgs(out); got != "m22,m23,m24" {
			t.Errorf("events = %s", got)
		}
		back := get(cloudwatchlogs.GetLogEventsInput{Limit: aws.Int32(3), NextToken: out.NextBackwardToken})
		if got := msgs(back); got != "m19,m20,m21" {
			t.Errorf("backward page = %s", got)
		}
	})
	t.Run("forward from head until the token repeats", func(t *testing.T) {
		var all []string
		var token *string
		for range 20 {
			out := get(cloudwatchlogs.GetLogEventsInput{Limit: aws.Int32(10), StartFromHead: aws.Bool(true), NextToken: token})
			if m := msgs(out); m != "" {
				all = append(all, m)
			}
			if token != nil && *out.NextForwardToken == *token {
				break
			}
			token = out.NextForwardToken
		}
		if len(all) != 3 || !strings.HasPrefix(all[0], "m00,") || !strings.HasSuffix(all[2], "m24") {
			t.Errorf("pages = %v", all)
		}
		// Tailing: a new event shows up behind the last forward token.
		if _, err := put(t, cl, "g", "s", ev(base+100, "late")); err != nil {
			t.Fatal(err)
		}
		if got := msgs(get(cloudwatchlogs.GetLogEventsInput{NextToken: token})); got != "late" {
			t.Errorf("after tail put: %q, want late", got)
		}
	})
	t.Run("backward until the token repeats", func(t *testing.T) {
		out := get(cloudwatchlogs.GetLogEventsInput{StartFromHead: aws.Bool(true), Limit: aws.Int32(5)})
		again := get(cloudwatchlogs.GetLogEventsInput{NextToken: out.NextBackwardToken})
		if len(again.Events) != 0 || *again.NextBackwardToken != *out.NextBackwardToken {
			t.Errorf("at head: %d events, token %s want %s", len(again.Events), *again.NextBackwardToken, *out.NextBackwardToken)
		}
	})
	t.Run("time window", func(t *testing.T) {
		out := get(cloudwatchlogs.GetLogEventsInput{StartTime: aws.Int64(base + 3), EndTime: aws.Int64(base + 6), StartFromHead: aws.Bool(true)})
		if got := msgs(out); got != "m03,m04,m05" {
			t.Errorf("[start, end) = %s, want m03,m04,m05", got)
		}
	})
	t.Run("errors", func(t *testing.T) {
		_, err := cl.GetLogEvents(ctx(t), &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("x")})
		wantAPIError[*types.ResourceNotFoundException](t, err, "The specified log stream does not exist.")
		_, err = cl.GetLogEvents(ctx(t), &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"), NextToken: aws.String("zz")})
		wantAPIError[*types.InvalidParameterException](t, err, "The specified nextToken is invalid.")
		_, err = cl.GetLogEvents(ctx(t), &cloudwatchlogs.GetLogEventsInput{LogGroupIdentifier: aws.String("arn:aws:logs:us-west-2:123456789012:log-group:g:*"), LogStreamName: aws.String("s"), Limit: aws.Int32(1)})
		if err != nil {
			t.Errorf("by ARN identifier: %v", err)
		}
	})
}

func TestFilterLogEvents(t *testing.T) {
	srv := start(t)
	cl := client(srv)
	now := time.Now().UnixMilli()
	setup(t, cl, "g", "web-1")
	srv.CreateStream("g", "web-2")
	srv.CreateStream("g", "worker")
	lines := map[string][]string{
		"web-1":  {"INFO start", "ERROR disk full", "WARN slow request", "ERROR connection reset by peer"},
		"web-2":  {"error lowercase", "ERROR timeout talking to db", `say "hi"`},
		"worker": {"ERROR job failed", "INFO done"},
	}
	i := int64(0)
	for stream, msgs := range lines {
		var evs []types.InputLogEvent
		for _, m := range msgs {
			i++
			evs = append(evs, ev(now+i, m))
		}
		if _, err := put(t, cl, "g", stream, evs...); err != nil {
			t.Fatal(err)
		}
	}
	filter := func(in cloudwatchlogs.FilterLogEventsInput) []string {
		t.Helper()
		in.LogGroupName = aws.String("g")
		var got []string
		p := cloudwatchlogs.NewFilterLogEventsPaginator(cl, &in)
		for p.HasMorePages() {
			out, err := p.NextPage(ctx(t))
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range out.Events {
				if e.EventId == nil || e.IngestionTime == nil || e.LogStreamName == nil {
					t.Fatalf("incomplete event %+v", e)
				}
				got = append(got, *e.Message)
			}
		}
		return got
	}
	tests := []struct {
		name string
		in   cloudwatchlogs.FilterLogEventsInput
		want int
	}{
		{"everything", cloudwatchlogs.FilterLogEventsInput{}, 9},
		{"term is case-sensitive", cloudwatchlogs.FilterLogEventsInput{FilterPattern: aws.String("ERROR")}, 4},
		{"all terms", cloudwatchlogs.FilterLogEventsInput{FilterPattern: aws.String("ERROR reset")}, 1},
		{"quoted phrase", cloudwatchlogs.FilterLogEventsInput{FilterPattern: aws.String(`"connection reset"`)}, 1},
		{"phrase in the wrong order", cloudwatchlogs.FilterLogEventsInput{FilterPattern: aws.String(`"reset connection"`)}, 0},
		{"or terms", cloudwatchlogs.FilterLogEventsInput{FilterPattern: aws.String("?WARN ?timeout")}, 2},
		{"exclusion", cloudwatchlogs.FilterLogEventsInput{FilterPattern: aws.String("ERROR -disk -job")}, 2},
		{"escaped quote", cloudwatchlogs.FilterLogEventsInput{FilterPattern: aws.String(`"say \"hi\""`)}, 1},
		{"regex", cloudwatchlogs.FilterLogEventsInput{FilterPattern: aws.String(`%(?i)^error%`)}, 5},
		{"stream names", cloudwatchlogs.FilterLogEventsInput{LogStreamNames: []string{"web-2", "worker"}}, 5},
		{"stream prefix", cloudwatchlogs.FilterLogEventsInput{LogStreamNamePrefix: aws.String("web"), FilterPattern: aws.String("ERROR")}, 3},
		{"time range is inclusive", cloudwatchlogs.FilterLogEventsInput{StartTime: aws.Int64(now + 2), EndTime: aws.Int64(now + 4)}, 3},
		{"paged by two", cloudwatchlogs.FilterLogEventsInput{Limit: aws.Int32(2)}, 9},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := filter(tt.in); len(got) != tt.want {
				t.Errorf("got %d events %q, want %d", len(got), got, tt.want)
			}
		})
	}
	t.Run("sorted by timestamp across streams", func(t *testing.T) {
		out, err := cl.FilterLogEvents(ctx(t), &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("g")})
		if err != nil {
			t.Fatal(err)
		}
		ids := map[string]bool{}
		for i, e := range out.Events {
			if i > 0 && *e.Timestamp < *out.Events[i-1].Timestamp {
				t.Errorf("event %d out of order", i)
			}
			ids[*e.EventId] = true
		}
		if len(ids) != 9 || out.NextToken != nil || len(out.SearchedLogStreams) != 3 {
			t.Errorf("%d distinct ids, token %v, %d searched; want 9, nil, 3", len(ids), out.NextToken, len(out.SearchedLogStreams))
		}
	})
	t.Run("unsupported pattern", func(t *testing.T) {
		_, err := cl.FilterLogEvents(ctx(t), &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("g"),
			FilterPattern: aws.String(`{ $.level = "error" }`)})
		wantAPIError[*types.InvalidParameterException](t, err, "")
	})
	t.Run("missing group", func(t *testing.T) {
		_, err := cl.FilterLogEvents(ctx(t), &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("nope")})
		wantAPIError[*types.ResourceNotFoundException](t, err, "The specified log group does not exist.")
	})
}
