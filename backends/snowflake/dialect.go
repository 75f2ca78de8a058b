package snowflake

import (
	"fmt"
	"github.com/featc/featc/stdlib"
	"strconv"

	"github.com/featc/featc/backends/sqlgen"
	"github.com/featc/featc/types"
)

// Dialect is Snowflake's SQL (https://docs.snowflake.com/en/sql-reference). It cannot be
// reached from featc's test machines: its SQL is checked by golden files and, when
// FEATC_SNOWFLAKE_DSN is set, live.
var Dialect = &sqlgen.Dialect{
	Name: "snowflake",
	Types: map[types.Kind]string{types.Bool: "BOOLEAN", types.Int32: "INTEGER", types.Int64: "BIGINT",
		types.Float64: "FLOAT", types.String: "VARCHAR", types.Date: "DATE", types.Timestamp: "TIMESTAMP_NTZ",
		types.Duration: "BIGINT"},
	Decimal: "NUMBER(%d, %d)",
	// Single-quoted strings treat the backslash as an escape
	// (https://docs.snowflake.com/en/sql-reference/data-types-text#escape-sequences-in-single-quoted-string-constants).
	BackslashEscapes: true,
	Placeholder:      func(n int) string { return ":" + strconv.Itoa(n) },
	// Snowflake compares strings by code point unless a collation is set
	// (https://docs.snowflake.com/en/sql-reference/collation); featc sets none.
	Session: []string{"ALTER SESSION SET TIMEZONE = 'UTC'", "ALTER SESSION SET WEEK_START = 1"},
	// https://docs.snowflake.com/en/sql-reference/sql/use-schema
	UseSchema: "USE SCHEMA %s",
	Caps: sqlgen.Caps{AsOf: sqlgen.AsOfMatchCondition, FilterClause: false,
		// Correlated subqueries are restricted to forms the planner can decorrelate, so entity
		// features are written as joins
		// (https://docs.snowflake.com/en/user-guide/querying-subqueries#correlated-vs-uncorrelated-subqueries).
		EntityJoin: sqlgen.JoinAlways, EntityDocs: "https://docs.snowflake.com/en/user-guide/querying-subqueries#correlated-vs-uncorrelated-subqueries",
	},
	Helpers: helpers{},
	Funcs: map[string]sqlgen.Template{
		"add_int64":       {Note: sfIntNote, Doc: sfIntDoc, Fn: checked("+"), Twice: true},
		"sub_int64":       {Note: sfIntNote, Doc: sfIntDoc, Fn: checked("-"), Twice: true},
		"mul_int64":       {Note: sfIntNote, Doc: sfIntDoc, Fn: checked("*"), Twice: true},
		"str_len":         {Note: "LENGTH counts characters (code points), as featc does.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/length", SQL: "CAST(LENGTH({0}) AS {type})"},
		"forward_fill":    {Note: "IGNORE NULLS follows the call's parentheses.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/last_value", Window: sqlgen.FillIgnoringNulls("LAST_VALUE(%s) IGNORE NULLS", true)},
		"backward_fill":   {Note: "IGNORE NULLS follows the call's parentheses.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/first_value", Window: sqlgen.FillIgnoringNulls("FIRST_VALUE(%s) IGNORE NULLS", false)},
		"str_contains":    {Note: "CONTAINS matches a literal substring, not a pattern.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/contains", Fn: sqlgen.RegexContains("CONTAINS({0}, {1})", sqlgen.PrecAtom)},
		"str_starts_with": {Note: "STARTSWITH matches a literal prefix, not a LIKE pattern.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/startswith", SQL: "STARTSWITH({0}, {1})"},
		"str_ends_with":   {Note: "ENDSWITH matches a literal suffix, not a LIKE pattern.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/endswith", SQL: "ENDSWITH({0}, {1})"},
		"str_strip":       {Note: "TRIM removes only spaces unless told which characters; featc strips ASCII whitespace.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/trim", SQL: "TRIM({0}, CHR(32) || CHR(9) || CHR(10) || CHR(13))"},
		"dt.week":         {Note: "WEEK depends on WEEK_OF_YEAR_POLICY; WEEKISO is the ISO week whatever the session says.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/year", SQL: "CAST(WEEKISO({0}) AS {type})"},
		"dt.weekday":      {Note: "DAYOFWEEK depends on WEEK_START; DAYOFWEEKISO is 1 (Monday) to 7 whatever the session says.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/year", SQL: "CAST(DAYOFWEEKISO({0}) AS {type})"},
		"dt.day_of_year":  {Note: "DAYOFYEAR returns a NUMBER; featc casts it to its integer type.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/year", SQL: "CAST(DAYOFYEAR({0}) AS {type})"},
		"dt.millisecond":  {Note: "There is no millisecond part; nanoseconds of the second, divided.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/date_part", SQL: "CAST(FLOOR(DATE_PART(NANOSECOND, {0}) / 1000000) AS {type})"},
		"dt.microsecond":  {Note: "There is no microsecond part; nanoseconds of the second, divided.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/date_part", SQL: "CAST(FLOOR(DATE_PART(NANOSECOND, {0}) / 1000) AS {type})"},
		"dt.second":       {Note: "The SECOND part is whole seconds.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/date_part", SQL: "CAST(DATE_PART(SECOND, {0}) AS {type})"},
		"any":             {Note: "BOOLOR_AGG of no non-null values is null; featc's any of nothing is false.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/boolor_agg", SQL: "COALESCE(BOOLOR_AGG({0}){over}, FALSE)", Windowed: true},
		"all":             {Note: "BOOLAND_AGG of no non-null values is null; featc's all of nothing is true.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/booland_agg", SQL: "COALESCE(BOOLAND_AGG({0}){over}, TRUE)", Windowed: true},
		"min_bool":        {Note: "MIN of booleans is written as BOOLAND_AGG.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/booland_agg", SQL: "BOOLAND_AGG({0}){over}", Windowed: true},
		"max_bool":        {Note: "MAX of booleans is written as BOOLOR_AGG.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/boolor_agg", SQL: "BOOLOR_AGG({0}){over}", Windowed: true},
		"median":          {Note: "MEDIAN ignores nulls and averages the two middle values; it is also a window function over a partition.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/median", SQL: "MEDIAN({0}){over}", Windowed: true},
		// Aggregates without a window form elsewhere have one here: each is "… OVER ( [
		// PARTITION BY <expr> ] )", partitioning but neither ordering nor framing.
		"quantile": {Note: "PERCENTILE_CONT … WITHIN GROUP is also a window function over a partition.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/percentile_cont", Fn: sqlgen.Shared("quantile").Fn, Windowed: true},
		"n_unique": {Note: "COUNT(DISTINCT …) is also a window function over a partition.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/count", Fn: sqlgen.Shared("n_unique").Fn, Windowed: true},
		"first":    {Note: "ARRAY_AGG … WITHIN GROUP is also a window function over a partition.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/array_agg", Fn: sqlgen.Shared("first").Fn, Windowed: true},
		"last":     {Note: "ARRAY_AGG … WITHIN GROUP is also a window function over a partition.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/array_agg", Fn: sqlgen.Shared("last").Fn, Windowed: true},
		"log10":    {Note: "LOG(base, x) fails for x <= 0; featc's log10 of those is null.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/log", SQL: "CASE WHEN {0} <= 0 THEN NULL ELSE LOG(10, {0}) END"},
		"str_split_part": {Note: "SPLIT_PART counts negative part numbers from the end; featc's split_part gives \"\" for parts below 1 and does not split on an empty separator.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/split_part", Fn: func(c *sqlgen.Call) (sqlgen.Expr, error) {
			x, sep, n := sqlgen.Paren(c.Args[0]), sqlgen.Paren(c.Args[1]), sqlgen.Paren(c.Args[2])
			return c.D.Expr("CASE WHEN %[3]s < 1 THEN '' WHEN %[2]s = '' THEN CASE WHEN %[3]s = 1 THEN %[1]s ELSE '' END ELSE SPLIT_PART(%[1]s, %[2]s, %[3]s) END", x, sep, n), nil
		}},
	},
}

// Snowflake's integers are NUMBER(38, 0): they do not overflow at 64 bits, so featc checks.
const (
	sfIntNote = "Integers are NUMBER(38, 0): they do not overflow at 64 bits, so featc checks the int64 range."
	sfIntDoc  = "https://docs.snowflake.com/en/sql-reference/data-types-numeric#int-integer-bigint-smallint-tinyint-byteint"
)

// checked writes 64-bit integer arithmetic on an engine whose integers are wider: a result
// outside int64 fails, as everywhere in featc, by casting an explanatory text to a number.
func checked(op string) func(c *sqlgen.Call) (sqlgen.Expr, error) {
	return func(c *sqlgen.Call) (sqlgen.Expr, error) {
		r := c.Fill("{0} "+op+" {1}", sqlgen.PrecAdd)
		return c.D.Expr("CASE WHEN (%[1]s) NOT BETWEEN -9223372036854775808 AND 9223372036854775807 THEN CAST('integer overflow in %[2]s' AS BIGINT) ELSE %[1]s END",
			r.SQL, map[string]string{"+": "add", "-": "sub", "*": "mul"}[op]), nil
	}
}

// helpers are Snowflake's helpers (Helpers).
type helpers struct{}

func (helpers) IDiv() sqlgen.Template {
	return sqlgen.Template{Note: "/ on integers gives a decimal quotient; TRUNC takes it toward zero, as featc's integer division does.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/trunc", SQL: "TRUNC({0} / {1})"}
}

func (helpers) EpochUS() sqlgen.Template {
	return sqlgen.Template{Note: "EPOCH_MICROSECOND counts microseconds since 1970-01-01 of a TIMESTAMP_NTZ, which featc's UTC timestamps are.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/date_part", SQL: "DATE_PART(EPOCH_MICROSECOND, {0})"}
}

func (helpers) FromEpochUS() sqlgen.Template {
	return sqlgen.Template{Note: "A scale of 6 reads the integer as microseconds.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/to_timestamp", SQL: "TO_TIMESTAMP_NTZ({0}, 6)"}
}

func (helpers) TsAddUS() sqlgen.Template {
	return sqlgen.Template{Note: "TIMESTAMPADD is DATEADD; intervals are not BIGINT arithmetic.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/dateadd", SQL: "TIMESTAMPADD(MICROSECOND, {1}, {0})"}
}

func (helpers) DateAddMonths() sqlgen.Template {
	return sqlgen.Template{Note: "DATEADD by months clamps to the month's last day.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/dateadd", SQL: "CAST(DATEADD(MONTH, {1}, {0}) AS DATE)"}
}

func (helpers) TsAddMonths() sqlgen.Template {
	return sqlgen.Template{Note: "DATEADD by months clamps to the month's last day.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/dateadd", SQL: "DATEADD(MONTH, {1}, {0})"}
}

func (helpers) DateDiffDays() sqlgen.Template {
	return sqlgen.Template{Note: "DATEDIFF counts day boundaries crossed, which for dates is the difference in days.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/datediff", SQL: "DATEDIFF(DAY, {1}, {0})"}
}

func (helpers) IsNaN() sqlgen.Template {
	return sqlgen.Template{Note: "NaN is a FLOAT value that equals itself.", Doc: "https://docs.snowflake.com/en/sql-reference/data-types-numeric#special-values", SQL: "{0} = 'NaN'::FLOAT", Prec: sqlgen.PrecCmp}
}

func (helpers) IsNaNOrInf() sqlgen.Template {
	return sqlgen.Template{Note: "NaN and the infinities are FLOAT values written as strings.", Doc: "https://docs.snowflake.com/en/sql-reference/data-types-numeric#special-values", SQL: "{0} IN ('NaN'::FLOAT, 'inf'::FLOAT, '-inf'::FLOAT)", Prec: sqlgen.PrecCmp}
}

func (helpers) DateTrunc() sqlgen.Template {
	return sqlgen.Template{Note: "Weeks start on Monday under WEEK_START = 1, which featc sets for the session.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/date_trunc", SQL: "DATE_TRUNC({0}, {1})"}
}

func (helpers) MakeDate() sqlgen.Template {
	return sqlgen.Template{Note: "The first day of a year and month.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/date_from_parts", SQL: "DATE_FROM_PARTS({0}, {1}, 1)"}
}

func (helpers) First() sqlgen.Template {
	return sqlgen.Template{Note: "ARRAY_AGG drops nulls, so each value is wrapped in an object that keeps it, and rows with a null order key (which featc skips, and which Snowflake sorts first in a descending order) are left out as nulls; the value, a VARIANT, is cast back to its type.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/array_agg", Fn: func(c *sqlgen.Call) (sqlgen.Expr, error) {
		obj := "OBJECT_CONSTRUCT_KEEP_NULL('v', " + c.Args[0].SQL + ")"
		if cond := c.Args[2].SQL; cond != "" {
			obj = "CASE WHEN " + cond + " THEN " + obj + " END"
		}
		arr := fmt.Sprintf("ARRAY_AGG(%s) WITHIN GROUP (ORDER BY %s)", obj, c.Args[1].SQL)
		if c.Over != "" { // over a partition: the window function's array, then its element
			arr = "(" + arr + c.Over + ")"
		}
		return c.D.Expr("CAST(%s[0]:v AS %s)", arr, c.Args[3].SQL), nil
	}}
}

func (helpers) NthSorted() sqlgen.Template {
	return sqlgen.Template{Note: "ARRAY_AGG drops nulls and indexes from 0.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/array_agg", Fn: func(c *sqlgen.Call) (sqlgen.Expr, error) {
		if c.Over != "" {
			return c.Fill("(ARRAY_AGG({0}) WITHIN GROUP (ORDER BY {0}){over})[{1}]::FLOAT", sqlgen.PrecAtom), nil
		}
		return c.Fill("ARRAY_AGG({0}) WITHIN GROUP (ORDER BY {0})[{1}]::FLOAT", sqlgen.PrecAtom), nil
	}}
}

func (helpers) RoundEven() sqlgen.Template {
	return sqlgen.Template{Note: "ROUND takes a rounding mode.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/round", SQL: "ROUND({0}, 0, 'HALF_TO_EVEN')"}
}

func (helpers) Position() sqlgen.Template {
	return sqlgen.Template{Note: "POSITION(needle, haystack) counts characters from 1, 0 where absent; Snowflake has no STRPOS.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/position", SQL: "POSITION({0}, {1})"}
}

func (helpers) Matches() sqlgen.Template {
	return sqlgen.Template{Note: "REGEXP_LIKE anchors the pattern at both ends (POSIX extended syntax).", Doc: "https://docs.snowflake.com/en/sql-reference/functions/regexp_like", SQL: "REGEXP_LIKE({0}, {1})"}
}

func (helpers) TsTextUTC() sqlgen.Template {
	return sqlgen.Template{Note: "A TIMESTAMP_NTZ cast ignores an offset; TIMESTAMP_TZ keeps it, CONVERT_TIMEZONE moves the instant to UTC, and the cast to TIMESTAMP_NTZ keeps its UTC wall time. Z is written +00:00, the offset form of the documented ISO input formats.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/convert_timezone", SQL: "CAST(CONVERT_TIMEZONE('UTC', CAST(REPLACE(TRIM({0}), 'Z', '+00:00') AS TIMESTAMP_TZ)) AS TIMESTAMP_NTZ)"}
}

func (helpers) NonFinite() (sqlgen.Template, bool) { return sqlgen.Template{}, false }

func (helpers) RegexFlavor() stdlib.RegexFlavor { return stdlib.ERE }

func (helpers) RegexSearch() sqlgen.Template {
	return sqlgen.Template{Note: "REGEXP_LIKE anchors the pattern at both ends, so it is searched for between two runs of any character (. with the s parameter matches newlines; featc writes no other .).", Doc: "https://docs.snowflake.com/en/sql-reference/functions/regexp_like", SQL: "REGEXP_LIKE({0}, '.*(' || {1} || ').*', 's')"}
}

func (helpers) RegexCount() sqlgen.Template {
	return sqlgen.Template{Note: "REGEXP_COUNT counts non-overlapping matches.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/regexp_count", SQL: "CAST(REGEXP_COUNT({0}, {1}) AS BIGINT)"}
}

func (helpers) RegexExtract() sqlgen.Template {
	return sqlgen.Template{Note: "REGEXP_SUBSTR with the e parameter returns a group of the first match, null where nothing matches.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/regexp_substr", SQL: "REGEXP_SUBSTR({0}, {1}, 1, 1, 'e', {2})"}
}

func (helpers) RegexReplaceFirst() sqlgen.Template {
	return sqlgen.Template{Note: "REGEXP_REPLACE from position 1, occurrence 1: the first match.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/regexp_replace", SQL: "REGEXP_REPLACE({0}, {1}, {2}, 1, 1)"}
}

func (helpers) RegexReplaceAll() sqlgen.Template {
	return sqlgen.Template{Note: "REGEXP_REPLACE from position 1, occurrence 0: every match.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/regexp_replace", SQL: "REGEXP_REPLACE({0}, {1}, {2}, 1, 0)"}
}
