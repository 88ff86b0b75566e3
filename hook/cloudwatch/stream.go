package cloudwatch

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// A stream is one log stream name in use. Streams are interned by the queue
// so that queued events point at a shared name; see queue.streams.
type stream struct {
	name string
	id   uint32 // index in queue.sids, for ring slots; guarded by queue.mu
	// held is the number of events of this stream the handler holds
	// (queued or being batched or sent); guarded by queue.mu.
	held int
	// lastUsed is when the owner last took an event of this stream off the
	// queue; owned by the owner goroutine.
	lastUsed time.Time
}

// template is a compiled log_stream_name: watchtower's placeholders
// {machine_name}, {program_name}, {logger_name}, {process_id},
// {thread_name} and {strftime:FORMAT}, with {{ and }} for literal braces.
// It is immutable and safe for concurrent use.
type template struct {
	parts   []tmplPart
	perItem bool // depends on the record (logger name or time)
}

type tmplKind uint8

const (
	tmplLiteral tmplKind = iota
	tmplLogger
	tmplStrftime
)

type tmplPart struct {
	kind tmplKind
	text string // literal text, or the strftime format
}

// hostName, programName and pid are what watchtower reads once per process.
var (
	hostName, _ = os.Hostname()
	// watchtower removes ":" from sys.argv[0], as stream names may not hold it.
	programName = strings.ReplaceAll(os.Args[0], ":", "")
	pid         = strconv.Itoa(os.Getpid())
)

// errTemplate is wrapped by every template error.
var errTemplate = errors.New("bad stream name template")

// compileTemplate parses a stream name template.
func compileTemplate(s string) (*template, error) {
	t := &template{}
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			t.parts = append(t.parts, tmplPart{kind: tmplLiteral, text: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '{' && i+1 < len(s) && s[i+1] == '{', c == '}' && i+1 < len(s) && s[i+1] == '}':
			lit.WriteByte(c)
			i++
		case c == '}':
			return nil, fmt.Errorf("%w %q: single '}' (write }} for a brace)", errTemplate, s)
		case c == '{':
			end := strings.IndexByte(s[i:], '}')
			if end < 0 {
				return nil, fmt.Errorf("%w %q: unclosed '{'", errTemplate, s)
			}
			field := s[i+1 : i+end]
			i += end
			switch {
			case field == "machine_name":
				lit.WriteString(hostName)
			case field == "program_name":
				lit.WriteString(programName)
			case field == "process_id":
				lit.WriteString(pid)
			case field == "thread_name":
				// Go has no named threads; Python's main thread is this.
				lit.WriteString("MainThread")
			case field == "logger_name":
				flush()
				t.parts = append(t.parts, tmplPart{kind: tmplLogger})
				t.perItem = true
			case strings.HasPrefix(field, "strftime:"):
				f := field[len("strftime:"):]
				if err := checkStrftime(f); err != nil {
					return nil, fmt.Errorf("%w %q: %v", errTemplate, s, err)
				}
				flush()
				t.parts = append(t.parts, tmplPart{kind: tmplStrftime, text: f})
				t.perItem = true
			default:
				return nil, fmt.Errorf("%w %q: unknown placeholder {%s} (known: logger_name, machine_name, process_id, program_name, strftime:FORMAT, thread_name)", errTemplate, s, field)
			}
		default:
			lit.WriteByte(c)
		}
	}
	flush()
	return t, nil
}

// appendName appends the sanitised stream name for a record of logger with
// time t (UTC is used for strftime, as watchtower does).
func (t *template) appendName(dst []byte, logger string, ts time.Time) []byte {
	start := len(dst)
	for _, p := range t.parts {
		switch p.kind {
		case tmplLiteral:
			dst = append(dst, p.text...)
		case tmplLogger:
			dst = append(dst, logger...)
		case tmplStrftime:
			dst = appendStrftime(dst, p.text, ts.UTC())
		}
	}
	return sanitizeStream(dst, start)
}

// sanitizeStream makes dst[start:] a valid stream name in place: ':' and
// '*' are removed, invalid UTF-8 becomes '_', the name is cut to
// MaxNameLen characters, and an empty name becomes "_".
func sanitizeStream(dst []byte, start int) []byte {
	w, chars := start, 0
	for r := start; r < len(dst) && chars < MaxNameLen; {
		c, n := utf8.DecodeRune(dst[r:])
		switch {
		case c == ':' || c == '*':
			r += n
			continue
		case c == utf8.RuneError && n == 1:
			dst[w] = '_'
			w++
		default:
			w += copy(dst[w:], dst[r:r+n])
		}
		r += n
		chars++
	}
	dst = dst[:w]
	if w == start {
		dst = append(dst, '_')
	}
	return dst
}

// checkGroupName reports why name is not a valid log group name, or nil.
func checkGroupName(name string) error {
	switch {
	case name == "":
		return errors.New("must not be empty")
	case len(name) > MaxNameLen:
		return fmt.Errorf("longer than %d characters", MaxNameLen)
	case strings.HasPrefix(name, "aws/"):
		return errors.New(`must not start with "aws/"`)
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._-/#", r)) {
			return fmt.Errorf("%q may not hold %q (allowed: letters, digits and . _ - / #)", name, r)
		}
	}
	return nil
}

const strftimeDirectives = "aAbBdHIjmMpSyYZz%"

func checkStrftime(f string) error {
	for i := 0; i < len(f); i++ {
		if f[i] != '%' {
			continue
		}
		if i+1 == len(f) || !strings.ContainsRune(strftimeDirectives, rune(f[i+1])) {
			return fmt.Errorf("unsupported strftime directive in %q (supported: %%a %%A %%b %%B %%d %%H %%I %%j %%m %%M %%p %%S %%y %%Y %%Z %%z %%%%)", f)
		}
		i++
	}
	return nil
}

// appendStrftime formats t by the directives checkStrftime accepts.
func appendStrftime(dst []byte, f string, t time.Time) []byte {
	pad := func(dst []byte, v, width int) []byte {
		n := 1
		for x := v; x >= 10; x /= 10 {
			n++
		}
		for ; n < width; n++ {
			dst = append(dst, '0')
		}
		return strconv.AppendInt(dst, int64(v), 10)
	}
	for i := 0; i < len(f); i++ {
		if f[i] != '%' || i+1 == len(f) {
			dst = append(dst, f[i])
			continue
		}
		i++
		switch f[i] {
		case 'Y':
			dst = pad(dst, t.Year(), 4)
		case 'y':
			dst = pad(dst, t.Year()%100, 2)
		case 'm':
			dst = pad(dst, int(t.Month()), 2)
		case 'd':
			dst = pad(dst, t.Day(), 2)
		case 'H':
			dst = pad(dst, t.Hour(), 2)
		case 'I':
			dst = pad(dst, (t.Hour()+11)%12+1, 2)
		case 'M':
			dst = pad(dst, t.Minute(), 2)
		case 'S':
			dst = pad(dst, t.Second(), 2)
		case 'j':
			dst = pad(dst, t.YearDay(), 3)
		case 'p':
			if t.Hour() < 12 {
				dst = append(dst, "AM"...)
			} else {
				dst = append(dst, "PM"...)
			}
		case 'a':
			dst = append(dst, t.Weekday().String()[:3]...)
		case 'A':
			dst = append(dst, t.Weekday().String()...)
		case 'b':
			dst = append(dst, t.Month().String()[:3]...)
		case 'B':
			dst = append(dst, t.Month().String()...)
		case 'Z':
			dst = append(dst, "UTC"...)
		case 'z':
			dst = append(dst, "+0000"...)
		default:
			dst = append(dst, f[i])
		}
	}
	return dst
}
