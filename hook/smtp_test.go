package hook

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/logdict/logging/core"
	"github.com/sirupsen/logrus"
)

// errSink collects what a handler reports through OnError.
type errSink struct {
	mu   sync.Mutex
	errs []error
}

func (s *errSink) report(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.errs = append(s.errs, err)
}

func (s *errSink) all() []error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]error(nil), s.errs...)
}

func (s *errSink) text() string {
	var b strings.Builder
	for _, e := range s.all() {
		b.WriteString(e.Error())
		b.WriteString("\n")
	}
	return b.String()
}

func flush(t *testing.T, h core.Handler) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := h.Flush(ctx); err != nil {
		t.Fatalf("Flush: %v", err)
	}
}

func closeNow(t *testing.T, h core.Handler) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return h.Close(ctx)
}

func errRec(msg string) *core.Record {
	return &core.Record{Name: "app", Level: core.ERROR, Entry: &logrus.Entry{Message: msg, Time: time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)}}
}

func TestSMTPFactorySends(t *testing.T) {
	srv := newSMTPServer(t, nil)
	var errs errSink
	h := mustBuild(t, SMTPFactory, map[string]any{
		"mailhost": []any{"127.0.0.1", int64(srv.port())},
		"fromaddr": "app@example.com",
		"toaddrs":  []any{"ops@example.com", "dev@example.com"},
		"subject":  "Application error",
	}, &core.Env{Name: "mail", OnError: errs.report})
	for _, tt := range []struct {
		desc, body, wantCTE, wantBody string
	}{
		{"ascii", "ERROR boom\nsecond line", "7bit", "ERROR boom\nsecond line\n"},
		{"utf-8", "ERROR naïve café", "quoted-printable", "ERROR naïve café\n"},
		{"long line", strings.Repeat("x", 1200), "quoted-printable", strings.Repeat("x", 1200) + "\n"},
		{"leading dot", ".hidden\n.", "7bit", ".hidden\n.\n"},
	} {
		t.Run(tt.desc, func(t *testing.T) {
			n := len(srv.got())
			if err := h.Emit(errRec("boom"), []byte(tt.body)); err != nil {
				t.Fatal(err)
			}
			flush(t, h)
			mails := srv.got()
			if len(mails) != n+1 {
				t.Fatalf("server got %d mails, want %d; errors: %s", len(mails), n+1, errs.text())
			}
			m := mails[n]
			if m.From != "app@example.com" || strings.Join(m.To, " ") != "ops@example.com dev@example.com" {
				t.Errorf("envelope from %q to %q", m.From, m.To)
			}
			hdr, body := parseMail(t, m.Data)
			for k, want := range map[string]string{
				"From": "app@example.com", "To": "ops@example.com,dev@example.com",
				"Subject": "Application error", "Content-Type": `text/plain; charset="utf-8"`,
				"Content-Transfer-Encoding": tt.wantCTE, "Mime-Version": "1.0",
				"Date": "Fri, 01 Mar 2024 12:00:00 +0000",
			} {
				if got := hdr.Get(k); got != want {
					t.Errorf("header %s = %q, want %q", k, got, want)
				}
			}
			if id := hdr.Get("Message-Id"); !strings.HasPrefix(id, "<") || !strings.Contains(id, "@") {
				t.Errorf("Message-ID %q", id)
			}
			if tt.wantCTE == "quoted-printable" {
				b, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(body)))
				if err != nil {
					t.Fatal(err)
				}
				body = string(b)
				for _, l := range strings.Split(m.Data, "\n") {
					if len(l) > 998 {
						t.Errorf("line of %d bytes in the mail", len(l))
					}
				}
			}
			if body != tt.wantBody {
				t.Errorf("body %q, want %q", body, tt.wantBody)
			}
		})
	}
	if e := errs.all(); len(e) != 0 {
		t.Errorf("reported errors: %v", e)
	}
	if st := h.(*SMTP).Stats(); st.Sent != 4 || st.Failed != 0 || st.Dropped != 0 {
		t.Errorf("stats %v", st)
	}
}

func TestSMTPSubjectEncoding(t *testing.T) {
	srv := newSMTPServer(t, nil)
	long := strings.Repeat("ünïcödé ", 150)
	h, err := NewSMTP(SMTPOptions{Host: "127.0.0.1", Port: srv.port(), From: "a@x", To: []string{"b@x"},
		SubjectFunc: func(r *core.Record, _ []byte) string { return r.Message() }})
	if err != nil {
		t.Fatal(err)
	}
	defer closeNow(t, h)
	for _, subj := range []string{"plain", "Ünïcode subject", long, "two\r\nlines"} {
		h.Emit(errRec(subj), []byte("x"))
	}
	flush(t, h)
	var dec mime.WordDecoder
	want := []string{"plain", "Ünïcode subject", long, "two lines"}
	mails := srv.got()
	if len(mails) != len(want) {
		t.Fatalf("got %d mails", len(mails))
	}
	for i, m := range mails {
		for _, l := range strings.Split(m.Data, "\n") {
			if len(l) > 100 && strings.Contains(l, "=?") {
				t.Errorf("encoded subject line not folded: %d bytes", len(l))
			}
		}
		hdr, _ := parseMail(t, m.Data)
		got, err := dec.DecodeHeader(hdr.Get("Subject"))
		if err != nil {
			t.Fatal(err)
		}
		if got != want[i] {
			t.Errorf("subject %q, want %q", got, want[i])
		}
	}
}

func TestSMTPSessionReuseAndQueueFull(t *testing.T) {
	srv := newSMTPServer(t, func(s *smtpServer) { s.hold = make(chan struct{}) })
	var errs errSink
	h, err := NewSMTP(SMTPOptions{Host: "127.0.0.1", Port: srv.port(), From: "a@x", To: []string{"b@x"},
		Subject: "s", QueueSize: 2, OnError: errs.report, Name: "mail"})
	if err != nil {
		t.Fatal(err)
	}
	defer closeNow(t, h)
	h.Emit(rec(), []byte("1"))
	<-srv.inData // the sender is busy with mail 1
	for _, b := range []string{"2", "3", "4", "5"} {
		h.Emit(rec(), []byte(b))
	}
	if st := h.Stats(); st.Queued != 2 || st.Dropped != 2 {
		t.Errorf("stats %v; want 2 queued, 2 dropped", st)
	}
	var le *LossError
	if e := errs.all(); len(e) == 0 || !errors.As(e[0], &le) || le.Reason != "queue full" || le.Handler != "mail" {
		t.Errorf("reported %v; want a LossError for the full queue", e)
	}
	go func() {
		for range 3 {
			srv.hold <- struct{}{}
		}
	}()
	flush(t, h)
	mails := srv.got()
	if len(mails) != 3 {
		t.Fatalf("got %d mails", len(mails))
	}
	for i, m := range mails {
		if _, body := parseMail(t, m.Data); body != string(rune('1'+i))+"\n" {
			t.Errorf("mail %d body %q", i, body)
		}
	}
	if n := srv.sessionCount(); n != 1 {
		t.Errorf("%d sessions; the queued mails should share one", n)
	}
	if st := h.Stats(); st.Sent != 3 || st.Dropped != 2 || st.Queued != 0 {
		t.Errorf("stats %v", st)
	}
}

func TestSMTPAuth(t *testing.T) {
	const user, pass = "mailer", "s3cr3t-pa55"
	serverTLS, clientTLS := selfSigned(t)
	for _, tt := range []struct {
		desc     string
		mechs    string
		password string
		startTLS bool
		wantSent bool
	}{
		{"plain on loopback", "", pass, false, true},
		{"starttls", "", pass, true, true},
		{"login mechanism", "LOGIN", pass, true, true},
		{"wrong password", "", "wrong-" + pass, false, false},
		{"wrong password, login", "LOGIN", "wrong-" + pass, false, false},
	} {
		t.Run(tt.desc, func(t *testing.T) {
			srv := newSMTPServer(t, func(s *smtpServer) { s.user, s.pass, s.tlsConf, s.mechs = user, pass, serverTLS, tt.mechs })
			var errs errSink
			h, err := NewSMTP(SMTPOptions{Host: "127.0.0.1", Port: srv.port(), From: "a@x", To: []string{"b@x"},
				Subject: "s", Username: user, Password: tt.password, StartTLS: tt.startTLS, TLSConfig: clientTLS,
				OnError: errs.report})
			if err != nil {
				t.Fatal(err)
			}
			h.Emit(rec(), []byte("hello"))
			flush(t, h)
			if err := closeNow(t, h); err != nil {
				t.Fatal(err)
			}
			mails := srv.got()
			if !tt.wantSent {
				if len(mails) != 0 || h.Stats().Failed != 1 {
					t.Fatalf("mails %v, stats %v; want a failure", mails, h.Stats())
				}
				text := errs.text()
				if !strings.Contains(text, "535") {
					t.Errorf("reported %q; want the server's 535", text)
				}
				for _, secret := range []string{tt.password, base64.StdEncoding.EncodeToString([]byte("\x00" + user + "\x00" + tt.password))} {
					if strings.Contains(text, secret) {
						t.Errorf("the report %q shows the password", text)
					}
				}
				return
			}
			if len(mails) != 1 || mails[0].User != user || mails[0].TLS != tt.startTLS {
				t.Fatalf("mails %+v; errors %s", mails, errs.text())
			}
		})
	}
}

func TestSMTPStartTLSNotOffered(t *testing.T) {
	srv := newSMTPServer(t, nil)
	var errs errSink
	h := mustBuild(t, SMTPFactory, map[string]any{
		"mailhost": []any{"127.0.0.1", int64(srv.port())}, "fromaddr": "a@x", "toaddrs": "b@x",
		"subject": "s", "secure": []any{},
	}, &core.Env{OnError: errs.report})
	h.Emit(rec(), []byte("x"))
	flush(t, h)
	if len(srv.got()) != 0 || !strings.Contains(errs.text(), "does not offer STARTTLS") {
		t.Errorf("mails %v, errors %q; want the mail refused for lack of STARTTLS", srv.got(), errs.text())
	}
}

func TestSMTPRecipientRefused(t *testing.T) {
	srv := newSMTPServer(t, func(s *smtpServer) { s.rejectRcpt = "nobody@x" })
	// With no OnError, the factory reports on env.Stderr.
	var stderr bytes.Buffer
	h := mustBuild(t, SMTPFactory, map[string]any{
		"mailhost": []any{"127.0.0.1", int64(srv.port())}, "fromaddr": "a@x", "toaddrs": "nobody@x", "subject": "s",
	}, &core.Env{Name: "mail", Stderr: &stderr})
	h.Emit(rec(), []byte("x"))
	h.Emit(rec(), []byte("y"))
	flush(t, h)
	if st := h.(*SMTP).Stats(); st.Failed != 2 || st.Sent != 0 {
		t.Errorf("stats %v", st)
	}
	if got := stderr.String(); strings.Count(got, `logdict: handler "mail": smtp: RCPT TO nobody@x: 550`) != 2 {
		t.Errorf("stderr %q", got)
	}
}

// deadAddr returns a loopback port nothing listens on.
func deadAddr(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return port
}

func TestSMTPLifecycle(t *testing.T) {
	t.Run("unreachable server holds the queue until Close's ctx ends", func(t *testing.T) {
		var errs errSink
		h, _ := NewSMTP(SMTPOptions{Host: "127.0.0.1", Port: deadAddr(t), From: "a@x", To: []string{"b@x"}, Subject: "s", OnError: errs.report})
		h.Emit(rec(), []byte("1"))
		h.Emit(rec(), []byte("2"))
		eventually(t, "a retry", func() bool { return h.Stats().Retries > 0 })
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		var ue *UndeliveredError
		if err := h.Flush(ctx); !errors.As(err, &ue) || !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Flush = %v; want an UndeliveredError", err)
		}
		ctx2, cancel2 := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel2()
		if err := h.Close(ctx2); !errors.As(err, &ue) {
			t.Errorf("Close = %v; want an UndeliveredError", err)
		}
		if st := h.Stats(); st.Dropped != 2 || st.Sent != 0 || st.Queued != 0 {
			t.Errorf("stats %v; want both dropped", st)
		}
		if !strings.Contains(errs.text(), "retrying") {
			t.Errorf("errors %q; want the outage reported", errs.text())
		}
	})
	t.Run("close aborts a hung server", func(t *testing.T) {
		srv := newSMTPServer(t, func(s *smtpServer) { s.hold = make(chan struct{}) })
		h, _ := NewSMTP(SMTPOptions{Host: "127.0.0.1", Port: srv.port(), From: "a@x", To: []string{"b@x"}, Subject: "s", Timeout: time.Minute, OnError: func(error) {}})
		h.Emit(rec(), []byte("1"))
		<-srv.inData
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		if err := h.Close(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Close = %v", err)
		}
		if st := h.Stats(); st.Dropped != 1 {
			t.Errorf("stats %v", st)
		}
	})
	t.Run("close twice, flush and emit after close", func(t *testing.T) {
		srv := newSMTPServer(t, nil)
		var errs errSink
		h, _ := NewSMTP(SMTPOptions{Host: "127.0.0.1", Port: srv.port(), From: "a@x", To: []string{"b@x"}, Subject: "s", OnError: errs.report})
		h.Emit(rec(), []byte("1"))
		if err := closeNow(t, h); err != nil {
			t.Fatal(err)
		}
		if len(srv.got()) != 1 {
			t.Errorf("Close did not send the queued mail")
		}
		if err := closeNow(t, h); err != nil {
			t.Errorf("second Close: %v", err)
		}
		if err := h.Flush(context.Background()); err != nil {
			t.Errorf("Flush after Close: %v", err)
		}
		h.Emit(rec(), []byte("late"))
		var le *LossError
		if st := h.Stats(); st.Dropped != 1 {
			t.Errorf("stats %v", st)
		}
		if e := errs.all(); len(e) != 1 || !errors.As(e[0], &le) || le.Reason != "after close" {
			t.Errorf("reported %v", e)
		}
	})
	t.Run("logrus hook", func(t *testing.T) {
		srv := newSMTPServer(t, nil)
		h, _ := NewSMTP(SMTPOptions{Host: "127.0.0.1", Port: srv.port(), From: "a@x", To: []string{"b@x"}, Subject: "s",
			Formatter: &logrus.TextFormatter{DisableTimestamp: true}})
		log := logrus.New()
		log.Out = io.Discard
		log.AddHook(h)
		log.WithField("k", "v").Error("boom")
		flush(t, h)
		closeNow(t, h)
		if m := srv.got(); len(m) != 1 || !strings.HasSuffix(m[0].Data, "\n\nlevel=error msg=boom k=v\n") {
			t.Errorf("mails %+v", m)
		}
	})
}

func TestSMTPFactoryErrors(t *testing.T) {
	ok := func(kv ...any) map[string]any {
		m := map[string]any{"mailhost": "localhost", "fromaddr": "a@x", "toaddrs": "b@x", "subject": "s"}
		for i := 0; i < len(kv); i += 2 {
			if kv[i+1] == nil {
				delete(m, kv[i].(string))
			} else {
				m[kv[i].(string)] = kv[i+1]
			}
		}
		return m
	}
	const secret = "hunter2-secret"
	for _, tt := range []struct {
		desc string
		m    map[string]any
		path string
		says string
	}{
		{"no mailhost", ok("mailhost", nil), "handlers.h.mailhost", "required"},
		{"bad port", ok("mailhost", []any{"localhost", int64(70000)}), "handlers.h.mailhost", "item 1: want a port number"},
		{"three items", ok("mailhost", []any{"a", int64(1), int64(2)}), "handlers.h.mailhost", "want [host, port], got 3 items"},
		{"mailhost number", ok("mailhost", int64(25)), "handlers.h.mailhost", `want "host" or [host, port]`},
		{"no toaddrs", ok("toaddrs", nil), "handlers.h.toaddrs", "required"},
		{"empty toaddrs", ok("toaddrs", []any{}), "handlers.h.toaddrs", "at least one address"},
		{"empty address", ok("toaddrs", []any{"a@x", " "}), "handlers.h.toaddrs", "item 1: empty address"},
		{"header injection", ok("fromaddr", "a@x\r\nBcc: evil@x"), "handlers.h.fromaddr", "line breaks"},
		{"subject injection", ok("subject", "s\nBcc: evil@x"), "handlers.h.subject", "line breaks"},
		{"no subject", ok("subject", nil), "handlers.h.subject", "required"},
		{"credentials one item", ok("credentials", []any{secret}), "handlers.h.credentials", "want [user, password], got 1 items"},
		{"credentials string", ok("credentials", secret), "handlers.h.credentials", "got a string"},
		{"credentials number", ok("credentials", []any{"u", int64(1234)}), "handlers.h.credentials", "two strings"},
		{"secure keyfile only", ok("secure", []any{"key.pem"}), "handlers.h.secure", "needs its certfile"},
		{"secure missing files", ok("secure", []any{"/nonexistent/key.pem", "/nonexistent/cert.pem"}), "handlers.h.secure", "loading the client certificate"},
		{"secure string", ok("secure", "yes"), "handlers.h.secure", "want true, false"},
		{"timeout", ok("timeout", "soon"), "handlers.h.timeout", "want a duration"},
		{"typo", ok("toaddr", "x@y"), "handlers.h.toaddr", `did you mean "toaddrs"`},
	} {
		t.Run(tt.desc, func(t *testing.T) {
			err := wantFactoryErr(t, SMTPFactory, tt.m, nil, tt.path, nil)
			if !strings.Contains(err.Error(), tt.says) {
				t.Errorf("error %q does not say %q", err, tt.says)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("error %q shows the secret", err)
			}
		})
	}
}

func TestSMTPFactoryDefaults(t *testing.T) {
	for _, tt := range []struct {
		desc string
		m    map[string]any
		host string
		port int
	}{
		{"host only", map[string]any{"mailhost": "mail.example.com"}, "mail.example.com", 25},
		{"host:port", map[string]any{"mailhost": "mail.example.com:587"}, "mail.example.com", 587},
		{"pair with string port", map[string]any{"mailhost": []any{"mx", "2525"}}, "mx", 2525},
		{"ipv6", map[string]any{"mailhost": "::1"}, "::1", 25},
	} {
		t.Run(tt.desc, func(t *testing.T) {
			tt.m["fromaddr"], tt.m["toaddrs"], tt.m["subject"] = "a@x", "b@x", "s"
			h := mustBuild(t, SMTPFactory, tt.m, nil).(*SMTP)
			cfg := h.q.tr.(*smtpTransport).cfg
			if cfg.host != tt.host || cfg.port != tt.port || cfg.timeout != 5*time.Second {
				t.Errorf("host %q port %d timeout %v", cfg.host, cfg.port, cfg.timeout)
			}
		})
	}
}
