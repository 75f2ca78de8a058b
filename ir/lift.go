package ir

import (
	"fmt"

	"github.com/featc/featc/lang"
)

// liftWindows computes the window functions of exprs — a filter's condition, sort keys — in a
// projection below the operator that reads them, as Polars does: `filter(len().over(a) == 1)`
// is a projection adding the window's value as a column, the filter over it, and a projection
// dropping it. It returns the relation to build the operator on, exprs reading the lifted
// columns instead, and a function wrapping the operator to restore rel's columns (the identity
// when nothing was lifted). Every engine then computes the window over the operator's whole
// input, before it filters or sorts, which SQL cannot write in a WHERE or ORDER BY.
func liftWindows(rel Rel, exprs []Expr, sp lang.Span) (Rel, []Expr, func(Rel) Rel, error) {
	lifted := false
	for _, e := range exprs {
		if ContainsWindow(e) {
			lifted = true
		}
	}
	if !lifted {
		return rel, exprs, func(r Rel) Rel { return r }, nil
	}
	schema := rel.Schema()
	var keep []NamedExpr
	for _, f := range schema {
		keep = append(keep, NamedExpr{Name: f.Name, Expr: &Col{Name: f.Name, T: f.Type, Sp: sp}})
	}
	cols := append([]NamedExpr{}, keep...)
	taken := map[string]bool{}
	for _, f := range schema {
		taken[f.Name] = true
	}
	n := 0
	out := make([]Expr, len(exprs))
	for i, e := range exprs {
		out[i] = replaceWindows(e, func(w *Window) Expr {
			name := fmt.Sprintf("__window_%d", n)
			for taken[name] {
				n++
				name = fmt.Sprintf("__window_%d", n)
			}
			n++
			taken[name] = true
			cols = append(cols, NamedExpr{Name: name, Expr: w})
			return &Col{Name: name, T: w.T, Sp: w.Sp}
		})
	}
	below, err := NewProject(rel, cols, sp)
	if err != nil {
		return nil, nil, nil, err
	}
	restore := func(r Rel) Rel {
		p, err := NewProject(r, keep, sp)
		if err != nil {
			panic(err) // the operator keeps its input's columns, which include keep
		}
		return p
	}
	return below, out, restore, nil
}

// replaceWindows returns e with each window function (outermost ones: windows do not nest)
// replaced by fn's result, rebuilding the nodes above them.
func replaceWindows(e Expr, fn func(*Window) Expr) Expr {
	switch x := e.(type) {
	case *Window:
		return fn(x)
	case *Call:
		var args []Expr
		for i, a := range x.Args {
			if na := replaceWindows(a, fn); na != a {
				if args == nil {
					args = append([]Expr{}, x.Args...)
				}
				args[i] = na
			}
		}
		if args != nil {
			c := *x
			c.Args = args
			return &c
		}
	case *Cast:
		if nx := replaceWindows(x.X, fn); nx != x.X {
			c := *x
			c.X = nx
			return &c
		}
	}
	return e
}
