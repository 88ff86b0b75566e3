package djangoport_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/logdict/logging/djangoport"
)

// loggingWithLevel is a settings module whose LOGGING root level is level.
func loggingWithLevel(level string) string {
	return `LOGGING = {
    "version": 1,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "` + level + `"},
}
`
}

// TestPackageBeforeModule: Python 3 imports base/__init__.py, not base.py,
// when both are there.
func TestPackageBeforeModule(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"s/__init__.py":      "",
		"s/base.py":          loggingWithLevel("DEBUG"),
		"s/base/__init__.py": loggingWithLevel("ERROR"),
		"s/prod.py":          "from .base import *\n",
	})
	r := convertIn(t, dir, "s/prod.py")
	if !strings.Contains(string(r.TOML), `"ERROR"`) || strings.Contains(string(r.TOML), `"DEBUG"`) {
		t.Errorf("base.py was read, not base/__init__.py:\n%s", r.TOML)
	}
}

// TestAbsoluteImportFromProjectRoot: Python 3 looks for `from common import
// *` on sys.path (the folder above the outermost package), not in the
// importing file's folder first; the file's folder and those above it are
// only a fallback.
func TestAbsoluteImportFromProjectRoot(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"common.py":                   loggingWithLevel("ERROR"),
		"proj/__init__.py":            "",
		"proj/settings/__init__.py":   "",
		"proj/settings/common.py":     loggingWithLevel("DEBUG"),
		"proj/settings/production.py": "from common import *\n",
		// Only in the settings folder: found by the fallback.
		"proj/settings/local.py": "from extra import *\n",
		"proj/settings/extra.py": loggingWithLevel("WARNING"),
	})
	r := convertIn(t, dir, "proj/settings/production.py")
	if !strings.Contains(string(r.TOML), `"ERROR"`) {
		t.Errorf("common.py at the project root was not the one read:\n%s", r.TOML)
	}
	r = convertIn(t, dir, "proj/settings/local.py")
	if !strings.Contains(string(r.TOML), `"WARNING"`) {
		t.Errorf("the fallback to the file's folder was not taken:\n%s\n%s", r.TOML, warningsText(r))
	}
}

// TestLinesNameTheirFile: a message reported in one file that cites a line
// of another names that file, whichever of them is the converted one.
func TestLinesNameTheirFile(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"s/__init__.py": "",
		"s/base.py": `DEBUG = False
LOGGING = {
    "version": 1,
    "filters": {"dbg": {"()": "django.utils.log.RequireDebugTrue"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["dbg"]}},
}
`,
		"s/prod.py": "from .base import *\n" + strings.Repeat("\n", 8) + "DEBUG = True\n",
		"s/dev.py":  "from .base import *\n",
		"s/one.py": `DEBUG = True
LOGGING = {
    "version": 1,
    "filters": {"dbg": {"()": "django.utils.log.RequireDebugTrue"}},
}
`,
		"s/extra.py":      "from .base import LOGGING\nLOGGING['root'] = {'level': 'DEBUG'}\n",
		"s/production.py": "import os\nfrom .base import *\nif os.environ.get('EXTRA'):\n    from .extra import *\n",
	})
	r := convertIn(t, dir, "s/prod.py")
	findWarning(t, r, "s/base.py", 4, "(DEBUG is set on line 10 of s/prod.py)")
	r = convertIn(t, dir, "s/dev.py")
	findWarning(t, r, "s/base.py", 4, "(DEBUG is set on line 1 of this file)")
	r = convertIn(t, dir, "s/one.py")
	findWarning(t, r, "s/one.py", 4, "(DEBUG is set on line 1 of this file)")
	r = convertIn(t, dir, "s/production.py")
	findWarning(t, r, "s/extra.py", 2, "LOGGING is changed under `if os.environ.get('EXTRA'):` (line 3 of s/production.py)")
}

// TestImportedParseErrorScope: a statement about LOGGING that base.py's
// reader cannot read fails the conversion only when the import binds
// base's LOGGING (under any name), unconditionally, and for * only when
// LOGGING is among the names * brings (__all__).
func TestImportedParseErrorScope(t *testing.T) {
	base := `LEVEL = "INFO"
LOGGING = {"version": 1, "loggers": {}}
LOGGING["loggers"] = {k: {"level": "INFO"} for k in ["a", "b"]}
`
	dir := writeTree(t, map[string]string{
		"s/__init__.py": "",
		"s/base.py":     base,
		"s/limited.py":  `__all__ = ["LEVEL"]` + "\n" + base,
		// Named under another name, and used for LOGGING's loggers: the
		// loggers base.py sets cannot be known.
		"s/renamed.py": "from .base import LOGGING as BASE_LOGGING\n" +
			`LOGGING = {"version": 1, "root": {"level": "INFO"}, "loggers": BASE_LOGGING["loggers"]}` + "\n",
		// * without LOGGING in __all__: the file's own LOGGING is all there is.
		"s/prod.py": "from .limited import *\n" + `LOGGING = {"version": 1, "root": {"level": LEVEL}}` + "\n",
		// Under a condition the converter cannot decide, nothing is bound.
		"s/cond.py": "import os\nif os.environ.get('X'):\n    from .base import *\n" +
			`LOGGING = {"version": 1, "root": {"level": "INFO"}}` + "\n",
		// Another name of base.py.
		"s/level.py": "from .base import LEVEL\n" + `LOGGING = {"version": 1, "root": {"level": LEVEL}}` + "\n",
		"s/star.py":  "from .base import *\n",
	})
	for _, name := range []string{"s/renamed.py", "s/star.py"} {
		_, err := djangoport.ConvertFile(os.DirFS(dir), name)
		var pe *djangoport.ParseError
		if !errors.As(err, &pe) || pe.File != "s/base.py" || pe.Line != 3 {
			t.Errorf("%s: err = %v, want a ParseError at s/base.py:3", name, err)
		}
	}
	for _, name := range []string{"s/prod.py", "s/cond.py", "s/level.py"} {
		r := convertIn(t, dir, name)
		if !strings.Contains(string(r.TOML), "[root]\nlevel = \"INFO\"") {
			t.Errorf("%s:\n%s", name, r.TOML)
		}
	}
}

// TestConvertPathThroughSymlink: link/../settings.py is the file the
// operating system reads (link's target's parent's settings.py), not
// settings.py beside link, and its imports are looked for beside it.
func TestConvertPathThroughSymlink(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"settings.py":      loggingWithLevel("ERROR"),
		"base.py":          loggingWithLevel("DEBUG"),
		"real/settings.py": "from .base import *\n",
		"real/base.py":     loggingWithLevel("INFO"),
		"real/sub/x":       "",
		"d/x":              "",
	})
	if err := os.Symlink(filepath.Join("real", "sub"), filepath.Join(dir, "l")); err != nil {
		t.Skip(err)
	}
	t.Chdir(dir)
	sep := string(filepath.Separator)
	rel := "l" + sep + ".." + sep + "settings.py" // not filepath.Join, which cleans .. away
	for _, p := range []string{dir + sep + rel, rel} {
		r, err := djangoport.ConvertPath(p, "")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(r.TOML), `"INFO"`) {
			t.Errorf("%s: not real/settings.py with real/base.py:\n%s\n%s", p, r.TOML, warningsText(r))
		}
	}
	if _, err := djangoport.ConvertPath("d", ""); err == nil || err.Error() != "read d: is a directory" {
		t.Errorf("err = %v, want read d: is a directory", err)
	}
}

// TestStarImportOfAPartialModule: a module star-imported while it is still
// being run (a circular import) gives the names it had so far, and a later
// star import of it, once it has run, gives all of them.
func TestStarImportOfAPartialModule(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"s/__init__.py": "",
		"s/b.py":        "EARLY = 'x'\nfrom .c import *\nLEVEL = 'ERROR'\n",
		"s/c.py":        "from .b import *\nSEEN = EARLY\n",
		"s/prod.py":     "from .b import *\n" + `LOGGING = {"version": 1, "root": {"level": LEVEL}}` + "\n",
	})
	r := convertIn(t, dir, "s/prod.py")
	if !strings.Contains(string(r.TOML), `"ERROR"`) {
		t.Errorf("b.py's names after its circular import did not come across:\n%s\n%s", r.TOML, warningsText(r))
	}
}
