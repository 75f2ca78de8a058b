package conformance_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/featc/featc"
	"github.com/featc/featc/backends/duckdb"
	"github.com/featc/featc/backends/sqlgen"
	"github.com/featc/featc/backends/sqlrun"
	"github.com/featc/featc/internal/cases"
	"github.com/featc/featc/ir"
	"github.com/featc/featc/ir/types"
)

// The schema of the differential fuzzer: one column of each type, edge values in every row.
const fuzzSchema = `source t { k: int64, i: int64, j: int64, f: float64, g: float64, s: string, u: string, b: bool, d: date, ts: timestamp, du: duration, m: decimal(10, 2) }
`

// exprGen writes random well-typed expressions from the bytes of a fuzz input.
type exprGen struct {
	data []byte
	pos  int
	// win lets expressions hold window functions (not inside another window, and not where
	// the checker refuses them: aggregates).
	win bool
	// lifted records that the program holds a window function in a filter, a sort or a join's
	// input: windows computed below the operator reading them.
	lifted bool
}

func (g *exprGen) next(n int) int {
	if n <= 1 {
		return 0
	}
	if g.pos >= len(g.data) {
		return 0
	}
	b := int(g.data[g.pos])
	g.pos++
	return b % n
}

func (g *exprGen) pick(opts ...string) string { return opts[g.next(len(opts))] }

// expr returns an expression of the kind ("int", "float", "bool", "str", "date", "ts", "dur",
// "dec") at most depth deep.
func (g *exprGen) expr(kind string, depth int) string {
	if g.win && (kind == "int" || kind == "float" || kind == "bool") && g.next(4) == 0 {
		return g.window(kind)
	}
	if depth <= 0 || g.next(4) == 0 {
		return g.leaf(kind)
	}
	d := depth - 1
	switch kind {
	case "int":
		switch g.next(12) {
		case 0:
			return "(" + g.expr("int", d) + " " + g.pick("+", "-", "*", "//", "%") + " " + g.expr("int", d) + ")"
		case 1:
			return "abs(" + g.expr("int", d) + ")"
		case 2:
			return g.expr("str", d) + ".str.len()"
		case 3:
			return g.expr("date", d) + ".dt." + g.pick("year", "month", "day", "weekday", "week", "quarter", "day_of_year") + "()"
		case 4:
			return "when(" + g.expr("bool", d) + ").then(" + g.expr("int", d) + ").otherwise(" + g.expr("int", d) + ")"
		case 5:
			return "coalesce(" + g.expr("int", d) + ", " + g.expr("int", d) + ")"
		case 6:
			return "round(" + g.expr("int", d) + ", " + g.pick("-1", "-2", "0") + ")"
		case 7:
			return g.expr("dur", d) + ".dt." + g.pick("days", "hours", "minutes", "seconds") + "()"
		case 8:
			return "sign(" + g.expr("float", d) + ")"
		case 9:
			return g.expr("ts", d) + ".dt." + g.pick("hour", "minute", "second", "microsecond") + "()"
		case 10:
			return "clip(" + g.expr("int", d) + ", " + g.leaf("int") + ", " + g.leaf("int") + ")"
		default:
			return g.expr("float", d) + ".cast(int64)"
		}
	case "float":
		switch g.next(10) {
		case 0:
			return "(" + g.expr("float", d) + " " + g.pick("+", "-", "*", "/", "//", "%") + " " + g.expr("float", d) + ")"
		case 1:
			return "(" + g.expr("int", d) + " / " + g.expr("int", d) + ")"
		case 2:
			return g.pick("floor", "ceil", "trunc", "abs", "sqrt") + "(" + g.expr("float", d) + ")"
		case 3:
			return "round(" + g.expr("float", d) + ", " + g.pick("0", "1", "2", "-1") + ")"
		case 4:
			return g.expr("float", d) + ".fill_null(" + g.expr("float", d) + ")"
		case 5:
			return g.expr("float", d) + ".fill_nan(" + g.expr("float", d) + ")"
		case 6:
			return g.expr("int", d) + ".cast(float64)"
		case 7:
			return "when(" + g.expr("bool", d) + ").then(" + g.expr("float", d) + ").otherwise(" + g.expr("float", d) + ")"
		case 8:
			return g.expr("dec", d) + ".cast(float64)"
		default:
			return "clip(" + g.expr("float", d) + ", " + g.leaf("float") + ", " + g.leaf("float") + ")"
		}
	case "bool":
		switch g.next(9) {
		case 0:
			k := g.pick("int", "float", "str", "date", "ts", "dur", "dec", "bool")
			return "(" + g.expr(k, d) + " " + g.pick("==", "!=", "<", "<=", ">", ">=") + " " + g.expr(k, d) + ")"
		case 1:
			return "(" + g.expr("bool", d) + " " + g.pick("and", "or") + " " + g.expr("bool", d) + ")"
		case 2:
			return "not " + g.expr("bool", d)
		case 3:
			return g.expr(g.pick("int", "str", "float", "date"), d) + "." + g.pick("is_null", "is_not_null") + "()"
		case 4:
			return g.expr("int", d) + ".between(" + g.leaf("int") + ", " + g.leaf("int") + ", closed = \"" + g.pick("both", "left", "right", "none") + "\")"
		case 5:
			if g.next(3) == 0 {
				return g.expr("str", d) + ".str.like(" + g.pick(`"%a%"`, `"_"`, `"a%b%"`, `"%\\%%"`, `"__%"`, `""`, `"%"`) + ")"
			}
			return g.expr("str", d) + ".str." + g.pick("contains", "starts_with", "ends_with") + "(" + g.expr("str", d) + ")"
		case 6:
			return g.expr("int", d) + ".is_in([1, 2, null, -3])"
		case 7:
			return g.expr("float", d) + ".is_nan()"
		default:
			return g.expr("str", d) + ".is_in([\"a\", \"é\", \"\"])"
		}
	case "str":
		switch g.next(9) {
		case 0:
			return g.expr("str", d) + ".str." + g.pick("lower", "upper", "strip") + "()"
		case 1:
			return "concat(" + g.expr("str", d) + ", " + g.expr("str", d) + ")"
		case 2:
			return g.expr("str", d) + ".str.slice(" + g.expr("int", d) + ", " + g.leaf("int") + ")"
		case 3:
			return g.expr("str", d) + ".str.replace(" + g.leaf("str") + ", " + g.leaf("str") + ")"
		case 4:
			return g.expr(g.pick("int", "float", "date", "ts", "bool", "dec"), d) + ".cast(string)"
		case 5:
			return g.expr("str", d) + ".str.split_part(\"-\", " + g.pick("1", "2", "3") + ")"
		case 6:
			return "when(" + g.expr("bool", d) + ").then(" + g.expr("str", d) + ").otherwise(" + g.expr("str", d) + ")"
		case 7:
			return "(" + g.expr("str", d) + " + " + g.expr("str", d) + ")"
		default:
			return g.expr("str", d) + ".fill_null(\"?\")"
		}
	case "date":
		switch g.next(5) {
		case 0:
			return "(" + g.expr("date", d) + " " + g.pick("+", "-") + " " + g.pick("1mo", "1y", "3mo") + ")"
		case 1:
			return g.expr("date", d) + ".dt.truncate(\"" + g.pick("1mo", "3mo", "1y", "2mo") + "\")"
		case 2:
			return g.expr("ts", d) + ".dt.date()"
		case 3:
			return g.expr("date", d) + ".dt.truncate(" + g.pick("1w", "1d", "2w") + ")"
		default:
			return "coalesce(" + g.expr("date", d) + ", @2000-01-01)"
		}
	case "ts":
		switch g.next(5) {
		case 0:
			return "(" + g.expr("ts", d) + " " + g.pick("+", "-") + " " + g.expr("dur", d) + ")"
		case 1:
			return g.expr("ts", d) + ".dt.truncate(" + g.pick("1h", "15m", "1d", "1w") + ")"
		case 2:
			return g.expr("date", d) + ".cast(timestamp)"
		case 3:
			return "(" + g.expr("ts", d) + " + " + g.pick("1mo", "1y") + ")"
		default:
			return g.expr("ts", d) + ".dt.truncate(\"1mo\")"
		}
	case "dur":
		switch g.next(4) {
		case 0:
			return "(" + g.expr("ts", d) + " - " + g.expr("ts", d) + ")"
		case 1:
			return "(" + g.expr("dur", d) + " " + g.pick("+", "-") + " " + g.expr("dur", d) + ")"
		case 2:
			return "(" + g.expr("date", d) + " - " + g.expr("date", d) + ")"
		default:
			return "abs(" + g.expr("dur", d) + ")"
		}
	case "dec":
		switch g.next(4) {
		case 0:
			return "(" + g.expr("dec", d) + " " + g.pick("+", "-") + " " + g.leaf("dec") + ")"
		case 1:
			return "round(" + g.expr("dec", d) + ", " + g.pick("0", "1") + ")"
		case 2:
			return g.expr("dec", d) + ".fill_null(0.5)"
		default:
			return "abs(" + g.expr("dec", d) + ")"
		}
	}
	return g.leaf(kind)
}

// window returns a window function of the kind: int, float, or a comparison of one (bool).
func (g *exprGen) window(kind string) string {
	g.lifted = true
	g.win = false
	defer func() { g.win = true }()
	part := g.pick("", "b", "s", "k % 3")
	switch kind {
	case "int":
		switch g.next(5) {
		case 0:
			return "len().over(" + part + ")"
		case 1:
			return "row_number().over(" + part + sep(part) + "order_by = k)"
		case 2:
			return g.expr("int", 2) + ".shift(" + g.pick("1", "-1", "2") + ").over(" + part + sep(part) + "order_by = k)"
		case 3:
			return g.expr("int", 1) + "." + g.pick("min", "max", "count", "n_unique") + "().over(" + part + ")"
		default:
			return g.expr("int", 1) + ".cum_count().over(" + part + sep(part) + "order_by = [j, k])"
		}
	case "float":
		switch g.next(3) {
		case 0:
			return g.expr("float", 1) + "." + g.pick("sum", "mean", "max") + "().over(" + part + ")"
		case 1:
			return g.expr("float", 1) + ".cum_" + g.pick("max", "min", "sum") + "().over(" + part + sep(part) + "order_by = k)"
		default:
			return g.expr("float", 1) + ".shift(1).over(" + part + sep(part) + "order_by = [f, k])"
		}
	}
	g.win = true
	w := g.window(g.pick("int", "float"))
	g.win = false
	return "(" + w + " " + g.pick(">", "==", "<=", "!=") + " " + g.leaf(g.pick("int", "float")) + ")"
}

func sep(part string) string {
	if part == "" {
		return ""
	}
	return ", "
}

func (g *exprGen) leaf(kind string) string {
	switch kind {
	case "int":
		return g.pick("i", "j", "k", "2", "-3", "0", "9223372036854775807")
	case "float":
		return g.pick("f", "g", "1.5", "-0.5", "0.0")
	case "bool":
		return g.pick("b", "true", "false")
	case "str":
		return g.pick("s", "u", `"a-b"`, `""`, `"é"`)
	case "date":
		return g.pick("d", "@2024-02-29", "@1969-12-31")
	case "ts":
		return g.pick("ts", "@2024-01-01T10:47:00.5")
	case "dur":
		return g.pick("du", "90m", "-1us")
	case "dec":
		return g.pick("m", "1.25", "-0.05")
	}
	return "null"
}

// program writes a small pipeline: a filter, then columns computed by random expressions, and
// sometimes an aggregation, a sort with a limit, or window functions followed by a filter.
func (g *exprGen) program() string {
	var b strings.Builder
	b.WriteString(fuzzSchema)
	b.WriteString("frame out = t")
	if g.next(3) == 0 {
		// A filter, its condition sometimes reading window functions (computed over every
		// row of t, before the filter drops any).
		g.win = g.next(2) == 0
		b.WriteString(".filter(" + g.expr("bool", 3) + ")")
		g.win = false
	}
	kinds := []string{"int", "float", "bool", "str", "date", "ts", "dur", "dec"}
	var cols []string
	for n := 0; n < 1+g.next(3); n++ {
		cols = append(cols, fmt.Sprintf("e%d = %s", n, g.expr(kinds[g.next(len(kinds))], 4)))
	}
	switch g.next(6) {
	case 5:
		// Window functions, then a filter and sometimes a sort with a limit: the windows see
		// every row of the frame, the filter drops rows after them.
		wins := []string{"i.shift(1).over(order_by = k)", "f.cum_max().over(b, order_by = k)", "row_number().over(s, order_by = [j, k])",
			"g.sum().over(b)", "j.rank(descending = true).over()", "i.lead(2).over(s, order_by = k)", "len().over(b)"}
		w := fmt.Sprintf("w0 = %s", wins[g.next(len(wins))])
		g.win = true
		pred := g.expr("bool", 2)
		g.win = false
		b.WriteString(".with_columns(" + w + ", " + strings.Join(cols, ", ") + ").filter(" + pred + ")")
		if g.next(2) == 0 {
			b.WriteString(".sort(w0, k).limit(5, offset = 1)")
		}
		b.WriteString(".select(k, w0, e0)")
	case 4:
		// A select of aggregates: one row over the whole (filtered) frame.
		aggs := []string{"count", "n_unique", "min", "max"}
		var as []string
		for n := range cols {
			as = append(as, fmt.Sprintf("a%d = (%s).%s()", n, strings.SplitN(cols[n], " = ", 2)[1], aggs[g.next(len(aggs))]))
		}
		b.WriteString(".select(" + strings.Join(as, ", ") + ")")
	case 0:
		aggs := []string{"count", "n_unique", "min", "max"}
		var as []string
		for n := range cols {
			as = append(as, fmt.Sprintf("a%d = e%d.%s()", n, n, aggs[g.next(len(aggs))]))
		}
		b.WriteString(".with_columns(k3 = k % 3, " + strings.Join(cols, ", ") + ").group_by(k3).agg(" + strings.Join(as, ", ") + ")")
	case 1:
		b.WriteString(".select(k, " + strings.Join(cols, ", ") + ").sort(e0, descending = true).limit(7)")
	default:
		switch g.next(3) {
		case 1:
			// Sorted by a window function (computed before the sort), then cut.
			g.win = true
			key := g.window(g.pick("int", "float"))
			g.win = false
			b.WriteString(".sort(" + key + ", k, descending = " + g.pick("true", "false") + ").limit(9).select(k, " + strings.Join(cols, ", ") + ")")
		case 2:
			// Joined to the rows of t kept by a window condition.
			g.win = true
			pred := g.window("bool")
			g.win = false
			b.WriteString(".select(k, " + strings.Join(cols, ", ") + ").join(t.filter(" + pred + ").select(k, jf = f), on = k, how = \"" + g.pick("inner", "left", "anti", "semi") + "\")")
		default:
			b.WriteString(".select(k, " + strings.Join(cols, ", ") + ")")
		}
	}
	b.WriteString("\n")
	return b.String()
}

var fuzzDB struct {
	once sync.Once
	db   *sql.DB
	err  error
}

// FuzzDifferential compiles random well-typed pipelines over edge-case rows and runs them on
// the evaluator and on DuckDB: both must give the same rows, or both fail. A failing input is
// kept by Go's fuzzer in testdata/fuzz and reruns as a regression case with every go test.
func FuzzDifferential(f *testing.F) {
	for _, seed := range []string{"\x00\x01\x02\x03", "\x05\x09\x11\x03\x07\x01\x04\x02\x08", "\x01\x00\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c",
		"\x02\x03\x01\x05\x00\x02\x07\x03\x01\x01", "\x03\x00\x00\x02\x05\x04\x03\x02\x01\x00\x09"} {
		f.Add([]byte(seed))
	}
	p0, err := featc.CompileSources([]featc.Source{{Name: "s.feat", Text: fuzzSchema}})
	if err != nil {
		f.Fatal(err)
	}
	schema := p0.IR().Def("t").Schema
	// 60 rows of edge values, the tamed floats (no ±1e300, whose products overflow).
	rows := dropHuge(cases.EdgeRows(schema, 60))
	f.Fuzz(func(t *testing.T, data []byte) {
		g := &exprGen{data: data}
		src := g.program()
		p, err := featc.CompileSources([]featc.Source{{Name: "fuzz.feat", Text: src}})
		if err != nil {
			return // not well typed (a generator's choice the checker refuses): nothing to compare
		}
		want, evalErr := fuzzEval(p, rows)
		fuzzDB.once.Do(func() { fuzzDB.db, fuzzDB.err = duckdb.Open("") })
		if fuzzDB.err != nil {
			t.Fatal(fuzzDB.err)
		}
		got, engErr := fuzzDuckDB(t, p, schema, rows)
		switch {
		case evalErr != nil && engErr != nil:
			return
		case evalErr != nil:
			// The evaluator computes every expression of every row; an engine may skip a value
			// it does not need (a short-circuited and, a branch not taken, a filtered row) and
			// with it the failure (docs/semantics.md, Errors). Never a different value.
			return
		case engErr != nil:
			if _, refused := engErr.(*sqlgen.Error); refused {
				return // refused at compile time, naming the construct
			}
			t.Fatalf("DuckDB fails (%v), the evaluator does not\n%s", engErr, src)
		}
		if !sameRows(got, want) {
			for i := range want {
				if i >= len(got) || !cases.SameRow(got[i], want[i]) {
					g := "(none)"
					if i < len(got) {
						g = got[i]
					}
					t.Fatalf("row %d differs:\nevaluator %s\nduckdb    %s\n%s", i, want[i], g, src)
				}
			}
			t.Fatalf("DuckDB has %d rows, the evaluator %d\n%s", len(got), len(want), src)
		}
	})
}

func fuzzEval(p *featc.Program, rows [][]types.Value) ([]string, error) {
	res, err := evalRender(p, "out", "t", rows)
	if err != nil {
		return nil, err
	}
	sort.Strings(res)
	return res, nil
}

func fuzzDuckDB(t *testing.T, p *featc.Program, schema ir.Schema, rows [][]types.Value) ([]string, error) {
	ctx := context.Background()
	conn, err := fuzzDB.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "DROP TABLE IF EXISTS t"); err != nil {
		return nil, err
	}
	load(t, ctx, conn, sqlgen.DuckDB, "t", schema, rows)
	defer conn.ExecContext(ctx, "DROP TABLE t")
	st, err := sqlgen.CompileOutput(p.IR(), sqlgen.DuckDB, "out", sqlgen.Options{})
	if err != nil {
		return nil, err
	}
	res, err := sqlrun.Query(ctx, conn, st)
	if err != nil {
		return nil, err
	}
	out := render(res, false)
	return out, nil
}

// TestDifferentialEngines replays the differential fuzzer's corpus and a fixed set of generated
// programs on every engine (Postgres included, which the fuzzer's worker processes do not
// start): a bounded differential pass that runs with every go test.
func TestDifferentialEngines(t *testing.T) {
	p0, err := featc.CompileSources([]featc.Source{{Name: "s.feat", Text: fuzzSchema}})
	if err != nil {
		t.Fatal(err)
	}
	schema := p0.IR().Def("t").Schema
	rows := dropHuge(cases.EdgeRows(schema, 60))
	var inputs [][]byte
	corpus, _ := filepath.Glob("testdata/fuzz/FuzzDifferential/*")
	for _, path := range corpus {
		if b, err := readCorpusBytes(path); err == nil {
			inputs = append(inputs, b)
		}
	}
	r := rand.New(rand.NewSource(7))
	for i := 0; i < 800; i++ {
		b := make([]byte, 4+r.Intn(28))
		r.Read(b)
		inputs = append(inputs, b)
	}
	ctx := context.Background()
	for _, e := range engines(t) {
		t.Run(e.name, func(t *testing.T) {
			conn, done := e.open(t)
			defer done()
			load(t, ctx, conn, e.d, "t", schema, rows)
			compared, lifted := 0, 0
			for _, data := range inputs {
				g := &exprGen{data: data}
				src := g.program()
				p, err := featc.CompileSources([]featc.Source{{Name: "fuzz.feat", Text: src}})
				if err != nil {
					continue
				}
				want, evalErr := fuzzEval(p, rows)
				if evalErr != nil {
					continue // engines may skip the failing value (docs/semantics.md, Errors)
				}
				st, err := sqlgen.CompileOutput(p.IR(), e.d, "out", sqlgen.Options{})
				if err != nil {
					if _, refused := err.(*sqlgen.Error); refused {
						continue
					}
					t.Fatalf("%v\n%s", err, src)
				}
				res, err := sqlrun.Query(ctx, conn, st)
				if err != nil {
					t.Errorf("%s fails (%v), the evaluator does not\n%s\n(fuzz input %q)", e.name, err, src, data)
					continue
				}
				got := render(res, false)
				if !sameRows(got, want) {
					t.Errorf("%s differs from the evaluator\n%s\nevaluator %v\n%-9s %v\n(fuzz input %q)", e.name, src, first(want, 5), e.name, first(got, 5), data)
				}
				compared++
				if g.lifted {
					lifted++
				}
			}
			t.Logf("%d programs compared, %d with window functions in filters, sorts or joins", compared, lifted)
			if compared < 50 || lifted < 40 {
				t.Fatalf("only %d programs compared, %d with window functions in filters, sorts or joins: checked programs fail", compared, lifted)
			}
		})
	}
}

// readCorpusBytes reads the []byte value of a Go fuzz corpus file.
func readCorpusBytes(path string) ([]byte, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	for _, line := range strings.Split(string(text), "\n") {
		if strings.HasPrefix(line, "[]byte(") && strings.HasSuffix(line, ")") {
			s, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(line, "[]byte("), ")"))
			return []byte(s), err
		}
	}
	return nil, fmt.Errorf("%s: no []byte value", path)
}
