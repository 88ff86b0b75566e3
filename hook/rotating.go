package hook

import (
	"context"
	"errors"
	"os"
	"sync"

	"github.com/logdict/logging/core"
	"github.com/sirupsen/logrus"
)

// RotatingFileOptions configures a [RotatingFile]. The zero value never
// rotates (Python's maxBytes=0), appends, creates the file with mode 0640 at
// once, and otherwise behaves as [FileOptions]' zero value.
type RotatingFileOptions struct {
	// MaxBytes: a record that would make the file reach MaxBytes bytes goes
	// to a new file, the old one becoming a backup. 0 never rotates.
	MaxBytes int64
	// BackupCount is how many backups are kept; 0 never rotates, as in
	// Python.
	BackupCount int
	// Truncate empties the file when it is first opened (mode "w"); as in
	// Python it applies only when MaxBytes is 0.
	Truncate bool
	Delay    bool
	// Perm is the mode of a new file; 0 means 0640. Backups keep the mode.
	Perm os.FileMode
	// Terminator, NoTerminator, Levels and Formatter are as in [StreamOptions].
	Terminator   string
	NoTerminator bool
	Levels       []logrus.Level
	Formatter    logrus.Formatter
}

// RotatingFile is Python's RotatingFileHandler, rotating through lumberjack
// (gopkg.in/natefinch/lumberjack.v2): when the next record would make the
// file reach MaxBytes, the file is renamed to a backup and a new one started;
// the oldest backups beyond BackupCount are removed. An empty file is never
// rotated, so a record larger than MaxBytes is written whole (Python 3.13).
//
// Differences from Python, all from lumberjack:
//   - backups are named after the rotation time, not numbered: app.log
//     rotates to app-2006-01-02T15-04-05.000.log (local time), not app.log.1;
//     the newest backup has the latest time;
//   - removing old backups happens in lumberjack's own goroutine just after
//     the rotation, not before the next record is written.
//
// Sizes count bytes, where Python counts characters. Rotation is exact to
// the byte: lumberjack, which sizes in whole MiB, never rotates on its own.
// One handler per file: two handlers (or processes) rotating one file race.
//
// RotatingFile is safe for concurrent use. Close is idempotent; a record
// emitted after Close is still written, as for [File]. Build it with
// [NewRotatingFile]; the zero value is not usable.
type RotatingFile struct {
	logrusSide
	term     string
	maxBytes int64

	mu     sync.Mutex // guards the fields below
	rot    *rotator
	buf    []byte
	closed bool
}

var (
	_ core.Handler = (*RotatingFile)(nil)
	_ logrus.Hook  = (*RotatingFile)(nil)
)

// NewRotatingFile returns a RotatingFile writing to name. Unless opts.Delay
// is set, the file is created now, so a missing directory is reported here.
func NewRotatingFile(name string, opts RotatingFileOptions) (*RotatingFile, error) {
	if opts.Perm == 0 {
		opts.Perm = defaultPerm
	}
	maxBytes := opts.MaxBytes
	if opts.BackupCount <= 0 {
		maxBytes = 0
	}
	h := &RotatingFile{
		logrusSide: logrusSide{levels: opts.Levels, formatter: opts.Formatter},
		term:       (&StreamOptions{Terminator: opts.Terminator, NoTerminator: opts.NoTerminator}).terminator(),
		maxBytes:   maxBytes,
		rot:        newRotator(name, max(opts.BackupCount, 0), true, opts.Perm, opts.Truncate && maxBytes <= 0),
	}
	if !opts.Delay {
		if err := h.rot.prepare(); err != nil {
			return nil, err
		}
	}
	return h, nil
}

// Emit appends p and the terminator, rotating first when the file would
// reach MaxBytes. p is not retained.
func (h *RotatingFile) Emit(_ *core.Record, p []byte) error { return h.write(p, "") }

// Fire renders the entry and appends it, for logrus's AddHook.
func (h *RotatingFile) Fire(e *logrus.Entry) error { return h.render(e, h.write) }

func (h *RotatingFile) write(p []byte, msg string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.buf = appendLine(h.buf[:0], p, msg, h.term)
	var err error
	if h.maxBytes > 0 {
		if !h.rot.ready {
			err = h.rot.prepare()
		}
		// Python's shouldRollover: pos + len(msg) >= maxBytes, never for an
		// empty file (gh-116263).
		if err == nil && h.rot.size > 0 && h.rot.size+int64(len(h.buf)) >= h.maxBytes {
			err = h.rot.rotate()
		}
	}
	if err == nil {
		err = h.rot.write(h.buf)
	}
	h.buf = keepBuffer(h.buf)
	if h.closed {
		err = errors.Join(err, h.rot.close())
	}
	return err
}

// Flush does nothing: every record is written when emitted.
func (h *RotatingFile) Flush(context.Context) error { return nil }

// Close closes the file. It is idempotent.
func (h *RotatingFile) Close(context.Context) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	return h.rot.close()
}

// RotatingFileFactory builds a [RotatingFile]
// (logging.handlers.RotatingFileHandler) from the keys of [FileFactory]
// (except buffer_size) and `maxBytes` (or `max_bytes`, default 0: never) and
// `backupCount` (or `backup_count`, default 0: never rotate, as in Python).
func RotatingFileFactory(p *core.Params, _ *core.Env) (core.Handler, error) {
	fp := readFileParams(p)
	maxBytes := p.Int(p.Alias("maxBytes", "max_bytes"), 0, 0, 1<<62)
	backups := p.Int(p.Alias("backupCount", "backup_count"), 0, 0, 1<<20)
	if err := p.Err(); err != nil {
		return nil, err
	}
	h, err := NewRotatingFile(fp.filename, RotatingFileOptions{
		MaxBytes: maxBytes, BackupCount: int(backups),
		Truncate: fp.truncate, Delay: fp.delay, Perm: fp.perm,
		Terminator: fp.term, NoTerminator: fp.noTerm,
	})
	if err != nil {
		return nil, openErr(p, err)
	}
	return h, nil
}
