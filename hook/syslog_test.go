package hook

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/logdict/logging/core"
	"github.com/sirupsen/logrus"
)

func lrec(l core.Level) *core.Record { return &core.Record{Name: "app", Level: l} }

// udpSink receives datagrams on 127.0.0.1.
func udpSink(t *testing.T) (net.PacketConn, func() string) {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	return pc, func() string { return readPacket(t, pc) }
}

func readPacket(t *testing.T, pc net.PacketConn) string {
	t.Helper()
	buf := make([]byte, 70000)
	_ = pc.SetReadDeadline(time.Now().Add(5 * time.Second))
	n, _, err := pc.ReadFrom(buf)
	if err != nil {
		t.Fatalf("reading a datagram: %v", err)
	}
	return string(buf[:n])
}

func TestSysLogUDP(t *testing.T) {
	pc, next := udpSink(t)
	port := int64(pc.LocalAddr().(*net.UDPAddr).Port)
	for _, tt := range []struct {
		desc  string
		extra map[string]any
		level core.Level
		msg   string
		want  string
	}{
		{"info user", nil, core.INFO, "message", "<14>message\x00"},
		{"critical", nil, core.CRITICAL, "m", "<10>m\x00"},
		{"error", nil, core.ERROR, "m", "<11>m\x00"},
		{"warning", nil, core.WARNING, "m", "<12>m\x00"},
		{"debug", nil, core.DEBUG, "m", "<15>m\x00"},
		{"trace", nil, core.TRACE, "m", "<15>m\x00"},
		{"custom level is warning", nil, core.Level(15), "m", "<12>m\x00"},
		{"local0 by name", map[string]any{"facility": "local0"}, core.ERROR, "m", "<131>m\x00"},
		{"LOG_DAEMON", map[string]any{"facility": "LOG_DAEMON"}, core.INFO, "m", "<30>m\x00"},
		{"facility number", map[string]any{"facility": int64(23)}, core.DEBUG, "m", "<191>m\x00"},
		{"kern", map[string]any{"facility": "kern"}, core.CRITICAL, "m", "<2>m\x00"},
		{"no nul, ident", map[string]any{"append_nul": false, "ident": "app: "}, core.INFO, "m", "<14>app: m"},
		{"utf-8", nil, core.INFO, "naïve", "<14>naïve\x00"},
	} {
		t.Run(tt.desc, func(t *testing.T) {
			m := map[string]any{"address": []any{"127.0.0.1", port}}
			for k, v := range tt.extra {
				m[k] = v
			}
			h := mustBuild(t, SysLogFactory, m, nil)
			if err := h.Emit(lrec(tt.level), []byte(tt.msg)); err != nil {
				t.Fatal(err)
			}
			if got := next(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSysLogTCP(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	conns := make(chan net.Conn, 4)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				close(conns)
				return
			}
			conns <- c
		}
	}()
	h := mustBuild(t, SysLogFactory, map[string]any{
		"address": []any{"127.0.0.1", int64(ln.Addr().(*net.TCPAddr).Port)}, "socktype": "SOCK_STREAM", "facility": "local7",
	}, nil)
	emit(t, h, "one", "two")
	flush(t, h)
	c := <-conns
	defer c.Close()
	want := "<190>one\x00<190>two\x00"
	buf := make([]byte, len(want))
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.ReadFull(c, buf); err != nil || string(buf) != want {
		t.Fatalf("got %q, %v; want %q", buf, err, want)
	}

	t.Run("reconnects after the peer hangs up", func(t *testing.T) {
		c.Close()
		var c2 net.Conn
		// Records written before the hang-up is seen may be lost, as in
		// Python; keep logging until one arrives on a new connection.
		eventually(t, "a new connection", func() bool {
			emit(t, h, "again")
			flush(t, h)
			select {
			case c2 = <-conns:
				return true
			default:
				return false
			}
		})
		defer c2.Close()
		buf := make([]byte, len("<190>again\x00"))
		_ = c2.SetReadDeadline(time.Now().Add(5 * time.Second))
		if _, err := io.ReadFull(c2, buf); err != nil || string(buf) != "<190>again\x00" {
			t.Errorf("got %q, %v", buf, err)
		}
	})
}

func TestSysLogUnix(t *testing.T) {
	t.Run("datagram socket, restarted daemon", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "log")
		listen := func() *net.UnixConn {
			c, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		srv := listen()
		h := mustBuild(t, SysLogFactory, map[string]any{"address": path}, nil)
		emit(t, h, "first")
		if got := readPacket(t, srv); got != "<14>first\x00" {
			t.Errorf("got %q", got)
		}
		srv.Close()
		os.Remove(path)
		srv = listen()
		defer srv.Close()
		emit(t, h, "second")
		if got := readPacket(t, srv); got != "<14>second\x00" {
			t.Errorf("after restart got %q", got)
		}
		eventually(t, "two sent", func() bool { return h.(*SysLog).Stats().Sent == 2 })
		if st := h.(*SysLog).Stats(); st.Failed != 0 {
			t.Errorf("stats %v", st)
		}
	})
	t.Run("stream socket found by fallback", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "log")
		ln, err := net.Listen("unix", path)
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		h := mustBuild(t, SysLogFactory, map[string]any{"address": path}, nil)
		emit(t, h, "m")
		c, err := ln.Accept()
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		buf := make([]byte, len("<14>m\x00"))
		_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
		if _, err := io.ReadFull(c, buf); err != nil || string(buf) != "<14>m\x00" {
			t.Errorf("got %q, %v", buf, err)
		}
	})
	t.Run("daemon not there yet", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "log")
		var errs errSink
		h, err := NewSysLog(SysLogOptions{Address: path, AppendNUL: true, OnError: errs.report, backoff: time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		defer closeNow(t, h)
		emit(t, h, "early")
		eventually(t, "a retry", func() bool { return h.Stats().Retries > 0 })
		srv, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
		if err != nil {
			t.Fatal(err)
		}
		defer srv.Close()
		if got := readPacket(t, srv); got != "<14>early\x00" {
			t.Errorf("got %q", got)
		}
		eventually(t, "the recovery report", func() bool { return strings.Contains(errs.text(), "delivering again") })
		if !strings.Contains(errs.text(), "retrying") {
			t.Errorf("errors %q", errs.text())
		}
	})
}

// A TCP peer that accepts and never reads must not block the code that
// logs: the queue fills, records are dropped and counted, Close gives up
// at its deadline.
func TestSysLogDeadPeerDoesNotBlock(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var mu sync.Mutex
	var held []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			held = append(held, c)
			mu.Unlock()
		}
	}()
	defer func() {
		mu.Lock()
		defer mu.Unlock()
		for _, c := range held {
			c.Close()
		}
	}()
	h, err := NewSysLog(SysLogOptions{Network: "tcp", Address: ln.Addr().String(), Timeout: time.Minute, QueueSize: 8, OnError: func(error) {}})
	if err != nil {
		t.Fatal(err)
	}
	big := []byte(strings.Repeat("x", 64<<10))
	n := uint64(0)
	var ue *UndeliveredError
	// Fill the socket buffers until the sender is stuck in a write: then a
	// short Flush cannot finish.
	for stuck := false; !stuck; {
		for range 16 {
			_ = h.Emit(lrec(core.INFO), big)
			n++
		}
		sent := h.Stats().Sent
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		stuck = errors.As(h.Flush(ctx), &ue) && h.Stats().Sent == sent
		cancel()
	}
	before := h.Stats().Dropped
	for range 1000 {
		if err := h.Emit(lrec(core.INFO), big); err != nil {
			t.Fatal(err)
		}
		n++
	}
	if st := h.Stats(); st.Dropped < before+1000-8 {
		t.Errorf("stats %v; want the records after the queue filled dropped", st)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := h.Close(ctx); !errors.As(err, &ue) {
		t.Errorf("Close = %v; want an UndeliveredError", err)
	}
	if st := h.Stats(); st.Sent+st.Failed+st.Dropped != n || st.Queued != 0 {
		t.Errorf("stats %v: records unaccounted for", st)
	}
}

func TestSysLogLogrusHook(t *testing.T) {
	pc, next := udpSink(t)
	h, err := NewSysLog(SysLogOptions{Address: pc.LocalAddr().String(), AppendNUL: true, Facility: 16,
		Formatter: &logrus.TextFormatter{DisableTimestamp: true}})
	if err != nil {
		t.Fatal(err)
	}
	defer closeNow(t, h)
	log := logrus.New()
	log.Out = io.Discard
	log.AddHook(h)
	log.Warn("careful")
	if got := next(); got != "<132>level=warning msg=careful\x00" {
		t.Errorf("got %q", got)
	}
}

func TestSysLogFactoryErrors(t *testing.T) {
	for _, tt := range []struct {
		desc string
		m    map[string]any
		path string
		says string
	}{
		{"facility name", map[string]any{"facility": "local8"}, "handlers.h.facility", `unknown facility "local8"`},
		{"facility number", map[string]any{"facility": int64(24)}, "handlers.h.facility", "must be 0..23"},
		{"facility ext", map[string]any{"facility": "ext://logging.handlers.SysLogHandler.LOG_LOCAL0"}, "handlers.h.facility", `write the facility name`},
		{"socktype", map[string]any{"socktype": "SOCK_RAW"}, "handlers.h.socktype", `want "SOCK_DGRAM" or "SOCK_STREAM"`},
		{"socktype ext", map[string]any{"socktype": "ext://socket.SOCK_STREAM"}, "handlers.h.socktype", `write "SOCK_STREAM"`},
		{"address port", map[string]any{"address": []any{"localhost", int64(0)}}, "handlers.h.address", "item 1: want a port"},
		{"address type", map[string]any{"address": int64(514)}, "handlers.h.address", "want [host, port] or a unix socket path"},
		{"address empty", map[string]any{"address": ""}, "handlers.h.address", "want [host, port]"},
		{"append_nul", map[string]any{"append_nul": "yes"}, "handlers.h.append_nul", "want true or false"},
		{"typo", map[string]any{"adress": "/dev/log"}, "handlers.h.adress", `did you mean "address"`},
	} {
		t.Run(tt.desc, func(t *testing.T) {
			err := wantFactoryErr(t, SysLogFactory, tt.m, nil, tt.path, nil)
			if !strings.Contains(err.Error(), tt.says) {
				t.Errorf("error %q does not say %q", err, tt.says)
			}
		})
	}
}

func TestSysLogFactoryNetworks(t *testing.T) {
	for _, tt := range []struct {
		desc    string
		m       map[string]any
		network string
		addr    string
	}{
		{"default", map[string]any{}, "udp", "localhost:514"},
		{"tcp by number", map[string]any{"address": []any{"h", int64(601)}, "socktype": int64(1)}, "tcp", "h:601"},
		{"host:port string", map[string]any{"address": "h:514", "socktype": "tcp"}, "tcp", "h:514"},
		{"dev log", map[string]any{"address": "/dev/log"}, "", "/dev/log"},
		{"unix dgram", map[string]any{"address": "/dev/log", "socktype": "SOCK_DGRAM"}, "unixgram", "/dev/log"},
		{"unix stream", map[string]any{"address": "/dev/log", "socktype": "SOCK_STREAM"}, "unix", "/dev/log"},
	} {
		t.Run(tt.desc, func(t *testing.T) {
			h := mustBuild(t, SysLogFactory, tt.m, nil).(*SysLog)
			tr := h.q.tr.(*syslogTransport)
			if tr.network != tt.network || tr.addr != tt.addr {
				t.Errorf("network %q addr %q; want %q %q", tr.network, tr.addr, tt.network, tt.addr)
			}
		})
	}
}
