package hook

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/logdict/logging/core"
	"github.com/sirupsen/logrus"
)

func TestDjangoSubject(t *testing.T) {
	long := strings.Repeat("é", 2000)
	for _, tt := range []struct {
		desc, prefix string
		r            *core.Record
		want         string
	}{
		{"plain", "[Django] ", errRec("Internal Server Error: /api"), "[Django] ERROR: Internal Server Error: /api"},
		{"critical, no prefix", "", &core.Record{Level: core.CRITICAL, Entry: &logrus.Entry{Message: "down"}}, "CRITICAL: down"},
		{"newlines escaped", "[x] ", errRec("a\nb\r\nc"), `[x] ERROR: a\nb\r\nc`},
		{"cut at 989 characters", "[Django] ", errRec(long), "[Django] ERROR: " + strings.Repeat("é", 989-len("ERROR: "))},
	} {
		t.Run(tt.desc, func(t *testing.T) {
			if got := DjangoSubject(tt.prefix)(tt.r, []byte("formatted")); got != tt.want {
				t.Errorf("got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestAdminEmailSends(t *testing.T) {
	srv := newSMTPServer(t, func(s *smtpServer) { s.user, s.pass = "django", "pw" })
	t.Setenv("EMAIL_HOST_USER", "django")
	t.Setenv("EMAIL_HOST_PASSWORD", "pw")
	t.Setenv("EMAIL_PORT", strconv.Itoa(srv.port()))
	var errs errSink
	h := mustBuild(t, AdminEmailFactory, map[string]any{
		"admins":       []any{[]any{"Ann", "ann@example.com"}, "Bob <bob@example.com>", "carl@example.com"},
		"server_email": "django@example.com",
		"email_host":   "127.0.0.1",
		"include_html": true,
	}, &core.Env{OnError: errs.report})
	if err := h.Emit(errRec("Internal Server Error: /boom\nTraceback"), []byte("ERROR formatted")); err != nil {
		t.Fatal(err)
	}
	flush(t, h)
	mails := srv.got()
	if len(mails) != 1 {
		t.Fatalf("got %d mails; errors %s", len(mails), errs.text())
	}
	m := mails[0]
	if m.User != "django" || m.From != "django@example.com" || strings.Join(m.To, ",") != "ann@example.com,bob@example.com,carl@example.com" {
		t.Errorf("envelope %+v", m)
	}
	hdr, body := parseMail(t, m.Data)
	if got := hdr.Get("Subject"); got != `[Django] ERROR: Internal Server Error: /boom\nTraceback` {
		t.Errorf("subject %q", got)
	}
	if got := hdr.Get("To"); got != "ann@example.com, bob@example.com, carl@example.com" {
		t.Errorf("To %q", got)
	}
	if body != "ERROR formatted\n" {
		t.Errorf("body %q", body)
	}
}

func TestAdminEmailEnvAndBackends(t *testing.T) {
	t.Run("no admins sends nothing", func(t *testing.T) {
		t.Setenv("DJANGO_ADMINS", "")
		h := mustBuild(t, AdminEmailFactory, map[string]any{}, nil)
		if _, ok := h.(Null); !ok {
			t.Errorf("got %T; want Null", h)
		}
	})
	t.Run("admins from the environment, console backend", func(t *testing.T) {
		t.Setenv("DJANGO_ADMINS", "Ann <ann@x>, bob@x")
		t.Setenv("SERVER_EMAIL", "srv@x")
		var out bytes.Buffer
		h := mustBuild(t, AdminEmailFactory, map[string]any{
			"email_backend":        "django.core.mail.backends.console.EmailBackend",
			"email_subject_prefix": "[site] ",
		}, &core.Env{Stdout: &out})
		h.Emit(errRec("oops"), []byte("body"))
		flush(t, h)
		got := out.String()
		for _, want := range []string{"From: srv@x\n", "To: ann@x, bob@x\n", "Subject: [site] ERROR: oops\n", "\n\nbody\n\n" + strings.Repeat("-", 79) + "\n"} {
			if !strings.Contains(got, want) {
				t.Errorf("console output %q lacks %q", got, want)
			}
		}
	})
	t.Run("dummy backend", func(t *testing.T) {
		h := mustBuild(t, AdminEmailFactory, map[string]any{"admins": []any{"a@x"}, "email_backend": "django.core.mail.backends.dummy.EmailBackend"}, nil)
		if _, ok := h.(Null); !ok {
			t.Errorf("got %T; want Null", h)
		}
	})
	t.Run("defaults", func(t *testing.T) {
		for _, v := range []string{"SERVER_EMAIL", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD"} {
			t.Setenv(v, "")
		}
		t.Setenv("EMAIL_HOST_USER", "only-user") // no password: Django does not log in
		h := mustBuild(t, AdminEmailFactory, map[string]any{"admins": []any{"a@x"}}, nil).(*SMTP)
		cfg := h.q.tr.(*smtpTransport).cfg
		if cfg.host != "localhost" || cfg.port != 25 || cfg.from != "root@localhost" || cfg.user != "" {
			t.Errorf("config %+v", cfg)
		}
	})
}

func TestAdminEmailFactoryErrors(t *testing.T) {
	const secret = "pa55w0rd-value"
	t.Setenv("EMAIL_HOST_PASSWORD", secret)
	for _, tt := range []struct {
		desc string
		env  map[string]string
		m    map[string]any
		path string
		says string
	}{
		{"backend", nil, map[string]any{"email_backend": "django.core.mail.backends.locmem.EmailBackend"}, "handlers.h.email_backend", "want one of"},
		{"reporter", nil, map[string]any{"reporter_class": "myapp.Reporter"}, "handlers.h.reporter_class", "want one of"},
		{"admins type", nil, map[string]any{"admins": "a@x"}, "handlers.h.admins", "want a list"},
		{"admins pair", nil, map[string]any{"admins": []any{[]any{"Ann"}}}, "handlers.h.admins", "item 0: want [name, address]"},
		{"port from env", map[string]string{"EMAIL_PORT": "smtp"}, map[string]any{}, "handlers.h.email_port", `$EMAIL_PORT="smtp"`},
		{"port", nil, map[string]any{"email_port": int64(0)}, "handlers.h.email_port", "must be 1..65535"},
		{"tls and ssl", nil, map[string]any{"email_use_tls": true, "email_use_ssl": true}, "handlers.h.email_use_ssl", "mutually exclusive"},
		{"password type", nil, map[string]any{"email_host_password": []any{secret}}, "handlers.h.email_host_password", "(value hidden)"},
		{"typo", nil, map[string]any{"email_subject_prefx": "x"}, "handlers.h.email_subject_prefx", `did you mean "email_subject_prefix"`},
	} {
		t.Run(tt.desc, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			err := wantFactoryErr(t, AdminEmailFactory, tt.m, nil, tt.path, nil)
			if !strings.Contains(err.Error(), tt.says) {
				t.Errorf("error %q does not say %q", err, tt.says)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("error %q shows the password", err)
			}
		})
	}
}
