package sqlgen

import (
	"fmt"
	"strings"

	"github.com/featc/featc/types"
)

// stringSQL writes the string functions (stdlib/string.go). Lengths and positions count
// characters (code points) on every engine.
var stringSQL = Table{
	"str_len": {SQL: "CAST(LENGTH({0}) AS {type})"},
	// OCTET_LENGTH counts the bytes of the text's encoding (Snowflake's is UTF-8).
	"str_len_bytes":     {SQL: "CAST(OCTET_LENGTH({0}) AS {type})"},
	"str_lower":         fn1("LOWER"),
	"str_head":          strTake("LEFT"),
	"str_tail":          strTake("RIGHT"),
	"str_upper":         fn1("UPPER"),
	"str_strip":         {SQL: "TRIM(BOTH CHR(32) || CHR(9) || CHR(10) || CHR(13) FROM {0})"},
	"str_contains":      {Fn: RegexContains("STRPOS({0}, {1}) > 0", PrecCmp)},
	"str_count_matches": {Fn: countMatches},
	"str_extract":       {Fn: extract},
	// LTRIM and RTRIM with a set of characters are common to every engine (TRIM's forms are not).
	"str_strip_chars":       {Fn: stripChars("LTRIM(RTRIM(%[1]s, %[2]s), %[2]s)")},
	"str_strip_chars_start": {Fn: stripChars("LTRIM(%[1]s, %[2]s)")},
	"str_strip_chars_end":   {Fn: stripChars("RTRIM(%[1]s, %[2]s)")},
	// Polars never truncates; LPAD and RPAD cut a longer string to the length.
	"str_pad_start": {SQL: "CASE WHEN LENGTH({0}) >= {1} THEN {0} ELSE LPAD({0}, CAST({1} AS INTEGER), {2}) END", Twice: true},
	"str_pad_end":   {SQL: "CASE WHEN LENGTH({0}) >= {1} THEN {0} ELSE RPAD({0}, CAST({1} AS INTEGER), {2}) END", Twice: true},
	"str_zfill": {SQL: "CASE WHEN LENGTH({0}) >= {1} THEN {0} WHEN LEFT({0}, 1) IN ('-', '+') THEN LEFT({0}, 1) || LPAD(SUBSTRING({0}, 2), CAST({1} - 1 AS INTEGER), '0') " +
		"ELSE LPAD({0}, CAST({1} AS INTEGER), '0') END", Twice: true},
	"str_reverse":     fn1("REVERSE"),
	"str_starts_with": {SQL: "STARTS_WITH({0}, {1})"},
	"str_ends_with":   {SQL: "RIGHT({0}, LENGTH({1})) = {1}", Prec: PrecCmp},
	"str_replace":     {Fn: regexReplace(3, replaceN)},
	"str_replace_all": {Fn: regexReplace(0, func(c *Call) (Expr, error) { return c.Fill("REPLACE({0}, {1}, {2})", PrecAtom), nil })},
	// LIKE's escape character differs by engine (Postgres: backslash; DuckDB and Snowflake:
	// none), so featc always names it.
	"str_like": {Fn: func(c *Call) (Expr, error) {
		return Expr{SQL: Paren(c.Args[0]) + " LIKE " + Paren(c.Args[1]) + " ESCAPE " + c.D.String(`\`), Prec: PrecCmp, Size: 3}, nil
	}},
	"str_slice": {Fn: strSlice},
	"str_split_part": {Fn: func(c *Call) (Expr, error) {
		x, sep, n := Paren(c.Args[0]), Paren(c.Args[1]), Paren(c.Args[2])
		return c.D.Expr("CASE WHEN %[3]s < 1 THEN '' WHEN %[2]s = '' THEN CASE WHEN %[3]s = 1 THEN %[1]s ELSE '' END ELSE SPLIT_PART(%[1]s, %[2]s, CAST(%[3]s AS INTEGER)) END", x, sep, n), nil
	}},
	"concat": {Fn: concat},
}

// concat writes concat_str: the strings joined by ||, which is null when any is.
func concat(c *Call) (Expr, error) {
	parts := make([]string, len(c.Args))
	for i, a := range c.Args {
		parts[i] = a.SQL
		if a.Prec >= PrecAdd {
			parts[i] = "(" + a.SQL + ")"
		}
	}
	return Expr{SQL: strings.Join(parts, " || "), Prec: PrecAdd, Size: len(parts) + 1}, nil
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
	x := Paren(c.Args[0])
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
	return c.D.Expr("CASE WHEN %[4]s IS NULL OR %[5]s IS NULL THEN NULL WHEN COALESCE(%[1]s, 0) < 0 OR (%[3]s) <= (%[2]s) THEN '' ELSE SUBSTRING(%[4]s, %[6]s, %[7]s) END",
		l, from, to, x, Paren(c.Args[1]), clamp("("+from+") + 1"), clamp("("+to+") - ("+from+")")), nil
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
		return c.D.Expr("CASE WHEN %s IS NULL THEN NULL ELSE '' END", x), true
	}
	if off.I < 0 {
		if !l.Null {
			// The length counts from the offset before it is clamped to the start
			// ("a".str.slice(-2, 1) is ""), which needs the string's length: the general form.
			return Expr{}, false
		}
		// The last -off characters (all of a shorter string).
		return c.D.Expr("RIGHT(%s, %d)", x, -off.I), true
	}
	if l.Null {
		return c.D.Expr("SUBSTRING(%s, %d)", x, off.I+1), true
	}
	return c.D.Expr("SUBSTRING(%s, %d, %d)", x, off.I+1, min(l.I, maxInt32)), true
}

// strTake writes str.head (LEFT) and str.tail (RIGHT) with Polars' meaning on every engine: a
// negative n keeps all but |n| characters, which Snowflake's LEFT and RIGHT do not (they give
// ""). The count kept is computed in [0, LENGTH] from n clamped to ±(2³¹−1) first, so that no
// branch can overflow or fail the INTEGER cast Postgres' LEFT and RIGHT need, even on an
// engine that computes branches a row does not take; a null n keeps null.
func strTake(fn string) Template {
	n := "CASE WHEN {1} > 2147483647 THEN 2147483647 WHEN {1} < -2147483647 THEN -2147483647 ELSE {1} END"
	l := "LENGTH({0})"
	keep := "CASE WHEN {1} IS NULL THEN NULL WHEN " + n + " >= 0 THEN CASE WHEN " + n + " < " + l + " THEN " + n + " ELSE " + l + " END " +
		"WHEN " + l + " + " + n + " > 0 THEN " + l + " + " + n + " ELSE 0 END"
	return Template{Twice: true, SQL: fn + "({0}, CAST(" + keep + " AS INTEGER))"}
}

// stripChars writes str.strip_chars and its one-ended forms from a template of the string and
// the set; a null set stands for whitespace, as in str.strip.
func stripChars(format string) func(c *Call) (Expr, error) {
	return func(c *Call) (Expr, error) {
		set := c.Args[1].SQL
		if v := c.Consts[1]; v == nil || v.Null {
			set = "CHR(32) || CHR(9) || CHR(10) || CHR(13)"
		}
		return c.D.Expr(format, c.Args[0].SQL, set), nil
	}
}

// replaceN writes str.replace: REPLACE for every occurrence; for the first (n = 1), the text
// before the first occurrence (found by the dialect's position helper, in characters), new, and
// the rest.
func replaceN(c *Call) (Expr, error) {
	if v := c.Consts[3]; v == nil || v.Null || v.I != 1 {
		return c.Fill("REPLACE({0}, {1}, {2})", PrecAtom), nil
	}
	x, old, nw := Paren(c.Args[0]), Paren(c.Args[1]), Paren(c.Args[2])
	pos := c.D.use(c.D.Helpers.Position(), c.Args[1], c.Args[0]).SQL
	return c.D.Expr("CASE WHEN %[2]s = '' OR %[4]s = 0 THEN REPLACE(%[1]s, %[2]s, %[2]s) || CASE WHEN %[3]s IS NULL THEN NULL ELSE '' END "+
		"ELSE SUBSTRING(%[1]s, 1, %[4]s - 1) || %[3]s || SUBSTRING(%[1]s, %[4]s + LENGTH(%[2]s)) END", x, old, nw, pos), nil
}
