package core

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/sirupsen/logrus"
)

// Level is a Python logging level number: higher is more severe. The named
// levels are Python's, plus TRACE for logrus's Trace. Any integer is a valid
// level (Python allows custom levels such as 15); NOTSET (0) means "inherit"
// on a logger and "everything" on a handler.
type Level int

// The Python levels, and TRACE for logrus's Trace level.
const (
	NOTSET   Level = 0
	TRACE    Level = 5
	DEBUG    Level = 10
	INFO     Level = 20
	WARNING  Level = 30
	ERROR    Level = 40
	CRITICAL Level = 50
)

// ErrBadLevel is wrapped by every error about a level that cannot be parsed.
var ErrBadLevel = errors.New("unknown level")

var levelNames = map[Level]string{
	NOTSET: "NOTSET", TRACE: "TRACE", DEBUG: "DEBUG", INFO: "INFO",
	WARNING: "WARNING", ERROR: "ERROR", CRITICAL: "CRITICAL",
}

// String returns the name Python's %(levelname)s prints: CRITICAL, ERROR,
// WARNING, INFO, DEBUG, TRACE, NOTSET, or "Level N" for a custom level.
func (l Level) String() string {
	if s, ok := levelNames[l]; ok {
		return s
	}
	return "Level " + strconv.Itoa(int(l))
}

// ParseLevel accepts Python's level names (case-insensitively, with WARN and
// FATAL as aliases), logrus's names (panic, fatal, error, warning, info,
// debug, trace) and non-negative integers, as strings or numbers.
func ParseLevel(v any) (Level, error) {
	switch x := v.(type) {
	case Level:
		return x, nil
	case int:
		return intLevel(int64(x), v)
	case int64:
		return intLevel(x, v)
	case int32:
		return intLevel(int64(x), v)
	case uint64:
		if x > 1<<31 {
			break
		}
		return intLevel(int64(x), v)
	case float64:
		if x == float64(int64(x)) {
			return intLevel(int64(x), v)
		}
	case string:
		s := strings.TrimSpace(x)
		switch strings.ToUpper(s) {
		case "CRITICAL", "FATAL", "PANIC":
			return CRITICAL, nil
		case "ERROR":
			return ERROR, nil
		case "WARNING", "WARN":
			return WARNING, nil
		case "INFO":
			return INFO, nil
		case "DEBUG":
			return DEBUG, nil
		case "TRACE":
			return TRACE, nil
		case "NOTSET":
			return NOTSET, nil
		}
		if n, err := strconv.ParseInt(s, 10, 32); err == nil {
			return intLevel(n, v)
		}
		return 0, fmt.Errorf("%w %q (known: CRITICAL, ERROR, WARNING, INFO, DEBUG, TRACE, NOTSET or a number)", ErrBadLevel, x)
	}
	return 0, fmt.Errorf("%w %v: want a level name or a number", ErrBadLevel, v)
}

func intLevel(n int64, v any) (Level, error) {
	if n < 0 || n > 1<<20 {
		return 0, fmt.Errorf("%w %v: must be 0 or more", ErrBadLevel, v)
	}
	return Level(n), nil
}

// UnmarshalText parses a level as [ParseLevel] does.
func (l *Level) UnmarshalText(b []byte) error {
	v, err := ParseLevel(string(b))
	if err != nil {
		return err
	}
	*l = v
	return nil
}

// MarshalText writes the level's name.
func (l Level) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// FromLogrus maps a logrus level to its Python level: Panic and Fatal are
// CRITICAL, Error ERROR, Warn WARNING, Info INFO, Debug DEBUG, Trace TRACE.
func FromLogrus(l logrus.Level) Level {
	switch l {
	case logrus.PanicLevel, logrus.FatalLevel:
		return CRITICAL
	case logrus.ErrorLevel:
		return ERROR
	case logrus.WarnLevel:
		return WARNING
	case logrus.InfoLevel:
		return INFO
	case logrus.DebugLevel:
		return DEBUG
	default:
		return TRACE
	}
}

// LogrusThreshold returns the most restrictive logrus level that still lets
// through every logrus level whose Python level is >= l. A logger whose
// effective level is l has its logrus level set to this, so logrus's own
// atomic level check rejects disabled calls before any work is done.
func LogrusThreshold(l Level) logrus.Level {
	switch {
	case l <= TRACE:
		return logrus.TraceLevel
	case l <= DEBUG:
		return logrus.DebugLevel
	case l <= INFO:
		return logrus.InfoLevel
	case l <= WARNING:
		return logrus.WarnLevel
	case l <= ERROR:
		return logrus.ErrorLevel
	default:
		return logrus.FatalLevel
	}
}
