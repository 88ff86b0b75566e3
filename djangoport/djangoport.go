package djangoport

import (
	"errors"
	"fmt"
	"sort"
)

// Result is a converted settings file: the TOML configuration, and what
// the user should know about it, by line of the settings file.
type Result struct {
	TOML     []byte
	Warnings []Warning
}

// Warning is something the conversion changed, guessed or could not do,
// at a line of the settings file (0 when it concerns the whole file).
type Warning struct {
	Line int
	Msg  string
}

// ParseError is a syntax error in the part of a settings file the
// conversion needs. Its message reads file:line:col: message.
type ParseError struct {
	File      string
	Line, Col int
	Msg       string
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
}

// ErrNoLogging is wrapped by the error Convert returns when a settings
// file has no module-level LOGGING dict (nor a dictConfig(...) call).
var ErrNoLogging = errors.New("no module-level LOGGING = {...} found")

// Convert converts the LOGGING dict of a Django settings file (Python
// source) into a logdict TOML configuration. filename is used in messages
// only. It returns a *ParseError when the statements that build LOGGING
// cannot be read, and an error wrapping [ErrNoLogging] when there is no
// LOGGING; every other problem is a [Warning], and the part it concerns is
// kept in the output as a TOML comment.
//
// Convert runs no Python: it reads literals and follows module-level names,
// environment lookups, arithmetic, paths and boto3 sessions, as described
// in the package documentation. It is safe for concurrent use; src is not
// modified or retained.
func Convert(src []byte, filename string) (*Result, error) {
	li := newLineIndex(src)
	toks := tokenize(src)
	in := &interp{src: src, li: li, names: map[string]*binding{}}
	in.execBlock(parseModule(src, toks, li), nil)
	if in.perr != nil {
		in.perr.File = filename
		return nil, in.perr
	}
	b, ok := in.names[target]
	if !ok {
		b = in.dictConfig
	}
	if b == nil {
		if in.firstErr != nil {
			in.firstErr.File = filename
			return nil, in.firstErr
		}
		if in.starImport != "" {
			return nil, fmt.Errorf("%s: %w (it may be defined by %s: convert that file)", filename, ErrNoLogging, in.starImport)
		}
		return nil, fmt.Errorf("%s: %w", filename, ErrNoLogging)
	}
	if b.v.k != vDict {
		why := b.v.why
		if why == "" {
			why = "it is a " + b.v.typeName()
		}
		return nil, fmt.Errorf("%s:%d: %s is not a dict the converter can read: %s", filename, b.line, target, why)
	}
	c := newConverter(filename, in)
	c.convert(b.v.d)
	out := c.render()
	warns := append(in.warns, c.warns...)
	sort.SliceStable(warns, func(i, j int) bool { return warns[i].Line < warns[j].Line })
	warns = dedupe(warns)
	return &Result{TOML: out, Warnings: warns}, nil
}

func dedupe(ws []Warning) []Warning {
	seen := make(map[Warning]bool, len(ws))
	out := ws[:0]
	for _, w := range ws {
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}
