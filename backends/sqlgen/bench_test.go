package sqlgen_test

import (
	"fmt"
	"testing"

	"github.com/featc/featc"
	"github.com/featc/featc/backends/duckdb"
	"github.com/featc/featc/backends/sqlgen"
	"github.com/featc/featc/internal/gen"
)

// BenchmarkLower writes the SQL of generated projects of 1,000 and 10,000 features (every
// output, DuckDB dialect), after parsing and checking; it reports the time per feature.
func BenchmarkLower(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("features=%d", n), func(b *testing.B) {
			p, err := featc.CompileSources([]featc.Source{{Name: "gen.feat", Text: gen.Project(n, 1)}})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := sqlgen.Compile(p.IR(), duckdb.Dialect, sqlgen.Options{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/feature")
		})
	}
}
