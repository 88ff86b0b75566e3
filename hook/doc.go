// Package hook holds logdict's sinks: the handlers a configuration's
// `handlers` section builds, each a [core.Handler] for the registry and also
// a logrus.Hook, so it works on a plain logrus logger without any
// configuration:
//
//	logger.AddHook(hook.NewStream(os.Stdout, hook.StreamOptions{}))
//
// # Classes
//
//   - [Stream] is Python's StreamHandler: ext://sys.stderr or ext://sys.stdout.
//   - [File] is FileHandler.
//   - [RotatingFile] is RotatingFileHandler (by size).
//   - [TimedRotatingFile] is TimedRotatingFileHandler (by time).
//   - [Null] is NullHandler.
//   - [SMTP] is SMTPHandler, and Django's AdminEmailHandler.
//   - [SysLog] is SysLogHandler (UDP, TCP or a unix socket).
//
// SMTP and SysLog send from one background goroutine per handler through a
// bounded queue (a full queue drops the newest record, counted and
// reported), so a slow mail server never blocks a log call; Flush or Close
// them (logging.Shutdown does) to deliver what is queued.
//
// The CloudWatch handler lives in hook/cloudwatch.
//
// # Writing
//
// Each record is written with its terminator in one write call, under the
// handler's mutex, so lines from concurrent goroutines never interleave and
// other processes appending to the same file see whole lines. The formatted
// record handed to Emit is copied; it is never retained.
//
// Used as a logrus.Hook, a sink renders the entry with the logrus.Formatter
// of its options, or as the bare message when there is none, and writes it
// with its terminator (a formatter's own trailing newline is dropped).
//
// # Files
//
// Files are created with mode 0640 unless `perm` says otherwise (the umask
// still applies), never with parent directories, and opened when the handler
// is built unless `delay` is set, so a wrong path is a configuration error
// naming the `filename` key. Rotation uses gopkg.in/natefinch/lumberjack.v2;
// [RotatingFile] and [TimedRotatingFile] say where its behaviour differs
// from Python's (mainly, backups are named after the rotation time, not
// numbered). lumberjack keeps one goroutine per log file for deleting old
// backups that it never stops; this package shares one lumberjack logger per
// file so reconfiguring does not add more.
//
// # Closing
//
// Close is idempotent. As in Python, a record emitted after Close is still
// written rather than lost: a file handler opens the file for that record and
// closes it again, so a goroutine still logging during shutdown or
// reconfiguration leaks no descriptor. [Stream] never closes its writer.
//
// # Errors
//
// Errors writing a record are returned by Emit (the registry reports them);
// logrus prints an error returned by Fire to stderr.
package hook
