package hook

import (
	"context"
	"errors"
	"os"
	"sync"
	"time"

	"github.com/logdict/logging/core"
	"github.com/sirupsen/logrus"
)

// TimedRotatingFileOptions configures a [TimedRotatingFile]. The zero value
// rotates every hour on local time, keeps every backup, creates the file
// with mode 0640 at once, and otherwise behaves as [FileOptions]' zero value.
type TimedRotatingFileOptions struct {
	// When is Python's `when`: "S", "M", "H", "D" (units of Interval),
	// "MIDNIGHT" or "W0".."W6" (weekly, W0 is Monday), in any case; ""
	// means "H".
	When string
	// Interval multiplies the unit; 0 means 1. For MIDNIGHT it counts days
	// and for Wn weeks, as in Python 3.13.
	Interval int
	// BackupCount is how many backups are kept; 0 keeps all.
	BackupCount int
	// UTC computes MIDNIGHT and Wn on UTC, and names backups in UTC.
	UTC bool
	// AtTime is the time of day MIDNIGHT and Wn rotate at, "HH:MM" or
	// "HH:MM:SS"; "" is Python's default, the midnight at the end of the
	// day. Other units ignore it, as Python does.
	AtTime string
	// Truncate, Delay, Perm, Terminator, NoTerminator, Levels and Formatter
	// are as in [RotatingFileOptions].
	Truncate     bool
	Delay        bool
	Perm         os.FileMode
	Terminator   string
	NoTerminator bool
	Levels       []logrus.Level
	Formatter    logrus.Formatter
	// OnError receives errors of rotations the timer does while no record
	// is being written; nil returns them from the next Emit instead.
	OnError func(error)
}

// TimedRotatingFile is Python's TimedRotatingFileHandler, rotating through
// lumberjack (gopkg.in/natefinch/lumberjack.v2) at the times Python's
// computeRollover gives. The first rollover is computed from the
// modification time of an existing file (else from now), as Python does, so
// a stale log is rotated by the first record.
//
// A record logged at or after the rollover time goes to the new file, as in
// Python. Unlike Python, which rotates only when a record arrives, a timer
// goroutine also rotates a quiet file on time, so the backup for a day
// exists once the day is over; an empty file is not rotated (no empty
// backups). The goroutine is stopped by Close.
//
// Backups are named by lumberjack after the rotation time,
// app-2006-01-02T15-04-05.000.log (local time, or UTC with UTC set), not
// Python's app.log.2006-01-02 suffixes named after the interval's start.
//
// TimedRotatingFile is safe for concurrent use. Close is idempotent; a
// record emitted after Close is still written, as for [File]. Build it with
// [NewTimedRotatingFile]; the zero value is not usable.
type TimedRotatingFile struct {
	logrusSide
	term    string
	sched   schedule
	clock   clock
	onError func(error)
	stop    chan struct{}
	done    chan struct{}

	mu         sync.Mutex // guards the fields below
	rot        *rotator
	rolloverAt time.Time
	buf        []byte
	pending    error // a timer rotation's error, for the next Emit
	closed     bool
}

var (
	_ core.Handler = (*TimedRotatingFile)(nil)
	_ logrus.Hook  = (*TimedRotatingFile)(nil)
)

// NewTimedRotatingFile returns a TimedRotatingFile writing to name and starts
// its timer. Unless opts.Delay is set, the file is created now, so a
// missing directory is reported here.
func NewTimedRotatingFile(name string, opts TimedRotatingFileOptions) (*TimedRotatingFile, error) {
	return newTimedRotatingFile(name, opts, realClock{})
}

func newTimedRotatingFile(name string, opts TimedRotatingFileOptions, clk clock) (*TimedRotatingFile, error) {
	unit, weekly, weekday, err := parseWhen(opts.When)
	if err != nil {
		return nil, err
	}
	atSec, err := parseAtTime(opts.AtTime)
	if err != nil {
		return nil, err
	}
	if opts.Perm == 0 {
		opts.Perm = defaultPerm
	}
	loc := time.Local
	if opts.UTC {
		loc = time.UTC
	}
	h := &TimedRotatingFile{
		logrusSide: logrusSide{levels: opts.Levels, formatter: opts.Formatter},
		term:       (&StreamOptions{Terminator: opts.Terminator, NoTerminator: opts.NoTerminator}).terminator(),
		sched: schedule{unit: unit, weekly: weekly, weekday: weekday,
			interval: max(opts.Interval, 1), atSec: atSec, loc: loc},
		clock:   clk,
		onError: opts.OnError,
		stop:    make(chan struct{}),
		done:    make(chan struct{}),
		rot:     newRotator(name, max(opts.BackupCount, 0), !opts.UTC, opts.Perm, opts.Truncate),
	}
	base := clk.Now()
	if st, err := os.Stat(name); err == nil && !opts.Truncate {
		base = st.ModTime()
	}
	h.rolloverAt = h.sched.next(base)
	if !opts.Delay {
		if err := h.rot.prepare(); err != nil {
			return nil, err
		}
	}
	go h.run()
	return h, nil
}

// run is the timer goroutine: it owns the timer and sleeps until the next
// rollover time; the rotation itself happens under h.mu like a write.
func (h *TimedRotatingFile) run() {
	defer close(h.done)
	for {
		h.mu.Lock()
		d := h.rolloverAt.Sub(h.clock.Now())
		h.mu.Unlock()
		t := h.clock.NewTimer(d)
		select {
		case <-h.stop:
			t.Stop()
			return
		case <-t.C():
		}
		h.mu.Lock()
		err := h.rotateIfDue()
		if err != nil && h.onError == nil {
			h.pending = errors.Join(h.pending, err)
		}
		h.mu.Unlock()
		if err != nil && h.onError != nil {
			h.onError(err) // outside the lock: it may log elsewhere
		}
	}
}

// rotateIfDue rotates when the rollover time has come; h.mu is held.
func (h *TimedRotatingFile) rotateIfDue() error {
	now := h.clock.Now()
	if now.Before(h.rolloverAt) {
		return nil
	}
	h.rolloverAt = h.sched.next(now)
	if h.rot.currentSize() == 0 {
		return nil
	}
	return h.rot.rotate()
}

// Emit appends p and the terminator, rotating first when the rollover time
// has come. p is not retained.
func (h *TimedRotatingFile) Emit(_ *core.Record, p []byte) error { return h.write(p, "") }

// Fire renders the entry and appends it, for logrus's AddHook.
func (h *TimedRotatingFile) Fire(e *logrus.Entry) error { return h.render(e, h.write) }

func (h *TimedRotatingFile) write(p []byte, msg string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	err := h.pending
	h.pending = nil
	if rerr := h.rotateIfDue(); rerr != nil {
		err = errors.Join(err, rerr)
	}
	h.buf = appendLine(h.buf[:0], p, msg, h.term)
	err = errors.Join(err, h.rot.write(h.buf))
	h.buf = keepBuffer(h.buf)
	if h.closed {
		err = errors.Join(err, h.rot.close())
	}
	return err
}

// Flush does nothing: every record is written when emitted.
func (h *TimedRotatingFile) Flush(context.Context) error { return nil }

// Close stops the timer goroutine, waiting for it at most until ctx is done,
// and closes the file. It is idempotent.
func (h *TimedRotatingFile) Close(ctx context.Context) error {
	h.mu.Lock()
	first := !h.closed
	h.closed = true
	h.mu.Unlock()
	var err error
	if first {
		close(h.stop)
	}
	// Wait outside the lock: the goroutine may be waiting for it to rotate.
	select {
	case <-h.done:
	case <-ctx.Done():
		err = ctx.Err()
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return errors.Join(err, h.rot.close())
}

// TimedRotatingFileFactory builds a [TimedRotatingFile]
// (logging.handlers.TimedRotatingFileHandler) from the keys of [FileFactory]
// (except buffer_size), `when` (default "h"), `interval` (default 1),
// `backupCount` (or `backup_count`, default 0: keep all), `utc` and
// `atTime` (or `at_time`, "HH:MM[:SS]"). Timer errors go to env.OnError.
func TimedRotatingFileFactory(p *core.Params, env *core.Env) (core.Handler, error) {
	fp := readFileParams(p)
	when := p.String("when", "h")
	if _, _, _, err := parseWhen(when); err != nil {
		p.Errorf("when", "%w: %w", core.ErrBadValue, err)
	}
	interval := p.Int("interval", 1, 1, 1<<30)
	backups := p.Int(p.Alias("backupCount", "backup_count"), 0, 0, 1<<20)
	utc := p.Bool("utc", false)
	atKey := p.Alias("atTime", "at_time")
	at := p.String(atKey, "")
	if _, err := parseAtTime(at); err != nil {
		p.Errorf(atKey, "%w: %w", core.ErrBadValue, err)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	var onError func(error)
	if env != nil {
		onError = env.OnError
	}
	h, err := NewTimedRotatingFile(fp.filename, TimedRotatingFileOptions{
		When: when, Interval: int(interval), BackupCount: int(backups), UTC: utc, AtTime: at,
		Truncate: fp.truncate, Delay: fp.delay, Perm: fp.perm,
		Terminator: fp.term, NoTerminator: fp.noTerm, OnError: onError,
	})
	if err != nil {
		return nil, openErr(p, err)
	}
	return h, nil
}
