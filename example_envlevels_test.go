package logging_test

import (
	"fmt"
	"os"

	logging "github.com/logdict/logging"
)

// envConfig sets app and django.request to ERROR; the environment
// overrides them without editing it.
var envConfig = map[string]any{
	"version": 1,
	"formatters": map[string]any{
		"f": map[string]any{"format": "%(levelname)s %(name)s: %(message)s"},
	},
	"handlers": map[string]any{
		"console": map[string]any{"class": "stream", "stream": "ext://sys.stdout", "formatter": "f"},
	},
	"loggers": map[string]any{
		"app":            map[string]any{"level": "ERROR", "handlers": []any{"console"}},
		"django.request": map[string]any{"level": "ERROR", "handlers": []any{"console"}},
	},
}

// LOGGING_LEVEL_<logger> overrides a logger's level at every
// configuration: two underscores stand for a dot, and the environment beats
// the file.
func ExampleRegistry_SetEnvPrefix() {
	os.Setenv("LOGGING_LEVEL_app", "INFO")
	os.Setenv("LOGGING_LEVEL_django__request", "DEBUG")
	defer os.Unsetenv("LOGGING_LEVEL_app")
	defer os.Unsetenv("LOGGING_LEVEL_django__request")

	r := logging.New(logging.WithStdout(os.Stdout))
	if err := r.ConfigureMap(envConfig); err != nil {
		panic(err)
	}
	r.Get("app").Info("app at INFO, from LOGGING_LEVEL_app")
	r.Get("django.request").Debug("django.request at DEBUG")

	// A value that is not a level names the variable; nothing changes.
	os.Setenv("LOGGING_LEVEL_app", "LOUD")
	fmt.Println(r.ConfigureMap(envConfig))

	// Another prefix, or "" to turn overrides off.
	r.SetEnvPrefix("")
	if err := r.ConfigureMap(envConfig); err != nil {
		panic(err)
	}
	r.Get("app").Info("not shown: app is at ERROR again, as the file says")
	r.Get("app").Error("shown")
	// Output:
	// INFO app: app at INFO, from LOGGING_LEVEL_app
	// DEBUG django.request: django.request at DEBUG
	// logging: env LOGGING_LEVEL_app: unknown level "LOUD" (known: CRITICAL, ERROR, WARNING, INFO, DEBUG, TRACE, NOTSET or a number)
	// ERROR app: shown
}
