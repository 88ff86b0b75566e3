package filters_test

import (
	"fmt"

	"github.com/logdict/logging/core"
	"github.com/logdict/logging/filters"
	"github.com/sirupsen/logrus"
)

// A filter section of a configuration, as the root package hands it to the
// factory: the name filter passes a logger and its descendants.
func ExampleNameFactory() {
	f, err := filters.NameFactory(core.NewParams("filters.app_only", map[string]any{"name": "app"}), &core.Env{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, name := range []string{"app", "app.db", "apple", "root"} {
		r := &core.Record{Entry: &logrus.Entry{}, Name: name, Level: core.INFO}
		fmt.Println(name, f.Filter(r))
	}
	// Output:
	// app true
	// app.db true
	// apple false
	// root false
}

// The seed's CloudwatchLoggingFilter set record.env; the fields filter does it
// from configuration.
func ExampleFieldsFactory() {
	f, _ := filters.FieldsFactory(core.NewParams("filters.env", map[string]any{
		"fields": map[string]any{"env": "staging"},
	}), &core.Env{})
	r := &core.Record{Entry: &logrus.Entry{Message: "hi"}, Name: "app", Level: core.INFO}
	f.Filter(r)
	env, _ := r.Get("env")
	fmt.Println(env)
	// Output: staging
}

// Errors name the key path, so a typo is found in one pass.
func ExampleCallbackFactory() {
	filters.RegisterCallback("no_health_checks", func(r *core.Record) bool {
		return r.Message() != "GET /health"
	})
	_, err := filters.CallbackFactory(core.NewParams("filters.quiet", map[string]any{
		"callback": "no_health_check",
	}), &core.Env{})
	fmt.Println(err)
	// Output:
	// filters.quiet.callback: unknown reference: unknown callback "no_health_check": did you mean "no_health_checks"? (known: no_health_checks, skip_health, tag)
}
