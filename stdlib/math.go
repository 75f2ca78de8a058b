package stdlib

import "github.com/featc/featc/types"

// Math functions.

func mathFuncs() []*Func {
	x := []Param{param("x", "")}
	floatOnly := func(name, doc string, examples ...Example) *Func {
		return &Func{
			Name: name, Method: true, Function: true, Kind: Scalar, Family: "math", Params: x, Doc: doc,
			Overloads: []*Overload{ov(name+"_float64", types.Float64T, f64)}, Examples: examples,
		}
	}
	return []*Func{
		{
			Name: "abs", Method: true, Function: true, Kind: Scalar, Family: "math", Params: x,
			Doc:       "Absolute value. abs of the smallest int64 is an overflow error.",
			Overloads: perKind("abs", []types.Kind{i64, f64, dec, dur}, 1, nil),
			Examples:  []Example{{Expr: "abs(-3)", Want: "3"}, {Expr: "(-2.5).abs()", Want: "2.5"}},
		},
		{
			Name: "round", Method: true, Function: true, Kind: Scalar, Family: "math",
			Params: []Param{param("x", ""), optConst("decimals", "0", "digits after the point to keep; negative rounds to tens, hundreds, …")},
			Doc: "Rounds half away from zero (2.5 → 3, -2.5 → -3) on every engine — not to even as " +
				"Polars, arrow and Postgres' float8 do. Integers are returned unchanged for decimals >= 0.",
			Overloads: []*Overload{
				ov("round_int64", types.Int64T, i64, i64),
				ov("round_float64", types.Float64T, f64, i64),
				ovFn("round_decimal", sameAs(0), dec, i64),
			},
			Examples: []Example{
				{Expr: "round(2.5)", Want: "3.0"},
				{Expr: "round(-2.5)", Want: "-3.0"},
				{Expr: "round(1.2345, 2)", Want: "1.23"},
				{Expr: "round(1250, -2)", Want: "1300"},
			},
		},
		{
			Name: "floor", Method: true, Function: true, Kind: Scalar, Family: "math", Params: x,
			Doc: "Largest integer not greater than x (same type as x).",
			Overloads: []*Overload{
				ov("floor_int64", types.Int64T, i64),
				ov("floor_float64", types.Float64T, f64),
				ovFn("floor_decimal", decimalInt, dec),
			},
			Examples: []Example{{Expr: "floor(-2.5)", Want: "-3.0"}},
		},
		{
			Name: "ceil", Method: true, Function: true, Kind: Scalar, Family: "math", Params: x,
			Doc: "Smallest integer not less than x (same type as x).",
			Overloads: []*Overload{
				ov("ceil_int64", types.Int64T, i64),
				ov("ceil_float64", types.Float64T, f64),
				ovFn("ceil_decimal", decimalInt, dec),
			},
			Examples: []Example{{Expr: "ceil(2.1)", Want: "3.0"}},
		},
		{
			Name: "trunc", Method: true, Function: true, Kind: Scalar, Family: "math", Params: x,
			Doc: "x with its fraction dropped, toward zero (same type as x).",
			Overloads: []*Overload{
				ov("trunc_int64", types.Int64T, i64),
				ov("trunc_float64", types.Float64T, f64),
				ovFn("trunc_decimal", decimalInt, dec),
			},
			Examples: []Example{{Expr: "trunc(-2.7)", Want: "-2.0"}},
		},
		floatOnly("sqrt", "Square root; null for negative x (SQL engines raise an error there; featc never does).",
			Example{Expr: "sqrt(16)", Want: "4.0"}, Example{Expr: "sqrt(-1)", Want: "null"}),
		floatOnly("log", "Natural logarithm; null for x <= 0.",
			Example{Expr: "log(1)", Want: "0.0"}, Example{Expr: "log(0)", Want: "null"}),
		floatOnly("log10", "Base-10 logarithm; null for x <= 0.", Example{Expr: "log10(1000)", Want: "3.0"}),
		floatOnly("exp", "e raised to the power x.", Example{Expr: "exp(0)", Want: "1.0"}),
		floatOnly("log1p", "Natural logarithm of 1 + x, accurate for x near 0; null for x <= -1.",
			Example{Expr: "log1p(0)", Want: "0.0"}, Example{Expr: "log1p(1e-20)", Want: "1e-20"}, Example{Expr: "log1p(-1)", Want: "null"}),
		floatOnly("cbrt", "Cube root (negative for negative x).",
			Example{Expr: "cbrt(27)", Want: "3.0"}, Example{Expr: "cbrt(-8)", Want: "-2.0"}),
		{
			Name: "clip", Method: true, Function: true, Kind: Scalar, Family: "math",
			Params: []Param{param("x", ""),
				{Name: "lower_bound", Aliases: []string{"lower"}, Optional: true, Default: "null", Doc: "omitted or null: no lower bound"},
				{Name: "upper_bound", Aliases: []string{"upper"}, Optional: true, Default: "null", Doc: "omitted or null: no upper bound"}},
			Doc: "x limited to [lower_bound, upper_bound], as Polars' clip; an omitted or null bound does not limit. Null where x is null.",
			Overloads: []*Overload{
				ov("clip_int64", types.Int64T, i64, i64, i64),
				ov("clip_float64", types.Float64T, f64, f64, f64),
				ovFn("clip_decimal", sameAs(0), dec, dec, dec),
			},
			Examples: []Example{{Expr: "clip(15, 0, 10)", Want: "10"}, {Expr: "clip(-5, 0, null)", Want: "0"},
				{Expr: "(-5).clip(lower_bound = 0)", Want: "0"}, {Expr: "15.clip(upper_bound = 10)", Want: "10"}, {Expr: "2.5.clip(upper_bound = 10)", Want: "2.5"}},
		},
		{
			Name: "sign", Method: true, Function: true, Kind: Scalar, Family: "math", Params: x,
			Doc: "-1, 0 or 1 as x is negative, zero or positive (as int64); NaN gives null.",
			Overloads: []*Overload{
				ov("sign_int64", types.Int64T, i64),
				ov("sign_float64", types.Int64T, f64),
				ov("sign_decimal", types.Int64T, dec),
			},
			Examples: []Example{{Expr: "sign(-4.2)", Want: "-1"}, {Expr: "sign(0)", Want: "0"}},
		},
	}
}
