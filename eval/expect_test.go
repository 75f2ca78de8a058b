package eval_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/featc/featc/eval"
	"github.com/featc/featc/ir"
)

const expectSrc = `source orders { order_id: int64, customer: string, amount: float64 }
param limit: float64 = 100.0
features checks from orders {
    doubled = amount * 2
    expect doubled.is_not_null()
    expect amount < limit else warn
}
`

// TestExpectations: an expectation fails on the rows where its condition is false or null; a
// failure at level error fails the run, naming the check, the number of rows and sample keys;
// one at level warn is reported with the result; ExpectWarn and ExpectOff relax that.
func TestExpectations(t *testing.T) {
	p := compile(t, expectSrc)
	schema := inputSchema(p, "orders")
	in := record(t, schema,
		[]any{1, "a", 10.0},
		[]any{2, "b", nil},
		[]any{3, nil, 500.0},
		[]any{4, "d", nil},
		[]any{5, "e", 20.0},
	)
	defer in.Release()
	inputs := eval.Inputs{"orders": in}
	ctx := context.Background()

	ev, err := eval.New(p.IR())
	require.NoError(t, err)
	_, err = ev.Run(ctx, inputs, nil)
	var ee *ir.ExpectError
	require.True(t, errors.As(err, &ee), "%v", err)
	require.Len(t, ee.Failures, 1)
	f := ee.Failures[0]
	require.Equal(t, "checks", f.Def)
	require.Equal(t, "doubled.is_not_null()", f.Check)
	require.Equal(t, int64(2), f.Failed)
	require.Equal(t, int64(5), f.Total)
	require.Equal(t, []string{`order_id=2, customer="b"`, `order_id=4, customer="d"`}, f.Samples)
	require.Contains(t, err.Error(), "checks: expectation doubled.is_not_null() failed on 2 of 5 rows, e.g. order_id=2")

	// Level warn: reported with the result. The nulls fail amount < limit too (null is not true).
	ev, err = eval.New(p.IR(), eval.Expectations(eval.ExpectWarn))
	require.NoError(t, err)
	res, err := ev.Run(ctx, inputs, eval.Params{"limit": 400.0})
	require.NoError(t, err)
	w := res.ExpectWarnings()
	require.Len(t, w, 2)
	require.Equal(t, "amount < limit", w[1].Check)
	require.Equal(t, int64(3), w[1].Failed)
	require.Equal(t, []string{`order_id=2, customer="b"`, `order_id=3, customer=null`, `order_id=4, customer="d"`}, w[1].Samples)
	res.Release()

	ev, err = eval.New(p.IR(), eval.Expectations(eval.ExpectOff))
	require.NoError(t, err)
	res, err = ev.Run(ctx, inputs, nil)
	require.NoError(t, err)
	require.Empty(t, res.ExpectWarnings())
	require.Equal(t, 5, res.Table("checks").N)
	res.Release()
}
