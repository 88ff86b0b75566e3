package main

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
)

// The README's main command, on its embedded default: the seed's lines are
// logged, shipped to the embedded local server and read back.
func TestRunSeedScenarioLocally(t *testing.T) {
	t.Setenv("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", "")
	t.Setenv("AWS_ENDPOINT_URL", "")
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("ENV", "ci")
	var out, errOut bytes.Buffer
	if err := run(nil, &out, &errOut); err != nil {
		t.Fatalf("run: %v\nstderr: %s", err, errOut.String())
	}
	got := out.String()
	if !strings.Contains(got, "target: embedded local CloudWatch Logs server") {
		t.Fatalf("not the local target:\n%s", got)
	}
	arrived := regexp.MustCompile(`(?m)^\[logs-ci\] \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \[INFO    \] Student Created: (Arya Stark \(PK: 4\)|Jon Snow \(PK: 5\)|Sansa Stark \(PK: 6\)) \[.*cmd/logdict/main\.go:\d+\]$`)
	if n := len(arrived.FindAllString(got, -1)); n != 3 {
		t.Fatalf("want the 3 students to arrive, found %d:\n%s", n, got)
	}
	if !strings.Contains(got, "3 logged, 3 sent in 1 batches, 0 dropped, 0 rejected") {
		t.Fatalf("stats line missing or wrong:\n%s", got)
	}
}
