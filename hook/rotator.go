package hook

import (
	"errors"
	"io/fs"
	"math"
	"os"
	"sync"
	"time"

	"gopkg.in/natefinch/lumberjack.v2"
)

// neverRotate is a lumberjack MaxSize (in MiB) so large that lumberjack never
// rotates by itself: the handlers decide when, to the byte, and call Rotate.
// lumberjack's MaxSize counts whole mebibytes and 0 means 100 MiB, so it can
// express neither Python's maxBytes=0 (never) nor a limit below 1 MiB.
var neverRotate = int(min(uint64(math.MaxInt), uint64(math.MaxInt64>>20)))

// lumberjacks holds one lumberjack.Logger per file and backup policy, shared
// by every handler ever built for it. lumberjack starts a goroutine on a
// logger's first write that Close does not stop
// (https://github.com/natefinch/lumberjack/issues/56, #205); sharing bounds
// those goroutines by the number of distinct files instead of letting each
// reconfiguration add one. The fields are set before a logger is shared and
// never changed, since lumberjack's goroutine reads them without a lock.
var lumberjacks struct {
	mu sync.Mutex
	m  map[ljKey]*lumberjack.Logger
}

type ljKey struct {
	name    string
	backups int
	local   bool
}

func sharedLumberjack(name string, backups int, local bool) *lumberjack.Logger {
	k := ljKey{name, backups, local}
	lumberjacks.mu.Lock()
	defer lumberjacks.mu.Unlock()
	if l, ok := lumberjacks.m[k]; ok {
		return l
	}
	if lumberjacks.m == nil {
		lumberjacks.m = make(map[ljKey]*lumberjack.Logger)
	}
	l := &lumberjack.Logger{Filename: name, MaxSize: neverRotate, MaxBackups: backups, LocalTime: local}
	lumberjacks.m[k] = l
	return l
}

// rotator is the file half of the rotating handlers: it creates the file
// with the handler's mode (lumberjack would use 0600, and keeps the mode of
// the old file on rotation), tracks its size, and rotates through lumberjack.
// It is not safe for concurrent use: its handler's mutex guards it.
type rotator struct {
	lj       *lumberjack.Logger
	name     string
	perm     os.FileMode
	truncate bool  // mode "w", applied at the first open only
	ready    bool  // the file exists and size is its size
	size     int64 // bytes in the current file
	lastMS   int64 // wall-clock millisecond just after the last rotation
}

func newRotator(name string, backups int, local bool, perm os.FileMode, truncate bool) *rotator {
	return &rotator{lj: sharedLumberjack(name, backups, local), name: name, perm: perm, truncate: truncate}
}

// prepare creates the file if needed and learns its size. Parent directories
// are not created: Python does not, and a typo in a path should fail.
func (r *rotator) prepare() error {
	flags := os.O_WRONLY | os.O_CREATE | os.O_APPEND
	if r.truncate {
		flags |= os.O_TRUNC
	}
	f, err := os.OpenFile(r.name, flags, r.perm)
	if err != nil {
		return err
	}
	st, err := f.Stat()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	r.truncate, r.ready, r.size = false, true, st.Size()
	return nil
}

// write appends line, opening the file first if needed.
func (r *rotator) write(line []byte) error {
	if !r.ready {
		if err := r.prepare(); err != nil {
			return err
		}
	}
	n, err := r.lj.Write(line)
	r.size += int64(n)
	return err
}

// currentSize returns the size of the file, without opening it.
func (r *rotator) currentSize() int64 {
	if r.ready {
		return r.size
	}
	if st, err := os.Stat(r.name); err == nil {
		return st.Size()
	}
	return 0
}

// rotate renames the current file to a backup and starts a new one.
func (r *rotator) rotate() error {
	if _, err := os.Stat(r.name); errors.Is(err, fs.ErrNotExist) {
		// Removed behind our back: nothing to back up, and lumberjack would
		// create the new file with mode 0600 instead of ours.
		r.ready = false
		_ = r.lj.Close()
		return r.prepare()
	}
	// lumberjack names a backup after the rotation time to the millisecond;
	// a second rotation in the same millisecond would overwrite the first
	// backup. Wait for the next millisecond: only tiny maxBytes with heavy
	// traffic ever get here.
	for time.Now().UnixMilli() <= r.lastMS {
		time.Sleep(time.Until(time.UnixMilli(r.lastMS + 1)))
	}
	err := r.lj.Rotate()
	r.lastMS = time.Now().UnixMilli()
	if err != nil {
		return err
	}
	r.ready, r.size = true, 0
	return nil
}

// close closes the file; the next write opens it again.
func (r *rotator) close() error {
	r.ready = false
	return r.lj.Close()
}
