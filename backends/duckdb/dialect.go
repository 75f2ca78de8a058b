package duckdb

import (
	"fmt"
	"github.com/featc/featc/stdlib"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/featc/featc/backends/sqlgen"
	"github.com/featc/featc/types"
)

// Dialect is the SQL of DuckDB 1.5 (https://duckdb.org/docs/stable/sql/introduction).
var Dialect = &sqlgen.Dialect{
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
	Caps: sqlgen.Caps{AsOf: sqlgen.AsOfNative, Lateral: true, FilterClause: true, CaseInsensitiveNames: true, NoOuterInWindows: true, SortLosesZeroSign: true,
		MaxExprDepth: 800, MaxExprDepthDocs: "https://duckdb.org/docs/stable/configuration/overview",
		// A chain of 999 frames fails to bind ("Maximum tree depth of 1000 exceeded in
		// logical"; 990 bind), materialized CTEs or not.
		MaxDefChain: 900, MaxDefChainDocs: "https://duckdb.org/docs/stable/configuration/overview"},
	Helpers: helpers{},
	Funcs: map[string]sqlgen.Template{
		"str_upper": {Note: "DuckDB upper-cases ß to ẞ (U+1E9E), which is not Unicode's simple case mapping (ß has none); every other code point maps as featc's rule says. Strings holding ß are upper-cased character by character, ß kept.", Fn: func(c *sqlgen.Call) (sqlgen.Expr, error) {
			x := sqlgen.Paren(c.Args[0])
			return c.D.Expr("CASE WHEN contains(%[1]s, 'ß') THEN array_to_string(list_transform(string_split(%[1]s, ''), ch -> CASE WHEN ch = 'ß' THEN ch ELSE upper(ch) END), '') ELSE upper(%[1]s) END", x), nil
		}},
		"round_float64": {Note: "round(x, n): DuckDB computes round(x · 10^n) / 10^n, as the evaluator does away from a tie; near one, the tie is judged on the shortest text, as everywhere.", Doc: "https://duckdb.org/docs/stable/sql/functions/numeric#roundv-numeric-s-integer", Fn: func(c *sqlgen.Call) (sqlgen.Expr, error) {
			slow, err := sqlgen.Shared("round_float64").Fn(c)
			if err != nil {
				return sqlgen.Expr{}, err
			}
			x, n := sqlgen.Paren(c.Args[0]), sqlgen.Paren(c.Args[1])
			if v := c.Consts[1]; v != nil && !v.Null {
				if v.I < 0 || v.I >= 22 {
					return slow, nil
				}
				y := fmt.Sprintf("ABS(%s * 1e%d)", x, v.I)
				return c.D.Expr("CASE WHEN isfinite(%[2]s) AND ABS(%[2]s - TRUNC(%[2]s) - 0.5) > 1e-6 THEN ROUND(%[1]s, %[3]d) ELSE %[4]s END",
					x, y, v.I, slow.SQL), nil
			}
			y := fmt.Sprintf("ABS(%s * POWER(10, %s))", x, n)
			return c.D.Expr("CASE WHEN %[2]s >= 0 AND %[2]s < 22 AND isfinite(%[3]s) AND ABS(%[3]s - TRUNC(%[3]s) - 0.5) > 1e-6 THEN ROUND(%[1]s, CAST(%[2]s AS INTEGER)) ELSE %[4]s END",
				x, n, y, slow.SQL), nil
		}},
		"mul_decimal": {Note: "A product of two decimals of up to 18 digits is computed in 64 bits and fails on overflow, even where the exact product fits its result type; featc widens one operand to 19 digits, which makes DuckDB multiply in 128 bits.", Doc: "https://duckdb.org/docs/stable/sql/data_types/numeric#fixed-point-decimals", Fn: func(c *sqlgen.Call) (sqlgen.Expr, error) {
			p0, p1 := c.Types[0].Precision, c.Types[1].Precision
			if p0 <= 18 && p1 <= 18 && p0+p1 > 18 {
				left := c.D.CastTo(c.Args[0], types.DecimalType(19, int(c.Types[0].Scale))).SQL
				return c.D.Expr("CAST(%s * %s AS %s)", left, sqlgen.Paren(c.Args[1]), c.ResultType()), nil
			}
			return sqlgen.Shared("mul_decimal").Fn(c)
		}},
		"str_reverse":          {Note: "reverse reverses grapheme clusters (a letter with its combining marks stays one unit); featc reverses code points, so the string is split into code points by a regular expression and the list reversed.", Doc: "https://duckdb.org/docs/stable/sql/functions/text#reversestring", SQL: "array_to_string(list_reverse(regexp_extract_all({0}, '(?s).')), '')"},
		"str_len_bytes":        {Note: "strlen counts the bytes of a VARCHAR (UTF-8); OCTET_LENGTH takes BLOBs.", Doc: "https://duckdb.org/docs/stable/sql/functions/text#strlenstring", SQL: "CAST(strlen({0}) AS {type})"},
		"cast_float64_decimal": {Note: "Casting the float's shortest text keeps featc's rule that a tie is judged on the number as written (1.005 → 1.01), where a cast of the double would see 1.00499….", SQL: "CAST(CAST({0} AS VARCHAR) AS {type})"},
		"cast_float64_string":  {Note: "DuckDB writes floats as featc does (shortest digits, 1.0, 1e+16), but NaN and the infinities as nan and inf.", SQL: "CASE WHEN isnan({0}) THEN 'NaN' WHEN {0} = CAST('inf' AS DOUBLE) THEN 'Infinity' WHEN {0} = CAST('-inf' AS DOUBLE) THEN '-Infinity' ELSE CAST({0} AS VARCHAR) END"},
	},
	ReadFile: readFile,
}

// readFile reads Parquet natively and CSV as text, which featc then casts by its own
// rules, as the evaluator reads CSV: an unquoted empty field is null and a quoted one ("") the
// empty string, which allow_quoted_nulls = false keeps (by default DuckDB reads both as null)
// (https://duckdb.org/docs/stable/data/csv/overview).
func readFile(d *sqlgen.Dialect, path string) (string, bool, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".parquet", ".pq":
		return "read_parquet(" + d.String(path) + ")", false, nil
	case ".csv":
		return "read_csv(" + d.String(path) + ", header = true, all_varchar = true, allow_quoted_nulls = false)", true, nil
	}
	return "", false, fmt.Errorf("DuckDB reads .parquet and .csv files, not %s", path)
}

// helpers are DuckDB's helpers (Helpers).
type helpers struct{}

func (helpers) IDiv() sqlgen.Template {
	return sqlgen.Template{Note: "`//` on integers truncates toward zero.", Doc: "https://duckdb.org/docs/stable/sql/functions/numeric", SQL: "{0} // {1}", Prec: sqlgen.PrecMul}
}

func (helpers) EpochUS() sqlgen.Template {
	return sqlgen.Template{SQL: "epoch_us({0})"}
}

func (helpers) FromEpochUS() sqlgen.Template {
	return sqlgen.Template{SQL: "make_timestamp({0})"}
}

func (helpers) TsAddUS() sqlgen.Template {
	return sqlgen.Template{SQL: "{0} + to_microseconds({1})", Prec: sqlgen.PrecAdd}
}

func (helpers) DateAddMonths() sqlgen.Template {
	return sqlgen.Template{Note: "Adding months clamps to the month's last day.", Doc: "https://duckdb.org/docs/stable/sql/functions/interval", SQL: "CAST({0} + to_months(CAST({1} AS INTEGER)) AS DATE)"}
}

func (helpers) TsAddMonths() sqlgen.Template {
	return sqlgen.Template{SQL: "{0} + to_months(CAST({1} AS INTEGER))", Prec: sqlgen.PrecAdd}
}

func (helpers) DateDiffDays() sqlgen.Template {
	return sqlgen.Template{SQL: "CAST({0} - {1} AS BIGINT)"}
}

func (helpers) IsNaN() sqlgen.Template {
	return sqlgen.Template{SQL: "isnan({0})"}
}

func (helpers) IsNaNOrInf() sqlgen.Template {
	return sqlgen.Template{SQL: "NOT isfinite({0})", Prec: sqlgen.PrecNot}
}

func (helpers) DateTrunc() sqlgen.Template {
	return sqlgen.Template{SQL: "date_trunc({0}, {1})"}
}

func (helpers) MakeDate() sqlgen.Template {
	return sqlgen.Template{SQL: "make_date(CAST({0} AS BIGINT), CAST({1} AS BIGINT), 1)"}
}

func (helpers) First() sqlgen.Template {
	return sqlgen.Template{Note: "first() keeps nulls and takes an ORDER BY.", Doc: "https://duckdb.org/docs/stable/sql/functions/aggregates#firstarg", SQL: "FIRST({0} ORDER BY {1}) FILTER (WHERE {2})"}
}

func (helpers) NthSorted() sqlgen.Template {
	return sqlgen.Template{Note: "Lists are 1-based; an index out of range is null.", SQL: "(LIST({0} ORDER BY {0}) FILTER (WHERE {0} IS NOT NULL))[{1} + 1]"}
}

func (helpers) RoundEven() sqlgen.Template {
	return sqlgen.Template{SQL: "ROUND_EVEN({0}, 0)"}
}

func (helpers) Position() sqlgen.Template {
	return sqlgen.Template{SQL: "strpos({1}, {0})"}
}

func (helpers) Matches() sqlgen.Template {
	return sqlgen.Template{Note: "regexp_full_match matches the whole string (RE2 syntax).", Doc: "https://duckdb.org/docs/stable/sql/functions/regular_expressions", SQL: "regexp_full_match({0}, {1})"}
}

func (helpers) TsTextUTC() sqlgen.Template {
	return sqlgen.Template{Note: "A TIMESTAMP cast drops a UTC offset; through TIMESTAMPTZ it is applied, and AT TIME ZONE 'UTC' gives the UTC wall time.", Doc: "https://duckdb.org/docs/stable/sql/data_types/timestamp", SQL: "CAST(CAST(TRIM({0}) AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS TIMESTAMP)"}
}

// In @nonfinite, {1} is the aggregate's name, {2} its OVER clause and {3} the number of
// values it needs more than (ddof).
// NonFinite is @nonfinite.
func (helpers) NonFinite() (sqlgen.Template, bool) {
	return sqlgen.Template{Note: "STDDEV and VAR raise \"out of range\" rather than return an infinity or NaN.", SQL: "CASE WHEN COUNT({0}){2} <= {3} THEN NULL WHEN BOOL_OR(NOT isfinite({0})){2} THEN CAST('NaN' AS DOUBLE) ELSE {1}(CASE WHEN isfinite({0}) THEN {0} END){2} END"}, true
}

func (helpers) RegexFlavor() stdlib.RegexFlavor { return stdlib.RE2 }

func (helpers) RegexSearch() sqlgen.Template {
	return sqlgen.Template{Note: "regexp_matches searches (it is not anchored), with RE2 syntax.", Doc: "https://duckdb.org/docs/stable/sql/functions/regular_expressions", SQL: "regexp_matches({0}, {1})"}
}

func (helpers) RegexCount() sqlgen.Template {
	return sqlgen.Template{Note: "regexp_extract_all lists the non-overlapping matches.", Doc: "https://duckdb.org/docs/stable/sql/functions/regular_expressions", SQL: "CAST(len(regexp_extract_all({0}, {1})) AS BIGINT)"}
}

func (helpers) RegexExtract() sqlgen.Template {
	return sqlgen.Template{Note: "regexp_extract gives \"\" where nothing matches; featc gives null.", Doc: "https://duckdb.org/docs/stable/sql/functions/regular_expressions", SQL: "CASE WHEN regexp_matches({0}, {1}) THEN regexp_extract({0}, {1}, {2}) END"}
}

func (helpers) RegexReplaceFirst() sqlgen.Template {
	return sqlgen.Template{Note: "regexp_replace replaces the first match unless given the g option.", Doc: "https://duckdb.org/docs/stable/sql/functions/regular_expressions", SQL: "regexp_replace({0}, {1}, {2})"}
}

func (helpers) RegexReplaceAll() sqlgen.Template {
	return sqlgen.Template{Note: "The g option replaces every match.", Doc: "https://duckdb.org/docs/stable/sql/functions/regular_expressions", SQL: "regexp_replace({0}, {1}, {2}, 'g')"}
}
