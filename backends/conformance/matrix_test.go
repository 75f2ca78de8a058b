package conformance_test

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/featc/featc"
	"github.com/featc/featc/backends/sqlgen"
	"github.com/featc/featc/backends/sqlrun"
	"github.com/featc/featc/eval"
	"github.com/featc/featc/internal/cases"
	"github.com/featc/featc/internal/examples"
	"github.com/featc/featc/ir"
	"github.com/featc/featc/stdlib"
	"github.com/featc/featc/types"
)

// gap is a declared difference between the evaluator and an engine: the test asserts it is
// still there (a gap that starts passing fails, so that the declaration is removed).
type gap struct {
	category string // "not implemented yet" or "never possible"
	reason   string
}

// gaps lists the known differences, by "engine/function/example".
var gaps = map[string]gap{}

// TestMatrix runs every example expression of the standard library over the edge-case values
// of its input types (internal/cases.Edge: nulls, NaN, infinities, extremes, unicode, calendar
// edges), all combinations up to a few hundred rows, on the evaluator and every engine: every
// row must agree, and a row the evaluator refuses (an overflow, a bad cast) must make every
// engine fail too.
func TestMatrix(t *testing.T) {
	defer logCells(t)
	engs := engines(t)
	for _, f := range stdlib.Standard().Funcs() {
		for i, ex := range f.Examples {
			cols := examples.Input(ex.Input)
			if len(cols) == 0 {
				continue
			}
			t.Run(fmt.Sprintf("%s/%d", f.Name, i), func(t *testing.T) {
				runMatrix(t, engs, f, i, ex, cols)
			})
		}
	}
}

type matrixCase struct {
	src    string
	schema ir.Schema
	rows   [][]types.Value
	agg    bool
}

func matrixProgram(t *testing.T, f *stdlib.Func, ex stdlib.Example, cols []examples.Column, rows [][]types.Value) *featc.Program {
	decl := []string{"featc_row: int64"}
	for _, c := range cols {
		decl = append(decl, c.Name+": "+c.Type)
	}
	src := "source input { " + strings.Join(decl, ", ") + " }\n"
	if f.Kind == stdlib.Aggregate {
		src += "frame result = input.with_columns(featc_g = featc_row % 5).group_by(featc_g).agg(result = " + ex.Expr + ")\n"
	} else {
		src += "frame result = input.with_columns(result = " + ex.Expr + ").select(featc_row, result)\n"
	}
	p, err := featc.CompileSources([]featc.Source{{Name: "matrix.feat", Text: src}})
	if err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	return p
}

// evalResult runs the program on the evaluator: rendered rows by key, or an error.
func evalResult(p *featc.Program, schema ir.Schema, rows [][]types.Value) (map[int64]string, error) {
	ev, err := eval.New(p.IR(), eval.Outputs("result"))
	if err != nil {
		return nil, err
	}
	rec := eval.ValuesRecord(memory.DefaultAllocator, schema, rows)
	defer rec.Release()
	res, err := ev.Run(context.Background(), eval.Inputs{"input": rec}, nil)
	if err != nil {
		return nil, err
	}
	defer res.Release()
	tab := res.Table("result")
	out := map[int64]string{}
	for i := 0; i < tab.N; i++ {
		out[tab.Cols[0].Value(i).I] = tab.Cols[1].Value(i).String()
	}
	return out, nil
}

func runMatrix(t *testing.T, engs []engine, f *stdlib.Func, idx int, ex stdlib.Example, cols []examples.Column) {
	p := matrixProgram(t, f, ex, cols, nil)
	runProgram(t, engs, p, f.Kind == stdlib.Scalar, fmt.Sprintf("%s/example%d", f.Name, idx))
}

// runProgram runs a matrix program (a source input numbered by featc_row, an output result
// keyed by its first column) over edge rows on the evaluator and every engine.
func runProgram(t *testing.T, engs []engine, p *featc.Program, rowwise bool, gapKey string) {
	schema := p.IR().Def("input").Schema
	all := cases.EdgeRows(schema, 300)
	// Floats near the largest (±1e300) overflow to infinity in products and sums of squares:
	// Postgres stops with an error there (docs/semantics.md), and every engine fails in
	// aggregates over them; those rows are checked where the engine can compute them.
	tame := dropHuge(all)
	regimes := map[bool]*regime{}
	for _, e := range engs {
		// A program the dialect refuses must be refused as declared: no rows to compare then.
		if _, err := sqlgen.CompileOutput(p.IR(), e.d, "result", sqlgen.Options{}); err != nil {
			if why := declaredRefusal(e.d, err); why != "" {
				cellRefused(t, e.name, why, err)
			} else {
				t.Errorf("%s: %v", e.name, err)
			}
			continue
		}
		cellRan(t, e.name)
		huge := rowwise && !e.d.Caps.FloatOverflowErrors
		rg, ok := regimes[huge]
		if !ok {
			rows := tame
			if huge {
				rows = all
			}
			rg = newRegime(t, p, schema, rows, rowwise)
			regimes[huge] = rg
			if rg == nil {
				return
			}
		}
		key := e.name + "/" + gapKey
		var diffs []string
		if rg.evalErr != nil {
			// The evaluator fails on the whole input (aggregates and windows see every row):
			// the engine must fail as well.
			if _, err := engineResult(t, e, p, schema, rg.rows); err == nil {
				diffs = append(diffs, fmt.Sprintf("the evaluator fails (%v), %s does not", rg.evalErr, e.name))
			}
		} else {
			rows, failing := rg.rows, rg.failing
			if e.d.Caps.FloatOverflowErrors && rowwise {
				// Rows whose result overflows to infinity from finite operands: the engine
				// must stop on them (docs/semantics.md), and compute the others.
				rows, failing = nil, append([][]types.Value{}, rg.failing...)
				// Products, quotients, powers and exponentials that underflow to zero from
				// non-zero operands stop there too.
				// (Only for the plain probes, whose operands are the row's values.)
				underflows := strings.HasPrefix(gapKey, "mul_float64/0") || strings.HasPrefix(gapKey, "div_float64/0") ||
					strings.HasPrefix(gapKey, "pow_float64/0") || strings.HasPrefix(gapKey, "exp_float64/0")
				for _, r := range rg.rows {
					w := rg.want[r[0].I]
					over := (w == "Infinity" || w == "-Infinity") && !hasInf(r)
					under := underflows && (w == "0.0" || w == "-0.0") && !hasZeroOrInf(r)
					if over || under {
						failing = append(failing, r)
					} else {
						rows = append(rows, r)
					}
				}
			}
			want := rg.want
			if e.d.Caps.FloatOverflowErrors && rowwise {
				want = subset(rg.want, rows)
			}
			got, err := engineResult(t, e, p, schema, rows)
			if err != nil {
				diffs = append(diffs, err.Error())
			} else {
				diffs = compareKeyed(want, got, rows)
			}
			for i, r := range failing {
				if i == 3 {
					break
				}
				got, err := engineResult(t, e, p, schema, [][]types.Value{r})
				if err != nil {
					continue
				}
				// An engine that stops on float overflow may still compute a row exactly, as
				// featc writes it (0 ** -2 is Infinity on Postgres too): never another value.
				if w, ok := rg.want[r[0].I]; ok && cases.SameCell(got[r[0].I], w) {
					continue
				}
				diffs = append(diffs, fmt.Sprintf("row %s: the evaluator fails, %s does not", rowText(r), e.name))
			}
		}
		g, declared := gaps[key]
		switch {
		case declared && len(diffs) == 0:
			t.Errorf("%s: declared gap (%s: %s) no longer differs: remove it", key, g.category, g.reason)
		case !declared && len(diffs) > 0:
			if len(diffs) > 6 {
				diffs = append(diffs[:6], fmt.Sprintf("… %d more", len(diffs)-6))
			}
			t.Errorf("%s differs from the evaluator:\n  %s", e.name, strings.Join(diffs, "\n  "))
		}
	}
}

// regime is the input rows of a matrix program and the evaluator's answer over them.
type regime struct {
	rows    [][]types.Value
	want    map[int64]string
	evalErr error
	failing [][]types.Value // rows the evaluator refuses, each alone
}

func newRegime(t *testing.T, p *featc.Program, schema ir.Schema, rows [][]types.Value, rowwise bool) *regime {
	want, err := evalResult(p, schema, rows)
	if err == nil {
		return &regime{rows: rows, want: want}
	}
	if !rowwise {
		return &regime{rows: rows, evalErr: err}
	}
	// Keep the rows the evaluator computes; the others must fail on every engine too.
	rg := &regime{}
	for _, r := range rows {
		if _, err := evalResult(p, schema, [][]types.Value{r}); err != nil {
			rg.failing = append(rg.failing, r)
		} else {
			rg.rows = append(rg.rows, r)
		}
	}
	if rg.want, err = evalResult(p, schema, rg.rows); err != nil {
		t.Fatalf("the evaluator fails on rows it computes one by one: %v", err)
		return nil
	}
	return rg
}

// dropHuge removes the rows holding a float of magnitude 1e300 or more (not infinities).
func dropHuge(rows [][]types.Value) [][]types.Value {
	var out [][]types.Value
	for _, r := range rows {
		keep := true
		for _, v := range r {
			if !v.Null && v.Type.Kind == types.Float64 && math.Abs(v.F) >= 1e300 && !math.IsInf(v.F, 0) {
				keep = false
			}
		}
		if keep {
			out = append(out, r)
		}
	}
	return out
}

// engineRows loads rows into the engine as the source input and runs the program's output
// result.
func engineRows(t *testing.T, e engine, p *featc.Program, schema ir.Schema, rows [][]types.Value) ([][]types.Value, error) {
	ctx := context.Background()
	conn, done := e.open(t)
	defer done()
	load(t, ctx, conn, e.d, "input", schema, rows)
	st, err := sqlgen.CompileOutput(p.IR(), e.d, "result", sqlgen.Options{})
	if err != nil {
		return nil, err
	}
	return sqlrun.Query(ctx, conn, st)
}

// engineResult runs the program's result on the engine (engineRows), keyed by the first column.
func engineResult(t *testing.T, e engine, p *featc.Program, schema ir.Schema, rows [][]types.Value) (map[int64]string, error) {
	res, err := engineRows(t, e, p, schema, rows)
	if err != nil {
		return nil, err
	}
	out := map[int64]string{}
	for _, r := range res {
		out[r[0].I] = r[len(r)-1].String()
	}
	return out, nil
}

func compareKeyed(want, got map[int64]string, rows [][]types.Value) []string {
	var keys []int64
	for k := range want {
		keys = append(keys, k)
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	var diffs []string
	for _, k := range keys {
		w, wok := want[k]
		g, gok := got[k]
		if wok && gok && cases.SameCell(g, w) {
			continue
		}
		in := ""
		for _, r := range rows {
			if r[0].I == k {
				in = rowText(r)
			}
		}
		diffs = append(diffs, fmt.Sprintf("key %d %s: evaluator %q, engine %q", k, in, w, g))
	}
	return diffs
}

func rowText(r []types.Value) string {
	var parts []string
	for _, v := range r[1:] {
		parts = append(parts, v.String())
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

func hasInf(r []types.Value) bool {
	for _, v := range r {
		if !v.Null && v.Type.Kind == types.Float64 && math.IsInf(v.F, 0) {
			return true
		}
	}
	return false
}

// subset keeps the answers of the given rows.
func subset(want map[int64]string, rows [][]types.Value) map[int64]string {
	out := make(map[int64]string, len(rows))
	for _, r := range rows {
		if w, ok := want[r[0].I]; ok {
			out[r[0].I] = w
		}
	}
	return out
}

func hasZeroOrInf(r []types.Value) bool {
	for _, v := range r[1:] {
		if !v.Null && v.Type.Kind == types.Float64 && (v.F == 0 || math.IsInf(v.F, 0)) {
			return true
		}
	}
	return false
}
