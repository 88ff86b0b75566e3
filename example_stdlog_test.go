package logging_test

import (
	"log"
	"os"

	logging "github.com/logdict/logging"
)

// stdlogConfig prints the logger's name, the level and the call site, so
// the examples show that the call to the log package is what is named.
var stdlogConfig = map[string]any{
	"version": 1,
	"formatters": map[string]any{
		"f": map[string]any{"format": "%(levelname)s %(name)s: %(message)s [%(filename)s]"},
	},
	"handlers": map[string]any{
		"console": map[string]any{"class": "stream", "stream": "ext://sys.stdout", "formatter": "f"},
	},
	"root": map[string]any{"level": "INFO", "handlers": []any{"console"}},
}

// A *log.Logger for code that takes one, such as http.Server's ErrorLog:
// each line is one record at the level given, on the logger named. The
// *log.Logger has no flags: the formatter adds the time and the call site,
// which is the call to Printf, not the log package.
func ExampleRegistry_StdLog() {
	r := logging.New(logging.WithStdout(os.Stdout))
	if err := r.ConfigureMap(stdlogConfig); err != nil {
		panic(err)
	}
	errorLog := r.StdLog("http.server", logging.ERROR)
	errorLog.Printf("http: TLS handshake error from %s: EOF", "10.0.0.7:52114")
	// Output:
	// ERROR http.server: http: TLS handshake error from 10.0.0.7:52114: EOF [example_stdlog_test.go]
}

// The standard log package's own output, redirected for the life of a
// program (restore puts it back).
func ExampleRegistry_RedirectStdLog() {
	r := logging.New(logging.WithStdout(os.Stdout))
	if err := r.ConfigureMap(stdlogConfig); err != nil {
		panic(err)
	}
	restore := r.RedirectStdLog("legacy", logging.WARNING)
	defer restore()
	log.Print("written by a library that uses the log package")
	// Output:
	// WARNING legacy: written by a library that uses the log package [example_stdlog_test.go]
}
