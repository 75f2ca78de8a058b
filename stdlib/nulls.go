package stdlib

import "github.com/featc/featc/types"

// Null handling, conditionals, membership and casts.

func nulls() []*Func {
	anyOne := []Param{param("x", "")}
	return []*Func{
		{
			Name: "is_null", Method: true, Kind: Scalar, Family: "null", Params: anyOne,
			Doc:       "True where x is null. Never null itself. NaN is not null.",
			Overloads: []*Overload{ov("is_null_any", types.BoolT, Any)},
			Examples:  []Example{{Expr: "null.is_null()", Want: "true"}, {Expr: "(0.0 / 0.0).is_null()", Want: "false"}},
		},
		{
			Name: "is_not_null", Method: true, Kind: Scalar, Family: "null", Params: anyOne,
			Doc:       "True where x is not null. Never null itself.",
			Overloads: []*Overload{ov("is_not_null_any", types.BoolT, Any)},
			Examples:  []Example{{Expr: "1.is_not_null()", Want: "true"}},
		},
		{
			Name: "fill_null", Method: true, Kind: Scalar, Family: "null",
			Params: []Param{param("x", ""), param("value", "the replacement, converted to x's type")},
			Doc: "x, or value where x is null. Polars' fill_null(strategy = …) is taken too: \"forward\" and \"backward\" are " +
				"forward_fill and backward_fill (limit = n carries a value n rows at most), \"min\", \"max\" and \"mean\" fill with that aggregate of x (both need .over(…)), \"zero\" and \"one\" with 0 and 1.",
			Overloads: perKind("fill_null", orderedKinds, 2, nil),
			Examples: []Example{{Expr: "null.cast(int64).fill_null(0)", Want: "0"}, {Expr: "2.fill_null(0)", Want: "2"},
				{Input: "x int64: 1, null, 3, null; t int64: 1, 2, 3, 4", Expr: `x.fill_null(strategy = "forward").over(order_by = t)`, Want: "1, 1, 3, 3"},
				{Input: "x int64: 1, null, 3, null", Expr: `x.fill_null(strategy = "mean").over()`, Want: "1.0, 2.0, 3.0, 2.0"},
				{Input: "x int64: 1, null", Expr: `x.fill_null(strategy = "one")`, Want: "1, 1"},
				{Input: "x int64: 1, null, null, 4; t int64: 1, 2, 3, 4", Expr: `x.fill_null(strategy = "forward", limit = 1).over(order_by = t)`, Want: "1, 1, null, 4"}},
		},
		{
			Name: "coalesce", Function: true, Kind: Scalar, Family: "null",
			Params:    []Param{{Name: "values", Variadic: true}},
			Doc:       "The first of its arguments that is not null, or null if all are.",
			Overloads: perKind("coalesce", orderedKinds, 1, nil),
			Examples:  []Example{{Expr: "coalesce(null, 2, 3)", Want: "2"}},
		},
		{
			Name: "is_nan", Method: true, Kind: Scalar, Family: "null", Params: anyOne,
			Doc:       "True where the float x is NaN; null where x is null.",
			Overloads: []*Overload{ov("is_nan_float64", types.BoolT, f64)},
			Examples:  []Example{{Expr: "(0.0 / 0.0).is_nan()", Want: "true"}, {Expr: "null.cast(float64).is_nan()", Want: "null"}, {Expr: `"NaN".cast(float64).is_nan()`, Want: "true"}},
		},
		{
			Name: "is_not_nan", Method: true, Kind: Scalar, Family: "null", Params: anyOne,
			Doc:       "True where the float x is not NaN (infinities included); null where x is null.",
			Overloads: []*Overload{ov("is_not_nan_float64", types.BoolT, f64)},
			Examples:  []Example{{Expr: "(0.0 / 0.0).is_not_nan()", Want: "false"}, {Expr: "(1.0 / 0.0).is_not_nan()", Want: "true"}, {Expr: "null.cast(float64).is_not_nan()", Want: "null"}},
		},
		{
			Name: "fill_nan", Method: true, Kind: Scalar, Family: "null",
			Params:    []Param{param("x", ""), param("value", "")},
			Doc:       "x, or value where x is NaN.",
			Overloads: []*Overload{ov("fill_nan_float64", types.Float64T, f64, f64)},
			Examples:  []Example{{Expr: `"NaN".cast(float64).fill_nan(0.0)`, Want: "0.0"}},
		},
		{
			Name: "when", Function: true, Kind: Scalar, Family: "conditional", Special: true,
			Params: []Param{param("condition", ""), param("value", "")},
			Doc: "when(c1).then(v1).when(c2).then(v2).otherwise(v0): the value of the first condition " +
				"that is true (a null condition counts as false); otherwise v0, or null without otherwise — so a " +
				"when/then without otherwise takes methods, as in Polars: when(x > 2).then(x).sum() sums the x above 2. " +
				"The branches convert to their common type.",
			Examples: []Example{
				{Expr: `when(1 > 2).then("a").otherwise("b")`, Want: `"b"`},
				{Expr: `when(null).then(1)`, Want: "null"},
			},
		},
		horizontal("sum_horizontal", "The sum of the expressions on each row; nulls count 0 (ignore_nulls = false: a null gives null), so a row of nulls sums to 0, as sum does. Booleans count 1 for true. Written as + over the values, so integer overflow is an error.",
			Example{Expr: "sum_horizontal(1, null, 3)", Want: "4"}, Example{Expr: "sum_horizontal(1, null, ignore_nulls = false)", Want: "null"},
			Example{Expr: "sum_horizontal(true, false, true)", Want: "2"}),
		horizontal("mean_horizontal", "The mean, as float64, of the expressions' non-null values on each row; null where all are null (ignore_nulls = false: where any is).",
			Example{Expr: "mean_horizontal(1, null, 4)", Want: "2.5"}, Example{Expr: "mean_horizontal(null.cast(float64), null)", Want: "null"}),
		horizontal("any_horizontal", "True where any of the boolean expressions is true; otherwise null where any is null, else false (three-valued or, as Polars).",
			Example{Expr: "any_horizontal(false, null, true)", Want: "true"}, Example{Expr: "any_horizontal(false, null)", Want: "null"}),
		horizontal("all_horizontal", "True where all the boolean expressions are true; false where any is false; otherwise null (three-valued and, as Polars).",
			Example{Expr: "all_horizontal(true, null, false)", Want: "false"}, Example{Expr: "all_horizontal(true, true)", Want: "true"}),
		{
			Name: "min_horizontal", Function: true, Kind: Scalar, Family: "null",
			Params:    []Param{{Name: "values", Variadic: true}},
			Doc:       "The smallest of the values on each row, nulls ignored (null where all are null). Strings compare by bytes; NaN is the largest float.",
			Overloads: perKind("min_horizontal", orderedKinds, 1, nil),
			Examples:  []Example{{Expr: "min_horizontal(3, null, 1)", Want: "1"}, {Expr: `min_horizontal("b", "a")`, Want: `"a"`}},
		},
		{
			Name: "max_horizontal", Function: true, Kind: Scalar, Family: "null",
			Params:    []Param{{Name: "values", Variadic: true}},
			Doc:       "The largest of the values on each row, nulls ignored (null where all are null). Strings compare by bytes; NaN is the largest float.",
			Overloads: perKind("max_horizontal", orderedKinds, 1, nil),
			Examples:  []Example{{Expr: "max_horizontal(3, null, 1)", Want: "3"}, {Expr: "max_horizontal(null.cast(int64), null)", Want: "null"}},
		},
		{
			Name: "replace", Method: true, Kind: Scalar, Family: "conditional", Special: true,
			Params: []Param{param("x", ""), {Name: "old", Doc: "a mapping {old: new, …}, a list of constants, or one constant"},
				{Name: "new", Optional: true, Doc: "with a list of old values: a list as long, or one value for all"}},
			Doc: "x with the old values replaced by the new ones, as Polars' replace: values not listed are kept, " +
				"and the result keeps x's type (replace_strict changes it). A null key replaces nulls.",
			Examples: []Example{
				{Input: `x string: a, b, c, null`, Expr: `x.replace({"a": "A", "b": "B"})`, Want: `"A", "B", "c", null`},
				{Input: `x int64: 1, 2, 3`, Expr: `x.replace([1, 2], [10, 20])`, Want: "10, 20, 3"},
				{Input: `x int64: 1, null`, Expr: `x.replace(null, 0)`, Want: "1, 0"},
			},
		},
		{
			Name: "replace_strict", Method: true, Kind: Scalar, Family: "conditional", Special: true,
			Params: []Param{param("x", ""), {Name: "old", Doc: "a mapping {old: new, …}, a list of constants, or one constant"},
				{Name: "new", Optional: true, Doc: "with a list of old values: a list as long, or one value for all"},
				{Name: "default", Optional: true, Doc: "the value where no key matches; null when omitted"}},
			Doc: "The new value of x's key, or default where no key matches — the everyday \"map codes to buckets\". " +
				"The result has the new values' common type. Where Polars raises an error for a value without a key and no default, featc gives null: give default to say what you mean.",
			Examples: []Example{
				{Input: `x string: gold, silver, tin, null`, Expr: `x.replace_strict({"gold": 1, "silver": 2}, default = 0)`, Want: "1, 2, 0, 0"},
				{Input: `x int64: 1, 2, 3`, Expr: `x.replace_strict([1, 2], ["low", "mid"])`, Want: `"low", "mid", null`},
			},
		},
		{
			Name: "cut", Method: true, Kind: Scalar, Family: "conditional", Special: true,
			Params: []Param{param("x", "a number"), {Name: "breaks", Doc: "a list of increasing constant numbers"},
				{Name: "labels", Optional: true, Doc: "a list of constant strings, one per bin (one more than the breaks)"},
				{Name: "left_closed", Kind: Const, Optional: true, Default: "false", Doc: "true: bins [a, b) instead of (a, b]"}},
			Doc: "The label of the bin x falls in, as Polars' cut: bins (-inf, b1], (b1, b2], …, (bn, inf), or [a, b) with " +
				"left_closed; labels default to the bins as Polars writes them (\"(-inf, 10]\"). Null where x is null; NaN falls in the last bin.",
			Examples: []Example{
				{Input: "x float64: 5, 10, 50, 500, null", Expr: `x.cut([10, 100])`, Want: `"(-inf, 10]", "(-inf, 10]", "(10, 100]", "(100, inf]", null`},
				{Input: "x int64: 5, 10, 50", Expr: `x.cut([10, 100], labels = ["low", "mid", "high"], left_closed = true)`, Want: `"low", "mid", "mid"`},
				{Input: "x float64: 0.5", Expr: `x.cut([0.25, 1.5])`, Want: `"(0.25, 1.5]"`},
			},
		},
		{
			Name: "lit", Function: true, Kind: Scalar, Family: "conditional", Special: true,
			Params: []Param{param("value", "")},
			Doc:    "The value itself, as Polars' pl.lit: any literal or expression is already an expression in featc, so lit(v) is v.",
			Examples: []Example{
				{Expr: `lit(3) + 1`, Want: "4"},
				{Expr: `lit("a")`, Want: `"a"`},
			},
		},
		{
			Name: "case", Kind: Scalar, Family: "conditional", Internal: true,
			Params:    []Param{{Name: "branches", Variadic: true}},
			Doc:       "The checker's form of when/then/otherwise: condition, value pairs, then the default.",
			Overloads: perKind("case", orderedKinds, 1, nil),
		},
		{
			Name: "is_in", Method: true, Kind: Scalar, Family: "conditional",
			Params: []Param{param("x", ""), {Name: "values", Kind: Const, Variadic: true, Doc: "a list of constants: [1, 2, 3]"}},
			Doc: "True where x equals one of the constants. Null where x is null; null elements of the " +
				"list never match (so the result is never null for a non-null x).",
			Overloads: perKind("is_in", orderedKinds, 2, fixed(types.BoolT)),
			Examples: []Example{
				{Expr: "2.is_in([1, 2, 3])", Want: "true"},
				{Expr: "4.is_in([1, null])", Want: "false"},
			},
		},
		{
			Name: "between", Aliases: []string{"is_between"}, Method: true, Kind: Scalar, Family: "conditional",
			Params: []Param{param("x", ""), {Name: "lower", Aliases: []string{"lower_bound"}}, {Name: "upper", Aliases: []string{"upper_bound"}},
				{Name: "closed", Kind: Const, Optional: true, Default: `"both"`, Choices: []string{"both", "left", "right", "none"},
					Doc: "which bounds are included"}},
			Doc:       "True where lower <= x <= upper (closed = \"both\"); \"left\", \"right\" and \"none\" exclude bounds. Null if any input is null.",
			Overloads: betweenOverloads(),
			Examples: []Example{
				{Expr: "5.between(1, 5)", Want: "true"},
				{Expr: `5.between(1, 5, closed = "left")`, Want: "false"},
				{Expr: `5.is_between(lower_bound = 5, upper_bound = 9, closed = "right")`, Want: "false"},
			},
		},
		{
			Name: "cast", Method: true, Kind: Scalar, Family: "cast", Special: true,
			Params: []Param{param("x", ""), {Name: "type", Doc: "a type: int64, float64, decimal(15,2), string, …"}},
			Doc: "Converts x to another type, by the rules of the table in docs/semantics.md: float to " +
				"integer truncates toward zero, decimal rescaling rounds half away from zero, and a value " +
				"that does not fit or a string that does not parse is an error, on every engine.",
			Examples: []Example{
				{Expr: "2.7.cast(int64)", Want: "2"},
				{Expr: "-2.7.cast(int64)", Want: "-2"},
				{Expr: `"2024-02-29".cast(date)`, Want: "@2024-02-29"},
				{Expr: "1.005.cast(decimal(5,2))", Want: "1.01"},
			},
		},
	}
}

func betweenOverloads() []*Overload {
	var out []*Overload
	for _, k := range orderedKinds {
		out = append(out, ov("between_"+k.String(), types.BoolT, k, k, k, str))
	}
	return out
}

// CastRule says that values of kind From convert to kind To, and how.
type CastRule struct {
	From, To types.Kind
	Doc      string
}

// Casts lists every allowed conversion; a cast not listed is a compile error.
func Casts() []CastRule {
	return []CastRule{
		{types.Int32, types.Int64, "exact"},
		{types.Int64, types.Int32, "error if out of range"},
		{types.Int64, types.Float64, "nearest float64"},
		{types.Int64, types.Decimal, "exact; error if the integer digits do not fit"},
		{types.Int64, types.String, "decimal digits"},
		{types.Int64, types.Bool, "0 is false, anything else true"},
		{types.Int64, types.Duration, "the integer as microseconds"},
		{types.Float64, types.Int64, "truncates toward zero; error for NaN, infinities and out of range"},
		{types.Float64, types.Int32, "truncates toward zero; error for NaN, infinities and out of range"},
		{types.Float64, types.Decimal, "rounds half away from zero to the scale; error if it does not fit or is not finite"},
		{types.Float64, types.String, "shortest representation that reads back as the same float"},
		{types.Decimal, types.Int64, "truncates toward zero; error if out of range"},
		{types.Decimal, types.Int32, "truncates toward zero; error if out of range"},
		{types.Decimal, types.Float64, "nearest float64"},
		{types.Decimal, types.Decimal, "rounds half away from zero to the new scale; error if it does not fit"},
		{types.Decimal, types.String, "digits with exactly the scale's decimals"},
		{types.String, types.Int64, "parses an optionally signed integer; error otherwise"},
		{types.String, types.Int32, "parses an optionally signed integer; error otherwise"},
		{types.String, types.Float64, "parses a number, NaN, Infinity or -Infinity; error otherwise"},
		{types.String, types.Decimal, "parses a number and rounds half away from zero to the scale; error otherwise"},
		{types.String, types.Date, "parses YYYY-MM-DD (zero-padded, spaces around allowed); error otherwise"},
		{types.String, types.Timestamp, "parses YYYY-MM-DD[ T]HH:MM:SS[.ffffff][Z|±HH:MM] (an offset converts to UTC; spaces around allowed); error otherwise"},
		{types.String, types.Bool, "true or false; error otherwise"},
		{types.Bool, types.Int64, "1 or 0"},
		{types.Bool, types.String, "true or false"},
		{types.Date, types.Timestamp, "midnight of the day"},
		{types.Date, types.String, "YYYY-MM-DD"},
		{types.Timestamp, types.Date, "the day (time dropped)"},
		{types.Timestamp, types.String, "YYYY-MM-DD HH:MM:SS with up to six fractional digits, trailing zeros dropped"},
		{types.Duration, types.Int64, "microseconds"},
	}
}

// LookupCast returns the rule converting from into to; a cast to the same type is always
// allowed (and is a no-op), except between decimals of different precision or scale.
func LookupCast(from, to types.Type) (CastRule, bool) {
	if from == to || (from.Kind == types.Null && to.Declarable()) {
		return CastRule{From: from.Kind, To: to.Kind, Doc: "no-op"}, true
	}
	f := from.Kind
	if f == types.Int32 && to.Kind != types.Int64 {
		f = types.Int64 // int32 converts as int64 does
	}
	for _, r := range Casts() {
		if r.From == f && r.To == to.Kind {
			return r, true
		}
	}
	return CastRule{}, false
}

// horizontal declares a row-wise reduction that the checker writes out as operators.
func horizontal(name, doc string, examples ...Example) *Func {
	params := []Param{{Name: "values", Variadic: true, Doc: "expressions, or a list of them"}}
	if name == "sum_horizontal" || name == "mean_horizontal" {
		params = append(params, Param{Name: "ignore_nulls", Kind: Const, Optional: true, Default: "true", Doc: "false: a null input gives null"})
	}
	return &Func{Name: name, Function: true, Kind: Scalar, Family: "null", Special: true, Params: params, Doc: doc, Examples: examples}
}
