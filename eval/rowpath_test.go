package eval_test

import (
	"context"
	"fmt"
	"math"
	"math/rand"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"github.com/featc/featc"
	"github.com/featc/featc/eval"
	"github.com/featc/featc/internal/cases"
	"github.com/featc/featc/internal/gen"
	"github.com/featc/featc/stdlib"
	"github.com/featc/featc/types"
)

// TestRowPathAgreesWithVectorPath evaluates every scalar overload (as the conformance matrix's
// probes) and every cast over each edge row alone, once by the single-row path and once by the
// vector path: the values, or the errors, must be the same. The row path is what a service
// runs per request; the vector path is what the matrix checks against the engines.
func TestRowPathAgreesWithVectorPath(t *testing.T) {
	defer eval.SetRowPath(true)
	var programs []string
	for _, f := range stdlib.Standard().Funcs() {
		if f.Kind != stdlib.Scalar || f.Name == "cast" || f.Name == "when" {
			continue
		}
		for _, o := range f.Overloads {
			for _, probe := range gen.OverloadProbes(f, o) {
				programs = append(programs, probe.Program(f, false))
			}
		}
	}
	for _, c := range stdlib.Casts() {
		programs = append(programs, gen.CastProgram(c))
	}
	// A program of many features, where the row path's registers are shared.
	programs = append(programs, scalarFeatures(60, 7))
	compared, failed := 0, 0
	for pi, src := range programs {
		p, err := featc.CompileSources([]featc.Source{{Name: "probe.feat", Text: src}})
		require.NoError(t, err, src)
		source := "input"
		if p.IR().Def(source) == nil {
			source = "req"
		}
		schema := schemaOf(p, source)
		for ri, row := range cases.EdgeRows(schema, 80) {
			rec := eval.ValuesRecord(memory.DefaultAllocator, schema, [][]types.Value{row})
			inputs := eval.Inputs{source: rec}
			var params eval.Params
			if source == "req" {
				params = eval.Params{"now": "2024-06-01T00:00:00"}
			}
			got := bothWays(t, eval.SetRowPath, p, inputs, params, true)
			rec.Release()
			require.Equal(t, got[1], got[0], "program %d, row %d %v (row path first):\n%s", pi, ri, row, src)
			compared++
			if strings.HasPrefix(got[0], "error") {
				failed++
			}
		}
	}
	t.Logf("%d programs, %d single-row evaluations compared (%d of them fail both ways)", len(programs), compared, failed)
	require.Greater(t, compared, 5000)
	require.Less(t, failed, compared/10, "most evaluations compute values")
}

// bothWays runs p over inputs with an evaluator path switched on, then off (set), planning
// after each switch: each result is every output's rows (sorted unless ordered), or "error: …"
// when the run fails.
func bothWays(t *testing.T, set func(bool), p *featc.Program, inputs eval.Inputs, params eval.Params, ordered bool) [2]string {
	t.Helper()
	var got [2]string
	for path, on := range []bool{true, false} {
		set(on)
		ev, err := eval.New(p.IR())
		require.NoError(t, err)
		res, err := ev.Run(context.Background(), inputs, params)
		if err != nil {
			got[path] = "error: " + err.Error()
			continue
		}
		for _, name := range p.IR().Outputs() {
			got[path] += strings.Join(rows(t, res, name, ordered), "\n") + "\n"
		}
		res.Release()
	}
	return got
}

// TestBulkAggregatesAgree runs every aggregate overload (the matrix's probes), grouped and over
// the whole input, with bulk accumulation and with the per-row path: the results, or errors,
// must be the same to the bit.
func TestBulkAggregatesAgree(t *testing.T) {
	defer eval.SetBulkAggregates(true)
	compared := 0
	for _, f := range stdlib.Standard().Funcs() {
		if f.Kind != stdlib.Aggregate {
			continue
		}
		for _, o := range f.Overloads {
			for _, probe := range gen.OverloadProbes(f, o) {
				grouped := probe.Program(f, false)
				decl := grouped[:strings.Index(grouped, "\n")+1]
				for _, src := range []string{grouped, decl + "frame result = input.select(result = " + probe.Expr + ")\n"} {
					p, err := featc.CompileSources([]featc.Source{{Name: "probe.feat", Text: src}})
					require.NoError(t, err, src)
					schema := schemaOf(p, "input")
					rec := eval.ValuesRecord(memory.DefaultAllocator, schema, cases.EdgeRows(schema, 120))
					got := bothWays(t, eval.SetBulkAggregates, p, eval.Inputs{"input": rec}, nil, false)
					rec.Release()
					require.Equal(t, got[1], got[0], "bulk first:\n%s", src)
					compared++
				}
			}
		}
	}
	// Ties between 0 and -0 (equal, but printed apart): an aggregate's zero is +0.0 on both
	// paths (docs/semantics.md, Floats).
	p := compile(t, "source input { g: int64, x: float64, i: int64 }\n"+
		"frame result = input.group_by(g).agg(lo = x.min(), hi = x.max(), il = i.min(), ih = i.max(), s = x.sum())")
	rec := record(t, schemaOf(p, "input"), []any{1, 0.0, 1}, []any{1, math.Copysign(0, -1), 1}, []any{1, nil, nil},
		[]any{2, math.Copysign(0, -1), 2}, []any{2, 0.0, 2}, []any{2, math.NaN(), 3}, []any{2, math.NaN(), 3})
	got := bothWays(t, eval.SetBulkAggregates, p, eval.Inputs{"input": rec}, nil, false)
	require.Equal(t, "1 | 0.0 | 0.0 | 1 | 1 | 0.0\n2 | 0.0 | NaN | 2 | 3 | NaN\n", got[0])
	require.Equal(t, got[1], got[0])
	t.Logf("%d aggregate programs compared", compared)
	require.Greater(t, compared, 50)
}

// TestFusionAgrees compiles random float arithmetic (+ - * nested two and three deep, columns
// and constants on either side, shared subexpressions) with and without fusion and requires
// the same bits over edge rows (nulls, NaN, infinities, -0, extremes) and a large chunked input.
func TestFusionAgrees(t *testing.T) {
	defer eval.SetFusion(true)
	r := rand.New(rand.NewSource(3))
	leaf := func() string {
		if r.Intn(3) == 0 {
			return []string{"1.5", "-0.0", "2.0", "1e300"}[r.Intn(4)]
		}
		return fmt.Sprintf("a%d", r.Intn(3))
	}
	var tree func(depth int) string
	tree = func(depth int) string {
		if depth <= 0 {
			return leaf()
		}
		return fmt.Sprintf("(%s %s %s)", tree(depth-1-r.Intn(2)), []string{"+", "-", "*"}[r.Intn(3)], tree(depth-1))
	}
	var exprs []string
	// Every pair of operators, with the inner right operand a constant (each inner operation
	// distinct, so that it is read once and fused) and a column, the fused operand on either
	// side.
	for i, op1 := range []string{"+", "-", "*"} {
		for j, op2 := range []string{"+", "-", "*"} {
			c := 1.5 + float64(3*i+j)/4
			exprs = append(exprs, fmt.Sprintf("c%d%d = (a0 %s %v) %s a1", i, j, op1, c, op2),
				fmt.Sprintf("e%d%d = a2 %s (a1 %s %v)", i, j, op2, op1, -c))
		}
		exprs = append(exprs, fmt.Sprintf("d%d = a2 - (a0 %s a1)", i, op1))
	}
	for i := 0; i < 40; i++ {
		e := tree(1 + r.Intn(3))
		exprs = append(exprs, fmt.Sprintf("y%d = %s", i, e))
		if i%5 == 0 { // a subexpression read twice must not be fused away
			exprs = append(exprs, fmt.Sprintf("z%d = %s * 2.0", i, e), fmt.Sprintf("w%d = %s + a0", i, e))
		}
	}
	src := "source input { featc_row: int64, a0: float64, a1: float64, a2: float64 }\n" +
		"frame result = input.select(featc_row, " + strings.Join(exprs, ", ") + ")\n"
	p := compile(t, src)
	schema := schemaOf(p, "input")
	edge := cases.EdgeRows(schema, 300)
	big := make([][]types.Value, 0, 5000)
	for len(big) < 5000 {
		big = append(big, edge...)
	}
	for _, data := range [][][]types.Value{edge, big[:5000]} {
		rec := eval.ValuesRecord(memory.DefaultAllocator, schema, data)
		got := bothWays(t, eval.SetFusion, p, eval.Inputs{"input": rec}, nil, true)
		rec.Release()
		require.NotContains(t, got[0], "error:")
		require.Equal(t, len(data), strings.Count(got[0], "\n"))
		require.Equal(t, got[1], got[0], "fused first")
	}
}

// TestFusedValues checks fused arithmetic against IEEE results computed here, one rounding per
// operation (docs/semantics.md), with nulls propagating.
func TestFusedValues(t *testing.T) {
	p := compile(t, "source t { a: float64, b: float64, c: float64 }\nframe f = t.select(y = a * 1.5 + b, z = c - a * b, w = (a - b) * c)")
	a, b, c, big, m := 0.1, 0.2, 0.3, 1e308, -1.0
	rec := record(t, schemaOf(p, "t"), []any{a, b, c}, []any{nil, b, c}, []any{big, big, m})
	res := run(t, p, eval.Inputs{"t": rec}, nil)
	defer res.Release()
	f := func(x float64) string { return types.Float64Value(x).String() }
	want := []string{
		f(float64(a*1.5)+b) + " | " + f(c-float64(a*b)) + " | " + f(float64(a-b)*c),
		"null | null | null",
		f(float64(big*1.5)+big) + " | " + f(m-float64(big*big)) + " | " + f(float64(big-big)*m),
	}
	require.Equal(t, want, rows(t, res, "f", true))
}
