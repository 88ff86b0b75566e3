//go:build !race

package logging

// raceEnabled reports a -race build, whose allocations and heap differ.
const raceEnabled = false
