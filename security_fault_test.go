package logging

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/logdict/logging/cwlocal"
	"github.com/logdict/logging/hook/cloudwatch"
)

// secretish is a credential value; it must appear nowhere the library
// writes: errors, reports, Stats, dumps.
const secretish = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYzzSECRET"

func mustNotLeak(t *testing.T, where, text string) {
	t.Helper()
	for _, s := range []string{secretish, "SESSIONTOKENzz9", "sk_live_zz77"} {
		if i := strings.Index(text, s); i >= 0 {
			t.Errorf("%s shows a credential: ...%s...", where, text[max(0, i-80):min(len(text), i+len(s)+20)])
		}
	}
}

func TestCredentialsNotInConfigureErrors(t *testing.T) {
	t.Setenv("LOGDICT_TEST_SECRET", secretish)
	cw := func(extra string) string {
		return `version = 1
[handlers.cw]
class = "watchtower.CloudWatchLogHandler"
region = "us-west-2"
aws_access_key_id = "AKIDTEST"
` + extra
	}
	cases := []struct {
		name, toml, path string
	}{
		{"other key out of range", cw(`aws_secret_access_key = "` + secretish + `"
max_batch_count = 20000`), "handlers.cw.max_batch_count"},
		{"typo beside the secret", cw(`aws_secret_access_key = "` + secretish + `"
aws_session_token = "SESSIONTOKENzz9"
sendinterval = 5`), "handlers.cw.sendinterval"},
		{"secret of the wrong type", cw(`aws_secret_access_key = ["` + secretish + `"]`), "handlers.cw.aws_secret_access_key"},
		{"secret from the environment", cw(`aws_secret_access_key = "${LOGDICT_TEST_SECRET}"
overflow = "sometimes"`), "handlers.cw.overflow"},
		{"bad expansion inside a secret", cw(`aws_secret_access_key = "` + secretish + `${"`), "handlers.cw.aws_secret_access_key"},
		{"bad variable inside a secret", cw(`aws_secret_access_key = "${sk_live_zz77!}"`), "handlers.cw.aws_secret_access_key"},
		{"secret as an ext:// value", cw(`aws_secret_access_key = "ext://` + secretish + `"`), "handlers.cw.aws_secret_access_key"},
		{"secret as a cfg:// value", cw(`aws_secret_access_key = "cfg://` + secretish + `"`), "handlers.cw.aws_secret_access_key"},
		{"a filter's password", `version = 1
[filters.f]
class = "fields"
fields = { password = ["sk_live_zz77"] }`, "filters.f.fields.password"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, stderr := newReg(t)
			err := r.ConfigureBytes([]byte(c.toml), "toml")
			if err == nil {
				t.Fatal("Configure accepted a bad configuration")
			}
			if !strings.Contains(err.Error(), c.path) {
				t.Errorf("error does not name %s: %v", c.path, err)
			}
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Errorf("not a ConfigError: %v", err)
			}
			mustNotLeak(t, "Configure's error", err.Error())
			mustNotLeak(t, "Configure's %+v", fmt.Sprintf("%+v", err))
			mustNotLeak(t, "stderr", stderr.String())
		})
	}
}

// TestCredentialsNotInHandlerReports: the service refuses the credentials
// (UnrecognizedClientException); what the handler reports, Shutdown's
// error, Stats and a dump of the handler name no secret.
func TestCredentialsNotInHandlerReports(t *testing.T) {
	srv := cwlocal.New(cwlocal.WithAccessKeyID("AKIDSOMEONEELSE"))
	defer srv.Close()
	r, stderr := newReg(t)
	err := r.ConfigureMap(map[string]any{
		"version": 1,
		"handlers": map[string]any{"cw": map[string]any{
			"class": "watchtower.CloudWatchLogHandler", "log_group_name": "g", "log_stream_name": "s",
			"endpoint_url": srv.URL(), "region": "us-west-2",
			"aws_access_key_id": "AKIDTEST", "aws_secret_access_key": secretish, "aws_session_token": "SESSIONTOKENzz9",
		}},
		"root": map[string]any{"level": "INFO", "handlers": []any{"cw"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	h := r.Handler("cw").(*cloudwatch.Handler)
	r.Get("app").Info("hello")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err = r.Shutdown(ctx)
	if err == nil {
		t.Fatal("Shutdown reported no loss with refused credentials")
	}
	if !strings.Contains(stderr.String(), "UnrecognizedClientException") {
		t.Errorf("the refusal was not reported on stderr: %q", stderr.String())
	}
	mustNotLeak(t, "stderr", stderr.String())
	mustNotLeak(t, "Shutdown's error", err.Error())
	s := h.Stats()
	if s.Dropped.Undeliverable != 1 {
		t.Errorf("Stats = %+v", s)
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		mustNotLeak(t, "Stats "+verb, fmt.Sprintf(verb, s))
		mustNotLeak(t, "the handler "+verb, fmt.Sprintf(verb, h))
		mustNotLeak(t, "the registry's handler "+verb, fmt.Sprintf(verb, r.Handler("cw")))
	}
	o := cloudwatch.Options{AWS: cloudwatch.AWS{AccessKeyID: "AKIDTEST", SecretAccessKey: secretish, SessionToken: "SESSIONTOKENzz9"}}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		mustNotLeak(t, "Options "+verb, fmt.Sprintf(verb, o))
		mustNotLeak(t, "AWS "+verb, fmt.Sprintf(verb, o.AWS))
		mustNotLeak(t, "*AWS "+verb, fmt.Sprintf(verb, &o.AWS))
	}
}

// TestRedactThroughConfig: a redact filter on a logger masks secrets in
// the message and fields before any handler formats them.
func TestRedactThroughConfig(t *testing.T) {
	r, _ := newReg(t)
	err := r.ConfigureMap(map[string]any{
		"version":    1,
		"filters":    map[string]any{"secrets": map[string]any{"class": "redaction", "patterns": []any{`sk_live_\w+`}}},
		"formatters": map[string]any{"f": map[string]any{"format": "%(message)s user=%(user)s password=%(password)s"}},
		"handlers":   map[string]any{"h": map[string]any{"class": "test.Recorder", "key": keyed(t, "h"), "formatter": "f"}},
		"loggers":    map[string]any{"app": map[string]any{"level": "INFO", "handlers": []any{"h"}, "filters": []any{"secrets"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	r.Get("app").WithField("user", "arya").WithField("password", "hunter2").
		Info("login Authorization: Bearer abc.def with key AKIAIOSFODNN7EXAMPLE and sk_live_zz77")
	want := "login Authorization: Bearer [REDACTED] with key [REDACTED] and [REDACTED] user=arya password=[REDACTED]"
	if got := rec(keyed(t, "h")).get(); len(got) != 1 || got[0] != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestFileModes(t *testing.T) {
	withUmask022(t)
	cases := []struct {
		name     string
		handler  map[string]any
		want     os.FileMode
		minFiles int
	}{
		{"file default", map[string]any{"class": "logging.FileHandler"}, 0o640, 1},
		{"file configured", map[string]any{"class": "logging.FileHandler", "perm": "0600"}, 0o600, 1},
		{"rotating default, rotated files too", map[string]any{"class": "logging.handlers.RotatingFileHandler", "maxBytes": 20, "backupCount": 3}, 0o640, 3},
		{"rotating configured", map[string]any{"class": "rotating_file", "maxBytes": 20, "backupCount": 3, "file_mode": "0600"}, 0o600, 3},
		{"timed rotating default", map[string]any{"class": "logging.handlers.TimedRotatingFileHandler"}, 0o640, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			c.handler["filename"] = filepath.Join(dir, "app.log")
			r, _ := newReg(t)
			if err := r.ConfigureMap(map[string]any{"version": 1,
				"handlers": map[string]any{"f": c.handler},
				"root":     map[string]any{"level": "INFO", "handlers": []any{"f"}}}); err != nil {
				t.Fatal(err)
			}
			for i := range 4 {
				r.Get("app").Infof("line %d of the test", i)
			}
			if err := r.Shutdown(context.Background()); err != nil {
				t.Fatal(err)
			}
			files, _ := filepath.Glob(filepath.Join(dir, "*"))
			if len(files) < c.minFiles {
				t.Fatalf("%d files written, want at least %d: %v", len(files), c.minFiles, files)
			}
			for _, f := range files {
				st, err := os.Stat(f)
				if err != nil {
					t.Fatal(err)
				}
				if got := st.Mode().Perm(); got != c.want {
					t.Errorf("%s has mode %#o, want %#o", filepath.Base(f), got, c.want)
				}
			}
		})
	}
}

// TestExtReachesOnlyStdoutAndStderr: no ext:// value other than the two
// streams is accepted anywhere in a configuration.
func TestExtReachesOnlyStdoutAndStderr(t *testing.T) {
	for _, v := range []string{"ext://sys.stdin", "ext://os.Exit", "ext://os.Stdout", "ext://sys.modules", "ext://logging.StreamHandler", "ext://sys.stdout.write", "ext://"} {
		for _, where := range []string{"stream", "other"} {
			t.Run(v+" as "+where, func(t *testing.T) {
				h := map[string]any{"class": "logging.StreamHandler"}
				path := "handlers.h.stream"
				if where == "stream" {
					h["stream"] = v
				} else {
					h["stream"] = "ext://sys.stdout"
					h["terminator"] = v
					path = "handlers.h.terminator"
				}
				r, _ := newReg(t)
				err := r.ConfigureMap(map[string]any{"version": 1, "handlers": map[string]any{"h": h}})
				if err == nil || !errors.Is(err, ErrBadValue) || !strings.Contains(err.Error(), path+":") {
					t.Errorf("ext value %q at %s: err = %v", v, path, err)
				}
			})
		}
	}
	t.Run("stdout and stderr", func(t *testing.T) {
		var out, errOut syncBuf
		r := New(WithStdout(&out), WithStderr(&errOut))
		defer r.Shutdown(context.Background())
		if err := r.ConfigureMap(map[string]any{"version": 1,
			"handlers": map[string]any{
				"o": map[string]any{"class": "logging.StreamHandler", "stream": "ext://sys.stdout"},
				"e": map[string]any{"class": "logging.StreamHandler", "stream": "ext://sys.stderr"}},
			"root": map[string]any{"level": "INFO", "handlers": []any{"o", "e"}}}); err != nil {
			t.Fatal(err)
		}
		r.Get("x").Info("hi")
		if out.String() != "hi\n" || errOut.String() != "hi\n" {
			t.Errorf("stdout %q, stderr %q", out.String(), errOut.String())
		}
	})
}
