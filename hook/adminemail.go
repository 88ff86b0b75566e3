package hook

import (
	"net/mail"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/logdict/logging/core"
)

// djangoSubjectMax is where the subject (before the prefix) is cut, as
// Django's format_subject did up to 2.x: with "Subject: " it keeps the
// header line within SMTP's 998 bytes.
const djangoSubjectMax = 989

// The email backends AdminEmailFactory accepts, by Django's class path.
const (
	djangoSMTPBackend    = "django.core.mail.backends.smtp.EmailBackend"
	djangoConsoleBackend = "django.core.mail.backends.console.EmailBackend"
	djangoDummyBackend   = "django.core.mail.backends.dummy.EmailBackend"
	djangoReporter       = "django.views.debug.ExceptionReporter"
)

// DjangoSubject returns the subject function of Django's AdminEmailHandler
// for [SMTPOptions.SubjectFunc]: prefix + "LEVEL: message", with CR and LF
// escaped as `\r` and `\n` and the part after the prefix cut to 989
// characters. The message is the record's message, not its formatted text;
// with no record it is p.
func DjangoSubject(prefix string) func(r *core.Record, p []byte) string {
	return func(r *core.Record, p []byte) string {
		var b strings.Builder
		if r != nil {
			b.WriteString(r.Level.String())
			b.WriteString(": ")
			if r.Entry != nil {
				b.WriteString(r.Message())
			}
		} else {
			b.Write(p)
		}
		s := b.String()
		if strings.ContainsAny(s, "\r\n") {
			s = strings.NewReplacer("\n", `\n`, "\r", `\r`).Replace(s)
		}
		if utf8.RuneCountInString(s) > djangoSubjectMax {
			n := 0
			for i := range s {
				if n == djangoSubjectMax {
					s = s[:i]
					break
				}
				n++
			}
		}
		return prefix + s
	}
}

// AdminEmailFactory builds Django's AdminEmailHandler
// (django.utils.log.AdminEmailHandler): an [SMTP] handler that mails each
// record to the site admins, subject "[Django] ERROR: message". Django
// reads its settings module; here the keys are its settings in lower case,
// each defaulting to the environment variable named after the setting:
//
//   - `admins`: addresses, "Name <addr>" or [name, addr] pairs; default
//     $DJANGO_ADMINS, comma-separated. None: the handler sends nothing and
//     reports nothing, as Django returns early.
//   - `server_email`: the sender; default $SERVER_EMAIL, else "root@localhost".
//   - `email_host` ($EMAIL_HOST, "localhost"), `email_port` ($EMAIL_PORT, 25).
//   - `email_host_user`, `email_host_password` ($EMAIL_HOST_USER,
//     $EMAIL_HOST_PASSWORD): log in when both are set, as Django does.
//   - `email_use_tls` (STARTTLS), `email_use_ssl` (TLS from the start; not
//     both), `email_timeout` (seconds; default 5, where Django waits forever).
//   - `email_subject_prefix`: default "[Django] ".
//   - `include_html`: accepted; only the text part is sent (there is no
//     HTML traceback report in Go).
//   - `email_backend`: Django's smtp (default), console (writes the message
//     to env.Stdout) or dummy (sends nothing) backend; others are refused.
//   - `reporter_class`: only Django's default ExceptionReporter is
//     accepted; the body is the formatted record alone (no traceback
//     report).
//   - `queue_size`: mails waiting for the sender, default 64.
//
// The environment is read when the handler is built.
func AdminEmailFactory(p *core.Params, env *core.Env) (core.Handler, error) {
	if env == nil {
		env = &core.Env{}
	}
	admins := adminsParam(p)
	o := SMTPOptions{Name: env.Name, OnError: envOnError(env.OnError, env.Stderr)}
	o.From = envString(p, "server_email", "SERVER_EMAIL", "root@localhost")
	if strings.ContainsAny(o.From, "\r\n") {
		p.Errorf("server_email", "%w: line breaks are not allowed in an address", core.ErrBadValue)
	}
	o.Host = envString(p, "email_host", "EMAIL_HOST", "localhost")
	o.Port = envPort(p, "email_port", "EMAIL_PORT", 25)
	o.Username = envString(p, "email_host_user", "EMAIL_HOST_USER", "")
	o.Password = envString(p, "email_host_password", "EMAIL_HOST_PASSWORD", "")
	if o.Password == "" {
		o.Username = "" // Django logs in only when both are set
	}
	o.StartTLS = p.Bool("email_use_tls", false)
	o.SSL = p.Bool("email_use_ssl", false)
	if o.StartTLS && o.SSL {
		p.Errorf("email_use_ssl", "%w: email_use_tls and email_use_ssl are mutually exclusive", core.ErrBadValue)
	}
	o.Timeout = p.Duration("email_timeout", 5*time.Second, time.Millisecond, time.Hour)
	prefix := p.String("email_subject_prefix", "[Django] ")
	if strings.ContainsAny(prefix, "\r\n") {
		p.Errorf("email_subject_prefix", "%w: line breaks are not allowed", core.ErrBadValue)
	}
	p.Bool("include_html", false)
	backend := p.OneOf("email_backend", djangoSMTPBackend, djangoSMTPBackend, djangoConsoleBackend, djangoDummyBackend)
	p.OneOf("reporter_class", djangoReporter, djangoReporter)
	o.QueueSize = int(p.Int("queue_size", 64, 1, 1<<20))
	if err := p.Err(); err != nil {
		return nil, err
	}
	if len(admins) == 0 || backend == djangoDummyBackend {
		return Null{}, nil
	}
	o.To = admins
	o.toHeader = strings.Join(admins, ", ")
	o.SubjectFunc = DjangoSubject(prefix)
	if backend == djangoConsoleBackend {
		o.console = env.Stdout
		if o.console == nil {
			o.console = os.Stdout
		}
	}
	return NewSMTP(o)
}

// adminsParam reads `admins`, else $DJANGO_ADMINS, returning the
// addresses (Django mails a[1] of each pair; names are not used).
func adminsParam(p *core.Params) []string {
	v, ok := p.Raw("admins")
	if !ok || v == nil {
		var out []string
		for _, a := range strings.Split(os.Getenv("DJANGO_ADMINS"), ",") {
			if a = strings.TrimSpace(a); a == "" {
				continue
			}
			if addr, err := mail.ParseAddress(a); err == nil {
				a = addr.Address
			}
			if strings.ContainsAny(a, "\r\n") {
				p.Errorf("admins", "%w: $DJANGO_ADMINS: line breaks are not allowed in an address", core.ErrBadValue)
				return nil
			}
			out = append(out, a)
		}
		return out
	}
	list, ok := v.([]any)
	if !ok {
		if s, isStr := v.([]string); isStr {
			list = make([]any, len(s))
			for i := range s {
				list[i] = s[i]
			}
		} else {
			p.Errorf("admins", "%w: want a list of addresses or [name, address] pairs, got %T", core.ErrBadValue, v)
			return nil
		}
	}
	var out []string
	for i, e := range list {
		var a string
		switch x := e.(type) {
		case string:
			a = strings.TrimSpace(x)
			if addr, err := mail.ParseAddress(a); err == nil {
				a = addr.Address
			}
		case []any:
			if len(x) == 2 {
				a, _ = x[1].(string)
			}
			if a == "" {
				p.Errorf("admins", "%w: item %d: want [name, address]", core.ErrBadValue, i)
				continue
			}
		default:
			p.Errorf("admins", "%w: item %d: want an address or [name, address], got %T", core.ErrBadValue, i, e)
			continue
		}
		if a == "" || strings.ContainsAny(a, "\r\n") {
			p.Errorf("admins", "%w: item %d: empty address or line breaks in it", core.ErrBadValue, i)
			continue
		}
		out = append(out, strings.TrimSpace(a))
	}
	return out
}

// envString reads key, else the environment variable, else def.
func envString(p *core.Params, key, envVar, def string) string {
	if v, ok := p.Raw(key); ok && v != nil {
		return p.String(key, def)
	}
	if s, ok := os.LookupEnv(envVar); ok && s != "" {
		return s
	}
	return def
}

// envPort reads a port from key, else the environment variable, else def.
func envPort(p *core.Params, key, envVar string, def int) int {
	if v, ok := p.Raw(key); ok && v != nil {
		return int(p.Int(key, int64(def), 1, 65535))
	}
	s, ok := os.LookupEnv(envVar)
	if !ok || s == "" {
		return def
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 1 || n > 65535 {
		p.Errorf(key, "%w: $%s=%q is not a port number 1..65535", core.ErrBadValue, envVar, s)
		return def
	}
	return n
}
