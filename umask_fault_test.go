//go:build unix

package logging

import (
	"syscall"
	"testing"
)

// withUmask022 runs the test under umask 022, the usual one, so the file
// modes a test expects do not depend on the environment running it.
func withUmask022(t *testing.T) {
	old := syscall.Umask(0o022)
	t.Cleanup(func() { syscall.Umask(old) })
}
