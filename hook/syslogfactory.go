package hook

import (
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/logdict/logging/core"
)

// syslogFacilities are Python's SysLogHandler.facility_names.
var syslogFacilities = map[string]int{
	"kern": 0, "user": 1, "mail": 2, "daemon": 3, "auth": 4, "syslog": 5, "lpr": 6, "news": 7,
	"uucp": 8, "cron": 9, "authpriv": 10, "ftp": 11, "ntp": 12, "security": 13, "console": 14,
	"solaris-cron": 15, "local0": 16, "local1": 17, "local2": 18, "local3": 19, "local4": 20,
	"local5": 21, "local6": 22, "local7": 23,
}

// SysLogFactory builds a [SysLog] (logging.handlers.SysLogHandler) from
// Python's keys:
//
//   - `address`: [host, port] (default ["localhost", 514]) or the path of
//     a unix socket ("/dev/log"); "host:port" is accepted too.
//   - `facility`: a name of Python's facility_names ("user", the default,
//     "daemon", "auth", "local0".."local7", ...; "LOG_LOCAL0" too) or its
//     number 0..23.
//   - `socktype`: "SOCK_DGRAM" (default; UDP, or a unix datagram socket
//     falling back to a stream one when absent, as Python does) or
//     "SOCK_STREAM" (TCP); "udp"/"tcp"/"dgram"/"stream" and Python's
//     numbers 2/1 too. ext:// values are not resolved: write the name.
//   - `ident` and `append_nul` (default true): Python's attributes, set in
//     its "." table, which the registry merges into these keys.
//   - `timeout` (seconds, default 5: connecting and each write, on the
//     sender goroutine) and `queue_size` (default 1024).
//
// Errors of the sender go to env.OnError, else env.Stderr.
func SysLogFactory(p *core.Params, env *core.Env) (core.Handler, error) {
	if env == nil {
		env = &core.Env{}
	}
	o := SysLogOptions{Name: env.Name, OnError: envOnError(env.OnError, env.Stderr)}
	addr, unix := syslogAddress(p)
	o.Address = addr
	o.Facility = facilityParam(p)
	o.KernFacility = o.Facility == 0
	stream, given := socktypeParam(p)
	switch {
	case unix && given && stream:
		o.Network = "unix"
	case unix && given:
		o.Network = "unixgram"
	case unix:
		o.Network = ""
	case stream:
		o.Network = "tcp"
	default:
		o.Network = "udp"
	}
	o.Ident = p.String("ident", "")
	o.AppendNUL = p.Bool("append_nul", true)
	o.Timeout = p.Duration("timeout", 5*time.Second, time.Millisecond, time.Hour)
	o.QueueSize = int(p.Int("queue_size", 1024, 1, 1<<20))
	if err := p.Err(); err != nil {
		return nil, err
	}
	return NewSysLog(o)
}

// syslogAddress reads `address`: a list is [host, port], a string with a
// port is host:port, another string is a unix socket path.
func syslogAddress(p *core.Params) (addr string, unix bool) {
	v, ok := p.Raw("address")
	if !ok || v == nil {
		return "localhost:514", false
	}
	switch x := v.(type) {
	case string:
		s := strings.TrimSpace(x)
		if s == "" {
			p.Errorf("address", "%w: want [host, port] or a unix socket path, got \"\"", core.ErrBadValue)
			return "", false
		}
		if isHostPort(s) && !strings.HasPrefix(s, "/") {
			return s, false
		}
		return s, true
	case []any, []string:
		host, port := mailhostParamList(p, "address", x)
		if host == "" {
			return "", false
		}
		return net.JoinHostPort(host, strconv.Itoa(port)), false
	}
	p.Errorf("address", "%w: want [host, port] or a unix socket path, got %T", core.ErrBadValue, v)
	return "", false
}

// mailhostParamList reads a [host, port] list value.
func mailhostParamList(p *core.Params, key string, v any) (string, int) {
	switch x := v.(type) {
	case []any:
		return hostPortList(p, key, x)
	case []string:
		l := make([]any, len(x))
		for i, s := range x {
			l[i] = s
		}
		return hostPortList(p, key, l)
	}
	return "", 0
}

// facilityParam reads `facility` by name or number; default user.
func facilityParam(p *core.Params) int {
	v, ok := p.Raw("facility")
	if !ok || v == nil {
		return 1
	}
	if s, isStr := v.(string); isStr {
		name := strings.ToLower(strings.TrimSpace(s))
		if strings.HasPrefix(name, "ext://") {
			p.Errorf("facility", "%w: ext:// is not resolved here; write the facility name, such as \"local0\", got %q", core.ErrBadValue, s)
			return 1
		}
		name = strings.TrimPrefix(name, "log_")
		if n, found := syslogFacilities[name]; found {
			return n
		}
		if n, err := strconv.Atoi(name); err == nil && n >= 0 && n <= 23 {
			return n
		}
		p.Errorf("facility", "%w: unknown facility %q (want user, daemon, auth, local0..local7, ... or 0..23)", core.ErrBadValue, s)
		return 1
	}
	return int(p.Int("facility", 1, 0, 23))
}

// socktypeParam reads `socktype`: whether it asks for a stream socket,
// and whether it was given at all.
func socktypeParam(p *core.Params) (stream, given bool) {
	v, ok := p.Raw("socktype")
	if !ok || v == nil {
		return false, false
	}
	if s, isStr := v.(string); isStr {
		switch strings.ToUpper(strings.TrimSpace(s)) {
		case "SOCK_STREAM", "STREAM", "TCP", "SOCKET.SOCK_STREAM":
			return true, true
		case "SOCK_DGRAM", "DGRAM", "UDP", "SOCKET.SOCK_DGRAM":
			return false, true
		}
		if strings.HasPrefix(s, "ext://") {
			p.Errorf("socktype", "%w: ext:// is not resolved here; write \"SOCK_STREAM\" or \"SOCK_DGRAM\", got %q", core.ErrBadValue, s)
		} else {
			p.Errorf("socktype", "%w: want \"SOCK_DGRAM\" or \"SOCK_STREAM\", got %q", core.ErrBadValue, s)
		}
		return false, false
	}
	// Python's socket.SOCK_STREAM is 1 and SOCK_DGRAM 2 (on Linux and BSD).
	switch p.Int("socktype", 2, 1, 2) {
	case 1:
		return true, true
	default:
		return false, true
	}
}
