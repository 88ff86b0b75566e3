package logging

import (
	"os"
	"sort"
	"strings"

	"github.com/logdict/logging/core"
)

// DefaultEnvPrefix is the prefix of the environment variables that override
// logger levels when a configuration is applied; see [Registry.SetEnvPrefix].
const DefaultEnvPrefix = "LOGGING_LEVEL"

// SetEnvPrefix sets the prefix of the environment variables that override
// logger levels each time r is configured ("" turns overrides off). The
// default is [DefaultEnvPrefix], so that with no call at all
//
//	LOGGING_LEVEL=INFO                  the root logger's level
//	LOGGING_LEVEL_root=INFO             the same
//	LOGGING_LEVEL_app=DEBUG             loggers.app.level
//	LOGGING_LEVEL_django__request=DEBUG loggers."django.request".level
//
// Two underscores stand for a dot; the rest of the name after the prefix and
// one underscore is the logger's name, with its case (LOGGING_LEVEL_MyApp
// is the logger MyApp; "root" in any case is the root logger). The value is
// any level the file accepts (DEBUG, warn, 15...). An empty value is
// ignored, as if the variable were not set.
//
// Precedence: the environment beats the file. An override replaces the
// level the file gives the logger, and a logger the file does not name is
// added to the configuration with that level alone (so, as for any logger a
// configuration names, its handlers are those of the file: none). The
// variables are read at every Configure, ConfigureMap, ConfigureViper and
// reload by [Registry.Watch], so an override stays in force across reloads. A
// value that is not a level makes the configuration fail, with an error
// naming the variable (env LOGGING_LEVEL_app: unknown level "LOUD" ...), and
// the previous configuration stays in effect.
//
// SetEnvPrefix is safe for concurrent use; it takes effect at the next
// configuration.
func (r *Registry) SetEnvPrefix(prefix string) { r.envPrefixVal.Store(&prefix) }

// SetEnvPrefix sets the environment prefix of the default registry; see
// [Registry.SetEnvPrefix].
func SetEnvPrefix(prefix string) { std.SetEnvPrefix(prefix) }

func (r *Registry) envPrefix() string {
	if p := r.envPrefixVal.Load(); p != nil {
		return *p
	}
	return DefaultEnvPrefix
}

// envLevel is one override: the variable, the logger it names ("" for the
// root) and the level it gives.
type envLevel struct {
	variable string
	logger   string
	level    string
}

// envLevels returns the overrides that environ (os.Environ's form) holds
// for prefix, sorted by variable, and the problems with them.
func envLevels(prefix string, environ []string) ([]envLevel, error) {
	if prefix == "" {
		return nil, nil
	}
	var out []envLevel
	var errs errList
	for _, kv := range environ {
		name, value, ok := strings.Cut(kv, "=")
		if !ok || !strings.HasPrefix(name, prefix) {
			continue
		}
		rest := name[len(prefix):]
		var logger string
		switch {
		case rest == "":
			logger = ""
		case rest[0] == '_':
			logger = strings.ReplaceAll(rest[1:], "__", ".")
			if strings.EqualFold(logger, "root") {
				logger = ""
			}
		default:
			continue // LOGGING_LEVELS, LOGGING_LEVELX: another variable
		}
		value = strings.TrimSpace(value)
		if value == "" {
			continue
		}
		if _, err := core.ParseLevel(value); err != nil {
			errs.add("env "+name, err)
			continue
		}
		out = append(out, envLevel{variable: name, logger: logger, level: value})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].variable < out[j].variable })
	if err := errs.join(); err != nil {
		// The same order whatever the environment's order, for tests and
		// for users comparing two runs.
		e := err.(*Error)
		sort.Slice(e.Errs, func(i, j int) bool { return e.Errs[i].Error() < e.Errs[j].Error() })
		return nil, e
	}
	return out, nil
}

// applyEnvLevels writes the environment's level overrides into a prepared
// configuration tree (prepare's copy, which belongs to the caller and may
// be changed). It is called by ConfigureMap between prepare and
// parseConfig, so the overrides are checked like any level of the file.
func (r *Registry) applyEnvLevels(tree map[string]any) error {
	overrides, err := envLevels(r.envPrefix(), os.Environ())
	if err != nil {
		return err
	}
	// For the root, LOGGING_LEVEL_root is more specific than LOGGING_LEVEL
	// and wins; sorted order puts it last.
	for _, o := range overrides {
		if sec := envSection(tree, o.logger); sec != nil {
			sec["level"] = o.level
		}
	}
	return nil
}

// envSection returns the table of tree that configures logger ("" for the
// root), adding it when the file has none. It returns nil when the file's
// own table is malformed: parseConfig reports that, by its key path.
func envSection(tree map[string]any, logger string) map[string]any {
	if logger == "" {
		// The root may be configured as root, or as loggers.root or
		// loggers."" (where root wins): change the one that is used, or
		// adding a root table would silently drop the file's root.
		sec, ok := tableAt(tree, "root")
		if !ok || sec != nil {
			return sec
		}
		if loggers, ok := tableAt(tree, "loggers"); ok && loggers != nil {
			for _, k := range []string{"root", ""} {
				if sec, ok := tableAt(loggers, k); !ok || sec != nil {
					return sec
				}
			}
		}
		return addTable(tree, "root")
	}
	loggers, ok := tableAt(tree, "loggers")
	if !ok {
		return nil
	}
	if loggers == nil {
		loggers = addTable(tree, "loggers")
	}
	if sec, ok := tableAt(loggers, logger); !ok {
		return nil
	} else if sec != nil {
		return sec
	}
	return addTable(loggers, logger)
}

// tableAt returns m[key] as a table: (table, true) when it is one, (nil,
// true) when it is absent or null, and (nil, false) when it is something
// else.
func tableAt(m map[string]any, key string) (map[string]any, bool) {
	v, present := m[key]
	if !present || v == nil {
		return nil, true
	}
	t, ok := v.(map[string]any)
	if !ok {
		return nil, false
	}
	return t, true
}

func addTable(m map[string]any, key string) map[string]any {
	t := map[string]any{}
	m[key] = t
	return t
}
