package eval_test

import (
	"context"
	"fmt"
	"math/rand"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/featc/featc/eval"
)

// The request schema of the single-entity benchmarks: 20 columns of one entity's row.
const requestSource = `source req {
    customer_id: int64
    f0: float64
    f1: float64
    f2: float64
    f3: float64
    f4: float64
    f5: float64
    f6: float64
    f7: float64
    i0: int64
    i1: int64
    i2: int64
    i3: int64
    s0: string
    s1: string
    b0: bool
    t0: timestamp
    t1: timestamp
    d0: date
    month: date
}
param now: timestamp
`

// scalarFeatures generates n features of a realistic mix: arithmetic, comparisons,
// conditionals, null handling, string and date functions, and features reading features.
func scalarFeatures(n int, seed int64) string {
	r := rand.New(rand.NewSource(seed))
	var b strings.Builder
	b.WriteString(requestSource)
	b.WriteString("features feats from req {\n")
	fcol := func() string { return fmt.Sprintf("f%d", r.Intn(8)) }
	icol := func() string { return fmt.Sprintf("i%d", r.Intn(4)) }
	for i := 0; i < n; i++ {
		var e string
		switch r.Intn(10) {
		case 0:
			e = fmt.Sprintf("%s * %d.5 + %s", fcol(), r.Intn(9), fcol())
		case 1:
			e = fmt.Sprintf("(%s - %s) / (%s + 1.0)", fcol(), fcol(), fcol())
		case 2:
			e = fmt.Sprintf("when(%s > %d).then(%s).otherwise(0.0)", fcol(), r.Intn(100), fcol())
		case 3:
			e = fmt.Sprintf("%s + %s * %d", icol(), icol(), r.Intn(10)+1)
		case 4:
			e = fmt.Sprintf("%s > %s and %s", fcol(), fcol(), "b0")
		case 5:
			e = fmt.Sprintf("%s.fill_null(0.0).abs()", fcol())
		case 6:
			e = "(now - t0).dt.hours()"
		case 7:
			e = `s0.str.starts_with("vip")`
		case 8:
			e = fmt.Sprintf("%s.between(%d, %d)", icol(), r.Intn(10), 10+r.Intn(10))
		default:
			if i > 0 {
				e = fmt.Sprintf("x%d.is_null()", r.Intn(i))
			} else {
				e = "f0.is_null()"
			}
		}
		fmt.Fprintf(&b, "    x%d = %s\n", i, e)
	}
	b.WriteString("}\n")
	return b.String()
}

// requestRows builds rows of the request schema.
func requestRows(tb testing.TB, n int) arrow.RecordBatch {
	p := compile(tb, requestSource+"frame f = req.select(customer_id)")
	r := rand.New(rand.NewSource(1))
	var rows [][]any
	for i := 0; i < n; i++ {
		row := []any{i % 100}
		for j := 0; j < 8; j++ {
			row = append(row, r.Float64()*200-50)
		}
		for j := 0; j < 4; j++ {
			row = append(row, r.Intn(1000))
		}
		row = append(row, []string{"vip-1", "regular"}[r.Intn(2)], "x", r.Intn(2) == 0,
			"2024-05-01T10:00:00", "2024-04-01T00:00:00", "2024-01-31", fmt.Sprintf("2024-%02d-01", 1+i%12))
		rows = append(rows, row)
	}
	return record(tb, schemaOf(p, "req"), rows...)
}

// BenchmarkSingleEntity evaluates scalar features over one entity's row, as a service does per
// request; it reports the p50 and p99 latency of the runs and their allocations.
func BenchmarkSingleEntity(b *testing.B) {
	for _, n := range []int{1, 100, 1000} {
		b.Run(fmt.Sprintf("features=%d", n), func(b *testing.B) {
			p := compile(b, scalarFeatures(n, 1))
			ev, err := eval.New(p.IR())
			if err != nil {
				b.Fatal(err)
			}
			rec := requestRows(b, 1)
			inputs := eval.Inputs{"req": rec}
			params := eval.Params{"now": time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)}
			ctx := context.Background()
			for i := 0; i < 100; i++ { // warm the pool
				res, _ := ev.Run(ctx, inputs, params)
				res.Release()
			}
			lat := make([]time.Duration, 0, b.N)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				start := time.Now()
				res, err := ev.Run(ctx, inputs, params)
				if err != nil {
					b.Fatal(err)
				}
				res.Release()
				lat = append(lat, time.Since(start))
			}
			b.StopTimer()
			reportPercentiles(b, lat)
		})
	}
}

func reportPercentiles(b *testing.B, lat []time.Duration) {
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	if len(lat) == 0 {
		return
	}
	b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds()), "p99-ns")
}

// BenchmarkMonthlyAggregation aggregates one entity's 36 monthly rows into 100 features.
func BenchmarkMonthlyAggregation(b *testing.B) {
	var src strings.Builder
	src.WriteString(requestSource)
	src.WriteString("frame monthly = req.group_by(customer_id).agg(\n")
	r := rand.New(rand.NewSource(2))
	aggs := []string{"f%d.mean()", "f%d.sum()", "f%d.max() - f%d.min()", "f%d.std()", "(f%d > 0).any()", "f%d.last(order_by = month)", "f%d.count()"}
	for i := 0; i < 100; i++ {
		a := aggs[r.Intn(len(aggs))]
		k := r.Intn(8)
		fmt.Fprintf(&src, "    a%d = %s,\n", i, strings.ReplaceAll(a, "%d", fmt.Sprint(k)))
	}
	src.WriteString(")\n")
	p := compile(b, src.String())
	ev, err := eval.New(p.IR())
	if err != nil {
		b.Fatal(err)
	}
	rec := requestRows(b, 36)
	inputs := eval.Inputs{"req": singleCustomer(b, rec)}
	params := eval.Params{"now": time.Now()}
	ctx := context.Background()
	lat := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		res, err := ev.Run(ctx, inputs, params)
		if err != nil {
			b.Fatal(err)
		}
		res.Release()
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	reportPercentiles(b, lat)
}

// singleCustomer sets every row's customer_id to 1 (one entity's rows).
func singleCustomer(tb testing.TB, rec arrow.RecordBatch) arrow.RecordBatch {
	ids := array.NewInt64Builder(memory.DefaultAllocator)
	for i := 0; i < int(rec.NumRows()); i++ {
		ids.Append(1)
	}
	cols := rec.Columns()
	cols[0] = ids.NewArray()
	return array.NewRecordBatch(rec.Schema(), cols, rec.NumRows())
}

// BenchmarkBatch evaluates 100 features over a million rows of 20 columns on one goroutine; the
// metric ns/row/feature is the figure to compare with DuckDB's on the same data.
func BenchmarkBatch(b *testing.B) {
	const rows = 1_000_000
	p := compile(b, scalarFeatures(100, 1))
	ev, err := eval.New(p.IR())
	if err != nil {
		b.Fatal(err)
	}
	rec := requestRows(b, 10_000)
	big := repeatRecord(b, rec, rows/10_000)
	inputs := eval.Inputs{"req": big}
	params := eval.Params{"now": time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)}
	// One run first: it allocates the output buffers (800 MB here) that later runs reuse; the
	// figure is the steady state of a service or job that evaluates batch after batch.
	res, err := ev.Run(context.Background(), inputs, params)
	if err != nil {
		b.Fatal(err)
	}
	res.Release()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := ev.Run(context.Background(), inputs, params)
		if err != nil {
			b.Fatal(err)
		}
		res.Release()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/rows/100, "ns/row/feature")
}

func repeatRecord(tb testing.TB, rec arrow.RecordBatch, times int) arrow.RecordBatch {
	cols := make([]arrow.Array, rec.NumCols())
	for c := range cols {
		parts := make([]arrow.Array, times)
		for i := range parts {
			parts[i] = rec.Column(c)
		}
		a, err := array.Concatenate(parts, memory.DefaultAllocator)
		if err != nil {
			tb.Fatal(err)
		}
		cols[c] = a
	}
	return array.NewRecordBatch(rec.Schema(), cols, rec.NumRows()*int64(times))
}

// BenchmarkSimpleMap compares a*1.5+b over ten million rows with the same loop written in Go.
func BenchmarkSimpleMap(b *testing.B) {
	const rows = 10_000_000
	p := compile(b, "source t { a: float64, b: float64 }\nframe f = t.select(y = a * 1.5 + b)")
	ab := array.NewFloat64Builder(memory.DefaultAllocator)
	bb := array.NewFloat64Builder(memory.DefaultAllocator)
	av, bv := make([]float64, rows), make([]float64, rows)
	for i := range av {
		av[i], bv[i] = float64(i%1000)*0.5, float64(i%7)
	}
	ab.AppendValues(av, nil)
	bb.AppendValues(bv, nil)
	rec := array.NewRecordBatch(eval.ArrowSchema(schemaOf(p, "t")), []arrow.Array{ab.NewArray(), bb.NewArray()}, rows)
	b.Run("featc", func(b *testing.B) {
		ev, err := eval.New(p.IR())
		if err != nil {
			b.Fatal(err)
		}
		inputs := eval.Inputs{"t": rec}
		for i := 0; i < b.N; i++ {
			res, err := ev.Run(context.Background(), inputs, nil)
			if err != nil {
				b.Fatal(err)
			}
			res.Release()
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/rows, "ns/row")
	})
	b.Run("go_loop", func(b *testing.B) {
		out := make([]float64, rows)
		for i := 0; i < b.N; i++ {
			x, y := rec.Column(0).(*array.Float64).Float64Values(), rec.Column(1).(*array.Float64).Float64Values()
			for j := range out {
				out[j] = x[j]*1.5 + y[j]
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/rows, "ns/row")
	})
}
