package logging

import (
	"strconv"
	"strings"

	"github.com/logdict/logging/core"
)

// ConfigError is one problem with one key of a configuration; its Path names
// the key as it is written in TOML, such as `loggers."django.request".level`.
type ConfigError = core.ConfigError

// Sentinels that configuration errors wrap, for errors.Is.
var (
	ErrUnknownClass = core.ErrUnknownClass
	ErrUnknownKey   = core.ErrUnknownKey
	ErrBadValue     = core.ErrBadValue
	ErrBadLevel     = core.ErrBadLevel
	ErrMissing      = core.ErrMissing
	ErrUnknownRef   = core.ErrUnknownRef
)

// Error is every problem found in one configuration: Configure reports them
// all at once so they can be fixed in one pass. errors.Is and errors.As see
// each of them.
type Error struct {
	Errs []error
}

func (e *Error) Error() string {
	if len(e.Errs) == 1 {
		return "logging: " + e.Errs[0].Error()
	}
	var b strings.Builder
	b.WriteString("logging: ")
	b.WriteString(strconv.Itoa(len(e.Errs)))
	b.WriteString(" problems in the configuration:")
	for _, err := range e.Errs {
		b.WriteString("\n  ")
		b.WriteString(err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() []error { return e.Errs }
