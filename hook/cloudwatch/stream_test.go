package cloudwatch

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestStreamTemplate(t *testing.T) {
	ts := time.Date(2026, 7, 4, 23, 30, 5, 0, time.FixedZone("X", -5*3600)) // 2026-07-05 04:30:05 UTC
	tests := []struct {
		tmpl, logger, want string
	}{
		{"{logger_name}", "django.request", "django.request"},
		{"{machine_name}/{program_name}/{logger_name}/{process_id}", "app", hostName + "/" + programName + "/app/" + pid},
		{"logs-{strftime:%Y-%m-%d}", "", "logs-2026-07-05"},
		{"{strftime:%y%j %H%M%S %a %b %p %I}", "", "26186 043005 Sun Jul AM 04"},
		{"{thread_name}", "", "MainThread"},
		{"{{literal}}-{logger_name}", "a", "{literal}-a"},
		{"a:b*c", "", "abc"},                            // ':' and '*' are not allowed
		{"{logger_name}", "svc:worker*1", "svcworker1"}, // nor from a logger name
		{"{logger_name}", "", "_"},                      // never empty
		{"{logger_name}", "bad\xffbyte", "bad_byte"},
		{"x{logger_name}", strings.Repeat("é", 600), "x" + strings.Repeat("é", MaxNameLen-1)},
	}
	for _, tt := range tests {
		t.Run(tt.tmpl+"/"+tt.logger, func(t *testing.T) {
			tm, err := compileTemplate(tt.tmpl)
			if err != nil {
				t.Fatal(err)
			}
			if got := string(tm.appendName(nil, tt.logger, ts)); got != tt.want {
				t.Errorf("name = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestStreamTemplateErrors(t *testing.T) {
	for _, tmpl := range []string{"{nope}", "{logger_name", "a}b", "{strftime:%Q}", "{strftime:%}"} {
		t.Run(tmpl, func(t *testing.T) {
			if _, err := compileTemplate(tmpl); err == nil {
				t.Error("no error")
			}
		})
	}
}

func TestGroupNames(t *testing.T) {
	for _, tt := range []struct {
		name string
		ok   bool
	}{
		{"CWOSLogs", true}, {"/aws-like/app_1.x#y", true}, {"", false}, {"aws/lambda", false},
		{"has space", false}, {"a:b", false}, {strings.Repeat("g", 513), false},
	} {
		if err := checkGroupName(tt.name); (err == nil) != tt.ok {
			t.Errorf("checkGroupName(%.20q) = %v", tt.name, err)
		}
	}
}

func TestStreamsPerRecord(t *testing.T) {
	srv := newServer(t)
	var log errLog
	o := testOptions(srv, &log)
	o.LogStream = "{logger_name}/{strftime:%Y-%m-%d}"
	h := newHandler(t, o)
	day1 := time.Now().UTC().Add(-48 * time.Hour)
	day2 := day1.Add(24 * time.Hour)
	_ = h.Emit(record("app.db", day1, "m"), []byte("a"))
	_ = h.Emit(record("app.web", day1, "m"), []byte("b"))
	_ = h.Emit(record("app.db", day2, "m"), []byte("c"))
	flush(t, h)
	want := []string{
		"app.db/" + day1.Format("2006-01-02"), "app.db/" + day2.Format("2006-01-02"),
		"app.web/" + day1.Format("2006-01-02"),
	}
	if got := srv.Streams(testGroup); !slices.Equal(got, want) {
		t.Errorf("streams %q, want %q\n%s", got, want, &log)
	}
}

func TestIdleStreamsEvicted(t *testing.T) {
	srv := newServer(t)
	var log errLog
	o := testOptions(srv, &log)
	o.LogStream = "{logger_name}"
	o.StreamIdle = 20 * time.Millisecond
	h := newHandler(t, o)
	for i := range 50 {
		_ = h.Emit(record(fmt.Sprint("logger", i), time.Now(), "m"), []byte("x"))
	}
	// Streams holding events are never evicted.
	if n := h.q.streamCount(); n != 50 {
		t.Fatalf("%d streams before eviction", n)
	}
	flush(t, h)
	eventually(t, "idle streams evicted", func() bool { return h.q.streamCount() == 0 })
	// A stream name comes back after eviction without trouble.
	_ = h.Emit(record("logger1", time.Now(), "m"), []byte("again"))
	flush(t, h)
	if got := messages(srv.Events(testGroup, "logger1")); !slices.Equal(got, []string{"x", "again"}) {
		t.Errorf("logger1 holds %q", got)
	}
}

func TestRingWrapAndUnpop(t *testing.T) {
	var c counters
	o := Options{MaxQueueEvents: 8, MaxQueueBytes: 1 << 20}
	q := newQueue(&o, &c)
	q.blockShift = 1 // 2 slots a block: force new blocks, prepended blocks and wrap-around
	parts := []part{{end: 1, cost: 1}}
	name := []byte("s")
	var got []string
	for round := range 5 {
		for i := range 3 {
			q.add(name, 0, []byte{byte('a' + round*3 + i)}, false, parts)
		}
		items := q.pop(nil, 2)
		q.unpop(items[1:]) // give one back: it must come out first next time
		all := q.pop(items[:1], 8)
		for _, it := range all {
			got = append(got, it.msg)
		}
		q.release(q.streams["s"], 3, 3*(1+heldOverhead), chunkRuns(nil, all))
	}
	want := strings.Split("abcdefghijklmno", "")
	if !slices.Equal(got, want) {
		t.Errorf("order %q, want %q", got, want)
	}
	if c.enqueued.Load() != 15 || q.tail() != 15 {
		t.Errorf("enqueued %d, tail %d", c.enqueued.Load(), q.tail())
	}
	if ev, by := q.held(); ev != 0 || by != 0 {
		t.Errorf("held %d events, %d bytes after release", ev, by)
	}
	// Only the chunk being filled is still referenced.
	if refs := q.ar.chunks[q.cur].refs; refs != 1 {
		t.Errorf("current chunk has %d references, want 1", refs)
	}
	q.free()
	if q.ar.mapped != 0 || len(q.ar.spare) != 0 {
		t.Errorf("after free: %d bytes mapped, %d spare", q.ar.mapped, len(q.ar.spare))
	}
}
