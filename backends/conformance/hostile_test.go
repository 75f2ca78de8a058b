package conformance_test

import (
	"testing"

	"github.com/featc/featc/backends/sqlgen"
	"github.com/featc/featc/internal/cases"
	"github.com/featc/featc/ir/types"
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
		{sqlgen.DuckDB, `'it''s \ --'`, `"a""b"`},
		{sqlgen.Postgres, `'it''s \ --'`, `"a""b"`},
		// Snowflake reads backslash escapes in single-quoted strings.
		{sqlgen.Snowflake, `'it''s \\ --'`, `"a""b"`},
	} {
		if got := tc.d.String(`it's \ --`); got != tc.str {
			t.Errorf("%s: String = %s, want %s", tc.d.Name, got, tc.str)
		}
		if got := tc.d.Ident(`a"b`); got != tc.ident {
			t.Errorf("%s: Ident = %s, want %s", tc.d.Name, got, tc.ident)
		}
	}
}
