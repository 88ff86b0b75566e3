package formatters

import (
	"errors"
	"time"

	"github.com/logdict/logging/core"
)

// gmt is Python's time.gmtime converter: UTC, which %Z prints as "GMT".
var gmt = time.FixedZone("GMT", 0)

// Factory builds a [Python] formatter (logging.Formatter) from its
// configuration section. Keys:
//
//	format    (alias fmt) the format string; default: the message alone
//	datefmt   strftime format of asctime
//	style     "%" (default), "{" or "$"
//	validate  check the format as Python does (default true)
//	defaults  table of values for fields a record lacks
//	utc       true: asctime in UTC (same as converter = "gmtime")
//	converter "localtime" (default) or "gmtime" (also "time.gmtime")
//
// Errors name the key: formatters.aws.style: bad value: Style must be one
// of: %,{,$ (got "x").
func Factory(p *core.Params, env *core.Env) (core.Formatter, error) {
	f, err := buildPython(p, env, false)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// ServerFactory builds Django's django.utils.log.ServerFormatter: a
// [Python] formatter whose server_time attribute is filled, when a record
// lacks it, with the time as "%d/%b/%Y %H:%M:%S,mmm" (or datefmt). Its keys
// are [Factory]'s; without format and style it prints Django's default
// "[{server_time}] {message}" in "{" style. Django's status-code colours
// are not reproduced.
func ServerFactory(p *core.Params, env *core.Env) (core.Formatter, error) {
	f, err := buildPython(p, env, true)
	if err != nil {
		return nil, err
	}
	return f, nil
}

func buildPython(p *core.Params, env *core.Env, server bool) (*Python, error) {
	fk := p.Alias("format", "fmt") // fmt: dictConfig's retry for Django's factories
	o := Options{
		Format:     p.String(fk, ""),
		DateFormat: p.String("datefmt", ""),
		Style:      p.String("style", "%"),
		Name:       envName(env),
		OnError:    envReporter(env),
		server:     server,
	}
	o.SkipValidation = !p.Bool("validate", true)
	if m := p.Map("defaults"); m != nil {
		o.Defaults = m
	}
	o.Location = location(p)
	switch o.Style {
	case "%", "{", "$":
	default:
		p.Errorf("style", "%w: %w (got %q)", core.ErrBadValue, ErrStyle, o.Style)
		o.Style = "%"
	}
	if server {
		if !p.Has(fk) && !p.Has("style") {
			o.Format, o.Style = "[{server_time}] {message}", "{"
		}
		o.DefaultTimeFormat = "%d/%b/%Y %H:%M:%S"
	}
	f, err := NewPython(o)
	if err != nil {
		key := fk
		if errors.Is(err, ErrStyle) {
			key = "style"
		}
		p.Fail(key, err)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return f, nil
}

// NewServer is Django's ServerFormatter; see [ServerFactory]. A zero
// DefaultTimeFormat becomes Django's "%d/%b/%Y %H:%M:%S".
func NewServer(o Options) (*Python, error) {
	o.server = true
	if o.DefaultTimeFormat == "" {
		o.DefaultTimeFormat = "%d/%b/%Y %H:%M:%S"
	}
	return NewPython(o)
}

// location reads utc and converter.
func location(p *core.Params) *time.Location {
	utc := p.Bool("utc", false)
	switch c := p.String("converter", ""); c {
	case "", "localtime", "time.localtime":
	case "gmtime", "time.gmtime":
		utc = true
	default:
		p.Errorf("converter", "%w: %q (want localtime or gmtime)", core.ErrBadValue, c)
	}
	if utc {
		return gmt
	}
	return nil
}

func envName(env *core.Env) string {
	if env == nil {
		return ""
	}
	return env.Name
}

// envReporter sends reports to env.OnError, else to env.Stderr, else to
// os.Stderr (nil).
func envReporter(env *core.Env) func(error) {
	switch {
	case env == nil:
		return nil
	case env.OnError != nil:
		return env.OnError
	case env.Stderr != nil:
		return stderrReporter(env.Stderr)
	}
	return nil
}
