package stdlib

import "github.com/featc/featc/types"

// Operators: arithmetic, comparison and boolean logic. Every operator is a function with an
// Operator symbol; the checker turns `a + b` into a call of "add" with a resolved overload.

const (
	dec = types.Decimal
	i64 = types.Int64
	f64 = types.Float64
	str = types.String
	dat = types.Date
	tsp = types.Timestamp
	dur = types.Duration
	itv = types.Interval
	bln = types.Bool
)

func arithmetic() []*Func {
	binary := func(x, y string) []Param { return []Param{param(x, ""), param(y, "")} }
	return []*Func{
		{
			Name: "add", Operator: "+", Kind: Scalar, Family: "arithmetic", Params: binary("x", "y"),
			Doc: "Sum of two numbers; concatenation of two strings; a date or timestamp moved by a duration " +
				"or an interval. Integer overflow is an error, never a wrap-around. Null if either side is null.",
			Overloads: []*Overload{
				ov("add_int64", types.Int64T, i64, i64),
				ov("add_float64", types.Float64T, f64, f64),
				ovFn("add_decimal", decimalAdd, dec, dec),
				ov("add_string", types.StringT, str, str),
				ov("add_timestamp_duration", types.TimestampT, tsp, dur),
				ov("add_duration_timestamp", types.TimestampT, dur, tsp),
				ov("add_date_duration", types.TimestampT, dat, dur),
				ov("add_date_interval", types.DateT, dat, itv),
				ov("add_timestamp_interval", types.TimestampT, tsp, itv),
				ov("add_duration", types.DurationT, dur, dur),
			},
			Examples: []Example{
				{Expr: "1 + 2", Want: "3"},
				{Expr: `"ab" + "cd"`, Want: `"abcd"`},
				{Expr: "@2024-01-31 + 1mo", Want: "@2024-02-29"},
				{Expr: "@2024-03-10T23:00:00 + 2h", Want: "@2024-03-11T01:00:00"},
				{Expr: "1 + null", Want: "null"},
			},
		},
		{
			Name: "sub", Operator: "-", Kind: Scalar, Family: "arithmetic", Params: binary("x", "y"),
			Doc: "Difference of two numbers; the duration between two dates or timestamps; a date or " +
				"timestamp moved back by a duration or interval. Overflow is an error.",
			Overloads: []*Overload{
				ov("sub_int64", types.Int64T, i64, i64),
				ov("sub_float64", types.Float64T, f64, f64),
				ovFn("sub_decimal", decimalAdd, dec, dec),
				ov("sub_timestamp", types.DurationT, tsp, tsp),
				ov("sub_date", types.DurationT, dat, dat),
				ov("sub_timestamp_duration", types.TimestampT, tsp, dur),
				ov("sub_date_duration", types.TimestampT, dat, dur),
				ov("sub_date_interval", types.DateT, dat, itv),
				ov("sub_timestamp_interval", types.TimestampT, tsp, itv),
				ov("sub_duration", types.DurationT, dur, dur),
			},
			Examples: []Example{
				{Expr: "5 - 7", Want: "-2"},
				{Expr: "@2024-03-01 - @2024-02-01", Want: "29d"},
				{Expr: "@2024-03-31 - 1mo", Want: "@2024-02-29"},
			},
		},
		{
			Name: "mul", Operator: "*", Kind: Scalar, Family: "arithmetic", Params: binary("x", "y"),
			Doc: "Product. Integer overflow is an error. A decimal product has the sum of the operands' scales.",
			Overloads: []*Overload{
				ov("mul_int64", types.Int64T, i64, i64),
				ov("mul_float64", types.Float64T, f64, f64),
				{ID: "mul_decimal", Args: []types.Kind{dec, dec}, ResultFn: decimalMul, KeepScales: true},
				ov("mul_duration_int64", types.DurationT, dur, i64),
				ov("mul_int64_duration", types.DurationT, i64, dur),
			},
			Examples: []Example{{Expr: "6 * 7", Want: "42"}, {Expr: "2 * 3h", Want: "6h"}},
		},
		{
			Name: "div", Operator: "/", Kind: Scalar, Family: "arithmetic", Params: binary("x", "y"),
			Doc: "True division: always float64, also for integers (7 / 2 = 3.5). Division by zero " +
				"follows IEEE 754, as in Polars: x / 0 is ±infinity by the sign of x, 0 / 0 is NaN, on every engine (the sign of the zero is not read: engines do not compute it alike).",
			Overloads: []*Overload{ov("div_float64", types.Float64T, f64, f64)},
			Examples: []Example{
				{Expr: "7 / 2", Want: "3.5"},
				{Expr: "1 / 0", Want: "Infinity"},
				{Expr: "-1.0 / 0.0", Want: "-Infinity"},
				{Expr: "1.0 / -0.0", Want: "Infinity"},
				{Expr: "0 / 0", Want: "NaN"},
				{Expr: "-7 / 2", Want: "-3.5"},
			},
		},
		{
			Name: "floordiv", Operator: "//", Kind: Scalar, Family: "arithmetic", Params: binary("x", "y"),
			Doc: "Floor division, rounding toward negative infinity as in Polars and Python " +
				"(-7 // 2 = -4, not SQL's truncating -3). Division by zero gives null.",
			Overloads: []*Overload{
				ov("floordiv_int64", types.Int64T, i64, i64),
				ov("floordiv_float64", types.Float64T, f64, f64),
			},
			Examples: []Example{
				{Expr: "7 // 2", Want: "3"},
				{Expr: "-7 // 2", Want: "-4"},
				{Expr: "7 // 0", Want: "null"},
			},
		},
		{
			Name: "mod", Operator: "%", Kind: Scalar, Family: "arithmetic", Params: binary("x", "y"),
			Doc: "Remainder of floor division: the result has the sign of the divisor, as in Polars and " +
				"Python (-7 % 3 = 2, not SQL's -1), so that x == (x // y) * y + x % y. Modulo by zero gives null.",
			Overloads: []*Overload{
				ov("mod_int64", types.Int64T, i64, i64),
				ov("mod_float64", types.Float64T, f64, f64),
			},
			Examples: []Example{
				{Expr: "7 % 3", Want: "1"},
				{Expr: "-7 % 3", Want: "2"},
				{Expr: "7 % -3", Want: "-2"},
				{Expr: "7 % 0", Want: "null"},
			},
		},
		{
			Name: "pow", Operator: "**", Method: true, Function: true, Kind: Scalar, Family: "math", Params: binary("x", "exponent"),
			Doc: "x raised to the power y, as float64. A result that is not a real number (negative " +
				"base with a fractional exponent) is NaN.",
			Overloads: []*Overload{ov("pow_float64", types.Float64T, f64, f64)},
			Examples:  []Example{{Expr: "2 ** 10", Want: "1024.0"}, {Expr: "2 ** -1", Want: "0.5"}, {Expr: "pow(9, 0.5)", Want: "3.0"}},
		},
		{
			Name: "neg", Operator: "-", Kind: Scalar, Family: "arithmetic", Params: []Param{param("x", "")},
			Doc: "Negation. Negating the smallest int64 is an overflow error.",
			Overloads: []*Overload{
				ov("neg_int64", types.Int64T, i64),
				ov("neg_float64", types.Float64T, f64),
				ovFn("neg_decimal", sameAs(0), dec),
				ov("neg_duration", types.DurationT, dur),
			},
			Examples: []Example{{Expr: "-(3)", Want: "-3"}, {Expr: "-(2h)", Want: "-2h"}},
		},
	}
}

func comparison() []*Func {
	cmp := func(name, op, doc string, kinds []types.Kind, examples ...Example) *Func {
		return &Func{
			Name: name, Operator: op, Kind: Scalar, Family: "comparison",
			Params: []Param{param("x", ""), param("y", "")}, Doc: doc,
			Overloads: perKind(name, kinds, 2, fixed(types.BoolT)), Examples: examples,
		}
	}
	order := "Strings compare by bytes (code points), never by a locale's collation; NaN equals NaN " +
		"and is greater than every other float; a date compares with a timestamp as its midnight. " +
		"Null if either side is null."
	return []*Func{
		cmp("eq", "==", "Equality. "+order, orderedKinds,
			Example{Expr: "1 == 1.0", Want: "true"}, Example{Expr: "null == null", Want: "null"}),
		cmp("ne", "!=", "Inequality. "+order, orderedKinds, Example{Expr: `"a" != "b"`, Want: "true"}),
		cmp("lt", "<", "Less than. "+order, orderedKinds,
			Example{Expr: `"B" < "a"`, Want: "true"}, Example{Expr: "@2024-01-01 < @2024-01-01T00:00:01", Want: "true"}),
		cmp("le", "<=", "Less than or equal. "+order, orderedKinds, Example{Expr: "2 <= 2", Want: "true"}),
		cmp("gt", ">", "Greater than. "+order, orderedKinds, Example{Expr: "3 > 2", Want: "true"}),
		cmp("ge", ">=", "Greater than or equal. "+order, orderedKinds, Example{Expr: "1 >= 2", Want: "false"}),
	}
}

func boolean() []*Func {
	return []*Func{
		{
			Name: "and", Operator: "and", Kind: Scalar, Family: "boolean",
			Params:    []Param{param("x", ""), param("y", "")},
			Doc:       "Logical and with SQL's three-valued logic: false and null is false; true and null is null. Also written &.",
			Overloads: []*Overload{ov("and_bool", types.BoolT, bln, bln)},
			Examples: []Example{
				{Expr: "true and null", Want: "null"},
				{Expr: "false and null", Want: "false"},
			},
		},
		{
			Name: "or", Operator: "or", Kind: Scalar, Family: "boolean",
			Params:    []Param{param("x", ""), param("y", "")},
			Doc:       "Logical or with three-valued logic: true or null is true; false or null is null. Also written |.",
			Overloads: []*Overload{ov("or_bool", types.BoolT, bln, bln)},
			Examples: []Example{
				{Expr: "true or null", Want: "true"},
				{Expr: "false or null", Want: "null"},
			},
		},
		{
			Name: "not", Operator: "not", Kind: Scalar, Family: "boolean", Params: []Param{param("x", "")},
			Doc:       "Logical negation; not null is null. Also written ~.",
			Overloads: []*Overload{ov("not_bool", types.BoolT, bln)},
			Examples:  []Example{{Expr: "not true", Want: "false"}, {Expr: "not null", Want: "null"}},
		},
	}
}
