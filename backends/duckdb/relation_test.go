package duckdb_test

import (
	"context"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/featc/featc"
	"github.com/featc/featc/backends/duckdb"
	"github.com/featc/featc/backends/sqlgen"
	"github.com/featc/featc/backends/sqlrun"
	"github.com/featc/featc/eval"
	"github.com/featc/featc/internal/dataio"
	"github.com/featc/featc/ir"
	"github.com/featc/featc/types"
)

// TestRelationForms binds a source and a spine to every form of sqlgen.Relation a Go caller
// can give (a table, a query, a Parquet file), in every combination and with both entity
// strategies, and checks the rows DuckDB computes against counts and sums worked out by hand.
// A spine given as a query was written `(…) AS "query" AS "spine"`, which DuckDB rejects.
func TestRelationForms(t *testing.T) {
	const src = `
source orders { customer_id: int64, created_at: timestamp, amount: float64 }
entity customer { customer_id: int64 }
features history for customer at t {
    past  = orders.filter(created_at < t)
    n     = past.len()
    total = past.amount.sum()
}
frame big = orders.filter(amount > 6).select(customer_id, amount)
`
	p, err := featc.CompileSources([]featc.Source{{Name: "r.feat", Text: src}})
	if err != nil {
		t.Fatal(err)
	}
	prog := p.IR()
	day := func(d int) types.Value {
		return types.TimestampValue(time.Date(2024, 1, d, 0, 0, 0, 0, time.UTC).UnixMicro())
	}
	orders := [][]types.Value{
		{types.Int64Value(1), day(1), types.Float64Value(10)},
		{types.Int64Value(1), day(3), types.Float64Value(5)},
		{types.Int64Value(2), day(2), types.Float64Value(7)},
	}
	spineSchema := ir.ApplyOf(prog.Def("history").Rel).Spine.Schema()
	spine := [][]types.Value{
		{types.Int64Value(1), day(2)},
		{types.Int64Value(1), day(4)},
		{types.Int64Value(2), day(1)},
		{types.Int64Value(3), day(5)},
	}
	// customer_id, t, n, total: the orders strictly before t (the sum of none is 0.0, as in Polars).
	wantHistory := []string{
		"1 | @2024-01-02T00:00:00 | 1 | 10.0",
		"1 | @2024-01-04T00:00:00 | 2 | 15.0",
		"2 | @2024-01-01T00:00:00 | 0 | 0.0",
		"3 | @2024-01-05T00:00:00 | 0 | 0.0",
	}
	wantBig := []string{"1 | 10.0", "2 | 7.0"}

	dir := t.TempDir()
	writeParquet := func(name string, s ir.Schema, rows [][]types.Value) string {
		rec := eval.ValuesRecord(memory.DefaultAllocator, s, rows)
		defer rec.Release()
		path := filepath.Join(dir, name+".parquet")
		if err := dataio.WriteParquet(path, rec); err != nil {
			t.Fatal(err)
		}
		return path
	}
	ordersFile := writeParquet("orders", prog.Def("orders").Schema, orders)
	spineFile := writeParquet("spine", spineSchema, spine)

	ctx := context.Background()
	db, err := duckdb.Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, s := range []string{
		"CREATE TABLE orders_t AS SELECT * FROM read_parquet('" + ordersFile + "')",
		"CREATE TABLE spine_t AS SELECT * FROM read_parquet('" + spineFile + "')",
	} {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	forms := func(table, file string) map[string]sqlgen.Relation {
		return map[string]sqlgen.Relation{
			"table": {Table: table},
			"query": {Query: "SELECT * FROM " + table + " WHERE TRUE"},
			"file":  {File: file},
		}
	}
	run := func(t *testing.T, output string, opts sqlgen.Options) []string {
		st, err := sqlgen.CompileOutput(prog, duckdb.Dialect, output, opts)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := sqlrun.Query(ctx, conn, st)
		if err != nil {
			t.Fatalf("%v\n%s", err, st.SQL)
		}
		var got []string
		for _, r := range rows {
			cells := make([]string, len(r))
			for i, v := range r {
				cells[i] = v.String()
			}
			got = append(got, strings.Join(cells, " | "))
		}
		sort.Strings(got)
		return got
	}
	same := func(t *testing.T, got, want []string) {
		t.Helper()
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
	for srcForm, srcRel := range forms("orders_t", ordersFile) {
		t.Run("source="+srcForm, func(t *testing.T) {
			same(t, run(t, "big", sqlgen.Options{Sources: map[string]sqlgen.Relation{"orders": srcRel}}), wantBig)
		})
		for spineForm, spineRel := range forms("spine_t", spineFile) {
			for _, strategy := range []string{sqlgen.StrategyJoin, sqlgen.StrategyCorrelated} {
				t.Run("source="+srcForm+"/spine="+spineForm+"/"+strategy, func(t *testing.T) {
					opts := sqlgen.Options{
						Sources:        map[string]sqlgen.Relation{"orders": srcRel},
						Spines:         map[string]sqlgen.Relation{"history": spineRel},
						EntityStrategy: strategy,
					}
					same(t, run(t, "history", opts), wantHistory)
				})
			}
		}
	}
}
