package logging_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	logging "github.com/logdict/logging"
)

// log/slog into a dictConfig: the slog logger is the registry's logger
// app.db, so its level, filters, handlers and propagation apply. Attributes
// and groups are fields; %(pathname)s and %(lineno)d would name the slog
// call.
func ExampleRegistry_Slog() {
	r := logging.New(logging.WithStdout(os.Stdout))
	err := r.ConfigureMap(map[string]any{
		"version": 1,
		"formatters": map[string]any{
			"f": map[string]any{"format": "%(levelname)s %(name)s %(message)s host=%(host)s"},
		},
		"handlers": map[string]any{
			"text": map[string]any{"class": "stream", "stream": "ext://sys.stdout", "formatter": "f"},
		},
		"loggers": map[string]any{
			"app": map[string]any{"level": "INFO", "handlers": []any{"text"}},
		},
	})
	if err != nil {
		panic(err)
	}
	log := r.Slog("app.db").With("host", "db1")
	log.Debug("not shown: app is at INFO")
	log.Info("connected", slog.Group("pool", "size", 4))
	log.Log(context.Background(), slog.LevelInfo+2, "between INFO and WARNING")
	log.Error("lost connection")
	// Output:
	// INFO app.db connected host=db1
	// Level 25 app.db between INFO and WARNING host=db1
	// ERROR app.db lost connection host=db1
}

// Slog's levels map to Python's.
func ExampleFromSlogLevel() {
	for _, l := range []slog.Level{slog.LevelDebug - 2, slog.LevelDebug, slog.LevelInfo, slog.LevelInfo + 2, slog.LevelWarn, slog.LevelError, slog.LevelError + 4} {
		fmt.Println(l, logging.FromSlogLevel(l))
	}
	// Output:
	// DEBUG-2 TRACE
	// DEBUG DEBUG
	// INFO INFO
	// INFO+2 Level 25
	// WARN WARNING
	// ERROR ERROR
	// ERROR+4 CRITICAL
}
