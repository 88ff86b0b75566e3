package filters

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/logdict/logging/core"
)

// DefaultMask replaces what a [Redact] filter hides.
const DefaultMask = "[REDACTED]"

// DefaultRedactFields are the field names whose values a [Redact] filter
// masks entirely unless RedactOptions.Fields says otherwise. A field is
// masked when its name contains one of them, ignoring case, so
// "db_password" and "X-Auth-Token" are masked too.
var DefaultRedactFields = []string{"password", "passwd", "secret", "token", "authorization", "api_key", "apikey", "credential"}

// redactRule is one pattern. When the pattern has capturing groups, the
// first group that took part in a match is masked (the value after
// "password="); otherwise the whole match is.
//
// A rule with keywords is tried only where one of them starts (ignoring
// ASCII case when fold is set; after a non-word character when boundary is
// set), with its regexp anchored there: scanning for a literal and then
// matching a short anchored regexp is far cheaper than an unanchored,
// case-insensitive search of every message. User patterns have no keywords
// and search the whole text.
type redactRule struct {
	re       *regexp.Regexp
	groups   bool
	keywords []string // lower case when fold
	fold     bool
	boundary bool
}

// The built-in patterns. Go's regexps have no look-behind, so the key
// before a secret is matched and kept, and the secret is a group.
var builtinRules = []redactRule{
	{ // AWS access key IDs: long-term (AKIA) and temporary (ASIA).
		re:       regexp.MustCompile(`^(?:AKIA|ASIA)[A-Z0-9]{16}\b`),
		keywords: []string{"AKIA", "ASIA"}, boundary: true,
	},
	{ // Authorization headers, with or without a scheme.
		re:       regexp.MustCompile(`^(?i)authorization["']?\s*[:=]\s*["']?(?:(?:bearer|basic|digest|token|negotiate)\s+)?([^\s"',;]+)`),
		keywords: []string{"authorization"}, fold: true, boundary: true,
	},
	{ // Bearer tokens anywhere ("curl -H 'Bearer eyJ...'").
		re:       regexp.MustCompile(`^(?i)bearer\s+([A-Za-z0-9\-._~+/]+=*)`),
		keywords: []string{"bearer"}, fold: true, boundary: true,
	},
	{ // key=value and "key": "value" where the key names a credential:
		// password, aws_secret_access_key, client_secret, api_key, token...
		re:       regexp.MustCompile(`^(?i)(?:password|passwd|pwd|secret|token|api_?key|access_?key)[\w.-]*["']?\s*[:=]\s*(?:"([^"\\]*)"|'([^'\\]*)'|([^\s"',;&]+))`),
		keywords: []string{"pass", "pwd", "secret", "token", "api_key", "apikey", "access_key", "accesskey"}, fold: true,
	},
	{ // Passwords in URLs: scheme://user:password@host.
		re:       regexp.MustCompile(`^://[^\s:/@]+:([^\s@/]+)@`),
		keywords: []string{"://"},
	},
}

func init() {
	for i := range builtinRules {
		builtinRules[i].groups = builtinRules[i].re.NumSubexp() > 0
	}
}

// indexFold returns the index of the lower-case ASCII word sub in s,
// ignoring ASCII case, or -1, without allocating.
func indexFold(s, sub string) int {
	n := len(sub)
	if n == 0 {
		return 0
	}
	c0 := sub[0]
	for i := 0; i+n <= len(s); i++ {
		c := s[i]
		if c != c0 && c+('a'-'A') != c0 {
			continue
		}
		j := 1
		for ; j < n; j++ {
			c := s[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != sub[j] {
				break
			}
		}
		if j == n {
			return i
		}
	}
	return -1
}

func containsFold(s, sub string) bool { return indexFold(s, sub) >= 0 }

func isWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_'
}

// next returns the first position at or after from where one of the
// rule's keywords starts, or -1.
func (rl *redactRule) next(s string, from int) int {
	best := -1
	for _, kw := range rl.keywords {
		var i int
		if rl.fold {
			i = indexFold(s[from:], kw)
		} else {
			i = strings.Index(s[from:], kw)
		}
		if i >= 0 && (best < 0 || from+i < best) {
			best = from + i
		}
	}
	return best
}

// secretSpan returns the part of a match to mask, or -1.
func (rl *redactRule) secretSpan(loc []int) (int, int) {
	if !rl.groups {
		return loc[0], loc[1]
	}
	for g := 2; g+1 < len(loc); g += 2 {
		if loc[g] >= 0 {
			return loc[g], loc[g+1]
		}
	}
	return -1, -1
}

// apply masks the rule's matches in s; it allocates only when it masks.
func (rl *redactRule) apply(s, mask string) (string, bool) {
	var b strings.Builder
	last := 0
	masked := func(lo, hi int) {
		if lo < 0 || lo == hi || s[lo:hi] == mask {
			return
		}
		if b.Len() == 0 {
			b.Grow(len(s) + len(mask))
		}
		b.WriteString(s[last:lo])
		b.WriteString(mask)
		last = hi
	}
	if rl.keywords == nil {
		for _, loc := range rl.re.FindAllStringSubmatchIndex(s, -1) {
			masked(rl.secretSpan(loc))
		}
	} else {
		for pos := 0; pos < len(s); {
			i := rl.next(s, pos)
			if i < 0 {
				break
			}
			pos = i + 1
			if rl.boundary && i > 0 && isWordByte(s[i-1]) {
				continue
			}
			loc := rl.re.FindStringSubmatchIndex(s[i:])
			if loc == nil {
				continue
			}
			for k := range loc {
				if loc[k] >= 0 {
					loc[k] += i
				}
			}
			masked(rl.secretSpan(loc))
			pos = max(pos, loc[1])
		}
	}
	if last == 0 {
		return s, false
	}
	b.WriteString(s[last:])
	return b.String(), true
}

// RedactOptions configure a [Redact] filter. The zero value masks the
// built-in patterns and [DefaultRedactFields] with [DefaultMask].
type RedactOptions struct {
	// Patterns are extra regular expressions (Go syntax). When one has
	// capturing groups, the first group that matched is masked; otherwise
	// the whole match is (use (?:...) to group without capturing).
	Patterns []string
	// Fields are the field names whose values are masked entirely (by
	// case-insensitive containment); nil means [DefaultRedactFields], an
	// empty non-nil slice means none.
	Fields []string
	// Mask replaces each secret; "" means [DefaultMask].
	Mask string
	// NoBuiltins turns off the built-in patterns (AWS access key IDs,
	// credentials in key=value and JSON form, Authorization headers,
	// bearer tokens, passwords in URLs).
	NoBuiltins bool
}

// Redact masks secrets in the message and the field values a record will be
// printed with: AWS access key IDs (AKIA/ASIA...), values given to keys
// that name a credential (`password=...`, `"aws_secret_access_key": "..."`,
// `client_secret: ...`), Authorization headers and bearer tokens, passwords
// in URLs, and patterns of one's own. The values of fields whose name
// contains a configured word (password, secret, token...) are masked
// entirely.
//
// Like a Python filter that rewrites record.msg, it replaces the message
// with [core.Record.SetMessage] and shadows fields with [core.Record.Set];
// the logrus entry, shared with logrus's other hooks, is never modified.
// String, error and fmt.Stringer values are inspected; a masked error stays
// an error (so formatters still append it). Other values (numbers, structs)
// are printed as they are. It always passes the record.
//
// Put it on the logger (or the root) so that every handler sees the masked
// record, or on one handler (say CloudWatch only); as in Python, a record is
// shared by the handlers of one dispatch, so handlers reached after a
// handler-level Redact see the masked record too.
//
// A Redact is immutable and safe for concurrent use. Build it with
// [NewRedact]; the zero value masks nothing.
type Redact struct {
	rules  []redactRule
	fields []string // lower case
	mask   string
}

var _ core.Filter = (*Redact)(nil)

// NewRedact compiles a redaction filter. An invalid pattern is an error
// that names its index.
func NewRedact(o RedactOptions) (*Redact, error) {
	f := &Redact{mask: o.Mask}
	if f.mask == "" {
		f.mask = DefaultMask
	}
	if !o.NoBuiltins {
		f.rules = append(f.rules, builtinRules...)
	}
	var errs []error
	for i, p := range o.Patterns {
		re, err := compilePattern(p)
		if err != nil {
			errs = append(errs, fmt.Errorf("pattern %d: %w", i, err))
			continue
		}
		f.rules = append(f.rules, redactRule{re: re, groups: re.NumSubexp() > 0})
	}
	fields := o.Fields
	if fields == nil {
		fields = DefaultRedactFields
	}
	for _, k := range fields {
		if k != "" {
			f.fields = append(f.fields, strings.ToLower(k))
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return f, nil
}

func compilePattern(p string) (*regexp.Regexp, error) {
	if p == "" {
		return nil, errors.New("empty pattern")
	}
	re, err := regexp.Compile(p)
	if err != nil {
		return nil, err
	}
	if re.MatchString("") {
		// It would insert the mask between every two characters.
		return nil, fmt.Errorf("%q matches the empty string", p)
	}
	return re, nil
}

// Filter masks r's secrets and returns true.
func (f *Redact) Filter(r *core.Record) bool {
	if msg := r.Message(); msg != "" {
		if red, ok := f.redact(msg); ok {
			r.SetMessage(red)
		}
	}
	// Attributes are set after the walk: setting a new one while Range
	// visits the map would make it visit it again.
	var buf [8]redactedAttr
	changed := buf[:0]
	r.Range(func(k string, v any) bool {
		if nv, ok := f.value(k, v); ok {
			changed = append(changed, redactedAttr{k, nv})
		}
		return true
	})
	for _, c := range changed {
		r.Set(c.key, c.val)
	}
	return true
}

type redactedAttr struct {
	key string
	val any
}

// value returns the masked form of the attribute k=v, and whether it
// differs from v.
func (f *Redact) value(k string, v any) (any, bool) {
	if f.secretField(k) {
		if s, ok := v.(string); ok && s == f.mask {
			return nil, false
		}
		if _, ok := v.(redactedError); ok {
			return nil, false
		}
		if err, ok := v.(error); ok && err != nil {
			return redactedError{msg: f.mask, err: err}, true
		}
		return f.mask, true
	}
	switch x := v.(type) {
	case string:
		if red, ok := f.redact(x); ok {
			return red, true
		}
	case redactedError:
	case error:
		if x == nil {
			return nil, false
		}
		if red, ok := f.redact(x.Error()); ok {
			return redactedError{msg: red, err: x}, true
		}
	case fmt.Stringer:
		if red, ok := f.redact(x.String()); ok {
			return red, true
		}
	}
	return nil, false
}

func (f *Redact) secretField(k string) bool {
	for _, w := range f.fields {
		if containsFold(k, w) {
			return true
		}
	}
	return false
}

// redact applies every rule to s in turn and reports whether anything was
// masked. It allocates only when something is.
func (f *Redact) redact(s string) (string, bool) {
	changed := false
	for i := range f.rules {
		if out, ok := f.rules[i].apply(s, f.mask); ok {
			s, changed = out, true
		}
	}
	return s, changed
}

// redactedError is an error whose text was masked. It stays an error, so
// formatters that append the record's error still do, and it unwraps to the
// original for errors.Is.
type redactedError struct {
	msg string
	err error
}

func (e redactedError) Error() string { return e.msg }
func (e redactedError) Unwrap() error { return e.err }

// RedactFactory builds a [Redact] filter. Keys: `patterns` (a list of
// regular expressions; the first capturing group, if any, is what is
// masked), `fields` (field names whose values are masked entirely; default
// [DefaultRedactFields]; [] for none), `mask` (default "[REDACTED]") and
// `builtins` (default true: the built-in patterns).
func RedactFactory(p *core.Params, _ *core.Env) (core.Filter, error) {
	o := RedactOptions{Mask: p.String("mask", DefaultMask), NoBuiltins: !p.Bool("builtins", true)}
	if o.Mask == "" {
		p.Errorf("mask", "%w: must not be empty", core.ErrBadValue)
	}
	o.Patterns = p.StringList("patterns")
	var errs []error
	for i, pat := range o.Patterns {
		if _, err := compilePattern(pat); err != nil {
			// The path is an index into the list, which Params.Fail would
			// quote as one key.
			errs = append(errs, &core.ConfigError{Path: fmt.Sprintf("%s[%d]", p.Path("patterns"), i),
				Err: fmt.Errorf("%w: %v", core.ErrBadValue, err)})
		}
	}
	if p.Has("fields") {
		o.Fields = p.StringList("fields")
		if o.Fields == nil {
			o.Fields = []string{}
		}
	}
	if err := errors.Join(append([]error{p.Err()}, errs...)...); err != nil {
		return nil, err
	}
	return NewRedact(o)
}
