package logging_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/sirupsen/logrus"

	logging "github.com/logdict/logging"
)

// Live reload: Watch applies the file, then every change to it. A change
// that does not apply (here, an unknown level) is reported and the previous
// configuration stays; the next good change applies.
func ExampleRegistry_Watch() {
	dir, _ := os.MkdirTemp("", "watch")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "logging.toml")
	write := func(level string) {
		conf := `version = 1
[formatters.short]
format = "%(levelname)s %(name)s: %(message)s"
[handlers.console]
class = "logging.StreamHandler"
stream = "ext://sys.stdout"
formatter = "short"
[loggers.app]
level = "` + level + `"
handlers = ["console"]
`
		if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
			panic(err)
		}
	}
	write("INFO")

	r := logging.New(logging.WithStdout(os.Stdout))
	ctx, stop := context.WithCancel(context.Background())
	reports := make(chan error, 1)
	done := make(chan error, 1)
	go func() { done <- r.Watch(ctx, path, func(err error) { reports <- err }) }()

	app := r.Get("app")
	waitFor := func(cond func() bool) {
		for deadline := time.Now().Add(5 * time.Second); !cond() && time.Now().Before(deadline); {
			time.Sleep(time.Millisecond)
		}
	}
	waitFor(func() bool { return app.IsLevelEnabled(logrus.InfoLevel) })
	app.Debug("not shown: app is at INFO")
	app.Info("configured")

	write("LOUD")
	err := <-reports
	fmt.Println(err != nil)
	app.Info("still at INFO")

	write("DEBUG")
	waitFor(func() bool { return app.IsLevelEnabled(logrus.DebugLevel) })
	app.Debug("reloaded: app is at DEBUG")

	stop()
	fmt.Println(<-done)
	// Output:
	// INFO app: configured
	// true
	// INFO app: still at INFO
	// DEBUG app: reloaded: app is at DEBUG
	// <nil>
}
