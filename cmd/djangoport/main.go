// Command djangoport converts the LOGGING dict of a Django settings file
// into a logdict TOML configuration:
//
//	go run ./cmd/djangoport settings.py > config.toml
//	cat settings.py | go run ./cmd/djangoport - > config.toml
//
// The TOML goes to standard output (or to the file named by -o); each
// warning goes to standard error as settings.py:LINE: message. The exit
// status is 0 when the file was converted, even with warnings, 1 when it
// could not be (a syntax error is reported as file:line:col), and 2 for a
// usage error. See package github.com/logdict/logging/djangoport for what
// is converted and how.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/logdict/logging/djangoport"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is the command, with its streams; it returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("djangoport", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("o", "", "write the TOML to `file` instead of standard output")
	name := fs.String("name", "", "the file `name` to use in messages (default: the input's name, <stdin> for -)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: djangoport [-o config.toml] [-name settings.py] settings.py|-")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	in := fs.Arg(0)
	var src []byte
	var err error
	label := in
	if in == "-" {
		label = "<stdin>"
		src, err = io.ReadAll(stdin)
	} else {
		src, err = os.ReadFile(in)
	}
	if *name != "" {
		label = *name
	}
	if err != nil {
		fmt.Fprintln(stderr, "djangoport:", err)
		return 1
	}
	r, err := djangoport.Convert(src, label)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	for _, w := range r.Warnings {
		if w.Line > 0 {
			fmt.Fprintf(stderr, "%s:%d: %s\n", label, w.Line, w.Msg)
		} else {
			fmt.Fprintf(stderr, "%s: %s\n", label, w.Msg)
		}
	}
	if *out != "" {
		if err := os.WriteFile(*out, r.TOML, 0o644); err != nil {
			fmt.Fprintln(stderr, "djangoport:", err)
			return 1
		}
		return 0
	}
	if _, err := stdout.Write(r.TOML); err != nil {
		fmt.Fprintln(stderr, "djangoport:", err)
		return 1
	}
	return 0
}
