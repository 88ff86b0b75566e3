package hook

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/logdict/logging/core"
)

// The expectations come from Python 3.13's
// TimedRotatingFileHandler.computeRollover (utc=True, and TZ=America/New_York
// across both 2024 DST changes).
func TestScheduleNext(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no tz database:", err)
	}
	for _, tt := range []struct {
		when     string
		interval int
		atTime   string
		now      int64
		want     int64
		loc      *time.Location
	}{
		{"S", 1, "", 1709721015, 1709721016, time.UTC},
		{"M", 5, "", 1709721015, 1709721315, time.UTC},
		{"H", 2, "", 1709721015, 1709728215, time.UTC},
		{"D", 1, "", 1709721015, 1709807415, time.UTC},
		{"MIDNIGHT", 1, "", 1709721015, 1709769600, time.UTC},
		{"MIDNIGHT", 2, "", 1709721015, 1709856000, time.UTC},
		{"MIDNIGHT", 1, "10:30:15", 1709721015, 1709807415, time.UTC},
		{"MIDNIGHT", 1, "11:00:00", 1709721015, 1709722800, time.UTC},
		{"MIDNIGHT", 1, "09:00:00", 1709721015, 1709802000, time.UTC},
		{"W0", 1, "", 1709721015, 1710201600, time.UTC},
		{"W2", 1, "", 1709721015, 1709769600, time.UTC},
		{"W2", 1, "12:00:00", 1709721015, 1709726400, time.UTC},
		{"W2", 1, "08:00:00", 1709721015, 1710316800, time.UTC},
		{"W6", 2, "", 1709721015, 1710720000, time.UTC},
		{"W3", 1, "", 1709721015, 1709856000, time.UTC},
		{"MIDNIGHT", 1, "", 1710003600, 1710046800, ny},
		{"MIDNIGHT", 1, "03:00:00", 1710003600, 1710054000, ny},
		{"W6", 1, "", 1710003600, 1710129600, ny},
		{"MIDNIGHT", 2, "", 1710003600, 1710129600, ny},
		{"MIDNIGHT", 1, "", 1710050400, 1710129600, ny},
		{"MIDNIGHT", 1, "03:00:00", 1710050400, 1710054000, ny},
		{"MIDNIGHT", 2, "", 1710050400, 1710216000, ny},
		{"MIDNIGHT", 1, "", 1730602800, 1730606400, ny},
		{"MIDNIGHT", 1, "03:00:00", 1730602800, 1730620800, ny},
		{"W6", 1, "", 1730602800, 1730696400, ny},
		{"MIDNIGHT", 2, "", 1730606400, 1730782800, ny},
		{"MIDNIGHT", 1, "", 1709917200, 1709960400, ny},
		{"W6", 1, "", 1709917200, 1710129600, ny},
	} {
		name := tt.when + "/" + tt.atTime + "/" + time.Unix(tt.now, 0).In(tt.loc).Format(time.RFC3339)
		t.Run(name, func(t *testing.T) {
			unit, weekly, weekday, err := parseWhen(tt.when)
			if err != nil {
				t.Fatal(err)
			}
			at, err := parseAtTime(tt.atTime)
			if err != nil {
				t.Fatal(err)
			}
			s := schedule{unit: unit, weekly: weekly, weekday: weekday, interval: tt.interval, atSec: at, loc: tt.loc}
			// Python works in whole seconds: a fraction changes nothing.
			got := s.next(time.Unix(tt.now, 400_000_000))
			if got.Unix() != tt.want {
				t.Errorf("next = %v, want %v", got.In(tt.loc), time.Unix(tt.want, 0).In(tt.loc))
			}
		})
	}
}

func newTimed(t *testing.T, name string, opts TimedRotatingFileOptions, clk *fakeClock) *TimedRotatingFile {
	t.Helper()
	h, err := newTimedRotatingFile(name, opts, clk)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = h.Close(context.Background()) })
	return h
}

// advance moves the clock past a rollover and waits until the timer
// goroutine has handled it and armed its next timer.
func advance(t *testing.T, clk *fakeClock, d time.Duration) {
	t.Helper()
	eventually(t, "the timer to be armed", func() bool { return clk.Waiting() == 1 })
	clk.Advance(d)
	eventually(t, "the timer to be re-armed", func() bool { return clk.Waiting() == 1 })
}

func TestTimedRotation(t *testing.T) {
	withUmask(t)
	dir := t.TempDir()
	name := filepath.Join(dir, "app.log")
	clk := newFakeClock(time.Date(2024, 3, 6, 10, 30, 15, 0, time.UTC))
	h := newTimed(t, name, TimedRotatingFileOptions{When: "m", UTC: true, BackupCount: 2}, clk)

	emit(t, h, "a")
	advance(t, clk, time.Minute) // a quiet file is rotated by the timer
	if b := backups(t, dir, "app.log"); len(b) != 1 || readFile(t, b[0]) != "a\n" {
		t.Fatalf("after one minute: backups %v", b)
	}
	emit(t, h, "b")
	if got := readFile(t, name); got != "b\n" {
		t.Errorf("current file %q, want b", got)
	}
	advance(t, clk, time.Minute)
	advance(t, clk, time.Minute) // empty: no empty backup
	if b := backups(t, dir, "app.log"); len(b) != 2 {
		t.Fatalf("want 2 backups, got %v", b)
	}
	emit(t, h, "c")
	advance(t, clk, time.Minute)
	// BackupCount 2: lumberjack removes the oldest, "a".
	eventually(t, "the oldest backup removed", func() bool { return len(backups(t, dir, "app.log")) == 2 })
	var got []string
	for _, b := range backups(t, dir, "app.log") {
		got = append(got, readFile(t, b))
		wantMode(t, b, 0o640)
	}
	if strings.Join(got, "") != "b\nc\n" {
		t.Errorf("backups hold %q, want b, c", got)
	}
}

func TestTimedRecordAfterRollover(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "app.log")
	// An existing file last written two hours ago: Python computes the first
	// rollover from its mtime, so it is already due.
	if err := os.WriteFile(name, []byte("old\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2024, 3, 6, 10, 30, 15, 0, time.UTC)
	if err := os.Chtimes(name, now.Add(-2*time.Hour), now.Add(-2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	clk := newFakeClock(now)
	h := newTimed(t, name, TimedRotatingFileOptions{When: "H", UTC: true}, clk)
	emit(t, h, "new")
	eventually(t, "the stale file rotated", func() bool { return len(backups(t, dir, "app.log")) == 1 })
	if got := readFile(t, name); got != "new\n" {
		t.Errorf("current file %q, want the new record only", got)
	}
	if b := backups(t, dir, "app.log"); readFile(t, b[0]) != "old\n" {
		t.Errorf("backup holds %q", readFile(t, b[0]))
	}
}

func TestTimedClose(t *testing.T) {
	name := filepath.Join(t.TempDir(), "app.log")
	clk := newFakeClock(time.Unix(1709721015, 0))
	h := newTimed(t, name, TimedRotatingFileOptions{When: "midnight"}, clk)
	emit(t, h, "a")
	for range 2 {
		if err := h.Close(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	select {
	case <-h.done:
	default:
		t.Error("the timer goroutine still runs after Close")
	}
	emit(t, h, "late")
	if got := readFile(t, name); got != "a\nlate\n" {
		t.Errorf("got %q", got)
	}
}

func TestTimedFactory(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "app.log")
	h := mustBuild(t, TimedRotatingFileFactory, map[string]any{
		"filename": name, "when": "W0", "interval": int64(2), "backupCount": int64(4),
		"utc": true, "atTime": "03:15", "encoding": "utf-8", "delay": false,
	}, nil)
	emit(t, h, "a")
	if err := h.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, name); got != "a\n" {
		t.Errorf("got %q", got)
	}
	tr := h.(*TimedRotatingFile)
	if s := tr.sched; !s.weekly || s.weekday != 0 || s.interval != 2 || s.atSec != 3*3600+15*60 || s.loc != time.UTC {
		t.Errorf("schedule %+v", s)
	}
}

func TestTimedFactoryErrors(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "x.log")
	for _, tt := range []struct {
		desc string
		m    map[string]any
		path string
		want error
	}{
		{"bad when", map[string]any{"filename": f, "when": "W7"}, "handlers.h.when", core.ErrBadValue},
		{"interval 0", map[string]any{"filename": f, "interval": int64(0)}, "handlers.h.interval", core.ErrBadValue},
		{"bad atTime", map[string]any{"filename": f, "atTime": "25:00"}, "handlers.h.atTime", core.ErrBadValue},
		{"utc text", map[string]any{"filename": f, "utc": "sometimes"}, "handlers.h.utc", core.ErrBadValue},
		{"typo", map[string]any{"filename": f, "backupcount": int64(1)}, "handlers.h.backupcount", core.ErrUnknownKey},
	} {
		t.Run(tt.desc, func(t *testing.T) {
			wantFactoryErr(t, TimedRotatingFileFactory, tt.m, nil, tt.path, tt.want)
		})
	}
}
