package stdlib

import (
	"github.com/featc/featc/types"
)

// Window functions: a value per row computed from the rows of its partition, written
// x.f(...).over(partition..., order_by = …). Functions that depend on the row order need
// order_by; featc breaks ties in the order deterministically (docs/semantics.md), so that every
// engine numbers tied rows alike.

// CallInfo describes a call for a function's Validate hook: which parameters were given
// explicitly, the values of the constant ones, and the type of each argument.
type CallInfo struct {
	Given  map[string]bool
	Consts map[string]types.Value
	// Values holds the value arguments given as constants (a pattern).
	Values map[string]types.Value
	Types  map[string]types.Type
}

// Failure classifies a failed validation.
type Failure uint8

// Validation failures.
const (
	// BadOption: parameters that do not go together.
	BadOption Failure = iota + 1
	// OutOfRange: a constant outside the values the function accepts.
	OutOfRange
	// BadUnit: a unit that does not apply.
	BadUnit
)

// Invalid says why a call is not valid, and which parameter is at fault ("" for the call).
type Invalid struct {
	Param string
	Kind  Failure
	Msg   string
	Hint  string // how to write it instead, when the message does not say
}

func windows() []*Func {
	shiftDoc := "The value n rows before (n > 0) or after (n < 0) in the window's order; null where there is no such row, or fill_value where given (a null x shifted in stays null), as in Polars."
	fillValue := Param{Name: "fill_value", Optional: true, Default: "null", Doc: "the value where there is no such row"}
	rolling := func(name, doc string, kinds []types.Kind, result func(types.Kind) *types.Type, examples ...Example) *Func {
		f := &Func{
			Name: name, Method: true, Kind: Window, Family: "window",
			Params: []Param{
				{Name: "x", BoolCounts: name == "rolling_sum" || name == "rolling_mean"},
				{Name: "window_size", Kind: Const, Optional: true, Default: "null", HasRange: true, Min: 1,
					Doc: "rows in the window, the current one included (needs .over(order_by = …))"},
				{Name: "by", Optional: true, Default: "null", Columns: true, Doc: "a date or timestamp column: the window is a time range over it"},
				{Name: "period", Kind: Const, Optional: true, Default: "null", Doc: "with by: the window is (t − period, t]"},
				{Name: "min_periods", Kind: Const, Optional: true, Default: "null", HasRange: true, Min: 1,
					Doc: "non-null values needed for a result; default window_size for row windows and 1 for time windows"},
				{Name: "center", Kind: Const, Optional: true, Default: "false",
					Doc: "row windows: the window_size rows around the row (window_size / 2 before it, the rest after), as Polars centers them"},
			},
			Doc:      doc + " Over the last window_size rows, or over the rows whose by lies in (t − period, t] for the current row's t (rows with equal by are all in). Nulls are skipped.",
			Validate: validateRolling,
			Examples: examples,
		}
		for _, k := range kinds {
			id := name + "_" + kindName(k)
			var o *Overload
			switch r := result(k); {
			case r != nil:
				o = ov(id, *r, k, i64, tsp, dur, i64, bln)
			case k == types.Decimal && name == "rolling_sum":
				o = ovFn(id, decimalSum, k, i64, tsp, dur, i64, bln)
			default:
				o = ovFn(id, sameAs(0), k, i64, tsp, dur, i64, bln)
			}
			f.Overloads = append(f.Overloads, o)
		}
		return f
	}
	asFloat := fixed(types.Float64T)
	cum := func(name, doc string, kinds []types.Kind, result func(types.Kind) *types.Type, examples ...Example) *Func {
		f := &Func{
			Name: name, Method: true, Kind: Window, Family: "window", NeedsOrder: true,
			Params: []Param{{Name: "x", BoolCounts: name == "cum_sum"},
				{Name: "reverse", Kind: Const, Optional: true, Default: "false", Doc: "true: from the last row back (the window's order reversed)"}},
			Doc: doc, Overloads: perKind(name, kinds, 1, result), Examples: examples,
		}
		for _, o := range f.Overloads {
			o.Args = append(o.Args, bln)
		}
		if name == "cum_sum" {
			for _, o := range f.Overloads {
				if o.Args[0] == types.Decimal {
					o.ResultFn = decimalSum
				}
			}
		}
		return f
	}
	rankParams := []Param{param("x", ""), {Name: "descending", Kind: Const, Optional: true, Default: "false", Doc: "rank the largest first"}}
	ordered := "x int64: 10, 20, 30; t int64: 1, 2, 3"
	return []*Func{
		{
			Name: "shift", Aliases: []string{"lag"}, Method: true, Kind: Window, Family: "window", NeedsOrder: true,
			Params:    []Param{param("x", ""), optConst("n", "1", "rows back; negative looks ahead"), fillValue},
			Doc:       shiftDoc,
			Overloads: shiftOverloads("shift"),
			Examples: []Example{{Input: ordered, Expr: "x.shift(1).over(order_by = t)", Want: "null, 10, 20"},
				{Input: "x int64: 10, null, 30; t int64: 1, 2, 3", Expr: "x.shift(1, fill_value = 0).over(order_by = t)", Want: "0, 10, null"}},
		},
		{
			Name: "diff", Method: true, Kind: Window, Family: "window", NeedsOrder: true, Special: true,
			Params: []Param{param("x", ""), optConst("n", "1", "rows back; negative looks ahead"),
				{Name: "null_behavior", Kind: Const, Optional: true, Default: `"ignore"`, Choices: []string{"ignore"}, Doc: "Polars' default, the only one"}},
			Doc:      "x minus its value n rows before (x - x.shift(n)), as Polars' diff; null where either is.",
			Examples: []Example{{Input: ordered, Expr: "x.diff().over(order_by = t)", Want: "null, 10, 10"}, {Input: "x int64: 5, 3, 10; t int64: 3, 1, 2", Expr: "x.diff(-1).over(order_by = t)", Want: "null, -7, 5"}},
		},
		{
			Name: "lead", Method: true, Kind: Window, Family: "window", NeedsOrder: true,
			Params:    []Param{param("x", ""), optConst("n", "1", "rows ahead"), fillValue},
			Doc:       "The value n rows after in the window's order; null (or fill_value) where there is no such row.",
			Overloads: shiftOverloads("lead"),
			Examples:  []Example{{Input: ordered, Expr: "x.lead().over(order_by = t)", Want: "20, 30, null"}},
		},
		{
			Name: "rank", Method: true, Kind: Window, Family: "window",
			Params: []Param{param("x", ""), {Name: "method", Kind: Const, Optional: true, Default: `"average"`, Choices: RankMethods,
				Doc: "how ties rank: average (Polars' default, a float64), min, max, dense or ordinal (int64)"}, rankParams[1]},
			Doc: "The rank of x among the partition's non-null values, 1 for the smallest (the largest with " +
				"descending); null where x is null. Tied values get, by method: the average of the ranks they span " +
				"(1.5, 1.5, 3.0), the lowest (min: 1, 1, 3), the highest (max: 2, 2, 3), the lowest without gaps " +
				"(dense: 1, 1, 2), or one each in the order of the rows' other columns (ordinal: 1, 2, 3).",
			Overloads: rankOverloads("rank", types.Float64T, str, bln),
			Examples: []Example{{Input: "x int64: 10, 10, 30, null", Expr: "x.rank().over()", Want: "1.5, 1.5, 3.0, null"},
				{Input: "x int64: 10, 10, 30, null", Expr: `x.rank("min").over()`, Want: "1, 1, 3, null"},
				{Input: "x int64: 10, 10, 30, null", Expr: `x.rank("max", descending = true).over()`, Want: "3, 3, 1, null"},
				{Input: "x int64: 10, 10, 30", Expr: `x.rank(method = "dense").over()`, Want: "1, 1, 2"}},
		},
		{
			Name: "dense_rank", Method: true, Kind: Window, Family: "window", Params: rankParams,
			Doc:       "Like rank, without gaps after ties (1, 1, 2).",
			Overloads: rankOverloads("dense_rank", types.Int64T, bln),
			Examples:  []Example{{Input: "x int64: 10, 10, 30", Expr: "x.dense_rank().over()", Want: "1, 1, 2"}},
		},
		{
			Name: "row_number", Function: true, Kind: Window, Family: "window", NeedsOrder: true,
			Doc:       "The row's 1-based position in the window's order.",
			Overloads: []*Overload{ov("row_number", types.Int64T)},
			Examples:  []Example{{Input: ordered, Expr: "row_number().over(order_by = t)", Want: "1, 2, 3"}},
		},
		{
			Name: "is_unique", Method: true, Kind: Window, Family: "window", Params: []Param{param("x", "")},
			Doc:       "True where the row's value of x occurs once in the partition (null counts as a value). Over the whole frame: expect customer_id.is_unique().over().",
			Overloads: perKind("is_unique", orderedKinds, 1, fixed(types.BoolT)),
			Examples:  []Example{{Input: "x int64: 1, 1, 2", Expr: "x.is_unique().over()", Want: "false, false, true"}},
		},
		{
			Name: "is_duplicated", Method: true, Kind: Window, Family: "window", Params: []Param{param("x", "")},
			Doc:       "True where the row's value of x occurs more than once in the partition.",
			Overloads: perKind("is_duplicated", orderedKinds, 1, fixed(types.BoolT)),
			Examples:  []Example{{Input: "x int64: 1, 1, 2", Expr: "x.is_duplicated().over()", Want: "true, true, false"}},
		},
		cum("cum_sum", "The running sum of the non-null values up to and including the row; null on a row whose x is null and until the first non-null value, as in Polars. Decimal sums have 38 digits, as sum's do.",
			[]types.Kind{i64, f64, dec, dur}, sumResult, Example{Input: ordered, Expr: "x.cum_sum().over(order_by = t)", Want: "10, 30, 60"},
			Example{Input: "x int64: 10, null, 30; t int64: 1, 2, 3", Expr: "x.cum_sum().over(order_by = t)", Want: "10, null, 40"},
			Example{Input: "x bool: true, false, true; t int64: 1, 2, 3", Expr: "x.cum_sum().over(order_by = t)", Want: "1, 1, 2"},
			Example{Input: ordered, Expr: "x.cum_sum(reverse = true).over(order_by = t)", Want: "60, 50, 30"}),
		{
			Name: "pct_change", Method: true, Kind: Window, Family: "window", NeedsOrder: true,
			Params: []Param{param("x", ""), optConst("n", "1", "rows back; negative looks ahead")},
			Doc: "The change from the value n rows before, as a fraction (x / x.shift(n) − 1), as Polars' pct_change: " +
				"nulls are first filled forward, so a null row counts as the last value before it. Division follows " +
				"float64's rules (a change from 0 is ±Infinity or NaN).",
			Overloads: []*Overload{ov("pct_change_float64", types.Float64T, f64, i64)},
			Examples: []Example{{Input: "x int64: 10, 15, null, 30; t int64: 1, 2, 3, 4", Expr: "x.pct_change().over(order_by = t)", Want: "null, 0.5, 0.0, 1.0"},
				{Input: "x int64: 10, 15, 30; t int64: 1, 2, 3", Expr: "x.pct_change(2).over(order_by = t)", Want: "null, null, 2.0"}},
		},
		{
			Name: "forward_fill", Method: true, Kind: Window, Family: "window", NeedsOrder: true, Params: []Param{param("x", ""), fillLimit},
			Doc:       "x, or on a null row the last non-null value before it in the window's order (null until the first), as Polars' forward_fill; with limit, only up to limit rows before.",
			Overloads: withLimit(perKind("forward_fill", orderedKinds, 1, nil)),
			Examples: []Example{{Input: "x int64: 1, null, null, 4, null; t int64: 1, 2, 3, 4, 5", Expr: "x.forward_fill().over(order_by = t)", Want: "1, 1, 1, 4, 4"},
				{Input: "x int64: 1, null, null, 4, null; t int64: 1, 2, 3, 4, 5", Expr: "x.forward_fill(limit = 1).over(order_by = t)", Want: "1, 1, null, 4, 4"}},
		},
		{
			Name: "backward_fill", Method: true, Kind: Window, Family: "window", NeedsOrder: true, Params: []Param{param("x", ""), fillLimit},
			Doc:       "x, or on a null row the first non-null value after it in the window's order (null after the last), as Polars' backward_fill; with limit, only up to limit rows after.",
			Overloads: withLimit(perKind("backward_fill", orderedKinds, 1, nil)),
			Examples: []Example{{Input: "x int64: null, 2, null, 4, null; t int64: 1, 2, 3, 4, 5", Expr: "x.backward_fill().over(order_by = t)", Want: "2, 2, 4, 4, null"},
				{Input: "x int64: null, null, 3; t int64: 1, 2, 3", Expr: "x.backward_fill(limit = 1).over(order_by = t)", Want: "null, 3, 3"}},
		},
		cum("cum_count", "The running count of non-null values up to and including the row.",
			[]types.Kind{Any}, fixed(types.Int64T), Example{Input: ordered, Expr: "x.cum_count().over(order_by = t)", Want: "1, 2, 3"}),
		cum("cum_min", "The running minimum; null on a row whose x is null, as in Polars.", orderedKinds, nil, Example{Input: "x int64: 3, 1, 2; t int64: 1, 2, 3", Expr: "x.cum_min().over(order_by = t)", Want: "3, 1, 1"}),
		cum("cum_max", "The running maximum; null on a row whose x is null, as in Polars.", orderedKinds, nil, Example{Input: "x int64: 1, 3, 2; t int64: 1, 2, 3", Expr: "x.cum_max().over(order_by = t)", Want: "1, 3, 3"}),
		rolling("rolling_mean", "The mean of the window's values.", []types.Kind{f64}, asFloat,
			Example{Input: ordered, Expr: "x.rolling_mean(window_size = 2).over(order_by = t)", Want: "null, 15.0, 25.0"},
			Example{Input: "x int64: 1, 2, 3, 4, 5, 6; t int64: 1, 2, 3, 4, 5, 6", Expr: "x.rolling_sum(window_size = 4, min_periods = 1, center = true).over(order_by = t)", Want: "3, 6, 10, 14, 18, 15"}),
		rolling("rolling_sum", "The sum of the window's values (decimal sums have 38 digits).", []types.Kind{i64, f64, dec, dur}, sumResult, Example{Input: ordered, Expr: "x.rolling_sum(window_size = 2, min_periods = 1).over(order_by = t)", Want: "10, 30, 50"}),
		rolling("rolling_min", "The smallest of the window's values.", orderedKinds, func(types.Kind) *types.Type { return nil },
			Example{Input: ordered, Expr: "x.rolling_min(window_size = 2).over(order_by = t)", Want: "null, 10, 20"}),
		rolling("rolling_max", "The largest of the window's values.", orderedKinds, func(types.Kind) *types.Type { return nil },
			Example{Input: ordered, Expr: "x.rolling_max(window_size = 2).over(order_by = t)", Want: "null, 20, 30"}),
		rolling("rolling_count", "The number of non-null values in the window.", []types.Kind{Any}, fixed(types.Int64T),
			Example{Input: "x int64: 1, null, 3; t timestamp: 2024-01-01T00:00:00, 2024-01-01T01:00:00, 2024-01-01T03:30:00",
				Expr: "x.rolling_count(by = t, period = 3h).over()", Want: "1, 1, 1"}),
		rolling("rolling_std", "The sample standard deviation (ddof = 1) of the window's values.", []types.Kind{f64}, asFloat,
			Example{Input: ordered, Expr: "x.rolling_std(window_size = 3, min_periods = 2).over(order_by = t)", Want: "null, 7.0710678118654755, 10.0"}),
		rolling("rolling_var", "The sample variance (ddof = 1) of the window's values.", []types.Kind{f64}, asFloat,
			Example{Input: ordered, Expr: "x.rolling_var(window_size = 3, min_periods = 2).over(order_by = t)", Want: "null, 50.0, 100.0"}),
	}
}

func shiftOverloads(name string) []*Overload {
	var out []*Overload
	for _, k := range orderedKinds {
		out = append(out, ovFn(name+"_"+k.String(), sameAs(0), k, i64, k))
	}
	return out
}

func rankOverloads(name string, result types.Type, options ...types.Kind) []*Overload {
	var out []*Overload
	for _, k := range orderedKinds {
		out = append(out, ov(name+"_"+k.String(), result, append([]types.Kind{k}, options...)...))
	}
	return out
}

// RankMethods are the ways rank ranks ties, as Polars names them.
var RankMethods = []string{"average", "min", "max", "dense", "ordinal"}

// validateRolling checks that a rolling call gives either window_size or both by and period.
func validateRolling(c CallInfo) *Invalid {
	rows := c.Given["window_size"]
	by, period := c.Given["by"], c.Given["period"]
	switch {
	case rows && (by || period):
		return &Invalid{"window_size", BadOption, "give either window_size (a row window) or by and period (a time window), not both", ""}
	case !rows && !by && !period:
		return &Invalid{"", BadOption, "give window_size (a row window) or by and period (a time window)", ""}
	case by != period:
		if by {
			return &Invalid{"by", BadOption, "a time window needs period as well as by", ""}
		}
		return &Invalid{"period", BadOption, "a time window needs by as well as period", ""}
	}
	if v, ok := c.Consts["center"]; ok && !v.Null && v.Bool() && by {
		return &Invalid{"center", BadOption, "center applies to row windows (window_size); a time window is (t − period, t]", ""}
	}
	if by {
		if t := c.Types["by"]; t.Kind != types.Timestamp && t.Kind != types.Date {
			return &Invalid{"by", BadOption, "by must be a date or timestamp column, not " + t.String(), ""}
		}
		v := c.Consts["period"]
		if v.Type.Kind == types.Interval {
			return &Invalid{"period", BadUnit, "period must be a fixed duration such as 3h or 7d: months have no fixed length", ""}
		}
		if v.Type.Kind != types.Duration || v.I <= 0 {
			return &Invalid{"period", OutOfRange, "period must be a positive duration such as 3h or 7d", ""}
		}
	}
	return nil
}

// validateTruncate checks the unit of dt.truncate: positive; calendar units that divide a year;
// whole days for a date.
func validateTruncate(c CallInfo) *Invalid {
	v, ok := c.Consts["every"]
	if !ok || v.Null {
		return nil
	}
	switch v.Type.Kind {
	case types.Interval:
		switch v.I {
		case 1, 2, 3, 4, 6, 12, 24, 36, 48, 60, 120:
			return nil
		}
		if v.I > 0 && v.I%12 == 0 {
			return nil
		}
		return &Invalid{"every", OutOfRange, "a calendar unit must divide 12 months (1mo, 2mo, 3mo, 4mo, 6mo) or be whole years, to align with the calendar", ""}
	case types.Duration:
		if v.I <= 0 {
			return &Invalid{"every", OutOfRange, "every must be a positive duration", ""}
		}
		if c.Types["x"].Kind == types.Date && v.I%types.Day != 0 {
			return &Invalid{"every", BadUnit, "a date truncates by whole days, weeks, months or years, not " + types.FormatDuration(v.I) + "; cast it to a timestamp first", ""}
		}
	}
	return nil
}

// sumResult is the result of a running sum: the argument's type, except decimals (nil: the
// overload computes decimal(38, s)).
func sumResult(k types.Kind) *types.Type {
	if k == types.Decimal {
		return nil
	}
	t := types.Type{Kind: k}
	return &t
}

// fillLimit is forward_fill's and backward_fill's limit: how many rows away a value may be
// carried (Polars: the number of consecutive nulls filled).
var fillLimit = Param{Name: "limit", Kind: Const, Optional: true, Default: "null", HasRange: true, Min: 0,
	Doc: "the most rows a value is carried over; no limit when omitted"}

// withLimit gives fill overloads their int64 limit argument.
func withLimit(ovs []*Overload) []*Overload {
	for _, o := range ovs {
		o.Args = append(o.Args, types.Int64)
	}
	return ovs
}
