package hook

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/smtp"
	"net/textproto"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// mailConfig is what one mail session needs; it is fixed at construction.
type mailConfig struct {
	host     string
	port     int
	from     string
	to       []string
	toHeader string // the To header: Python joins with ",", Django with ", "
	user     string
	password string
	startTLS bool // STARTTLS after EHLO
	useSSL   bool // TLS from the first byte (Django's EMAIL_USE_SSL)
	tls      *tls.Config
	timeout  time.Duration
}

// smtpTransport sends mails over one SMTP session at a time: opened for
// the first queued mail, reused while more are queued, closed with QUIT
// when the queue empties. Only the queue's worker uses it.
type smtpTransport struct {
	cfg   mailConfig
	local string // EHLO name

	c    *smtp.Client
	conn net.Conn
	stop func() bool // unregisters the ctx watcher of the session
	msg  bytes.Buffer
}

func newSMTPTransport(cfg mailConfig) *smtpTransport {
	return &smtpTransport{cfg: cfg, local: localName()}
}

// localName is the name this host gives in EHLO and Message-ID.
func localName() string {
	local, err := os.Hostname()
	if err != nil || local == "" {
		return "localhost"
	}
	return local
}

// consoleTransport is Django's console mail backend: each message is
// written to w followed by an empty line and a line of 79 dashes.
type consoleTransport struct {
	cfg   mailConfig
	w     io.Writer
	local string
	msg   bytes.Buffer
}

func (t *consoleTransport) deliver(_ context.Context, j job, _ bool) error {
	buildMessage(&t.msg, &t.cfg, t.local, &j)
	t.msg.WriteByte('\n')
	t.msg.WriteString(strings.Repeat("-", 79))
	t.msg.WriteByte('\n')
	_, err := t.w.Write(t.msg.Bytes())
	return err
}

func (t *consoleTransport) idle()        {}
func (t *consoleTransport) close() error { return nil }

func (t *smtpTransport) deliver(ctx context.Context, j job, _ bool) error {
	reused := t.c != nil
	if !reused {
		if err := t.open(ctx); err != nil {
			return err
		}
	}
	buildMessage(&t.msg, &t.cfg, t.local, &j)
	err := t.send()
	if err != nil && reused && !isReply(err) {
		// The server closed a session kept from the previous mail; nothing
		// of this one was accepted, so try once on a fresh session.
		t.drop()
		if err = t.open(ctx); err != nil {
			return err
		}
		err = t.send()
	}
	if err != nil {
		t.drop()
	}
	return err
}

// isReply reports whether err is the server's answer (the session is
// still in step), not a broken connection.
func isReply(err error) bool {
	var pe *textproto.Error
	return errors.As(err, &pe)
}

// open dials and says hello, upgrades to TLS and logs in as configured. A
// failure to reach the server is transient: the mail stays queued.
func (t *smtpTransport) open(ctx context.Context) error {
	addr := net.JoinHostPort(t.cfg.host, strconv.Itoa(t.cfg.port))
	d := net.Dialer{Timeout: t.cfg.timeout}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return &transientError{fmt.Errorf("smtp: %w", err)}
	}
	// A cancelled worker (Close's ctx ended) must not wait out a slow
	// server: closing the connection unblocks every read and write.
	t.stop = context.AfterFunc(ctx, func() { conn.Close() })
	t.conn = conn
	t.deadline()
	if t.cfg.useSSL {
		tc := tls.Client(conn, t.tlsConfig())
		if err := tc.HandshakeContext(ctx); err != nil {
			t.drop()
			return fmt.Errorf("smtp: TLS with %s: %w", addr, err)
		}
		conn = tc
	}
	c, err := smtp.NewClient(conn, t.cfg.host)
	if err != nil {
		t.drop()
		return fmt.Errorf("smtp: greeting from %s: %w", addr, err)
	}
	t.c = c
	if err := c.Hello(t.local); err != nil {
		t.drop()
		return fmt.Errorf("smtp: EHLO: %w", err)
	}
	if t.cfg.startTLS {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			t.drop()
			return fmt.Errorf("smtp: %s does not offer STARTTLS", addr)
		}
		if err := c.StartTLS(t.tlsConfig()); err != nil {
			t.drop()
			return fmt.Errorf("smtp: STARTTLS: %w", err)
		}
	}
	if t.cfg.user != "" {
		if err := t.auth(); err != nil {
			t.drop()
			return err
		}
	}
	return nil
}

func (t *smtpTransport) tlsConfig() *tls.Config {
	if t.cfg.tls != nil {
		c := t.cfg.tls.Clone()
		if c.ServerName == "" {
			c.ServerName = t.cfg.host
		}
		return c
	}
	return &tls.Config{ServerName: t.cfg.host, MinVersion: tls.VersionTLS12}
}

// auth logs in with the first mechanism the server offers among PLAIN,
// LOGIN and CRAM-MD5. PLAIN and LOGIN refuse to send the password over a
// connection that is neither TLS nor to localhost. Errors name the user,
// never the password.
func (t *smtpTransport) auth() error {
	ok, mechs := t.c.Extension("AUTH")
	if !ok {
		return errors.New("smtp: the server does not offer AUTH; credentials were given")
	}
	offered := strings.Fields(strings.ToUpper(mechs))
	has := func(m string) bool {
		for _, o := range offered {
			if o == m {
				return true
			}
		}
		return false
	}
	var a smtp.Auth
	switch {
	case has("PLAIN"):
		a = smtp.PlainAuth("", t.cfg.user, t.cfg.password, t.cfg.host)
	case has("LOGIN"):
		a = &loginAuth{user: t.cfg.user, password: t.cfg.password, host: t.cfg.host}
	case has("CRAM-MD5"):
		a = smtp.CRAMMD5Auth(t.cfg.user, t.cfg.password)
	default:
		return fmt.Errorf("smtp: no supported AUTH mechanism among %q", mechs)
	}
	if err := t.c.Auth(a); err != nil {
		return fmt.Errorf("smtp: AUTH as %q: %w", t.cfg.user, err)
	}
	return nil
}

// send runs one mail transaction on the open session.
func (t *smtpTransport) send() error {
	t.deadline()
	if err := t.c.Mail(t.cfg.from); err != nil {
		return fmt.Errorf("smtp: MAIL FROM: %w", err)
	}
	for _, to := range t.cfg.to {
		if err := t.c.Rcpt(to); err != nil {
			return fmt.Errorf("smtp: RCPT TO %s: %w", to, err)
		}
	}
	w, err := t.c.Data()
	if err != nil {
		return fmt.Errorf("smtp: DATA: %w", err)
	}
	t.deadline()
	if _, err := w.Write(t.msg.Bytes()); err != nil {
		w.Close()
		return fmt.Errorf("smtp: DATA: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("smtp: DATA: %w", err)
	}
	return nil
}

// deadline bounds the next exchange by the timeout, as Python's SMTP
// timeout bounds each socket operation.
func (t *smtpTransport) deadline() {
	if t.conn != nil && t.cfg.timeout > 0 {
		_ = t.conn.SetDeadline(time.Now().Add(t.cfg.timeout))
	}
}

// idle ends the session with QUIT: servers drop idle clients anyway.
func (t *smtpTransport) idle() {
	if t.c != nil {
		t.deadline()
		_ = t.c.Quit()
	}
	t.drop()
}

func (t *smtpTransport) close() error {
	t.idle()
	return nil
}

// drop closes the session without QUIT.
func (t *smtpTransport) drop() {
	if t.stop != nil {
		t.stop()
		t.stop = nil
	}
	if t.c != nil {
		_ = t.c.Close()
		t.c = nil
	}
	if t.conn != nil {
		_ = t.conn.Close()
		t.conn = nil
	}
	if t.msg.Cap() > maxKeptBuffer {
		t.msg = bytes.Buffer{}
	}
}

// buildMessage writes the mail for j into m, with "\n" line ends (the
// DATA writer turns them into CRLF and dot-stuffs), headers as Python's
// EmailMessage writes them: From, To, Subject, Date, then the MIME ones.
// The body is 7bit when it is ASCII with lines of at most 998 bytes, else
// quoted-printable (Python picks 8bit for short non-ASCII lines; QP needs
// no 8BITMIME).
func buildMessage(m *bytes.Buffer, cfg *mailConfig, local string, j *job) {
	m.Reset()
	m.WriteString("From: ")
	m.WriteString(cfg.from)
	m.WriteString("\nTo: ")
	m.WriteString(cfg.toHeader)
	m.WriteString("\nSubject: ")
	m.WriteString(encodeSubject(j.subj))
	m.WriteString("\nDate: ")
	m.WriteString(j.at.Format(time.RFC1123Z))
	m.WriteString("\nMessage-ID: <")
	m.WriteString(messageID(j.at))
	m.WriteString("@")
	m.WriteString(local)
	m.WriteString(">\nContent-Type: text/plain; charset=\"utf-8\"\n")
	body := *j.buf
	if plain7bit(body) {
		m.WriteString("Content-Transfer-Encoding: 7bit\nMIME-Version: 1.0\n\n")
		m.Write(body)
	} else {
		m.WriteString("Content-Transfer-Encoding: quoted-printable\nMIME-Version: 1.0\n\n")
		qp := quotedprintable.NewWriter(m)
		_, _ = qp.Write(body)
		_ = qp.Close()
	}
	if b := m.Bytes(); len(b) == 0 || b[len(b)-1] != '\n' {
		m.WriteByte('\n')
	}
}

// plain7bit reports whether b is ASCII without NUL or bare CR and without
// a line longer than SMTP's 998 bytes.
func plain7bit(b []byte) bool {
	line := 0
	for _, c := range b {
		switch {
		case c == '\n':
			line = 0
			continue
		case c >= 0x80 || c == 0 || c == '\r':
			return false
		}
		if line++; line > 998 {
			return false
		}
	}
	return true
}

// encodeSubject removes CR and LF (a header cannot hold them) and encodes
// a non-ASCII subject as RFC 2047 words, folded onto continuation lines so
// no header line grows past the limit.
func encodeSubject(s string) string {
	if strings.ContainsAny(s, "\r\n") {
		s = strings.NewReplacer("\r\n", " ", "\r", " ", "\n", " ").Replace(s)
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	enc := mime.BEncoding.Encode("utf-8", s)
	if enc == s {
		return s
	}
	return strings.ReplaceAll(enc, " =?", "\n =?")
}

// messageID returns a unique left part of a Message-ID.
func messageID(at time.Time) string {
	var r [8]byte
	_, _ = rand.Read(r[:])
	return strconv.FormatInt(at.UnixNano(), 36) + "." + hex.EncodeToString(r[:])
}

// loginAuth is the LOGIN mechanism (Outlook, Office 365), which net/smtp
// lacks. Like smtp.PlainAuth it refuses to send the password in clear
// text except to localhost.
type loginAuth struct{ user, password, host string }

func (a *loginAuth) Start(server *smtp.ServerInfo) (string, []byte, error) {
	if !server.TLS && !isLocalhost(server.Name) {
		return "", nil, errors.New("unencrypted connection: LOGIN needs TLS (set secure / email_use_tls)")
	}
	if server.Name != a.host {
		return "", nil, errors.New("wrong host name")
	}
	return "LOGIN", nil, nil
}

func (a *loginAuth) Next(fromServer []byte, more bool) ([]byte, error) {
	if !more {
		return nil, nil
	}
	switch strings.ToLower(strings.TrimSpace(string(fromServer))) {
	case "username:", "user name", "username":
		return []byte(a.user), nil
	case "password:", "password":
		return []byte(a.password), nil
	}
	return nil, fmt.Errorf("unexpected LOGIN challenge %q", fromServer)
}

func isLocalhost(name string) bool {
	return name == "localhost" || name == "127.0.0.1" || name == "::1"
}
