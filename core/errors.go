package core

import (
	"errors"
	"strconv"
	"strings"
)

// Sentinels wrapped by configuration errors, for errors.Is.
var (
	ErrUnknownClass = errors.New("unknown class")
	ErrUnknownKey   = errors.New("unknown key")
	ErrBadValue     = errors.New("bad value")
	ErrMissing      = errors.New("missing")
	ErrUnknownRef   = errors.New("unknown reference")
)

// ConfigError is a problem with one key of a configuration. Path is the key
// path, such as `handlers.watchtower.class` or `loggers."django.request".level`.
type ConfigError struct {
	Path string
	Err  error
}

func (e *ConfigError) Error() string {
	if e.Path == "" {
		return e.Err.Error()
	}
	return e.Path + ": " + e.Err.Error()
}

func (e *ConfigError) Unwrap() error { return e.Err }

// JoinPath appends key to a key path, quoting it as a TOML key when it is not
// a bare key: JoinPath("loggers", "django.request") is `loggers."django.request"`.
func JoinPath(path, key string) string {
	k := QuoteKey(key)
	if path == "" {
		return k
	}
	return path + "." + k
}

// QuoteKey returns key as a TOML bare key when it is one, else quoted.
func QuoteKey(key string) string {
	if key == "" {
		return `""`
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return strconv.Quote(key)
		}
	}
	return key
}

// IsSecretKey reports whether a key names a credential, whose value must
// never be echoed in an error, a dump or a log line.
func IsSecretKey(key string) bool {
	k := strings.ToLower(key)
	for _, s := range []string{"secret", "password", "passwd", "token", "access_key", "credential", "api_key", "apikey"} {
		if strings.Contains(k, s) {
			return true
		}
	}
	return false
}

// Suggest returns the known name closest to s by edit distance, or "" when
// none is close enough to be a likely typo ("propogate" -> "propagate").
func Suggest(s string, known []string) string {
	best, bestD := "", 3
	if len(s) <= 4 {
		bestD = 2
	}
	for _, k := range known {
		if d := editDistance(strings.ToLower(s), strings.ToLower(k)); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	// Optimal string alignment distance: a swap of two neighbours ("propogate")
	// is one typo, not two.
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}
