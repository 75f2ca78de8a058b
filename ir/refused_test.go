package ir

import (
	"testing"

	"github.com/featc/featc/lang"
	"github.com/featc/featc/stdlib"
	"github.com/featc/featc/types"
)

// TestConstructorsRefuse checks that the IR's constructors refuse ill-formed relations, and
// that the checker reports a refusal with E0423, the code of a checker bug, not with the code
// of a mistake in the .feat (the checker reports those itself, before building anything).
func TestConstructorsRefuse(t *testing.T) {
	lib := stdlib.Standard()
	sum := lib.Lookup("sum")
	orders := &Scan{Source: "orders", Cols: Schema{{Name: "id", Type: types.Int64T}, {Name: "amount", Type: types.Float64T}}}
	id := &Col{Name: "id", T: types.Int64T}
	amount := &Col{Name: "amount", T: types.Float64T}
	total := &Agg{Func: sum, Overload: sum.Overloads[0], Args: []Expr{amount}, T: types.Float64T}
	refusals := map[string]func() error{
		"a project with two columns named id": func() error {
			_, err := NewProject(orders, []NamedExpr{{Name: "id", Expr: id}, {Name: "id", Expr: amount}}, lang.Span{})
			return err
		},
		"a project with an aggregate outside a window": func() error {
			_, err := NewProject(orders, []NamedExpr{{Name: "total", Expr: total}}, lang.Span{})
			return err
		},
		"a project reading a column its input lacks": func() error {
			_, err := NewProject(orders, []NamedExpr{{Name: "x", Expr: &Col{Name: "missing", T: types.Int64T}}}, lang.Span{})
			return err
		},
		"a filter whose condition is not bool": func() error {
			_, err := NewFilter(orders, amount, lang.Span{})
			return err
		},
		"an aggregate with two outputs named id": func() error {
			_, err := NewAggregate(orders, []NamedExpr{{Name: "id", Expr: id}}, []NamedExpr{{Name: "id", Expr: total}}, lang.Span{})
			return err
		},
		"an aggregate reading a row value": func() error {
			_, err := NewAggregate(orders, nil, []NamedExpr{{Name: "a", Expr: amount}}, lang.Span{})
			return err
		},
	}
	for name, build := range refusals {
		err := build()
		if err == nil {
			t.Errorf("%s: built, want a refusal", name)
			continue
		}
		var diags lang.Diagnostics
		c := &checker{lib: lib, diags: &diags}
		if v := c.refused(lang.Span{}, err); v.kind != vBad {
			t.Errorf("%s: refused returned a value of kind %d, want bad", name, v.kind)
		}
		if len(diags) != 1 || diags[0].Code != lang.ERefusedPlan || diags[0].Message != err.Error() {
			t.Errorf("%s: reported %v, want one %s with the refusal %q", name, diags, lang.ERefusedPlan, err)
		}
	}
}
