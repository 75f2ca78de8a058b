package conformance_test

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/featc/featc"
	"github.com/featc/featc/internal/cases"
	"github.com/featc/featc/internal/examples"
	"github.com/featc/featc/ir"
	"github.com/featc/featc/stdlib"
	"github.com/featc/featc/types"
)

// zeroSource holds float columns with both zeros, NaN and null: f, the value windows read and
// pass through, and g, a float to partition and order by; k (with ties) and ts to order by.
const zeroSource = "source input { featc_row: int64, k: int64, ts: timestamp, g: float64, f: float64, s: string, b: bool }\n"

// zeroForms generates every window form of the standard library over float columns: each
// window function's and each aggregate's example (its value column read as f, other columns by
// type), as written, partitioned by the float g, and ordered by g; aggregates over a whole
// partition (.over(g) and .over()). A form that does not type-check (a function that takes no
// float) is left out; the caller checks that every function still appears.
func zeroForms() map[string][]string {
	forms := map[string][]string{}
	word := regexp.MustCompile(`\b[a-z_]+\b`)
	for _, f := range stdlib.Standard().Funcs() {
		if f.Kind != stdlib.Window && f.Kind != stdlib.Aggregate {
			continue
		}
		for _, ex := range f.Examples {
			cols := examples.Input(ex.Input)
			if len(cols) == 0 {
				continue
			}
			byType := map[string]string{"int64": "k", "timestamp": "ts", "float64": "g", "string": "s", "bool": "b", "date": "ts"}
			rename := map[string]string{}
			for i, c := range cols {
				rename[c.Name] = byType[c.Type]
				if i == 0 && (c.Type == "int64" || c.Type == "float64") {
					rename[c.Name] = "f" // the value read is the float with signed zeros
				}
			}
			expr := word.ReplaceAllStringFunc(ex.Expr, func(w string) string {
				if r, ok := rename[w]; ok && r != "" {
					return r
				}
				return w
			})
			var variants []string
			if f.Kind == stdlib.Aggregate {
				variants = []string{expr + ".over(g)", expr + ".over()", expr + ".over(b)"}
			} else {
				variants = []string{expr}
				if strings.Contains(expr, ".over()") {
					variants = append(variants, strings.Replace(expr, ".over()", ".over(g)", 1))
				} else {
					variants = append(variants, strings.Replace(expr, ".over(", ".over(g, ", 1))
				}
				if strings.Contains(expr, "order_by = k") {
					variants = append(variants, strings.Replace(expr, "order_by = k", "order_by = g", 1))
				}
			}
			forms[f.Name] = append(forms[f.Name], variants...)
		}
	}
	return forms
}

// zeroRows combines g ∈ {-0.0, 0.0, 1.0, null} with f ∈ {-0.0, 0.0, -2.5, NaN, null}, with
// ties in k and ts.
func zeroRows() [][]types.Value {
	negZero := math.Copysign(0, -1)
	var rows [][]types.Value
	fl := func(x float64, null bool) types.Value {
		if null {
			return types.NullValue(types.Float64T)
		}
		return types.Float64Value(x)
	}
	n := 0
	for gi, g := range []float64{negZero, 0, 1, 0} {
		for fi, f := range []float64{negZero, 0, -2.5, math.NaN(), 0} {
			k := int64(n % 3)
			rows = append(rows, []types.Value{types.Int64Value(int64(n)), types.Int64Value(k),
				types.TimestampValue(1_700_000_000_000_000 + k*3_600_000_000), fl(g, gi == 3), fl(f, fi == 4),
				types.StringValue(strconv.Itoa(n % 2)), types.BoolValue(n%2 == 0)})
			n++
		}
	}
	return rows
}

// zeroGaps are the signed-zero differences that remain, by "engine/form": asserted, so that
// one that starts agreeing fails until it is removed.
var zeroGaps = map[string]string{}

// TestSignedZerosThroughWindows computes every window form in the same step as the float
// columns it passes through (f, g and their text), on rows holding -0.0 and 0.0: every engine
// must give each row exactly as the evaluator does, the sign of every zero included, in the
// columns passed through and in the window's own result (issue 10: DuckDB turned -0.0 into 0.0
// in any column it sorted on for an ordered window).
func TestSignedZerosThroughWindows(t *testing.T) {
	engs := engines(t)
	rows := zeroRows()
	forms := zeroForms()
	var names []string
	for name := range forms {
		names = append(names, name)
	}
	sort.Strings(names)
	var compiled int
	for _, name := range names {
		ok := 0
		for i, form := range forms[name] {
			src := zeroSource + "frame result = input.with_columns(r = " + form + ", fs = f.cast(string), gs = g.cast(string))" +
				".select(featc_row, fs, gs, f, g, rs = r.cast(string))\n"
			p, err := featc.CompileSources([]featc.Source{{Name: "zero.feat", Text: src}})
			if err != nil {
				continue // a form the function does not take over floats
			}
			ok++
			compiled++
			t.Run(fmt.Sprintf("%s/%d", name, i), func(t *testing.T) { runZeros(t, engs, p, rows, name+"/"+form) })
		}
		if ok == 0 {
			t.Errorf("%s: no form type-checks over the float columns: the generator lost it", name)
		}
	}
	if compiled < 40 {
		t.Fatalf("only %d window forms compiled", compiled)
	}
}

func runZeros(t *testing.T, engs []engine, p *featc.Program, rows [][]types.Value, key string) {
	schema := p.IR().Def("input").Schema
	want, err := zeroEvalRows(p, rows)
	if err != nil {
		// The evaluator refuses the input (an overflow, a NaN it cannot order): every engine
		// must fail too.
		for _, e := range engs {
			if _, err := zeroEngineRows(t, e, p, schema, rows); err == nil {
				t.Errorf("%s: the evaluator fails (%v), %s does not", key, err, e.name)
			}
		}
		return
	}
	// The input must hold both zeros in what passes through, or the test proves nothing.
	if !strings.Contains(strings.Join(want, "\n"), `"-0.0" | "0.0"`) {
		t.Fatalf("%s: no row passes -0.0 and 0.0 through:\n%s", key, strings.Join(want, "\n"))
	}
	for _, e := range engs {
		got, err := zeroEngineRows(t, e, p, schema, rows)
		var diffs []string
		if err != nil {
			diffs = append(diffs, err.Error())
		} else {
			for i := range want {
				if i >= len(got) || !sameSignedRow(got[i], want[i]) {
					g := "(missing)"
					if i < len(got) {
						g = got[i]
					}
					diffs = append(diffs, fmt.Sprintf("evaluator %s\n      %s %s", want[i], e.name, g))
				}
			}
		}
		reason, declared := zeroGaps[e.name+"/"+key]
		switch {
		case declared && len(diffs) == 0:
			t.Errorf("%s/%s: declared gap (%s) no longer differs: remove it", e.name, key, reason)
		case !declared && len(diffs) > 0:
			if len(diffs) > 4 {
				diffs = append(diffs[:4], fmt.Sprintf("… %d more", len(diffs)-4))
			}
			t.Errorf("%s: %s differs from the evaluator:\n  %s", key, e.name, strings.Join(diffs, "\n  "))
		}
	}
}

// zeroEvalRows and zeroEngineRows give the result rendered one row per line, by featc_row.
func zeroEvalRows(p *featc.Program, rows [][]types.Value) ([]string, error) {
	out, err := evalRender(p, "result", "input", rows)
	return byKey(out), err
}

func zeroEngineRows(t *testing.T, e engine, p *featc.Program, schema ir.Schema, rows [][]types.Value) ([]string, error) {
	res, err := engineRows(t, e, p, schema, rows)
	if err != nil {
		return nil, err
	}
	return byKey(render(res, true)), nil
}

// byKey sorts rendered rows by their first cell, an integer.
func byKey(rows []string) []string {
	key := func(r string) int64 {
		k, _ := strconv.ParseInt(strings.SplitN(r, " | ", 2)[0], 10, 64)
		return k
	}
	sort.Slice(rows, func(i, j int) bool { return key(rows[i]) < key(rows[j]) })
	return rows
}

// sameSignedRow compares rows: the columns passed through the window step (every cell but the
// last) exactly, so that the sign of each zero must match; the window's own result (the last
// cell) as cases.SameCell does (engines sum floats in their own order), except that a zero must
// have the same sign: an aggregate's or window function's zero is +0.0 on every engine, and
// shift and lead keep the value they move (docs/semantics.md, Floats).
func sameSignedRow(got, want string) bool {
	g, w := strings.Split(got, " | "), strings.Split(want, " | ")
	if len(g) != len(w) {
		return false
	}
	for i := range g {
		if g[i] == w[i] {
			continue
		}
		if i < len(g)-1 {
			return false
		}
		gs, ws := strings.Trim(g[i], `"`), strings.Trim(w[i], `"`)
		gv, err1 := strconv.ParseFloat(gs, 64)
		wv, err2 := strconv.ParseFloat(ws, 64)
		if err1 == nil && err2 == nil && gv == 0 && wv == 0 && gs != ws {
			return false // zeros of different signs
		}
		if !cases.SameCell(gs, ws) {
			return false
		}
	}
	return true
}
