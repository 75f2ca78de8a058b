package sqlgen

import (
	"fmt"
	"strings"

	"github.com/featc/featc/types"
)

// nullsSQL writes the null, conditional and cast functions (stdlib/nulls.go). Casts are keyed
// cast_FROM_TO (docs/semantics.md, Casts); cast_FROM_any and cast_any_TO are fallbacks.
var nullsSQL = Table{
	"is_null":     {SQL: "{0} IS NULL", Prec: PrecCmp},
	"is_not_null": {SQL: "{0} IS NOT NULL", Prec: PrecCmp},
	"fill_null":   {SQL: "COALESCE({args})"},
	"coalesce":    {SQL: "COALESCE({args})"},
	"is_nan":      {Fn: func(c *Call) (Expr, error) { return c.D.use(c.D.Helpers.IsNaN(), c.Args[0]), nil }},
	"is_not_nan": {Fn: func(c *Call) (Expr, error) {
		return c.D.Expr("NOT %s", Paren(c.D.use(c.D.Helpers.IsNaN(), c.Args[0]))).withPrec(PrecNot), nil
	}},
	"fill_nan": {Fn: func(c *Call) (Expr, error) {
		return c.D.Expr("CASE WHEN %s THEN %s ELSE %s END", c.D.use(c.D.Helpers.IsNaN(), c.Args[0]).SQL, c.Args[1].SQL, c.Args[0].SQL), nil
	}},
	"case":           {Fn: caseWhen},
	"is_in":          {Fn: isIn},
	"between":        {Fn: between},
	"min_horizontal": {Fn: func(c *Call) (Expr, error) { return extremeOf(c, "LEAST") }},
	"max_horizontal": {Fn: func(c *Call) (Expr, error) { return extremeOf(c, "GREATEST") }},

	"cast_int32_string":     castPlain,
	"cast_int64_string":     castPlain,
	"cast_float64_string":   castPlain,
	"cast_decimal_string":   castPlain,
	"cast_bool_string":      castPlain,
	"cast_date_string":      castPlain,
	"cast_timestamp_string": castPlain,
	"cast_int64_int32":      castPlain,
	"cast_int32_int64":      castPlain,
	"cast_int64_float64":    castPlain,
	"cast_int32_float64":    castPlain,
	"cast_int64_decimal":    castPlain,
	"cast_int32_decimal":    castPlain,
	"cast_int64_bool":       {SQL: "{0} <> 0", Prec: PrecCmp},
	"cast_int32_bool":       {SQL: "{0} <> 0", Prec: PrecCmp},
	"cast_int64_duration":   {SQL: "{0}"},
	"cast_int32_duration":   {SQL: "CAST({0} AS BIGINT)"},
	"cast_duration_int64":   {SQL: "{0}"},
	// Floats truncate toward zero; NaN, infinities and out-of-range values fail in the cast.
	"cast_float64_int64":    {SQL: "CAST(TRUNC({0}) AS {type})"},
	"cast_float64_int32":    {SQL: "CAST(TRUNC({0}) AS {type})"},
	"cast_float64_decimal":  castPlain,
	"cast_decimal_float64":  castPlain,
	"cast_decimal_int64":    {SQL: "CAST(TRUNC({0}) AS {type})"},
	"cast_decimal_int32":    {SQL: "CAST(TRUNC({0}) AS {type})"},
	"cast_decimal_decimal":  castPlain,
	"cast_string_int64":     {SQL: "CAST(TRIM({0}) AS {type})"},
	"cast_string_int32":     {SQL: "CAST(TRIM({0}) AS {type})"},
	"cast_string_float64":   castPlain,
	"cast_string_decimal":   castPlain,
	"cast_string_date":      {Fn: castTextDate},
	"cast_string_timestamp": {Fn: castTextTimestamp},
	"cast_string_bool":      castPlain,
	"cast_bool_int64":       {SQL: "CASE WHEN {0} THEN CAST(1 AS BIGINT) WHEN NOT {0} THEN CAST(0 AS BIGINT) END"},
	"cast_date_timestamp":   castPlain,
	"cast_timestamp_date":   castPlain,
	"cast_null_any":         castPlain,
}

// castPlain is SQL's own cast, where it has featc's semantics.
var castPlain = Template{SQL: "CAST({0} AS {type})"}

// caseWhen writes when/then/otherwise: conditions and values alternate, the last is the default.
func caseWhen(c *Call) (Expr, error) {
	var b strings.Builder
	b.WriteString("CASE")
	n := len(c.Args)
	for i := 0; i+1 < n; i += 2 {
		fmt.Fprintf(&b, " WHEN %s THEN %s", c.Args[i].SQL, c.Args[i+1].SQL)
	}
	fmt.Fprintf(&b, " ELSE %s END", c.Args[n-1].SQL)
	return c.D.Expr("%s", b.String()), nil
}

// isIn writes x.is_in(…): null elements never match, so a miss is false, never SQL's null.
func isIn(c *Call) (Expr, error) {
	x := c.Args[0]
	var elems []string
	for i, e := range c.Args[1:] {
		if v := c.Consts[i+1]; v != nil && v.Null {
			continue
		}
		elems = append(elems, e.SQL)
	}
	if len(elems) == 0 {
		return c.D.Expr("CASE WHEN %s IS NULL THEN NULL ELSE FALSE END", Paren(x)), nil
	}
	return c.D.Expr("CASE WHEN %s IS NULL THEN NULL ELSE COALESCE(%s IN (%s), FALSE) END", Paren(x), Paren(x), strings.Join(elems, ", ")), nil
}

// between writes x.is_between(lo, hi, closed): null when any of them is null.
func between(c *Call) (Expr, error) {
	closed, err := c.Const(3)
	if err != nil {
		return Expr{}, err
	}
	lo, hi := ">", "<"
	if closed.S == "both" || closed.S == "left" {
		lo = ">="
	}
	if closed.S == "both" || closed.S == "right" {
		hi = "<="
	}
	x, l, h := c.Args[0], c.Args[1], c.Args[2]
	xs := Paren(x)
	if c.Types[0].Kind == types.String {
		xs = c.D.collate(x)
	}
	return c.D.Expr("CASE WHEN %s IS NULL OR %s IS NULL OR %s IS NULL THEN NULL ELSE %s %s %s AND %s %s %s END",
		Paren(x), Paren(l), Paren(h), xs, lo, Paren(l), xs, hi, Paren(h)), nil
}

// extremeOf writes min_horizontal and max_horizontal by LEAST or GREATEST, which engines
// disagree on for nulls (Postgres and DuckDB skip them, Snowflake returns null): each operand
// is coalesced with the others, so that a null stands in for a value already present and only
// a row of nulls gives null.
func extremeOf(c *Call, fn string) (Expr, error) {
	ops := make([]string, len(c.Args))
	size := 1
	for i := range c.Args {
		list := []string{Paren(c.Args[i])}
		for j := range c.Args {
			if j != i {
				list = append(list, Paren(c.Args[j]))
			}
		}
		ops[i] = "COALESCE(" + strings.Join(list, ", ") + ")"
		if c.Types[i].Kind == types.String {
			ops[i] = c.D.collate(atom(ops[i]))
		}
		for _, a := range c.Args {
			size += a.Size
		}
	}
	if len(ops) == 1 {
		return c.Args[0], nil
	}
	e := c.D.Expr("%s(%s)", fn, strings.Join(ops, ", "))
	e.Size = size
	return e, nil
}
