package hook

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"math/big"
	"net"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"
)

// gotMail is one mail the test server accepted.
type gotMail struct {
	From    string
	To      []string
	Data    string // with "\n" line ends, dots unstuffed
	User    string // who logged in, "" if nobody
	TLS     bool
	Session int
}

// smtpServer is a tiny SMTP server on 127.0.0.1 for tests: EHLO/HELO,
// STARTTLS (when tlsConf is set), AUTH PLAIN and LOGIN (when user is set),
// MAIL, RCPT, DATA, RSET, NOOP, QUIT.
type smtpServer struct {
	t          testing.TB
	ln         net.Listener
	user, pass string
	tlsConf    *tls.Config
	rejectRcpt string
	mechs      string // AUTH mechanisms offered; "" is "PLAIN LOGIN"
	// hold, when set, makes DATA wait for a value before answering;
	// inData receives one value each time a DATA is waiting.
	hold   chan struct{}
	inData chan struct{}
	quit   chan struct{} // closed by close: releases held DATA

	mu       sync.Mutex
	mails    []gotMail
	authErrs []string // the server's replies to failed AUTH
	sessions int
	conns    map[net.Conn]bool
	wg       sync.WaitGroup
}

func newSMTPServer(t testing.TB, configure func(s *smtpServer)) *smtpServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpServer{t: t, ln: ln, conns: map[net.Conn]bool{}, inData: make(chan struct{}, 16), quit: make(chan struct{})}
	if configure != nil {
		configure(s)
	}
	s.wg.Add(1)
	go s.accept()
	t.Cleanup(s.close)
	return s
}

func (s *smtpServer) port() int { return s.ln.Addr().(*net.TCPAddr).Port }

func (s *smtpServer) close() {
	close(s.quit)
	s.ln.Close()
	s.mu.Lock()
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

func (s *smtpServer) got() []gotMail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]gotMail(nil), s.mails...)
}

func (s *smtpServer) sessionCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessions
}

func (s *smtpServer) accept() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		s.sessions++
		n := s.sessions
		s.conns[c] = true
		s.mu.Unlock()
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer func() {
				c.Close()
				s.mu.Lock()
				delete(s.conns, c)
				s.mu.Unlock()
			}()
			s.serve(c, n)
		}()
	}
}

func (s *smtpServer) serve(c net.Conn, session int) {
	tp := textproto.NewConn(c)
	var (
		isTLS bool
		user  string
		cur   gotMail
	)
	reply := func(format string, args ...any) bool { return tp.PrintfLine(format, args...) == nil }
	if !reply("220 test ESMTP") {
		return
	}
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO":
			ext := []string{"test"}
			if s.tlsConf != nil && !isTLS {
				ext = append(ext, "STARTTLS")
			}
			if s.user != "" {
				mechs := s.mechs
				if mechs == "" {
					mechs = "PLAIN LOGIN"
				}
				ext = append(ext, "AUTH "+mechs)
			}
			ext = append(ext, "8BITMIME")
			for i, e := range ext {
				sep := "-"
				if i == len(ext)-1 {
					sep = " "
				}
				reply("250%s%s", sep, e)
			}
		case "HELO", "NOOP":
			reply("250 ok")
		case "STARTTLS":
			if s.tlsConf == nil || isTLS {
				reply("502 no")
				continue
			}
			reply("220 go ahead")
			tc := tls.Server(c, s.tlsConf)
			if err := tc.Handshake(); err != nil {
				return
			}
			c, isTLS, user = tc, true, ""
			tp = textproto.NewConn(tc)
		case "AUTH":
			u, ok := s.auth(tp, arg)
			if !ok {
				s.mu.Lock()
				s.authErrs = append(s.authErrs, "535 5.7.8 authentication failed")
				s.mu.Unlock()
				reply("535 5.7.8 authentication failed")
				continue
			}
			user = u
			reply("235 ok")
		case "MAIL":
			if s.user != "" && user == "" {
				reply("530 5.7.0 authentication required")
				continue
			}
			cur = gotMail{From: angle(arg), User: user, TLS: isTLS, Session: session}
			reply("250 ok")
		case "RCPT":
			to := angle(arg)
			if to == s.rejectRcpt {
				reply("550 5.1.1 no such user")
				continue
			}
			cur.To = append(cur.To, to)
			reply("250 ok")
		case "DATA":
			reply("354 go ahead")
			b, err := tp.ReadDotBytes()
			if err != nil {
				return
			}
			if s.hold != nil {
				s.inData <- struct{}{}
				select {
				case <-s.hold:
				case <-s.quit:
				}
			}
			cur.Data = string(b)
			s.mu.Lock()
			s.mails = append(s.mails, cur)
			s.mu.Unlock()
			reply("250 queued")
		case "RSET":
			cur = gotMail{}
			reply("250 ok")
		case "QUIT":
			reply("221 bye")
			return
		default:
			reply("502 unknown command")
		}
	}
}

// auth runs AUTH PLAIN or LOGIN and returns the user on success.
func (s *smtpServer) auth(tp *textproto.Conn, arg string) (string, bool) {
	mech, initial, _ := strings.Cut(arg, " ")
	read := func(prompt string) string {
		tp.PrintfLine("334 %s", base64.StdEncoding.EncodeToString([]byte(prompt)))
		l, _ := tp.ReadLine()
		b, _ := base64.StdEncoding.DecodeString(l)
		return string(b)
	}
	switch strings.ToUpper(mech) {
	case "PLAIN":
		var resp string
		if initial != "" {
			b, _ := base64.StdEncoding.DecodeString(initial)
			resp = string(b)
		} else {
			resp = read("")
		}
		parts := strings.Split(resp, "\x00")
		if len(parts) == 3 && parts[1] == s.user && parts[2] == s.pass {
			return parts[1], true
		}
	case "LOGIN":
		u := read("Username:")
		p := read("Password:")
		if u == s.user && p == s.pass {
			return u, true
		}
	}
	return "", false
}

func angle(arg string) string {
	_, rest, _ := strings.Cut(arg, "<")
	addr, _, _ := strings.Cut(rest, ">")
	return addr
}

// selfSigned returns a server TLS config for 127.0.0.1 and a client
// config trusting it.
func selfSigned(t *testing.T) (server, client *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "test"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:     []string{"localhost"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	server = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	return server, &tls.Config{RootCAs: pool}
}

// parseMail splits a received mail into its headers and body.
func parseMail(t *testing.T, data string) (textproto.MIMEHeader, string) {
	t.Helper()
	r := textproto.NewReader(bufio.NewReader(strings.NewReader(data)))
	h, err := r.ReadMIMEHeader()
	if err != nil {
		t.Fatalf("headers of %q: %v", data, err)
	}
	_, body, _ := strings.Cut(data, "\n\n")
	return h, body
}
