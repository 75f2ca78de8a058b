package sqlgen

import (
	"testing"

	"github.com/featc/featc/types"
)

// TestFillKeepsGrouping: an argument that is itself an operation goes in parentheses where a
// function-like template puts an operator next to it (Snowflake's TRUNC({0} / {1}) wrote
// TRUNC(a - b / c) before), and not elsewhere.
func TestFillKeepsGrouping(t *testing.T) {
	sub := Expr{SQL: "a - b", Prec: PrecAdd}
	c := Expr{SQL: "c", Prec: PrecAtom}
	if got := fill(&Dialect{Name: "test"}, "TRUNC({0} / {1})", PrecAtom, []Expr{sub, c}, nil, types.Type{}).SQL; got != "TRUNC((a - b) / c)" {
		t.Errorf("got %s", got)
	}
	if got := fill(&Dialect{Name: "test"}, "MOD({0}, {1})", PrecAtom, []Expr{sub, c}, nil, types.Type{}).SQL; got != "MOD(a - b, c)" {
		t.Errorf("got %s", got)
	}
	if got := fill(&Dialect{Name: "test"}, "{0} * {1}", PrecMul, []Expr{sub, c}, nil, types.Type{}).SQL; got != "(a - b) * c" {
		t.Errorf("got %s", got)
	}
}
