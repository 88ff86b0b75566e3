//go:build !unix

package logging

import "testing"

func withUmask022(t *testing.T) { t.Skip("file modes are a unix matter") }
