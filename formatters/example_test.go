package formatters_test

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"time"

	"github.com/logdict/logging/core"
	"github.com/logdict/logging/formatters"
	"github.com/sirupsen/logrus"
)

func record() *core.Record {
	e := &logrus.Entry{
		Time:    time.Date(2024, 1, 2, 3, 4, 5, 678000000, time.UTC),
		Level:   logrus.InfoLevel,
		Message: "student created",
		Data:    logrus.Fields{"env": "prod"},
	}
	return &core.Record{
		Entry: e, Name: "app.students", Level: core.INFO,
		Caller: &runtime.Frame{File: "/src/app/students.go", Line: 87, Function: "main.createStudent"},
	}
}

// The seed's format, as dictConfig would build it.
func ExampleNewPython() {
	f, err := formatters.NewPython(formatters.Options{
		Format:     "%(asctime)s [%(levelname)-8s] %(message)s [%(pathname)s:%(lineno)d] env=%(env)s",
		DateFormat: "%Y-%m-%d %H:%M:%S",
		Location:   time.UTC,
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(string(f.Format(nil, record())))
	fmt.Println(f.UsesCaller())
	// Output:
	// 2024-01-02 03:04:05 [INFO    ] student created [/src/app/students.go:87] env=prod
	// true
}

func ExampleNewPython_braceStyle() {
	f, _ := formatters.NewPython(formatters.Options{
		Format:   "{asctime} {levelname:<8} {name:>14} | {funcName}: {message!r}",
		Style:    "{",
		Location: time.UTC,
	})
	r := record()
	r.Entry.Data[logrus.ErrorKey] = errors.New("disk full")
	fmt.Println(string(f.Format(nil, r)))
	// Output:
	// 2024-01-02 03:04:05,678 INFO       app.students | createStudent: 'student created'
	// disk full
}

func ExampleNewPython_validation() {
	_, err := formatters.NewPython(formatters.Options{Format: "%(message)"})
	fmt.Println(err)
	_, err = formatters.NewPython(formatters.Options{Format: "plain", Style: "{"})
	fmt.Println(err)
	// Output:
	// Invalid format '%(message)' for '%' style
	// invalid format: no fields
}

func ExampleFactory() {
	f, err := formatters.Factory(core.NewParams("formatters.aws", map[string]any{
		"format": "%(levelname)s %(message)s %(request_id)s",
		"style":  "%",
	}), &core.Env{Name: "aws", Stderr: os.Stdout})
	if err != nil {
		panic(err)
	}
	fmt.Printf("%q\n", f.Format(nil, record()))
	_, err = formatters.Factory(core.NewParams("formatters.aws", map[string]any{"style": "x"}), &core.Env{})
	fmt.Println(err)
	// Output:
	// logdict: formatter "aws": Formatting field not found in record: 'request_id' (printed as best it could; reported once)
	// "INFO student created "
	// formatters.aws.style: bad value: Style must be one of: %,{,$ (got "x")
}

func ExampleNewJSON() {
	j, _ := formatters.NewJSON(formatters.JSONOptions{Location: time.UTC})
	fmt.Println(string(j.Format(nil, record())))
	// Output:
	// {"time":"2024-01-02T03:04:05.678Z","level":"INFO","logger":"app.students","message":"student created","env":"prod"}
}

// A formatter on a plain logrus logger.
func ExampleLogrus() {
	f, _ := formatters.NewPython(formatters.Options{Format: "%(levelname)s:%(name)s:%(message)s"})
	l := logrus.New()
	l.SetOutput(os.Stdout)
	l.SetFormatter(formatters.Logrus(f))
	l.Warn("disk almost full")
	// Output:
	// WARNING:root:disk almost full
}
