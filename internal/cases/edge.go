package cases

import (
	"math"
	"math/big"

	"github.com/featc/featc/ir/types"
)

// Edge returns the edge-case values of a type that the conformance matrix runs every function
// over: nulls, zeros and signs, extremes, NaN and infinities, decimals at their scale, empty,
// unicode and padded strings, month, year, leap-day and epoch edges, microsecond precision.
func Edge(t types.Type) []types.Value {
	null := types.NullValue(t)
	switch t.Kind {
	case types.Bool:
		return []types.Value{types.BoolValue(true), types.BoolValue(false), null}
	case types.Int32:
		return ints(t, 0, 1, -1, 7, -3, math.MaxInt32, math.MinInt32, 100)
	case types.Int64:
		return ints(t, 0, 1, -1, 7, -3, 2, 100, -100, math.MaxInt64, math.MinInt64, 1<<40)
	case types.Float64:
		var out []types.Value
		for _, f := range []float64{0, math.Copysign(0, -1), 1, -1, 1.5, -2.5, 2.675, 0.1, 7, 100, 1e15, 1e-7, 1e300, -1e300,
			math.NaN(), math.Inf(1), math.Inf(-1)} {
			out = append(out, types.Float64Value(f))
		}
		return append(out, null)
	case types.Decimal:
		var out []types.Value
		for _, n := range []int64{0, 1, -1, 125, -125, 5, 999} {
			out = append(out, types.DecimalValue(new(big.Int).Mul(big.NewInt(n), big.NewInt(1)), t))
		}
		maxDigits := new(big.Int).Sub(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(t.Precision)), nil), big.NewInt(1))
		out = append(out, types.DecimalValue(maxDigits, t), types.DecimalValue(new(big.Int).Neg(maxDigits), t))
		return append(out, null)
	case types.String:
		var out []types.Value
		for _, s := range []string{"", "a", "B", "abc", "é", "日本語", "  pad\t", "a-b--c", "ß", "vip-1", "O'Brien", `back\slash`, "Z", "🙂", "a_b%c", "100%"} {
			out = append(out, types.StringValue(s))
		}
		return append(out, null)
	case types.Date:
		var out []types.Value
		for _, s := range []string{"1970-01-01", "1969-12-31", "2024-02-29", "2023-12-31", "2024-01-31", "2000-03-01", "2021-01-03"} {
			d, _ := types.ParseDate(s)
			out = append(out, types.DateValue(d))
		}
		return append(out, null)
	case types.Timestamp:
		var out []types.Value
		for _, s := range []string{"1970-01-01T00:00:00", "1969-12-31T23:59:59.999999", "2024-02-29T23:59:59.999999",
			"2024-01-01T10:47:00.5", "2023-12-31T00:00:00.000001", "2021-01-03T12:00:00"} {
			us, _ := types.ParseTimestamp(s)
			out = append(out, types.TimestampValue(us))
		}
		return append(out, null)
	case types.Duration:
		return ints(t, 0, 1, -1, 90*60_000_000, -36*3_600_000_000, 86_400_000_000, 1<<50)
	}
	return []types.Value{null}
}

func ints(t types.Type, xs ...int64) []types.Value {
	var out []types.Value
	for _, x := range xs {
		out = append(out, types.Value{Type: t, I: x})
	}
	return append(out, types.NullValue(t))
}
