package conformance_test

import (
	"context"
	"fmt"
	"os"
	"sort"
	"testing"
	"time"

	"github.com/featc/featc/backends/duckdb"
	"github.com/featc/featc/backends/sqlgen"
	"github.com/featc/featc/eval"
	"github.com/featc/featc/internal/gen"
	"github.com/featc/featc/ir"
	"github.com/featc/featc/types"
)

// pitBenchSize is the data set of BenchmarkBackfill: FEATC_BENCH_PIT=full for the size
// (10,000 customers × 3 years of daily balances and orders, about 14M events, 100,000
// observations), a tenth of the customers by default.
func pitBenchSize() gen.PIT {
	if os.Getenv("FEATC_BENCH_PIT") == "full" {
		return gen.PIT{Customers: 10_000, Days: 1095, Observations: 100_000, OrdersPerDay: 0.3, Seed: 7}
	}
	return gen.PIT{Customers: 1_000, Days: 1095, Observations: 10_000, OrdersPerDay: 0.3, Seed: 7}
}

// BenchmarkBackfill computes the 20 features of testdata/examples/customers for every
// observation of a generated spine: on DuckDB through featc's SQL (the strategy featc chooses:
// correlated aggregation per spine row), and on the evaluator. Reports rows/s.
func BenchmarkBackfill(b *testing.B) {
	size := pitBenchSize()
	p := customersProgram(b)
	start := time.Now()
	d := size.Generate()
	events := len(d.Balances) + len(d.Orders)
	b.Logf("generated %d events, %d observations in %s", events, len(d.Spine), time.Since(start).Round(time.Millisecond))
	ctx := context.Background()
	name := fmt.Sprintf("events=%d/observations=%d", events, len(d.Spine))

	b.Run("duckdb/"+name, func(b *testing.B) {
		db, err := duckdb.Open("")
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		conn, err := db.Conn(ctx)
		if err != nil {
			b.Fatal(err)
		}
		defer conn.Close()
		for _, t := range []struct {
			name string
			rows [][]types.Value
		}{{"balances", d.Balances}, {"orders", d.Orders}} {
			schema := p.IR().Def(t.name).Schema
			if _, err := conn.ExecContext(ctx, duckdb.Dialect.CreateTable(t.name, schema, false)); err != nil {
				b.Fatal(err)
			}
			if err := duckdb.Load(ctx, conn, "", "", t.name, schema, t.rows); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := conn.ExecContext(ctx, duckdb.Dialect.CreateTable("observations", spineSchema(p), false)); err != nil {
			b.Fatal(err)
		}
		if err := duckdb.Load(ctx, conn, "", "", "observations", spineSchema(p), d.Spine); err != nil {
			b.Fatal(err)
		}
		// The two strategies.
		spines := map[string]sqlgen.Relation{"customer_at": {Table: "observations"}}
		for _, c := range []struct {
			name string
			prog *ir.Program
			opts sqlgen.Options
		}{
			{"correlated", p.IR(), sqlgen.Options{Spines: spines}},
			{"join", p.IR(), sqlgen.Options{Spines: spines, EntityStrategy: sqlgen.StrategyJoin}},
		} {
			st, err := sqlgen.CompileOutput(c.prog, duckdb.Dialect, "customer_at", c.opts)
			if err != nil {
				b.Fatal(err)
			}
			b.Run(c.name, func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					if _, err := conn.ExecContext(ctx, "CREATE OR REPLACE TABLE backfill AS "+st.SQL); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(len(d.Spine))*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
			})
		}
	})

	b.Run("eval/"+name, func(b *testing.B) {
		ev, err := eval.New(p.IR(), eval.Outputs("customer_at"))
		if err != nil {
			b.Fatal(err)
		}
		recs := pitInputs{d.Balances, d.Orders, d.Spine}.records(p)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			res, err := ev.Run(ctx, recs, nil)
			if err != nil {
				b.Fatal(err)
			}
			res.Release()
		}
		b.ReportMetric(float64(len(d.Spine))*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	})
}

// BenchmarkRealtimeEntity computes the 20 features for one customer with about 1,000 events
// (three years of daily balances and ~0.3 orders a day) at one time: the serving path.
func BenchmarkRealtimeEntity(b *testing.B) {
	p := customersProgram(b)
	d := gen.PIT{Customers: 1, Days: 770, Observations: 1, OrdersPerDay: 0.3, Seed: 3}.Generate()
	ev, err := eval.New(p.IR(), eval.Outputs("customer_at"))
	if err != nil {
		b.Fatal(err)
	}
	const day = int64(86_400_000_000)
	spine := [][]types.Value{{types.Int64Value(1), types.TimestampValue((18993 + 700) * day)}}
	recs := pitInputs{d.Balances, d.Orders, spine}.records(p)
	b.Logf("one customer: %d events", len(d.Balances)+len(d.Orders))
	ctx := context.Background()
	for i := 0; i < 50; i++ {
		res, err := ev.Run(ctx, recs, nil)
		if err != nil {
			b.Fatal(err)
		}
		res.Release()
	}
	lat := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		res, err := ev.Run(ctx, recs, nil)
		if err != nil {
			b.Fatal(err)
		}
		res.Release()
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds()), "p99-ns")
}
