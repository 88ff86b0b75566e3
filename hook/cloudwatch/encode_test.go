package cloudwatch

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/aws/smithy-go/transport/http/protocol/awsjson"
)

// captureHTTP answers every request with an empty JSON object and keeps
// the last request's body and headers (unless discard is set).
type captureHTTP struct {
	discard bool
	mu      sync.Mutex
	body    []byte
	header  http.Header
}

func (c *captureHTTP) Do(r *http.Request) (*http.Response, error) {
	var b []byte
	var err error
	if c.discard {
		_, err = io.Copy(io.Discard, r.Body)
	} else {
		b, err = io.ReadAll(r.Body)
	}
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.body, c.header = b, r.Header.Clone()
	c.mu.Unlock()
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/x-amz-json-1.1"}},
		Body: io.NopCloser(strings.NewReader("{}")), Request: r}, nil
}

func (c *captureHTTP) last() ([]byte, http.Header) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.body, c.header
}

// captureClient is a real SDK client whose requests end in a captureHTTP.
func captureClient() (*cloudwatchlogs.Client, *captureHTTP) {
	hc := &captureHTTP{}
	return cloudwatchlogs.New(cloudwatchlogs.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String("http://127.0.0.1:1"),
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
		HTTPClient:   hc,
		Retryer:      aws.NopRetryer{},
	}), hc
}

// sdkAndOurs sends in once through the SDK's own serializer and once
// through putEncoder, and returns both bodies, failing on any difference
// in the body or the protocol headers.
func sdkAndOurs(t testing.TB, in *cloudwatchlogs.PutLogEventsInput) []byte {
	t.Helper()
	client, hc := captureClient()
	ctx := context.Background()
	if _, err := client.PutLogEvents(ctx, in); err != nil {
		t.Fatalf("SDK serializer: %v", err)
	}
	want, wantHdr := hc.last()
	if _, err := client.PutLogEvents(ctx, in, withPutEncoder); err != nil {
		t.Fatalf("putEncoder: %v", err)
	}
	got, gotHdr := hc.last()
	if !bytes.Equal(got, want) {
		i := 0
		for i < min(len(got), len(want)) && got[i] == want[i] {
			i++
		}
		t.Fatalf("body differs from the SDK's at byte %d:\n ours %q\n sdk  %q", i,
			got[max(i-40, 0):min(i+40, len(got))], want[max(i-40, 0):min(i+40, len(want))])
	}
	for _, h := range []string{"X-Amz-Target", "Content-Type", "Content-Length"} {
		if gotHdr.Get(h) != wantHdr.Get(h) {
			t.Fatalf("%s: ours %q, SDK %q", h, gotHdr.Get(h), wantHdr.Get(h))
		}
	}
	return got
}

func events(ts int64, msgs ...string) []types.InputLogEvent {
	evs := make([]types.InputLogEvent, len(msgs))
	for i := range msgs {
		evs[i] = types.InputLogEvent{Message: &msgs[i], Timestamp: aws.Int64(ts + int64(i))}
	}
	return evs
}

// Every message shape the handler can send (whatever a caller logs)
// serialises to exactly the SDK's bytes, so the encoder changes the cost
// of a request and nothing else.
func TestPutEncoderMatchesSDK(t *testing.T) {
	var ctl strings.Builder
	for c := 0; c < 0x20; c++ {
		ctl.WriteByte(byte(c))
		ctl.WriteString("x")
	}
	long := strings.Repeat(`2020-05-24 15:26:48 [INFO    ] Student Created: {"name": "Ana"} [views.go:23] `, 300)
	cases := map[string][]string{
		"seed line":      {"2020-05-24 15:26:48 [INFO    ] Student Created: 42 [views.go:23]"},
		"empty message":  {""},
		"quotes":         {`"`, `a"b`, `\`, `a\b\\c`, `{"k": "v\n"}`},
		"controls":       {ctl.String(), "\x7f DEL", "\n\r\t", "tab\tat\tend\t"},
		"utf-8":          {"é", "日本語のログ", "emoji 😀 four bytes", "\u2028line\u2029sep", "x\u2028"},
		"invalid utf-8":  {"\xff", "a\xffb", "\xc3", "\xc3(", "\xe2\x82", "\xed\xa0\x80 surrogate", "\xf4\x90\x80\x80 too big", "\xc0\xaf overlong"},
		"word edges":     {"1234567\"", "12345678\"", "123456789\"", "1234567\xff", "12345678é", "abcdefgh\n", "abcdefghijklmno\x01"},
		"long":           {long, long + "\x00" + long, strings.Repeat("é\"", 5000)},
		"many of a kind": strings.Split(strings.Repeat("line\n", 2000), "\n"),
	}
	for name, msgs := range cases {
		t.Run(name, func(t *testing.T) {
			body := sdkAndOurs(t, &cloudwatchlogs.PutLogEventsInput{
				LogGroupName:  aws.String("CWOSLogs"),
				LogStreamName: aws.String("logs-é\"\u2028"),
				LogEvents:     events(1_700_000_000_000, msgs...),
			})
			// And it is the JSON of what was asked.
			var back struct {
				LogEvents []struct {
					Message   string
					Timestamp int64
				}
			}
			if err := json.Unmarshal(body, &back); err != nil {
				t.Fatalf("not JSON: %v", err)
			}
			if len(back.LogEvents) != len(msgs) {
				t.Fatalf("%d events back, sent %d", len(back.LogEvents), len(msgs))
			}
			for i, m := range msgs {
				if want := replaceInvalid(m); back.LogEvents[i].Message != want {
					t.Fatalf("event %d: %q back, sent %q", i, back.LogEvents[i].Message, m)
				}
			}
		})
	}
}

// replaceInvalid replaces each byte of s that is not part of valid UTF-8
// with U+FFFD, as the SDK's serializer (and CloudWatch's size rule) do.
func replaceInvalid(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteString("\uFFFD")
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// Fields the handler never sets, or leaves unset, fall back to the SDK's
// serializer or are omitted as it omits them.
func TestPutEncoderFieldShapes(t *testing.T) {
	msg := "m"
	for name, in := range map[string]*cloudwatchlogs.PutLogEventsInput{
		"no events":      {LogGroupName: aws.String("g"), LogStreamName: aws.String("s"), LogEvents: []types.InputLogEvent{}},
		"sequence token": {LogGroupName: aws.String("g"), LogStreamName: aws.String("s"), LogEvents: events(1, "a"), SequenceToken: aws.String("49590")},
		"entity":         {LogGroupName: aws.String("g"), LogStreamName: aws.String("s"), LogEvents: events(1, "a"), Entity: &types.Entity{KeyAttributes: map[string]string{"Type": "Service"}}},
		"negative time":  {LogGroupName: aws.String("g"), LogStreamName: aws.String("s"), LogEvents: []types.InputLogEvent{{Message: &msg, Timestamp: aws.Int64(-9_223_372_036_854_775_808)}}},
	} {
		t.Run(name, func(t *testing.T) { sdkAndOurs(t, in) })
	}
	// Direct calls cover what the SDK's validation would refuse before
	// serialising (a nil field is left out, as the SDK leaves it out).
	for _, in := range []*cloudwatchlogs.PutLogEventsInput{
		{},
		{LogGroupName: aws.String("g")},
		{LogStreamName: aws.String("s"), LogEvents: []types.InputLogEvent{{Message: &msg}, {Timestamp: aws.Int64(7)}, {}}},
	} {
		b := appendPutLogEvents(nil, in)
		if len(b) != putSize(in) {
			t.Errorf("%s: putSize %d, body %d bytes", b, putSize(in), len(b))
		}
		if !json.Valid(b) {
			t.Errorf("not JSON: %s", b)
		}
	}
}

// Operations other than PutLogEvents keep the SDK's serializer, and a
// client whose protocol is not the SDK's JSON 1.1 one is left alone.
func TestWithPutEncoderScope(t *testing.T) {
	o := cloudwatchlogs.Options{}
	withPutEncoder(&o)
	if o.Protocol != nil {
		t.Fatalf("nil protocol replaced by %T", o.Protocol)
	}
	client, hc := captureClient()
	if _, err := client.CreateLogStream(context.Background(), &cloudwatchlogs.CreateLogStreamInput{
		LogGroupName: aws.String("g"), LogStreamName: aws.String("s"),
	}, withPutEncoder, withPutEncoder); err != nil {
		t.Fatal(err)
	}
	body, hdr := hc.last()
	if string(body) != `{"logGroupName":"g","logStreamName":"s"}` || hdr.Get("X-Amz-Target") != "Logs_20140328.CreateLogStream" {
		t.Fatalf("CreateLogStream sent %s as %q", body, hdr.Get("X-Amz-Target"))
	}
}

// tagProtocol is a caller's protocol wrapper: it reports the SDK's
// protocol ID and adds a header to every request.
type tagProtocol struct{ smithyhttp.ClientProtocol }

func (p tagProtocol) SerializeRequest(ctx context.Context, s *smithy.OperationSchema, in smithy.Serializable, req *smithyhttp.Request) error {
	if err := p.ClientProtocol.SerializeRequest(ctx, s, in, req); err != nil {
		return err
	}
	req.Header.Set("X-Tag", "mine")
	return nil
}

// The encoder stands in for the SDK's own protocol only: a protocol the
// caller put in the client keeps serialising PutLogEvents.
func TestWithPutEncoderKeepsCallerProtocol(t *testing.T) {
	client, hc := captureClient()
	o := client.Options()
	if _, ok := o.Protocol.(*awsjson.Protocol); !ok {
		t.Fatalf("the SDK's client protocol is a %T", o.Protocol)
	}
	withPutEncoder(&o)
	if _, ok := o.Protocol.(putEncoder); !ok {
		t.Fatalf("the SDK's protocol was not replaced: %T", o.Protocol)
	}
	tag := func(o *cloudwatchlogs.Options) { o.Protocol = tagProtocol{o.Protocol} }
	in := &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"), LogEvents: events(1, "m")}
	if _, err := client.PutLogEvents(context.Background(), in, tag, withPutEncoder); err != nil {
		t.Fatal(err)
	}
	if _, h := hc.last(); h.Get("X-Tag") != "mine" {
		t.Errorf("the caller's protocol was bypassed for PutLogEvents: X-Tag %q", h.Get("X-Tag"))
	}
}

// FuzzPutEncoder: for any message and stream name, the encoder's body is
// the SDK's, byte for byte.
func FuzzPutEncoder(f *testing.F) {
	for _, s := range []string{"", "plain", "\"\\\n\x00\x7f", "é\xff\u2028", "12345678\x1f", "\xed\xa0\x80"} {
		f.Add(s, "stream", int64(1_700_000_000_000))
	}
	f.Fuzz(func(t *testing.T, msg, stream string, ts int64) {
		sdkAndOurs(t, &cloudwatchlogs.PutLogEventsInput{
			LogGroupName:  aws.String("g"),
			LogStreamName: &stream,
			LogEvents:     []types.InputLogEvent{{Message: &msg, Timestamp: &ts}, {Message: &stream, Timestamp: aws.Int64(1)}},
		})
	})
}

// BenchmarkPutSerialize compares the SDK's serializer with putEncoder on a
// full batch of the seed's lines (the request's whole client-side path,
// signing included, against a capturing transport).
func BenchmarkPutSerialize(b *testing.B) {
	const line = `2020-05-24 15:26:48 [INFO    ] Student Created: {"name": "Ana", "id": 1234567} [/app/views.go:23]`
	in := &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String("CWOSLogs"), LogStreamName: aws.String("logs-bench")}
	for len(in.LogEvents) < 7692 {
		in.LogEvents = append(in.LogEvents, events(1_700_000_000_000, line)...)
	}
	for _, mode := range []struct {
		name string
		opts []func(*cloudwatchlogs.Options)
	}{{"sdk", nil}, {"encoder", []func(*cloudwatchlogs.Options){withPutEncoder}}} {
		b.Run(mode.name, func(b *testing.B) {
			client, hc := captureClient()
			hc.discard = true
			b.SetBytes(int64(putSize(in)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := client.PutLogEvents(context.Background(), in, mode.opts...); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
