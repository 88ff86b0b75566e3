package djangoport

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// table is one [header] of the output, in the order it is written.
type table struct {
	path      []string
	pre       []string // comment lines before the header
	items     []*item
	commented bool // the whole table is written as comments
}

// item is one key of a table, or a comment standing for one.
type item struct {
	key       string
	text      string   // the TOML value; "" for a comment-only item
	pre       []string // comment lines before the key
	commented bool
}

// tomlKey returns key as a TOML bare key when it is one, else quoted.
func tomlKey(key string) string {
	if key == "" {
		return `""`
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return tomlString(key)
		}
	}
	return key
}

// tomlString returns s as a TOML basic string.
func tomlString(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\f':
			b.WriteString(`\f`)
		case r == utf8.RuneError && n == 1:
			b.WriteString(`\uFFFD`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	b.WriteByte('"')
	return b.String()
}

// expandable returns the text of string parts as the library's ${VAR}
// expansion will read it: each literal $ that would start an expansion is
// doubled, and references are written ${VAR} or ${VAR:-default}. With
// noExpand (the format of a "$"-style formatter, which is not expanded) the
// text is literal and references are impossible.
func expandable(ps []part, noExpand bool) (string, bool) {
	var b strings.Builder
	for i, p := range ps {
		if p.env != "" {
			if noExpand {
				return "", false
			}
			b.WriteString("${" + p.env)
			if p.hasDef {
				b.WriteString(":-" + p.def)
			}
			b.WriteString("}")
			continue
		}
		if noExpand {
			b.WriteString(p.lit)
			continue
		}
		for j := 0; j < len(p.lit); j++ {
			c := p.lit[j]
			b.WriteByte(c)
			if c != '$' {
				continue
			}
			var next byte
			switch {
			case j+1 < len(p.lit):
				next = p.lit[j+1]
			case i+1 < len(ps) && ps[i+1].env != "":
				next = '$'
			}
			if next == '{' || next == '$' {
				b.WriteByte('$')
			}
		}
	}
	return b.String(), true
}

// renderValue returns the TOML text of a value, or why it has none.
func renderValue(v *val, noExpand bool) (string, string) {
	return renderNested(v, noExpand, 0)
}

// maxRenderDepth bounds the lists and dicts inside one another that a value is
// written with; deeper (or a container holding itself, which Python allows)
// is not converted.
const maxRenderDepth = 64

const tooDeep = "lists or dicts nested too deep, or a list or dict that contains itself"

func renderNested(v *val, noExpand bool, depth int) (string, string) {
	if depth > maxRenderDepth {
		return "", tooDeep
	}
	switch v.k {
	case vBool:
		return strconv.FormatBool(v.b), ""
	case vInt:
		if v.level != "" {
			return tomlString(v.level), ""
		}
		return strconv.FormatInt(v.i, 10), ""
	case vFloat:
		s := pyFloat(v.f)
		if s == "inf" || s == "-inf" || s == "nan" {
			return s, ""
		}
		return s, ""
	case vStr:
		ps := v.s
		if v.isPath {
			ps = pathParts(v)
		}
		s, ok := expandable(ps, noExpand)
		if !ok {
			return "", "an environment variable cannot be used in a \"$\"-style format"
		}
		return tomlString(s), ""
	case vStream:
		return tomlString(v.qual), ""
	case vList, vTuple:
		parts := make([]string, 0, len(v.items))
		for _, it := range v.items {
			s, why := renderNested(it, false, depth+1)
			if why == tooDeep {
				return "", why
			}
			if why != "" {
				return "", "an element: " + why
			}
			parts = append(parts, s)
		}
		return "[" + strings.Join(parts, ", ") + "]", ""
	case vDict:
		parts := make([]string, 0, len(v.d.order))
		for _, e := range v.d.order {
			if e.bad != "" {
				return "", "a key could not be read (" + e.bad + ")"
			}
			s, why := renderNested(e.v, false, depth+1)
			if why == tooDeep {
				return "", why
			}
			if why != "" {
				return "", fmt.Sprintf("the value of %q is %s", e.key, why)
			}
			parts = append(parts, tomlKey(e.key)+" = "+s)
		}
		if len(parts) == 0 {
			return "{}", ""
		}
		return "{ " + strings.Join(parts, ", ") + " }", ""
	case vNone:
		return "", "None (TOML has no null)"
	case vSession:
		return "", "a boto3 session"
	case vRef:
		if v.undefined {
			return "", v.why
		}
		if v.def != "" {
			return "", fmt.Sprintf("the %s %s defined in %s", v.def, v.qual, v.where)
		}
		return "", "the Python object " + v.qual
	}
	if v.why != "" {
		return "", v.why
	}
	return "", "not a value the converter knows"
}

// writeDoc writes top-level items, then the tables, as TOML.
func writeDoc(top []*item, tables []*table) []byte {
	var b bytes.Buffer
	b.WriteString("# Converted from a Django settings file by djangoport.\n")
	writeItems(&b, top, "")
	for _, t := range tables {
		b.WriteByte('\n')
		prefix := ""
		if t.commented {
			prefix = "# "
		}
		for _, c := range t.pre {
			writeComment(&b, "", c)
		}
		keys := make([]string, len(t.path))
		for i, k := range t.path {
			keys[i] = tomlKey(k)
		}
		b.WriteString(prefix + "[" + strings.Join(keys, ".") + "]\n")
		writeItems(&b, t.items, prefix)
	}
	return b.Bytes()
}

func writeItems(b *bytes.Buffer, items []*item, prefix string) {
	width := 0
	for _, it := range items {
		if it.text != "" {
			width = max(width, utf8.RuneCountInString(tomlKey(it.key)))
		}
	}
	for _, it := range items {
		for _, c := range it.pre {
			writeComment(b, prefix, c)
		}
		if it.text == "" {
			continue
		}
		k := tomlKey(it.key)
		line := k + strings.Repeat(" ", width-utf8.RuneCountInString(k)) + " = " + it.text
		if it.commented || prefix != "" {
			line = "# " + line
		}
		b.WriteString(line + "\n")
	}
}

// writeComment writes a comment, one "#" line per line of text, with
// control characters (which TOML comments may not hold) made visible.
func writeComment(b *bytes.Buffer, prefix, text string) {
	for i, l := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		l = strings.Map(func(r rune) rune {
			if r < 0x20 && r != '\t' || r == 0x7f || r == utf8.RuneError {
				return '?'
			}
			return r
		}, strings.TrimRight(l, " \t"))
		lead := "# "
		if i > 0 {
			lead += "  "
		}
		b.WriteString(strings.TrimRight(lead+l, " ") + "\n")
	}
}
