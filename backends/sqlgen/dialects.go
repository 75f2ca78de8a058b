package sqlgen

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/featc/featc/types"
)

// DuckDB is the SQL of DuckDB 1.5 (https://duckdb.org/docs/stable/sql/introduction).
var DuckDB = &Dialect{
	Name: "duckdb",
	Types: map[types.Kind]string{types.Bool: "BOOLEAN", types.Int32: "INTEGER", types.Int64: "BIGINT",
		types.Float64: "DOUBLE", types.String: "VARCHAR", types.Date: "DATE", types.Timestamp: "TIMESTAMP",
		types.Duration: "BIGINT"},
	Decimal: "DECIMAL(%d, %d)",
	// Temporary tables live in the catalog temp
	// (https://duckdb.org/docs/stable/sql/statements/create_table#temporary-tables).
	TempSchema:  "temp",
	Placeholder: func(n int) string { return "$" + strconv.Itoa(n) },
	// The binder refuses expressions deeper than max_expression_depth (1,000), and raising it
	// crashes the process (C++ stack) past ~10,000; the statement around takes a few levels.
	Caps: Caps{AsOf: AsOfNative, Lateral: true, FilterClause: true, CaseInsensitiveNames: true, NoOuterInWindows: true, SortLosesZeroSign: true,
		MaxExprDepth: 800, MaxExprDepthDocs: "https://duckdb.org/docs/stable/configuration/overview",
		// A chain of 999 frames fails to bind ("Maximum tree depth of 1000 exceeded in
		// logical"; 990 bind), materialized CTEs or not.
		MaxDefChain: 900, MaxDefChainDocs: "https://duckdb.org/docs/stable/configuration/overview"},
	Helpers: duckdbHelpers{},
	Funcs: map[string]Template{
		"str_upper": {Note: "DuckDB upper-cases ß to ẞ (U+1E9E), which is not Unicode's simple case mapping (ß has none); every other code point maps as featc's rule says. Strings holding ß are upper-cased character by character, ß kept.", Fn: func(c *Call) (Expr, error) {
			x := paren(c.Args[0])
			return c.D.expr("CASE WHEN contains(%[1]s, 'ß') THEN array_to_string(list_transform(string_split(%[1]s, ''), ch -> CASE WHEN ch = 'ß' THEN ch ELSE upper(ch) END), '') ELSE upper(%[1]s) END", x), nil
		}},
		"round_float64": {Note: "round(x, n): DuckDB computes round(x · 10^n) / 10^n, as the evaluator does away from a tie; near one, the tie is judged on the shortest text, as everywhere.", Doc: "https://duckdb.org/docs/stable/sql/functions/numeric#roundv-numeric-s-integer", Fn: func(c *Call) (Expr, error) {
			slow, err := roundFloat(c)
			if err != nil {
				return Expr{}, err
			}
			x, n := paren(c.Args[0]), paren(c.Args[1])
			if v := c.Consts[1]; v != nil && !v.Null {
				if v.I < 0 || v.I >= 22 {
					return slow, nil
				}
				y := fmt.Sprintf("ABS(%s * 1e%d)", x, v.I)
				return c.D.expr("CASE WHEN isfinite(%[2]s) AND ABS(%[2]s - TRUNC(%[2]s) - 0.5) > 1e-6 THEN ROUND(%[1]s, %[3]d) ELSE %[4]s END",
					x, y, v.I, slow.SQL), nil
			}
			y := fmt.Sprintf("ABS(%s * POWER(10, %s))", x, n)
			return c.D.expr("CASE WHEN %[2]s >= 0 AND %[2]s < 22 AND isfinite(%[3]s) AND ABS(%[3]s - TRUNC(%[3]s) - 0.5) > 1e-6 THEN ROUND(%[1]s, CAST(%[2]s AS INTEGER)) ELSE %[4]s END",
				x, n, y, slow.SQL), nil
		}},
		"mul_decimal": {Note: "A product of two decimals of up to 18 digits is computed in 64 bits and fails on overflow, even where the exact product fits its result type; featc widens one operand to 19 digits, which makes DuckDB multiply in 128 bits.", Doc: "https://duckdb.org/docs/stable/sql/data_types/numeric#fixed-point-decimals", Fn: func(c *Call) (Expr, error) {
			p0, p1 := c.Types[0].Precision, c.Types[1].Precision
			if p0 <= 18 && p1 <= 18 && p0+p1 > 18 {
				left := c.D.castTo(c.Args[0], types.DecimalType(19, int(c.Types[0].Scale))).SQL
				return c.D.expr("CAST(%s * %s AS %s)", left, paren(c.Args[1]), c.ResultType()), nil
			}
			return mulDecimal(c)
		}},
		"cast_float64_decimal": {Note: "Casting the float's shortest text keeps featc's rule that a tie is judged on the number as written (1.005 → 1.01), where a cast of the double would see 1.00499….", SQL: "CAST(CAST({0} AS VARCHAR) AS {type})"},
		"cast_float64_string":  {Note: "DuckDB writes floats as featc does (shortest digits, 1.0, 1e+16), but NaN and the infinities as nan and inf.", SQL: "CASE WHEN isnan({0}) THEN 'NaN' WHEN {0} = CAST('inf' AS DOUBLE) THEN 'Infinity' WHEN {0} = CAST('-inf' AS DOUBLE) THEN '-Infinity' ELSE CAST({0} AS VARCHAR) END"},
	},
	ReadFile: duckdbReadFile,
}

// duckdbReadFile reads Parquet natively and CSV as text, which featc then casts by its own
// rules, as the evaluator reads CSV: an unquoted empty field is null and a quoted one ("") the
// empty string, which allow_quoted_nulls = false keeps (by default DuckDB reads both as null)
// (https://duckdb.org/docs/stable/data/csv/overview).
func duckdbReadFile(d *Dialect, path string) (string, bool, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".parquet", ".pq":
		return "read_parquet(" + d.String(path) + ")", false, nil
	case ".csv":
		return "read_csv(" + d.String(path) + ", header = true, all_varchar = true, allow_quoted_nulls = false)", true, nil
	}
	return "", false, fmt.Errorf("DuckDB reads .parquet and .csv files, not %s", path)
}

// Postgres is the SQL of PostgreSQL 12 and later (https://www.postgresql.org/docs/current/).
var Postgres = &Dialect{
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
	Collate: `COLLATE "C"`,
	Session: []string{"SET TIME ZONE 'UTC'"},
	// pg_temp is "the current session's temporary-table schema"
	// (https://www.postgresql.org/docs/current/runtime-config-client.html#GUC-SEARCH-PATH).
	TempSchema: "pg_temp",
	// Correlated subqueries over an unindexed source rescan it for every spine row: the range
	// join computed the example's 20 features for 2,000 observations over 90,000 events in
	// 1.6 s where correlated subqueries took 102 s.
	Caps: Caps{AsOf: AsOfLateral, Lateral: true, FilterClause: true, EntityJoin: JoinPreferred,
		MaxColumns: 1664, MaxColumnsDocs: "https://www.postgresql.org/docs/current/limits.html",
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
	Helpers: postgresHelpers{},
	Funcs: map[string]Template{
		"min_bool": {SQL: "BOOL_AND({0}){over}", Windowed: true},
		"max_bool": {SQL: "BOOL_OR({0}){over}", Windowed: true},
		"cast_float64_string": {Note: "float8 text is the shortest digits, but integral values lack featc's \".0\" and exponents start at 1e15, not 1e16.", Doc: "https://www.postgresql.org/docs/current/datatype-numeric.html#DATATYPE-FLOAT", Fn: func(c *Call) (Expr, error) {
			x := paren(c.Args[0])
			t := "CAST(" + c.Args[0].SQL + " AS TEXT)"
			fixed := "CASE WHEN ABS(" + x + ") >= 1e15 AND ABS(" + x + ") < 1e16 THEN CAST(CAST(" + t + " AS NUMERIC) AS TEXT) ELSE " + t + " END"
			return c.D.expr("CASE WHEN %[1]s IS NULL THEN NULL WHEN STRPOS(%[2]s, '.') > 0 OR STRPOS(%[2]s, 'e') > 0 OR STRPOS(%[2]s, 'N') > 0 OR STRPOS(%[2]s, 'n') > 0 THEN %[2]s ELSE %[2]s || '.0' END", x, "("+fixed+")"), nil
		}},
		"pow_float64": {Note: "POWER raises errors where IEEE 754 (and featc) gives infinity or NaN. (-∞)^y is ±∞^y, negative for odd integers y, where Postgres raises an error.", Doc: "https://www.postgresql.org/docs/current/functions-math.html", SQL: "CASE WHEN {0} = 0 AND {1} < 0 THEN CAST('Infinity' AS DOUBLE PRECISION) " +
			"WHEN {0} = CAST('-Infinity' AS DOUBLE PRECISION) THEN CASE WHEN {1} = FLOOR({1}) AND {1} <> 2 * FLOOR({1} / 2) THEN -POWER(CAST('Infinity' AS DOUBLE PRECISION), {1}) ELSE POWER(CAST('Infinity' AS DOUBLE PRECISION), {1}) END " +
			"WHEN {0} < 0 AND {1} <> FLOOR({1}) THEN CAST('NaN' AS DOUBLE PRECISION) ELSE POWER({0}, {1}) END"},
	},
}

// Snowflake is Snowflake's SQL (https://docs.snowflake.com/en/sql-reference). It cannot be
// reached from featc's test machines: its SQL is checked by golden files and, when
// FEATC_SNOWFLAKE_DSN is set, live.
var Snowflake = &Dialect{
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
	Caps: Caps{AsOf: AsOfMatchCondition, FilterClause: false,
		// Correlated subqueries are restricted to forms the planner can decorrelate, so entity
		// features are written as joins
		// (https://docs.snowflake.com/en/user-guide/querying-subqueries#correlated-vs-uncorrelated-subqueries).
		EntityJoin: JoinAlways, EntityDocs: "https://docs.snowflake.com/en/user-guide/querying-subqueries#correlated-vs-uncorrelated-subqueries",
	},
	Helpers: snowflakeHelpers{},
	Funcs: map[string]Template{
		"add_int64":       {Note: sfIntNote, Doc: sfIntDoc, Fn: checked("+"), Twice: true},
		"sub_int64":       {Note: sfIntNote, Doc: sfIntDoc, Fn: checked("-"), Twice: true},
		"mul_int64":       {Note: sfIntNote, Doc: sfIntDoc, Fn: checked("*"), Twice: true},
		"str_len":         {Note: "LENGTH counts characters (code points), as featc does.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/length", SQL: "CAST(LENGTH({0}) AS {type})"},
		"str_contains":    {Note: "CONTAINS matches a literal substring, not a pattern.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/contains", SQL: "CONTAINS({0}, {1})"},
		"str_starts_with": {Note: "STARTSWITH matches a literal prefix, not a LIKE pattern.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/startswith", SQL: "STARTSWITH({0}, {1})"},
		"str_ends_with":   {Note: "ENDSWITH matches a literal suffix, not a LIKE pattern.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/endswith", SQL: "ENDSWITH({0}, {1})"},
		"str_strip":       {Note: "TRIM removes only spaces unless told which characters; featc strips ASCII whitespace.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/trim", SQL: "TRIM({0}, CHR(32) || CHR(9) || CHR(10) || CHR(13))"},
		"dt.week":         {Note: "WEEK depends on WEEK_OF_YEAR_POLICY; WEEKISO is the ISO week whatever the session says.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/year", SQL: "CAST(WEEKISO({0}) AS {type})"},
		"dt.weekday":      {Note: "DAYOFWEEK depends on WEEK_START; DAYOFWEEKISO is 1 (Monday) to 7 whatever the session says.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/year", SQL: "CAST(DAYOFWEEKISO({0}) AS {type})"},
		"dt.day_of_year":  {Note: "DAYOFYEAR returns a NUMBER; featc casts it to its integer type.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/year", SQL: "CAST(DAYOFYEAR({0}) AS {type})"},
		"dt.microsecond":  {Note: "There is no microsecond part; nanoseconds of the second, divided.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/date_part", SQL: "CAST(FLOOR(DATE_PART(NANOSECOND, {0}) / 1000) AS {type})"},
		"dt.second":       {Note: "The SECOND part is whole seconds.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/date_part", SQL: "CAST(DATE_PART(SECOND, {0}) AS {type})"},
		"any":             {Note: "BOOLOR_AGG of no non-null values is null; featc's any of nothing is false.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/boolor_agg", SQL: "COALESCE(BOOLOR_AGG({0}){over}, FALSE)", Windowed: true},
		"all":             {Note: "BOOLAND_AGG of no non-null values is null; featc's all of nothing is true.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/booland_agg", SQL: "COALESCE(BOOLAND_AGG({0}){over}, TRUE)", Windowed: true},
		"min_bool":        {Note: "MIN of booleans is written as BOOLAND_AGG.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/booland_agg", SQL: "BOOLAND_AGG({0}){over}", Windowed: true},
		"max_bool":        {Note: "MAX of booleans is written as BOOLOR_AGG.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/boolor_agg", SQL: "BOOLOR_AGG({0}){over}", Windowed: true},
		"median":          {Note: "MEDIAN ignores nulls and averages the two middle values; it is also a window function over a partition.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/median", SQL: "MEDIAN({0}){over}", Windowed: true},
		// Aggregates without a window form elsewhere have one here: each is "… OVER ( [
		// PARTITION BY <expr> ] )", partitioning but neither ordering nor framing.
		"quantile": {Note: "PERCENTILE_CONT … WITHIN GROUP is also a window function over a partition.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/percentile_cont", Fn: quantile, Windowed: true},
		"n_unique": {Note: "COUNT(DISTINCT …) is also a window function over a partition.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/count", Fn: nUnique, Windowed: true},
		"first":    {Note: "ARRAY_AGG … WITHIN GROUP is also a window function over a partition.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/array_agg", Fn: first, Windowed: true},
		"last":     {Note: "ARRAY_AGG … WITHIN GROUP is also a window function over a partition.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/array_agg", Fn: last, Windowed: true},
		"log10":    {Note: "LOG(base, x) fails for x <= 0; featc's log10 of those is null.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/log", SQL: "CASE WHEN {0} <= 0 THEN NULL ELSE LOG(10, {0}) END"},
		"str_split_part": {Note: "SPLIT_PART counts negative part numbers from the end; featc's split_part gives \"\" for parts below 1 and does not split on an empty separator.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/split_part", Fn: func(c *Call) (Expr, error) {
			x, sep, n := paren(c.Args[0]), paren(c.Args[1]), paren(c.Args[2])
			return c.D.expr("CASE WHEN %[3]s < 1 THEN '' WHEN %[2]s = '' THEN CASE WHEN %[3]s = 1 THEN %[1]s ELSE '' END ELSE SPLIT_PART(%[1]s, %[2]s, %[3]s) END", x, sep, n), nil
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
func checked(op string) func(c *Call) (Expr, error) {
	return func(c *Call) (Expr, error) {
		r := c.Fill("{0} "+op+" {1}", precAdd)
		return c.D.expr("CASE WHEN (%[1]s) NOT BETWEEN -9223372036854775808 AND 9223372036854775807 THEN CAST('integer overflow in %[2]s' AS BIGINT) ELSE %[1]s END",
			r.SQL, map[string]string{"+": "add", "-": "sub", "*": "mul"}[op]), nil
	}
}

// duckdbHelpers are DuckDB's helpers (Helpers).
type duckdbHelpers struct{}

func (duckdbHelpers) IDiv() Template {
	return Template{Note: "`//` on integers truncates toward zero.", Doc: "https://duckdb.org/docs/stable/sql/functions/numeric", SQL: "{0} // {1}", Prec: precMul}
}

func (duckdbHelpers) EpochUS() Template {
	return Template{SQL: "epoch_us({0})"}
}

func (duckdbHelpers) FromEpochUS() Template {
	return Template{SQL: "make_timestamp({0})"}
}

func (duckdbHelpers) TsAddUS() Template {
	return Template{SQL: "{0} + to_microseconds({1})", Prec: precAdd}
}

func (duckdbHelpers) DateAddMonths() Template {
	return Template{Note: "Adding months clamps to the month's last day.", Doc: "https://duckdb.org/docs/stable/sql/functions/interval", SQL: "CAST({0} + to_months(CAST({1} AS INTEGER)) AS DATE)"}
}

func (duckdbHelpers) TsAddMonths() Template {
	return Template{SQL: "{0} + to_months(CAST({1} AS INTEGER))", Prec: precAdd}
}

func (duckdbHelpers) DateDiffDays() Template {
	return Template{SQL: "CAST({0} - {1} AS BIGINT)"}
}

func (duckdbHelpers) IsNaN() Template {
	return Template{SQL: "isnan({0})"}
}

func (duckdbHelpers) IsNaNOrInf() Template {
	return Template{SQL: "NOT isfinite({0})", Prec: precNot}
}

func (duckdbHelpers) DateTrunc() Template {
	return Template{SQL: "date_trunc({0}, {1})"}
}

func (duckdbHelpers) MakeDate() Template {
	return Template{SQL: "make_date(CAST({0} AS BIGINT), CAST({1} AS BIGINT), 1)"}
}

func (duckdbHelpers) First() Template {
	return Template{Note: "first() keeps nulls and takes an ORDER BY.", Doc: "https://duckdb.org/docs/stable/sql/functions/aggregates#firstarg", SQL: "FIRST({0} ORDER BY {1}) FILTER (WHERE {2})"}
}

func (duckdbHelpers) NthSorted() Template {
	return Template{Note: "Lists are 1-based; an index out of range is null.", SQL: "(LIST({0} ORDER BY {0}) FILTER (WHERE {0} IS NOT NULL))[{1} + 1]"}
}

func (duckdbHelpers) RoundEven() Template {
	return Template{SQL: "ROUND_EVEN({0}, 0)"}
}

func (duckdbHelpers) Matches() Template {
	return Template{Note: "regexp_full_match matches the whole string (RE2 syntax).", Doc: "https://duckdb.org/docs/stable/sql/functions/regular_expressions", SQL: "regexp_full_match({0}, {1})"}
}

func (duckdbHelpers) TsTextUTC() Template {
	return Template{Note: "A TIMESTAMP cast drops a UTC offset; through TIMESTAMPTZ it is applied, and AT TIME ZONE 'UTC' gives the UTC wall time.", Doc: "https://duckdb.org/docs/stable/sql/data_types/timestamp", SQL: "CAST(CAST(TRIM({0}) AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS TIMESTAMP)"}
}

// In @nonfinite, {1} is the aggregate's name, {2} its OVER clause and {3} the number of
// values it needs more than (ddof).
// NonFinite is @nonfinite.
func (duckdbHelpers) NonFinite() (Template, bool) {
	return Template{Note: "STDDEV and VAR raise \"out of range\" rather than return an infinity or NaN.", SQL: "CASE WHEN COUNT({0}){2} <= {3} THEN NULL WHEN BOOL_OR(NOT isfinite({0})){2} THEN CAST('NaN' AS DOUBLE) ELSE {1}(CASE WHEN isfinite({0}) THEN {0} END){2} END"}, true
}

// postgresHelpers are Postgres's helpers (Helpers).
type postgresHelpers struct{}

func (postgresHelpers) IDiv() Template {
	return Template{Note: "Integer division truncates toward zero.", Doc: "https://www.postgresql.org/docs/current/functions-math.html", SQL: "{0} / {1}", Prec: precMul}
}

func (postgresHelpers) EpochUS() Template {
	return Template{SQL: "CAST(EXTRACT(EPOCH FROM {0}) * 1000000 AS BIGINT)"}
}

func (postgresHelpers) FromEpochUS() Template {
	return Template{SQL: "TIMESTAMP '1970-01-01 00:00:00' + {0} * INTERVAL '1 microsecond'", Prec: precAdd}
}

func (postgresHelpers) TsAddUS() Template {
	return Template{SQL: "{0} + {1} * INTERVAL '1 microsecond'", Prec: precAdd}
}

func (postgresHelpers) DateAddMonths() Template {
	return Template{Note: "Adding months clamps to the month's last day.", Doc: "https://www.postgresql.org/docs/current/functions-datetime.html", SQL: "CAST({0} + {1} * INTERVAL '1 month' AS DATE)"}
}

func (postgresHelpers) TsAddMonths() Template {
	return Template{SQL: "{0} + {1} * INTERVAL '1 month'", Prec: precAdd}
}

func (postgresHelpers) DateDiffDays() Template {
	return Template{SQL: "CAST({0} - {1} AS BIGINT)"}
}

func (postgresHelpers) IsNaN() Template {
	return Template{SQL: "{0} = CAST('NaN' AS DOUBLE PRECISION)", Prec: precCmp}
}

func (postgresHelpers) IsNaNOrInf() Template {
	return Template{SQL: "{0} IN (CAST('NaN' AS DOUBLE PRECISION), CAST('Infinity' AS DOUBLE PRECISION), CAST('-Infinity' AS DOUBLE PRECISION))", Prec: precCmp}
}

func (postgresHelpers) DateTrunc() Template {
	return Template{Note: "DATE_TRUNC('week', …) starts weeks on Monday, as featc's do.", Doc: "https://www.postgresql.org/docs/current/functions-datetime.html#FUNCTIONS-DATETIME-TRUNC", SQL: "DATE_TRUNC({0}, {1})"}
}

func (postgresHelpers) MakeDate() Template {
	return Template{SQL: "MAKE_DATE(CAST({0} AS INTEGER), CAST({1} AS INTEGER), 1)"}
}

func (postgresHelpers) First() Template {
	return Template{Note: "No first() aggregate: the first element of an ordered array (which keeps nulls).", SQL: "(ARRAY_AGG({0} ORDER BY {1}) FILTER (WHERE {2}))[1]"}
}

func (postgresHelpers) NthSorted() Template {
	return Template{Note: "Arrays are 1-based; an index out of range is null.", SQL: "(ARRAY_AGG({0} ORDER BY {0}) FILTER (WHERE {0} IS NOT NULL))[{1} + 1]"}
}

func (postgresHelpers) RoundEven() Template {
	return Template{Note: "ROUND of a float8 rounds half to even.", Doc: "https://www.postgresql.org/docs/current/functions-math.html", SQL: "ROUND({0})"}
}

func (postgresHelpers) Matches() Template {
	return Template{Note: "~ is a POSIX regular expression match, anchored here by ^ and $.", Doc: "https://www.postgresql.org/docs/current/functions-matching.html#FUNCTIONS-POSIX-REGEXP", SQL: "{0} ~ {1}", Prec: precCmp}
}

func (postgresHelpers) TsTextUTC() Template {
	return Template{Note: "A TIMESTAMP cast ignores a UTC offset; through TIMESTAMPTZ it is applied, and AT TIME ZONE 'UTC' gives the UTC wall time.", Doc: "https://www.postgresql.org/docs/current/datatype-datetime.html#DATATYPE-TIMEZONES", SQL: "CAST(TRIM({0}) AS TIMESTAMPTZ) AT TIME ZONE 'UTC'", Prec: precCmp}
}

func (postgresHelpers) NonFinite() (Template, bool) { return Template{}, false }

// snowflakeHelpers are Snowflake's helpers (Helpers).
type snowflakeHelpers struct{}

func (snowflakeHelpers) IDiv() Template {
	return Template{Note: "/ on integers gives a decimal quotient; TRUNC takes it toward zero, as featc's integer division does.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/trunc", SQL: "TRUNC({0} / {1})"}
}

func (snowflakeHelpers) EpochUS() Template {
	return Template{Note: "EPOCH_MICROSECOND counts microseconds since 1970-01-01 of a TIMESTAMP_NTZ, which featc's UTC timestamps are.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/date_part", SQL: "DATE_PART(EPOCH_MICROSECOND, {0})"}
}

func (snowflakeHelpers) FromEpochUS() Template {
	return Template{Note: "A scale of 6 reads the integer as microseconds.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/to_timestamp", SQL: "TO_TIMESTAMP_NTZ({0}, 6)"}
}

func (snowflakeHelpers) TsAddUS() Template {
	return Template{Note: "TIMESTAMPADD is DATEADD; intervals are not BIGINT arithmetic.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/dateadd", SQL: "TIMESTAMPADD(MICROSECOND, {1}, {0})"}
}

func (snowflakeHelpers) DateAddMonths() Template {
	return Template{Note: "DATEADD by months clamps to the month's last day.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/dateadd", SQL: "CAST(DATEADD(MONTH, {1}, {0}) AS DATE)"}
}

func (snowflakeHelpers) TsAddMonths() Template {
	return Template{Note: "DATEADD by months clamps to the month's last day.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/dateadd", SQL: "DATEADD(MONTH, {1}, {0})"}
}

func (snowflakeHelpers) DateDiffDays() Template {
	return Template{Note: "DATEDIFF counts day boundaries crossed, which for dates is the difference in days.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/datediff", SQL: "DATEDIFF(DAY, {1}, {0})"}
}

func (snowflakeHelpers) IsNaN() Template {
	return Template{Note: "NaN is a FLOAT value that equals itself.", Doc: "https://docs.snowflake.com/en/sql-reference/data-types-numeric#special-values", SQL: "{0} = 'NaN'::FLOAT", Prec: precCmp}
}

func (snowflakeHelpers) IsNaNOrInf() Template {
	return Template{Note: "NaN and the infinities are FLOAT values written as strings.", Doc: "https://docs.snowflake.com/en/sql-reference/data-types-numeric#special-values", SQL: "{0} IN ('NaN'::FLOAT, 'inf'::FLOAT, '-inf'::FLOAT)", Prec: precCmp}
}

func (snowflakeHelpers) DateTrunc() Template {
	return Template{Note: "Weeks start on Monday under WEEK_START = 1, which featc sets for the session.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/date_trunc", SQL: "DATE_TRUNC({0}, {1})"}
}

func (snowflakeHelpers) MakeDate() Template {
	return Template{Note: "The first day of a year and month.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/date_from_parts", SQL: "DATE_FROM_PARTS({0}, {1}, 1)"}
}

func (snowflakeHelpers) First() Template {
	return Template{Note: "ARRAY_AGG drops nulls, so each value is wrapped in an object that keeps it, and rows with a null order key (which featc skips, and which Snowflake sorts first in a descending order) are left out as nulls; the value, a VARIANT, is cast back to its type.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/array_agg", Fn: func(c *Call) (Expr, error) {
		obj := "OBJECT_CONSTRUCT_KEEP_NULL('v', " + c.Args[0].SQL + ")"
		if cond := c.Args[2].SQL; cond != "" {
			obj = "CASE WHEN " + cond + " THEN " + obj + " END"
		}
		arr := fmt.Sprintf("ARRAY_AGG(%s) WITHIN GROUP (ORDER BY %s)", obj, c.Args[1].SQL)
		if c.Over != "" { // over a partition: the window function's array, then its element
			arr = "(" + arr + c.Over + ")"
		}
		return c.D.expr("CAST(%s[0]:v AS %s)", arr, c.Args[3].SQL), nil
	}}
}

func (snowflakeHelpers) NthSorted() Template {
	return Template{Note: "ARRAY_AGG drops nulls and indexes from 0.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/array_agg", Fn: func(c *Call) (Expr, error) {
		if c.Over != "" {
			return c.Fill("(ARRAY_AGG({0}) WITHIN GROUP (ORDER BY {0}){over})[{1}]::FLOAT", precAtom), nil
		}
		return c.Fill("ARRAY_AGG({0}) WITHIN GROUP (ORDER BY {0})[{1}]::FLOAT", precAtom), nil
	}}
}

func (snowflakeHelpers) RoundEven() Template {
	return Template{Note: "ROUND takes a rounding mode.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/round", SQL: "ROUND({0}, 0, 'HALF_TO_EVEN')"}
}

func (snowflakeHelpers) Matches() Template {
	return Template{Note: "REGEXP_LIKE anchors the pattern at both ends (POSIX extended syntax).", Doc: "https://docs.snowflake.com/en/sql-reference/functions/regexp_like", SQL: "REGEXP_LIKE({0}, {1})"}
}

func (snowflakeHelpers) TsTextUTC() Template {
	return Template{Note: "A TIMESTAMP_NTZ cast ignores an offset; TIMESTAMP_TZ keeps it, CONVERT_TIMEZONE moves the instant to UTC, and the cast to TIMESTAMP_NTZ keeps its UTC wall time. Z is written +00:00, the offset form of the documented ISO input formats.", Doc: "https://docs.snowflake.com/en/sql-reference/functions/convert_timezone", SQL: "CAST(CONVERT_TIMEZONE('UTC', CAST(REPLACE(TRIM({0}), 'Z', '+00:00') AS TIMESTAMP_TZ)) AS TIMESTAMP_NTZ)"}
}

func (snowflakeHelpers) NonFinite() (Template, bool) { return Template{}, false }
