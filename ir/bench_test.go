package ir_test

import (
	"fmt"
	"testing"

	"github.com/featc/featc"
	"github.com/featc/featc/internal/gen"
	"github.com/featc/featc/ir"
	"github.com/featc/featc/lang"
)

// BenchmarkParseCheck measures parse + check of generated projects (goal: 10,000 features in
// under 300 ms on one core, growing linearly).
func BenchmarkParseCheck(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		src := gen.Project(n, 1)
		b.Run(fmt.Sprintf("features=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for i := 0; i < b.N; i++ {
				if _, err := featc.CompileSources([]featc.Source{{Name: "gen.feat", Text: src}}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/feature")
		})
	}
}

// BenchmarkParse isolates the parser (lexer and participle grammar).
func BenchmarkParse(b *testing.B) {
	src := gen.Project(10000, 1)
	b.SetBytes(int64(len(src)))
	for i := 0; i < b.N; i++ {
		if _, diags := lang.ParseFile("gen.feat", src); diags.HasErrors() {
			b.Fatal(diags.Err())
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/10000, "ns/feature")
}

// BenchmarkCheck isolates the checker.
func BenchmarkCheck(b *testing.B) {
	src := gen.Project(10000, 1)
	f, _ := lang.ParseFile("gen.feat", src)
	for i := 0; i < b.N; i++ {
		if p, diags := ir.Check([]*lang.File{f}); p == nil {
			b.Fatal(diags.Err())
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/10000, "ns/feature")
}
