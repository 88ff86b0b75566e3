//go:build unix

package hook

import (
	"os"
	"syscall"
	"testing"
)

// withUmask runs the test under umask 022, the usual one, so the modes the
// tests expect do not depend on the environment running them.
func withUmask(t *testing.T) {
	old := syscall.Umask(0o022)
	t.Cleanup(func() { syscall.Umask(old) })
}

func wantMode(t *testing.T, name string, want os.FileMode) {
	t.Helper()
	st, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	if got := st.Mode().Perm(); got != want {
		t.Errorf("%s has mode %#o, want %#o", name, got, want)
	}
}
