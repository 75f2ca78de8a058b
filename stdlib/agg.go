package stdlib

import "github.com/featc/featc/types"

// Aggregate functions. They reduce the rows of a group (in .agg(...)), of a whole frame
// (frame.column.sum()), or of a window (x.sum().over(...)). Nulls are ignored; an empty or
// all-null input gives null, except for the counts (0) and any/all (false/true).

func aggregates() []*Func {
	x := []Param{param("x", "")}
	counted := []Param{{Name: "x", BoolCounts: true}}
	return []*Func{
		{
			Name: "count", Method: true, Kind: Aggregate, Family: "aggregate", Params: x,
			Doc:       "The number of non-null values (len() counts rows, nulls included).",
			Overloads: []*Overload{ov("count_any", types.Int64T, Any)},
			Examples:  []Example{{Input: "x int64: 1, null, 3", Expr: "x.count()", Want: "2"}},
		},
		{
			Name: "len", Method: true, Function: true, Kind: Aggregate, Family: "aggregate",
			Params: []Param{{Name: "x", Optional: true, Doc: "counted with its nulls; len() counts the rows"}},
			Doc:    "The number of rows, nulls included: len() in an aggregation, frame.len() for a whole frame.",
			Overloads: []*Overload{
				ov("len", types.Int64T),
				ov("len_any", types.Int64T, Any),
			},
			Examples: []Example{{Input: "x int64: 1, null, 3", Expr: "len()", Want: "3"}, {Input: "x int64: 1, null, 3", Expr: "x.len()", Want: "3"}},
		},
		{
			Name: "sum", Method: true, Kind: Aggregate, Family: "aggregate", Params: counted,
			Doc: "The sum of the non-null values; 0 for no values, as in Polars. Integer sums are " +
				"int64 and overflow is an error; decimal sums are exact, with 38 digits. A boolean x " +
				"counts its trues, as in Polars.",
			Overloads: []*Overload{
				ov("sum_int64", types.Int64T, i64),
				ov("sum_float64", types.Float64T, f64),
				ovFn("sum_decimal", decimalSum, dec),
				ov("sum_duration", types.DurationT, dur),
			},
			Examples: []Example{
				{Input: "x int64: 1, null, 3", Expr: "x.sum()", Want: "4"},
				{Input: "x int64: null, null", Expr: "x.sum()", Want: "0"},
				{Input: "x int64: 5, 150, 200, null", Expr: "(x > 100).sum()", Want: "2"},
				{Input: "x int64: 1, 5, 7", Expr: "when(x > 2).then(x).sum()", Want: "12"},
			},
		},
		{
			Name: "mean", Method: true, Kind: Aggregate, Family: "aggregate", Params: counted,
			Doc:       "The arithmetic mean of the non-null values, as float64; of a boolean x, the share of trues among its non-null values.",
			Overloads: []*Overload{ov("mean_float64", types.Float64T, f64)},
			Examples: []Example{{Input: "x int64: 1, 2, null", Expr: "x.mean()", Want: "1.5"},
				{Input: "x bool: true, false, true, true, null", Expr: "x.mean()", Want: "0.75"}},
		},
		{
			Name: "min", Method: true, Kind: Aggregate, Family: "aggregate", Params: x,
			Doc:       "The smallest non-null value. Strings compare by bytes; NaN is the largest float.",
			Overloads: perKind("min", orderedKinds, 1, nil),
			Examples:  []Example{{Input: "x string: b, a, null", Expr: "x.min()", Want: `"a"`}},
		},
		{
			Name: "max", Method: true, Kind: Aggregate, Family: "aggregate", Params: x,
			Doc:       "The largest non-null value. NaN is larger than every other float.",
			Overloads: perKind("max", orderedKinds, 1, nil),
			Examples:  []Example{{Input: "x float64: 1.5, NaN, null", Expr: "x.max()", Want: "NaN"}},
		},
		{
			Name: "std", Method: true, Kind: Aggregate, Family: "aggregate",
			Params: []Param{param("x", ""), {Name: "ddof", Kind: Const, Optional: true, Default: "1", HasRange: true, Min: 0,
				Doc: "1 for the sample standard deviation, 0 for the population's"}},
			Doc:       "Standard deviation: sample (ddof = 1, the default, as in Polars and SQL's STDDEV), population (ddof = 0), or with any other divisor n - ddof. Null when fewer than ddof + 1 values.",
			Overloads: []*Overload{ov("std_float64", types.Float64T, f64, i64)},
			Examples:  []Example{{Input: "x int64: 1, 2, 3, 4", Expr: "x.std()", Want: "1.2909944487358056"}},
		},
		{
			Name: "var", Method: true, Kind: Aggregate, Family: "aggregate",
			Params: []Param{param("x", ""), {Name: "ddof", Kind: Const, Optional: true, Default: "1", HasRange: true, Min: 0,
				Doc: "1 for the sample variance, 0 for the population's"}},
			Doc:       "Variance: sample (ddof = 1, the default), population (ddof = 0), or with any other divisor n - ddof. Null when fewer than ddof + 1 values.",
			Overloads: []*Overload{ov("var_float64", types.Float64T, f64, i64)},
			Examples:  []Example{{Input: "x int64: 1, 2, 3, 4", Expr: "x.var(ddof = 0)", Want: "1.25"}, {Input: "x int64: 1, 2, 3, 4", Expr: "x.var(ddof = 3)", Want: "5.0"}, {Input: "x int64: 1, 2, 3", Expr: "x.var(ddof = 3)", Want: "null"}},
		},
		{
			Name: "median", Method: true, Kind: Aggregate, Family: "aggregate", Params: x,
			Doc:       "The median, interpolating linearly between the two middle values, as float64.",
			Overloads: []*Overload{ov("median_float64", types.Float64T, f64)},
			Examples:  []Example{{Input: "x int64: 1, 2, 3, 4", Expr: "x.median()", Want: "2.5"}},
		},
		{
			Name: "quantile", Method: true, Kind: Aggregate, Family: "aggregate",
			Params: []Param{param("x", ""), {Name: "q", Kind: Const, HasRange: true, Min: 0, Max: 1, Doc: "between 0 and 1"},
				{Name: "interpolation", Kind: Const, Choices: []string{"linear", "lower", "higher", "nearest", "midpoint"},
					Doc: "required: engines disagree on the default"}},
			Doc: "The q-quantile of the non-null values. With n values sorted and h = q·(n−1): linear " +
				"interpolates between positions ⌊h⌋ and ⌈h⌉; lower and higher take them; nearest rounds h " +
				"half to even; midpoint averages them. The interpolation is required because engines default differently.",
			Overloads: []*Overload{ov("quantile_float64", types.Float64T, f64, f64, str)},
			Examples: []Example{
				{Input: "x int64: 1, 2, 3, 4", Expr: `x.quantile(0.5, interpolation = "linear")`, Want: "2.5"},
				{Input: "x int64: 1, 2, 3, 4", Expr: `x.quantile(0.5, interpolation = "lower")`, Want: "2.0"},
			},
		},
		{
			Name: "n_unique", Method: true, Kind: Aggregate, Family: "aggregate", Params: x,
			Doc:       "The number of distinct values, null counting as one, as in Polars. SQL's COUNT(DISTINCT x) leaves null out: x.n_unique() - x.is_null().any().cast(int64) gives that.",
			Overloads: []*Overload{ov("n_unique_any", types.Int64T, Any)},
			Examples:  []Example{{Input: "x int64: 1, 1, null, 2", Expr: "x.n_unique()", Want: "3"}, {Input: "x int64: 1, 1, 2", Expr: "x.n_unique()", Want: "2"}},
		},
		{
			Name: "first", Method: true, Kind: Aggregate, Family: "aggregate",
			Params: []Param{param("x", ""), {Name: "order_by", Kind: OrderParam, Optional: true, Doc: "required: the column(s) that order the rows"}},
			Doc: "x of the first row by order_by (ascending; rows whose order_by is null are skipped). An order " +
				"is required: without one, engines return whichever row they read first. Ties in order_by " +
				"take the smallest x.",
			Overloads: perKind("first", orderedKinds, 1, nil),
			Examples:  []Example{{Input: "x string: a, b, c; t int64: 3, 1, 2", Expr: "x.first(order_by = t)", Want: `"b"`}},
		},
		{
			Name: "last", Method: true, Kind: Aggregate, Family: "aggregate",
			Params:    []Param{param("x", ""), {Name: "order_by", Kind: OrderParam, Optional: true, Doc: "required: the column(s) that order the rows"}},
			Doc:       "x of the last row by order_by (rows whose order_by is null are skipped). Ties in order_by take the largest x.",
			Overloads: perKind("last", orderedKinds, 1, nil),
			Examples:  []Example{{Input: "x string: a, b, c; t int64: 3, 1, 2", Expr: "x.last(order_by = t)", Want: `"a"`}},
		},
		{
			Name: "any", Method: true, Kind: Aggregate, Family: "aggregate", Params: x,
			Doc:       "True if any non-null value is true; false for no values.",
			Overloads: []*Overload{ov("any_bool", types.BoolT, bln)},
			Examples:  []Example{{Input: "x bool: false, null", Expr: "x.any()", Want: "false"}},
		},
		{
			Name: "all", Method: true, Kind: Aggregate, Family: "aggregate", Params: x,
			Doc:       "True if every non-null value is true; true for no values.",
			Overloads: []*Overload{ov("all_bool", types.BoolT, bln)},
			Examples:  []Example{{Input: "x bool: true, null", Expr: "x.all()", Want: "true"}},
		},
	}
}
