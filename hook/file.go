package hook

import (
	"bufio"
	"context"
	"errors"
	"os"
	"sync"

	"github.com/logdict/logging/core"
	"github.com/sirupsen/logrus"
)

// FileOptions configures a [File]. The zero value appends to the file,
// creates it with mode 0640, opens it at once, writes each record with one
// write call followed by "\n", and fires for every logrus level with the bare
// message.
type FileOptions struct {
	// Truncate empties the file when it is first opened (Python's mode "w").
	Truncate bool
	// Delay opens the file on the first record instead of in NewFile.
	Delay bool
	// Perm is the mode of a file that has to be created; 0 means 0640.
	Perm os.FileMode
	// BufferSize, when positive, batches writes in a buffer of that size,
	// written out when full and on Flush and Close. 0 writes every record at
	// once, as Python does.
	BufferSize int
	// Terminator, NoTerminator, Levels and Formatter are as in [StreamOptions].
	Terminator   string
	NoTerminator bool
	Levels       []logrus.Level
	Formatter    logrus.Formatter
}

// File is Python's FileHandler: it appends each record and its terminator to
// a file with one write call (or through a buffer, see
// [FileOptions.BufferSize]).
//
// File is safe for concurrent use. Close is idempotent. A record emitted
// after Close is still written, as Python's FileHandler reopens its file: the
// file is opened, appended to and closed again for that record, so a late
// record from a goroutine still logging during shutdown or reconfiguration
// is neither lost nor keeps a descriptor open. Build it with [NewFile]; the
// zero value is not usable.
type File struct {
	logrusSide
	name string
	opts FileOptions
	term string

	mu       sync.Mutex // guards the fields below
	f        *os.File
	bw       *bufio.Writer
	buf      []byte
	truncate bool // Truncate still to be applied: only at the first open
	closed   bool
}

var (
	_ core.Handler = (*File)(nil)
	_ logrus.Hook  = (*File)(nil)
)

// NewFile returns a File writing to name. Unless opts.Delay is set the file
// is opened (and created) now, so a missing directory or a permission
// problem is reported here. Parent directories are never created, as in
// Python.
func NewFile(name string, opts FileOptions) (*File, error) {
	if opts.Perm == 0 {
		opts.Perm = defaultPerm
	}
	h := &File{
		logrusSide: logrusSide{levels: opts.Levels, formatter: opts.Formatter},
		name:       name,
		opts:       opts,
		term:       (&StreamOptions{Terminator: opts.Terminator, NoTerminator: opts.NoTerminator}).terminator(),
		truncate:   opts.Truncate,
	}
	if !opts.Delay {
		if err := h.open(); err != nil {
			return nil, err
		}
	}
	return h, nil
}

// open opens the file; h.mu is held (or h is not yet shared).
func (h *File) open() error {
	flags := os.O_WRONLY | os.O_CREATE | os.O_APPEND
	if h.truncate {
		flags |= os.O_TRUNC
	}
	f, err := os.OpenFile(h.name, flags, h.opts.Perm)
	if err != nil {
		return err
	}
	// Truncate only once: Python's mode "w" reopened after close would
	// empty the file again, losing what was written before.
	h.truncate = false
	h.f = f
	if h.opts.BufferSize > 0 {
		h.bw = bufio.NewWriterSize(f, h.opts.BufferSize)
	}
	return nil
}

// Name returns the file's path.
func (h *File) Name() string { return h.name }

// Emit appends p and the terminator to the file. p is not retained.
func (h *File) Emit(_ *core.Record, p []byte) error { return h.write(p, "") }

// Fire renders the entry and appends it, for logrus's AddHook.
func (h *File) Fire(e *logrus.Entry) error { return h.render(e, h.write) }

func (h *File) write(p []byte, msg string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.f == nil {
		if err := h.open(); err != nil {
			return err
		}
	}
	h.buf = appendLine(h.buf[:0], p, msg, h.term)
	var err error
	if h.bw != nil {
		_, err = h.bw.Write(h.buf)
	} else {
		_, err = h.f.Write(h.buf)
	}
	h.buf = keepBuffer(h.buf)
	if h.closed {
		err = errors.Join(err, h.release())
	}
	return err
}

// Flush writes out the buffer, if any. It does not fsync: neither does
// Python's flush, and an fsync per flush costs milliseconds on most disks.
func (h *File) Flush(context.Context) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.bw != nil {
		return h.bw.Flush()
	}
	return nil
}

// Close writes out the buffer and closes the file. It is idempotent.
func (h *File) Close(context.Context) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	return h.release()
}

// release flushes and closes the open file; h.mu is held.
func (h *File) release() error {
	if h.f == nil {
		return nil
	}
	var err error
	if h.bw != nil {
		err = h.bw.Flush()
	}
	err = errors.Join(err, h.f.Close())
	h.f, h.bw = nil, nil
	return err
}

// FileFactory builds a [File] (logging.FileHandler) from the keys `filename`
// (required), `mode` ("a" default, or "w"), `encoding` (UTF-8 or null),
// `errors` (ignored), `delay`, `perm`/`file_mode` (default "0640"),
// `buffer_size` (bytes, default 0: unbuffered) and `terminator`.
func FileFactory(p *core.Params, _ *core.Env) (core.Handler, error) {
	fp := readFileParams(p)
	size := p.Int("buffer_size", 0, 0, 64<<20)
	if err := p.Err(); err != nil {
		return nil, err
	}
	h, err := NewFile(fp.filename, FileOptions{
		Truncate: fp.truncate, Delay: fp.delay, Perm: fp.perm, BufferSize: int(size),
		Terminator: fp.term, NoTerminator: fp.noTerm,
	})
	if err != nil {
		return nil, openErr(p, err)
	}
	return h, nil
}
