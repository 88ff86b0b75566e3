package logging

import (
	"log"
	"runtime"

	"github.com/sirupsen/logrus"

	"github.com/logdict/logging/core"
)

// StdLog returns a *log.Logger that logs each of its lines as one record
// at level on the default registry's logger name; see [Registry.StdLog].
//
//	srv := &http.Server{ErrorLog: logging.StdLog("http", logging.ERROR)}
func StdLog(name string, level Level) *log.Logger { return std.StdLog(name, level) }

// RedirectStdLog sends the standard log package's output (log.Print and
// friends) to the default registry's logger name at level, and returns a
// function that puts back the output and flags it replaced; see
// [Registry.RedirectStdLog].
func RedirectStdLog(name string, level Level) (restore func()) {
	return std.RedirectStdLog(name, level)
}

// StdLog returns a *log.Logger for code that wants one (http.Server's
// ErrorLog, database drivers): every Print, Printf or Println call is one
// record at level on the logger name, with the trailing newline removed
// (a message with newlines inside stays one record, as in Python). The
// *log.Logger has no flags and no prefix: the handlers' formatters add
// the time, and %(pathname)s and %(lineno)d name the call to the
// *log.Logger. Its Fatal methods log and then call os.Exit at once,
// without flushing the handlers (logrus's Fatal does flush): log at
// CRITICAL and call [Registry.Shutdown] before exiting instead. Its Panic
// methods log and panic.
//
// The logger's level, disabled flag and filters decide, and its handlers
// and its ancestors' write the record, as for r.Get(name). The *log.Logger
// is safe for concurrent use, as every *log.Logger is.
func (r *Registry) StdLog(name string, level Level) *log.Logger {
	return log.New(&stdlogWriter{n: r.node(name), level: level}, "", 0)
}

// RedirectStdLog points the standard log package's default logger at the
// logger name: what log.Print and friends write becomes a record at level.
// It clears the default logger's time and file flags (the formatters add
// the time and the call site) but keeps its prefix, and returns a function
// that restores the output and flags it found. It changes process-wide state: call it
// once, early (typically in main), not from concurrent tests.
//
// After slog.SetDefault, the log package writes into slog's default handler
// instead; redirect after SetDefault, or make slog's default
// r.Slog(name), which the log package then reaches through slog.
func (r *Registry) RedirectStdLog(name string, level Level) (restore func()) {
	out, flags := log.Writer(), log.Flags()
	log.SetOutput(&stdlogWriter{n: r.node(name), level: level})
	log.SetFlags(flags &^ (log.LstdFlags | log.Lmicroseconds | log.LUTC | log.Lshortfile | log.Llongfile))
	return func() {
		log.SetOutput(out)
		log.SetFlags(flags)
	}
}

// stdlogWriter is the io.Writer under a *log.Logger: each Write is one
// log call. Its methods are listed in libraryFuncs, with the log package,
// so the call site found for a record is the user's call to log.
type stdlogWriter struct {
	n     *node
	level core.Level
}

func (w *stdlogWriter) Write(p []byte) (int, error) {
	st := w.n.state.Load()
	if st.disabled || w.level < st.eff {
		return len(p), nil
	}
	msg := p
	if k := len(msg); k > 0 && msg[k-1] == '\n' {
		msg = msg[:k-1]
	}
	var caller *runtime.Frame
	if st.needCaller {
		// The call to the *log.Logger is a few frames up (its output
		// method, then Print or Printf or Output): finding it here is
		// shorter than the dispatch's walk from below logrus.
		var pcs [8]uintptr
		n := runtime.Callers(2, pcs[:]) // skip runtime.Callers and Write
		for _, pc := range pcs[:n] {
			if caller = frameFor(pc); caller != nil {
				break
			}
		}
	}
	w.n.logAt(w.level, string(msg), caller)
	return len(p), nil
}

// logAt logs msg at a Python level on the node's logrus logger, as a
// logrus call would, so hooks and the dispatch see an ordinary entry. A
// level between logrus's levels travels in the LevelKey field. caller,
// when known, is the call site; nil leaves it to the dispatch.
func (n *node) logAt(level core.Level, msg string, caller *runtime.Frame) {
	e := logrus.Entry{Logger: n.logger, Caller: caller}
	ll := core.LogrusThreshold(level)
	if core.FromLogrus(ll) != level {
		e.Data = logrus.Fields{LevelKey: level}
	}
	e.Log(ll, msg)
}
