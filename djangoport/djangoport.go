package djangoport

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
)

// Result is a converted settings file: the TOML configuration, and what
// the user should know about it, by line of the settings file.
type Result struct {
	TOML     []byte
	Warnings []Warning
}

// Warning is something the conversion changed, guessed or could not do,
// at a line of a file (0 when it concerns the whole file). File is the
// converted file's name, or, for a line of a module it imports
// ([ConvertFile]), that module's file.
type Warning struct {
	File string
	Line int
	Msg  string
}

// ParseError is a syntax error in the part of a settings file the
// conversion needs. Its message reads file:line:col: message.
type ParseError struct {
	File      string
	Line, Col int
	Msg       string
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
}

// ErrNoLogging is wrapped by the error Convert returns when a settings
// file has no module-level LOGGING dict (nor a dictConfig(...) call).
var ErrNoLogging = errors.New("no module-level LOGGING = {...} found")

// Convert converts the LOGGING dict of a Django settings file (Python
// source) into a logdict TOML configuration. filename is used in messages
// only. It returns a *ParseError when the statements that build LOGGING
// cannot be read, and an error wrapping [ErrNoLogging] when there is no
// LOGGING; every other problem is a [Warning], and the part it concerns is
// kept in the output as a TOML comment.
//
// Convert runs no Python: it reads literals and follows module-level names,
// environment lookups, arithmetic, paths and boto3 sessions, as described
// in the package documentation. It is safe for concurrent use; src is not
// modified or retained.
func Convert(src []byte, filename string) (*Result, error) {
	ld := &loader{files: []string{filename}}
	return ld.convert(src, "")
}

// ConvertFile converts the settings file name of fsys, as [Convert] does,
// and also follows its imports of the project's own modules: for
// `from .base import *`, `from ..common import A, B as C` or
// `from myproject.settings.base import *`, the module (mod/__init__.py,
// else mod.py, relative to the importing file's folder; for an absolute
// name, in the folder above the importing file's outermost package, else
// in the importing file's folder or one above it within fsys) is read and
// followed first, and its names are bound as Python binds them: for *,
// the names of its __all__ when it is a literal list, else every name not
// starting with _. LOGGING itself comes across that way, and the importer's
// changes to it apply to the one dict. Imports are followed recursively,
// each module once; a circular import is reported and gives the module as
// far as it has run, as in Python. A module that is not found keeps
// Convert's behaviour: a star import is reported and its names are unknown.
//
// name is used in messages; a [Warning] or [ParseError] in an imported
// module names that module's file, as a path relative to the folder of name
// (settings/base.py when name is settings/production.py).
func ConvertFile(fsys fs.FS, name string) (*Result, error) {
	return convertFS(fsys, name, name)
}

// ConvertPath is [ConvertFile] on the operating system's files: it converts
// the settings file at path p, and looks for the modules it imports from
// its folder up to the root of the file system. filename is used in
// messages for p (p itself when empty); imported modules are named
// relative to its folder.
//
// p is read as given, as the operating system resolves it (through
// symbolic links, then ..), and the folder imports are looked for from
// is that same folder with its symbolic links resolved.
func ConvertPath(p, filename string) (*Result, error) {
	src, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	// filepath.Dir would clean link/.. away textually; Split does not.
	dir, file := filepath.Split(p)
	if dir == "" {
		dir = "."
	}
	dir, err = filepath.EvalSymlinks(dir)
	if err != nil {
		return nil, err
	}
	if !filepath.IsAbs(dir) {
		wd, err := os.Getwd()
		if err != nil {
			return nil, err
		}
		if wd, err = filepath.EvalSymlinks(wd); err != nil {
			return nil, err
		}
		dir = filepath.Join(wd, dir)
	}
	root := filepath.VolumeName(dir) + string(filepath.Separator)
	rel, err := filepath.Rel(root, dir)
	if err != nil {
		return nil, err
	}
	if filename == "" {
		filename = p
	}
	name := path.Join(filepath.ToSlash(rel), file)
	ld := &loader{fsys: os.DirFS(root), files: []string{filename}, mainDir: path.Dir(name), labelDir: filepath.Dir(filename), mods: map[string]*module{}}
	return ld.convert(src, name)
}

func convertFS(fsys fs.FS, name, label string) (*Result, error) {
	src, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	ld := &loader{fsys: fsys, files: []string{label}, mainDir: path.Dir(name), labelDir: filepath.Dir(label), mods: map[string]*module{}}
	return ld.convert(src, name)
}

// convert converts the source of the file ld.files[0], whose name in
// ld.fsys is name.
func (ld *loader) convert(src []byte, name string) (*Result, error) {
	filename := ld.files[0]
	li := newLineIndex(src)
	toks := tokenize(src)
	in := &interp{src: src, li: li, names: map[string]*binding{}, ld: ld, name: name}
	if len(li) > lineMask {
		ld.fsys = nil // its lines would not leave room for other files'
	}
	if ld.fsys != nil {
		ld.mods[name] = &module{in: in}
		ld.stack = []string{name}
	}
	in.execBlock(parseModule(src, toks, li), nil)
	if in.perr != nil {
		return nil, ld.parseError(in.perr)
	}
	b, ok := in.names[target]
	if !ok {
		b = in.dictConfig
	}
	if b == nil {
		if in.firstErr != nil {
			return nil, ld.parseError(in.firstErr)
		}
		if in.starImport != "" {
			return nil, fmt.Errorf("%s: %w (it may be defined by %s: convert that file)", filename, ErrNoLogging, in.starImport)
		}
		return nil, fmt.Errorf("%s: %w", filename, ErrNoLogging)
	}
	if b.v.k != vDict {
		why := b.v.why
		if why == "" {
			why = "it is a " + b.v.typeName()
		}
		return nil, fmt.Errorf("%s: %s is not a dict the converter can read: %s", ld.at(b.line), target, why)
	}
	c := newConverter(filename, in)
	c.convert(b.v.d)
	out := c.render()
	warns := append(in.warns, c.warns...)
	sort.SliceStable(warns, func(i, j int) bool { return warns[i].Line < warns[j].Line })
	for i := range warns {
		warns[i].File, warns[i].Line = ld.split(warns[i].Line)
	}
	warns = dedupe(warns)
	return &Result{TOML: out, Warnings: warns}, nil
}

// parseError names the file and line of a syntax error.
func (ld *loader) parseError(e *ParseError) *ParseError {
	cp := *e
	cp.File, cp.Line = ld.split(e.Line)
	return &cp
}

func dedupe(ws []Warning) []Warning {
	seen := make(map[Warning]bool, len(ws))
	out := ws[:0]
	for _, w := range ws {
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}
