package hook_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/logdict/logging/core"
	"github.com/logdict/logging/hook"
	"github.com/sirupsen/logrus"
)

// A sink works on a plain logrus logger, with no configuration.
func ExampleNewStream() {
	log := logrus.New()
	log.Out = io.Discard // the hook writes; logrus itself does not
	log.AddHook(hook.NewStream(os.Stdout, hook.StreamOptions{
		Formatter: &logrus.TextFormatter{DisableTimestamp: true},
	}))
	log.WithField("user", "ann").Info("signed in")
	// Output: level=info msg="signed in" user=ann
}

// The factories are what the root package's class table calls for a
// handlers section; ext://sys.stdout resolves through the Env.
func ExampleStreamFactory() {
	h, err := hook.StreamFactory(core.NewParams("handlers.console", map[string]any{
		"stream": "ext://sys.stdout",
	}), &core.Env{Stdout: os.Stdout})
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = h.Emit(nil, []byte("INFO ready"))
	_, err = hook.StreamFactory(core.NewParams("handlers.console", map[string]any{
		"stream": "ext://sys.stdin",
	}), &core.Env{})
	fmt.Println(err)
	// Output:
	// INFO ready
	// handlers.console.stream: bad value: ext:// reaches only sys.stdout and sys.stderr, got "ext://sys.stdin"
}

// Python's RotatingFileHandler keys are accepted as they are.
func ExampleRotatingFileFactory() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	h, err := hook.RotatingFileFactory(core.NewParams("handlers.file", map[string]any{
		"filename":    filepath.Join(dir, "app.log"),
		"maxBytes":    int64(10 << 20),
		"backupCount": int64(5),
	}), &core.Env{})
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = h.Emit(nil, []byte("hello"))
	_ = h.Close(context.Background())
	b, _ := os.ReadFile(filepath.Join(dir, "app.log"))
	st, _ := os.Stat(filepath.Join(dir, "app.log"))
	fmt.Printf("%q %v\n", b, st.Mode().Perm()&0o740)
	// Output: "hello\n" -rw-r-----
}
