package sqlgen

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/featc/featc/types"
)

// shared is the function table every dialect starts from: standard SQL written so that it
// has featc's semantics (docs/semantics.md). Keys are overload IDs or function names; a
// dialect's Funcs override them. Helpers (keys starting with "@") are the small pieces that
// differ between engines and that several templates use: epoch microseconds, truncating
// integer division, calendar arithmetic.
var shared = map[string]Template{}

func init() {
	t := shared
	bin := func(op string, prec int) Template { return Template{SQL: "{0} " + op + " {1}", Prec: prec} }
	fn1 := func(name string) Template { return Template{SQL: name + "({0})"} }

	// ---- Arithmetic ----
	for _, k := range []string{"int64", "float64", "duration"} {
		t["add_"+k] = bin("+", precAdd)
		t["sub_"+k] = bin("-", precAdd)
	}
	t["mul_int64"] = bin("*", precMul)
	t["mul_float64"] = bin("*", precMul)
	t["mul_duration_int64"] = bin("*", precMul)
	t["mul_int64_duration"] = bin("*", precMul)
	// Decimal results are cast to featc's result type (engines pick other precisions).
	t["add_decimal"] = Template{SQL: "CAST({0} + {1} AS {type})"}
	t["sub_decimal"] = Template{SQL: "CAST({0} - {1} AS {type})"}
	// An exact product has the operands' digits added up, which engines compute when that
	// fits 38 digits. Beyond, they multiply in a capped width and can overflow where featc's
	// 38-digit result fits, so the operands are widened to 38 digits first (which costs:
	// 128-bit arithmetic with overflow checks, several times slower on DuckDB).
	t["mul_decimal"] = Template{Fn: func(c *Call) (Expr, error) {
		if c.Types[0].Precision+c.Types[1].Precision <= 38 {
			return c.D.expr("CAST(%s * %s AS %s)", paren(c.Args[0]), paren(c.Args[1]), c.ResultType()), nil
		}
		w := func(i int) string {
			return c.D.castTo(c.Args[i], types.DecimalType(38, int(c.Types[i].Scale))).SQL
		}
		return c.D.expr("CAST(%s * %s AS %s)", w(0), w(1), c.ResultType()), nil
	}}
	t["add_string"] = bin("||", precAdd)
	t["neg"] = Template{SQL: "-{0}", Prec: precUnary}
	// IEEE division, as Polars: x / 0 is ±infinity by the sign of x (not of the zero, whose sign
	// engines do not compute alike), 0 / 0 and NaN / 0 NaN; SQL engines would raise an error or
	// give null instead. NaN is tested first: it compares greater than every number in SQL.
	t["div_float64"] = Template{Fn: func(c *Call) (Expr, error) {
		x, y := paren(c.Args[0]), paren(c.Args[1])
		ft := c.D.TypeName(types.Float64T)
		lit := func(s string) string { return "CAST(" + c.D.String(s) + " AS " + ft + ")" }
		return c.D.expr("CASE WHEN %[2]s = 0 THEN CASE WHEN %[1]s IS NULL THEN NULL WHEN %[1]s = %[3]s THEN %[3]s "+
			"WHEN %[1]s > 0 THEN %[4]s WHEN %[1]s < 0 THEN %[5]s ELSE %[3]s END ELSE %[1]s / %[2]s END",
			x, y, lit("NaN"), lit("Infinity"), lit("-Infinity")), nil
	}}
	t["floordiv_float64"] = Template{SQL: "FLOOR({0} / NULLIF({1}, 0))"}
	// Floor division and modulo of integers, from the engines' truncating ones.
	t["floordiv_int64"] = Template{Fn: func(c *Call) (Expr, error) {
		a, b := c.Args[0], c.Args[1]
		q := c.D.use(c.D.Helpers.IDiv(), a, b)
		return c.D.expr("CASE WHEN %s = 0 THEN NULL ELSE %s - CASE WHEN %s %% %s <> 0 AND (%s < 0) <> (%s < 0) THEN 1 ELSE 0 END END",
			paren(b), paren(q), paren(a), paren(b), paren(a), paren(b)), nil
	}}
	t["mod_int64"] = Template{Fn: func(c *Call) (Expr, error) {
		a, b := paren(c.Args[0]), paren(c.Args[1])
		// x % -1 is 0; engines compute it by a division that overflows for the smallest int64.
		return c.D.expr("CASE WHEN %[2]s = 0 THEN NULL WHEN %[2]s = -1 AND %[1]s IS NOT NULL THEN CAST(0 AS BIGINT) WHEN %[1]s %% %[2]s <> 0 AND (%[1]s < 0) <> (%[2]s < 0) THEN %[1]s %% %[2]s + %[2]s ELSE %[1]s %% %[2]s END", a, b), nil
	}}
	// x - y·floor(x / y): the same IEEE operations on every engine (docs/semantics.md).
	t["mod_float64"] = Template{SQL: "{0} - {1} * FLOOR({0} / NULLIF({1}, 0))", Prec: precAdd}
	t["pow_float64"] = Template{SQL: "POWER({0}, {1})"}

	// Temporal arithmetic through the dialect's helpers.
	t["add_timestamp_duration"] = Template{Fn: func(c *Call) (Expr, error) { return c.D.use(c.D.Helpers.TsAddUS(), c.Args[0], c.Args[1]), nil }}
	t["add_duration_timestamp"] = Template{Fn: func(c *Call) (Expr, error) { return c.D.use(c.D.Helpers.TsAddUS(), c.Args[1], c.Args[0]), nil }}
	t["add_date_duration"] = Template{Fn: func(c *Call) (Expr, error) {
		return c.D.use(c.D.Helpers.TsAddUS(), c.D.castTo(c.Args[0], types.TimestampT), c.Args[1]), nil
	}}
	t["sub_timestamp_duration"] = Template{Fn: func(c *Call) (Expr, error) {
		return c.D.use(c.D.Helpers.TsAddUS(), c.Args[0], negate(c.Args[1])), nil
	}}
	t["sub_date_duration"] = Template{Fn: func(c *Call) (Expr, error) {
		return c.D.use(c.D.Helpers.TsAddUS(), c.D.castTo(c.Args[0], types.TimestampT), negate(c.Args[1])), nil
	}}
	t["add_date_interval"] = Template{Fn: func(c *Call) (Expr, error) { return c.D.use(c.D.Helpers.DateAddMonths(), c.Args[0], c.Args[1]), nil }}
	t["sub_date_interval"] = Template{Fn: func(c *Call) (Expr, error) {
		return c.D.use(c.D.Helpers.DateAddMonths(), c.Args[0], negate(c.Args[1])), nil
	}}
	t["add_timestamp_interval"] = Template{Fn: func(c *Call) (Expr, error) { return c.D.use(c.D.Helpers.TsAddMonths(), c.Args[0], c.Args[1]), nil }}
	t["sub_timestamp_interval"] = Template{Fn: func(c *Call) (Expr, error) {
		return c.D.use(c.D.Helpers.TsAddMonths(), c.Args[0], negate(c.Args[1])), nil
	}}
	t["sub_timestamp"] = Template{Fn: func(c *Call) (Expr, error) {
		return c.D.expr("%s - %s", paren(c.D.use(c.D.Helpers.EpochUS(), c.Args[0])), paren(c.D.use(c.D.Helpers.EpochUS(), c.Args[1]))).withPrec(precAdd), nil
	}}
	t["sub_date"] = Template{Fn: func(c *Call) (Expr, error) {
		return c.D.expr("%s * CAST(86400000000 AS BIGINT)", paren(c.D.use(c.D.Helpers.DateDiffDays(), c.Args[0], c.Args[1]))).withPrec(precMul), nil
	}}

	// ---- Comparisons ----
	for name, op := range map[string]string{"eq": "=", "ne": "<>", "lt": "<", "le": "<=", "gt": ">", "ge": ">="} {
		t[name] = bin(op, precCmp)
		op := op
		t[name+"_string"] = Template{Fn: func(c *Call) (Expr, error) {
			if op == "=" || op == "<>" {
				return c.Fill("{0} "+op+" {1}", precCmp), nil
			}
			return c.D.expr("%s %s %s", c.D.collate(c.Args[0]), op, paren(c.Args[1])).withPrec(precCmp), nil
		}}
	}
	t["and"] = bin("AND", precAnd)
	t["or"] = bin("OR", precOr)
	t["not"] = Template{SQL: "NOT {0}", Prec: precNot}
	t["is_null"] = Template{SQL: "{0} IS NULL", Prec: precCmp}
	t["is_not_null"] = Template{SQL: "{0} IS NOT NULL", Prec: precCmp}
	t["fill_null"] = Template{SQL: "COALESCE({args})"}
	t["coalesce"] = Template{SQL: "COALESCE({args})"}
	t["is_nan"] = Template{Fn: func(c *Call) (Expr, error) { return c.D.use(c.D.Helpers.IsNaN(), c.Args[0]), nil }}
	t["fill_nan"] = Template{Fn: func(c *Call) (Expr, error) {
		return c.D.expr("CASE WHEN %s THEN %s ELSE %s END", c.D.use(c.D.Helpers.IsNaN(), c.Args[0]).SQL, c.Args[1].SQL, c.Args[0].SQL), nil
	}}
	t["case"] = Template{Fn: func(c *Call) (Expr, error) {
		var b strings.Builder
		b.WriteString("CASE")
		n := len(c.Args)
		for i := 0; i+1 < n; i += 2 {
			fmt.Fprintf(&b, " WHEN %s THEN %s", c.Args[i].SQL, c.Args[i+1].SQL)
		}
		fmt.Fprintf(&b, " ELSE %s END", c.Args[n-1].SQL)
		return c.D.expr("%s", b.String()), nil
	}}
	// is_in: null elements never match, so a miss is false, never SQL's null.
	t["is_in"] = Template{Fn: func(c *Call) (Expr, error) {
		x := c.Args[0]
		var elems []string
		for i, e := range c.Args[1:] {
			if v := c.Consts[i+1]; v != nil && v.Null {
				continue
			}
			elems = append(elems, e.SQL)
		}
		if len(elems) == 0 {
			return c.D.expr("CASE WHEN %s IS NULL THEN NULL ELSE FALSE END", paren(x)), nil
		}
		return c.D.expr("CASE WHEN %s IS NULL THEN NULL ELSE COALESCE(%s IN (%s), FALSE) END", paren(x), paren(x), strings.Join(elems, ", ")), nil
	}}
	t["between"] = Template{Fn: func(c *Call) (Expr, error) {
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
		xs := paren(x)
		if c.Types[0].Kind == types.String {
			xs = c.D.collate(x)
		}
		return c.D.expr("CASE WHEN %s IS NULL OR %s IS NULL OR %s IS NULL THEN NULL ELSE %s %s %s AND %s %s %s END",
			paren(x), paren(l), paren(h), xs, lo, paren(l), xs, hi, paren(h)), nil
	}}

	// ---- Math ----
	t["abs"] = fn1("ABS")
	t["round_int64"] = Template{Fn: func(c *Call) (Expr, error) {
		if v := c.Consts[1]; v != nil && !v.Null && v.I >= 0 {
			return c.Args[0], nil
		}
		return c.D.expr("CASE WHEN %[2]s >= 0 THEN %[1]s ELSE CAST(ROUND(CAST(%[1]s AS %[3]s), CAST(%[2]s AS INTEGER)) AS %[4]s) END",
			c.Args[0].SQL, c.Args[1].SQL, c.D.TypeName(types.DecimalType(38, 0)), c.ResultType()), nil
	}}
	t["round_decimal"] = Template{SQL: "CAST(ROUND({0}, CAST({1} AS INTEGER)) AS {type})"}
	// round of a float: half away from zero, a tie judged on the shortest decimal form of the
	// float (docs/semantics.md): through the decimal text, exact below 2^52 and with at most
	// 22 decimals; floats at or above 2^52 are whole numbers already.
	t["round_float64"] = Template{Fn: func(c *Call) (Expr, error) {
		x, n := c.Args[0], c.Args[1]
		dec := c.D.TypeName(types.DecimalType(38, 22))
		text := c.D.castTo(x, types.StringT)
		if v := c.Consts[1]; v != nil && !v.Null {
			if v.I >= 22 {
				return x, nil
			}
			return c.D.expr("CASE WHEN %[2]s OR ABS(%[1]s) >= CAST(4503599627370496 AS %[4]s) THEN %[1]s ELSE CAST(ROUND(CAST(%[3]s AS %[5]s), %[6]d) AS %[4]s) END",
				paren(x), c.D.use(c.D.Helpers.IsNaNOrInf(), x).SQL, text.SQL, c.D.TypeName(types.Float64T), dec, v.I), nil
		}
		return c.D.expr("CASE WHEN %[1]s IS NULL OR %[2]s IS NULL THEN NULL WHEN %[3]s OR ABS(%[1]s) >= CAST(4503599627370496 AS %[5]s) OR %[2]s >= 22 THEN %[1]s ELSE CAST(ROUND(CAST(%[4]s AS %[6]s), CAST(%[2]s AS INTEGER)) AS %[5]s) END",
			paren(x), paren(n), c.D.use(c.D.Helpers.IsNaNOrInf(), x).SQL, text.SQL, c.D.TypeName(types.Float64T), dec), nil
	}}
	for _, f := range []string{"floor", "ceil", "trunc"} {
		name := strings.ToUpper(f)
		if f == "ceil" {
			name = "CEILING"
		}
		t[f+"_int64"] = Template{SQL: "{0}"}
		t[f+"_float64"] = Template{SQL: name + "({0})"}
		t[f+"_decimal"] = Template{SQL: "CAST(" + name + "({0}) AS {type})"}
	}
	t["sqrt"] = Template{SQL: "CASE WHEN {0} < 0 THEN NULL ELSE SQRT({0}) END"}
	t["log"] = Template{SQL: "CASE WHEN {0} <= 0 THEN NULL ELSE LN({0}) END"}
	t["log10"] = Template{SQL: "CASE WHEN {0} <= 0 THEN NULL ELSE LOG10({0}) END"}
	t["exp"] = fn1("EXP")
	// clip: a null bound does not limit; the lower bound applies first.
	t["clip"] = Template{Fn: func(c *Call) (Expr, error) {
		x, lo, hi := paren(c.Args[0]), paren(c.Args[1]), paren(c.Args[2])
		low := fmt.Sprintf("CASE WHEN %[1]s < %[2]s THEN %[2]s ELSE %[1]s END", x, lo)
		if v := c.Consts[1]; v != nil && v.Null {
			low = x
		}
		if v := c.Consts[2]; v != nil && v.Null {
			return c.D.expr("%s", low), nil
		}
		return c.D.expr("CASE WHEN (%[1]s) > %[2]s THEN %[2]s ELSE %[1]s END", low, hi), nil
	}}
	t["sign"] = Template{SQL: "CAST(SIGN({0}) AS {type})"}
	// The sign of NaN is null: an int64 cannot say NaN.
	t["sign_float64"] = Template{Fn: func(c *Call) (Expr, error) {
		return c.D.expr("CASE WHEN %s THEN NULL ELSE CAST(SIGN(%s) AS %s) END", c.D.use(c.D.Helpers.IsNaN(), c.Args[0]).SQL, c.Args[0].SQL, c.ResultType()), nil
	}}

	// ---- Strings ----
	t["str_len"] = Template{SQL: "CAST(LENGTH({0}) AS {type})"}
	t["str_lower"] = fn1("LOWER")
	t["str_upper"] = fn1("UPPER")
	t["str_strip"] = Template{SQL: "TRIM(BOTH CHR(32) || CHR(9) || CHR(10) || CHR(13) FROM {0})"}
	t["str_contains"] = Template{SQL: "STRPOS({0}, {1}) > 0", Prec: precCmp}
	t["str_starts_with"] = Template{SQL: "STARTS_WITH({0}, {1})"}
	t["str_ends_with"] = Template{SQL: "RIGHT({0}, LENGTH({1})) = {1}", Prec: precCmp}
	t["str_replace"] = Template{SQL: "REPLACE({0}, {1}, {2})"}
	// LIKE's escape character differs by engine (Postgres: backslash; DuckDB and Snowflake:
	// none), so featc always names it.
	t["str_like"] = Template{Fn: func(c *Call) (Expr, error) {
		return Expr{SQL: paren(c.Args[0]) + " LIKE " + paren(c.Args[1]) + " ESCAPE " + c.D.String(`\`), Prec: precCmp, Size: 3}, nil
	}}
	t["str_slice"] = Template{Fn: strSlice}
	t["str_split_part"] = Template{Fn: func(c *Call) (Expr, error) {
		x, sep, n := paren(c.Args[0]), paren(c.Args[1]), paren(c.Args[2])
		return c.D.expr("CASE WHEN %[3]s < 1 THEN '' WHEN %[2]s = '' THEN CASE WHEN %[3]s = 1 THEN %[1]s ELSE '' END ELSE SPLIT_PART(%[1]s, %[2]s, CAST(%[3]s AS INTEGER)) END", x, sep, n), nil
	}}
	t["concat"] = Template{Fn: func(c *Call) (Expr, error) {
		parts := make([]string, len(c.Args))
		for i, a := range c.Args {
			parts[i] = a.SQL
			if a.Prec >= precAdd {
				parts[i] = "(" + a.SQL + ")"
			}
		}
		return Expr{SQL: strings.Join(parts, " || "), Prec: precAdd, Size: len(parts) + 1}, nil
	}}

	// ---- Dates and times ----
	for _, f := range []struct{ name, field string }{{"year", "YEAR"}, {"quarter", "QUARTER"}, {"month", "MONTH"},
		{"day", "DAY"}, {"day_of_year", "DOY"}, {"weekday", "ISODOW"}, {"week", "WEEK"}, {"hour", "HOUR"}, {"minute", "MINUTE"}} {
		t["dt."+f.name] = Template{SQL: "CAST(EXTRACT(" + f.field + " FROM {0}) AS {type})"}
	}
	t["dt.second"] = Template{SQL: "CAST(FLOOR(EXTRACT(SECOND FROM {0})) AS {type})"}
	t["dt.microsecond"] = Template{SQL: "CAST(EXTRACT(MICROSECONDS FROM {0}) AS {type}) % 1000000", Prec: precMul}
	t["dt.date"] = Template{Fn: func(c *Call) (Expr, error) { return c.D.castTo(c.Args[0], types.DateT), nil }}
	t["dt.truncate"] = Template{Fn: truncate}
	t["dt_offset_by_date_interval"] = t["add_date_interval"]
	t["dt_offset_by_date_duration"] = t["add_date_duration"]
	t["dt_offset_by_timestamp_interval"] = t["add_timestamp_interval"]
	t["dt_offset_by_timestamp_duration"] = t["add_timestamp_duration"]
	for name, unit := range map[string]int64{"days": types.Day, "hours": types.Hour, "minutes": types.Minute,
		"seconds": types.Second, "milliseconds": types.Millisecond} {
		unit := unit
		t["dt."+name] = Template{Fn: func(c *Call) (Expr, error) {
			return c.D.use(c.D.Helpers.IDiv(), c.Args[0], atom("CAST("+strconv.FormatInt(unit, 10)+" AS BIGINT)")), nil
		}}
	}
	t["dt.microseconds"] = Template{SQL: "{0}"}

	// ---- Aggregates ----
	t["count"] = fn1("COUNT")
	t["len"] = Template{SQL: "COUNT(*)"}
	// The sum of no values is 0, as in Polars.
	t["sum_int64"] = Template{SQL: "COALESCE(CAST(SUM({0}) AS {type}), CAST(0 AS {type}))"}
	t["sum_duration"] = Template{SQL: "COALESCE(CAST(SUM({0}) AS {type}), CAST(0 AS {type}))"}
	t["sum_decimal"] = Template{SQL: "COALESCE(CAST(SUM({0}) AS {type}), CAST(0 AS {type}))"}
	t["sum_float64"] = Template{SQL: "COALESCE(SUM({0}), CAST(0 AS {type}))"}
	t["mean"] = fn1("AVG")
	t["min"] = fn1("MIN")
	t["max"] = fn1("MAX")
	t["min_string"] = Template{Fn: func(c *Call) (Expr, error) { return c.D.expr("MIN(%s)", c.D.collate(c.Args[0])), nil }}
	t["max_string"] = Template{Fn: func(c *Call) (Expr, error) { return c.D.expr("MAX(%s)", c.D.collate(c.Args[0])), nil }}
	t["std"] = Template{Fn: func(c *Call) (Expr, error) { return deviation(c, "STDDEV") }}
	t["var"] = Template{Fn: func(c *Call) (Expr, error) { return deviation(c, "VAR") }}
	t["first"] = Template{Fn: func(c *Call) (Expr, error) { return c.use(c.D.Helpers.First(), firstArgs(c, false)...), nil }}
	t["last"] = Template{Fn: func(c *Call) (Expr, error) { return c.use(c.D.Helpers.First(), firstArgs(c, true)...), nil }}
	t["median"] = Template{SQL: "PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY {0})"}
	t["quantile"] = Template{Fn: quantile}
	// Null counts as one more distinct value, as in Polars. The range join passes whether each
	// of the frame's rows holds a null as a second argument (its other rows are null too).
	t["n_unique"] = Template{Fn: func(c *Call) (Expr, error) {
		if len(c.Args) == 2 {
			return c.Fill("CAST(COUNT(DISTINCT {0}){over} + COALESCE(MAX({1}){over}, 0) AS {type})", precAtom), nil
		}
		return c.Fill("CAST(COUNT(DISTINCT {0}){over} + COALESCE(MAX(CASE WHEN {0} IS NULL THEN 1 ELSE 0 END){over}, 0) AS {type})", precAtom), nil
	}}
	t["any"] = Template{SQL: "COALESCE(BOOL_OR({0}), FALSE)"}
	t["all"] = Template{SQL: "COALESCE(BOOL_AND({0}), TRUE)"}

	// ---- Casts (cast_FROM_TO; see docs/semantics.md) ----
	plain := Template{SQL: "CAST({0} AS {type})"}
	for _, from := range []string{"int32", "int64", "float64", "decimal", "string", "bool", "date", "timestamp"} {
		t["cast_"+from+"_string"] = plain
	}
	t["cast_int64_int32"] = plain
	t["cast_int32_int64"] = plain
	t["cast_int64_float64"] = plain
	t["cast_int32_float64"] = plain
	t["cast_int64_decimal"] = plain
	t["cast_int32_decimal"] = plain
	t["cast_int64_bool"] = Template{SQL: "{0} <> 0", Prec: precCmp}
	t["cast_int32_bool"] = Template{SQL: "{0} <> 0", Prec: precCmp}
	t["cast_int64_duration"] = Template{SQL: "{0}"}
	t["cast_int32_duration"] = Template{SQL: "CAST({0} AS BIGINT)"}
	t["cast_duration_int64"] = Template{SQL: "{0}"}
	// Floats truncate toward zero; NaN, infinities and out-of-range values fail in the cast.
	t["cast_float64_int64"] = Template{SQL: "CAST(TRUNC({0}) AS {type})"}
	t["cast_float64_int32"] = Template{SQL: "CAST(TRUNC({0}) AS {type})"}
	t["cast_float64_decimal"] = plain
	t["cast_decimal_float64"] = plain
	t["cast_decimal_int64"] = Template{SQL: "CAST(TRUNC({0}) AS {type})"}
	t["cast_decimal_int32"] = Template{SQL: "CAST(TRUNC({0}) AS {type})"}
	t["cast_decimal_decimal"] = plain
	t["cast_string_int64"] = Template{SQL: "CAST(TRIM({0}) AS {type})"}
	t["cast_string_int32"] = Template{SQL: "CAST(TRIM({0}) AS {type})"}
	t["cast_string_float64"] = plain
	t["cast_string_decimal"] = plain
	t["cast_string_date"] = Template{Fn: castTextDate}
	t["cast_string_timestamp"] = Template{Fn: castTextTimestamp}
	t["cast_string_bool"] = plain
	t["cast_bool_int64"] = Template{SQL: "CASE WHEN {0} THEN CAST(1 AS BIGINT) WHEN NOT {0} THEN CAST(0 AS BIGINT) END"}
	t["cast_date_timestamp"] = plain
	t["cast_timestamp_date"] = plain
	t["cast_null_any"] = plain
}

// The shapes of text read as a date or a timestamp (docs/semantics.md, "Text as dates and
// times"; the evaluator's parseDay and parseTS): every engine's own parser is looser (DuckDB and
// Postgres take 2020-1-1, 24:00:00, a date alone as a timestamp, and drop or ignore an offset),
// so the cast runs only on text of this shape, and other text fails as it does on the
// evaluator. The patterns hold no backslash, so they read the same whether string literals take
// backslash escapes (Snowflake) or not.
const (
	reYear        = "([0-9]{3}[1-9]|[0-9]{2}[1-9][0-9]|[0-9][1-9][0-9]{2}|[1-9][0-9]{3})"
	reDate        = reYear + "-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
	reClock       = "[T ]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]([.][0-9]{1,6})?"
	reOffset      = "(Z|[+-](0[0-9]|1[0-4]):[0-5][0-9])"
	dateText      = "^ *" + reDate + " *$"
	timestampText = "^ *" + reDate + reClock + " *$"
	zonedText     = "^ *" + reDate + reClock + reOffset + " *$"
)

// castTextDate writes string → date: text of the date shape is cast (the engine rejects a day
// the month lacks, as the evaluator does), other text fails by casting a message that names it.
func castTextDate(c *Call) (Expr, error) {
	x, typ := c.Args[0], c.D.TypeName(c.Result)
	return c.D.expr("CASE WHEN %s THEN CAST(TRIM(%s) AS %s) ELSE CAST('cannot cast to date: ' || %s AS %s) END",
		c.D.use(c.D.Helpers.Matches(), x, atom(c.D.String(dateText))).SQL, x.SQL, typ, paren(x), typ), nil
}

// castTextTimestamp writes string → timestamp: text without an offset is cast as it is; text
// with one is moved to UTC (@ts_text_utc) and must still lie in featc's range (0001 to 9999),
// which an offset can leave; other text fails.
func castTextTimestamp(c *Call) (Expr, error) {
	x, typ := c.Args[0], c.D.TypeName(c.Result)
	utc := c.D.use(c.D.Helpers.TsTextUTC(), x)
	return c.D.expr("CASE WHEN %[1]s THEN CAST(TRIM(%[3]s) AS %[4]s) "+
		"WHEN %[2]s AND %[5]s BETWEEN CAST('0001-01-01 00:00:00' AS %[4]s) AND CAST('9999-12-31 23:59:59.999999' AS %[4]s) THEN %[6]s "+
		"ELSE CAST('cannot cast to timestamp: ' || %[7]s AS %[4]s) END",
		c.D.use(c.D.Helpers.Matches(), x, atom(c.D.String(timestampText))).SQL, c.D.use(c.D.Helpers.Matches(), x, atom(c.D.String(zonedText))).SQL,
		x.SQL, typ, paren(utc), utc.SQL, paren(x)), nil
}

// negate writes -x.
func negate(x Expr) Expr { return Expr{SQL: "-" + paren(x), Prec: precUnary, Size: x.Size + 1} }

// expr formats a written expression (an atom unless withPrec says otherwise).
func (d *Dialect) expr(format string, args ...any) Expr {
	return Expr{SQL: fmt.Sprintf(format, args...), Prec: precAtom, Size: 1}
}

func (e Expr) withPrec(p int) Expr { e.Prec = p; return e }

// castTo writes CAST(x AS t).
func (d *Dialect) castTo(x Expr, t types.Type) Expr {
	return Expr{SQL: "CAST(" + x.SQL + " AS " + d.TypeName(t) + ")", Size: x.Size + 1}
}

// collate writes a string operand so that it compares by bytes.
func (d *Dialect) collate(x Expr) string {
	if d.Collate == "" {
		return paren(x)
	}
	return paren(x) + " " + d.Collate
}

// deviation writes std or var with the sample or population form, or the general ddof formula.
func deviation(c *Call, base string) (Expr, error) {
	ddof, err := c.Const(1)
	if err != nil {
		return Expr{}, err
	}
	x := c.Args[0].SQL
	switch ddof.I {
	case 1:
		return c.D.deviation(base+"_SAMP", x, ""), nil
	case 0:
		return c.D.deviation(base+"_POP", x, ""), nil
	}
	// var with ddof d: population variance · n / (n − d), null with n ≤ d.
	v := fmt.Sprintf("CASE WHEN COUNT(%[1]s) <= %[2]d THEN NULL ELSE VAR_POP(%[1]s) * COUNT(%[1]s) / (COUNT(%[1]s) - %[2]d) END", x, ddof.I)
	if base == "STDDEV" {
		return c.D.expr("SQRT(%s)", v), nil
	}
	return c.D.expr("%s", v), nil
}

// quantile writes x.quantile(q, interpolation): linear as PERCENTILE_CONT; the others pick
// elements of the sorted non-null values at h = q·(n − 1), computed in float64 as the evaluator
// does (docs/semantics.md).
func quantile(c *Call) (Expr, error) {
	interp, err := c.Const(2)
	if err != nil {
		return Expr{}, err
	}
	if _, err := c.Const(1); err != nil {
		return Expr{}, err
	}
	x, q := c.Args[0], c.Args[1]
	if interp.S == "linear" {
		return c.D.expr("PERCENTILE_CONT(%s) WITHIN GROUP (ORDER BY %s)%s", q.SQL, x.SQL, c.Over), nil
	}
	h := fmt.Sprintf("%s * (COUNT(%s)%s - 1)", paren(q), x.SQL, c.Over)
	at := func(index string) string {
		return c.use(c.D.Helpers.NthSorted(), x, atom("CAST("+index+" AS INTEGER)")).SQL
	}
	lo, hi := at("FLOOR("+h+")"), at("CEILING("+h+")")
	switch interp.S {
	case "lower":
		return c.D.expr("%s", lo), nil
	case "higher":
		return c.D.expr("%s", hi), nil
	case "nearest":
		return c.D.expr("%s", at(c.D.use(c.D.Helpers.RoundEven(), atom(h)).SQL)), nil
	case "midpoint":
		return c.D.expr("(%s + %s) / 2", lo, hi).withPrec(precMul), nil
	}
	return Expr{}, fmt.Errorf("unknown interpolation %q", interp.S)
}

// strSlice writes str.slice(offset, length): 0-based, a negative offset counts from the end,
// positions clamped to the string, a negative length gives "".
func strSlice(c *Call) (Expr, error) {
	if e, ok := strSliceConst(c); ok {
		return e, nil
	}
	// Positions are computed in 38-digit decimals: offsets and lengths near the int64 limits
	// must not overflow where the evaluator's arithmetic does not.
	dec := c.D.TypeName(types.DecimalType(38, 0))
	x := paren(c.Args[0])
	off := "CAST(" + c.Args[1].SQL + " AS " + dec + ")"
	l := "CAST(" + c.Args[2].SQL + " AS " + dec + ")"
	n := "CAST(LENGTH(" + c.Args[0].SQL + ") AS " + dec + ")"
	start := fmt.Sprintf("CASE WHEN %[1]s < 0 THEN %[1]s + %[2]s ELSE %[1]s END", off, n)
	from := fmt.Sprintf("CASE WHEN (%[1]s) < 0 THEN 0 ELSE (%[1]s) END", start)
	to := n
	if v := c.Consts[2]; v == nil || !v.Null {
		to = fmt.Sprintf("CASE WHEN %[3]s IS NULL OR (%[1]s) + %[3]s > %[2]s THEN %[2]s ELSE (%[1]s) + %[3]s END", start, n, l)
	}
	// SUBSTRING takes 32-bit integers. The positions are clamped before the cast, although a
	// branch that needs clamping is never taken: Postgres folds constant subexpressions when it
	// plans, in branches not taken too, and would fail on the cast of a constant offset near
	// the int64 limit. No string is longer than 2³¹ − 1 characters, so clamping changes nothing.
	clamp := func(e string) string {
		return fmt.Sprintf("CAST(CASE WHEN %[1]s > 2147483647 THEN 2147483647 ELSE %[1]s END AS INTEGER)", e)
	}
	return c.D.expr("CASE WHEN %[4]s IS NULL OR %[5]s IS NULL THEN NULL WHEN COALESCE(%[1]s, 0) < 0 OR (%[3]s) <= (%[2]s) THEN '' ELSE SUBSTRING(%[4]s, %[6]s, %[7]s) END",
		l, from, to, x, paren(c.Args[1]), clamp("("+from+") + 1"), clamp("("+to+") - ("+from+")")), nil
}

// strSliceConst writes str.slice with a constant offset and a constant length (or none) as a
// plain SUBSTRING (or RIGHT, for an offset from the end): the common case (x.str.slice(0, 3)),
// readable. Positions past the
// end give the empty string on every engine.
func strSliceConst(c *Call) (Expr, bool) {
	off, l := c.Consts[1], c.Consts[2]
	const maxInt32 = 1<<31 - 1
	if off == nil || off.Null || off.I <= -maxInt32 || l == nil || (!l.Null && l.I < 0) {
		return Expr{}, false
	}
	x := c.Args[0].SQL
	if off.I >= maxInt32 || (!l.Null && l.I == 0) {
		return c.D.expr("CASE WHEN %s IS NULL THEN NULL ELSE '' END", x), true
	}
	if off.I < 0 {
		if !l.Null {
			// The length counts from the offset before it is clamped to the start
			// ("a".str.slice(-2, 1) is ""), which needs the string's length: the general form.
			return Expr{}, false
		}
		// The last -off characters (all of a shorter string).
		return c.D.expr("RIGHT(%s, %d)", x, -off.I), true
	}
	if l.Null {
		return c.D.expr("SUBSTRING(%s, %d)", x, off.I+1), true
	}
	return c.D.expr("SUBSTRING(%s, %d, %d)", x, off.I+1, min(l.I, maxInt32)), true
}

// nullSafe writes x for a comparison that must be false, not null, when x is null.
func nullSafe(x string) string { return "COALESCE(" + x + ", 0)" }

// truncate writes dt.truncate(every): calendar months aligned to the year, fixed periods
// aligned to the epoch (whole weeks to Monday 1970-01-05).
func truncate(c *Call) (Expr, error) {
	every, err := c.Const(1)
	if err != nil {
		return Expr{}, err
	}
	d, x := c.D, c.Args[0]
	isDate := c.Types[0].Kind == types.Date
	if every.Type.Kind == types.Interval {
		date := x
		if !isDate {
			date = d.castTo(x, types.DateT)
		}
		var out Expr
		switch every.I {
		case 1, 3, 12:
			unit := map[int64]string{1: "month", 3: "quarter", 12: "year"}[every.I]
			out = d.castTo(d.use(d.Helpers.DateTrunc(), atom("'"+unit+"'"), d.castTo(date, types.TimestampT)), types.DateT)
		default:
			months := fmt.Sprintf("CAST(EXTRACT(YEAR FROM %[1]s) AS BIGINT) * 12 + CAST(EXTRACT(MONTH FROM %[1]s) AS BIGINT) - 1", paren(date))
			start := fmt.Sprintf("(%[1]s) - (%[1]s) %% %[2]d", months, every.I)
			out = d.use(d.Helpers.MakeDate(), d.use(d.Helpers.IDiv(), atom("("+start+")"), atom("12")), atom("("+start+") % 12 + 1"))
		}
		if isDate {
			return out, nil
		}
		return d.castTo(out, types.TimestampT), nil
	}
	origin := int64(0)
	if every.I%types.Week == 0 {
		origin = 4 * types.Day
	}
	ts := x
	if isDate {
		ts = d.castTo(x, types.TimestampT)
	}
	us := fmt.Sprintf("%s - %d", paren(d.use(d.Helpers.EpochUS(), ts)), origin)
	q := d.use(d.Helpers.IDiv(), atom("("+us+")"), atom(strconv.FormatInt(every.I, 10)))
	floorQ := fmt.Sprintf("%s - CASE WHEN (%s) %% %d < 0 THEN 1 ELSE 0 END", paren(q), us, every.I)
	start := Expr{SQL: fmt.Sprintf("(%s) * %d + %d", floorQ, every.I, origin), Prec: precAdd, Size: 1}
	out := d.use(d.Helpers.FromEpochUS(), start)
	if isDate {
		return d.castTo(out, types.DateT), nil
	}
	return out, nil
}

// firstArgs prepares first and last for the dialect's @first helper, which takes the value
// and an ORDER BY list and a FILTER condition written out, and the result's SQL type: first is the smallest non-null value
// among the rows first in the order (last: the largest among the rows last in it), skipping
// rows with a null order key (docs/semantics.md).
func firstArgs(c *Call, last bool) []Expr {
	var order, filter []string
	for _, k := range c.Order {
		desc := k.Descending != last
		item := paren(k.Expr)
		if k.IsString {
			item = c.D.collate(k.Expr)
		}
		if desc {
			item += " DESC"
		}
		order = append(order, item)
		filter = append(filter, paren(k.Expr)+" IS NOT NULL")
	}
	x := paren(c.Args[0])
	if c.Types[0].Kind == types.String {
		x = c.D.collate(c.Args[0])
	}
	if last {
		x += " DESC"
	}
	order = append(order, x+" NULLS LAST")
	return []Expr{c.Args[0], atom(strings.Join(order, ", ")), atom(strings.Join(filter, " AND ")), atom(c.D.TypeName(c.Result))}
}

// deviation writes a variance or standard deviation aggregate (over a window when over is
// set). Where the engine refuses non-finite results (DuckDB raises an error), a group holding
// an infinity or NaN gives NaN, as IEEE arithmetic (and the evaluator) does.
func (d *Dialect) deviation(fn, x, over string) Expr {
	if t, ok := d.Helpers.NonFinite(); ok {
		ddof := "1"
		if strings.HasSuffix(fn, "_POP") {
			ddof = "0"
		}
		return fill(d, t.SQL, t.Prec, []Expr{atom(x), atom(fn), atom(over), atom(ddof)}, nil, types.Type{})
	}
	return d.expr("%s(%s)%s", fn, x, over)
}

// Refusal returns why the dialect refuses an overload (by its ID), or nil when it writes it:
// the reason a compile-time refusal prints, which tests compare refusals against.
func Refusal(d *Dialect, id string) *Unsupported {
	for _, table := range []map[string]Template{d.Funcs, shared} {
		if t, ok := table[id]; ok {
			return t.Unsupported
		}
	}
	return nil
}
