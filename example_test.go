package logging_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	logging "github.com/logdict/logging"
)

// A registry configured from a dict, as Django's LOGGING is: the
// watchtower logger prints to stdout with the seed's level column, and does
// not propagate to the root.
func ExampleRegistry_ConfigureMap() {
	r := logging.New(logging.WithStdout(os.Stdout))
	err := r.ConfigureMap(map[string]any{
		"version": 1,
		"formatters": map[string]any{
			"short": map[string]any{"format": "[%(levelname)-8s] %(name)s: %(message)s"},
		},
		"handlers": map[string]any{
			"console": map[string]any{"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "short"},
		},
		"loggers": map[string]any{
			"watchtower": map[string]any{"level": "INFO", "handlers": []any{"console"}, "propagate": false},
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	log := r.Get("watchtower")
	log.Debug("below INFO: dropped")
	log.Info("Student Created: Arya Stark (PK: 4)")
	r.Get("watchtower.views").Warn("a child propagates to watchtower's handler")
	// Output:
	// [INFO    ] watchtower: Student Created: Arya Stark (PK: 4)
	// [WARNING ] watchtower.views: a child propagates to watchtower's handler
}

// Configure reads TOML, YAML or JSON through Viper. Logger names keep their
// case and dots.
func Example_configure() {
	dir, _ := os.MkdirTemp("", "logdict")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "logging.toml")
	_ = os.WriteFile(path, []byte(`
version = 1
disable_existing_loggers = false

[formatters.plain]
format = "%(name)s %(levelname)s %(message)s"

[handlers.console]
class     = "stream"
stream    = "ext://sys.stdout"
formatter = "plain"

[loggers."django.request"]
level    = "ERROR"
handlers = ["console"]

[loggers.MyApp]
level    = "DEBUG"
handlers = ["console"]
`), 0o600)

	r := logging.New(logging.WithStdout(os.Stdout))
	if err := r.Configure(path); err != nil {
		fmt.Println(err)
		return
	}
	r.Get("django.request").Warn("below ERROR: dropped")
	r.Get("django.request").Error("Internal Server Error: /students/")
	r.Get("MyApp").Debug("case kept")
	_ = r.Shutdown(context.Background())
	// Output:
	// django.request ERROR Internal Server Error: /students/
	// MyApp DEBUG case kept
}

// Every problem in a configuration is reported at once, each by its key
// path, and the previous configuration stays in effect.
func Example_errors() {
	r := logging.New()
	err := r.ConfigureMap(map[string]any{
		"version":  1,
		"handlers": map[string]any{"watchtower": map[string]any{"class": "watchtower.CloudWatchLogHandlr"}},
		"loggers": map[string]any{
			"django.request": map[string]any{"level": "VERBOSE"},
			"watchtower":     map[string]any{"propogate": false},
		},
	})
	var all *logging.Error
	if errors.As(err, &all) {
		for _, e := range all.Errs {
			var ce *logging.ConfigError
			if errors.As(e, &ce) {
				fmt.Printf("%s (unknown class: %v)\n", ce.Path, errors.Is(e, logging.ErrUnknownClass))
			}
		}
	}
	fmt.Println(errors.Is(err, logging.ErrBadLevel))
	// Output:
	// loggers."django.request".level (unknown class: false)
	// loggers.watchtower.propogate (unknown class: false)
	// handlers.watchtower.class (unknown class: true)
	// true
}
