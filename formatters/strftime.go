package formatters

import (
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// strftime is a datefmt compiled once: literals and directives, rendered
// the way Python's time.strftime renders them with glibc in the C locale.
// Directives Python (glibc) does not know, %f among them, print as
// written. glibc's padding flags ('-' none, '_' spaces, '0' zeros, '^'
// upper case) and the E and O modifiers are understood; field widths are
// not (they print literally).
type strftime struct {
	ops []tfOp
}

type tfOp struct {
	lit  string
	dir  byte // 0 for a literal
	flag byte // 0, '-', '_', '0' or '^'
}

// composite directives, expanded when compiling.
var tfComposite = map[byte]string{
	'c': "%a %b %e %H:%M:%S %Y",
	'D': "%m/%d/%y",
	'F': "%Y-%m-%d",
	'r': "%I:%M:%S %p",
	'R': "%H:%M",
	'T': "%H:%M:%S",
	'x': "%m/%d/%y",
	'X': "%H:%M:%S",
	'h': "%b",
}

const tfDirectives = "aAbBCdeGgHIjklmMnpPsSutUVwWyYzZ%"

func compileStrftime(f string) *strftime {
	s := &strftime{}
	s.compile(f)
	// Merge neighbouring literals.
	out := s.ops[:0]
	for _, op := range s.ops {
		if op.dir == 0 && len(out) > 0 && out[len(out)-1].dir == 0 {
			out[len(out)-1].lit += op.lit
			continue
		}
		out = append(out, op)
	}
	s.ops = out
	return s
}

func (s *strftime) compile(f string) {
	lit := func(x string) { s.ops = append(s.ops, tfOp{lit: x}) }
	for i := 0; i < len(f); {
		j := strings.IndexByte(f[i:], '%')
		if j < 0 {
			lit(f[i:])
			return
		}
		if j > 0 {
			lit(f[i : i+j])
		}
		i += j
		k := i + 1
		var flag byte
		if k < len(f) && strings.IndexByte("-_0^", f[k]) >= 0 {
			flag = f[k]
			k++
		}
		if k+1 < len(f) && (f[k] == 'E' || f[k] == 'O') && (strings.IndexByte(tfDirectives, f[k+1]) >= 0 || tfComposite[f[k+1]] != "") {
			k++
		}
		if k >= len(f) {
			lit(f[i:])
			return
		}
		c := f[k]
		switch {
		case tfComposite[c] != "":
			s.compile(tfComposite[c])
		case c == 'n':
			lit("\n")
		case c == 't':
			lit("\t")
		case c == '%':
			lit("%")
		case strings.IndexByte(tfDirectives, c) >= 0:
			s.ops = append(s.ops, tfOp{dir: c, flag: flag})
		default:
			lit(f[i : k+1])
		}
		i = k + 1
	}
}

var (
	shortDays   = [...]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
	longDays    = [...]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	shortMonths = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	longMonths  = [...]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
)

// append renders t (already in the wanted location).
func (s *strftime) append(dst []byte, t time.Time) []byte {
	for _, op := range s.ops {
		if op.dir == 0 {
			dst = append(dst, op.lit...)
			continue
		}
		dst = appendDirective(dst, t, op.dir, op.flag)
	}
	return dst
}

func appendDirective(dst []byte, t time.Time, dir, flag byte) []byte {
	num := func(n, width int, pad byte) []byte {
		switch flag {
		case '-':
			width = 0
		case '_':
			pad = ' '
		case '0':
			pad = '0'
		}
		return appendPadded(dst, n, width, pad)
	}
	text := func(s string) []byte {
		if flag != '^' {
			return append(dst, s...)
		}
		for i := 0; i < len(s); i++ {
			c := s[i]
			if c >= 'a' && c <= 'z' {
				c -= 'a' - 'A'
			}
			dst = append(dst, c)
		}
		return dst
	}
	switch dir {
	case 'a':
		return text(shortDays[t.Weekday()])
	case 'A':
		return text(longDays[t.Weekday()])
	case 'b':
		return text(shortMonths[t.Month()-1])
	case 'B':
		return text(longMonths[t.Month()-1])
	case 'p', 'P':
		s := "AM"
		if t.Hour() >= 12 {
			s = "PM"
		}
		if dir == 'P' {
			s = strings.ToLower(s)
		}
		return text(s)
	case 'C':
		return num(t.Year()/100, 2, '0')
	case 'd':
		return num(t.Day(), 2, '0')
	case 'e':
		return num(t.Day(), 2, ' ')
	case 'H':
		return num(t.Hour(), 2, '0')
	case 'k':
		return num(t.Hour(), 2, ' ')
	case 'I', 'l':
		h := t.Hour() % 12
		if h == 0 {
			h = 12
		}
		if dir == 'l' {
			return num(h, 2, ' ')
		}
		return num(h, 2, '0')
	case 'j':
		return num(t.YearDay(), 3, '0')
	case 'm':
		return num(int(t.Month()), 2, '0')
	case 'M':
		return num(t.Minute(), 2, '0')
	case 'S':
		return num(t.Second(), 2, '0')
	case 's':
		return strconv.AppendInt(dst, t.Unix(), 10)
	case 'u':
		wd := int(t.Weekday())
		if wd == 0 {
			wd = 7
		}
		return num(wd, 1, '0')
	case 'w':
		return num(int(t.Weekday()), 1, '0')
	case 'U':
		return num((t.YearDay()-1+7-int(t.Weekday()))/7, 2, '0')
	case 'W':
		return num((t.YearDay()-1+7-(int(t.Weekday())+6)%7)/7, 2, '0')
	case 'V':
		_, w := t.ISOWeek()
		return num(w, 2, '0')
	case 'G':
		y, _ := t.ISOWeek()
		return num(y, 1, '0')
	case 'g':
		y, _ := t.ISOWeek()
		return num(y%100, 2, '0')
	case 'y':
		return num(t.Year()%100, 2, '0')
	case 'Y':
		return num(t.Year(), 1, '0')
	case 'z':
		_, off := t.Zone()
		sign := byte('+')
		if off < 0 {
			sign, off = '-', -off
		}
		dst = append(dst, sign)
		dst = appendPadded(dst, off/3600, 2, '0')
		return appendPadded(dst, off%3600/60, 2, '0')
	case 'Z':
		name, _ := t.Zone()
		return text(name)
	}
	return dst
}

func appendPadded(dst []byte, n, width int, pad byte) []byte {
	if n < 0 {
		dst = append(dst, '-')
		n = -n
	}
	var buf [20]byte
	b := strconv.AppendInt(buf[:0], int64(n), 10)
	for i := len(b); i < width; i++ {
		dst = append(dst, pad)
	}
	return append(dst, b...)
}

// secondCache holds the rendering of one second: asctime changes only
// once a second, so most records reuse the previous one. It is a single
// atomic pointer: readers never lock, and a record from another second
// (out-of-order timestamps) just renders and replaces it.
type secondCache struct {
	p atomic.Pointer[secondText]
}

type secondText struct {
	sec int64
	b   []byte
}

// appendTime appends t rendered by s in loc, through the cache.
func (c *secondCache) appendTime(dst []byte, t time.Time, loc *time.Location, s *strftime) []byte {
	sec := t.Unix()
	if e := c.p.Load(); e != nil && e.sec == sec {
		return append(dst, e.b...)
	}
	b := s.append(make([]byte, 0, 32), t.In(loc))
	c.p.Store(&secondText{sec: sec, b: b})
	return append(dst, b...)
}
