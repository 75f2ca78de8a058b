package postgres

import (
	"github.com/featc/featc/stdlib"
	"strconv"

	"github.com/featc/featc/backends/sqlgen"
	"github.com/featc/featc/types"
)

// Dialect is the SQL of PostgreSQL 12 and later (https://www.postgresql.org/docs/current/).
var Dialect = &sqlgen.Dialect{
	Name: "postgres",
	Types: map[types.Kind]string{types.Bool: "BOOLEAN", types.Int32: "INTEGER", types.Int64: "BIGINT",
		types.Float64: "DOUBLE PRECISION", types.String: "TEXT", types.Date: "DATE", types.Timestamp: "TIMESTAMP",
		types.Duration: "BIGINT"},
	Decimal:            "NUMERIC(%d, %d)",
	EscapeStringPrefix: "E",
	// Longer identifiers are truncated to NAMEDATALEN-1 bytes, with a notice only.
	MaxIdentBytes: 63,
	MaxIdentDocs:  "https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-IDENTIFIERS",
	Placeholder:   func(n int) string { return "$" + strconv.Itoa(n) },
	// Comparisons follow the column's collation, which is the database's locale unless told
	// otherwise; "C" compares bytes (https://www.postgresql.org/docs/current/collation.html).
	Collate:   `COLLATE "C"`,
	Session:   []string{"SET TIME ZONE 'UTC'"},
	UseSchema: "SET search_path TO %s",
	// pg_temp is "the current session's temporary-table schema"
	// (https://www.postgresql.org/docs/current/runtime-config-client.html#GUC-SEARCH-PATH).
	TempSchema: "pg_temp",
	// Correlated subqueries over an unindexed source rescan it for every spine row: the range
	// join computed the example's 20 features for 2,000 observations over 90,000 events in
	// 1.6 s where correlated subqueries took 102 s.
	Caps: sqlgen.Caps{AsOf: sqlgen.AsOfLateral, Lateral: true, FilterClause: true, EntityJoin: sqlgen.JoinPreferred,
		// "overflow" and "underflow" errors of float8 arithmetic
		// (https://www.postgresql.org/docs/current/datatype-numeric.html#DATATYPE-FLOAT).
		FloatOverflowErrors: true,
		MaxColumns:          1664, MaxColumnsDocs: "https://www.postgresql.org/docs/current/limits.html",
		// The parser's stack holds 10,000 entries (bison's YYMAXDEPTH: "memory exhausted" at
		// ~2,000 nested CASEs) and max_stack_depth (2 MB by default, settable by superusers
		// only) ends the analysis of ~4,000 nested operators.
		MaxExprDepth: 1000, MaxExprDepthDocs: "https://www.postgresql.org/docs/current/runtime-config-resource.html#GUC-MAX-STACK-DEPTH",
		// The planner pulls simple subqueries up into the query reading them, substituting
		// their expressions, which would make the stages of a deep expression one expression
		// again (a 10,000-term sum in stages: "stack depth limit exceeded"); a subquery with
		// LIMIT or OFFSET is not pulled up (is_simple_subquery in
		// src/backend/optimizer/prep/prepjointree.c), and OFFSET 0 changes no result.
		Fence: "OFFSET 0",
		// WITH … AS MATERIALIZED computes a CTE once rather than inlining it
		// (https://www.postgresql.org/docs/current/queries-with.html#QUERIES-WITH-CTE-MATERIALIZATION).
		CTEFence: "MATERIALIZED"},
	Helpers: helpers{},
	Funcs: map[string]sqlgen.Template{
		"min_bool":      {SQL: "BOOL_AND({0}){over}", Windowed: true},
		"forward_fill":  {Note: "FIRST_VALUE and LAST_VALUE take no IGNORE NULLS: the non-null values of the frame are gathered into an array, of which the last (first) is read.", Doc: "https://www.postgresql.org/docs/current/functions-window.html", Window: pgFill(true)},
		"backward_fill": {Note: "As forward_fill, from the row on.", Doc: "https://www.postgresql.org/docs/current/functions-window.html", Window: pgFill(false)},
		"str_len_bytes": {Note: "OCTET_LENGTH counts bytes in the database's encoding, which need not be UTF-8; CONVERT_TO gives the UTF-8 bytes.", Doc: "https://www.postgresql.org/docs/current/functions-binarystring.html", SQL: "CAST(OCTET_LENGTH(CONVERT_TO({0}, 'UTF8')) AS {type})"},
		"max_bool":      {SQL: "BOOL_OR({0}){over}", Windowed: true},
		"cast_float64_string": {Note: "float8 text is the shortest digits, but integral values lack featc's \".0\" and exponents start at 1e15, not 1e16.", Doc: "https://www.postgresql.org/docs/current/datatype-numeric.html#DATATYPE-FLOAT", Fn: func(c *sqlgen.Call) (sqlgen.Expr, error) {
			x := sqlgen.Paren(c.Args[0])
			t := "CAST(" + c.Args[0].SQL + " AS TEXT)"
			fixed := "CASE WHEN ABS(" + x + ") >= 1e15 AND ABS(" + x + ") < 1e16 THEN CAST(CAST(" + t + " AS NUMERIC) AS TEXT) ELSE " + t + " END"
			return c.D.Expr("CASE WHEN %[1]s IS NULL THEN NULL WHEN STRPOS(%[2]s, '.') > 0 OR STRPOS(%[2]s, 'e') > 0 OR STRPOS(%[2]s, 'N') > 0 OR STRPOS(%[2]s, 'n') > 0 THEN %[2]s ELSE %[2]s || '.0' END", x, "("+fixed+")"), nil
		}},
		"pow_float64": {Note: "POWER raises errors where IEEE 754 (and featc) gives infinity or NaN. (-∞)^y is ±∞^y, negative for odd integers y, where Postgres raises an error.", Doc: "https://www.postgresql.org/docs/current/functions-math.html", SQL: "CASE WHEN {0} = 0 AND {1} < 0 THEN CAST('Infinity' AS DOUBLE PRECISION) " +
			"WHEN {0} = CAST('-Infinity' AS DOUBLE PRECISION) THEN CASE WHEN {1} = FLOOR({1}) AND {1} <> 2 * FLOOR({1} / 2) THEN -POWER(CAST('Infinity' AS DOUBLE PRECISION), {1}) ELSE POWER(CAST('Infinity' AS DOUBLE PRECISION), {1}) END " +
			"WHEN {0} < 0 AND {1} <> FLOOR({1}) THEN CAST('NaN' AS DOUBLE PRECISION) ELSE POWER({0}, {1}) END"},
	},
}

// helpers are Postgres's helpers (Helpers).
type helpers struct{}

func (helpers) IDiv() sqlgen.Template {
	return sqlgen.Template{Note: "Integer division truncates toward zero.", Doc: "https://www.postgresql.org/docs/current/functions-math.html", SQL: "{0} / {1}", Prec: sqlgen.PrecMul}
}

func (helpers) EpochUS() sqlgen.Template {
	return sqlgen.Template{SQL: "CAST(EXTRACT(EPOCH FROM {0}) * 1000000 AS BIGINT)"}
}

func (helpers) FromEpochUS() sqlgen.Template {
	return sqlgen.Template{SQL: "TIMESTAMP '1970-01-01 00:00:00' + {0} * INTERVAL '1 microsecond'", Prec: sqlgen.PrecAdd}
}

func (helpers) TsAddUS() sqlgen.Template {
	return sqlgen.Template{SQL: "{0} + {1} * INTERVAL '1 microsecond'", Prec: sqlgen.PrecAdd}
}

func (helpers) DateAddMonths() sqlgen.Template {
	return sqlgen.Template{Note: "Adding months clamps to the month's last day.", Doc: "https://www.postgresql.org/docs/current/functions-datetime.html", SQL: "CAST({0} + {1} * INTERVAL '1 month' AS DATE)"}
}

func (helpers) TsAddMonths() sqlgen.Template {
	return sqlgen.Template{SQL: "{0} + {1} * INTERVAL '1 month'", Prec: sqlgen.PrecAdd}
}

func (helpers) DateDiffDays() sqlgen.Template {
	return sqlgen.Template{SQL: "CAST({0} - {1} AS BIGINT)"}
}

func (helpers) IsNaN() sqlgen.Template {
	return sqlgen.Template{SQL: "{0} = CAST('NaN' AS DOUBLE PRECISION)", Prec: sqlgen.PrecCmp}
}

func (helpers) IsNaNOrInf() sqlgen.Template {
	return sqlgen.Template{SQL: "{0} IN (CAST('NaN' AS DOUBLE PRECISION), CAST('Infinity' AS DOUBLE PRECISION), CAST('-Infinity' AS DOUBLE PRECISION))", Prec: sqlgen.PrecCmp}
}

func (helpers) DateTrunc() sqlgen.Template {
	return sqlgen.Template{Note: "DATE_TRUNC('week', …) starts weeks on Monday, as featc's do.", Doc: "https://www.postgresql.org/docs/current/functions-datetime.html#FUNCTIONS-DATETIME-TRUNC", SQL: "DATE_TRUNC({0}, {1})"}
}

func (helpers) MakeDate() sqlgen.Template {
	return sqlgen.Template{SQL: "MAKE_DATE(CAST({0} AS INTEGER), CAST({1} AS INTEGER), 1)"}
}

func (helpers) First() sqlgen.Template {
	return sqlgen.Template{Note: "No first() aggregate: the first element of an ordered array (which keeps nulls).", SQL: "(ARRAY_AGG({0} ORDER BY {1}) FILTER (WHERE {2}))[1]"}
}

func (helpers) NthSorted() sqlgen.Template {
	return sqlgen.Template{Note: "Arrays are 1-based; an index out of range is null.", SQL: "(ARRAY_AGG({0} ORDER BY {0}) FILTER (WHERE {0} IS NOT NULL))[{1} + 1]"}
}

func (helpers) RoundEven() sqlgen.Template {
	return sqlgen.Template{Note: "ROUND of a float8 rounds half to even.", Doc: "https://www.postgresql.org/docs/current/functions-math.html", SQL: "ROUND({0})"}
}

func (helpers) Position() sqlgen.Template {
	return sqlgen.Template{SQL: "STRPOS({1}, {0})"}
}

func (helpers) Matches() sqlgen.Template {
	return sqlgen.Template{Note: "~ is a POSIX regular expression match, anchored here by ^ and $.", Doc: "https://www.postgresql.org/docs/current/functions-matching.html#FUNCTIONS-POSIX-REGEXP", SQL: "{0} ~ {1}", Prec: sqlgen.PrecCmp}
}

func (helpers) TsTextUTC() sqlgen.Template {
	return sqlgen.Template{Note: "A TIMESTAMP cast ignores a UTC offset; through TIMESTAMPTZ it is applied, and AT TIME ZONE 'UTC' gives the UTC wall time.", Doc: "https://www.postgresql.org/docs/current/datatype-datetime.html#DATATYPE-TIMEZONES", SQL: "CAST(TRIM({0}) AS TIMESTAMPTZ) AT TIME ZONE 'UTC'", Prec: sqlgen.PrecCmp}
}

func (helpers) NonFinite() (sqlgen.Template, bool) { return sqlgen.Template{}, false }

// pgFill writes forward_fill (forward) and backward_fill: the non-null values of the frame up to
// (from) the row, as an array, and its last (first) element.
func pgFill(forward bool) func(w *sqlgen.WindowCall) (sqlgen.Expr, error) {
	return func(w *sqlgen.WindowCall) (sqlgen.Expr, error) {
		x := sqlgen.Paren(w.Args[0])
		over := w.Over(w.Partition, w.Ordered(), w.FillFrameOf(forward))
		at := "1"
		if forward {
			at = "COUNT(" + x + ")" + over
		}
		return w.D.Expr("(ARRAY_AGG(%[1]s) FILTER (WHERE %[1]s IS NOT NULL)%[2]s)[%[3]s]", x, over, at), nil
	}
}

func (helpers) RegexFlavor() stdlib.RegexFlavor { return stdlib.ARE }

func (helpers) RegexSearch() sqlgen.Template {
	return sqlgen.Template{Note: "~ searches with a POSIX advanced regular expression.", Doc: "https://www.postgresql.org/docs/current/functions-matching.html#FUNCTIONS-POSIX-REGEXP", SQL: "{0} ~ {1}", Prec: sqlgen.PrecCmp}
}

func (helpers) RegexCount() sqlgen.Template {
	return sqlgen.Template{Note: "regexp_count counts non-overlapping matches (Postgres 15 and later).", Doc: "https://www.postgresql.org/docs/current/functions-matching.html#FUNCTIONS-POSIX-REGEXP", SQL: "CAST(regexp_count({0}, {1}) AS BIGINT)"}
}

func (helpers) RegexExtract() sqlgen.Template {
	return sqlgen.Template{Note: "regexp_match returns the groups of the first match as an array, null where nothing matches.", Doc: "https://www.postgresql.org/docs/current/functions-matching.html#FUNCTIONS-POSIX-REGEXP", SQL: "(regexp_match({0}, {1}))[{2}]"}
}

func (helpers) RegexReplaceFirst() sqlgen.Template {
	return sqlgen.Template{Note: "regexp_replace replaces the first match unless given the g flag.", Doc: "https://www.postgresql.org/docs/current/functions-matching.html#FUNCTIONS-POSIX-REGEXP", SQL: "regexp_replace({0}, {1}, {2})"}
}

func (helpers) RegexReplaceAll() sqlgen.Template {
	return sqlgen.Template{Note: "The g flag replaces every match.", Doc: "https://www.postgresql.org/docs/current/functions-matching.html#FUNCTIONS-POSIX-REGEXP", SQL: "regexp_replace({0}, {1}, {2}, 'g')"}
}
