package hook

import (
	"fmt"
	"strings"
	"time"
)

// schedule is when a [TimedRotatingFile] rotates: Python's
// TimedRotatingFileHandler `when`, `interval`, `utc` and `atTime`.
type schedule struct {
	unit     time.Duration // S, M, H, D; 0 for MIDNIGHT and W
	weekly   bool          // W0..W6
	weekday  int           // Python's: 0 is Monday
	interval int
	atSec    int // time of day for MIDNIGHT and W, in seconds; 86400 by default
	loc      *time.Location
}

// parseWhen reads Python's `when`, in any case.
func parseWhen(when string) (unit time.Duration, weekly bool, weekday int, err error) {
	switch w := strings.ToUpper(strings.TrimSpace(when)); w {
	case "S":
		return time.Second, false, 0, nil
	case "M":
		return time.Minute, false, 0, nil
	case "H", "":
		return time.Hour, false, 0, nil
	case "D":
		return 24 * time.Hour, false, 0, nil
	case "MIDNIGHT":
		return 0, false, 0, nil
	default:
		if len(w) == 2 && w[0] == 'W' && w[1] >= '0' && w[1] <= '6' {
			return 0, true, int(w[1] - '0'), nil
		}
	}
	return 0, false, 0, fmt.Errorf("want S, M, H, D, MIDNIGHT or W0..W6 (W0 is Monday), got %q", when)
}

// parseAtTime reads `atTime`, "HH:MM" or "HH:MM:SS", as seconds since the
// start of the day; "" is Python's None: 86400, the midnight ending the day.
func parseAtTime(s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return secondsPerDay, nil
	}
	for _, layout := range []string{"15:04:05", "15:04"} {
		if t, err := time.Parse(layout, s); err == nil {
			return (t.Hour()*60+t.Minute())*60 + t.Second(), nil
		}
	}
	return 0, fmt.Errorf("want a time of day \"HH:MM\" or \"HH:MM:SS\", got %q", s)
}

const secondsPerDay = 24 * 60 * 60

// next returns the first rollover time after now: Python 3.13's
// computeRollover, in whole seconds as Python's int(time.time()).
//
// S, M, H and D add interval units (D is 24 hours, as in Python).
// MIDNIGHT is the next atTime, then interval-1 more days. Wn is the next
// atTime on weekday n, then interval-1 more weeks; with no atTime that is
// Python's midnight at the end of weekday n (W6 rotates as Monday begins),
// while atTime "00:00" is the midnight that begins it. Days are counted on
// the wall clock of the location, so a DST change moves nothing: Python gets
// the same result with its ±3600 s corrections.
func (s *schedule) next(now time.Time) time.Time {
	now = now.Truncate(time.Second)
	if s.unit > 0 {
		return now.Add(time.Duration(s.interval) * s.unit)
	}
	t := now.In(s.loc)
	y, m, d := t.Date()
	// time.Date normalises atSec: 86400 seconds is the next day's 00:00,
	// while the day it belongs to, for Wn, stays d (Python's currentDay).
	day := (int(t.Weekday()) + 6) % 7 // Python's weekday: Monday is 0
	if !time.Date(y, m, d, 0, 0, s.atSec, 0, s.loc).After(t) {
		d++
		day = (day + 1) % 7
	}
	if s.weekly {
		d += (s.weekday-day+7)%7 + (s.interval-1)*7
	} else {
		d += s.interval - 1
	}
	return time.Date(y, m, d, 0, 0, s.atSec, 0, s.loc)
}

// clock is the time source of [TimedRotatingFile], replaced in tests so
// rollovers happen without waiting.
type clock interface {
	Now() time.Time
	NewTimer(d time.Duration) timer
}

type timer interface {
	C() <-chan time.Time
	Stop() bool
}

type realClock struct{}

func (realClock) Now() time.Time                 { return time.Now() }
func (realClock) NewTimer(d time.Duration) timer { return realTimer{time.NewTimer(d)} }

type realTimer struct{ t *time.Timer }

func (t realTimer) C() <-chan time.Time { return t.t.C }
func (t realTimer) Stop() bool          { return t.t.Stop() }
