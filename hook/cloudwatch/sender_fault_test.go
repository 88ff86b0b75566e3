package cloudwatch

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/logdict/logging/cwlocal"
)

// TestGroupDeletedWhileCreatingStream: the group disappears between
// CreateLogGroup and CreateLogStream (deleted again mid-run). The handler
// must create it again and deliver, not drop the batch as "not created".
// Found by the root package's fault tests (log group deleted mid-run).
func TestGroupDeletedWhileCreatingStream(t *testing.T) {
	cases := []struct {
		name    string
		deletes int64 // how many CreateLogStream calls find the group gone
		wantOK  bool
	}{
		{"once", 1, true},
		{"twice", 2, true},
		{"every time", 1 << 30, false}, // bounded: maxCreates, then dropped and counted
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := newServer(t)
			var left atomic.Int64
			left.Store(c.deletes)
			srv.FailWhen(func(op string, _ []byte) (cwlocal.Fault, bool) {
				if op == "CreateLogStream" && left.Add(-1) >= 0 {
					srv.DeleteGroup(testGroup)
				}
				return cwlocal.Fault{}, false
			})
			var log errLog
			h := newHandler(t, testOptions(srv, &log))
			for range 5 {
				emit(h, time.Now(), "m")
			}
			err := h.Flush(t.Context())
			s := h.Stats()
			checkInvariant(t, s)
			if c.wantOK {
				if err != nil || s.Sent != 5 || len(srv.Events(testGroup, testStream)) != 5 {
					t.Fatalf("Flush = %v, %+v, stored %d\n%s", err, s, len(srv.Events(testGroup, testStream)), &log)
				}
				return
			}
			if err == nil || s.Dropped.Undeliverable != 5 {
				t.Fatalf("Flush = %v, %+v; want the 5 events dropped and counted", err, s)
			}
		})
	}
}
