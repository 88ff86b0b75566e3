package djangoport

import logging "github.com/logdict/logging"

// known reports whether the logging library has class cls for kind
// ("handlers", "filters", "formatters"): the built-ins and any class the
// program registered before converting. A section naming one is kept as it
// is; any other class is Python code, and its section is commented out.
func known(kind, cls string) bool {
	for _, c := range logging.Classes(kind) {
		if c == cls {
			return true
		}
	}
	return false
}

// alternatives name a built-in that does the job of a well-known Python
// class the library does not have.
var alternatives = map[string]string{
	"logging.handlers.WatchedFileHandler":       `class = "logging.FileHandler" (it does not reopen a file moved away by logrotate: use "logging.handlers.RotatingFileHandler" to rotate in-process)`,
	"rich.logging.RichHandler":                  `class = "logging.StreamHandler"`,
	"colorlog.StreamHandler":                    `class = "logging.StreamHandler"`,
	"logging.handlers.QueueHandler":             `the handler it feeds directly: every library handler already writes without blocking the caller on the network`,
	"logging.handlers.MemoryHandler":            `the target handler directly`,
	"pythonjsonlogger.jsonlogger.JsonFormatter": `"()" = "json", the library's JSON formatter`,
	"pythonjsonlogger.json.JsonFormatter":       `"()" = "json", the library's JSON formatter`,
	"json_log_formatter.JSONFormatter":          `"()" = "json", the library's JSON formatter`,
	"colorlog.ColoredFormatter":                 `"()" = "logging.Formatter" (without colours)`,
	"watchtower.CloudWatchLogFormatter":         `"()" = "json", the library's JSON formatter`,
}

// Handler keys the CloudWatch handler refuses, with what to do instead.
var watchtowerRefused = map[string]string{
	"json_serialize_default": "formatting belongs to the formatter: use a json formatter",
	"add_log_record_attrs":   "formatting belongs to the formatter: use a json formatter",
}

// botoKeys map boto3 Session and client arguments to the CloudWatch
// handler's keys.
var botoKeys = []struct{ boto, key string }{
	{"region_name", "region"},
	{"profile_name", "profile"},
	{"aws_access_key_id", "aws_access_key_id"},
	{"aws_secret_access_key", "aws_secret_access_key"},
	{"aws_session_token", "aws_session_token"},
	{"endpoint_url", "endpoint_url"},
}

func isWatchtower(class string) bool {
	return class == "watchtower.CloudWatchLogHandler" || class == "cloudwatch" || class == "watchtower"
}

// Keys Python reads from sections that have no "()" factory; it silently
// ignores every other key there.
var (
	topKeys       = []string{"version", "incremental", "disable_existing_loggers", "formatters", "filters", "handlers", "loggers", "root"}
	loggerKeys    = []string{"level", "propagate", "filters", "handlers"}
	formatterKeys = []string{"format", "datefmt", "style", "validate", "defaults", "class"}
	filterKeys    = []string{"name"}
)
