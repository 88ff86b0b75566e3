package logging

import (
	"context"
	_ "embed"
	"time"
	"weak"

	"github.com/sirupsen/logrus"
	"github.com/spf13/viper"

	"github.com/logdict/logging/core"
)

// Level is a Python logging level number; see [core.Level].
type Level = core.Level

// The Python levels, and TRACE for logrus's Trace.
const (
	NOTSET   = core.NOTSET
	TRACE    = core.TRACE
	DEBUG    = core.DEBUG
	INFO     = core.INFO
	WARNING  = core.WARNING
	ERROR    = core.ERROR
	CRITICAL = core.CRITICAL
)

var std = New()

// Default returns the registry the package functions use.
func Default() *Registry { return std }

// Configure reads a dictConfig file (TOML, YAML or JSON, chosen by its
// extension) through Viper and applies it to the default registry. See
// [Registry.ConfigureMap] for what happens on error: nothing changes.
func Configure(path string) error { return std.Configure(path) }

// ConfigureMap applies an already decoded dictConfig dict to the default
// registry.
func ConfigureMap(cfg map[string]any) error { return std.ConfigureMap(cfg) }

// ConfigureViper applies the section key (such as "logging") of an
// application's Viper to the default registry. When v read a file, the file
// is read again so that logger names keep their case, which Viper loses.
func ConfigureViper(v *viper.Viper, key string) error { return std.ConfigureViper(v, key) }

// Get returns the logger called name from the default registry; "" and
// "root" are the root logger. It may be called before Configure (a
// package-level `var log = logging.Get("app.db")`): the logger follows
// every later configuration. Mind disable_existing_loggers, true by
// default as in Python: a logger that exists when Configure runs and is
// neither named in the configuration nor below a named logger is disabled.
func Get(name string) *logrus.Logger { return std.Get(name) }

// Shutdown flushes and closes every handler of the default registry within
// ctx, and returns what could not be delivered.
func Shutdown(ctx context.Context) error { return std.Shutdown(ctx) }

// Handler returns the handler called name in the default registry's
// configuration, or nil. Type-assert it to reach a handler's own methods,
// such as the CloudWatch handler's Stats.
func Handler(name string) core.Handler { return std.Handler(name) }

// Handler returns the handler called name in the current configuration,
// or nil.
func (r *Registry) Handler(name string) core.Handler {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, h := range r.handlers {
		if h.name == name {
			return h.sink
		}
	}
	return nil
}

// Flush asks every handler of the default registry to deliver what it
// holds, within ctx.
func Flush(ctx context.Context) error { return std.Flush(ctx) }

// ConfigureBytes applies a configuration held in memory (an embedded file,
// say) in format "toml", "yaml" or "json" to the default registry.
func ConfigureBytes(b []byte, format string) error { return std.ConfigureBytes(b, format) }

// ConfigureBytes applies a configuration held in memory, read through Viper.
func (r *Registry) ConfigureBytes(b []byte, format string) error {
	tree, err := readBytes(b, format)
	if err != nil {
		return err
	}
	return r.ConfigureMap(tree)
}

//go:embed config.example.toml
var seedConfig []byte

// SeedConfig returns config.example.toml: the seed's Django LOGGING dict
// ported (the aws formatter, the watchtower CloudWatch handler on the
// watchtower logger, a console handler and the ENV fields filter). The
// demo command runs on it.
func SeedConfig() []byte { return append([]byte(nil), seedConfig...) }

// Configure reads a dictConfig file through Viper and applies it.
func (r *Registry) Configure(path string) error {
	tree, err := readFile(path)
	if err != nil {
		return err
	}
	return r.ConfigureMap(tree)
}

// ConfigureViper applies the section key of an application's Viper.
func (r *Registry) ConfigureViper(v *viper.Viper, key string) error {
	tree, err := fromViper(v, key)
	if err != nil {
		return err
	}
	return r.ConfigureMap(tree)
}

// Critical logs at CRITICAL without exiting: logrus's Fatal would call
// os.Exit after logging.
func Critical(l logrus.FieldLogger, args ...any) {
	switch x := l.(type) {
	case *logrus.Logger:
		x.Log(logrus.FatalLevel, args...)
	case *logrus.Entry:
		x.Log(logrus.FatalLevel, args...)
	default:
		l.WithField(LevelKey, CRITICAL).Error(args...)
	}
}

// exitTimeout bounds the flush that runs before a logrus Fatal exits.
const exitTimeout = 5 * time.Second

// registerExit makes logrus's Fatal (and logrus.Exit) flush and close this
// registry's handlers before the process exits.
func (r *Registry) registerExit() {
	r.exitOnce.Do(func() {
		// Weak, so that logrus's global list of exit handlers, which only
		// grows, does not keep registries that are no longer used alive.
		wr := weak.Make(r)
		logrus.RegisterExitHandler(func() {
			r := wr.Value()
			if r == nil {
				return
			}
			ctx, cancel := context.WithTimeout(context.Background(), exitTimeout)
			defer cancel()
			if err := r.Shutdown(ctx); err != nil {
				r.report.report(err)
			}
		})
	})
}
