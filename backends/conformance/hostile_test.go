package conformance_test

import (
	"strings"
	"testing"

	"github.com/featc/featc"

	"github.com/featc/featc/backends"
	"github.com/featc/featc/backends/duckdb"
	"github.com/featc/featc/backends/postgres"
	"github.com/featc/featc/backends/snowflake"
	"github.com/featc/featc/backends/sqlgen"
	"github.com/featc/featc/internal/cases"
	"github.com/featc/featc/types"
)

// TestHostileNames runs a program whose column names and strings hold quotes, semicolons,
// backslashes, comment markers and unicode: every identifier is quoted and every literal
// escaped, so the statements compute the intended rows and nothing else.
func TestHostileNames(t *testing.T) {
	c := cases.Case{
		Name: "hostile",
		Src: `source events { "a\"b": string, "x; DROP TABLE t; --": int64, "back\\slash": string, "/* c */ -- d": float64, "ünï cödé": string }
frame f = events
    .filter(col("a\"b") != "it's; DROP TABLE y; --\\ /* z */")
    .select(col("a\"b"), n = col("x; DROP TABLE t; --") + 1, b = col("back\\slash") + "'\\", c = col("/* c */ -- d"), u = col("ünï cödé"))
`,
		Inputs: map[string][][]any{"events": {
			{`it's; DROP TABLE y; --\ /* z */`, 1, `\`, 1.5, "é"},
			{`o'k"`, 2, `\'`, nil, "日本"},
			{nil, 3, nil, -0.5, nil},
		}},
		Output: "f",
		// != drops the null row (a null condition) and the hostile value itself.
		Want: []string{types.Quote(`o'k"`) + " | 3 | " + types.Quote(`\''\`) + " | null | " + types.Quote("日本")},
	}
	// The evaluator agrees.
	runEval(t, c)
	for _, e := range engines(t) {
		t.Run(e.name, func(t *testing.T) { _ = runCase(t, e, c) })
	}
}

// TestStringLiteralsEscape checks the escaping of each dialect's literals and identifiers.
func TestStringLiteralsEscape(t *testing.T) {
	for _, tc := range []struct {
		d          *sqlgen.Dialect
		str, ident string
	}{
		{duckdb.Dialect, `'it''s \ --'`, `"a""b"`},
		// Postgres: a backslash makes it an E'…' string, which reads the same whatever
		// standard_conforming_strings is.
		{postgres.Dialect, `E'it''s \\ --'`, `"a""b"`},
		// Snowflake reads backslash escapes in single-quoted strings.
		{snowflake.Dialect, `'it''s \\ --'`, `"a""b"`},
	} {
		if got := tc.d.String(`it's \ --`); got != tc.str {
			t.Errorf("%s: String = %s, want %s", tc.d.Name, got, tc.str)
		}
		if got := tc.d.Ident(`a"b`); got != tc.ident {
			t.Errorf("%s: Ident = %s, want %s", tc.d.Name, got, tc.ident)
		}
	}
}

// TestPlaceholderTextInLiterals: strings that look like template placeholders ({0}, {7},
// {over}, {type}) inside a partition key or an argument stay the strings they are on every
// dialect, and compute the evaluator's rows on the engines.
func TestPlaceholderTextInLiterals(t *testing.T) {
	c := cases.Case{
		Name: "placeholders",
		Src: `source orders { id: int64, tag: string, amount: float64 }
frame f = orders.with_columns(
    u = amount.n_unique().over(tag == "{0}"),
    v = amount.median().over(tag == "{7}"),
    w = amount.quantile(0.5, interpolation = "lower").over(tag == "{over}"),
    x = (tag + "{type}").str.len(),
).select(id, u, v, w, x)
`,
		Inputs: map[string][][]any{"orders": {{1, "{0}", 1.0}, {2, "{0}", 3.0}, {3, "{over}", 5.0}, {4, nil, 7.0}}},
		Output: "f",
		// Partitions: tag == "{0}" is true for ids 1, 2, false for 3, null for 4; tag == "{7}"
		// false for 1-3, null for 4; tag == "{over}" false for 1, 2, true for 3, null for 4.
		Want: []string{"1 | 2 | 3.0 | 1.0 | 9", "2 | 2 | 3.0 | 1.0 | 9", "3 | 1 | 3.0 | 5.0 | 12", "4 | 1 | 7.0 | 7.0 | null"},
	}
	runEval(t, c)
	for _, e := range engines(t) {
		t.Run(e.name, func(t *testing.T) { _ = runCase(t, e, c) })
	}
	p, err := featc.CompileSources([]featc.Source{{Name: "test.feat", Text: c.Src}})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range backends.Engines() {
		d := e.Dialect
		st, err := sqlgen.CompileOutput(p.IR(), d, "f", sqlgen.Options{})
		if err != nil {
			t.Fatalf("%s: %v", d.Name, err)
		}
		for _, lit := range []string{"'{0}'", "'{7}'", "'{over}'", "'{type}'"} {
			if !strings.Contains(st.SQL, lit) {
				t.Errorf("%s: the SQL lost the literal %s:\n%s", d.Name, lit, st.SQL)
			}
		}
	}
}
