//go:build !amd64

package fpstack

import "runtime"

// Callers fills pcs with return addresses of the calling goroutine's
// frames, innermost first: runtime.Callers, where frame pointers are not
// guaranteed. See the amd64 version for the contract.
func Callers(pcs []uintptr) int { return runtime.Callers(1, pcs) }
