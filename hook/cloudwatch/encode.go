package cloudwatch

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"net/http"
	"strconv"
	"unicode/utf8"
	"unsafe"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/aws/smithy-go/transport/http/protocol/awsjson"
)

// The SDK serialises a PutLogEvents request through its generic shape
// serializer, which grows its buffer by doubling: for a full batch that is
// about 2 MiB allocated and copied to send 1 MiB, and in the load program
// about a third of the process's CPU. putEncoder writes the same bytes
// itself into one buffer of the exact size. Every other operation, and a
// PutLogEvents input with fields the handler never sets, goes to the
// SDK's own protocol unchanged. TestPutEncoderMatchesSDK holds the two
// byte for byte.

// awsJSON11 is the protocol the encoder stands in for.
var awsJSON11 = smithy.ShapeID{Namespace: "aws.protocols", Name: "awsJson1_1"}

// putTarget is the X-Amz-Target of PutLogEvents (service shape
// Logs_20140328).
const putTarget = "Logs_20140328.PutLogEvents"

// putEncoder is a client protocol that serialises PutLogEvents itself.
type putEncoder struct{ smithyhttp.ClientProtocol }

// withPutEncoder is a per-call option of PutLogEvents. It stands in only
// for the SDK's own JSON 1.1 protocol: a client whose protocol is anything
// else (a caller's wrapper that adds headers, say) keeps it for every call.
func withPutEncoder(o *cloudwatchlogs.Options) {
	if p, ok := o.Protocol.(*awsjson.Protocol); ok && p.ID() == awsJSON11 {
		o.Protocol = putEncoder{p}
	}
}

// SerializeRequest implements smithyhttp.ClientProtocol.
func (p putEncoder) SerializeRequest(ctx context.Context, schema *smithy.OperationSchema, in smithy.Serializable, req *smithyhttp.Request) error {
	pin, ok := in.(*cloudwatchlogs.PutLogEventsInput)
	if !ok || schema.ID().Name != "PutLogEvents" || pin.Entity != nil || pin.SequenceToken != nil {
		return p.ClientProtocol.SerializeRequest(ctx, schema, in, req)
	}
	body := appendPutLogEvents(make([]byte, 0, putSize(pin)), pin)
	req.Method = http.MethodPost
	if req.URL.Path == "" {
		req.URL.Path = "/"
	}
	req.Header.Set("X-Amz-Target", putTarget)
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	sreq, err := req.SetStream(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("set stream: %w", err)
	}
	*req = *sreq
	return nil
}

// The fixed parts of the body, in the SDK's member order.
const (
	putEventsKey = `"logEvents":[`
	putGroupKey  = `"logGroupName":`
	putStreamKey = `"logStreamName":`
	putMsgKey    = `{"message":`
	putTSKey     = `"timestamp":`
)

// putSize returns the length of in's body: the exact capacity for
// appendPutLogEvents.
func putSize(in *cloudwatchlogs.PutLogEventsInput) int {
	n := len("{}")
	fields := 0
	if in.LogEvents != nil {
		n += len(putEventsKey) + len("]") + max(len(in.LogEvents)-1, 0)
		for i := range in.LogEvents {
			n += eventSize(&in.LogEvents[i])
		}
		fields++
	}
	if in.LogGroupName != nil {
		n += len(putGroupKey) + quotedLen(*in.LogGroupName)
		fields++
	}
	if in.LogStreamName != nil {
		n += len(putStreamKey) + quotedLen(*in.LogStreamName)
		fields++
	}
	return n + max(fields-1, 0)
}

func eventSize(e *types.InputLogEvent) int {
	n := len("{}")
	if e.Message != nil {
		n += len(putMsgKey) - 1 + quotedLen(*e.Message)
	}
	if e.Timestamp != nil {
		n += len(putTSKey) + intLen(*e.Timestamp)
		if e.Message != nil {
			n++ // the comma
		}
	}
	return n
}

// appendPutLogEvents appends in's JSON body to dst.
func appendPutLogEvents(dst []byte, in *cloudwatchlogs.PutLogEventsInput) []byte {
	dst = append(dst, '{')
	sep := false
	comma := func() {
		if sep {
			dst = append(dst, ',')
		}
		sep = true
	}
	if in.LogEvents != nil {
		comma()
		dst = append(dst, putEventsKey...)
		for i := range in.LogEvents {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendEvent(dst, &in.LogEvents[i])
		}
		dst = append(dst, ']')
	}
	if in.LogGroupName != nil {
		comma()
		dst = appendQuoted(append(dst, putGroupKey...), *in.LogGroupName)
	}
	if in.LogStreamName != nil {
		comma()
		dst = appendQuoted(append(dst, putStreamKey...), *in.LogStreamName)
	}
	return append(dst, '}')
}

func appendEvent(dst []byte, e *types.InputLogEvent) []byte {
	dst = append(dst, '{')
	if e.Message != nil {
		dst = appendQuoted(append(dst, putMsgKey[1:]...), *e.Message)
	}
	if e.Timestamp != nil {
		if e.Message != nil {
			dst = append(dst, ',')
		}
		dst = strconv.AppendInt(append(dst, putTSKey...), *e.Timestamp, 10)
	}
	return append(dst, '}')
}

// intLen returns the length of v in decimal.
func intLen(v int64) int {
	n, u := 1, uint64(v)
	if v < 0 {
		n, u = 2, -u
	}
	for ; u >= 10; u /= 10 {
		n++
	}
	return n
}

// replacement is what an invalid UTF-8 byte becomes (CloudWatch counts it
// as 3 bytes: messageCost).
const replacement = "\uFFFD"

// Word-at-a-time scan for the common case, a message with nothing to
// escape: a byte needs a look when it is not ASCII, a control character,
// DEL, '"' or '\\'.
const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// plainFrom returns the start of the first 8-byte word of s[i:] that
// holds a byte needing a look (or of the tail shorter than a word): every
// byte before it is carried as it is.
func plainFrom(s string, i int) int {
	b := unsafe.Slice(unsafe.StringData(s), len(s)) // read only
	for ; i+8 <= len(b); i += 8 {
		w := binary.LittleEndian.Uint64(b[i:])
		q := w ^ (ones * '"')
		e := w ^ (ones * '\\')
		d := w ^ (ones * 0x7f)
		// (x - ones) &^ x has a byte's high bit set where x has a zero
		// byte (exactly up to the first one, which is all a test for any
		// needs); with ones*0x20 it flags bytes below 0x20.
		if (w|(w-ones*0x20)&^w|(q-ones)&^q|(e-ones)&^e|(d-ones)&^d)&highs != 0 {
			break
		}
	}
	return i
}

const hexDigits = "0123456789abcdef"

// asciiEscape is how each ASCII byte is written in a JSON string: "" for
// as it is, else its escape as the SDK writes it (\n \r \t, `\"` and `\\`,
// other control characters and DEL as \u00XX). formatters.appendJSONString
// follows encoding/json's bytes instead (\b, \f, DEL kept): both are valid
// JSON, but this body must be the SDK's byte for byte.
var asciiEscape = func() (t [utf8.RuneSelf]string) {
	for c := range utf8.RuneSelf {
		switch {
		case c == '"' || c == '\\':
			t[c] = `\` + string(rune(c))
		case c == '\n':
			t[c] = `\n`
		case c == '\r':
			t[c] = `\r`
		case c == '\t':
			t[c] = `\t`
		case c < 0x20 || c == 0x7f:
			t[c] = `\u00` + string(hexDigits[c>>4]) + string(hexDigits[c&0xF])
		}
	}
	return t
}()

// plain marks the ASCII bytes asciiEscape leaves as they are: the loops'
// fast path between escapes.
var plain = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = asciiEscape[c] == ""
	}
	return t
}()

// escapeAt returns how the character at s[i] is written, "" for as it is,
// and its length in s. The ASCII case is a table look-up, kept small so
// that the loops inline it; beyond ASCII, escapeRune.
func escapeAt(s string, i int) (string, int) {
	if c := s[i]; c < utf8.RuneSelf {
		return asciiEscape[c], 1
	}
	return escapeRune(s, i)
}

// escapeRune: each invalid UTF-8 byte becomes U+FFFD, and U+2028 and
// U+2029 are escaped (for JavaScript readers).
func escapeRune(s string, i int) (string, int) {
	r, size := utf8.DecodeRuneInString(s[i:])
	switch {
	case r == utf8.RuneError && size == 1:
		return replacement, 1
	case r == '\u2028':
		return `\u2028`, size
	case r == '\u2029':
		return `\u2029`, size
	}
	return "", size
}

// quotedLen returns the length of s as a JSON string: appendQuoted's.
func quotedLen(s string) int {
	n := len(s) + 2
	for i := plainFrom(s, 0); i < len(s); {
		if c := s[i]; c < utf8.RuneSelf && plain[c] {
			i++ // the plain bytes of a word that holds an escape
			continue
		}
		esc, size := escapeAt(s, i)
		i += size
		if esc != "" {
			n += len(esc) - size
			i = plainFrom(s, i)
		}
	}
	return n
}

// appendQuoted appends s as a JSON string, escaped as the SDK escapes it
// (escapeAt).
func appendQuoted(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := plainFrom(s, 0); i < len(s); {
		if c := s[i]; c < utf8.RuneSelf && plain[c] {
			i++
			continue
		}
		esc, size := escapeAt(s, i)
		if esc == "" {
			i += size
			continue
		}
		dst = append(append(dst, s[start:i]...), esc...)
		start = i + size
		i = plainFrom(s, start)
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
