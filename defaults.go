package logging

import "github.com/logdict/logging/core"

// messageFormatter is Python's default Formatter: %(message)s, with an
// error from WithError on the next line.
type messageFormatter struct{}

func (messageFormatter) Format(dst []byte, r *core.Record) []byte { return appendMessage(dst, r) }

func defaultFormatter() core.Formatter { return messageFormatter{} }
