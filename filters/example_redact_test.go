package filters_test

import (
	"fmt"

	"github.com/logdict/logging/core"
	"github.com/logdict/logging/filters"
	"github.com/sirupsen/logrus"
)

// A Redact filter masks credentials in the message and in fields before any
// formatter sees them; the logrus entry itself is left alone.
func ExampleRedact() {
	f, err := filters.NewRedact(filters.RedactOptions{Patterns: []string{`card=(\d+)`}})
	if err != nil {
		panic(err)
	}
	e := &logrus.Entry{
		Message: "login password=hunter2 card=4111111111111111 key AKIAIOSFODNN7EXAMPLE",
		Data:    logrus.Fields{"user": "arya", "api_key": "k-123"},
	}
	r := &core.Record{Entry: e, Name: "app", Level: core.INFO}
	f.Filter(r)
	user, _ := r.Get("user")
	key, _ := r.Get("api_key")
	fmt.Println(r.Message())
	fmt.Println(user, key)
	fmt.Println(e.Data["api_key"])
	// Output:
	// login password=[REDACTED] card=[REDACTED] key [REDACTED]
	// arya [REDACTED]
	// k-123
}
