package cases

import (
	"math"
	"math/big"
	"math/rand"

	"github.com/featc/featc/ir"
	"github.com/featc/featc/types"
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
		for _, s := range []string{"", "a", "B", "abc", "é", "日本語", "  pad\t", "a-b--c", "ß", "vip-1", "O'Brien", `back\slash`, "Z", "🙂", "a_b%c", "100%", "e\u0301-", "x\u200dy", "ab12\ncd", "x[1]^y"} {
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

// EdgeRows returns rows combining the edge values of the column types after the first, which
// numbers the rows (an int64): all combinations up to limit, else a seeded sample of limit of
// them. The conformance matrix runs over them, and testdata/edge holds them as a file.
func EdgeRows(schema ir.Schema, limit int) [][]types.Value {
	var lists [][]types.Value
	total := 1
	for _, f := range schema[1:] {
		l := Edge(f.Type)
		lists = append(lists, l)
		total *= len(l)
	}
	pick := func(k int) []types.Value {
		var row []types.Value
		for _, l := range lists {
			row = append(row, l[k%len(l)])
			k /= len(l)
		}
		return row
	}
	var out [][]types.Value
	add := func(k int) {
		out = append(out, append([]types.Value{types.Int64Value(int64(len(out)))}, pick(k)...))
	}
	if total <= limit {
		for k := 0; k < total; k++ {
			add(k)
		}
		return out
	}
	r := rand.New(rand.NewSource(int64(total)))
	for i := 0; i < limit; i++ {
		add(r.Intn(total))
	}
	return out
}
