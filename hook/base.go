package hook

import (
	"bytes"
	"errors"
	"syscall"

	"github.com/sirupsen/logrus"
)

// maxKeptBuffer is the largest line buffer a sink keeps between records; a
// larger one, grown by one huge record, is dropped so it does not pin memory.
const maxKeptBuffer = 64 << 10

// logrusSide is the logrus.Hook half every sink shares: which logrus levels it
// fires for and how it renders an entry when no registry formatted it.
type logrusSide struct {
	levels    []logrus.Level
	formatter logrus.Formatter
}

// Levels returns the logrus levels the hook fires for: all of them unless
// the options named some.
func (s *logrusSide) Levels() []logrus.Level {
	if len(s.levels) == 0 {
		return logrus.AllLevels
	}
	return s.levels
}

// render returns the entry as one line without its terminator. With no
// formatter it is the bare message, as Python's lastResort prints; a logrus
// formatter's trailing newline is cut because the sink adds its own
// terminator.
func (s *logrusSide) render(e *logrus.Entry, emit func(p []byte, msg string) error) error {
	if s.formatter == nil {
		return emit(nil, e.Message)
	}
	b, err := s.formatter.Format(e)
	if err != nil {
		return err
	}
	return emit(bytes.TrimSuffix(b, []byte{'\n'}), "")
}

// appendLine appends p, msg and the terminator: exactly one of p and msg is
// used by the callers, so both kinds of input share one copying path.
func appendLine(dst, p []byte, msg, term string) []byte {
	dst = append(dst, p...)
	dst = append(dst, msg...)
	return append(dst, term...)
}

// keepBuffer returns buf emptied for reuse, or nil when it grew too large.
func keepBuffer(buf []byte) []byte {
	if cap(buf) > maxKeptBuffer {
		return nil
	}
	return buf[:0]
}

// syncer is what *os.File and zap-style writers offer to reach the disk.
type syncer interface{ Sync() error }

// flusher is what bufio.Writer and friends offer.
type flusher interface{ Flush() error }

// flushWriter flushes w if it buffers and syncs it if it can. Sync on a
// terminal, a pipe or /dev/stdout fails with EINVAL (ENOTSUP on some
// systems): nothing is buffered there, so that is not an error.
func flushWriter(w any) error {
	var err error
	if f, ok := w.(flusher); ok {
		err = f.Flush()
	}
	if s, ok := w.(syncer); ok {
		if e := s.Sync(); e != nil && !errors.Is(e, syscall.EINVAL) && !errors.Is(e, syscall.ENOTSUP) {
			err = errors.Join(err, e)
		}
	}
	return err
}
