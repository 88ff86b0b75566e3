package formatters

import (
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/logdict/logging/core"
)

// attr identifies a LogRecord attribute resolved without a map lookup.
type attr uint8

const (
	attrLit   attr = iota // a literal piece of the format
	attrField             // r.Get(key), then the defaults
	attrName
	attrLevelname
	attrLevelno
	attrMessage
	attrAsctime
	attrCreated
	attrMsecs
	attrRelativeCreated
	attrPathname
	attrFilename
	attrModule
	attrFuncName
	attrLineno
	attrProcess
	attrProcessName
	attrThread
	attrThreadName
	attrTaskName
	attrExcText   // exc_text, exc_info: the attached error's text, else None
	attrStackInfo // stack_info: always None
	attrServerTime
)

// builtinAttrs maps Python's LogRecord attribute names to their ids.
var builtinAttrs = map[string]attr{
	"name":            attrName,
	"levelname":       attrLevelname,
	"levelno":         attrLevelno,
	"message":         attrMessage,
	"msg":             attrMessage,
	"asctime":         attrAsctime,
	"created":         attrCreated,
	"msecs":           attrMsecs,
	"relativeCreated": attrRelativeCreated,
	"pathname":        attrPathname,
	"filename":        attrFilename,
	"module":          attrModule,
	"funcName":        attrFuncName,
	"lineno":          attrLineno,
	"process":         attrProcess,
	"processName":     attrProcessName,
	"thread":          attrThread,
	"threadName":      attrThreadName,
	"taskName":        attrTaskName,
	"exc_text":        attrExcText,
	"exc_info":        attrExcText,
	"stack_info":      attrStackInfo,
}

func (a attr) usesCaller() bool {
	return a >= attrPathname && a <= attrLineno
}

// isText reports whether the attribute is a str that can be appended
// straight into the output.
func (a attr) isText() bool {
	switch a {
	case attrName, attrLevelname, attrMessage, attrAsctime, attrPathname, attrFilename,
		attrModule, attrFuncName, attrProcessName, attrThreadName:
		return true
	}
	return false
}

// What Python's findCaller reports when it cannot find the caller.
const (
	unknownFile = "(unknown file)"
	unknownFunc = "(unknown function)"
)

// startTime is Python's logging._startTime: relativeCreated counts from it.
var startTime = time.Now()

var (
	pid         = os.Getpid()
	programName = filepath.Base(os.Args[0])
)

// levelName is [core.Level.String] without its map lookup for the named
// levels.
func levelName(l core.Level) string {
	switch l {
	case core.CRITICAL:
		return "CRITICAL"
	case core.ERROR:
		return "ERROR"
	case core.WARNING:
		return "WARNING"
	case core.INFO:
		return "INFO"
	case core.DEBUG:
		return "DEBUG"
	case core.TRACE:
		return "TRACE"
	}
	return l.String()
}

// fileBase is the last element of a slash-separated path (runtime frames
// use '/' on every OS).
func fileBase(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}

// moduleName is the file name without its extension, as Python's module.
func moduleName(p string) string {
	b := fileBase(p)
	if i := strings.LastIndexByte(b, '.'); i > 0 {
		return b[:i]
	}
	return b
}

// shortFunc turns a runtime function name into what Python's funcName
// would show: the name without its package path,
// "github.com/x/app/srv.(*Server).handle" -> "(*Server).handle".
func shortFunc(fn string) string {
	if i := strings.LastIndexByte(fn, '/'); i >= 0 {
		fn = fn[i+1:]
	}
	if i := strings.IndexByte(fn, '.'); i >= 0 {
		fn = fn[i+1:]
	}
	return fn
}

// goroutineID returns the calling goroutine's id, parsed from the header
// of its stack trace ("goroutine 42 [running]:"). It costs about a
// microsecond, so it runs only for formats that name thread or threadName.
func goroutineID() int64 {
	var buf [64]byte
	b := buf[:runtime.Stack(buf[:], false)]
	const prefix = "goroutine "
	if len(b) < len(prefix) {
		return 0
	}
	var id int64
	for _, c := range b[len(prefix):] {
		if c < '0' || c > '9' {
			break
		}
		id = id*10 + int64(c-'0')
	}
	return id
}

// proc holds the process facts attributes report, fixed when a formatter
// is built (tests replace them).
type proc struct {
	pid         int64
	processName string
	start       time.Time
	gid         func() int64
}

func newProc() proc {
	return proc{pid: int64(pid), processName: programName, start: startTime, gid: goroutineID}
}

// text returns a str attribute other than asctime.
func (p *proc) text(a attr, r *core.Record) string {
	switch a {
	case attrName:
		return r.Name
	case attrLevelname:
		return levelName(r.Level)
	case attrMessage:
		return r.Message()
	case attrPathname, attrFilename, attrModule:
		if r.Caller == nil {
			return unknownFile
		}
		switch a {
		case attrFilename:
			return fileBase(r.Caller.File)
		case attrModule:
			return moduleName(r.Caller.File)
		}
		return r.Caller.File
	case attrFuncName:
		if r.Caller == nil {
			return unknownFunc
		}
		return shortFunc(r.Caller.Function)
	case attrProcessName:
		return p.processName
	case attrThreadName:
		// Goroutines have no names: goroutine 1 is Python's MainThread.
		if id := p.gid(); id != 1 {
			return "Goroutine-" + strconv.FormatInt(id, 10)
		}
		return "MainThread"
	}
	return ""
}

// value returns a non-str attribute; ok is false for the others.
func (p *proc) value(a attr, r *core.Record) (val, bool) {
	t := r.Entry.Time
	switch a {
	case attrLevelno:
		return intVal(int64(r.Level)), true
	case attrCreated:
		return floatVal(float64(t.UnixNano()) / 1e9), true
	case attrMsecs:
		// Python 3.11+ truncates to whole milliseconds (gh-89047): 678.0.
		return floatVal(float64(t.Nanosecond() / 1e6)), true
	case attrRelativeCreated:
		return floatVal(float64(t.Sub(p.start).Nanoseconds()) / 1e6), true
	case attrLineno:
		if r.Caller == nil {
			return intVal(0), true
		}
		return intVal(int64(r.Caller.Line)), true
	case attrProcess:
		return intVal(p.pid), true
	case attrThread:
		return intVal(p.gid()), true
	case attrTaskName, attrStackInfo:
		return noneVal(), true
	case attrExcText:
		if err := r.Err(); err != nil {
			return strVal(err.Error()), true
		}
		return noneVal(), true
	}
	return val{}, false
}
