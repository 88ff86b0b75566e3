package djangoport_test

import (
	"fmt"
	"testing/fstest"

	"github.com/logdict/logging/djangoport"
)

func ExampleConvert() {
	settings := `
import os

ENV = os.environ.get("ENV", "local")

LOGGING = {
    "version": 1,
    "handlers": {
        "watchtower": {
            "class": "watchtower.CloudWatchLogHandler",
            "log_group": "CWOSLogs",
            "stream_name": f"logs-{ENV}",
        },
    },
    "loggers": {
        "watchtower": {"handlers": ["watchtower"], "propogate": False},
    },
}
`
	r, err := djangoport.Convert([]byte(settings), "settings.py")
	if err != nil {
		panic(err)
	}
	fmt.Print(string(r.TOML))
	for _, w := range r.Warnings {
		fmt.Printf("settings.py:%d: %.60s...\n", w.Line, w.Msg)
	}
	// Output:
	// # Converted from a Django settings file by djangoport.
	// version = 1
	//
	// [handlers.watchtower]
	// class       = "watchtower.CloudWatchLogHandler"
	// log_group   = "CWOSLogs"
	// stream_name = "logs-${ENV:-local}"
	//
	// [loggers.watchtower]
	// handlers  = ["watchtower"]
	// # djangoport: "propogate" corrected to "propagate" (Python silently ignored the misspelt key)
	// propagate = false
	// settings.py:12: handlers.watchtower.stream_name: `f"logs-{ENV}"` → "logs-${E...
	// settings.py:16: loggers.watchtower: "propogate" is not a key Python reads in...
}

func ExampleConvertFile() {
	fsys := fstest.MapFS{
		"settings/base.py": {Data: []byte(`
LEVEL = "INFO"
LOGGING = {
    "version": 1,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"app": {"level": LEVEL, "propogate": True}},
    "root": {"handlers": ["console"], "level": "INFO"},
}
`)},
		"settings/production.py": {Data: []byte(`from .base import *

LOGGING["root"]["level"] = "WARNING"
LOGGING["loggers"]["django"] = {"level": LEVEL}
`)},
	}
	r, err := djangoport.ConvertFile(fsys, "settings/production.py")
	if err != nil {
		panic(err)
	}
	fmt.Print(string(r.TOML))
	for _, w := range r.Warnings {
		fmt.Printf("%s:%d: %.80s...\n", w.File, w.Line, w.Msg)
	}
	// Output:
	// # Converted from a Django settings file by djangoport.
	// version = 1
	//
	// [handlers.console]
	// class = "logging.StreamHandler"
	//
	// [loggers.app]
	// level     = "INFO"
	// # djangoport: "propogate" corrected to "propagate" (Python silently ignored the misspelt key)
	// propagate = true
	//
	// [loggers.django]
	// level = "INFO"
	//
	// [root]
	// handlers = ["console"]
	// level    = "WARNING"
	// settings/production.py:4: loggers.django.level: `LEVEL` → "INFO" (from LEVEL (line 2 of settings/base.py))...
	// settings/base.py:6: loggers.app.level: `LEVEL` → "INFO" (from LEVEL (line 2 of settings/base.py))...
	// settings/base.py:6: loggers.app: "propogate" is not a key Python reads in a logger (did you mean pro...
}
