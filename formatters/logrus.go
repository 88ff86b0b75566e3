package formatters

import (
	"bytes"
	"fmt"

	"github.com/logdict/logging/core"
	"github.com/sirupsen/logrus"
)

// FromLogrus wraps one of logrus's formatters as a [core.Formatter]. The
// logrus formatter sees a copy of the entry whose fields include the
// attributes filters set on the record; its trailing newline is removed.
// logrus's formatters print logrus's level names (info, warning) and no
// logger name, and they print the caller only for a logger with
// ReportCaller set, so the call site of a registry logger is not shown.
// The result is as safe for concurrent use as f (logrus's own are).
func FromLogrus(f logrus.Formatter) core.Formatter { return &fromLogrus{f: f} }

type fromLogrus struct{ f logrus.Formatter }

func (w *fromLogrus) Format(dst []byte, r *core.Record) []byte {
	e := *r.Entry // the entry is shared with other hooks: never write to it
	e.Buffer = nil
	e.Message = r.Message() // as a filter may have rewritten it
	if r.Len() != len(e.Data) {
		data := make(logrus.Fields, r.Len())
		r.Range(func(k string, v any) bool {
			data[k] = v
			return true
		})
		e.Data = data
	}
	b, err := w.f.Format(&e)
	if err != nil {
		// A field that cannot be encoded: keep the message rather than lose it.
		return fmt.Appendf(dst, "%s (logrus formatter: %v)", r.Message(), err)
	}
	return append(dst, bytes.TrimRight(b, "\n")...)
}

// Logrus adapts f to logrus's Formatter so that a plain logrus logger can
// use it: logger.SetFormatter(formatters.Logrus(f)). Records are named
// "root"; a newline ends each line. Formats that print the call site need
// logger.SetReportCaller(true).
func Logrus(f core.Formatter) logrus.Formatter { return toLogrus{f: f} }

type toLogrus struct{ f core.Formatter }

func (a toLogrus) Format(e *logrus.Entry) ([]byte, error) {
	r := core.NewRecord(e)
	if e.Buffer == nil {
		return append(a.f.Format(nil, r), '\n'), nil
	}
	// Format into logrus's pooled buffer, so that it grows to fit and is
	// reused by the next entry.
	out := append(a.f.Format(e.Buffer.AvailableBuffer(), r), '\n')
	e.Buffer.Write(out)
	return e.Buffer.Bytes(), nil
}

// LogrusTextFactory builds logrus's TextFormatter. Keys (logrus's fields in
// snake case): force_colors, disable_colors, force_quote, disable_quote,
// environment_override_colors, disable_timestamp, full_timestamp,
// timestamp_format (a Go layout, as logrus takes), disable_sorting,
// disable_level_truncation, pad_level_text, quote_empty_fields, field_map
// (table: time, msg, level, logrus_error, func, file -> key).
func LogrusTextFactory(p *core.Params, env *core.Env) (core.Formatter, error) {
	f := &logrus.TextFormatter{
		ForceColors:               p.Bool("force_colors", false),
		DisableColors:             p.Bool("disable_colors", false),
		ForceQuote:                p.Bool("force_quote", false),
		DisableQuote:              p.Bool("disable_quote", false),
		EnvironmentOverrideColors: p.Bool("environment_override_colors", false),
		DisableTimestamp:          p.Bool("disable_timestamp", false),
		FullTimestamp:             p.Bool("full_timestamp", false),
		TimestampFormat:           p.String("timestamp_format", ""),
		DisableSorting:            p.Bool("disable_sorting", false),
		DisableLevelTruncation:    p.Bool("disable_level_truncation", false),
		PadLevelText:              p.Bool("pad_level_text", false),
		QuoteEmptyFields:          p.Bool("quote_empty_fields", false),
		FieldMap:                  fieldMap(p),
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return FromLogrus(f), nil
}

// LogrusJSONFactory builds logrus's JSONFormatter. Keys: timestamp_format
// (a Go layout), disable_timestamp, disable_html_escape, data_key,
// pretty_print, field_map (as for [LogrusTextFactory]).
func LogrusJSONFactory(p *core.Params, env *core.Env) (core.Formatter, error) {
	f := &logrus.JSONFormatter{
		TimestampFormat:   p.String("timestamp_format", ""),
		DisableTimestamp:  p.Bool("disable_timestamp", false),
		DisableHTMLEscape: p.Bool("disable_html_escape", false),
		DataKey:           p.String("data_key", ""),
		PrettyPrint:       p.Bool("pretty_print", false),
		FieldMap:          fieldMap(p),
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return FromLogrus(f), nil
}

func fieldMap(p *core.Params) logrus.FieldMap {
	m := p.StringMap("field_map")
	if m == nil {
		return nil
	}
	fm := logrus.FieldMap{}
	for k, v := range m {
		// logrus's key type is unexported: only its constants can index.
		switch k {
		case "time":
			fm[logrus.FieldKeyTime] = v
		case "msg":
			fm[logrus.FieldKeyMsg] = v
		case "level":
			fm[logrus.FieldKeyLevel] = v
		case "logrus_error":
			fm[logrus.FieldKeyLogrusError] = v
		case "func":
			fm[logrus.FieldKeyFunc] = v
		case "file":
			fm[logrus.FieldKeyFile] = v
		default:
			p.Errorf("field_map", "%w %q (known: file, func, level, logrus_error, msg, time)", core.ErrUnknownKey, k)
		}
	}
	return fm
}
