package conformance_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/featc/featc"
	"github.com/featc/featc/backends/duckdb"
	"github.com/featc/featc/backends/sqlgen"
	"github.com/featc/featc/backends/sqlrun"
	"github.com/featc/featc/eval"
	"github.com/featc/featc/internal/cases"
	"github.com/featc/featc/internal/tpch"
	"github.com/featc/featc/types"
)

const tpchDir = "../../testdata/tpch"

// TestTPCH runs the 22 TPC-H queries, written in .feat (testdata/tpch/queries), at scale 0.01
// on the evaluator against the reference answers, and on every engine against the evaluator.
func TestTPCH(t *testing.T) {
	ctx := context.Background()
	p, err := featc.Compile(os.DirFS(filepath.Join(tpchDir, "queries")))
	if err != nil {
		t.Fatal(err)
	}
	data, err := tpch.Read(filepath.Join(tpchDir, "sf0.01"), p.IR())
	if err != nil {
		t.Fatal(err)
	}
	defer data.Release()

	ev, err := eval.New(p.IR(), eval.Outputs(tpch.Queries()...))
	if err != nil {
		t.Fatal(err)
	}
	res, err := ev.Run(ctx, eval.Inputs(data.Records), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Release()
	want := map[string][][]types.Value{}
	for _, q := range tpch.Queries() {
		rows := res.Table(q).Rows()
		want[q] = rows
		if q == tpch.UncheckedQuery {
			continue
		}
		ans, err := tpch.ReadAnswer(filepath.Join(tpchDir, "answers", "sf0.01", q+".csv"))
		if err != nil {
			t.Fatal(err)
		}
		if diffs := tpch.Compare(q, p.IR().Def(q).Schema, rows, ans); len(diffs) > 0 {
			t.Errorf("eval %s differs from the reference answer:\n  %s", q, strings.Join(first(diffs, 8), "\n  "))
		}
	}

	for _, e := range engines(t) {
		t.Run(e.name, func(t *testing.T) {
			conn, done := e.open(t)
			defer done()
			for _, name := range tpch.Tables {
				schema := data.Schemas[name]
				rows, err := data.Rows(name)
				if err != nil {
					t.Fatal(err)
				}
				loadFast(t, ctx, conn, e, name, schema, rows)
			}
			for _, q := range tpch.Queries() {
				st, err := sqlgen.CompileOutput(p.IR(), e.d, q, sqlgen.Options{})
				if err != nil {
					t.Errorf("%s: %v", q, err)
					continue
				}
				start := time.Now()
				got, err := sqlrun.Query(ctx, conn, st)
				t.Logf("%s: %v", q, time.Since(start).Round(time.Millisecond))
				if err != nil {
					t.Errorf("%s: %v", q, err)
					continue
				}
				if diffs := sameRowsInOrder(got, want[q]); len(diffs) > 0 {
					t.Errorf("%s on %s differs from the evaluator:\n  %s", q, e.name, strings.Join(first(diffs, 8), "\n  "))
				}
			}
		})
	}
}

// sameRowsInOrder compares rows position by position, floats within cases.SameCell's tolerance.
func sameRowsInOrder(got, want [][]types.Value) []string {
	var diffs []string
	if len(got) != len(want) {
		return []string{"row counts differ: " + itoa(len(got)) + " vs the evaluator's " + itoa(len(want))}
	}
	for r := range want {
		for c := range want[r] {
			if !cases.SameCell(got[r][c].String(), want[r][c].String()) {
				diffs = append(diffs, "row "+itoa(r+1)+": "+got[r][c].String()+", the evaluator says "+want[r][c].String())
			}
		}
	}
	return diffs
}

func first(s []string, n int) []string {
	if len(s) > n {
		return append(s[:n:n], "…")
	}
	return s
}

func itoa(n int) string { return types.Int64Value(int64(n)).String() }

// tpchProgram compiles the .feat queries.
func tpchProgram(tb testing.TB) *featc.Program {
	p, err := featc.Compile(os.DirFS(filepath.Join(tpchDir, "queries")))
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// loadDuckDB opens an in-memory DuckDB holding the tables.
func loadDuckDB(tb testing.TB, data *tpch.Data) (*sql.Conn, func()) {
	ctx := context.Background()
	db, err := duckdb.Open("")
	if err != nil {
		tb.Fatal(err)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	for _, name := range tpch.Tables {
		rows, err := data.Rows(name)
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := conn.ExecContext(ctx, duckdb.Dialect.CreateTable(name, data.Schemas[name], false)); err != nil {
			tb.Fatal(err)
		}
		if err := duckdb.Load(ctx, conn, "", "", name, data.Schemas[name], rows); err != nil {
			tb.Fatal(err)
		}
	}
	return conn, func() { conn.Close(); db.Close() }
}

// handWritten returns the hand-written SQL of a query (testdata/tpch/sql), as a statement
// read with the .feat query's result schema.
func handWritten(tb testing.TB, p *featc.Program, q string) *sqlgen.Statement {
	text, err := os.ReadFile(filepath.Join(tpchDir, "sql", q+".sql"))
	if err != nil {
		tb.Fatal(err)
	}
	return &sqlgen.Statement{Output: q, SQL: string(text), Schema: p.IR().Def(q).Schema}
}

// TestTPCHHandWritten checks the hand-written SQL the benchmark compares featc with against the
// reference answers on DuckDB, so that the benchmark compares correct queries.
func TestTPCHHandWritten(t *testing.T) {
	p := tpchProgram(t)
	data, err := tpch.Read(filepath.Join(tpchDir, "sf0.01"), p.IR())
	if err != nil {
		t.Fatal(err)
	}
	defer data.Release()
	conn, done := loadDuckDB(t, data)
	defer done()
	for _, q := range tpch.Queries() {
		if q == tpch.UncheckedQuery {
			continue
		}
		st := handWritten(t, p, q)
		rows, err := sqlrun.Query(context.Background(), conn, st)
		if err != nil {
			t.Errorf("%s: %v", q, err)
			continue
		}
		ans, err := tpch.ReadAnswer(filepath.Join(tpchDir, "answers", "sf0.01", q+".csv"))
		if err != nil {
			t.Fatal(err)
		}
		if diffs := tpch.Compare(q, st.Schema, rows, ans); len(diffs) > 0 {
			t.Errorf("hand-written %s differs from the reference answer:\n  %s", q, strings.Join(first(diffs, 8), "\n  "))
		}
	}
}

// BenchmarkTPCH runs each query at scale 0.1 (from ../shared/data/tpch, or FEATC_TPCH_DIR) on
// the evaluator, on DuckDB through featc's SQL and on DuckDB with the hand-written SQL, all on
// one thread, in the same run: compare eval/qNN and featc-sql/qNN with hand-sql/qNN.
func BenchmarkTPCH(b *testing.B) {
	dir := os.Getenv("FEATC_TPCH_DIR")
	if dir == "" {
		dir = "../../../shared/data/tpch"
	}
	sf := filepath.Join(dir, "sf0.1")
	if _, err := os.Stat(filepath.Join(sf, "lineitem.parquet")); err != nil {
		b.Skipf("no TPC-H data at scale 0.1 in %s (set FEATC_TPCH_DIR): %v", dir, err)
	}
	ctx := context.Background()
	p := tpchProgram(b)
	data, err := tpch.Read(sf, p.IR())
	if err != nil {
		b.Fatal(err)
	}
	defer data.Release()
	conn, done := loadDuckDB(b, data)
	defer done()
	if _, err := conn.ExecContext(ctx, "SET threads = 1"); err != nil {
		b.Fatal(err)
	}
	for _, q := range tpch.Queries() {
		ev, err := eval.New(p.IR(), eval.Outputs(q))
		if err != nil {
			b.Fatal(err)
		}
		b.Run("eval/"+q, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				res, err := ev.Run(ctx, eval.Inputs(data.Records), nil)
				if err != nil {
					b.Fatal(err)
				}
				res.Release()
			}
		})
		st, err := sqlgen.CompileOutput(p.IR(), duckdb.Dialect, q, sqlgen.Options{})
		if err != nil {
			b.Fatal(err)
		}
		for _, c := range []struct {
			name string
			st   *sqlgen.Statement
		}{{"featc-sql", st}, {"hand-sql", handWritten(b, p, q)}} {
			b.Run(c.name+"/"+q, func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					if _, err := sqlrun.Query(ctx, conn, c.st); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
