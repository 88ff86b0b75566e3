package logging

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"

	"github.com/logdict/logging/core"
)

// prepare returns a deep copy of a configuration tree with ${VAR} expanded in
// string values and cfg:// references resolved, and reports every problem by
// key path. The caller's map is never modified.
func prepare(tree map[string]any, lookup func(string) (string, bool)) (map[string]any, error) {
	var errs errList
	cp := deepCopy(tree).(map[string]any)
	expandTree(cp, "", lookup, &errs)
	resolveRefs(cp, cp, "", 0, &errs)
	return cp, errs.join()
}

func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = deepCopy(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = deepCopy(e)
		}
		return out
	case []string:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = e
		}
		return out
	}
	return v
}

// expandTree expands ${VAR} in every string. The format of a "$"-style
// formatter is left alone: there ${name} is a record attribute, not an
// environment variable.
func expandTree(v any, path string, lookup func(string) (string, bool), errs *errList) any {
	switch x := v.(type) {
	case map[string]any:
		dollar := false
		if s, ok := x["style"].(string); ok && s == "$" && strings.HasPrefix(path, "formatters.") {
			dollar = true
		}
		for k, e := range x {
			if dollar && (k == "format" || k == "fmt") {
				continue
			}
			x[k] = expandTree(e, core.JoinPath(path, k), lookup, errs)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = expandTree(e, fmt.Sprintf("%s[%d]", path, i), lookup, errs)
		}
		return x
	case string:
		s, err := expandEnv(x, lookup)
		if err != nil {
			errs.addValueErr(path, err)
			return x
		}
		return s
	}
	return v
}

// expandEnv expands ${VAR}, ${VAR:-default} (default when unset or empty),
// ${VAR-default} (default when unset) and ${VAR:?message} (an error when
// unset or empty). $$ is a literal $. A $ not followed by { or $ is kept, so
// ordinary text is untouched.
func expandEnv(s string, lookup func(string) (string, bool)) (string, error) {
	if !strings.Contains(s, "$") {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '$' || i+1 >= len(s) {
			b.WriteByte(c)
			continue
		}
		switch s[i+1] {
		case '$':
			b.WriteByte('$')
			i++
			continue
		case '{':
		default:
			b.WriteByte(c)
			continue
		}
		end := strings.IndexByte(s[i+2:], '}')
		if end < 0 {
			return "", fmt.Errorf("%w: unterminated ${ in %q", core.ErrBadValue, s)
		}
		expr := s[i+2 : i+2+end]
		val, err := evalVar(expr, lookup)
		if err != nil {
			return "", err
		}
		b.WriteString(val)
		i += 2 + end
	}
	return b.String(), nil
}

var varName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

func evalVar(expr string, lookup func(string) (string, bool)) (string, error) {
	name, op, arg := expr, "", ""
	for _, o := range []string{":-", ":?", "-", "?"} {
		if i := strings.Index(expr, o); i > 0 {
			name, op, arg = expr[:i], o, expr[i+len(o):]
			break
		}
	}
	if !varName.MatchString(name) {
		return "", fmt.Errorf("%w: ${%s} is not a variable reference (write $${ for a literal)", core.ErrBadValue, expr)
	}
	val, set := lookup(name)
	switch op {
	case ":-":
		if !set || val == "" {
			return arg, nil
		}
	case "-":
		if !set {
			return arg, nil
		}
	case ":?", "?":
		if !set || (op == ":?" && val == "") {
			msg := arg
			if msg == "" {
				msg = "not set"
			}
			return "", fmt.Errorf("%w: environment variable %s: %s", core.ErrMissing, name, msg)
		}
	}
	return val, nil
}

func envLookup(name string) (string, bool) { return os.LookupEnv(name) }

// resolveRefs replaces every "cfg://path" string with a copy of the value it
// names in the configuration, as Python's BaseConfigurator.cfg_convert does
// (with Python 3.13's rule that a [key] may contain dots).
func resolveRefs(root map[string]any, v any, path string, depth int, errs *errList) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = resolveRefs(root, e, core.JoinPath(path, k), depth, errs)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = resolveRefs(root, e, fmt.Sprintf("%s[%d]", path, i), depth, errs)
		}
		return x
	case string:
		if !strings.HasPrefix(x, "cfg://") {
			if strings.HasPrefix(x, "ext://") && x != "ext://sys.stdout" && x != "ext://sys.stderr" {
				errs.addValueErr(path, fmt.Errorf("%w: %q: ext:// reaches only ext://sys.stdout and ext://sys.stderr", core.ErrBadValue, x))
			}
			return x
		}
		if depth > 8 {
			errs.add(path, fmt.Errorf("%w: %q: cfg:// references nest too deep (a cycle?)", core.ErrUnknownRef, x))
			return x
		}
		target, err := lookupRef(root, strings.TrimPrefix(x, "cfg://"))
		if err != nil {
			errs.addValueErr(path, fmt.Errorf("%w: %q: %v", core.ErrUnknownRef, x, err))
			return x
		}
		return resolveRefs(root, deepCopy(target), path, depth+1, errs)
	}
	return v
}

var refWord = regexp.MustCompile(`^\s*([^\[\].\s]+)\s*`)

func lookupRef(root map[string]any, ref string) (any, error) {
	rest := ref
	m := refWord.FindStringSubmatch(rest)
	if m == nil {
		return nil, fmt.Errorf("unable to convert %q", ref)
	}
	var cur any = root
	cur, err := step(cur, m[1])
	if err != nil {
		return nil, err
	}
	rest = rest[len(m[0]):]
	for rest != "" {
		switch rest[0] {
		case '.':
			m := refWord.FindStringSubmatch(rest[1:])
			if m == nil {
				return nil, fmt.Errorf("unable to convert %q at %q", ref, rest)
			}
			if cur, err = step(cur, m[1]); err != nil {
				return nil, err
			}
			rest = rest[1+len(m[0]):]
		case '[':
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				return nil, fmt.Errorf("unable to convert %q at %q", ref, rest)
			}
			if cur, err = step(cur, strings.TrimSpace(rest[1:end])); err != nil {
				return nil, err
			}
			rest = strings.TrimLeft(rest[end+1:], " \t")
		default:
			return nil, fmt.Errorf("unable to convert %q at %q", ref, rest)
		}
	}
	return cur, nil
}

func step(cur any, key string) (any, error) {
	switch x := cur.(type) {
	case map[string]any:
		v, ok := x[key]
		if !ok {
			return nil, fmt.Errorf("no key %q", key)
		}
		return v, nil
	case []any:
		i, err := strconv.Atoi(key)
		if err != nil || i < 0 || i >= len(x) {
			return nil, fmt.Errorf("no index %q in a list of %d", key, len(x))
		}
		return x[i], nil
	}
	return nil, fmt.Errorf("%q: not a table or a list", key)
}

// errList collects configuration problems by key path.
type errList []error

func (l *errList) add(path string, err error) {
	*l = append(*l, &core.ConfigError{Path: path, Err: err})
}

// addValueErr records err, which quotes the string value at path. When the
// key names a credential the error is cut down to its kind, so that no
// part of the value is shown (an ErrMissing names only a variable).
func (l *errList) addValueErr(path string, err error) {
	if core.IsSecretKey(path[strings.LastIndexByte(path, '.')+1:]) && !errors.Is(err, core.ErrMissing) {
		kind := core.ErrBadValue
		if errors.Is(err, core.ErrUnknownRef) {
			kind = core.ErrUnknownRef
		}
		err = fmt.Errorf("%w: (value hidden: the key names a credential)", kind)
	}
	l.add(path, err)
}

func (l *errList) addAll(err error) {
	if err == nil {
		return
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		*l = append(*l, j.Unwrap()...)
		return
	}
	*l = append(*l, err)
}

func (l errList) join() error {
	if len(l) == 0 {
		return nil
	}
	return &Error{Errs: l}
}
