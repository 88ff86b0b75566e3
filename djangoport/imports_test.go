package djangoport_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	logging "github.com/logdict/logging"
	"github.com/logdict/logging/djangoport"
)

// writeTree writes files (slash paths relative to a new temporary folder)
// and returns the folder.
func writeTree(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func convertIn(t testing.TB, dir, name string) *djangoport.Result {
	t.Helper()
	r, err := djangoport.ConvertFile(os.DirFS(dir), name)
	if err != nil {
		t.Fatalf("ConvertFile(%s): %v", name, err)
	}
	return r
}

func warningsText(r *djangoport.Result) string {
	var b strings.Builder
	for _, w := range r.Warnings {
		fmt.Fprintf(&b, "%s:%d: %s\n", w.File, w.Line, w.Msg)
	}
	return b.String()
}

// findWarning returns the warning at file:line whose message contains msg.
func findWarning(t *testing.T, r *djangoport.Result, file string, line int, msg string) {
	t.Helper()
	for _, w := range r.Warnings {
		if w.File == file && w.Line == line && strings.Contains(w.Msg, msg) {
			return
		}
	}
	t.Errorf("no warning %s:%d: ...%s...; got:\n%s", file, line, msg, warningsText(r))
}

func seedSource(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "seed_settings.py"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// productionEdits is what a settings/production.py adds after
// `from .base import *` (line 1) and a blank line: its line 3 is the first.
const productionEdits = `LOGGING["handlers"]["watchtower"]["stream_name"] = f"logs-{ENV}"
LOGGING["root"] = {"handlers": ["console"], "level": "WARNING"}
LOGGING["root"]["level"] = "INFO"
LOGGING["loggers"].update({"django": {"handlers": ["console"], "level": "ERROR"}})
LOGGING.update(disable_existing_loggers=True)
`

// TestStarImportEqualsOneFile splits the seed into base.py and a
// production.py that star-imports it and edits LOGGING: the output is the
// one of the same statements in one file, with each line's file named.
func TestStarImportEqualsOneFile(t *testing.T) {
	seed := seedSource(t)
	dir := writeTree(t, map[string]string{
		"settings/__init__.py":   "",
		"settings/base.py":       seed,
		"settings/production.py": "from .base import *\n\n" + productionEdits,
	})
	r := convertIn(t, dir, "settings/production.py")

	single, err := djangoport.Convert([]byte(seed+productionEdits), "settings/base.py")
	if err != nil {
		t.Fatal(err)
	}
	if string(r.TOML) != string(single.TOML) {
		t.Errorf("split settings:\n%s\none file:\n%s", r.TOML, single.TOML)
	}
	for _, want := range []string{`stream_name           = "logs-${ENV:-local}"`, "[loggers.django]", "[root]", `level    = "INFO"`,
		"disable_existing_loggers = true", "commented out (settings/base.py:28)"} {
		if !strings.Contains(string(r.TOML), want) {
			t.Errorf("output lacks %q:\n%s", want, r.TOML)
		}
	}
	// Warnings name the file that holds the line.
	findWarning(t, r, "settings/base.py", 46, `"propogate" is not a key Python reads`)
	findWarning(t, r, "settings/base.py", 28, `filter class "schoolusers.logging.CloudwatchLoggingFilter"`)
	findWarning(t, r, "settings/production.py", 3, "(from ENV (line 7 of settings/base.py))")
	for _, w := range r.Warnings {
		if w.File != "settings/base.py" && w.File != "settings/production.py" {
			t.Errorf("warning in %q", w.File)
		}
	}
	// The output loads.
	cloudwatchEnv(t)
	reg := logging.New()
	if err := reg.ConfigureBytes(r.TOML, "toml"); err != nil {
		t.Fatalf("the converted split settings do not load: %v\n%s", err, r.TOML)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := reg.Shutdown(ctx); err != nil {
		t.Error(err)
	}
}

func TestNamedImport(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"settings/common.py": `import os
LEVEL = os.environ.get("LOG_LEVEL", "INFO")
FMT = "%(levelname)s %(message)s"
_HIDDEN = "x"
`,
		"settings/prod.py": `from .common import LEVEL as LVL, FMT
from .common import _HIDDEN
LOGGING = {
    "version": 1,
    "formatters": {"plain": {"format": FMT}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "level": LVL, "stream": _HIDDEN}},
}
`,
	})
	r := convertIn(t, dir, "settings/prod.py")
	for _, want := range []string{`level     = "${LOG_LEVEL:-INFO}"`, `format = "%(levelname)s %(message)s"`, `stream    = "x"`} {
		if !strings.Contains(string(r.TOML), want) {
			t.Errorf("output lacks %q:\n%s", want, r.TOML)
		}
	}
	findWarning(t, r, "settings/prod.py", 6, "(from LVL (line 2 of settings/common.py))")
}

// TestStarImportRules: without __all__ the names not starting with _ come
// across; with __all__ only its names.
func TestStarImportRules(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"a/base.py": "LEVEL = 'INFO'\n_PRIVATE = 'DEBUG'\n",
		"a/main.py": "from .base import *\nLOGGING = {'version': 1, 'root': {'level': LEVEL}, 'loggers': {'x': {'level': _PRIVATE}}}\n",
		"b/base.py": "__all__ = ['LOGGING']\nLEVEL = 'INFO'\nLOGGING = {'version': 1}\n",
		"b/main.py": "from .base import *\nLOGGING['root'] = {'level': LEVEL}\n",
	})
	r := convertIn(t, dir, "a/main.py")
	if !strings.Contains(string(r.TOML), "[root]\nlevel = \"INFO\"") {
		t.Errorf("LEVEL did not come across:\n%s", r.TOML)
	}
	if !strings.Contains(string(r.TOML), "could not convert (a/main.py:2)") || !strings.Contains(warningsText(r), "_PRIVATE is not defined") {
		t.Errorf("_PRIVATE came across:\n%s\n%s", r.TOML, warningsText(r))
	}
	r = convertIn(t, dir, "b/main.py")
	if !strings.Contains(string(r.TOML), "could not convert (b/main.py:2)") || !strings.Contains(warningsText(r), "LEVEL is not defined") {
		t.Errorf("LEVEL came across despite __all__:\n%s\n%s", r.TOML, warningsText(r))
	}
}

// TestCircularImport: a imports b, which imports a: Python hands b the
// module a as far as it has run, and so does the converter, with a warning.
func TestCircularImport(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"s/a.py":    "X = 'INFO'\nfrom .b import *\nLOGGING = {'version': 1, 'root': {'level': Y}}\n",
		"s/b.py":    "from .a import *\nY = X\nZ = LOGGING\n",
		"s/self.py": "from .self import *\nLOGGING = {'version': 1}\n",
		"s/c.py":    "from .d import *\n",
		"s/d.py":    "from .c import *\nLOGGING = {'version': 1}\n",
	})
	done := make(chan struct{})
	go func() {
		defer close(done)
		r := convertIn(t, dir, "s/a.py")
		if !strings.Contains(string(r.TOML), "level = \"INFO\"") {
			t.Errorf("Y = X across the cycle:\n%s", r.TOML)
		}
		findWarning(t, r, "s/b.py", 1, "circular import: `from .a import ...` imports s/a.py, which is still being run (s/a.py → s/b.py → s/a.py)")
		r = convertIn(t, dir, "s/self.py")
		findWarning(t, r, "s/self.py", 1, "circular import")
		r = convertIn(t, dir, "s/c.py")
		findWarning(t, r, "s/d.py", 1, "circular import")
		if !strings.Contains(string(r.TOML), "version = 1") {
			t.Errorf("LOGGING of d.py did not come across:\n%s", r.TOML)
		}
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("a circular import hangs")
	}
}

// TestImportDepthLimit: a chain of imports deeper than the limit stops
// with a warning.
func TestImportDepthLimit(t *testing.T) {
	files := map[string]string{}
	for i := 0; i < 40; i++ {
		files[fmt.Sprintf("p/m%d.py", i)] = fmt.Sprintf("from .m%d import *\nN%d = %d\n", i+1, i, i)
	}
	files["p/m40.py"] = "LOGGING = {'version': 1}\n"
	files["p/main.py"] = "from .m0 import *\nLOGGING = {'version': 1}\n"
	dir := writeTree(t, files)
	r := convertIn(t, dir, "p/main.py")
	if !strings.Contains(warningsText(r), "imports are nested more than") {
		t.Errorf("no depth warning:\n%s", warningsText(r))
	}
}

// TestMissingModule: a module that is not found is handled as Convert
// handles every import.
func TestMissingModule(t *testing.T) {
	src := "from .local import *\nfrom .secrets import KEY\nfrom myproject.nothing import *\nLOGGING = {'version': 1, 'root': {'level': LEVEL}, 'x': KEY}\n"
	dir := writeTree(t, map[string]string{"settings/prod.py": src})
	r := convertIn(t, dir, "settings/prod.py")
	one, err := djangoport.Convert([]byte(src), "settings/prod.py")
	if err != nil {
		t.Fatal(err)
	}
	if string(r.TOML) != string(one.TOML) || warningsText(r) != warningsText(one) {
		t.Errorf("ConvertFile:\n%s%s\nConvert:\n%s%s", r.TOML, warningsText(r), one.TOML, warningsText(one))
	}
	if !strings.Contains(warningsText(r), "KEY comes from .secrets") || !strings.Contains(warningsText(r), "it may come from `from myproject.nothing import *` (line 3)") {
		t.Errorf("missing modules not reported:\n%s%s", r.TOML, warningsText(r))
	}
	// LOGGING only in a module that is not found: the error says so.
	dir = writeTree(t, map[string]string{"settings/prod.py": "from .base import *\n"})
	_, err = djangoport.ConvertFile(os.DirFS(dir), "settings/prod.py")
	if !errors.Is(err, djangoport.ErrNoLogging) || !strings.Contains(err.Error(), "from .base import *") {
		t.Errorf("err = %v", err)
	}
}

// TestAbsoluteImport: myproject.settings.base is found by walking up from
// the importing file's folder; ..common relative to the parent package.
func TestAbsoluteImport(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"myproject/__init__.py":          "",
		"myproject/common.py":            "FMT = '%(message)s'\n",
		"myproject/settings/__init__.py": "",
		"myproject/settings/base.py":     "from ..common import *\nLOGGING = {'version': 1, 'formatters': {'f': {'format': FMT}}}\n",
		"myproject/settings/prod.py":     "from myproject.settings.base import *\nLOGGING['root'] = {'level': 'INFO'}\n",
		"myproject/settings/pkg/__init__.py": "from myproject.settings import base as _\n" +
			"from myproject.settings.pkgmod.inner import *\n",
		"myproject/settings/pkgmod/inner/__init__.py": "LEVEL = 'ERROR'\n",
		"myproject/settings/dev.py":                   "from .pkg import *\nfrom .pkgmod.inner import LEVEL\nLOGGING = {'version': 1, 'root': {'level': LEVEL}}\n",
	})
	r := convertIn(t, dir, "myproject/settings/prod.py")
	for _, want := range []string{`format = "%(message)s"`, "[root]\nlevel = \"INFO\""} {
		if !strings.Contains(string(r.TOML), want) {
			t.Errorf("output lacks %q:\n%s", want, r.TOML)
		}
	}
	r = convertIn(t, dir, "myproject/settings/dev.py")
	if !strings.Contains(string(r.TOML), "[root]\nlevel = \"ERROR\"") {
		t.Errorf("package module not followed:\n%s\n%s", r.TOML, warningsText(r))
	}
}

// TestImportedErrors: a syntax error in base.py's LOGGING names base.py;
// a statement that cannot be read elsewhere in it is a warning there.
func TestImportedErrors(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"s/base.py": "A = 1\nLOGGING = {'version': 1,,}\n",
		"s/prod.py": "from .base import *\n",
		"s/b2.py":   "X = $\nLOGGING = {'version': 1, 'x': X}\n",
		"s/p2.py":   "\nfrom .b2 import *\n",
	})
	_, err := djangoport.ConvertFile(os.DirFS(dir), "s/prod.py")
	var pe *djangoport.ParseError
	if !errors.As(err, &pe) || pe.File != "s/base.py" || pe.Line != 2 {
		t.Errorf("err = %v, want a ParseError at s/base.py:2", err)
	}
	r := convertIn(t, dir, "s/p2.py")
	findWarning(t, r, "s/b2.py", 1, "skipped a statement")
	if !strings.Contains(string(r.TOML), "could not convert (s/b2.py:2)") {
		t.Errorf("output:\n%s", r.TOML)
	}
}

// TestConvertPath names files as the path given names them.
func TestConvertPath(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"proj/settings/base.py": "LOGGING = {'version': 1, 'root': {'level': 'INFO', 'x': 1}}\n",
		"proj/settings/prod.py": "\nfrom .base import *\n",
	})
	t.Chdir(dir)
	r, err := djangoport.ConvertPath(filepath.Join("proj", "settings", "prod.py"), "")
	if err != nil {
		t.Fatal(err)
	}
	findWarning(t, r, filepath.Join("proj", "settings", "base.py"), 1, `Python ignores "x"`)
	r, err = djangoport.ConvertPath(filepath.Join(dir, "proj", "settings", "prod.py"), "settings.py")
	if err != nil {
		t.Fatal(err)
	}
	findWarning(t, r, "base.py", 1, `Python ignores "x"`)
	if _, err := djangoport.ConvertPath("nope.py", ""); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("err = %v", err)
	}
}

// TestConditionalImport: a module imported under a condition the converter
// cannot decide is read, but its changes to LOGGING are reported, not
// applied, and its names are unknown.
func TestConditionalImport(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"s/base.py":  "import os\nLOGGING = {'version': 1, 'root': {'level': 'INFO'}}\n",
		"s/local.py": "from .base import LOGGING\nLOGGING['root']['level'] = 'DEBUG'\nLEVEL = 'DEBUG'\n",
		"s/prod.py": "from .base import *\nif os.environ.get('LOCAL'):\n    from .local import *\n" +
			"try:\n    from .nolocal import *\nexcept ImportError:\n    pass\nLOGGING['loggers'] = {'x': {'level': LEVEL}}\n",
	})
	r := convertIn(t, dir, "s/prod.py")
	if !strings.Contains(string(r.TOML), "[root]\nlevel = \"INFO\"") {
		t.Errorf("the conditional module's change was applied:\n%s", r.TOML)
	}
	// The condition is on line 2 of prod.py, not of local.py.
	findWarning(t, r, "s/local.py", 2, "LOGGING is changed under `if os.environ.get('LOCAL'):` (line 2 of s/prod.py)")
	findWarning(t, r, "s/local.py", 1, "LOGGING is imported from s/base.py under `if os.environ.get('LOCAL'):` (line 2 of s/prod.py)")
	findWarning(t, r, "s/prod.py", 8, "LEVEL is imported from s/local.py under `if os.environ.get('LOCAL'):`")
}

// TestSelfReferentialDict: a dict that holds itself (Python allows it, and
// copy.deepcopy copies it) is kept as a comment, not followed forever.
func TestSelfReferentialDict(t *testing.T) {
	src := "import copy\nL = LOGGING = {'version': 1}\nLOGGING['root'] = {'level': L}\nM = copy.deepcopy(LOGGING)\nLOGGING['x'] = [M]\n"
	r, err := djangoport.Convert([]byte(src), "settings.py")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(r.TOML), "could not convert (settings.py:3): 'level': L") ||
		!strings.Contains(warningsText(r), "a list or dict that contains itself") {
		t.Errorf("output:\n%s%s", r.TOML, warningsText(r))
	}
}
