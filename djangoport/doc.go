// Package djangoport converts the LOGGING dict of a Django settings file
// (Python source) into a logdict TOML configuration that the logging
// package loads with Configure, and says, line by line, what it changed,
// guessed or could not do. Command djangoport (cmd/djangoport) wraps
// [ConvertPath] (and [Convert] for standard input).
//
// # Settings split across files
//
// [Convert] reads one source and follows none of its imports: a
// `from .base import *` is reported, and the names it would bind are
// unknown. [ConvertFile] (on an fs.FS) and [ConvertPath] (on the operating
// system's files) also follow the file's imports of the project's own
// modules, as Django projects split settings/base.py and
// settings/production.py:
//
//   - `from .X import *`, `from ..X import A, B as C`, `from .pkg.mod import *`
//     read X/__init__.py or X.py relative to the importing file's folder:
//     a package (X/__init__.py) wins over a module of the same name, as
//     in Python 3. An absolute `from myproject.settings.base import *` is
//     looked for where Python 3's sys.path normally points: the folder
//     above the importing file's outermost package (going up through the
//     folders that hold __init__.py). When it is not there, it is looked
//     for in the importing file's folder and each one above it, which
//     finds modules of projects run with another folder on sys.path. A
//     module that is not found keeps Convert's behaviour.
//   - The module is run first (recursively, each module once, at most 16
//     deep and 64 files), then its names are bound in the importer as
//     Python binds them: for *, the names of __all__ when it is a literal
//     list, else every module-level name not starting with _; LOGGING comes
//     across that way, and the importer's LOGGING["x"] = ..., .update(...)
//     and del apply to the one shared dict, as in Python.
//   - A circular import (a imports b imports a) is reported, and the
//     module still being run gives the names it had bound so far, as
//     Python's partly initialised module does.
//   - An import under a condition the converter cannot decide runs the
//     module under that condition: its names become unknown and its
//     changes to LOGGING are reported, not applied.
//
// Each [Warning] names the file that holds its line (settings/base.py:12,
// settings/production.py:3), and so do the output's comments; a message
// that cites a line of an imported file says "line 7 of settings/base.py",
// and so does one in an imported file that cites a line of another file,
// the converted one included.
//
// # Reading Python without running it
//
// A hand-written tokenizer and recursive-descent parser read the settings
// file: strings in every quoting (single, double, triple, raw, f-strings
// with Python 3.12 nesting, implicit concatenation, escapes), numbers (1_000,
// hex, floats), True/False/None, lists, tuples, dicts (with **unpacking),
// comments, trailing commas, parentheses and line continuations. The
// module-level statements are followed in order: LOGGING = {...} (also
// LOGGING: dict = ...), LOGGING["x"] = ..., LOGGING.update(...), .append,
// del, and the names assigned before, imports included. An if whose
// condition is known (DEBUG = False) is followed; in any other block (an
// if on the environment, a loop, an except) names become unknown and
// changes to LOGGING are reported, not applied. Functions and classes are
// not run. Syntax the parser does not model (lambda, comprehensions) makes
// only that value unknown. A statement the tokenizer cannot read is skipped
// with a warning, unless it concerns LOGGING: then Convert returns a
// [ParseError] with file:line:col.
//
// # Values that are not literals
//
//   - os.environ.get("X", "d"), os.getenv, environ.get, os.environ["X"],
//     and os.environ.get("X") or "d" become ${X:-d} and ${X}, which the
//     library expands when it loads the file (an unset or empty variable
//     takes the default). int() of such a value stays text: the library
//     reads numbers from text.
//   - Module-level names, arithmetic (+ - * / // % ** on numbers, + and %
//     formatting on strings, str.format, f-strings) are evaluated.
//   - os.path.join, os.path.dirname, pathlib's / and .parent are evaluated.
//     A path built from __file__ (Django's BASE_DIR) has an unknown start:
//     it is written relative to the working directory, with a warning.
//   - logging.INFO becomes "INFO", sys.stdout becomes "ext://sys.stdout".
//   - A boto3 Session or client given to watchtower as boto3_session or
//     boto3_client becomes the handler's region, profile,
//     aws_access_key_id, aws_secret_access_key, aws_session_token and
//     endpoint_url. A credential written literally is kept, with a loud
//     warning.
//
// Each such mapping is a [Warning] naming its line. What cannot be mapped
// stays in the output as a comment,
//
//	# djangoport: could not convert (settings.py:42): "stream": some_stream
//
// never silently dropped.
//
// # Fixes
//
// A key Python silently ignores but that is surely a typo (the seed's
// "propogate") is corrected, with a comment and a warning saying that the
// output does what was meant, not what Python did. Other keys Python
// ignores are commented out. A class the library does not have (a filter
// written in Python, a syslog handler) is commented out together with
// every reference to it, so that the output loads; the warning says how to
// register a Go equivalent (logging.RegisterFilter(name, factory)) or
// which built-in does the job. An ext:// other than sys.stdout and
// sys.stderr is commented out.
//
// # Output
//
// The TOML is deterministic and in dictConfig order: version,
// disable_existing_loggers, formatters, filters, handlers, loggers, root,
// each section in the order of the Python dict, with names quoted where
// TOML needs it ([loggers."django.request"], "()" = ...). A literal $ that
// the library's ${VAR} expansion would read is doubled.
package djangoport
