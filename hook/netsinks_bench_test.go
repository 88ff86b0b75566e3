package hook

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/logdict/logging/core"
)

// The network handlers' Emit only copies the record into a pooled buffer
// and offers it to the queue: its cost must not depend on the peer. These
// benchmarks compare a peer that keeps up (UDP, drained) with one that
// never reads (TCP) or never answers (SMTP DATA held).

var benchLine = []byte(strings.Repeat("x", 120))

func drainUDP(tb testing.TB) net.PacketConn {
	tb.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 70000)
		for {
			if _, _, err := pc.(*net.UDPConn).ReadFromUDPAddrPort(buf); err != nil {
				return
			}
		}
	}()
	tb.Cleanup(func() { pc.Close(); <-done })
	return pc
}

// stuckTCP accepts connections and never reads from them.
func stuckTCP(tb testing.TB) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	conns := make(chan net.Conn, 16)
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
	tb.Cleanup(func() {
		ln.Close()
		for c := range conns {
			c.Close()
		}
	})
	return ln.Addr().String()
}

func closeQuick(h core.Handler) {
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_ = h.Close(ctx)
}

func newBenchSysLog(tb testing.TB, network, addr string) *SysLog {
	tb.Helper()
	h, err := NewSysLog(SysLogOptions{Network: network, Address: addr, AppendNUL: true, Timeout: time.Minute, OnError: func(error) {}})
	if err != nil {
		tb.Fatal(err)
	}
	return h
}

func BenchmarkSysLogEmit(b *testing.B) {
	for _, bc := range []struct {
		name    string
		network string
		addr    func(testing.TB) string
	}{
		{"udp", "udp", func(tb testing.TB) string { return drainUDP(tb).LocalAddr().String() }},
		{"tcp-peer-stuck", "tcp", stuckTCP},
	} {
		b.Run(bc.name, func(b *testing.B) {
			h := newBenchSysLog(b, bc.network, bc.addr(b))
			defer closeQuick(h)
			r := lrec(core.INFO)
			b.ReportAllocs()
			b.SetBytes(int64(len(benchLine)))
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					_ = h.Emit(r, benchLine)
				}
			})
		})
	}
}

func BenchmarkSMTPEmitServerHung(b *testing.B) {
	srv := newSMTPServer(b, func(s *smtpServer) { s.hold = make(chan struct{}) })
	h, err := NewSMTP(SMTPOptions{Host: "127.0.0.1", Port: srv.port(), From: "a@x", To: []string{"b@x"},
		SubjectFunc: DjangoSubject("[Django] "), Timeout: time.Minute, OnError: func(error) {}})
	if err != nil {
		b.Fatal(err)
	}
	defer closeQuick(h)
	r := errRec("boom")
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			_ = h.Emit(r, benchLine)
		}
	})
}

// TestNetEmitAllocs pins the allocations of Emit: none on the drop path
// (peer stuck, queue full), none in steady state when the peer keeps up
// (buffers come back to the pool).
func TestNetEmitAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts differ under -race")
	}
	r := lrec(core.INFO)
	t.Run("syslog, peer stuck", func(t *testing.T) {
		h := newBenchSysLog(t, "tcp", stuckTCP(t))
		defer closeQuick(h)
		big := []byte(strings.Repeat("x", 32<<10))
		for h.Stats().Dropped == 0 { // fill the socket buffers and the queue
			_ = h.Emit(r, big)
		}
		if n := testing.AllocsPerRun(1000, func() { _ = h.Emit(r, benchLine) }); n != 0 {
			t.Errorf("Emit allocates %v times per record; want 0", n)
		}
	})
	t.Run("syslog, udp", func(t *testing.T) {
		h := newBenchSysLog(t, "udp", drainUDP(t).LocalAddr().String())
		defer closeQuick(h)
		n := testing.AllocsPerRun(200, func() {
			for range 10 {
				_ = h.Emit(r, benchLine)
			}
			_ = h.Flush(context.Background())
		})
		// Flush allocates its reply channel (2 allocations); the ten
		// Emits nothing, once the pool holds enough buffers.
		if n > 2 {
			t.Errorf("10 Emits + Flush allocate %v times; want at most 2 (Flush's)", n)
		}
	})
}
