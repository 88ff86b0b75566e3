package logging

import (
	"bytes"
	"fmt"
	"log"
	"os"
	"reflect"
	"runtime"
	"testing"
)

// stdlogConfig sends app's records at INFO and above to the capture "c",
// and everything of "noisy" below ERROR nowhere.
const stdlogConfig = `version = 1
[formatters.f]
format = "%(levelname)s %(name)s %(message)s @%(filename)s:%(lineno)d %(funcName)s"
[handlers.c]
class = "test.SlogCapture"
key = "@c"
formatter = "f"
[loggers.app]
level = "INFO"
handlers = ["c"]
`

func TestStdLog(t *testing.T) {
	r, _ := newReg(t)
	configureTOML(t, r, stdlogConfig)
	c := captureFor(runKey(t, "c"))
	fn := "TestStdLog"

	_, _, line, _ := runtime.Caller(0)
	r.StdLog("app.http", ERROR).Printf("http: TLS handshake error from %s", "10.0.0.1")
	r.StdLog("app", WARNING).Print("two\nlines")
	r.StdLog("app", DEBUG).Println("below app's level")
	r.StdLog("app", 25).Println("custom")
	r.StdLog("app", INFO).Print("")

	want := []string{
		fmt.Sprintf("ERROR app.http http: TLS handshake error from 10.0.0.1 @stdlog_test.go:%d %s", line+1, fn),
		fmt.Sprintf("WARNING app two\nlines @stdlog_test.go:%d %s", line+2, fn),
		fmt.Sprintf("Level 25 app custom @stdlog_test.go:%d %s", line+4, fn),
		fmt.Sprintf("INFO app  @stdlog_test.go:%d %s", line+5, fn),
	}
	var got []string
	for _, rc := range c.records() {
		got = append(got, rc.printed)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestRedirectStdLog(t *testing.T) {
	// The log package's default logger is process-wide: this test must not
	// run in parallel with others that use it.
	r, _ := newReg(t)
	configureTOML(t, r, stdlogConfig)
	c := captureFor(runKey(t, "c"))

	var before bytes.Buffer
	log.SetOutput(&before)
	log.SetFlags(log.LstdFlags | log.Lshortfile)
	log.SetPrefix("svc: ")
	t.Cleanup(func() {
		log.SetOutput(os.Stderr)
		log.SetFlags(log.LstdFlags)
		log.SetPrefix("")
	})

	restore := r.RedirectStdLog("app.legacy", INFO)
	_, _, line, _ := runtime.Caller(0)
	log.Printf("user %d logged in", 4)
	restore()
	log.Print("after restore")

	want := []string{fmt.Sprintf("INFO app.legacy svc: user 4 logged in @stdlog_test.go:%d TestRedirectStdLog", line+1)}
	var got []string
	for _, rc := range c.records() {
		got = append(got, rc.printed)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if log.Flags() != log.LstdFlags|log.Lshortfile || log.Writer() != &before || log.Prefix() != "svc: " {
		t.Errorf("restore left flags %d, prefix %q", log.Flags(), log.Prefix())
	}
	if !bytes.Contains(before.Bytes(), []byte("svc: ")) || !bytes.Contains(before.Bytes(), []byte("after restore")) {
		t.Errorf("after restore the log package wrote %q elsewhere", before.String())
	}
}

func TestStdLogDisabledCostsNothing(t *testing.T) {
	if builtWithRace() {
		t.Skip("allocation counts differ under -race")
	}
	r, _ := newReg(t)
	configureTOML(t, r, stdlogConfig)
	l := r.StdLog("app", DEBUG)
	// log.Logger formats into its own pooled buffer; the writer drops the
	// line before making a string of it.
	if n := testing.AllocsPerRun(100, func() { l.Print("dropped") }); n != 0 {
		t.Errorf("a line below the logger's level allocates %v times", n)
	}
}
