package duckdb_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/featc/featc"
	"github.com/featc/featc/backends/duckdb"
	"github.com/featc/featc/backends/sqlgen"
	"github.com/featc/featc/eval"
	"github.com/featc/featc/internal/cases"
	"github.com/featc/featc/internal/dataio"
	"github.com/featc/featc/internal/gen"
	"github.com/featc/featc/types"
)

// fixture is generated event data in a Parquet file, loaded into an in-memory DuckDB table
// and into an Arrow record for the evaluator: every engine reads the same rows.
type fixture struct {
	db   *sql.DB
	conn *sql.Conn
	rec  arrow.RecordBatch
}

func newFixture(b *testing.B, rows int) *fixture {
	b.Helper()
	p, err := featc.CompileSources([]featc.Source{{Name: "s.feat", Text: gen.Schema}})
	if err != nil {
		b.Fatal(err)
	}
	schema := p.IR().Def("events").Schema
	var vals [][]types.Value
	for _, r := range gen.Rows(rows, 11) {
		row := make([]types.Value, len(r))
		for i, x := range r {
			if row[i], err = cases.Value(x, schema[i].Type); err != nil {
				b.Fatal(err)
			}
		}
		vals = append(vals, row)
	}
	rec := eval.ValuesRecord(memory.DefaultAllocator, schema, vals)
	path := filepath.Join(b.TempDir(), "events.parquet")
	if err := dataio.WriteParquet(path, rec); err != nil {
		b.Fatal(err)
	}
	db, err := duckdb.Open("")
	if err != nil {
		b.Fatal(err)
	}
	conn, err := db.Conn(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	if _, err := conn.ExecContext(context.Background(), "SET threads = 1; CREATE TABLE events AS SELECT * FROM read_parquet('"+path+"')"); err != nil {
		b.Fatal(err)
	}
	return &fixture{db: db, conn: conn, rec: rec}
}

func (f *fixture) close() { f.conn.Close(); f.db.Close(); f.rec.Release() }

// timeSQL materializes a query's rows in a temporary table, as a backfill does, and returns
// how long planning (PREPARE) and the whole run took.
func (f *fixture) timeSQL(b *testing.B, query string) (plan, run time.Duration) {
	ctx := context.Background()
	start := time.Now()
	st, err := f.conn.PrepareContext(ctx, "CREATE OR REPLACE TEMP TABLE bench_out AS "+query)
	if err != nil {
		b.Fatal(err)
	}
	plan = time.Since(start)
	st.Close()
	start = time.Now()
	if _, err := f.conn.ExecContext(ctx, "CREATE OR REPLACE TEMP TABLE bench_out AS "+query); err != nil {
		b.Fatal(err)
	}
	return plan, time.Since(start)
}

// BenchmarkGeneratedVsFlat runs one features block of 100 and of 2,000 generated features on
// DuckDB (one thread) as featc writes it, and as one flat SELECT with every expression copied
// into its readers (the hand-written form), over the same rows; it reports each one's run
// and planning time and their ratios.
func BenchmarkGeneratedVsFlat(b *testing.B) {
	for _, tc := range []struct{ features, rows int }{{100, 200_000}, {2000, 20_000}} {
		b.Run(fmt.Sprintf("features=%d/rows=%d", tc.features, tc.rows), func(b *testing.B) {
			f := newFixture(b, tc.rows)
			defer f.close()
			p, err := featc.CompileSources([]featc.Source{{Name: "g.feat", Text: gen.Block(tc.features, 7)}})
			if err != nil {
				b.Fatal(err)
			}
			now := map[string]types.Value{"now": types.TimestampValue(time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC).UnixMicro())}
			ours, err := sqlgen.CompileOutput(p.IR(), duckdb.Dialect, "wide", sqlgen.Options{Params: now})
			if err != nil {
				b.Fatal(err)
			}
			flat, err := sqlgen.CompileOutput(p.IR(), duckdb.Dialect, "wide", sqlgen.Options{Params: now, Flat: true})
			if err != nil {
				b.Fatal(err)
			}
			var op, or, fp, fr time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				p1, r1 := f.timeSQL(b, ours.SQL)
				p2, r2 := f.timeSQL(b, flat.SQL)
				op, or, fp, fr = op+p1, or+r1, fp+p2, fr+r2
			}
			n := float64(b.N)
			b.ReportMetric(float64(or.Milliseconds())/n, "featc-ms")
			b.ReportMetric(float64(fr.Milliseconds())/n, "flat-ms")
			b.ReportMetric(float64(or)/float64(fr), "run-ratio")
			b.ReportMetric(float64(op.Microseconds())/n/1000, "featc-plan-ms")
			b.ReportMetric(float64(fp.Microseconds())/n/1000, "flat-plan-ms")
			b.ReportMetric(float64(op)/float64(fp), "plan-ratio")
		})
	}
}

// BenchmarkEvalVsDuckDB runs 100 generated features over 1M rows on the evaluator and on
// DuckDB (one thread each) in the same run, and reports ns per row per feature and the ratio.
func BenchmarkEvalVsDuckDB(b *testing.B) {
	const rows, features = 1_000_000, 100
	f := newFixture(b, rows)
	defer f.close()
	p, err := featc.CompileSources([]featc.Source{{Name: "g.feat", Text: gen.Block(features, 7)}})
	if err != nil {
		b.Fatal(err)
	}
	nowT := time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC)
	st, err := sqlgen.CompileOutput(p.IR(), duckdb.Dialect, "wide", sqlgen.Options{Params: map[string]types.Value{"now": types.TimestampValue(nowT.UnixMicro())}})
	if err != nil {
		b.Fatal(err)
	}
	ev, err := eval.New(p.IR(), eval.Outputs("wide"))
	if err != nil {
		b.Fatal(err)
	}
	inputs, params := eval.Inputs{"events": f.rec}, eval.Params{"now": nowT}
	if res, err := ev.Run(context.Background(), inputs, params); err != nil { // allocate the buffers
		b.Fatal(err)
	} else {
		res.Release()
	}
	var te, td time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		res, err := ev.Run(context.Background(), inputs, params)
		if err != nil {
			b.Fatal(err)
		}
		res.Release()
		te += time.Since(start)
		_, r := f.timeSQL(b, st.SQL)
		td += r
	}
	per := float64(b.N) * rows * features
	b.ReportMetric(float64(te.Nanoseconds())/per, "eval-ns/row/feature")
	b.ReportMetric(float64(td.Nanoseconds())/per, "duckdb-ns/row/feature")
	b.ReportMetric(float64(te)/float64(td), "eval/duckdb")
}
