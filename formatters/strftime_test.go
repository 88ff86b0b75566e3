package formatters

import (
	"testing"
	"time"
)

// TestStrftime compares with python3.11's time.strftime on Linux (glibc):
// time.strftime(f, time.gmtime(1704164645)), a Tuesday.
func TestStrftime(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Unix(1704164645, 678901000).UTC()
	tests := []struct {
		format string
		loc    *time.Location
		want   string
	}{
		{"%Y-%m-%d %H:%M:%S", nil, "2024-01-02 03:04:05"},
		{"%d/%b/%Y %H:%M:%S", nil, "02/Jan/2024 03:04:05"},
		{"%a %A %b %B %p %I %j %y", nil, "Tue Tuesday Jan January AM 03 002 24"},
		{"%e|%k|%l|%-d|%_m|%P|%^a|%^b", nil, " 2| 3| 3|2| 1|am|TUE|JAN"},
		{"%c|%x|%X|%r|%D|%T|%R|%F|%h", nil, "Tue Jan  2 03:04:05 2024|01/02/24|03:04:05|03:04:05 AM|01/02/24|03:04:05|03:04|2024-01-02|Jan"},
		{"%U|%W|%V|%G|%g|%u|%w|%C|%s", nil, "00|01|01|2024|24|2|2|20|1704164645"},
		{"%Ex|%Oy|%E|%+|%Q|%f|%%|%", nil, "01/02/24|24|%E|%+|%Q|%f|%|%"},
		{"%n%t", nil, "\n\t"},
		{"%z %Z", nil, "+0000 UTC"},
		{"%z %Z", gmt, "+0000 GMT"},
		{"%Y-%m-%d %H:%M:%S%z %Z", ny, "2024-01-01 22:04:05-0500 EST"},
		{"%I:%M %p", ny, "10:04 PM"},
		{"no directives", nil, "no directives"},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			tm := at
			if tt.loc != nil {
				tm = at.In(tt.loc)
			}
			if got := string(compileStrftime(tt.format).append(nil, tm)); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestStrftimeWeeks(t *testing.T) {
	// Sunday 2023-01-01: %U starts week 1 on it, %W still week 0; ISO
	// week 52 of 2022.
	sun := time.Date(2023, 1, 1, 12, 0, 0, 0, time.UTC)
	if got, want := string(compileStrftime("%U %W %V %G %u %w").append(nil, sun)), "01 00 52 2022 7 0"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
