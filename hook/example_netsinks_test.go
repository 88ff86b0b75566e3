package hook_test

import (
	"context"
	"fmt"
	"net"
	"time"

	"github.com/logdict/logging/core"
	"github.com/logdict/logging/hook"
	"github.com/sirupsen/logrus"
)

// SysLogHandler's keys port unchanged; the bytes sent are Python's:
// <PRI>message\x00, PRI = facility*8 + severity.
func ExampleSysLogFactory() {
	pc, _ := net.ListenPacket("udp", "127.0.0.1:0") // a stand-in syslog daemon
	defer pc.Close()
	port := int64(pc.LocalAddr().(*net.UDPAddr).Port)

	h, err := hook.SysLogFactory(core.NewParams("handlers.syslog", map[string]any{
		"address":  []any{"127.0.0.1", port},
		"facility": "local0",
	}), &core.Env{Name: "syslog"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer h.Close(context.Background())
	_ = h.Emit(&core.Record{Level: core.ERROR}, []byte("app: disk full"))

	buf := make([]byte, 1024)
	_ = pc.SetReadDeadline(time.Now().Add(5 * time.Second))
	n, _, _ := pc.ReadFrom(buf)
	fmt.Printf("%q\n", buf[:n])
	// Output: "<131>app: disk full\x00"
}

// Django's AdminEmailHandler subject: prefix, level, message, with line
// breaks escaped.
func ExampleDjangoSubject() {
	subject := hook.DjangoSubject("[Django] ")
	r := &core.Record{Level: core.ERROR, Entry: &logrus.Entry{Message: "Internal Server Error: /cart\nTraceback ..."}}
	fmt.Println(subject(r, nil))
	// Output: [Django] ERROR: Internal Server Error: /cart\nTraceback ...
}

// Configuration errors name the key and never show credentials.
func ExampleSMTPFactory() {
	_, err := hook.SMTPFactory(core.NewParams("handlers.mail", map[string]any{
		"mailhost":    []any{"smtp.example.com", int64(587)},
		"fromaddr":    "app@example.com",
		"toaddrs":     []any{"ops@example.com"},
		"subject":     "Application error",
		"credentials": []any{"only-the-password"},
		"secure":      []any{},
	}), &core.Env{})
	fmt.Println(err)
	// Output: handlers.mail.credentials: bad value: want [user, password], got 1 items (values hidden)
}
