package sqlgen

import (
	"fmt"
	"strings"

	"github.com/featc/featc/types"
)

// A Dialect is everything that differs between SQL engines, as data: the names of types, how
// identifiers, strings and parameters are written, what the engine can express (Caps), and
// the function table's overrides (Funcs, keyed by overload ID or function name, looked up
// before the shared table). Nothing in the generator tests a dialect's name.
type Dialect struct {
	Name string
	// Types names the SQL type of each featc type; decimals use Decimal with precision and scale.
	Types   map[types.Kind]string
	Decimal string // a format with two %d: precision and scale
	// BackslashEscapes says that string literals treat a backslash as an escape character, so
	// that a literal backslash must be doubled.
	BackslashEscapes bool
	// EscapeStringPrefix, when set, is written before a string literal that holds a backslash,
	// which is then doubled: the literal means the same whatever the server's settings. Postgres
	// reads a backslash in '…' as an escape when standard_conforming_strings is off (so that
	// '\'' would end a literal early and let a param's text into the statement), and always in
	// E'…' (https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-STRINGS-ESCAPE).
	// A literal without a backslash reads the same under both settings and stays plain.
	EscapeStringPrefix string
	// MaxIdentBytes is the longest identifier the engine keeps as written, in bytes (0: no
	// limit), and MaxIdentDocs where it says so.
	MaxIdentBytes int
	MaxIdentDocs  string
	// Placeholder writes the n-th (1-based) query parameter.
	Placeholder func(n int) string
	// Collate is appended to string operands of comparisons, sorts, min and max so that they
	// compare by bytes ("" when the engine does so already).
	Collate string
	// TempSchema names the schema that holds only the session's temporary tables, so that
	// featc can drop a temporary table of its own without ever reaching a permanent table of
	// the same name ("" where the engine has none: featc then never drops before creating one).
	TempSchema string
	// UseSchema is the statement that makes a schema the session's default, with %s for its
	// quoted name: where featc's tests give each case a namespace of its own on a server.
	UseSchema string
	// Session lists the statements that set up a session (the time zone to UTC, …).
	Session []string
	Caps    Caps
	// Helpers writes the pieces of SQL several templates share and each engine writes its own way.
	Helpers Helpers
	// Funcs overrides the shared function table for this dialect.
	Funcs map[string]Template
	// ReadFile writes the FROM item reading a data file, and whether its columns arrive as
	// text to be cast by featc's rules (CSV); nil when the engine reads tables only.
	ReadFile func(d *Dialect, path string) (from string, text bool, err error)
}

// Caps says what an engine can express.
type Caps struct {
	// AsOf is the form of as-of join the engine has.
	AsOf AsOfForm
	// Lateral says whether the engine has LATERAL subqueries with arbitrary correlation,
	// which entity features use.
	Lateral bool
	// FilterClause says whether aggregates take FILTER (WHERE …).
	FilterClause bool
	// CaseInsensitiveNames says that quoted identifiers differing only in case name the same
	// column (DuckDB), so that such names cannot both appear in one relation.
	CaseInsensitiveNames bool
	// EntityDocs links to the documentation behind an engine's entity-features support.
	EntityDocs string
	// NoEntityReason, when set, makes entity features unsupported on the engine.
	NoEntityReason string
	// EntityJoin says when entity features are computed by joining sources to the spine and
	// aggregating per spine row (the range join) rather than by correlated subqueries.
	EntityJoin JoinUse
	// NoOuterInWindows says that the engine rejects, inside a correlated subquery, a window
	// function whose arguments read the outer row (DuckDB 1.5.5's binder: "window expression is
	// not supported here"): entity blocks with such a frame take the range join there.
	NoOuterInWindows bool
	// SortLosesZeroSign says that a float column the engine sorts on (ORDER BY, or a window's
	// PARTITION BY and ORDER BY) comes back out of the sort with -0.0 turned into 0.0, for
	// every use of the column in that step (DuckDB 1.5: its sort rebuilds key columns from a
	// normalized key encoding, which does not keep the sign of zero). featc sorts on the key
	// plus 0.0 there, a computed value, so that the column itself passes through untouched;
	// -0.0 and 0.0 are one key in featc anyway (docs/semantics.md).
	SortLosesZeroSign bool
	// FloatOverflowErrors says that a float result too large (or, for products, quotients,
	// powers and exponentials, too small) for float64, from finite operands, stops the query
	// where the evaluator gives an infinity or zero (Postgres; docs/semantics.md).
	FloatOverflowErrors bool
	// MaxColumns is the most columns a result may have (0: no limit), with its source.
	MaxColumns     int
	MaxColumnsDocs string
	// MaxExprDepth is the deepest expression (Expr.Depth) featc writes for the engine (0: no
	// limit), with its source; deeper ones are refused at compile time.
	MaxExprDepth     int
	MaxExprDepthDocs string
	// Fence, appended to a subquery, keeps the planner from merging it into the query reading
	// it ("" where it does not merge expressions back together).
	Fence string
	// CTEFence, written after a CTE's AS, makes the engine compute it once instead of inlining
	// it into its readers; featc writes it on long chains of frames.
	CTEFence string
	// MaxDefChain is the longest chain of frames, each reading the one before, an output may
	// read (0: no limit), with its source.
	MaxDefChain     int
	MaxDefChainDocs string
}

// AsOfForm is how an engine writes an as-of join.
type AsOfForm uint8

// As-of join forms.
const (
	// AsOfLateral: LEFT JOIN LATERAL (… ORDER BY … LIMIT 1) ON TRUE.
	AsOfLateral AsOfForm = iota
	// AsOfNative: DuckDB's ASOF LEFT JOIN … ON a.by = b.by AND a.t >= b.t.
	AsOfNative
	// AsOfMatchCondition: Snowflake's ASOF JOIN … MATCH_CONDITION (a.t >= b.t) ON a.by = b.by.
	AsOfMatchCondition
)

// TypeName is the SQL type of a featc type. Durations are BIGINT microseconds on every engine:
// SQL interval types mix months, days and microseconds and compare differently per engine.
func (d *Dialect) TypeName(t types.Type) string {
	if t.Kind == types.Decimal {
		return fmt.Sprintf(d.Decimal, t.Precision, t.Scale)
	}
	return d.Types[t.Kind]
}

// Ident quotes an identifier: always, with embedded quotes doubled, so that no name can
// change the statement.
func (d *Dialect) Ident(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// String writes a string literal: quotes doubled, and backslashes too where they escape.
func (d *Dialect) String(s string) string {
	s = strings.ReplaceAll(s, `'`, `''`)
	if d.BackslashEscapes {
		s = strings.ReplaceAll(s, `\`, `\\`)
	} else if d.EscapeStringPrefix != "" && strings.Contains(s, `\`) {
		return d.EscapeStringPrefix + "'" + strings.ReplaceAll(s, `\`, `\\`) + "'"
	}
	return "'" + s + "'"
}

// Template is how one function or operator is written in SQL.
type Template struct {
	// SQL is the text with {0}, {1}, … for the arguments, {args} for all of them separated by
	// commas, {type} for the SQL type of the result and {t0}, {t1}, … for the arguments' types.
	SQL string
	// Prec is the binding strength of the written expression: 0 for an atom (a function call,
	// a CASE, a parenthesised expression), higher for looser operators. An argument is put in
	// parentheses when it binds no tighter than its operator template.
	Prec int
	// Fn writes the call itself when a text template cannot (variadic lists, options decoded
	// at compile time).
	Fn func(c *Call) (Expr, error)
	// Unsupported, when set, refuses the function on the dialect: its reason is what the
	// compile-time refusal prints.
	Unsupported *Unsupported
	// Windowed says that the template (an aggregate's) computes the aggregate over a window
	// partition where {over} stands, after each aggregate call it makes (Fn templates:
	// Call.Over); OverSQL, when set, is the text to use there instead of SQL. An aggregate
	// that is not Windowed on a dialect is computed over a partition by a correlated
	// subquery (Caps.Lateral), or refused.
	Windowed bool
	OverSQL  string
	// Window writes a window function (stdlib's Kind Window) from its call and OVER clause.
	Window func(w *WindowCall) (Expr, error)
	// Twice says that the template writes its arguments twice (Snowflake's checked integer
	// arithmetic tests the result, then returns it), so that a chain of n such calls is 2ⁿ
	// long: projections are cut into stages after a few of them (stage).
	Twice bool
	// Note says why a dialect writes the function its own way, and Doc links the engine's
	// documentation that makes it so; docs/functions.md lists them per engine.
	Note string
	Doc  string
}

// Unsupported explains why an engine cannot compute a construct with featc's semantics.
type Unsupported struct {
	Reason string
	Link   string
}

// Precedence levels of written expressions (Template.Prec).
const (
	PrecAtom  = 0
	PrecUnary = 1
	PrecMul   = 2
	PrecAdd   = 3
	PrecCmp   = 4
	PrecNot   = 5
	PrecAnd   = 6
	PrecOr    = 7
)

// JoinUse says when a dialect computes entity features by the range join.
type JoinUse uint8

// Uses of the range join.
const (
	// JoinNever: correlated subqueries, which the engine decorrelates well (DuckDB).
	JoinNever JoinUse = iota
	// JoinPreferred: the range join where it writes the block, correlated subqueries
	// otherwise (Postgres, whose correlated plans rescan the source for every spine row).
	JoinPreferred
	// JoinAlways: the range join, refusing the blocks it does not write (Snowflake, whose
	// correlated subqueries are restricted).
	JoinAlways
)
