// Command djangoport converts the LOGGING dict of a Django settings file
// into a logdict TOML configuration:
//
//	go run ./cmd/djangoport settings.py > config.toml
//	cat settings.py | go run ./cmd/djangoport - > config.toml
//
// Given a path, it follows the settings file's imports of the project's own
// modules (from .base import *; see djangoport.ConvertPath); standard input
// is converted alone. The TOML goes to standard output (or to the file
// named by -o); each warning goes to standard error as FILE:LINE: message,
// naming the file that holds the line (settings/base.py:12). The exit
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
	iofs "io/fs"
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
	var r *djangoport.Result
	var err error
	if in == "-" {
		label := "<stdin>"
		if *name != "" {
			label = *name
		}
		var src []byte
		src, err = io.ReadAll(stdin)
		if err != nil {
			fmt.Fprintln(stderr, "djangoport:", err)
			return 1
		}
		r, err = djangoport.Convert(src, label)
	} else {
		r, err = djangoport.ConvertPath(in, *name)
	}
	if err != nil {
		var pathErr *iofs.PathError
		if errors.As(err, &pathErr) {
			err = fmt.Errorf("djangoport: %w", err)
		}
		fmt.Fprintln(stderr, err)
		return 1
	}
	for _, w := range r.Warnings {
		if w.Line > 0 {
			fmt.Fprintf(stderr, "%s:%d: %s\n", w.File, w.Line, w.Msg)
		} else {
			fmt.Fprintf(stderr, "%s: %s\n", w.File, w.Msg)
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
