package eval_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/featc/featc/eval"
	"github.com/featc/featc/types"
)

// TestChunkedProjection runs a projection over more rows than one evaluation chunk holds, with
// nulls, constants, a repeated subexpression (shared by common-subexpression elimination) and a
// column passed through unchanged, and checks every row against values computed here in Go from
// the documented semantics: null propagates, integer division by zero is null, / is float.
func TestChunkedProjection(t *testing.T) {
	const n = 5003 // not a multiple of the chunk size
	p := compile(t, `source s { a: int64, b: float64, c: string }
frame out = s.with_columns(
    x = (a * 3 + 1) // (a % 7),
    y = (a * 3 + 1) // (a % 7) + b,
    k = 2.5 * 4,
    z = a / 2,
    w = c,
    v = (b > 10.0) & (a > 100),
    q = b / (b - 2.0),
    sel = when(b > 5.0).then(b).otherwise(a.cast(float64)),
    ge = b >= a.cast(float64) / 4.0,
)
`)
	data := make([][]any, n)
	for i := range data {
		var a, b, c any = i, float64(i) / 4, fmt.Sprint("r", i)
		if i%11 == 0 {
			a = nil
		}
		if i%13 == 0 {
			b = nil
		}
		if i%17 == 0 {
			c = nil
		}
		data[i] = []any{a, b, c}
	}
	res := run(t, p, eval.Inputs{"s": record(t, schemaOf(p, "s"), data...)}, nil)
	defer res.Release()
	tab := res.Table("out")
	require.Equal(t, n, tab.N)
	col := map[string]int{}
	for i, f := range res.Schema("out") {
		col[f.Name] = i
	}
	floorDiv := func(x, y int64) int64 {
		q := x / y
		if (x%y != 0) && ((x < 0) != (y < 0)) {
			q--
		}
		return q
	}
	for i := 0; i < n; i++ {
		cell := func(name string) string { return tab.Cols[col[name]].Value(i).String() }
		aNull, bNull, cNull := i%11 == 0, i%13 == 0, i%17 == 0
		a, b := int64(i), float64(i)/4
		var x string
		switch {
		case aNull, a%7 == 0:
			x = "null"
		default:
			x = fmt.Sprint(floorDiv(a*3+1, a%7))
		}
		require.Equal(t, x, cell("x"), "row %d x", i)
		y := "null"
		if x != "null" && !bNull {
			y = types.FloatLiteral(float64(floorDiv(a*3+1, a%7)) + b)
		}
		require.Equal(t, y, cell("y"), "row %d y", i)
		require.Equal(t, "10.0", cell("k"), "row %d k", i)
		z := "null"
		if !aNull {
			z = types.FloatLiteral(float64(a) / 2)
		}
		require.Equal(t, z, cell("z"), "row %d z", i)
		w := "null"
		if !cNull {
			w = types.Quote(fmt.Sprint("r", i))
		}
		require.Equal(t, w, cell("w"), "row %d w", i)
		// Three-valued AND: false wins over null.
		var v string
		bt, at := b > 10, a > 100
		switch {
		case !bNull && !bt, !aNull && !at:
			v = "false"
		case bNull || aNull:
			v = "null"
		default:
			v = "true"
		}
		require.Equal(t, v, cell("v"), "row %d v", i)
		q := "null"
		if !bNull {
			q = types.FloatLiteral(b / (b - 2)) // IEEE: division by zero is ±Infinity
		}
		require.Equal(t, q, cell("q"), "row %d q", i)
		sel := "null"
		switch {
		case !bNull && b > 5:
			sel = types.FloatLiteral(b)
		case !aNull:
			sel = types.FloatLiteral(float64(a))
		}
		require.Equal(t, sel, cell("sel"), "row %d sel", i)
		ge := "null"
		if !aNull && !bNull {
			ge = fmt.Sprint(b >= float64(a)/4)
		}
		require.Equal(t, ge, cell("ge"), "row %d ge", i)
	}
}
