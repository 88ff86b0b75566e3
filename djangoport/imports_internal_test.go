package djangoport

import (
	"strings"
	"testing"
	"testing/fstest"
)

// TestExportsKept: the names `from m import *` binds are worked out once
// for a module that has run, and not kept for one still being run (a
// circular import), whose names are not all there yet.
func TestExportsKept(t *testing.T) {
	fsys := fstest.MapFS{
		"s/__init__.py": {Data: []byte("")},
		"s/big.py":      {Data: []byte("A = 1\nB = 2\nLOGGING = {'version': 1}\n")},
		"s/b.py":        {Data: []byte("EARLY = 'x'\nfrom .c import *\nLATE = 'y'\n")},
		"s/c.py":        {Data: []byte("from .b import *\nSEEN = EARLY\n")},
		"s/prod.py":     {Data: []byte(strings.Repeat("from .big import *\n", 3) + "from .b import LATE\n")},
	}
	ld := &loader{fsys: fsys, files: []string{"s/prod.py"}, mainDir: "s", labelDir: "s", mods: map[string]*module{}}
	if _, err := ld.convert(fsys["s/prod.py"].Data, "s/prod.py"); err != nil {
		t.Fatal(err)
	}
	big := ld.mods["s/big.py"].in
	if big.exports == nil || strings.Join(big.exports.names, " ") != "A B LOGGING" {
		t.Errorf("big.py's exports = %+v, want A B LOGGING kept", big.exports)
	}
	if b := ld.mods["s/b.py"].in; b.exports != nil {
		t.Errorf("b.py, star-imported while being run, kept %v", b.exports.names)
	}
}
