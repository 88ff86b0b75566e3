package cwlocal

import (
	"strings"
	"testing"
	"time"
)

func TestParseFilter(t *testing.T) {
	tests := []struct {
		pattern string
		match   []string
		miss    []string
	}{
		{"", []string{"anything", ""}, nil},
		{"ERROR", []string{"an ERROR here", "ERRORS"}, []string{"error", "Error"}},
		{"ERROR db", []string{"ERROR talking to db"}, []string{"ERROR only", "db only"}},
		{`"disk full"`, []string{"ERROR: disk full!"}, []string{"full disk"}},
		{`?ERROR ?WARN`, []string{"ERROR x", "WARN y"}, []string{"INFO z"}},
		{`ERROR -retry`, []string{"ERROR final"}, []string{"ERROR will retry"}},
		{`ERROR ?db ?cache`, []string{"ERROR cache miss"}, []string{"ERROR other", "db cache"}},
		{`-"not this" x`, []string{"x"}, []string{"x not this"}},
		{`%^[0-9]{3} %`, []string{"404 not found"}, []string{"x 404 "}},
		{"  spaced   out  ", []string{"out spaced"}, []string{"spaced"}},
	}
	for _, tt := range tests {
		m, err := parseFilter(tt.pattern)
		if err != nil {
			t.Errorf("parseFilter(%q): %v", tt.pattern, err)
			continue
		}
		for _, s := range tt.match {
			if !m.match(s) {
				t.Errorf("%q should match %q", tt.pattern, s)
			}
		}
		for _, s := range tt.miss {
			if m.match(s) {
				t.Errorf("%q should not match %q", tt.pattern, s)
			}
		}
	}
	for _, bad := range []string{`{ $.level = "x" }`, `[ip, user]`, `"unterminated`, `%(%`} {
		if _, err := parseFilter(bad); err == nil {
			t.Errorf("parseFilter(%q) succeeded, want an error", bad)
		}
	}
}

func TestMessageSize(t *testing.T) {
	tests := []struct {
		msg  string
		want int
	}{
		{"", 0},
		{"abc", 3},
		{"héllo", 6},
		{"日本", 6},
		{"\xff", 3},             // one invalid byte becomes U+FFFD
		{"a\xc3", 4},            // truncated sequence
		{"\xe6\x97\xa5\xff", 6}, // valid rune then invalid byte
	}
	for _, tt := range tests {
		if got := MessageSize(tt.msg); got != tt.want {
			t.Errorf("MessageSize(%q) = %d, want %d", tt.msg, got, tt.want)
		}
	}
}

func TestClassify(t *testing.T) {
	const now = int64(100 * 24 * 3600 * 1000)
	h := time.Hour.Milliseconds()
	d := 24 * h
	tests := []struct {
		name      string
		ts        []int64
		retention int32
		want      rejection
	}{
		{"empty", nil, 0, rejection{0, 0, -1, -1, -1}},
		{"valid", []int64{now - h, now, now + 2*h}, 0, rejection{0, 3, -1, -1, -1}},
		{"boundary old", []int64{now - 14*d - 1, now - 14*d}, 0, rejection{1, 2, 1, -1, -1}},
		{"boundary new", []int64{now + 2*h, now + 2*h + 1}, 0, rejection{0, 1, -1, -1, 1}},
		{"retention", []int64{now - 2*d, now - d + 1}, 1, rejection{1, 2, -1, 1, -1}},
		{"all rejected", []int64{now - 20*d, now + 3*h}, 0, rejection{1, 1, 1, -1, 1}},
	}
	for _, tt := range tests {
		if got := classify(tt.ts, now, tt.retention); got != tt.want {
			t.Errorf("%s: classify = %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

func TestParseCredential(t *testing.T) {
	akid, region := parseCredential("AWS4-HMAC-SHA256 Credential=AKID123/20260101/eu-west-1/logs/aws4_request, SignedHeaders=host, Signature=abc")
	if akid != "AKID123" || region != "eu-west-1" {
		t.Errorf("got %q %q", akid, region)
	}
	if akid, region := parseCredential(""); akid != "" || region != "us-east-1" {
		t.Errorf("unsigned: got %q %q", akid, region)
	}
	if id := newRequestID(); len(id) != 36 || strings.Count(id, "-") != 4 {
		t.Errorf("request id %q", id)
	}
}
