package eval_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/featc/featc/eval"
)

// TestUseAfterRelease: a result used after Release refuses (Table nil, Record and Scalar
// ErrReleased) even when its pooled state already serves the next request; a table kept from
// it shows poison, not the next request's values, in builds with the featc_poison tag (make
// test's).
func TestUseAfterRelease(t *testing.T) {
	p := compile(t, `
source s { k: int64, x: float64, name: string }
frame f = s.with_columns(y = x * 2, tag = name + "!")
let total = s.x.sum()
`)
	ev, err := eval.New(p.IR())
	require.NoError(t, err)
	a := record(t, schemaOf(p, "s"), []any{1, 1.5, "a"}, []any{2, 2.5, "b"})
	b := record(t, schemaOf(p, "s"), []any{7, 100.0, "zz"}, []any{8, 200.0, "yy"})
	defer a.Release()
	defer b.Release()
	ctx := context.Background()
	res, err := ev.Run(ctx, eval.Inputs{"s": a}, nil)
	require.NoError(t, err)
	kept := res.Table("f")
	require.Equal(t, "3.0", kept.Cols[3].Value(0).String())
	res.Release()
	res2, err := ev.Run(ctx, eval.Inputs{"s": b}, nil)
	require.NoError(t, err)
	defer res2.Release()
	require.Equal(t, "200.0", res2.Table("f").Cols[3].Value(0).String())

	require.Nil(t, res.Table("f"), "Table after Release")
	_, err = res.Record("f")
	require.True(t, errors.Is(err, eval.ErrReleased), "Record after Release: %v", err)
	_, _, err = res.Scalar("total")
	require.True(t, errors.Is(err, eval.ErrReleased), "Scalar after Release: %v", err)
	res.Release() // a second Release does nothing, and must not release res2's state
	require.Equal(t, "200.0", res2.Table("f").Cols[3].Value(0).String())

	if poisoned {
		y, tag := kept.Cols[3].Value(0), kept.Cols[4].Value(0)
		require.NotEqual(t, "200.0", y.String(), "a kept table read the next request's values")
		require.NotEqual(t, `"zz!"`, tag.String(), "a kept table read the next request's values")
		require.Equal(t, eval.PoisonString, tag.S)
	}
}
