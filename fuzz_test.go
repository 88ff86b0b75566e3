package logging

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"sync"
	"testing"
	"time"
)

// The configuration fuzzers feed random trees to ConfigureMap, from TOML,
// JSON or a generator of dictConfig-shaped maps. A configuration is
// untrusted input to the library: whatever it holds, Configure must not
// panic, and every error must be a *Error whose problems are ConfigErrors
// with a key path.
//
// A successful configuration builds real handlers, so the trees are made
// harmless first (see defang): no path can leave a scratch directory, no
// network sink is built, no environment variable is read.

// fuzzScratch changes into a scratch directory for one input, removed
// after it (handlers are closed by then).
func fuzzScratch(t *testing.T) { t.Chdir(t.TempDir()) }

// defang rewrites a decoded tree in place so that building it touches
// nothing outside the scratch directory: every string loses its path
// separators and ${ (so a cfg:// reference or an expansion cannot make an
// absolute file name either), and names of network handlers are broken.
// ext://sys.stdout, ext://sys.stderr and cfg:// prefixes are kept. The
// CloudWatch handler is built (it makes no call until a record comes),
// but then nothing is logged: see checkConfigure.
func defang(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = defang(e)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = defang(e)
		}
		return x
	case string:
		if x == "ext://sys.stdout" || x == "ext://sys.stderr" {
			return x
		}
		prefix := ""
		for _, p := range []string{"cfg://", "ext://"} {
			if strings.HasPrefix(x, p) {
				prefix, x = p, x[len(p):]
			}
		}
		x = strings.NewReplacer("/", "_", "\\", "_", "${", "$_", "..", "_.").Replace(x)
		low := strings.ToLower(x)
		for _, net := range []string{"syslog", "smtp", "mail", "socket", "http", "queue"} {
			if strings.Contains(low, net) {
				return prefix + "defanged"
			}
		}
		return prefix + x
	}
	return v
}

var fuzzReg struct {
	once sync.Once
	r    *Registry
}

// fuzzRegistry is one registry per process, reused: each successful
// configuration replaces the previous one, as a long-running program's
// reconfigurations do.
func fuzzRegistry() *Registry {
	fuzzReg.once.Do(func() { fuzzReg.r = New(WithStdout(io.Discard), WithStderr(io.Discard)) })
	return fuzzReg.r
}

// checkConfigure applies tree and checks the shape of any error.
func checkConfigure(t *testing.T, tree map[string]any) {
	fuzzScratch(t)
	tree = defang(tree).(map[string]any)
	r := fuzzRegistry()
	err := r.ConfigureMap(tree)
	if err == nil {
		// Log once through whatever was built (streams go to io.Discard,
		// files to the scratch directory), unless a CloudWatch handler
		// could be among it, then close it all.
		if !strings.Contains(strings.ToLower(fmt.Sprint(tree)), "cloudwatch") && !strings.Contains(strings.ToLower(fmt.Sprint(tree)), "watchtower") {
			r.Get("app.fuzz").Error("fuzz")
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = r.Shutdown(ctx)
		return
	}
	checkConfigError(t, err)
}

func checkConfigError(t *testing.T, err error) {
	t.Helper()
	var all *Error
	if !errors.As(err, &all) {
		var ce *ConfigError
		if !errors.As(err, &ce) || ce.Path == "" {
			t.Fatalf("error is neither a *Error nor a ConfigError with a path: %T %v", err, err)
		}
		return
	}
	if len(all.Errs) == 0 {
		t.Fatalf("*Error with no problems: %v", err)
	}
	for _, e := range all.Errs {
		var ce *ConfigError
		if !errors.As(e, &ce) || ce.Path == "" {
			t.Fatalf("problem %T %q has no key path (in %v)", e, e, err)
		}
	}
}

var fuzzSeeds = []string{
	`version = 1`,
	`version = 2`,
	`version = "1"`,
	`[handlers.h]
class = "logging.StreamHandler"
stream = "ext://sys.stdout"
level = "INFO"
formatter = "f"
filters = ["n"]
[formatters.f]
format = "%(asctime)s %(name)s %(levelname)-8s %(message)s"
datefmt = "%Y-%m-%d"
[filters.n]
name = "app"
[loggers."app.fuzz"]
level = "DEBUG"
handlers = ["h"]
propagate = false
[root]
level = "WARNING"
handlers = ["h"]`,
	`version = 1
incremental = true
[loggers.app]
level = "ERROR"`,
	`version = 1
disable_existing_loggers = false
[formatters.b]
style = "{"
format = "{levelname} {message} {missing}"
[formatters.d]
style = "$"
format = "${levelname} $message"
[handlers.f]
class = "logging.handlers.RotatingFileHandler"
filename = "app.log"
maxBytes = 10
backupCount = 2
formatter = "b"
[handlers.t]
class = "timed_rotating_file"
filename = "t.log"
when = "midnight"
[handlers.ref]
class = "cfg://handlers.f.class"
filename = "cfg://handlers.t.filename"
[root]
handlers = ["f", "t", "ref", "missing"]`,
	`version = 1
[filters.r]
class = "redact"
patterns = ["(", "x*", "key-(\\d+)"]
[filters.fl]
class = "fields"
fields = { env = "prod", n = 1 }
[filters.lr]
class = "level_range"
min_level = "INFO"
max_level = 99
[filters.m]
class = "match"
field = "message"
regex = "a+"
[loggers.x]
filters = ["r", "fl", "lr", "m", "nope"]`,
	`version = 1
[handlers.n]
"()" = "null"
"." = { a = 1 }
[loggers."a.b.c"]
handlers = ["n"]
level = 5
[loggers.A]
level = "nonsense"`,
}

func FuzzConfigureTOML(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte("version = 1\n" + strings.TrimPrefix(s, "version = 1\n")))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		tree, err := decodeTOML(b)
		if err != nil {
			return // not TOML: the decoder's business
		}
		checkConfigure(t, tree)
	})
}

func FuzzConfigureJSON(f *testing.F) {
	for _, s := range []string{
		`{"version": 1}`,
		`{"version": 1, "handlers": {"h": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr", "level": 10}}, "root": {"handlers": ["h"], "level": "DEBUG"}}`,
		`{"version": 1.5, "loggers": {"x": {"level": null, "handlers": "h", "propagate": "yes"}}}`,
		`{"version": 1, "formatters": {"j": {"class": "json", "fields": ["asctime", "message", "message"]}}, "handlers": {"h": {"class": "null", "formatter": "j"}}}`,
		`{"version": 1, "handlers": {"h": {"class": "file", "filename": "x.log", "mode": "w", "delay": true, "perm": "0600"}}, "root": {"handlers": ["h"]}}`,
		`{"version": 1, "root": {"handlers": [["h"]], "filters": [{}]}, "loggers": []}`,
		`{"version": 1, "filters": {"c": {"()": "callback", "callback": "ext://nothing"}}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		tree, err := decodeJSON(b)
		if err != nil {
			return
		}
		checkConfigure(t, tree)
	})
}

// genTree builds a dictConfig-shaped tree from fuzz bytes: keys from the
// schema's vocabulary (and a few strangers), values of every type a decoder
// or a Go caller can produce, including NaN, huge numbers and typed nils.
type genTree struct {
	b []byte
	i int
}

func (g *genTree) next() int {
	if g.i >= len(g.b) {
		return 0
	}
	c := int(g.b[g.i])
	g.i++
	return c
}

var genKeys = []string{
	"version", "incremental", "disable_existing_loggers", "formatters", "filters", "handlers", "loggers", "root",
	"class", "()", ".", "level", "formatter", "handlers", "filters", "propagate", "format", "datefmt", "style",
	"validate", "defaults", "stream", "filename", "mode", "name", "fields", "min_level", "max_level", "field",
	"regex", "value", "patterns", "mask", "maxBytes", "backupCount", "when", "interval", "encoding", "delay",
	"app", "app.fuzz", "h", "f", "root", "", "django.request", "A.b",
}

var genStrings = []string{
	"logging.StreamHandler", "logging.FileHandler", "logging.handlers.RotatingFileHandler", "null", "stream",
	"logging.Formatter", "json", "logrus_text", "logging.Filter", "fields", "redact", "match", "level_range",
	"require_debug_false", "watchtower.CloudWatchLogHandler", "INFO", "debug", "WARN", "NOTSET", "50", "h", "f", "app", "root", "ext://sys.stdout",
	"ext://sys.stdin", "cfg://handlers.h", "cfg://handlers[h]", "cfg://loggers.app.level", "cfg://", "%(message)s",
	"{message}", "${message}", "%(", "{", "a.log", "x", "", "true", "0640", "midnight", "W7", "(", ".*",
}

func (g *genTree) value(depth int) any {
	switch c := g.next(); c % 16 {
	case 0:
		return nil
	case 1:
		return c%2 == 0
	case 2:
		return int64(g.next()) - 64
	case 3:
		return g.next()
	case 4:
		return []float64{math.NaN(), math.Inf(1), 1e300, 0.5, -1, 1}[g.next()%6]
	case 5:
		return int64(math.MaxInt64 - g.next())
	case 6, 7, 8:
		return genStrings[g.next()%len(genStrings)]
	case 9:
		return []string{genStrings[g.next()%len(genStrings)]}
	case 10, 11:
		if depth > 5 {
			return "deep"
		}
		n := g.next() % 4
		l := make([]any, n)
		for i := range l {
			l[i] = g.value(depth + 1)
		}
		return l
	case 12:
		return map[string]string{"k": genStrings[g.next()%len(genStrings)]}
	case 13:
		return []any{map[string]any{}}
	default:
		if depth > 5 {
			return map[string]any{}
		}
		return g.tree(depth + 1)
	}
}

func (g *genTree) tree(depth int) map[string]any {
	n := g.next() % 6
	m := make(map[string]any, n)
	for range n {
		m[genKeys[g.next()%len(genKeys)]] = g.value(depth)
	}
	return m
}

func FuzzConfigureMap(f *testing.F) {
	f.Add([]byte{1, 0, 2, 1})
	f.Add([]byte{5, 0, 3, 1, 5, 14, 2, 10, 6, 0, 6, 14, 1, 11, 14, 2, 13, 6, 0, 14, 2, 12, 6, 17, 6, 2})
	f.Add([]byte("handlers-and-loggers-with-cfg-references"))
	f.Fuzz(func(t *testing.T, b []byte) {
		g := &genTree{b: b}
		tree := g.tree(0)
		if g.next()%2 == 0 {
			tree["version"] = 1
		}
		checkConfigure(t, tree)
	})
}
