// Package formatters holds the formatters a logdict configuration builds:
// Python's logging.Formatter ([Python]), a [JSON] formatter, logrus's own
// TextFormatter and JSONFormatter ([FromLogrus]), and Django's
// ServerFormatter ([NewServer]). Each is a [core.Formatter]: it appends a
// record to a byte slice, never fails, and is safe for concurrent use.
//
// # Python's formats
//
// [Python] accepts what logging.Formatter accepts: %-style
// ("%(asctime)s %(levelname)-8s %(message)s"), {-style ("{levelname:<8}")
// and $-style ("$levelname"), with Python's flags, widths, precisions,
// conversions and format-spec mini-language, its validation and its error
// messages. The record's attributes are Python's: name, levelname, levelno,
// message, asctime, created, msecs, relativeCreated, pathname, filename,
// module, funcName, lineno, process, processName, thread, threadName and
// taskName; any other name is a logrus field or an attribute a filter set
// (%(env)s). Go has no threads or process names: thread is the goroutine
// id, threadName is "MainThread" on goroutine 1 and "Goroutine-N"
// elsewhere, processName is the program's name, and taskName is None.
// funcName is the function without its package path ("(*Server).handle").
//
// The format is compiled once, into literals and fields; formatting then
// appends into the caller's buffer with no allocation for the common
// attributes, and asctime is rendered once per second and cached.
//
// # Where it differs from Python
//
// A field the record lacks is printed empty (or from defaults) and reported
// once per field on stderr or through [Options.OnError]; Python drops the
// line and prints "--- Logging error ---". Values that do not fit their
// conversion (%d of a word) are printed with str() and reported the same
// way, and %d of a string holding a number prints the number. Formats that
// Python's validation lets through but that fail on every record
// ("%(message)s %(x", a positional %s) are rejected when the formatter is
// built, even with validate=false. Positional fields ({0}), attribute and
// index expressions ({a.b}, {a[0]}) and nested fields in a spec
// ({message:{width}}) are not supported.
//
// An error attached with logrus's WithError is appended on a new line, as
// Python appends a traceback; a format that names error, exc_text or
// exc_info prints it in place instead. A record's other fields are not
// printed unless the format names them, as in Python; the JSON formatter
// prints them all.
//
// # Time
//
// asctime is Python's "%Y-%m-%d %H:%M:%S,mmm" by default, or datefmt
// through a strftime that follows Python on Linux (glibc): %f and unknown
// directives print as written. Times are local unless utc = true or
// converter = "gmtime" (then %Z prints GMT, as Python does).
package formatters
