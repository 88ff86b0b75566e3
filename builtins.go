package logging

import (
	"github.com/logdict/logging/core"
	"github.com/logdict/logging/filters"
	"github.com/logdict/logging/formatters"
	"github.com/logdict/logging/hook"
	"github.com/logdict/logging/hook/cloudwatch"
)

// The built-in classes, each under a short name and the Python (or Django,
// or watchtower) dotted name, so a ported dictConfig loads unchanged.
func init() {
	for _, c := range []struct {
		names []string
		f     core.HandlerFactory
	}{
		{[]string{"stream", "logging.StreamHandler"}, hook.StreamFactory},
		{[]string{"file", "logging.FileHandler"}, hook.FileFactory},
		{[]string{"rotating_file", "logging.handlers.RotatingFileHandler"}, hook.RotatingFileFactory},
		{[]string{"timed_rotating_file", "logging.handlers.TimedRotatingFileHandler"}, hook.TimedRotatingFileFactory},
		{[]string{"null", "logging.NullHandler"}, hook.NullFactory},
		{[]string{"cloudwatch", "watchtower", "watchtower.CloudWatchLogHandler"}, cloudwatch.Factory},
		{[]string{"smtp", "logging.handlers.SMTPHandler"}, hook.SMTPFactory},
		{[]string{"admin_email", "django.utils.log.AdminEmailHandler"}, hook.AdminEmailFactory},
		{[]string{"syslog", "logging.handlers.SysLogHandler"}, hook.SysLogFactory},
	} {
		for _, n := range c.names {
			mustRegister(RegisterHandler(n, c.f))
		}
	}
	for _, c := range []struct {
		names []string
		f     core.FilterFactory
	}{
		{[]string{"name", "logging.Filter"}, filters.NameFactory},
		{[]string{"fields"}, filters.FieldsFactory},
		{[]string{"level_range"}, filters.LevelRangeFactory},
		{[]string{"match"}, filters.MatchFactory},
		{[]string{"require_debug_false", "django.utils.log.RequireDebugFalse"}, filters.RequireDebugFalseFactory},
		{[]string{"require_debug_true", "django.utils.log.RequireDebugTrue"}, filters.RequireDebugTrueFactory},
		{[]string{"callback", "django.utils.log.CallbackFilter"}, filters.CallbackFactory},
		{[]string{"redact", "redaction"}, filters.RedactFactory},
	} {
		for _, n := range c.names {
			mustRegister(RegisterFilter(n, c.f))
		}
	}
	for _, c := range []struct {
		names []string
		f     core.FormatterFactory
	}{
		{[]string{"formatter", "python", "logging.Formatter"}, formatters.Factory},
		{[]string{"django_server", "django.utils.log.ServerFormatter"}, formatters.ServerFactory},
		{[]string{"json"}, formatters.JSONFactory},
		{[]string{"logrus_text", "logrus.TextFormatter"}, formatters.LogrusTextFactory},
		{[]string{"logrus_json", "logrus.JSONFormatter"}, formatters.LogrusJSONFactory},
	} {
		for _, n := range c.names {
			mustRegister(RegisterFormatter(n, c.f))
		}
	}
}
