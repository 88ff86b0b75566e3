// Package logging brings Python's logging.config.dictConfig to Go programs
// that log with logrus: named, hierarchical loggers configured from a TOML,
// YAML or JSON file shaped like a Django LOGGING dict, with the same levels,
// propagation, filters and formatting, and watchtower's CloudWatch Logs
// handler.
//
// # Configuration
//
// [Configure] reads a file through Viper and applies it; [ConfigureMap]
// takes the dict already decoded; [ConfigureViper] takes the logging section
// of an application's own Viper. The schema is dictConfig's: version (1),
// incremental, disable_existing_loggers (true by default, as in Python),
// formatters, filters, handlers, loggers and root. A section names its class
// with class or "()"; its other keys are the class's parameters. String
// values expand ${VAR}, ${VAR:-default}, ${VAR-default} and ${VAR:?message}
// from the environment ($$ is a literal $; the format of a "$"-style
// formatter is not expanded). cfg://path.to[key] refers to another part of
// the configuration; ext://sys.stdout and ext://sys.stderr are the only
// ext:// values, so a configuration file can reach no code.
//
// Names keep their case and dots: [loggers."django.request"] and
// [loggers.MyApp] are what they say, although Viper lowercases keys and
// splits them on dots.
//
// A configuration is checked and every new handler built before anything
// changes. If anything is wrong, the error lists every problem by key path
// (handlers.watchtower.class: unknown class "x" (known: ...)) and the
// previous configuration stays in effect, unlike Python, which leaves it
// half-applied. See [Error] and [ConfigError].
//
// # Hierarchy
//
// [Get] returns the *logrus.Logger called name; "" and "root" are the root.
// It may be called before Configure, typically in a package-level variable:
// the logger is the same object after every configuration. Levels follow
// Python: a logger at NOTSET takes its parent's level, the root starts at
// WARNING. A record is checked against the level, the disabled flag and the
// filters of the logger it was logged on only; it then goes to that logger's
// handlers and, while propagate is true, to each ancestor's handlers, whose
// loggers' levels and filters are not consulted. With no handler anywhere on
// the way, WARNING and above are written to stderr (Python's lastResort).
//
// Python's level names and numbers are accepted, case-insensitively, and
// logrus's names too: CRITICAL/FATAL = 50 (logrus Fatal and Panic),
// ERROR = 40, WARNING/WARN = 30, INFO = 20, DEBUG = 10, TRACE = 5 (logrus
// Trace), NOTSET = 0. %(levelname)s prints the Python names. logrus's Fatal
// exits the process; [Critical] logs at CRITICAL without exiting.
//
// disable_existing_loggers is true by default, as in Python, and it bites Go
// programs harder: every logger obtained with Get before Configure that the
// configuration neither names nor places below a named logger is disabled.
// Name your loggers in the configuration or set it to false.
//
// # Handlers
//
// Handlers are sinks (see the hook and hook/cloudwatch packages): stream,
// file, rotating_file, timed_rotating_file, null and cloudwatch, each also
// under its Python class name (logging.StreamHandler,
// watchtower.CloudWatchLogHandler, ...). Each has a level, filters and a
// formatter. Errors of a handler go to stderr, at most one line a second;
// they never reach the code that logged and never go back into the loggers.
// Register your own classes with [RegisterHandler], [RegisterFilter] and
// [RegisterFormatter].
//
// # Shutdown
//
// [Shutdown] flushes and closes every handler within a context's deadline
// and returns what could not be delivered. Reconfiguring closes the handlers
// it replaces. A logrus Fatal flushes the handlers before the process exits.
package logging
