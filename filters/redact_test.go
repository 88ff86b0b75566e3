package filters

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"

	"github.com/logdict/logging/core"
	"github.com/sirupsen/logrus"
)

func mustRedact(t testing.TB, o RedactOptions) *Redact {
	t.Helper()
	f, err := NewRedact(o)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestRedactMessage(t *testing.T) {
	f := mustRedact(t, RedactOptions{})
	cases := []struct{ name, in, want string }{
		{"nothing", "user 42 logged in", "user 42 logged in"},
		{"access key id", "using key AKIAIOSFODNN7EXAMPLE now", "using key [REDACTED] now"},
		{"temporary key id", "ASIAY34FZKBOKMUTVV7A", "[REDACTED]"},
		{"not a key id", "AKIA is a prefix; AKIAshort", "AKIA is a prefix; AKIAshort"},
		{"aws secret", "aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "aws_secret_access_key=[REDACTED]"},
		{"aws secret toml", `aws_secret_access_key = "wJalrXUtnFEMI/K7MDENG"`, `aws_secret_access_key = "[REDACTED]"`},
		{"password kv", "login password=hunter2 ok", "login password=[REDACTED] ok"},
		{"password colon", "Password: hunter2", "Password: [REDACTED]"},
		{"password json", `{"user": "arya", "password": "hunter 2", "x": 1}`, `{"user": "arya", "password": "[REDACTED]", "x": 1}`},
		{"single quoted", `db_password='s3 cr3t'`, `db_password='[REDACTED]'`},
		{"query string", "GET /login?user=a&token=abc123&next=/", "GET /login?user=a&token=[REDACTED]&next=/"},
		{"client secret", "client_secret: xyz789, scope: read", "client_secret: [REDACTED], scope: read"},
		{"api key", "API_KEY=k-123", "API_KEY=[REDACTED]"},
		{"bearer header", "Authorization: Bearer eyJhbGciOi.J9.x-y_z", "Authorization: Bearer [REDACTED]"},
		{"basic header", `"authorization": "Basic dXNlcjpwYXNz"`, `"authorization": "Basic [REDACTED]"`},
		{"bare bearer", "curl -H 'bearer abc.def.ghi' http://x", "curl -H 'bearer [REDACTED]' http://x"},
		{"url password", "connecting to postgres://app:pa55w0rd@db:5432/app", "connecting to postgres://app:[REDACTED]@db:5432/app"},
		{"empty value kept", `password=""`, `password=""`},
		{"two secrets", "password=a token=b", "password=[REDACTED] token=[REDACTED]"},
		{"word without value", "the token expired", "the token expired"},
		{"idempotent", "password=[REDACTED]", "password=[REDACTED]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := record("app", core.INFO, c.in, nil)
			if !f.Filter(r) {
				t.Fatal("Redact must pass every record")
			}
			if got := r.Message(); got != c.want {
				t.Errorf("message %q\n got %q\nwant %q", c.in, got, c.want)
			}
			if r.Entry.Message != c.in {
				t.Errorf("the logrus entry was modified: %q", r.Entry.Message)
			}
		})
	}
}

type secretStringer struct{}

func (secretStringer) String() string { return "conn password=letmein" }

func TestRedactFields(t *testing.T) {
	f := mustRedact(t, RedactOptions{})
	base := errors.New("dial: token=abc failed")
	data := logrus.Fields{
		"user":          "arya",
		"password":      "hunter2",
		"DB_Password":   12345,
		"X-Auth-Token":  "t0k",
		"url":           "https://u:p4ss@example.com/x",
		"status":        404,
		logrus.ErrorKey: base,
		"conn":          secretStringer{},
		"already":       "[REDACTED]",
	}
	r := record("app", core.INFO, "hello", data)
	r.Set("api_key", "from a filter")
	f.Filter(r)
	want := map[string]string{
		"user":          "arya",
		"password":      "[REDACTED]",
		"DB_Password":   "[REDACTED]",
		"X-Auth-Token":  "[REDACTED]",
		"url":           "https://u:[REDACTED]@example.com/x",
		"status":        "404",
		logrus.ErrorKey: "dial: token=[REDACTED] failed",
		"conn":          "conn password=[REDACTED]",
		"already":       "[REDACTED]",
		"api_key":       "[REDACTED]",
	}
	for k, w := range want {
		t.Run(k, func(t *testing.T) {
			v, _ := r.Get(k)
			if got := fmt.Sprint(v); got != w {
				t.Errorf("%s = %q, want %q", k, got, w)
			}
		})
	}
	t.Run("error stays an error", func(t *testing.T) {
		err := r.Err()
		if err == nil || err.Error() != "dial: token=[REDACTED] failed" || !errors.Is(err, base) {
			t.Errorf("Err() = %v", err)
		}
	})
	t.Run("entry untouched", func(t *testing.T) {
		if data["password"] != "hunter2" || data[logrus.ErrorKey] != base {
			t.Errorf("logrus fields were modified: %v", data)
		}
	})
	t.Run("secret field holding an error", func(t *testing.T) {
		r := record("app", core.INFO, "m", logrus.Fields{"token": fs.ErrPermission})
		f.Filter(r)
		v, _ := r.Get("token")
		if err, ok := v.(error); !ok || err.Error() != "[REDACTED]" || !errors.Is(err, fs.ErrPermission) {
			t.Errorf("token = %#v", v)
		}
	})
}

func TestRedactOptions(t *testing.T) {
	cases := []struct {
		name string
		o    RedactOptions
		msg  string
		data logrus.Fields
		want string // message, then sorted fields
	}{
		{"custom pattern, whole match", RedactOptions{Patterns: []string{`\b\d{4}-\d{4}-\d{4}-\d{4}\b`}},
			"card 4111-1111-1111-1111 ok", nil, "card [REDACTED] ok"},
		{"custom pattern, group", RedactOptions{Patterns: []string{`ssn (\d+)`}},
			"ssn 123456789", nil, "ssn [REDACTED]"},
		{"custom mask", RedactOptions{Mask: "***"}, "password=x", logrus.Fields{"secret": "y"}, "password=*** secret=***"},
		{"no builtins", RedactOptions{NoBuiltins: true, Patterns: []string{"foo"}}, "password=x foo", nil, "password=x [REDACTED]"},
		{"no fields", RedactOptions{Fields: []string{}}, "m", logrus.Fields{"password": "pw"}, "m password=pw"},
		{"own fields", RedactOptions{Fields: []string{"ssn"}}, "m", logrus.Fields{"user_ssn": "1", "token": "t"}, "m token=t user_ssn=[REDACTED]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := mustRedact(t, c.o)
			r := record("app", core.INFO, c.msg, c.data)
			f.Filter(r)
			var b strings.Builder
			b.WriteString(r.Message())
			for _, k := range sortedAttrs(r) {
				v, _ := r.Get(k)
				fmt.Fprintf(&b, " %s=%v", k, v)
			}
			if got := b.String(); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

func sortedAttrs(r *core.Record) []string {
	var keys []string
	r.Range(func(k string, _ any) bool { keys = append(keys, k); return true })
	for i := range keys {
		for j := i + 1; j < len(keys); j++ {
			if keys[j] < keys[i] {
				keys[i], keys[j] = keys[j], keys[i]
			}
		}
	}
	return keys
}

func TestRedactFactory(t *testing.T) {
	t.Run("builds", func(t *testing.T) {
		f := mustFactory(t, RedactFactory, map[string]any{
			"patterns": []any{`order-(\d+)`}, "fields": []any{"pin"}, "mask": "<hidden>", "builtins": true,
		})
		r := record("app", core.INFO, "order-77 password=x", logrus.Fields{"pin": 1234, "password": "kept"})
		f.Filter(r)
		pin, _ := r.Get("pin")
		pw, _ := r.Get("password")
		if r.Message() != "order-<hidden> password=<hidden>" || pin != "<hidden>" || pw != "kept" {
			t.Errorf("message %q, pin %v, password %v", r.Message(), pin, pw)
		}
	})
	errCases := []struct {
		name string
		m    map[string]any
		path string
		want error
	}{
		{"bad regexp", map[string]any{"patterns": []any{"ok", "("}}, "filters.f.patterns[1]", core.ErrBadValue},
		{"empty-matching regexp", map[string]any{"patterns": []any{"x*"}}, "filters.f.patterns[0]", core.ErrBadValue},
		{"patterns not a list", map[string]any{"patterns": 3}, "filters.f.patterns", core.ErrBadValue},
		{"empty mask", map[string]any{"mask": ""}, "filters.f.mask", core.ErrBadValue},
		{"builtins not bool", map[string]any{"builtins": "maybe"}, "filters.f.builtins", core.ErrBadValue},
		{"typo", map[string]any{"patern": []any{"x"}}, "filters.f.patern", core.ErrUnknownKey},
	}
	for _, c := range errCases {
		t.Run(c.name, func(t *testing.T) { factoryErr(t, RedactFactory, c.m, c.path, c.want) })
	}
}

func TestRedactAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts differ under -race")
	}
	f := mustRedact(t, RedactOptions{})
	r := record("app", core.INFO, "GET /api/v1/items?page=2 200 in 3ms", logrus.Fields{"status": 200, "user": "arya"})
	if n := testing.AllocsPerRun(100, func() { f.Filter(r) }); n != 0 {
		t.Errorf("Filter of a record with no secret: %v allocs, want 0", n)
	}
}

func BenchmarkRedact(b *testing.B) {
	f := mustRedact(b, RedactOptions{})
	for _, c := range []struct {
		name string
		msg  string
		data logrus.Fields
	}{
		{"clean", "GET /api/v1/items?page=2 200 in 3ms", logrus.Fields{"status": 200, "user": "arya"}},
		{"keyword no secret", "token cache refreshed: key rotation due", logrus.Fields{"status": 200}},
		{"secret", "login password=hunter2 from 10.0.0.1", logrus.Fields{"password": "hunter2"}},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					r := record("app", core.INFO, c.msg, c.data)
					f.Filter(r)
				}
			})
		})
	}
}
