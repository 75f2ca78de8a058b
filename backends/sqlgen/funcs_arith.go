package sqlgen

import (
	"github.com/featc/featc/types"
)

// arithSQL writes the arithmetic, comparison and boolean operators (stdlib/arith.go).
var arithSQL = Table{
	"add_int64":    bin("+", precAdd),
	"add_float64":  bin("+", precAdd),
	"add_duration": bin("+", precAdd),
	"sub_int64":    bin("-", precAdd),
	"sub_float64":  bin("-", precAdd),
	"sub_duration": bin("-", precAdd),
	"mul_int64":    bin("*", precMul),
	"mul_float64":  bin("*", precMul),
	// Durations are BIGINT microseconds.
	"mul_duration_int64": bin("*", precMul),
	"mul_int64_duration": bin("*", precMul),
	// Decimal results are cast to featc's result type (engines pick other precisions).
	"add_decimal": {SQL: "CAST({0} + {1} AS {type})"},
	"sub_decimal": {SQL: "CAST({0} - {1} AS {type})"},
	"mul_decimal": {Fn: mulDecimal},
	"add_string":  bin("||", precAdd),
	"neg":         {SQL: "-{0}", Prec: precUnary},
	"div_float64": {Fn: divFloat},
	// Floor division and modulo of integers, from the engines' truncating ones.
	"floordiv_float64": {SQL: "FLOOR({0} / NULLIF({1}, 0))"},
	"floordiv_int64":   {Fn: floorDivInt},
	"mod_int64":        {Fn: modInt},
	// x - y·floor(x / y): the same IEEE operations on every engine (docs/semantics.md).
	"mod_float64": {SQL: "{0} - {1} * FLOOR({0} / NULLIF({1}, 0))", Prec: precAdd},

	// Temporal arithmetic through the dialect's helpers.
	"add_timestamp_duration": {Fn: func(c *Call) (Expr, error) { return c.D.use(c.D.Helpers.TsAddUS(), c.Args[0], c.Args[1]), nil }},
	"add_duration_timestamp": {Fn: func(c *Call) (Expr, error) { return c.D.use(c.D.Helpers.TsAddUS(), c.Args[1], c.Args[0]), nil }},
	"add_date_duration":      {Fn: addDateDuration},
	"sub_timestamp_duration": {Fn: func(c *Call) (Expr, error) {
		return c.D.use(c.D.Helpers.TsAddUS(), c.Args[0], negate(c.Args[1])), nil
	}},
	"sub_date_duration": {Fn: func(c *Call) (Expr, error) {
		return c.D.use(c.D.Helpers.TsAddUS(), c.D.castTo(c.Args[0], types.TimestampT), negate(c.Args[1])), nil
	}},
	"add_date_interval": {Fn: addDateInterval},
	"sub_date_interval": {Fn: func(c *Call) (Expr, error) {
		return c.D.use(c.D.Helpers.DateAddMonths(), c.Args[0], negate(c.Args[1])), nil
	}},
	"add_timestamp_interval": {Fn: addTimestampInterval},
	"sub_timestamp_interval": {Fn: func(c *Call) (Expr, error) {
		return c.D.use(c.D.Helpers.TsAddMonths(), c.Args[0], negate(c.Args[1])), nil
	}},
	"sub_timestamp": {Fn: func(c *Call) (Expr, error) {
		return c.D.expr("%s - %s", paren(c.D.use(c.D.Helpers.EpochUS(), c.Args[0])), paren(c.D.use(c.D.Helpers.EpochUS(), c.Args[1]))).withPrec(precAdd), nil
	}},
	"sub_date": {Fn: func(c *Call) (Expr, error) {
		return c.D.expr("%s * CAST(86400000000 AS BIGINT)", paren(c.D.use(c.D.Helpers.DateDiffDays(), c.Args[0], c.Args[1]))).withPrec(precMul), nil
	}},

	// Comparisons: strings compare by bytes (Dialect.Collate).
	"eq":        bin("=", precCmp),
	"ne":        bin("<>", precCmp),
	"lt":        bin("<", precCmp),
	"le":        bin("<=", precCmp),
	"gt":        bin(">", precCmp),
	"ge":        bin(">=", precCmp),
	"eq_string": bin("=", precCmp),
	"ne_string": bin("<>", precCmp),
	"lt_string": {Fn: compareStrings("<")},
	"le_string": {Fn: compareStrings("<=")},
	"gt_string": {Fn: compareStrings(">")},
	"ge_string": {Fn: compareStrings(">=")},
	"and":       bin("AND", precAnd),
	"or":        bin("OR", precOr),
	"not":       {SQL: "NOT {0}", Prec: precNot},
}

// mulDecimal writes a product of decimals. An exact product has the operands' digits added
// up, which engines compute when that fits 38 digits. Beyond, they multiply in a capped width
// and can overflow where featc's 38-digit result fits, so the operands are widened to 38
// digits first (which costs: 128-bit arithmetic with overflow checks, several times slower on
// DuckDB).
func mulDecimal(c *Call) (Expr, error) {
	if c.Types[0].Precision+c.Types[1].Precision <= 38 {
		return c.D.expr("CAST(%s * %s AS %s)", paren(c.Args[0]), paren(c.Args[1]), c.ResultType()), nil
	}
	w := func(i int) string {
		return c.D.castTo(c.Args[i], types.DecimalType(38, int(c.Types[i].Scale))).SQL
	}
	return c.D.expr("CAST(%s * %s AS %s)", w(0), w(1), c.ResultType()), nil
}

// divFloat writes IEEE division, as Polars: x / 0 is ±infinity by the sign of x (not of the
// zero, whose sign engines do not compute alike), 0 / 0 and NaN / 0 NaN; SQL engines would
// raise an error or give null instead. NaN is tested first: it compares greater than every
// number in SQL.
func divFloat(c *Call) (Expr, error) {
	x, y := paren(c.Args[0]), paren(c.Args[1])
	ft := c.D.TypeName(types.Float64T)
	lit := func(s string) string { return "CAST(" + c.D.String(s) + " AS " + ft + ")" }
	return c.D.expr("CASE WHEN %[2]s = 0 THEN CASE WHEN %[1]s IS NULL THEN NULL WHEN %[1]s = %[3]s THEN %[3]s "+
		"WHEN %[1]s > 0 THEN %[4]s WHEN %[1]s < 0 THEN %[5]s ELSE %[3]s END ELSE %[1]s / %[2]s END",
		x, y, lit("NaN"), lit("Infinity"), lit("-Infinity")), nil
}

// floorDivInt writes integer floor division from the engine's truncating one.
func floorDivInt(c *Call) (Expr, error) {
	a, b := c.Args[0], c.Args[1]
	q := c.D.use(c.D.Helpers.IDiv(), a, b)
	return c.D.expr("CASE WHEN %s = 0 THEN NULL ELSE %s - CASE WHEN %s %% %s <> 0 AND (%s < 0) <> (%s < 0) THEN 1 ELSE 0 END END",
		paren(b), paren(q), paren(a), paren(b), paren(a), paren(b)), nil
}

// modInt writes the integer modulo with the divisor's sign. x % -1 is 0; engines compute it
// by a division that overflows for the smallest int64.
func modInt(c *Call) (Expr, error) {
	a, b := paren(c.Args[0]), paren(c.Args[1])
	return c.D.expr("CASE WHEN %[2]s = 0 THEN NULL WHEN %[2]s = -1 AND %[1]s IS NOT NULL THEN CAST(0 AS BIGINT) WHEN %[1]s %% %[2]s <> 0 AND (%[1]s < 0) <> (%[2]s < 0) THEN %[1]s %% %[2]s + %[2]s ELSE %[1]s %% %[2]s END", a, b), nil
}

func addDateDuration(c *Call) (Expr, error) {
	return c.D.use(c.D.Helpers.TsAddUS(), c.D.castTo(c.Args[0], types.TimestampT), c.Args[1]), nil
}

func addDateInterval(c *Call) (Expr, error) {
	return c.D.use(c.D.Helpers.DateAddMonths(), c.Args[0], c.Args[1]), nil
}

func addTimestampInterval(c *Call) (Expr, error) {
	return c.D.use(c.D.Helpers.TsAddMonths(), c.Args[0], c.Args[1]), nil
}

// compareStrings writes an ordering comparison of strings, which compares by bytes.
func compareStrings(op string) func(c *Call) (Expr, error) {
	return func(c *Call) (Expr, error) {
		return c.D.expr("%s %s %s", c.D.collate(c.Args[0]), op, paren(c.Args[1])).withPrec(precCmp), nil
	}
}
