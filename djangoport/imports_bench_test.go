package djangoport_test

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkManyStarImports: 2,000 star imports of a module of 20,000
// names. The names * brings are listed once per module and an identical
// binding is not made again (TestExportsKept checks the caching); each
// import sorting them again took 18 s here.
func BenchmarkManyStarImports(b *testing.B) {
	var big strings.Builder
	for i := range 20000 {
		fmt.Fprintf(&big, "N%05d = %d\n", i, i)
	}
	big.WriteString(loggingWithLevel("INFO"))
	dir := writeTree(b, map[string]string{
		"s/big.py":  big.String(),
		"s/prod.py": strings.Repeat("from .big import *\n", 2000),
	})
	for b.Loop() {
		r := convertIn(b, dir, "s/prod.py")
		if !strings.Contains(string(r.TOML), `"INFO"`) {
			b.Fatalf("output:\n%s", r.TOML)
		}
	}
}
