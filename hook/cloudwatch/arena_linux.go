//go:build linux && !race && !cwheaparena

package cloudwatch

import "syscall"

// mapMem maps n zeroed bytes (a multiple of the page size) outside the Go
// heap. If the kernel refuses, it falls back to the heap: unmapMem then
// leaves that memory to the garbage collector.
func mapMem(n int) []byte {
	b, err := syscall.Mmap(-1, 0, n, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return make([]byte, n)
	}
	return b
}

// unmapMem returns memory from mapMem to the kernel. syscall.Munmap only
// unmaps what syscall.Mmap returned (it refuses a heap slice with EINVAL),
// so the heap fallback is safe to pass.
func unmapMem(b []byte) {
	_ = syscall.Munmap(b)
}

// reserveMem reserves n bytes of address space outside the Go heap; pages
// are backed by the kernel when first written. nil if the kernel refuses.
func reserveMem(n int) []byte {
	b, err := syscall.Mmap(-1, 0, n, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE|syscall.MAP_NORESERVE)
	if err != nil {
		return nil
	}
	return b
}

// dropPages gives b's pages back to the kernel; b reads as zeros after.
func dropPages(b []byte) {
	_ = syscall.Madvise(b, syscall.MADV_DONTNEED)
}
