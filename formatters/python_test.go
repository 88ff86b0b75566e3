package formatters

import (
	"errors"
	"math"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
	_ "time/tzdata" // America/New_York on machines without zoneinfo

	"github.com/logdict/logging/core"
	"github.com/sirupsen/logrus"
)

// The record of dictconfig.md §3.5: logger demo.sub, created
// 1704164645.678901 (2024-01-02 03:04:05.678 UTC), relativeCreated
// 1234.5678, process 4242, info("hello world") from line 9 of fmt.py.
var refTime = time.Unix(1704164645, 678901000).UTC()

func refRecord() *core.Record {
	e := &logrus.Entry{Time: refTime, Level: logrus.InfoLevel, Message: "hello world", Data: logrus.Fields{}}
	return &core.Record{
		Entry:  e,
		Name:   "demo.sub",
		Level:  core.INFO,
		Caller: &runtime.Frame{File: "/home/u/fmt.py", Line: 9, Function: "demo.<lambda>"},
	}
}

// newRef builds a formatter with the process facts of the reference run.
func newRef(t testing.TB, o Options) *Python {
	t.Helper()
	if o.Location == nil {
		o.Location = time.UTC
	}
	if o.OnError == nil {
		o.OnError = func(err error) { t.Errorf("unexpected report: %v", err) }
	}
	f, err := NewPython(o)
	if err != nil {
		t.Fatalf("NewPython(%+v): %v", o, err)
	}
	f.pid = 4242
	f.processName = "MainProcess"
	f.start = refTime.Add(-1234567800 * time.Nanosecond)
	f.gid = func() int64 { return 1 }
	return f
}

func format(f core.Formatter, r *core.Record) string { return string(f.Format(nil, r)) }

// TestReferenceTable checks every case of dictconfig.md §3.5 that has a Go
// counterpart, with the outputs Python 3.11 printed.
func TestReferenceTable(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		num    int
		opts   Options
		record func(r *core.Record)
		want   string
	}{
		{1, Options{}, nil, "hello world"},
		{2, Options{Format: "%(levelname)s:%(name)s:%(message)s"}, nil, "INFO:demo.sub:hello world"},
		{3, Options{Format: "%(asctime)s %(levelname)-8s %(name)s: %(message)s"}, nil,
			"2024-01-02 03:04:05,678 INFO     demo.sub: hello world"},
		{4, Options{Format: "%(asctime)s.%(msecs)03d %(levelname).1s %(message)s", DateFormat: "%Y-%m-%dT%H:%M:%S"}, nil,
			"2024-01-02T03:04:05.678 I hello world"},
		{5, Options{Format: "%(levelno)d|%(lineno)d|%(funcName)s|%(module)s|%(filename)s|%(process)d|%(threadName)s"}, nil,
			"20|9|<lambda>|fmt|fmt.py|4242|MainThread"},
		{6, Options{Format: "%(created)f %(relativeCreated)d %(msecs)d %(msecs)06.2f"}, nil,
			"1704164645.678901 1234 678 678.00"},
		{7, Options{Format: "{asctime} {levelname:<8} {name} {message}", Style: "{"}, nil,
			"2024-01-02 03:04:05,678 INFO     demo.sub hello world"},
		{8, Options{Format: "$levelname ${name}: $message", Style: "$"}, nil, "INFO demo.sub: hello world"},
		{9, Options{Format: "%(levelname)8s|%(name)-12s|%(message)s"}, nil, "    INFO|demo.sub    |hello world"},
		{10, Options{Format: "%(message)s [%(user)s]"}, func(r *core.Record) {
			r.Entry.Message = "extra dict"
			r.Entry.Data["user"] = "alice"
		}, "extra dict [alice]"},
		{11, Options{Format: "%(levelname)s %(message)s"}, func(r *core.Record) {
			r.Level, r.Entry.Message = 15, "custom level"
		}, "Level 15 custom level"},
		// 12 (mapping arguments) has no Go counterpart: logrus formats the message.
		{13, Options{Format: "%(levelname)s %(message)s"}, func(r *core.Record) {
			r.Level, r.Entry.Message = core.ERROR, "failed"
			r.Entry.Data[logrus.ErrorKey] = errors.New("division by zero")
		}, "ERROR failed\ndivision by zero"},
		// 14 (stack_info) has no Go counterpart.
		{15, Options{Format: "%(asctime)s %(message)s", Location: ny}, nil, "2024-01-01 22:04:05,678 hello world"},
		{15, Options{Format: "%(asctime)s %(message)s", Location: time.UTC}, nil, "2024-01-02 03:04:05,678 hello world"},
		{16, Options{Format: "%(asctime)s", DateFormat: "%Y-%m-%d %H:%M:%S%z %Z", Location: ny}, nil, "2024-01-01 22:04:05-0500 EST"},
		{17, Options{Format: "%(asctime)s", DateFormat: "%H:%M:%S.%f", Location: ny}, nil, "22:04:05.%f"},
		{18, Options{Format: "%(processName)s %(taskName)s"}, nil, "MainProcess None"},
	}
	for _, tt := range tests {
		t.Run(strings.ReplaceAll(tt.opts.Format, "%", "pct"), func(t *testing.T) {
			f := newRef(t, tt.opts)
			r := refRecord()
			if tt.record != nil {
				tt.record(r)
			}
			if got := format(f, r); got != tt.want {
				t.Errorf("case %d: got\n%q\nwant\n%q", tt.num, got, tt.want)
			}
		})
	}
}

// TestPercentSpecs checks %-style flags, width, precision and conversions
// against Python's str % dict (outputs taken from python3.11).
func TestPercentSpecs(t *testing.T) {
	tests := []struct {
		format string
		value  any
		want   string
	}{
		{"%(v)s", true, "True"},
		{"%(v)s", nil, "None"},
		{"%(v)r", nil, "None"},
		{"%(v)5s", true, " True"},
		{"%(v)d", true, "1"},
		{"%(v).3d", 5, "005"},
		{"%(v)5.3d", -5, " -005"},
		{"%(v)+05d", 5, "+0005"},
		{"%(v)-05d|", 5, "5    |"},
		{"%(v) d", 5, " 5"},
		{"%(v)#o", 8, "0o10"},
		{"%(v)#x", 255, "0xff"},
		{"%(v)#X", 255, "0XFF"},
		{"%(v)x", -255, "-ff"},
		{"%(v)#08x", 255, "0x0000ff"},
		{"%(v)c", 65, "A"},
		{"%(v)c", "z", "z"},
		{"%(v)r", "it's", `"it's"`},
		{"%(v)r", `a"b'c`, `'a"b\'c'`},
		{"%(v)a", "é\n", `'\xe9\n'`},
		{"%(v)r", "a\x7f\u00a0\u2028é\U0001F600", `'a\x7f\xa0\u2028é😀'`},
		{"%(v)5.1s|", "hello", "    h|"},
		{"%(v)-5s|", "é", "é    |"},
		{"%(v)05s", "ab", "   ab"},
		{"%(v)e", 12345.678, "1.234568e+04"},
		{"%(v)E", 0.0, "0.000000E+00"},
		{"%(v)g", 1e6, "1e+06"},
		{"%(v)g", 123456.0, "123456"},
		{"%(v)g", 1e-5, "1e-05"},
		{"%(v)#g", 1.5, "1.50000"},
		{"%(v)#.3g", 100.0, "100."},
		{"%(v)G", 1e-10, "1E-10"},
		{"%(v).0f", 2.5, "2"},
		{"%(v).0f", 3.5, "4"},
		{"%(v)#.0f", 3, "3."},
		{"%(v)010.3f", -3.14159, "-00003.142"},
		{"%(v)+.2e", -1.5e-300, "-1.50e-300"},
		{"%(v)s", 1e16, "1e+16"},
		{"%(v)s", 1e-5, "1e-05"},
		{"%(v)s", 0.1, "0.1"},
		{"%(v)s", 1.0, "1.0"},
		{"%(v)s", 678.0, "678.0"},
		{"%(v)d", 678.9, "678"},
		{"%(v)d", "42", "42"},
		{"%(v)05.1f", "2.25", "002.2"},
		{"%(v)i|%(v)u", 5, "5|5"},
		{"%(v)s %(v)ld", 7, "7 7"},
		{"100%% %(v)s", "x", "100% x"},
		{"%(v)s", []int{1, 2}, "[1 2]"},
		{"%(v)s", errors.New("boom"), "boom"},
		{"%(v)d", uint64(1 << 63), "9223372036854775808"},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			f := newRef(t, Options{Format: tt.format})
			r := refRecord()
			r.Entry.Data["v"] = tt.value
			if got := format(f, r); got != tt.want {
				t.Errorf("%s %% %#v = %q, want %q", tt.format, tt.value, got, tt.want)
			}
		})
	}
}

// TestBraceSpecs checks the format-spec mini-language against Python's
// format(value, spec).
func TestBraceSpecs(t *testing.T) {
	tests := []struct {
		spec  string
		value any
		want  string
	}{
		{"08,", 1234, "0,001,234"},
		{"08,", -1234, "-001,234"},
		{"09,", -1234, "-0,001,234"},
		{"010,", 1234, "00,001,234"},
		{"<05", 1234, "12340"},
		{"05", -1234, "-1234"},
		{"=+8", 1234, "+   1234"},
		{"^5", 1234, "1234 "},
		{"#x", -1234, "-0x4d2"},
		{"#o", 1234, "0o2322"},
		{"_b", 1234, "100_1101_0010"},
		{"08_x", 1234, "000_04d2"},
		{"08_x", -1234, "-00_04d2"},
		{",", -1234, "-1,234"},
		{"_", 1234, "1_234"},
		{"d", 4242, "4242"},
		{"X", 255, "FF"},
		{"#X", 255, "0XFF"},
		{"c", 65, "A"},
		{"", 99.0, "99.0"},
		{"", 1e16, "1e+16"},
		{"", 1e15, "1000000000000000.0"},
		{".3", 99.0, "99.0"},
		{".3", 123.0, "1.23e+02"},
		{".3", 0.5, "0.5"},
		{".3", 1e-5, "1e-05"},
		{".2", 99.0, "9.9e+01"},
		{".0", 0.5, "0.5"},
		{".1", 12.0, "1e+01"},
		{">10", negZero, "      -0.0"},
		{"08.2f", 99.0, "00099.00"},
		{"08.2f", negZero, "-0000.00"},
		{"08.2f", 1234567.891, "1234567.89"},
		{",.2f", 1234567.891, "1,234,567.89"},
		{"e", 1234567.891, "1.234568e+06"},
		{".0e", 0.5, "5e-01"},
		{"#.0e", 12.0, "1.e+01"},
		{"g", 1234567.891, "1.23457e+06"},
		{"g", negZero, "-0"},
		{"#g", 99.0, "99.0000"},
		{"#g", 1e-5, "1.00000e-05"},
		{"#.3g", 123.0, "123."},
		{"%", 0.5, "50.000000%"},
		{".1%", 1e-5, "0.0%"},
		{"n", 1234567.891, "1.23457e+06"},
		{"010", 1e-5, "000001e-05"},
		{"010", 0.5, "00000000.5"},
		{"+", 12.0, "+12.0"},
		{"08,.1f", 99.0, "00,099.0"},
		{"08,.1f", 1234567.891, "1,234,567.9"},
		{"#.0f", 99.0, "99."},
		{"=10", negZero, "-      0.0"},
		{"08.2f", inf, "00000inf"},
		{"F", inf, "INF"},
		{"05", "ab", "ab000"},
		{"<5", "ab", "ab   "},
		{"^6", "ab", "  ab  "},
		{">6", "ab", "    ab"},
		{".2", "abc", "ab"},
		{"x^7.3", "abcd", "xxabcxx"},
		{"*^7", "é", "***é***"},
		{"é>4", "a", "ééé" + "a"},
		{">5", true, "    1"},
		{"", true, "True"},
		{"", nil, "None"},
		{"03.0f", 678.0, "678"},
		{"d", "42", "42"},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			f := newRef(t, Options{Format: "{v:" + tt.spec + "}", Style: "{"})
			r := refRecord()
			r.Entry.Data["v"] = tt.value
			if got := format(f, r); got != tt.want {
				t.Errorf("format(%#v, %q) = %q, want %q", tt.value, tt.spec, got, tt.want)
			}
		})
	}
}

var (
	inf     = 1 / zero()
	negZero = math.Copysign(0, -1)
)

func zero() float64 { return 0 }

func TestBraceConversions(t *testing.T) {
	tests := []struct{ format, want string }{
		{"{v!r:>7}", "   'x's"[:0] + "  \"x's\""},
		{"{v!s}", "x's"},
		{"{v!a}", `"x's"`},
		{"{{{v}}}", "{x's}"},
		{"{process:d} {msecs:03.0f} {lineno:>4}", "4242 678    9"},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			f := newRef(t, Options{Format: tt.format, Style: "{"})
			r := refRecord()
			r.Entry.Data["v"] = "x's"
			if got := format(f, r); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDollarStyle(t *testing.T) {
	tests := []struct{ format, want string }{
		{"$levelname ${name}: $message", "INFO demo.sub: hello world"},
		{"$$ $v$$ ${v}x $v_1", "$ 42$ 42x 7"},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			f := newRef(t, Options{Format: tt.format, Style: "$"})
			r := refRecord()
			r.Entry.Data["v"], r.Entry.Data["v_1"] = 42, 7
			if got := format(f, r); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestValidation checks the errors Python raises when building a
// Formatter, word for word (python3.11 logging.Formatter(fmt, style=...)).
func TestValidation(t *testing.T) {
	tests := []struct {
		format, style string
		skip          bool
		want          string
	}{
		{"%(message)", "%", false, "Invalid format '%(message)' for '%' style"},
		{"hello", "%", false, "Invalid format 'hello' for '%' style"},
		{"%%", "%", false, "Invalid format '%%' for '%' style"},
		{"{a", "{", false, "invalid format: expected '}' before end of string"},
		{"a}", "{", false, "invalid format: Single '}' encountered in format string"},
		{"{", "{", false, "invalid format: Single '{' encountered in format string"},
		{"{a!x}", "{", false, "invalid format: invalid conversion: 'x'"},
		{"{a:zz}", "{", false, "invalid format: bad specifier: 'zz'"},
		{"{a!}", "{", false, "invalid format: unmatched '{' in format spec"},
		{"{a!rr}", "{", false, "invalid format: expected ':' after conversion specifier"},
		{"{a:", "{", false, "invalid format: unmatched '{' in format spec"},
		{"{}", "{", false, "invalid format: no fields"},
		{"hello", "{", false, "invalid format: no fields"},
		{"$", "$", false, "invalid format: bare '$' not allowed"},
		{"a $1", "$", false, "invalid format: bare '$' not allowed"},
		{"${a", "$", false, "invalid format: bare '$' not allowed"},
		{"hello", "$", false, "invalid format: no fields"},
		{"$$", "$", false, "invalid format: no fields"},
		{"x", "?", false, "Style must be one of: %,{,$"},
		// Python accepts these when validating and fails on every record;
		// they are rejected up front.
		{"%(message)s %(bad", "%", false, "invalid format: incomplete format key"},
		{"%(message)z", "%", false, "Invalid format '%(message)z' for '%' style"},
		{"%(message)s %(x)z", "%", false, "invalid format: unsupported format character 'z' (0x7a) at index 16"},
		{"%(message)S", "%", false, "invalid format: unsupported format character 'S' (0x53) at index 10"},
		{"%(message)s %", "%", false, "invalid format: incomplete format"},
		{"%(message)s %s", "%", false, "invalid format: %s at index 12 has no key: a record is a mapping, write %(name)s"},
		{"%(message)*d", "%", false, "invalid format: '*' width or precision needs positional arguments, which a record does not have"},
		{"{0}", "{", false, "invalid format: positional field {0}: a record has only named attributes"},
		{"{a.b}", "{", false, "invalid format: field expression 'a.b' is not supported: name an attribute"},
		{"{a:{b}}", "{", false, "invalid format: nested fields in the format spec '{b}' is not supported"[:0] + "invalid format: nested fields in the format spec '{b}' are not supported"},
		{"{a:,x}", "{", true, "invalid format: bad specifier: ',x'"},
		{"{a!x}", "{", true, "invalid format: Unknown conversion specifier x"},
		{"a $1", "$", true, "invalid format: Invalid placeholder in string: line 1, col 3"},
		{"x\nab$", "$", true, "invalid format: Invalid placeholder in string: line 2, col 3"},
		{"100%", "%", true, "invalid format: incomplete format"},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			_, err := NewPython(Options{Format: tt.format, Style: tt.style, SkipValidation: tt.skip})
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("got  %q\nwant %q", err.Error(), tt.want)
			}
			if !errors.Is(err, ErrFormat) && !errors.Is(err, ErrStyle) {
				t.Errorf("%v wraps neither ErrFormat nor ErrStyle", err)
			}
		})
	}
	// Without validation, formats without fields are fine, as in Python.
	for _, style := range []string{"%", "{", "$"} {
		f, err := NewPython(Options{Format: "plain {{ text", Style: style, SkipValidation: true})
		if err != nil {
			t.Fatalf("style %s: %v", style, err)
		}
		want := map[string]string{"%": "plain {{ text", "{": "plain { text", "$": "plain {{ text"}[style]
		if got := format(f, refRecord()); got != want {
			t.Errorf("style %s: got %q, want %q", style, got, want)
		}
	}
}

// TestMissingField checks that a field the record lacks renders from the
// defaults, else empty, and is reported once per field, never losing the line.
func TestMissingField(t *testing.T) {
	var mu sync.Mutex
	var reports []string
	onError := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		reports = append(reports, err.Error())
	}
	f := newRef(t, Options{
		Name:     "aws",
		Format:   "%(levelname)s [%(request_id)s] [%(user)5s] [%(env)s] %(message)s",
		Defaults: map[string]any{"env": "dev"},
		OnError:  onError,
	})
	r := refRecord()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 10 {
				if got, want := format(f, r), "INFO [] [     ] [dev] hello world"; got != want {
					t.Errorf("got %q, want %q", got, want)
				}
			}
		})
	}
	wg.Wait()
	want := []string{
		`formatter "aws": Formatting field not found in record: 'request_id' (printed as best it could; reported once)`,
		`formatter "aws": Formatting field not found in record: 'user' (printed as best it could; reported once)`,
	}
	if len(reports) != 2 || !(reports[0] == want[0] && reports[1] == want[1] || reports[0] == want[1] && reports[1] == want[0]) {
		t.Errorf("reports = %q, want %q", reports, want)
	}
	// A record that has the field uses it; the defaults come after it.
	r.Entry.Data["request_id"], r.Entry.Data["user"], r.Entry.Data["env"] = "r1", "bob", "prod"
	if got, want := format(f, r), "INFO [r1] [  bob] [prod] hello world"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	// A filter's attribute shadows a logrus field of the same name.
	r.Set("env", "staging")
	if got, want := format(f, r), "INFO [r1] [  bob] [staging] hello world"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestBadValueReported(t *testing.T) {
	var reports []string
	f := newRef(t, Options{Format: "%(n)d %(message)s", OnError: func(err error) { reports = append(reports, err.Error()) }})
	r := refRecord()
	r.Entry.Data["n"] = "many"
	for range 3 {
		if got, want := format(f, r), "many hello world"; got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
	if len(reports) != 1 || !strings.Contains(reports[0], "field 'n': cannot format 'many' with %d") {
		t.Errorf("reports = %q", reports)
	}
}

// TestErrorAppend checks the traceback rule: an error attached with
// WithError is appended on a new line, unless the format prints it.
func TestErrorAppend(t *testing.T) {
	tests := []struct {
		format string
		err    error
		want   string
	}{
		{"%(message)s", errors.New("boom"), "hello world\nboom"},
		{"%(message)s", nil, "hello world"},
		{"%(message)s", errors.New(""), "hello world"},
		{"%(message)s\n", errors.New("boom"), "hello world\nboom"},
		{"%(message)s error=%(error)s", errors.New("boom"), "hello world error=boom"},
		{"%(message)s %(exc_text)s", errors.New("boom"), "hello world boom"},
		{"%(message)s %(exc_text)s", nil, "hello world None"},
		{"%(message)s %(user)s", nil, "hello world alice"},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			f := newRef(t, Options{Format: tt.format})
			r := refRecord()
			r.Entry.Data["user"] = "alice"
			if tt.err != nil {
				r.Entry.Data[logrus.ErrorKey] = tt.err
			}
			if got := format(f, r); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCallerAttributes(t *testing.T) {
	tests := []struct {
		format string
		frame  *runtime.Frame
		want   string
		caller bool
	}{
		{"%(pathname)s:%(lineno)d %(funcName)s %(module)s %(filename)s",
			&runtime.Frame{File: "/src/app/srv/server.go", Line: 42, Function: "github.com/x/app/srv.(*Server).handle"},
			"/src/app/srv/server.go:42 (*Server).handle server server.go", true},
		{"%(funcName)s", &runtime.Frame{File: "/a/main.go", Line: 1, Function: "main.createStudent"}, "createStudent", true},
		{"%(funcName)s", &runtime.Frame{File: "/a/main.go", Line: 1, Function: "main.main.func1"}, "main.func1", true},
		{"%(pathname)s %(lineno)d %(funcName)s %(module)s", nil, "(unknown file) 0 (unknown function) (unknown file)", true},
		{"%(name)s %(message)s", nil, "demo.sub hello world", false},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			f := newRef(t, Options{Format: tt.format})
			if f.UsesCaller() != tt.caller {
				t.Errorf("UsesCaller() = %v, want %v", f.UsesCaller(), tt.caller)
			}
			r := refRecord()
			r.Caller = tt.frame
			if got := format(f, r); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestThread(t *testing.T) {
	f, err := NewPython(Options{Format: "%(thread)d %(threadName)s"})
	if err != nil {
		t.Fatal(err)
	}
	got := format(f, refRecord())
	id, name, _ := strings.Cut(got, " ")
	if id == "0" || name != "Goroutine-"+id {
		t.Errorf("got %q, want the goroutine id and Goroutine-<id>", got)
	}
}

// TestTimeCache checks that records from different seconds, in any order
// and from many goroutines, each get their own second.
func TestTimeCache(t *testing.T) {
	f := newRef(t, Options{Format: "%(asctime)s"})
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			r := refRecord()
			for i := range 200 {
				d := time.Duration((i*7+g)%50) * 1100 * time.Millisecond
				r.Entry.Time = refTime.Add(d)
				want := r.Entry.Time.UTC().Format("2006-01-02 15:04:05,000")
				if got := format(f, r); got != want {
					t.Errorf("got %q, want %q", got, want)
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestDefaultsStyles(t *testing.T) {
	for _, style := range []string{"", "%", "{", "$"} {
		f, err := NewPython(Options{Style: style})
		if err != nil {
			t.Fatal(err)
		}
		if got := format(f, refRecord()); got != "hello world" {
			t.Errorf("style %q: got %q", style, got)
		}
	}
}
