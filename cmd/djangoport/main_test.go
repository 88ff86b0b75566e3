package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const seed = "../../djangoport/testdata/seed_settings.py"

func TestRun(t *testing.T) {
	seedSrc, err := os.ReadFile(seed)
	if err != nil {
		t.Fatal(err)
	}
	golden, err := os.ReadFile("../../djangoport/testdata/seed_settings.toml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.py")
	if err := os.WriteFile(bad, []byte("A = 1\nLOGGING = {\"version\": 1,,}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	outFile := filepath.Join(dir, "out.toml")
	for _, tc := range []struct {
		name       string
		args       []string
		stdin      string
		code       int
		stdout     string // exact, when not empty
		stderrHas  []string
		wantOutput bool
	}{
		{name: "file", args: []string{seed}, code: 0,
			stderrHas: []string{seed + ":46: loggers.watchtower: \"propogate\"", seed + ":28: filters.aws"}},
		{name: "file named", args: []string{"-name", "settings.py", seed}, code: 0, stdout: string(golden),
			stderrHas: []string{"settings.py:46: loggers.watchtower: \"propogate\""}},
		{name: "stdin", args: []string{"-"}, stdin: string(seedSrc), code: 0, stderrHas: []string{"<stdin>:46: "}},
		{name: "stdin named", args: []string{"-name", "settings.py", "-"}, stdin: string(seedSrc), code: 0, stdout: string(golden),
			stderrHas: []string{"settings.py:35: handlers.watchtower.boto3_session"}},
		{name: "output file", args: []string{"-o", outFile, "-name", "settings.py", seed}, code: 0, wantOutput: true},
		{name: "parse error", args: []string{bad}, code: 1, stderrHas: []string{bad + ":2:25: expected an expression"}},
		{name: "no logging", args: []string{"-"}, stdin: "DEBUG = True\n", code: 1, stderrHas: []string{"<stdin>: no module-level LOGGING"}},
		{name: "missing file", args: []string{filepath.Join(dir, "nope.py")}, code: 1, stderrHas: []string{"no such file"}},
		{name: "usage", args: nil, code: 2, stderrHas: []string{"usage: djangoport"}},
		{name: "bad flag", args: []string{"-x", seed}, code: 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tc.args, strings.NewReader(tc.stdin), &stdout, &stderr)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, tc.code, stderr.String())
			}
			if tc.stdout != "" && stdout.String() != tc.stdout {
				t.Errorf("stdout:\n%s\nwant:\n%s", stdout.String(), tc.stdout)
			}
			for _, s := range tc.stderrHas {
				if !strings.Contains(stderr.String(), s) {
					t.Errorf("stderr lacks %q:\n%s", s, stderr.String())
				}
			}
			if tc.wantOutput {
				b, err := os.ReadFile(outFile)
				if err != nil || !bytes.Equal(b, golden) || stdout.Len() != 0 {
					t.Errorf("-o wrote %q (%v), stdout %q", b, err, stdout.String())
				}
			}
		})
	}
}
