package core

import (
	"testing"

	"github.com/sirupsen/logrus"
)

func TestSetMessageShadowsTheEntry(t *testing.T) {
	cases := []struct {
		name string
		set  []string
		want string
	}{
		{"not set", nil, "original"},
		{"set", []string{"masked"}, "masked"},
		{"set to empty", []string{""}, ""},
		{"set twice", []string{"a", "b"}, "b"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := &logrus.Entry{Message: "original"}
			r := NewRecord(e)
			for _, m := range c.set {
				r.SetMessage(m)
			}
			if got := r.Message(); got != c.want {
				t.Errorf("Message() = %q, want %q", got, c.want)
			}
			if e.Message != "original" {
				t.Errorf("the entry was modified: %q", e.Message)
			}
		})
	}
}
