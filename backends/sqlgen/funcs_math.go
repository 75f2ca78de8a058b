package sqlgen

import (
	"fmt"

	"github.com/featc/featc/types"
)

// mathSQL writes the math functions (stdlib/math.go).
var mathSQL = Table{
	"pow_float64":   {SQL: "POWER({0}, {1})"},
	"abs":           fn1("ABS"),
	"round_int64":   {Fn: roundInt},
	"round_decimal": {SQL: "CAST(ROUND({0}, CAST({1} AS INTEGER)) AS {type})"},
	"round_float64": {Fn: roundFloat},
	// Integers are whole already; decimals keep featc's result type.
	"floor_int64":   {SQL: "{0}"},
	"floor_float64": fn1("FLOOR"),
	"floor_decimal": {SQL: "CAST(FLOOR({0}) AS {type})"},
	"ceil_int64":    {SQL: "{0}"},
	"ceil_float64":  fn1("CEILING"),
	"ceil_decimal":  {SQL: "CAST(CEILING({0}) AS {type})"},
	"trunc_int64":   {SQL: "{0}"},
	"trunc_float64": fn1("TRUNC"),
	"trunc_decimal": {SQL: "CAST(TRUNC({0}) AS {type})"},
	// Outside their domains, featc's sqrt and logarithms are null, where engines raise errors.
	"sqrt":  {SQL: "CASE WHEN {0} < 0 THEN NULL ELSE SQRT({0}) END"},
	"log":   {SQL: "CASE WHEN {0} <= 0 THEN NULL ELSE LN({0}) END"},
	"log10": {SQL: "CASE WHEN {0} <= 0 THEN NULL ELSE LOG10({0}) END"},
	"exp":   fn1("EXP"),
	// ln(1 + x) loses x's digits when 1 + x rounds; x·ln(u)/(u − 1) with u = 1 + x cancels the
	// rounding (Goldberg, "What every computer scientist should know about floating-point
	// arithmetic", Theorem 4), and u = 1 means ln(1 + x) ≈ x exactly enough. The quotient comes
	// first so that a huge x does not overflow the product (an error on Postgres).
	"log1p": {SQL: "CASE WHEN {0} <= -1 THEN NULL WHEN 1 + {0} = 1 THEN {0} WHEN {0} = CAST('Infinity' AS {type}) THEN {0} ELSE {0} / ((1 + {0}) - 1) * LN(1 + {0}) END", Twice: true},
	"cbrt":  fn1("CBRT"),
	"clip":  {Fn: clip},
	"sign":  {SQL: "CAST(SIGN({0}) AS {type})"},
	// The sign of NaN is null: an int64 cannot say NaN.
	"sign_float64": {Fn: func(c *Call) (Expr, error) {
		return c.D.Expr("CASE WHEN %s THEN NULL ELSE CAST(SIGN(%s) AS %s) END", c.D.use(c.D.Helpers.IsNaN(), c.Args[0]).SQL, c.Args[0].SQL, c.ResultType()), nil
	}},
}

// roundInt writes round(x, n) of an integer: unchanged for n >= 0, else through a decimal.
func roundInt(c *Call) (Expr, error) {
	if v := c.Consts[1]; v != nil && !v.Null && v.I >= 0 {
		return c.Args[0], nil
	}
	return c.D.Expr("CASE WHEN %[2]s >= 0 THEN %[1]s ELSE CAST(ROUND(CAST(%[1]s AS %[3]s), CAST(%[2]s AS INTEGER)) AS %[4]s) END",
		c.Args[0].SQL, c.Args[1].SQL, c.D.TypeName(types.DecimalType(38, 0)), c.ResultType()), nil
}

// roundFloat writes round(x, n) of a float: half away from zero, a tie judged on the shortest
// decimal form of the float (docs/semantics.md): through the decimal text, exact below 2^52 and
// with at most 22 decimals; floats at or above 2^52 are whole numbers already.
func roundFloat(c *Call) (Expr, error) {
	x, n := c.Args[0], c.Args[1]
	dec := c.D.TypeName(types.DecimalType(38, 22))
	text := c.D.CastTo(x, types.StringT)
	if v := c.Consts[1]; v != nil && !v.Null {
		if v.I >= 22 {
			return x, nil
		}
		return c.D.Expr("CASE WHEN %[2]s OR ABS(%[1]s) >= CAST(4503599627370496 AS %[4]s) THEN %[1]s ELSE CAST(ROUND(CAST(%[3]s AS %[5]s), %[6]d) AS %[4]s) END",
			Paren(x), c.D.use(c.D.Helpers.IsNaNOrInf(), x).SQL, text.SQL, c.D.TypeName(types.Float64T), dec, v.I), nil
	}
	return c.D.Expr("CASE WHEN %[1]s IS NULL OR %[2]s IS NULL THEN NULL WHEN %[3]s OR ABS(%[1]s) >= CAST(4503599627370496 AS %[5]s) OR %[2]s >= 22 THEN %[1]s ELSE CAST(ROUND(CAST(%[4]s AS %[6]s), CAST(%[2]s AS INTEGER)) AS %[5]s) END",
		Paren(x), Paren(n), c.D.use(c.D.Helpers.IsNaNOrInf(), x).SQL, text.SQL, c.D.TypeName(types.Float64T), dec), nil
}

// clip writes x.clip(lo, hi): a null bound does not limit; the lower bound applies first.
func clip(c *Call) (Expr, error) {
	x, lo, hi := Paren(c.Args[0]), Paren(c.Args[1]), Paren(c.Args[2])
	low := fmt.Sprintf("CASE WHEN %[1]s < %[2]s THEN %[2]s ELSE %[1]s END", x, lo)
	if v := c.Consts[1]; v != nil && v.Null {
		low = x
	}
	if v := c.Consts[2]; v != nil && v.Null {
		return c.D.Expr("%s", low), nil
	}
	return c.D.Expr("CASE WHEN (%[1]s) > %[2]s THEN %[2]s ELSE %[1]s END", low, hi), nil
}
