package sqlgen

import (
	"github.com/featc/featc/types"
)

// arithSQL writes the arithmetic, comparison and boolean operators (stdlib/arith.go).
var arithSQL = Table{
	"add_int64":    bin("+", PrecAdd),
	"add_float64":  bin("+", PrecAdd),
	"add_duration": bin("+", PrecAdd),
	"sub_int64":    bin("-", PrecAdd),
	"sub_float64":  bin("-", PrecAdd),
	"sub_duration": bin("-", PrecAdd),
	"mul_int64":    bin("*", PrecMul),
	"mul_float64":  bin("*", PrecMul),
	// Durations are BIGINT microseconds.
	"mul_duration_int64": bin("*", PrecMul),
	"mul_int64_duration": bin("*", PrecMul),
	// Decimal results are cast to featc's result type (engines pick other precisions).
	"add_decimal": {SQL: "CAST({0} + {1} AS {type})"},
	"sub_decimal": {SQL: "CAST({0} - {1} AS {type})"},
	"mul_decimal": {Fn: mulDecimal},
	"add_string":  bin("||", PrecAdd),
	"neg":         {SQL: "-{0}", Prec: PrecUnary},
	"div_float64": {Fn: divFloat},
	// Floor division and modulo of integers, from the engines' truncating ones.
	"floordiv_float64": {SQL: "FLOOR({0} / NULLIF({1}, 0))"},
	"floordiv_int64":   {Fn: floorDivInt},
	"mod_int64":        {Fn: modInt},
	// x - y·floor(x / y): the same IEEE operations on every engine (docs/semantics.md).
	"mod_float64": {SQL: "{0} - {1} * FLOOR({0} / NULLIF({1}, 0))", Prec: PrecAdd},

	// Temporal arithmetic through the dialect's helpers.
	"add_timestamp_duration": {Fn: func(c *Call) (Expr, error) { return c.D.use(c.D.Helpers.TsAddUS(), c.Args[0], c.Args[1]), nil }},
	"add_duration_timestamp": {Fn: func(c *Call) (Expr, error) { return c.D.use(c.D.Helpers.TsAddUS(), c.Args[1], c.Args[0]), nil }},
	"add_date_duration":      {Fn: addDateDuration},
	"sub_timestamp_duration": {Fn: func(c *Call) (Expr, error) {
		return c.D.use(c.D.Helpers.TsAddUS(), c.Args[0], negate(c.Args[1])), nil
	}},
	"sub_date_duration": {Fn: func(c *Call) (Expr, error) {
		return c.D.use(c.D.Helpers.TsAddUS(), c.D.CastTo(c.Args[0], types.TimestampT), negate(c.Args[1])), nil
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
		return c.D.Expr("%s - %s", Paren(c.D.use(c.D.Helpers.EpochUS(), c.Args[0])), Paren(c.D.use(c.D.Helpers.EpochUS(), c.Args[1]))).withPrec(PrecAdd), nil
	}},
	"sub_date": {Fn: func(c *Call) (Expr, error) {
		return c.D.Expr("%s * CAST(86400000000 AS BIGINT)", Paren(c.D.use(c.D.Helpers.DateDiffDays(), c.Args[0], c.Args[1]))).withPrec(PrecMul), nil
	}},

	// Comparisons: strings compare by bytes (Dialect.Collate).
	"eq":        bin("=", PrecCmp),
	"ne":        bin("<>", PrecCmp),
	"lt":        bin("<", PrecCmp),
	"le":        bin("<=", PrecCmp),
	"gt":        bin(">", PrecCmp),
	"ge":        bin(">=", PrecCmp),
	"eq_string": bin("=", PrecCmp),
	"ne_string": bin("<>", PrecCmp),
	"lt_string": {Fn: compareStrings("<")},
	"le_string": {Fn: compareStrings("<=")},
	"gt_string": {Fn: compareStrings(">")},
	"ge_string": {Fn: compareStrings(">=")},
	"and":       bin("AND", PrecAnd),
	"or":        bin("OR", PrecOr),
	"not":       {SQL: "NOT {0}", Prec: PrecNot},
}

// mulDecimal writes a product of decimals. An exact product has the operands' digits added
// up, which engines compute when that fits 38 digits. Beyond, they multiply in a capped width
// and can overflow where featc's 38-digit result fits, so the operands are widened to 38
// digits first (which costs: 128-bit arithmetic with overflow checks, several times slower on
// DuckDB).
func mulDecimal(c *Call) (Expr, error) {
	if c.Types[0].Precision+c.Types[1].Precision <= 38 {
		return c.D.Expr("CAST(%s * %s AS %s)", Paren(c.Args[0]), Paren(c.Args[1]), c.ResultType()), nil
	}
	w := func(i int) string {
		return c.D.CastTo(c.Args[i], types.DecimalType(38, int(c.Types[i].Scale))).SQL
	}
	return c.D.Expr("CAST(%s * %s AS %s)", w(0), w(1), c.ResultType()), nil
}

// divFloat writes IEEE division, as Polars: x / 0 is ±infinity by the sign of x (not of the
// zero, whose sign engines do not compute alike), 0 / 0 and NaN / 0 NaN; SQL engines would
// raise an error or give null instead. NaN is tested first: it compares greater than every
// number in SQL.
func divFloat(c *Call) (Expr, error) {
	x, y := Paren(c.Args[0]), Paren(c.Args[1])
	ft := c.D.TypeName(types.Float64T)
	lit := func(s string) string { return "CAST(" + c.D.String(s) + " AS " + ft + ")" }
	return c.D.Expr("CASE WHEN %[2]s = 0 THEN CASE WHEN %[1]s IS NULL THEN NULL WHEN %[1]s = %[3]s THEN %[3]s "+
		"WHEN %[1]s > 0 THEN %[4]s WHEN %[1]s < 0 THEN %[5]s ELSE %[3]s END ELSE %[1]s / %[2]s END",
		x, y, lit("NaN"), lit("Infinity"), lit("-Infinity")), nil
}

// floorDivInt writes integer floor division from the engine's truncating one.
func floorDivInt(c *Call) (Expr, error) {
	a, b := c.Args[0], c.Args[1]
	q := c.D.use(c.D.Helpers.IDiv(), a, b)
	return c.D.Expr("CASE WHEN %s = 0 THEN NULL ELSE %s - CASE WHEN %s %% %s <> 0 AND (%s < 0) <> (%s < 0) THEN 1 ELSE 0 END END",
		Paren(b), Paren(q), Paren(a), Paren(b), Paren(a), Paren(b)), nil
}

// modInt writes the integer modulo with the divisor's sign. x % -1 is 0; engines compute it
// by a division that overflows for the smallest int64.
func modInt(c *Call) (Expr, error) {
	a, b := Paren(c.Args[0]), Paren(c.Args[1])
	return c.D.Expr("CASE WHEN %[2]s = 0 THEN NULL WHEN %[2]s = -1 AND %[1]s IS NOT NULL THEN CAST(0 AS BIGINT) WHEN %[1]s %% %[2]s <> 0 AND (%[1]s < 0) <> (%[2]s < 0) THEN %[1]s %% %[2]s + %[2]s ELSE %[1]s %% %[2]s END", a, b), nil
}

func addDateDuration(c *Call) (Expr, error) {
	return c.D.use(c.D.Helpers.TsAddUS(), c.D.CastTo(c.Args[0], types.TimestampT), c.Args[1]), nil
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
		return c.D.Expr("%s %s %s", c.D.collate(c.Args[0]), op, Paren(c.Args[1])).withPrec(PrecCmp), nil
	}
}
