//go:build unix

package main

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
	"syscall"
	"time"
)

// usage is this process's CPU time so far.
type usage struct{ user, sys time.Duration }

func (u usage) cpu() time.Duration { return u.user + u.sys }

func (u usage) sub(v usage) usage { return usage{u.user - v.user, u.sys - v.sys} }

// selfUsage reads getrusage(RUSAGE_SELF): every thread of this process,
// and nothing of the server child.
func selfUsage() usage {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return usage{}
	}
	tv := func(t syscall.Timeval) time.Duration {
		return time.Duration(t.Sec)*time.Second + time.Duration(t.Usec)*time.Microsecond
	}
	return usage{tv(ru.Utime), tv(ru.Stime)}
}

// peakRSS returns the process's peak resident set in bytes: VmHWM from
// /proc/self/status, else rusage's maxrss (KiB on Linux).
func peakRSS() int64 {
	if v := procStatus("VmHWM:"); v > 0 {
		return v
	}
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		return int64(ru.Maxrss) << 10
	}
	return 0
}

// currentRSS returns the resident set now (VmRSS), or 0 if unknown.
func currentRSS() int64 { return procStatus("VmRSS:") }

// procStatus reads a "kB" line of /proc/self/status, in bytes.
func procStatus(key string) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Bytes()
		if !bytes.HasPrefix(line, []byte(key)) {
			continue
		}
		fs := bytes.Fields(line[len(key):])
		if len(fs) == 0 {
			return 0
		}
		kb, _ := strconv.ParseInt(string(fs[0]), 10, 64)
		return kb << 10
	}
	return 0
}
