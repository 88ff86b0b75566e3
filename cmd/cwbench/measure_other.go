//go:build !unix

package main

import "time"

// Without getrusage and /proc the figures read as zero.

type usage struct{ user, sys time.Duration }

func (u usage) cpu() time.Duration { return u.user + u.sys }
func (u usage) sub(v usage) usage  { return usage{u.user - v.user, u.sys - v.sys} }
func selfUsage() usage             { return usage{} }
func peakRSS() int64               { return 0 }
func currentRSS() int64            { return 0 }
