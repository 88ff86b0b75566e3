package cwlocal_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/logdict/logging/cwlocal"
)

// FuzzRequestDecoding sends random bodies under each X-Amz-Target through
// the server's http.Handler: it never panics, and always answers either
// 200 with an empty or JSON body, or an error status with an awsJson1_1
// error document ({"__type": ..., "message": ...}).
func FuzzRequestDecoding(f *testing.F) {
	seeds := map[string][]string{
		"PutLogEvents": {
			`{"logGroupName":"g","logStreamName":"s","logEvents":[{"timestamp":1700000000000,"message":"hi"}]}`,
			`{"logGroupName":"g","logStreamName":"s","logEvents":[{"timestamp":-1,"message":""},{"timestamp":1e20,"message":"\ud800"}]}`,
			`{"logGroupName":"g","logStreamName":"s","logEvents":null}`,
		},
		"CreateLogGroup":        {`{"logGroupName":"new","tags":{"a":"b"},"kmsKeyId":"k"}`, `{"logGroupName":""}`},
		"DeleteLogGroup":        {`{"logGroupName":"g"}`},
		"DescribeLogGroups":     {`{"logGroupNamePrefix":"g","limit":1,"nextToken":"x"}`, `{"limit":-5}`},
		"PutRetentionPolicy":    {`{"logGroupName":"g","retentionInDays":7}`, `{"logGroupName":"g","retentionInDays":2147483648}`},
		"DeleteRetentionPolicy": {`{"logGroupName":"g"}`},
		"TagResource":           {`{"resourceArn":"arn:aws:logs:us-east-1:123456789012:log-group:g","tags":{"k":"v"}}`},
		"UntagResource":         {`{"resourceArn":"arn:aws:logs:us-east-1:123456789012:log-group:g","tagKeys":["k"]}`},
		"ListTagsForResource":   {`{"resourceArn":"arn:"}`},
		"ListTagsLogGroup":      {`{"logGroupName":"g"}`},
		"CreateLogStream":       {`{"logGroupName":"g","logStreamName":"s2"}`, `{"logGroupName":"g","logStreamName":"a:b"}`},
		"DeleteLogStream":       {`{"logGroupName":"g","logStreamName":"s"}`},
		"DescribeLogStreams":    {`{"logGroupName":"g","orderBy":"LastEventTime","descending":true,"limit":50}`},
		"GetLogEvents":          {`{"logGroupName":"g","logStreamName":"s","startFromHead":true,"nextToken":"f/00000000000000000001"}`},
		"FilterLogEvents":       {`{"logGroupName":"g","filterPattern":"\"hi\" -x ?y","interleaved":true,"nextToken":"zz"}`, `{"logGroupName":"g","filterPattern":"{ $.a = 1 }"}`},
		"NoSuchOperation":       {`{}`},
	}
	for op, bodies := range seeds {
		for _, b := range bodies {
			f.Add(op, []byte(b))
		}
		f.Add(op, []byte(`{`))
		f.Add(op, []byte(`[]`))
		f.Add(op, []byte(``))
	}
	f.Fuzz(func(t *testing.T, op string, body []byte) {
		srv := cwlocal.New(cwlocal.WithDiscard())
		defer srv.Close()
		srv.CreateStream("g", "s")
		req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		req.Header.Set("X-Amz-Target", "Logs_20140328."+op)
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		w := httptest.NewRecorder()
		srv.Handler().ServeHTTP(w, req)
		out := w.Body.Bytes()
		if w.Code == http.StatusOK {
			if len(bytes.TrimSpace(out)) > 0 && !json.Valid(out) {
				t.Fatalf("%s %q: 200 with a body that is not JSON: %q", op, body, out)
			}
			return
		}
		var e struct {
			Type    string  `json:"__type"`
			Message *string `json:"message"`
		}
		if err := json.Unmarshal(out, &e); err != nil || e.Type == "" || e.Message == nil {
			t.Fatalf("%s %q: status %d with a malformed error %q", op, body, w.Code, out)
		}
		if w.Code < 400 || w.Code > 599 {
			t.Fatalf("%s %q: error %s with status %d", op, body, e.Type, w.Code)
		}
		if !strings.Contains(w.Header().Get("Content-Type"), "json") {
			t.Fatalf("%s: error with Content-Type %q", op, w.Header().Get("Content-Type"))
		}
	})
}
