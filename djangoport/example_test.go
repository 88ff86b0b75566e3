package djangoport_test

import (
	"fmt"

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
