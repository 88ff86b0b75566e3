package logging

import "strings"

// djangoDefaultLogging is django.utils.log.DEFAULT_LOGGING (Django 4.2–5.x),
// which django.setup() applies before a project's LOGGING.
const djangoDefaultLogging = `
version = 1
disable_existing_loggers = false

[filters.require_debug_false]
"()" = "django.utils.log.RequireDebugFalse"
[filters.require_debug_true]
"()" = "django.utils.log.RequireDebugTrue"

[formatters."django.server"]
"()" = "django.utils.log.ServerFormatter"
format = "[{server_time}] {message}"
style = "{"

[handlers.console]
level = "INFO"
filters = ["require_debug_true"]
class = "logging.StreamHandler"
[handlers."django.server"]
level = "INFO"
class = "logging.StreamHandler"
formatter = "django.server"
[handlers.mail_admins]
level = "ERROR"
filters = ["require_debug_false"]
class = "django.utils.log.AdminEmailHandler"

[loggers.django]
handlers = ["console", "mail_admins"]
level = "INFO"
[loggers."django.server"]
handlers = ["django.server"]
level = "INFO"
propagate = false
`

// DjangoDefaultLogging returns Django's DEFAULT_LOGGING as a dictConfig
// dict: the django logger printing INFO and above to stderr when DEBUG is
// on and mailing ERROR and above to the admins when it is off, and
// django.server printing "[time] message". DEBUG is [filters.SetDebug], or
// DJANGO_DEBUG / DEBUG in the environment; the admins and mail server come
// from the environment as the AdminEmailHandler class documents.
func DjangoDefaultLogging() map[string]any {
	tree, err := decodeTOML([]byte(djangoDefaultLogging))
	if err != nil {
		panic(err) // a constant: cannot fail
	}
	return tree
}

// djangoPrefix names the default objects ConfigureDjango keeps next to a
// project's own, so they cannot clash with the project's names.
const djangoPrefix = "django.default."

// ConfigureDjango configures the default registry as django.setup() does:
// Django's DEFAULT_LOGGING, then the project's LOGGING from path on top.
func ConfigureDjango(path string) error { return std.ConfigureDjango(path) }

// ConfigureDjango applies Django's DEFAULT_LOGGING and then the
// configuration in path (a ported LOGGING; empty path: the defaults alone),
// as django.setup() does.
//
// In Django the second dictConfig leaves the default handlers attached to
// the django loggers the project does not configure, so with
// disable_existing_loggers false, errors are still mailed to the admins and
// django.server still prints requests. This reproduces that: those loggers
// keep Django's handlers (renamed "django.default.<name>"), unless the
// project configures them or an ancestor of them, which resets them, as in
// Python. With disable_existing_loggers true they are disabled, as in Django.
func (r *Registry) ConfigureDjango(path string) error {
	defaults := DjangoDefaultLogging()
	if path == "" {
		return r.ConfigureMap(defaults)
	}
	user, err := readFile(path)
	if err != nil {
		return err
	}
	// The default loggers exist before the project's configuration runs,
	// so disable_existing_loggers applies to them as in Django.
	for name := range defaults["loggers"].(map[string]any) {
		r.Get(name)
	}
	return r.ConfigureMap(mergeDjango(defaults, user))
}

// mergeDjango adds to the project's dict the default loggers it leaves
// alone, with their handlers, filters and formatters under prefixed names.
func mergeDjango(defaults, user map[string]any) map[string]any {
	if v, ok := user["disable_existing_loggers"]; !ok || v != false {
		return user
	}
	if inc, _ := user["incremental"].(bool); inc {
		return user
	}
	out := deepCopy(user).(map[string]any)
	userLoggers, _ := out["loggers"].(map[string]any)
	named := sortedKeys(userLoggers) // the project's own, before any is added
	covered := func(name string) bool {
		for _, n := range named {
			if n == name || strings.HasPrefix(name, n+".") {
				return true
			}
		}
		return false
	}
	table := func(key string) map[string]any {
		m, ok := out[key].(map[string]any)
		if !ok {
			m = map[string]any{}
			out[key] = m
		}
		return m
	}
	dh := defaults["handlers"].(map[string]any)
	df := defaults["filters"].(map[string]any)
	dfm := defaults["formatters"].(map[string]any)
	for name, spec := range defaults["loggers"].(map[string]any) {
		if covered(name) {
			continue
		}
		ls := deepCopy(spec).(map[string]any)
		var hs []any
		for _, h := range ls["handlers"].([]any) {
			hname := h.(string)
			hs = append(hs, djangoPrefix+hname)
			hspec := deepCopy(dh[hname]).(map[string]any)
			if f, ok := hspec["formatter"].(string); ok {
				table("formatters")[djangoPrefix+f] = deepCopy(dfm[f])
				hspec["formatter"] = djangoPrefix + f
			}
			if fl, ok := hspec["filters"].([]any); ok {
				for i, f := range fl {
					table("filters")[djangoPrefix+f.(string)] = deepCopy(df[f.(string)])
					fl[i] = djangoPrefix + f.(string)
				}
			}
			table("handlers")[djangoPrefix+hname] = hspec
		}
		ls["handlers"] = hs
		if userLoggers == nil {
			userLoggers = table("loggers")
		}
		userLoggers[name] = ls
	}
	return out
}
