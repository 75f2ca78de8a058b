package sqlgen

import (
	"strings"
	"testing"

	"github.com/featc/featc/types"
)

// TestSnowflakeQuirksCited: Snowflake cannot be run here, so every SQL of its own that featc
// writes for it says why and cites the documentation page the reason comes from.
func TestSnowflakeQuirksCited(t *testing.T) {
	for key, tpl := range Snowflake.Funcs {
		if tpl.Note == "" || !strings.HasPrefix(tpl.Doc, "https://docs.snowflake.com/") {
			t.Errorf("Snowflake's %s: note %q, doc %q: say why and cite docs.snowflake.com", key, tpl.Note, tpl.Doc)
		}
	}
}

// TestFillKeepsGrouping: an argument that is itself an operation goes in parentheses where a
// function-like template puts an operator next to it (Snowflake's TRUNC({0} / {1}) wrote
// TRUNC(a - b / c) before), and not elsewhere.
func TestFillKeepsGrouping(t *testing.T) {
	sub := Expr{SQL: "a - b", Prec: precAdd}
	c := Expr{SQL: "c", Prec: precAtom}
	if got := fill(Snowflake, "TRUNC({0} / {1})", precAtom, []Expr{sub, c}, nil, types.Type{}).SQL; got != "TRUNC((a - b) / c)" {
		t.Errorf("got %s", got)
	}
	if got := fill(Snowflake, "MOD({0}, {1})", precAtom, []Expr{sub, c}, nil, types.Type{}).SQL; got != "MOD(a - b, c)" {
		t.Errorf("got %s", got)
	}
	if got := fill(Snowflake, "{0} * {1}", precMul, []Expr{sub, c}, nil, types.Type{}).SQL; got != "(a - b) * c" {
		t.Errorf("got %s", got)
	}
}
