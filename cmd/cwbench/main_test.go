package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"strings"
	"testing"
)

// TestMain lets the test binary serve as the server child, as the command
// does: startChild runs os.Executable.
func TestMain(m *testing.M) {
	if os.Getenv(serveEnv) != "" {
		serveChild()
	}
	os.Exit(m.Run())
}

// TestAccounting runs tiny loads in every mode and checks the accounting
// line: every logged event is delivered, dropped or rejected, and what the
// handler says it delivered is what the server stored.
func TestAccounting(t *testing.T) {
	cases := []struct {
		name  string
		args  []string
		check func(t *testing.T, r report)
	}{
		{"handler child", []string{"-n", "2000", "-g", "4"}, func(t *testing.T, r report) {
			if r.Delivered != 2000 || r.ServerSaw != 2000 || r.Dropped != 0 || r.Batches < 1 {
				t.Errorf("want all 2000 delivered and stored: %+v", r)
			}
			if r.Server != "child/cwlocal" || r.Sink != "cwlocal" || r.ServerCPU <= 0 {
				t.Errorf("the server should be a child with its own CPU: %+v", r)
			}
		}},
		{"handler in process, no caller", []string{"-n", "2000", "-g", "3", "-inproc", "-caller=false"}, func(t *testing.T, r report) {
			if r.Delivered != 2000 || r.ServerSaw != 2000 || strings.Contains(r.Format, "pathname") {
				t.Errorf("want all 2000 delivered, without caller fields: %+v", r)
			}
		}},
		{"ceiling", []string{"-mode", "ceiling", "-n", "20000"}, func(t *testing.T, r report) {
			// About 8,000 events of the seed line fill 1 MiB: three calls.
			if r.Delivered != 20000 || r.ServerSaw != 20000 || r.Batches > 3 {
				t.Errorf("want 20000 delivered in full batches: %+v", r)
			}
		}},
		{"outage drops and counts", []string{"-outage", "-n", "5000", "-g", "2", "-queue-bytes", "65536"}, func(t *testing.T, r report) {
			if r.Delivered != 0 || r.Dropped != 5000 {
				t.Errorf("in an outage nothing is delivered and all is dropped: %+v", r)
			}
			if r.P99 <= 0 || r.Max < r.P99 || r.MaxRSS <= 0 || r.RSSBound <= 65536 {
				t.Errorf("want latency percentiles and RSS samples: %+v", r)
			}
		}},
		{"handler null sink", []string{"-n", "3000", "-g", "4", "-sink", "null"}, func(t *testing.T, r report) {
			if r.Delivered != 3000 || r.ServerSaw != 3000 || r.Dropped != 0 || r.Batches < 1 {
				t.Errorf("want all 3000 delivered and counted by the null sink: %+v", r)
			}
			if r.Server != "child/null" || r.Sink != "null" || r.ServerCPU <= 0 {
				t.Errorf("the server should be the null sink in a child with its own CPU: %+v", r)
			}
			if r.BytesPerBatch != -1 || r.BodyPerBatch <= float64(len(seedLine))*r.EventsPerBatch {
				t.Errorf("want request body bytes per batch, CloudWatch's measure unknown: %+v", r)
			}
		}},
		{"handler null sink in process", []string{"-n", "2000", "-g", "2", "-sink", "null", "-inproc"}, func(t *testing.T, r report) {
			if r.Delivered != 2000 || r.ServerSaw != 2000 || r.Server != "inproc/null" {
				t.Errorf("want all 2000 delivered and counted in process: %+v", r)
			}
		}},
		{"ceiling null sink", []string{"-mode", "ceiling", "-n", "20000", "-sink", "null"}, func(t *testing.T, r report) {
			if r.Delivered != 20000 || r.ServerSaw != 20000 || r.Batches > 3 || r.Server != "child/null" {
				t.Errorf("want 20000 delivered in full batches and counted: %+v", r)
			}
		}},
		{"outage null sink", []string{"-outage", "-n", "5000", "-g", "2", "-queue-bytes", "65536", "-sink", "null"}, func(t *testing.T, r report) {
			if r.Delivered != 0 || r.Dropped != 5000 || r.ServerSaw != 0 || r.Sink != "null" {
				t.Errorf("in an outage nothing is delivered or counted, and all is dropped: %+v", r)
			}
			if r.P99 <= 0 || r.Max < r.P99 || r.MaxRSS <= 0 {
				t.Errorf("want latency percentiles and RSS samples: %+v", r)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			if err := run(append(c.args, "-json", "-warmup", "100"), &out, &errb); err != nil {
				t.Fatalf("run: %v\n%s%s", err, out.String(), errb.String())
			}
			var r report
			if err := json.Unmarshal(out.Bytes(), &r); err != nil {
				t.Fatalf("-json line %q: %v", out.String(), err)
			}
			if !r.Exact || r.Logged != r.Delivered+r.Dropped+r.Rejected || r.Logged != int64(r.N) {
				t.Errorf("accounting not exact: %+v", r)
			}
			c.check(t, r)
		})
	}
}

func TestReportLine(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"-n", "1000", "-g", "2", "-inproc", "-warmup", "0"}, &out, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"events/s delivered", "per million events", "peak RSS", "PutLogEvents",
		"logged 1000 = delivered 1000 + dropped 0 + rejected 0; server stored 1000: exact"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
}

func TestFlags(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"-mode", "x"}, `-mode "x"`},
		{[]string{"-n", "0"}, "must be positive"},
		{[]string{"-outage", "-mode", "ceiling"}, "-outage"},
		{[]string{"extra"}, "unexpected"},
		{[]string{"-sink", "dev/null"}, `-sink "dev/null"`},
		{[]string{"-sink", "null", "-server", "http://127.0.0.1:1"}, "-sink null"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			_, err := parse(c.args, &bytes.Buffer{})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want an error containing %q", err, c.want)
			}
		})
	}
}

func TestHistQuantiles(t *testing.T) {
	var h hist
	for i := int64(1); i <= 1000; i++ {
		h.add(i * 1000) // 1µs .. 1ms
	}
	cases := []struct {
		q        float64
		lo, high int64
	}{
		{0.5, 500_000, 500_000 * 9 / 8},
		{0.99, 990_000, 990_000 * 9 / 8},
		{1, 1_000_000, 1_000_000},
	}
	for _, c := range cases {
		if got := int64(h.quantile(c.q)); got < c.lo || got > c.high {
			t.Errorf("q%v = %d, want %d..%d", c.q, got, c.lo, c.high)
		}
	}
}

// TestNullSink checks the null sink's answers and counts directly: only
// PutLogEvents is counted, every event once, whatever its message holds.
func TestNullSink(t *testing.T) {
	s, err := startNull(false)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	post := func(target, body string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, s.URL(), strings.NewReader(body))
		if target != "" {
			req.Header.Set("X-Amz-Target", target)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode == http.StatusOK && resp.Header.Get("Content-Type") != "application/x-amz-json-1.1" {
			t.Errorf("content type %q", resp.Header.Get("Content-Type"))
		}
		return resp.StatusCode, string(b)
	}
	// Messages and names holding the key itself, escaped as JSON requires.
	put := `{"logEvents":[{"message":"a \"timestamp\": 1","timestamp":1700000000000},` +
		`{"message":"{\"timestamp\":2}","timestamp":1700000000001},{"message":"c","timestamp":1700000000002}],` +
		`"logGroupName":"g\"timestamp\":","logStreamName":"s"}`
	for _, c := range []struct {
		target, body string
		code         int
	}{
		{"Logs_20140328.CreateLogGroup", `{"logGroupName":"g"}`, 200},
		{"Logs_20140328.CreateLogStream", `{"logGroupName":"g","logStreamName":"s"}`, 200},
		{"Logs_20140328.PutLogEvents", put, 200},
		{"Logs_20140328.DescribeLogStreams", `{"logGroupName":"g"}`, 200},
		{"", put, 400},
		{"Other_20140328.PutLogEvents", put, 400},
	} {
		code, body := post(c.target, c.body)
		if code != c.code || code == 200 && body != "{}" {
			t.Errorf("%q: %d %q, want %d", c.target, code, body, c.code)
		}
	}
	if st := s.stats(); st.Batches != 1 || st.Events != 3 || st.Bytes != int64(len(put)) {
		t.Errorf("stats %+v, want 1 batch, 3 events, %d bytes", st, len(put))
	}
}

// TestNullSinkHang checks the outage mode: PutLogEvents hangs until Close
// and is not counted; the other calls are answered.
func TestNullSinkHang(t *testing.T) {
	s, err := startNull(true)
	if err != nil {
		t.Fatal(err)
	}
	do := func(op, body string) error {
		req, _ := http.NewRequest(http.MethodPost, s.URL(), strings.NewReader(body))
		req.Header.Set("X-Amz-Target", "Logs_20140328."+op)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				err = fmt.Errorf("status %d", resp.StatusCode)
			}
		}
		return err
	}
	if err := do("CreateLogStream", `{}`); err != nil {
		t.Fatalf("CreateLogStream in an outage: %v", err)
	}
	got := make(chan error, 1)
	go func() { got <- do("PutLogEvents", `{"logEvents":[{"message":"m","timestamp":1}]}`) }()
	for s.hanging.Load() == 0 { // until the call is held
		select {
		case err := <-got:
			t.Fatalf("PutLogEvents answered during the outage: %v", err)
		default:
			runtime.Gosched()
		}
	}
	s.Close()
	if err := <-got; err == nil {
		t.Error("PutLogEvents released by Close should get no answer")
	}
	if st := s.stats(); st.Batches != 0 || st.Events != 0 {
		t.Errorf("a hung call was counted: %+v", st)
	}
}
