package djangoport

import (
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// A line number, everywhere in the interpreter and the converter, also says
// which file it is in: fileIndex<<fileShift + line, where fileIndex is 0 for
// the converted file and counts the modules it imports in the order they
// are first read. The loader turns it back into file and line for messages.
const (
	fileShift = 24
	lineMask  = 1<<fileShift - 1
	// maxImportDepth bounds a chain of imports, maxFiles the modules one
	// conversion reads.
	maxImportDepth = 16
	maxFiles       = 64
)

// notProject are the first components of absolute module names that are
// never looked for among the project's files: the standard library and
// packages the converter models.
var notProject = map[string]bool{
	"os": true, "sys": true, "logging": true, "pathlib": true, "posixpath": true, "json": true,
	"copy": true, "boto3": true, "botocore": true, "environ": true, "django": true, "watchtower": true,
}

// loader reads the modules a settings file imports, and names the files
// that lines are in.
type loader struct {
	fsys     fs.FS    // nil: imports are not followed (Convert)
	files    []string // labels for messages, by file index
	mainDir  string   // the converted file's folder in fsys
	labelDir string   // the converted file's folder as its label gives it
	mods     map[string]*module
	stack    []string // names in fsys of the modules being run, outermost first
}

// module is a settings module that was (or is being) run.
type module struct {
	in   *interp
	done bool
}

// fileOf is the index of the file a line is in.
func (ld *loader) fileOf(l int) int {
	if len(ld.files) <= 1 {
		return 0
	}
	return l >> fileShift
}

// split returns the file a line is in and its line number there.
func (ld *loader) split(l int) (string, int) {
	i := ld.fileOf(l)
	if i == 0 {
		return ld.files[0], l
	}
	if i >= len(ld.files) {
		return ld.files[0], l
	}
	return ld.files[i], l & lineMask
}

// at is "file:line".
func (ld *loader) at(l int) string {
	f, n := ld.split(l)
	return fmt.Sprintf("%s:%d", f, n)
}

// lineText is "line 12" for line l when it and line at, where the message
// that cites it is reported, are both in the converted file, and "line 12
// of settings/base.py" otherwise. A message carried by a value (why it is
// unknown, where it came from) may be reported in any file that uses the
// value: at is then the line that made the value, and a line of an
// imported file is always named, as the value may travel to the converted
// file.
func (ld *loader) lineText(l, at int) string {
	f, n := ld.split(l)
	if ld.fileOf(l) == 0 && ld.fileOf(at) == 0 {
		return fmt.Sprintf("line %d", n)
	}
	return fmt.Sprintf("line %d of %s", n, f)
}

// where says where a function or class defined on line l was defined, for
// a message reported on line at (or in at's file).
func (ld *loader) where(l, at int) string {
	f, n := ld.split(l)
	if ld.fileOf(l) == 0 && ld.fileOf(at) == 0 {
		return fmt.Sprintf("this file (line %d)", n)
	}
	return fmt.Sprintf("%s (line %d)", f, n)
}

// label names a file of fsys as the user knows it: relative to the folder
// of the converted file's label, as the file is to the converted file.
func (ld *loader) label(name string) string {
	return filepath.Join(ld.labelDir, filepath.FromSlash(relPath(ld.mainDir, name)))
}

// relPath is the slash path of file to as seen from folder from.
func relPath(from, to string) string {
	if from == "." {
		return to
	}
	fp, tp := strings.Split(from, "/"), strings.Split(to, "/")
	n := 0
	for n < len(fp) && n < len(tp)-1 && fp[n] == tp[n] {
		n++
	}
	var parts []string
	for range fp[n:] {
		parts = append(parts, "..")
	}
	return strings.Join(append(parts, tp[n:]...), "/")
}

// find returns the module rel ("pkg/mod") in folder dir of fsys, as
// rel/__init__.py or rel.py (in Python 3's order: a package wins over a
// module of the same name), or "".
func (ld *loader) find(dir, rel string) string {
	for _, c := range []string{rel + "/__init__.py", rel + ".py"} {
		p := path.Join(dir, c)
		if st, err := fs.Stat(ld.fsys, p); err == nil && st.Mode().IsRegular() {
			return p
		}
	}
	return ""
}

// isPackage says whether folder dir of fsys holds an __init__.py.
func (ld *loader) isPackage(dir string) bool {
	st, err := fs.Stat(ld.fsys, path.Join(dir, "__init__.py"))
	return err == nil && st.Mode().IsRegular()
}

// resolve returns the file of fsys that a `from mod import ...` of this
// file reads, or "" when it is not one of the project's files (or imports
// are not followed). A relative module is looked for from this file's
// folder; an absolute one first in the folder above this file's outermost
// package (as on Python 3's sys.path), then in this file's folder and each
// folder above it.
func (in *interp) resolve(mod string) string {
	if in.ld.fsys == nil {
		return ""
	}
	rest := strings.TrimLeft(mod, ".")
	dots := len(mod) - len(rest)
	if rest == "" {
		return "" // from . import base: binds a module, not followed
	}
	rel := strings.ReplaceAll(rest, ".", "/")
	dir := path.Dir(in.name)
	if dots > 0 {
		for k := 1; k < dots; k++ {
			if dir == "." {
				return ""
			}
			dir = path.Dir(dir)
		}
		return in.ld.find(dir, rel)
	}
	if notProject[strings.SplitN(rest, ".", 2)[0]] {
		return ""
	}
	// Python 3 looks for an absolute name on sys.path, which for a project
	// is the folder that holds its outermost package: go up through the
	// folders that are packages (hold __init__.py) to that one's parent.
	root := dir
	for root != "." && in.ld.isPackage(root) {
		root = path.Dir(root)
	}
	if f := in.ld.find(root, rel); f != "" {
		return f
	}
	// Not found there: look in this file's folder and each one above it,
	// for projects run with another folder on sys.path.
	for {
		if f := in.ld.find(dir, rel); f != "" {
			return f
		}
		if dir == "." {
			return ""
		}
		dir = path.Dir(dir)
	}
}

// load runs the module in file name (once: a module imported again is the
// same module, as in Python) and returns it, or nil when it cannot be read.
// A module that is still being run (a circular import) is returned as far
// as it has run, which is what Python hands over too.
//
// Under a condition the converter cannot decide, the module is run as a
// block under that condition (its names become unknown and its changes to
// LOGGING are reported, not applied), and it is not kept for later imports.
func (in *interp) load(name, mod string, line int, cond *condition) *interp {
	ld := in.ld
	if m, ok := ld.mods[name]; ok {
		if !m.done {
			chain := []string{}
			for i, s := range ld.stack {
				if s == name {
					for _, t := range ld.stack[i:] {
						chain = append(chain, ld.files[ld.mods[t].in.base>>fileShift])
					}
					break
				}
			}
			chain = append(chain, ld.files[m.in.base>>fileShift])
			in.warn(line, fmt.Sprintf("circular import: `from %s import ...` imports %s, which is still being run (%s): as in Python, only the names it bound before it started this import come across",
				mod, ld.files[m.in.base>>fileShift], strings.Join(chain, " → ")))
		}
		return m.in
	}
	label := ld.label(name)
	switch {
	case len(ld.stack) >= maxImportDepth:
		in.warn(line, fmt.Sprintf("`from %s import ...`: imports are nested more than %d deep: %s is not read", mod, maxImportDepth, label))
		return nil
	case len(ld.files) >= maxFiles:
		in.warn(line, fmt.Sprintf("`from %s import ...`: more than %d files are imported: %s is not read", mod, maxFiles, label))
		return nil
	}
	src, err := fs.ReadFile(ld.fsys, name)
	if err != nil {
		in.warn(line, fmt.Sprintf("`from %s import ...`: %v", mod, err))
		return nil
	}
	li := newLineIndex(src)
	if len(li) > lineMask {
		in.warn(line, fmt.Sprintf("`from %s import ...`: %s is too long to read", mod, label))
		return nil
	}
	ld.files = append(ld.files, label)
	child := &interp{src: src, li: li, names: map[string]*binding{}, ld: ld, base: (len(ld.files) - 1) << fileShift, name: name}
	m := &module{in: child}
	ld.mods[name] = m
	ld.stack = append(ld.stack, name)
	child.execBlock(parseModule(src, tokenize(src), li), cond)
	ld.stack = ld.stack[:len(ld.stack)-1]
	m.done = true
	if cond != nil {
		delete(ld.mods, name)
	}
	in.warns = append(in.warns, child.warns...)
	return child
}

// exports is what `from m import *` binds, worked out once m has run.
type exports struct {
	names   []string
	fromAll bool // names is m's __all__
	badAll  int  // the line of an __all__ the converter cannot read, or 0
}

// exported returns the names `from m import *` binds: those of __all__
// when m defines it as a list of strings, else every module-level name
// not starting with an underscore; fromAll says whether they are __all__'s.
// A module that has run keeps the list, so that many star imports of one
// large module do not build it again; one still being run (a circular
// import) does not, as its names are not all there yet.
func (in *interp) exported(m *interp, line int) (names []string, fromAll bool) {
	e := m.exports
	if e == nil {
		e = m.buildExports()
		if m.isDone() {
			m.exports = e
		}
	}
	if e.badAll != 0 {
		in.warn(line, fmt.Sprintf("%s defines __all__ (%s), which the converter cannot read: it imports every name not starting with _ instead", in.ld.files[m.base>>fileShift], in.ld.lineText(e.badAll, line)))
	}
	return e.names, e.fromAll
}

func (m *interp) buildExports() *exports {
	e := &exports{}
	if b, ok := m.names["__all__"]; ok {
		readable := b.v.k == vList || b.v.k == vTuple
		var out []string
		if readable {
			for _, it := range b.v.items {
				s, ok := it.literal()
				if !ok {
					readable = false
					break
				}
				out = append(out, s)
			}
		}
		if readable {
			e.names, e.fromAll = out, true
			return e
		}
		e.badAll = b.line
	}
	for name := range m.names {
		if !strings.HasPrefix(name, "_") {
			e.names = append(e.names, name)
		}
	}
	sort.Strings(e.names)
	return e
}

// imports binds the names of import statements: a module of the project
// imported with from ... import is run and its names copied (as Python
// copies bindings: a dict stays the one shared object); any other module's
// names become qualified names.
func (in *interp) imports(s *stmt, cond *condition) {
	toks := s.toks
	line := in.line(s.pos)
	dotted := func(i int) (string, int) {
		var b strings.Builder
		for i < len(toks) && (toks[i].kind == tName && toks[i].text != "import" && toks[i].text != "as" || toks[i].kind == tOp && (toks[i].text == "." || toks[i].text == "...")) {
			b.WriteString(toks[i].text)
			i++
		}
		return b.String(), i
	}
	if toks[0].text == "import" {
		i := 1
		for i < len(toks) {
			mod, j := dotted(i)
			name := strings.SplitN(mod, ".", 2)[0]
			qual := name
			if j+1 < len(toks) && toks[j].text == "as" {
				name, qual = toks[j+1].text, mod
				j += 2
			}
			if name != "" {
				in.bind(name, in.ref(qual), line)
			}
			if j >= len(toks) || toks[j].text != "," {
				return
			}
			i = j + 1
		}
		return
	}
	mod, i := dotted(1)
	if i >= len(toks) || toks[i].text != "import" {
		return
	}
	star := false
	var names [][2]string // the name in the module, the name bound
	for i++; i < len(toks); i++ {
		t := toks[i]
		switch {
		case t.kind == tOp && t.text == "*":
			star = true
		case t.kind == tName:
			name := t.text
			if i+2 < len(toks) && toks[i+1].text == "as" {
				name = toks[i+2].text
				i += 2
			}
			names = append(names, [2]string{t.text, name})
		}
	}
	var m *interp
	if f := in.resolve(mod); f != "" {
		m = in.load(f, mod, line, cond)
	}
	if m == nil {
		in.importUnread(mod, star, names, line)
		return
	}
	file := in.ld.files[m.base>>fileShift]
	// bring binds name n0 of the module as n1.
	bring := func(n0, n1 string) {
		if n0 == target && cond == nil && m.perr != nil && in.perr == nil {
			// A statement about the module's LOGGING cannot be read, and
			// this import binds that LOGGING (under whatever name).
			in.perr = m.perr
		}
		b, ok := m.names[n0]
		switch {
		case cond != nil && n1 == target:
			in.warn(line, fmt.Sprintf("%s is imported from %s under %s (%s), which the converter cannot decide: this import of it is not in the output", target, file, cond.what, in.ld.lineText(cond.line, line)))
		case cond != nil:
			in.bind(n1, unknown(fmt.Sprintf("%s is imported from %s under %s (%s)", n1, file, cond.what, in.ld.lineText(cond.line, line))), line)
		case ok:
			if cur, ok := in.names[n1]; ok && cur.v == b.v && cur.line == b.line {
				return // bound so already (an import repeated)
			}
			in.names[n1] = &binding{v: b.v, line: b.line}
		default:
			why := fmt.Sprintf("%s is not a module-level name of %s that the converter can see (imported on %s)", n0, file, in.ld.lineText(line, line))
			if !m.isDone() {
				why = fmt.Sprintf("%s is not yet defined in %s when %s imports it (a circular import: Python raises ImportError)", n0, file, in.ld.lineText(line, line))
			}
			if n1 == target {
				in.warn(line, why)
			}
			in.bind(n1, &val{k: vRef, qual: n0, undefined: true, why: why}, line)
		}
	}
	if star {
		exp, fromAll := in.exported(m, line)
		if m.starImport != "" && in.starImport == "" {
			in.starImport = m.starImport + " in " + file
		}
		if _, bound := m.names[target]; !bound && !fromAll && cond == nil && m.perr != nil && in.perr == nil {
			// The module's only statements about LOGGING cannot be read:
			// Python would bind it, as it does every name not starting with _.
			in.perr = m.perr
		}
		for _, n := range exp {
			bring(n, n)
		}
	}
	for _, n := range names {
		bring(n[0], n[1])
	}
}

func (in *interp) isDone() bool {
	mod, ok := in.ld.mods[in.name]
	return !ok || mod.done
}

// importUnread binds the names of a from-import whose module is not read:
// a relative module's names are unknown, others are qualified names.
func (in *interp) importUnread(mod string, star bool, names [][2]string, line int) {
	if star {
		in.starImport = fmt.Sprintf("`from %s import *` (%s)", mod, in.ld.lineText(line, line))
	}
	for _, n := range names {
		qual := mod + "." + n[0]
		if c, ok := canonical[qual]; ok {
			qual = c
		}
		if strings.HasPrefix(mod, ".") {
			in.bind(n[1], &val{k: vRef, qual: qual, undefined: true,
				why: fmt.Sprintf("%s comes from %s (%s), which the converter does not read", n[1], mod, in.ld.lineText(line, line))}, line)
			continue
		}
		in.bind(n[1], in.ref(qual), line)
	}
}
