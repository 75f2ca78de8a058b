package eval_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/featc/featc/eval"
	"github.com/featc/featc/ir"
	"github.com/featc/featc/types"
)

const spineProgram = `
source orders { customer_id: int64, created_at: timestamp, amount: float64 }
entity customer { customer_id: int64 }
features history for customer at t {
    past     = orders.filter(created_at < t)
    n_orders = past.len()
    total    = past.amount.sum()
}
`

// TestSpinePassThrough: a spine's own columns (a label, an id) come out with every row, in the
// spine's order and before the features; duplicate spine rows stay separate rows, told apart by
// them; the plan for such a spine is compiled once and reused.
func TestSpinePassThrough(t *testing.T) {
	p := compile(t, spineProgram)
	orders := record(t, schemaOf(p, "orders"),
		[]any{1, "2024-01-01T00:00:00", 10.0},
		[]any{1, "2024-02-01T00:00:00", 5.0},
		[]any{2, "2024-01-10T00:00:00", 7.0})
	defer orders.Release()
	spineSchema := ir.Schema{
		{Name: "label", Type: types.BoolT},
		{Name: "t", Type: types.TimestampT},
		{Name: "obs_id", Type: types.StringT},
		{Name: "customer_id", Type: types.Int64T},
	}
	spine := record(t, spineSchema,
		[]any{true, "2024-03-01T00:00:00", "a", 1},
		[]any{false, "2024-03-01T00:00:00", "b", 1},
		[]any{nil, "2024-01-15T00:00:00", "c", 2})
	defer spine.Release()
	for _, outputs := range [][]string{nil, {"history"}, {"history.total"}, {"history.total", "history.n_orders"}} {
		ev, err := eval.New(p.IR(), eval.Outputs(outputs...))
		require.NoError(t, err)
		for range 2 { // the second run reuses the plan compiled for this spine
			res, err := ev.Run(context.Background(), eval.Inputs{"orders": orders, "history": spine}, nil)
			require.NoError(t, err, "%v", outputs)
			want := []string{"label", "t", "obs_id", "customer_id", "n_orders", "total"}
			rowsWant := []string{
				"false | @2024-03-01T00:00:00 | \"b\" | 1 | 2 | 15.0",
				"null | @2024-01-15T00:00:00 | \"c\" | 2 | 1 | 7.0",
				"true | @2024-03-01T00:00:00 | \"a\" | 1 | 2 | 15.0",
			}
			switch len(outputs) {
			case 1:
				if outputs[0] == "history.total" {
					want = []string{"label", "t", "obs_id", "customer_id", "total"}
					rowsWant = []string{
						"false | @2024-03-01T00:00:00 | \"b\" | 1 | 15.0",
						"null | @2024-01-15T00:00:00 | \"c\" | 2 | 7.0",
						"true | @2024-03-01T00:00:00 | \"a\" | 1 | 15.0",
					}
				}
			case 2:
				want = []string{"label", "t", "obs_id", "customer_id", "total", "n_orders"}
				rowsWant = []string{
					"false | @2024-03-01T00:00:00 | \"b\" | 1 | 15.0 | 2",
					"null | @2024-01-15T00:00:00 | \"c\" | 2 | 7.0 | 1",
					"true | @2024-03-01T00:00:00 | \"a\" | 1 | 15.0 | 2",
				}
			}
			require.Equal(t, want, res.Schema("history").Names(), "%v", outputs)
			require.Equal(t, rowsWant, rows(t, res, "history", false), "%v", outputs)
			rec, err := res.Record("history")
			require.NoError(t, err)
			require.Equal(t, int64(len(want)), rec.NumCols())
			rec.Release()
			res.Release()
		}
	}
}

// TestSpineBindErrors: a spine the block cannot read is an error naming the column.
func TestSpineBindErrors(t *testing.T) {
	p := compile(t, spineProgram)
	orders := record(t, schemaOf(p, "orders"))
	defer orders.Release()
	ev, err := eval.New(p.IR())
	require.NoError(t, err)
	for _, c := range []struct {
		schema ir.Schema
		want   string
	}{
		{ir.Schema{{Name: "customer_id", Type: types.Int64T}, {Name: "t", Type: types.TimestampT}, {Name: "total", Type: types.Float64T}}, "total"},
		{ir.Schema{{Name: "customer_id", Type: types.Int64T}, {Name: "label", Type: types.BoolT}}, "t"},
	} {
		spine := record(t, c.schema)
		_, err := ev.Run(context.Background(), eval.Inputs{"orders": orders, "history": spine}, nil)
		spine.Release()
		require.Error(t, err)
		require.Contains(t, err.Error(), c.want)
	}
	// The spine-typed binder names a wrong type too.
	_, err = ir.BindSpine(p.IR(), "history", ir.Schema{{Name: "customer_id", Type: types.StringT}, {Name: "t", Type: types.TimestampT}})
	require.ErrorContains(t, err, "customer_id is string, but the block reads it as int64")
}
