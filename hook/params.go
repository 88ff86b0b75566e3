package hook

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/logdict/logging/core"
)

// defaultPerm is the mode of a log file this package creates: not readable
// by everyone, as a log can hold what users typed. The umask still applies.
const defaultPerm os.FileMode = 0o640

// streamParam resolves the key `stream`: ext://sys.stderr (the default, as
// in Python) or ext://sys.stdout. A writer value (from ConfigureMap) is used
// as is. Nothing else is reachable from a configuration file.
func streamParam(p *core.Params, env *core.Env) io.Writer {
	v, ok := p.Raw("stream")
	if !ok || v == nil {
		v = "ext://sys.stderr"
	}
	switch x := v.(type) {
	case io.Writer:
		return x
	case string:
		switch strings.TrimSpace(x) {
		case "ext://sys.stderr":
			if env != nil && env.Stderr != nil {
				return env.Stderr
			}
			return os.Stderr
		case "ext://sys.stdout":
			if env != nil && env.Stdout != nil {
				return env.Stdout
			}
			return os.Stdout
		}
		if strings.HasPrefix(x, "ext://") {
			p.Errorf("stream", "%w: ext:// reaches only sys.stdout and sys.stderr, got %q", core.ErrBadValue, x)
		} else {
			p.Errorf("stream", "%w: want ext://sys.stdout or ext://sys.stderr, got %q", core.ErrBadValue, x)
		}
	default:
		p.Errorf("stream", "%w: want ext://sys.stdout or ext://sys.stderr, got %T", core.ErrBadValue, v)
	}
	return nil
}

// terminatorParam reads `terminator` (default "\n"); an explicit "" is kept.
func terminatorParam(p *core.Params) (term string, none bool) {
	term = p.String("terminator", "\n")
	return term, term == ""
}

// encodingParam accepts `encoding` when it is UTF-8 under any of Python's
// spellings, or null: Go writes the formatted bytes as they are, which are
// UTF-8. Python's `errors` is accepted and ignored for the same reason.
func encodingParam(p *core.Params) {
	p.Use("errors")
	enc := p.String("encoding", "")
	switch strings.ReplaceAll(strings.ToLower(enc), "_", "-") {
	case "", "utf-8", "utf8", "u8", "utf", "cp65001":
	default:
		p.Errorf("encoding", "%w: only UTF-8 is supported, got %q", core.ErrBadValue, enc)
	}
}

// permParam reads the mode of new files from `perm` or its alias
// `file_mode`: an octal string ("0640", "640", "0o640") or an integer mode
// (TOML's 0o640). A decimal integer that reads as octal digits, such as 640,
// is refused: it almost surely meant "0640".
func permParam(p *core.Params) os.FileMode {
	key := p.Alias("perm", "file_mode")
	v, ok := p.Raw(key)
	if !ok || v == nil {
		return defaultPerm
	}
	var n int64
	switch x := v.(type) {
	case string:
		s := strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(x), "0o"), "0O")
		u, err := strconv.ParseUint(s, 8, 32)
		if err != nil {
			p.Errorf(key, "%w: want an octal mode such as \"0640\", got %q", core.ErrBadValue, x)
			return defaultPerm
		}
		n = int64(u)
	case int64:
		n = x
	case int:
		n = int64(x)
	case float64:
		n = int64(x)
		if float64(n) != x {
			n = -1
		}
	default:
		p.Errorf(key, "%w: want an octal mode such as \"0640\", got %T", core.ErrBadValue, v)
		return defaultPerm
	}
	if n < 0 || n > 0o777 {
		p.Errorf(key, "%w: want an octal mode such as \"0640\" (quote it), got %v", core.ErrBadValue, v)
		return defaultPerm
	}
	return os.FileMode(n)
}

// fileParams are the keys every file handler shares.
type fileParams struct {
	filename string // absolute
	truncate bool   // mode "w"
	delay    bool
	perm     os.FileMode
	term     string
	noTerm   bool
}

// readFileParams reads filename, mode, encoding, errors, delay, perm and
// terminator. Python resolves filename to an absolute path at construction,
// so a later chdir does not move the log; so does this.
func readFileParams(p *core.Params) fileParams {
	var fp fileParams
	if name := p.RequiredString("filename"); name != "" {
		abs, err := filepath.Abs(name)
		if err != nil {
			p.Errorf("filename", "%w: %w", core.ErrBadValue, err)
		}
		fp.filename = abs
	}
	switch mode := p.String("mode", "a"); mode {
	case "a", "at", "a+":
	case "w", "wt", "w+":
		fp.truncate = true
	default:
		p.Errorf("mode", "%w: want \"a\" (append) or \"w\" (truncate), got %q", core.ErrBadValue, mode)
	}
	encodingParam(p)
	fp.delay = p.Bool("delay", false)
	fp.perm = permParam(p)
	fp.term, fp.noTerm = terminatorParam(p)
	return fp
}

// openErr is the configuration error for a file that cannot be opened.
func openErr(p *core.Params, err error) error {
	return &core.ConfigError{Path: p.Path("filename"), Err: fmt.Errorf("%w: %w", core.ErrBadValue, err)}
}
