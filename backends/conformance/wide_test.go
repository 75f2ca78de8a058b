package conformance_test

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/featc/featc"
	"github.com/featc/featc/backends"
	"github.com/featc/featc/backends/duckdb"
	"github.com/featc/featc/backends/sqlgen"
	"github.com/featc/featc/backends/sqlrun"
	"github.com/featc/featc/eval"
	"github.com/featc/featc/internal/cases"
	"github.com/featc/featc/internal/gen"
	"github.com/featc/featc/ir"
	"github.com/featc/featc/types"
)

// TestWideBlocks runs a features block of 2,000 features (features reading features) and a
// chain of 2,000 features each reading the one before, on the evaluator and every engine over
// the same generated rows: every value must agree, and the SQL must nest a few levels, not
// one per feature (DuckDB refuses expressions deeper than 1,000).
func TestWideBlocks(t *testing.T) {
	defer logCells(t)
	now := time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC)
	rows := gen.Rows(300, 3)
	for _, e := range engines(t) {
		t.Run(e.name, func(t *testing.T) {
			n := 2000
			if max := e.d.Caps.MaxColumns; max > 0 && max < n+8 {
				// The engine cannot return so many columns: featc refuses, naming the limit.
				p, err := featc.CompileSources([]featc.Source{{Name: "test.feat", Text: gen.Block(n, 7)}})
				if err != nil {
					t.Fatal(err)
				}
				_, err = sqlgen.CompileOutput(p.IR(), e.d, "wide", sqlgen.Options{})
				why := declaredRefusal(e.d, err, capColumns)
				if why == "" {
					t.Fatalf("want the documented refusal of the column limit, got %v", err)
				}
				cellRefused(t, e.name, why, err)
				n = max - 100
			}
			for _, tc := range []struct {
				name, src, output string
				maxDepth          int
			}{
				{"wide", gen.Block(n, 7), "wide", 8},
				// A chain of features each reading the one before nests a level per ~40 links (engines plan long chains slowly: 150 links here).
				{"chain", gen.Chain(150), "chain", 6},
			} {
				t.Run(tc.name, func(t *testing.T) {
					c := cases.Case{Name: tc.name, Src: tc.src, Output: tc.output,
						Inputs: map[string][][]any{"events": rows}, Params: map[string]any{"now": now}}
					c.Want = evalRows(t, c)
					st := runCase(t, e, c)
					if d := nesting(st); d > tc.maxDepth {
						t.Errorf("the SQL nests %d subqueries deep; want at most %d", d, tc.maxDepth)
					}
				})
			}
		})
	}
}

var subquery = regexp.MustCompile(`\(\s*(SELECT|WITH)\b`)

// nesting returns the depth of nested subqueries of a statement.
func nesting(st *sqlgen.Statement) int {
	var stack []bool
	depth, most := 0, 0
	sql := st.SQL
	for i := 0; i < len(sql); i++ {
		switch sql[i] {
		case '(':
			sub := subquery.MatchString(sql[i:min(len(sql), i+12)])
			if sub {
				depth++
				most = max(most, depth)
			}
			stack = append(stack, sub)
		case ')':
			if n := len(stack); n > 0 {
				if stack[n-1] {
					depth--
				}
				stack = stack[:n-1]
			}
		case '\'':
			if j := strings.IndexByte(sql[i+1:], '\''); j >= 0 {
				i += j + 1
			}
		}
	}
	return most
}

// wideRows is the data of the wide forms: an integer, a float with a binary fraction (sums of
// it are exact far beyond 10,000 terms, so that the expected values computed here are exact),
// a float whose sums round (-0.1: the order of additions shows in the last bits) and a group.
var wideRows = [][]any{{1, 1.5, -0.1, 1}, {-2, 2.25, 0.7, 2}, {nil, nil, 0.3, 1}, {7, -0.125, nil, 2}, {3, 0.0, 1e-3, 1}}

const wideSource = "source t { i: int64, x: float64, r: float64, g: int64 }\n"

// wideCell is the value of column c of a row of wideRows: the four columns, then integers
// c0, c1, … of a wide source holding i + k (null where i is).
func wideCell(r []any, c int) any {
	if c < len(r) {
		return r[c]
	}
	if r[0] == nil {
		return nil
	}
	return r[0].(int) + c - len(r)
}

// wideRun compiles src and computes output on an engine (nil: the evaluator), returning the
// rows rendered and sorted, or the error (a compile-time refusal is a *sqlgen.Error).
func wideRun(t *testing.T, e *engine, src, output string) ([]string, *sqlgen.Statement, error) {
	t.Helper()
	p, err := featc.CompileSources([]featc.Source{{Name: "test.feat", Text: src}})
	if err != nil {
		t.Fatal(err)
	}
	schema := p.IR().Def("t").Schema
	var rows [][]types.Value
	for _, r := range wideRows {
		row := make([]types.Value, len(schema))
		for i := range row {
			if row[i], err = cases.Value(wideCell(r, i), schema[i].Type); err != nil {
				t.Fatal(err)
			}
		}
		rows = append(rows, row)
	}
	if e == nil {
		got, err := evalRender(p, output, "t", rows)
		sort.Strings(got)
		return got, nil, err
	}
	prog, diags := ir.Prune(p.IR(), ir.ParseOutputs([]string{output}))
	if prog == nil {
		t.Fatal(diags.Err())
	}
	st, err := sqlgen.CompileOutput(prog, e.d, output, sqlgen.Options{})
	if err != nil {
		return nil, nil, err
	}
	ctx := context.Background()
	conn, done := e.open(t)
	defer done()
	load(t, ctx, conn, e.d, "t", schema, rows)
	res, err := sqlrun.Query(ctx, conn, st)
	if err != nil {
		return nil, st, err
	}
	return render(res, false), st, nil
}

// wideCase is a generated wide or long program, the rows its output must hold (computed here
// from wideRows, not by an engine), and whether they must be equal to the last bit.
type wideCase struct {
	name, src, output string
	want              []string
	exact             bool
}

// wideCases generates the wide forms teams write — one select or agg of thousands of named
// expressions, a let adding up aggregates, thousands of source columns, sums of 10,000 terms —
// with their expected rows.
func wideCases(n, srcCols int) []wideCase {
	var out []wideCase
	fmtF := func(f float64) string { return types.FloatLiteral(f) }
	fmtI := func(i int) string { return strconv.Itoa(i) }
	rowsOf := func(cell func(r []any, k int) string, cols int) []string {
		var want []string
		for _, r := range wideRows {
			cells := make([]string, cols)
			for k := range cells {
				cells[k] = cell(r, k)
			}
			want = append(want, strings.Join(cells, " | "))
		}
		sort.Strings(want)
		return want
	}
	// One select of n named expressions, each a few calls deep.
	{
		var b strings.Builder
		b.WriteString(wideSource + "frame s = t.select(\n")
		for k := 0; k < n; k++ {
			fmt.Fprintf(&b, "    a%d = (i + %d).abs() * 2,\n", k, k-n/2)
		}
		b.WriteString(")\n")
		out = append(out, wideCase{name: "select", src: b.String(), output: "s", exact: true,
			want: rowsOf(func(r []any, k int) string {
				if r[0] == nil {
					return "null"
				}
				v := r[0].(int) + k - n/2
				if v < 0 {
					v = -v
				}
				return fmtI(v * 2)
			}, n)})
	}
	// One agg of n named aggregates per group.
	{
		var b strings.Builder
		b.WriteString(wideSource + "frame s = t.group_by(g).agg(\n")
		for k := 0; k < n; k++ {
			fmt.Fprintf(&b, "    s%d = (i * %d).sum() + x.max(),\n", k, k)
		}
		b.WriteString(")\n")
		var want []string
		for _, g := range []int{1, 2} {
			cells := []string{fmtI(g)}
			for k := 0; k < n; k++ {
				sum, mx, any := 0, math.Inf(-1), false
				for _, r := range wideRows {
					if r[3].(int) != g {
						continue
					}
					if r[0] != nil {
						sum += r[0].(int) * k
						any = true
					}
					if r[1] != nil {
						mx = math.Max(mx, r[1].(float64))
					}
				}
				if !any {
					cells = append(cells, "null")
					continue
				}
				cells = append(cells, fmtF(float64(sum)+mx))
			}
			want = append(want, strings.Join(cells, " | "))
		}
		sort.Strings(want)
		out = append(out, wideCase{name: "agg", src: b.String(), output: "s", exact: true, want: want})
	}
	// A let adding up 300 aggregates (a scalar subquery each in SQL), read by a frame.
	{
		const m = 300
		terms := make([]string, m)
		total := 0
		for k := range terms {
			terms[k] = fmt.Sprintf("t.i.max() * %d", k)
			total += 7 * k
		}
		src := wideSource + "let total = " + strings.Join(terms, " + ") + "\nframe s = t.select(i, v = i + total)\n"
		out = append(out, wideCase{name: "let", src: src, output: "s", exact: true,
			want: rowsOf(func(r []any, k int) string {
				if r[0] == nil {
					return "null"
				}
				if k == 0 {
					return fmtI(r[0].(int))
				}
				return fmtI(r[0].(int) + total)
			}, 2)})
	}
	// A source of srcCols columns more, each read by a select.
	{
		n := srcCols
		var b strings.Builder
		b.WriteString("source t {\n    i: int64\n    x: float64\n    r: float64\n    g: int64\n")
		for k := 0; k < n; k++ {
			fmt.Fprintf(&b, "    c%d: int64\n", k)
		}
		b.WriteString("}\nframe s = t.select(\n")
		for k := 0; k < n; k++ {
			fmt.Fprintf(&b, "    e%d = c%d * 2,\n", k, k)
		}
		b.WriteString(")\n")
		out = append(out, wideCase{name: "wide source", src: b.String(), output: "s", exact: true,
			want: rowsOf(func(r []any, k int) string {
				if r[0] == nil {
					return "null"
				}
				return fmtI(wideCell(r, 4+k).(int) * 2)
			}, n)})
	}
	// Sums of 10,000 terms: a float whose partial sums round (the order of additions must be
	// the evaluator's, left to right, to the last bit), an exact float, integers, and a chain
	// of + and - mixing columns.
	{
		const m = 10000
		chain := func(term func(k int) string, op func(k int) string) string {
			var b strings.Builder
			for k := 0; k < m; k++ {
				if k > 0 {
					b.WriteString(op(k))
				}
				b.WriteString(term(k))
			}
			return b.String()
		}
		plus := func(int) string { return " + " }
		src := wideSource + "frame s = t.select(\n    fr = " + chain(func(int) string { return "r" }, plus) +
			",\n    fx = " + chain(func(int) string { return "x" }, plus) +
			",\n    ii = " + chain(func(int) string { return "i" }, plus) +
			",\n    mixed = " + chain(func(k int) string { return []string{"x", "r", "1.5"}[k%3] }, func(k int) string { return []string{" + ", " - "}[k%2] }) +
			",\n)\n"
		want := rowsOf(func(r []any, col int) string {
			var acc float64
			iacc := 0
			for k := 0; k < m; k++ {
				var v any
				switch col {
				case 0:
					v = r[2]
				case 1:
					v = r[1]
				case 2:
					v = r[0]
				case 3:
					v = []any{r[1], r[2], 1.5}[k%3]
				}
				if v == nil {
					return "null"
				}
				if col == 2 {
					iacc += v.(int)
					continue
				}
				switch {
				case k == 0:
					acc = v.(float64)
				case col != 3 || k%2 == 0:
					acc += v.(float64)
				default:
					acc -= v.(float64)
				}
			}
			if col == 2 {
				return fmtI(iacc)
			}
			return fmtF(acc)
		}, 4)
		out = append(out, wideCase{name: "sum of 10000 terms", src: src, output: "s", exact: true, want: want})
	}
	return out
}

// TestWideForms computes each generated wide form on the evaluator and every engine and
// compares the rows with those computed by the test. The sums of 10,000 terms must agree to
// the last bit: the SQL writes a + b + c flat (no parentheses to exhaust the engines' parser
// stacks) and in stages of subqueries (engines refuse or crash on expressions 10,000 deep),
// never reassociated. An engine with a column limit gets forms as wide as it returns (the
// refusal beyond is tested by TestWideBlocks).
func TestWideForms(t *testing.T) {
	type target struct {
		name string
		e    *engine
	}
	targets := []target{{name: "eval"}}
	for _, e := range engines(t) {
		targets = append(targets, target{name: e.name, e: &e})
	}
	for _, tg := range targets {
		t.Run(tg.name, func(t *testing.T) {
			n, srcCols := 2000, 2000
			if tg.e != nil {
				if max := tg.e.d.Caps.MaxColumns; max > 0 && max < n+64 {
					// Postgres: a table's row must also fit in a page (8,160 bytes, "row is
					// too big"), which 900 bigints do.
					n, srcCols = max-64, min(max-64, 900)
				}
			}
			for _, wc := range wideCases(n, srcCols) {
				t.Run(wc.name, func(t *testing.T) {
					got, st, err := wideRun(t, tg.e, wc.src, wc.output)
					if err != nil {
						sql := ""
						if st != nil {
							sql = firstLines(st.SQL, 5)
						}
						t.Fatalf("%.500v\n%.2000s", err, sql)
					}
					if len(got) != len(wc.want) {
						t.Fatalf("%d rows, want %d", len(got), len(wc.want))
					}
					for i := range got {
						if got[i] != wc.want[i] && (wc.exact || !cases.SameRow(got[i], wc.want[i])) {
							t.Fatalf("row %d:\ngot  %.300s\nwant %.300s", i, got[i], wc.want[i])
						}
					}
				})
			}
		})
	}
}

// TestDeepExpressionLimit generates long chains of each left-associative operator in a
// filter (a position featc does not compute in stages) and finds, per engine, the longest the
// SQL generator accepts: that one must run on the engine and keep the evaluator's rows, and
// one term more must be refused at compile time, naming the engine — never an engine's
// parser error at run time after check said yes.
func TestDeepExpressionLimit(t *testing.T) {
	defer logCells(t)
	shapes := []struct {
		name string
		pred func(n int) string
	}{
		{"sum", func(n int) string { return strings.Repeat("x + ", n-1) + "x > 0" }},
		{"difference", func(n int) string { return "x" + strings.Repeat(" - r", n-1) + " > 0" }},
		// Products of 1.0: a product of the data would overflow (or underflow), which Postgres
		// reports as an error.
		{"product", func(n int) string { return "x" + strings.Repeat(" * 1.0", n-1) + " >= 0" }},
		{"conjunction", func(n int) string { return strings.Repeat("x > -5 and ", n-1) + "i > -5" }},
		{"integers", func(n int) string { return strings.Repeat("i + ", n-1) + "i > 0" }},
	}
	for _, e := range engines(t) {
		if e.d.Caps.MaxExprDepth == 0 {
			continue
		}
		t.Run(e.name, func(t *testing.T) {
			for _, sh := range shapes {
				t.Run(sh.name, func(t *testing.T) {
					src := func(n int) string { return wideSource + "frame f = t.filter(" + sh.pred(n) + ").select(i)\n" }
					compiles := func(n int) error {
						p, err := featc.CompileSources([]featc.Source{{Name: "test.feat", Text: src(n)}})
						if err != nil {
							t.Fatal(err)
						}
						_, err = sqlgen.CompileOutput(p.IR(), e.d, "f", sqlgen.Options{})
						return err
					}
					lo, hi := 1, 4*e.d.Caps.MaxExprDepth
					if compiles(hi) == nil {
						t.Fatalf("a chain of %d terms compiles; the limit is %d levels", hi, e.d.Caps.MaxExprDepth)
					}
					for lo+1 < hi {
						if mid := (lo + hi) / 2; compiles(mid) == nil {
							lo = mid
						} else {
							hi = mid
						}
					}
					err := compiles(hi)
					why := declaredRefusal(e.d, err, capExprDepth)
					if why == "" || !strings.Contains(err.Error(), e.d.Name) {
						t.Fatalf("%d terms: want the documented refusal naming %s and the depth, got %v", hi, e.d.Name, err)
					}
					cellRefused(t, e.name, why, err)
					if lo < e.d.Caps.MaxExprDepth/4 {
						t.Fatalf("only %d terms compile", lo)
					}
					want, _, err := wideRun(t, nil, src(lo), "f")
					if err != nil {
						t.Fatal(err)
					}
					got, _, err := wideRun(t, &e, src(lo), "f")
					if err != nil {
						t.Fatalf("%d terms, the longest chain featc writes for %s, fail there: %.300v", lo, e.name, err)
					}
					cellRan(t, e.name)
					if strings.Join(got, "\n") != strings.Join(want, "\n") {
						t.Fatalf("%d terms: got %q, want %q", lo, got, want)
					}
				})
			}
		})
	}
}

// TestWideScalesLinearly times check, planning on the evaluator and SQL generation of wide
// programs at two sizes eight times apart: the time must grow about eightfold, not 64-fold.
// Each of these was quadratic: the span of a sum of n terms walked its left operand (check of
// 40,000 terms: 3.4 s), the evaluator's planner scanned its steps for every argument (2.7 s),
// binding a record looked each column up in a copy of the schema, the checker looked each
// feature of a block up in its schema (one block of 20,000 features: 50 s), and the SQL
// generator's stages rewrote the whole expression once per stage (5.9 s).
func TestWideScalesLinearly(t *testing.T) {
	sum := func(n int) string {
		return wideSource + "frame s = t.select(y = " + strings.Repeat("x + ", n-1) + "x)\n"
	}
	forms := []struct {
		name   string
		src    func(n int) string
		output string
		n      int
	}{
		{"sum", sum, "s", 2500},
		{"block", func(n int) string { return gen.Block(n, 7) }, "wide", 1000},
	}
	for _, f := range forms {
		t.Run(f.name, func(t *testing.T) {
			cost := func(n int) time.Duration {
				// The best of five: the small size takes milliseconds, where one pause of the
				// collector or the machine moves the ratio more than the growth it measures.
				best := time.Duration(math.MaxInt64)
				for range 5 {
					start := time.Now()
					p, err := featc.CompileSources([]featc.Source{{Name: "test.feat", Text: f.src(n)}})
					if err != nil {
						t.Fatal(err)
					}
					if _, err := eval.New(p.IR(), eval.Outputs(f.output)); err != nil {
						t.Fatal(err)
					}
					if _, err := sqlgen.CompileOutput(p.IR(), duckdb.Dialect, f.output, sqlgen.Options{}); err != nil {
						t.Fatal(err)
					}
					best = min(best, time.Since(start))
				}
				return best
			}
			small, large := cost(f.n), cost(8*f.n)
			if ratio := float64(large) / float64(small); ratio > 24 {
				t.Errorf("%d: %v, %d: %v — %.0f times as long for 8 times the size", f.n, small, 8*f.n, large, ratio)
			}
		})
	}
}

// TestFrameChains computes a chain of frames, each filtering and computing over the one before,
// on the evaluator and every engine, against rows computed here. Postgres inlined the CTEs and
// planned a chain of 1,000 in 125 s (300: 19 s); featc materializes long chains there (0.3 s).
// DuckDB cannot bind 1,000 nested levels: the longest chain it takes computes, one more frame
// than featc allows there is refused at compile time naming DuckDB.
func TestFrameChains(t *testing.T) {
	defer logCells(t)
	chain := func(n int) string {
		var b strings.Builder
		b.WriteString(wideSource + "frame f0 = t.filter(x > -100.0)\n")
		for k := 1; k < n; k++ {
			fmt.Fprintf(&b, "frame f%d = f%d.filter(x > %d.0).with_columns(x = x + 1.0)\n", k, k-1, k-3)
		}
		return b.String()
	}
	want := func(n int) []string {
		var out []string
		for _, r := range wideRows {
			if r[1] == nil || r[1].(float64) <= -100 {
				continue
			}
			x, keep := r[1].(float64), true
			for k := 1; k < n && keep; k++ {
				keep = x > float64(k-3)
				x++
			}
			if keep {
				out = append(out, strings.Join([]string{wideCellText(r[0]), types.FloatLiteral(x), wideCellText(r[2]), wideCellText(r[3])}, " | "))
			}
		}
		sort.Strings(out)
		return out
	}
	const n = 1000
	check := func(t *testing.T, e *engine, n int) {
		got, st, err := wideRun(t, e, chain(n), fmt.Sprintf("f%d", n-1))
		if err != nil {
			sql := ""
			if st != nil {
				sql = firstLines(st.SQL, 5)
			}
			t.Fatalf("%.500v\n%s", err, sql)
		}
		if w := want(n); strings.Join(got, "\n") != strings.Join(w, "\n") {
			t.Fatalf("got %q, want %q", got, w)
		}
		if e != nil {
			cellRan(t, e.name)
		}
	}
	t.Run("eval", func(t *testing.T) { check(t, nil, n) })
	for _, e := range engines(t) {
		t.Run(e.name, func(t *testing.T) {
			limit := e.d.Caps.MaxDefChain
			if limit == 0 || limit >= n {
				check(t, &e, n)
				return
			}
			p, err := featc.CompileSources([]featc.Source{{Name: "test.feat", Text: chain(limit + 1)}})
			if err != nil {
				t.Fatal(err)
			}
			_, err = sqlgen.CompileOutput(p.IR(), e.d, fmt.Sprintf("f%d", limit), sqlgen.Options{})
			why := declaredRefusal(e.d, err, capDefChain)
			if why == "" || !strings.Contains(err.Error(), e.d.Name) {
				t.Fatalf("a chain of %d frames: want the documented refusal naming %s, got %v", limit+1, e.d.Name, err)
			}
			cellRefused(t, e.name, why, err)
			check(t, &e, limit)
		})
	}
}

// wideCellText renders a value of wideRows as the engines' rows do.
func wideCellText(x any) string {
	switch v := x.(type) {
	case nil:
		return "null"
	case int:
		return strconv.Itoa(v)
	case float64:
		return types.FloatLiteral(v)
	}
	return fmt.Sprint(x)
}

// TestSQLGrowsLinearly compiles sums of n integers and of n floats for every dialect at two
// sizes eight times apart: the SQL must grow about eightfold. Snowflake's checked integer
// arithmetic writes each operand twice, which made the SQL of a sum of n integers 2ⁿ long (16
// terms: 4.6 MB); such chains are cut into stages after a few operators.
func TestSQLGrowsLinearly(t *testing.T) {
	for _, e := range backends.Engines() {
		name, d := e.Name, e.Dialect
		for _, col := range []string{"i", "x"} {
			size := func(n int) int {
				src := wideSource + "frame s = t.select(y = " + strings.Repeat(col+" + ", n-1) + col + ")\n"
				p, err := featc.CompileSources([]featc.Source{{Name: "test.feat", Text: src}})
				if err != nil {
					t.Fatal(err)
				}
				st, err := sqlgen.CompileOutput(p.IR(), d, "s", sqlgen.Options{})
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				return len(st.SQL)
			}
			small, large := size(200), size(1600)
			if ratio := float64(large) / float64(small); ratio > 12 {
				t.Errorf("%s, sum of %s: %d bytes for 200 terms, %d for 1,600", name, col, small, large)
			}
		}
	}
}
