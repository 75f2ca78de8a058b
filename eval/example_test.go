package eval_test

import (
	"context"
	"fmt"
	"sync"
	"testing/fstest"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/featc/featc"
	"github.com/featc/featc/eval"
)

// A service compiles its feature definitions once at start-up and evaluates them for each
// request, from many goroutines, in-process.
func Example_service() {
	// The .feat files would usually come from an embed.FS.
	features := fstest.MapFS{"features/customer.feat": {Data: []byte(`
source transactions { customer_id: int64, at: timestamp, amount: float64 }
param now: timestamp

features customer_features from transactions.group_by(customer_id).agg(
    n_transactions = len(),
    total          = amount.sum(),
    last_at        = at.max(),
) {
    avg_amount      = total / n_transactions
    hours_since_last = (now - last_at).dt.hours()
}
`)}}
	prog, err := featc.Compile(features, featc.Dir("features"))
	if err != nil {
		panic(err)
	}
	ev, err := eval.New(prog.IR(), eval.Outputs("customer_features.avg_amount", "customer_features.hours_since_last"))
	if err != nil {
		panic(err)
	}

	// One request: the rows of one customer, fetched from the service's store.
	handle := func(ctx context.Context, rec arrow.RecordBatch, now time.Time) (float64, int64, error) {
		res, err := ev.Run(ctx, eval.Inputs{"transactions": rec}, eval.Params{"now": now})
		if err != nil {
			return 0, 0, err
		}
		defer res.Release() // the result's vectors are reused after Release
		t := res.Table("customer_features")
		return t.Cols[0].F[0], t.Cols[1].I[0], nil
	}

	rec := customerRows()
	defer rec.Release()
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	results := make([]string, 4)
	for i := range results {
		wg.Add(1)
		go func() { // the evaluator is safe for concurrent use
			defer wg.Done()
			avg, hours, err := handle(context.Background(), rec, now)
			results[i] = fmt.Sprint(avg, hours, err)
		}()
	}
	wg.Wait()
	fmt.Println(results[0])
	fmt.Println(results[0] == results[3])
	// Output:
	// 20 36 <nil>
	// true
}

func customerRows() arrow.RecordBatch {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "customer_id", Type: arrow.PrimitiveTypes.Int64},
		{Name: "at", Type: &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}},
		{Name: "amount", Type: arrow.PrimitiveTypes.Float64},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	at := func(s string) arrow.Timestamp {
		t, _ := time.Parse(time.RFC3339, s)
		return arrow.Timestamp(t.UnixMicro())
	}
	b.Field(0).(*array.Int64Builder).AppendValues([]int64{7, 7, 7}, nil)
	b.Field(1).(*array.TimestampBuilder).AppendValues([]arrow.Timestamp{at("2024-04-28T09:00:00Z"), at("2024-04-29T10:00:00Z"), at("2024-04-30T00:00:00Z")}, nil)
	b.Field(2).(*array.Float64Builder).AppendValues([]float64{10, 20, 30}, nil)
	return b.NewRecordBatch()
}
