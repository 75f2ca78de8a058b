package main

import (
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/featc/featc"
	"github.com/featc/featc/eval"
	"github.com/featc/featc/types"
)

// TestCompareOutputs checks the differences verify reports: rows matched by their key, a
// changed value named by key and column, missing and extra rows, floats within tolerance.
func TestCompareOutputs(t *testing.T) {
	p, err := featc.CompileSources([]featc.Source{{Name: "a.feat", Text: `source s { k: string, x: float64 }
frame g = s.group_by(k).agg(total = x.sum(), n = len())`}})
	if err != nil {
		t.Fatal(err)
	}
	d := p.IR().Def("g")
	rec := func(rows ...[]types.Value) namedRecord {
		return namedRecord{name: "g", rec: eval.ValuesRecord(memory.DefaultAllocator, d.Schema, rows)}
	}
	row := func(k string, total float64, n int64) []types.Value {
		return []types.Value{types.StringValue(k), types.Float64Value(total), types.Int64Value(n)}
	}
	want := rec(row("a", 1.5, 2), row("b", 0.1+0.2, 1), row("c", 7, 3))
	got := rec(row("a", 1.5, 2), row("b", 0.3, 1), row("c", 7.5, 3), row("d", 1, 1))
	diffs, err := compareOutputs(d, want, got)
	if err != nil {
		t.Fatal(err)
	}
	joined := strings.Join(diffs, "\n")
	if len(diffs) != 2 || !strings.Contains(joined, `row (k="c"), column total: evaluator 7.0, engine 7.5`) ||
		!strings.Contains(joined, `row (k="d"): extra row "d" | 1.0 | 1`) {
		t.Fatalf("diffs:\n%s", joined)
	}
	diffs, _ = compareOutputs(d, got, want)
	if !strings.Contains(strings.Join(diffs, "\n"), `row (k="d"): missing (the evaluator has "d" | 1.0 | 1)`) {
		t.Fatalf("diffs:\n%s", strings.Join(diffs, "\n"))
	}
}
