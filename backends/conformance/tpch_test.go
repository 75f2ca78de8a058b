package conformance_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/featc/featc"
	"github.com/featc/featc/backends/duckdb"
	"github.com/featc/featc/backends/postgres"
	"github.com/featc/featc/backends/sqlgen"
	"github.com/featc/featc/backends/sqlrun"
	"github.com/featc/featc/eval"
	"github.com/featc/featc/internal/cases"
	"github.com/featc/featc/internal/tpch"
	"github.com/featc/featc/ir/types"
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

	ev, err := eval.New(p, eval.Outputs(tpch.Queries()...))
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
		tab := res.Table(q)
		var rows [][]types.Value
		for i := 0; i < tab.N; i++ {
			var row []types.Value
			for _, col := range tab.Cols {
				row = append(row, col.Value(i))
			}
			rows = append(rows, row)
		}
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
				if _, err := conn.ExecContext(ctx, e.d.CreateTable(name, schema, false)); err != nil {
					t.Fatal(err)
				}
				switch e.d {
				case sqlgen.DuckDB:
					err = duckdb.Load(ctx, conn, "", "", name, schema, rows)
				case sqlgen.Postgres:
					err = postgres.Load(ctx, conn, name, schema, rows)
				default:
					load(t, ctx, conn, e.d, name, schema, rows)
				}
				if err != nil {
					t.Fatalf("load %s: %v", name, err)
				}
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
