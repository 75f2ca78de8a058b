package ir

import (
	"github.com/featc/featc/lang"
	"github.com/featc/featc/types"
)

// Polars' horizontal reductions over several expressions of one row. sum, mean, any and all
// are written as the arithmetic and logic they stand for, so that every engine computes them
// with the operators' semantics (integer overflow is an error, and/or are three-valued);
// min_horizontal and max_horizontal are functions of the standard library.

// horizontal checks name(x1, x2, …, ignore_nulls = …) for sum, mean, any and all.
func (c *checker) horizontal(name string, x *lang.CallExpr, e *env) value {
	ignoreNulls := true
	var args []Expr
	var nodes []lang.Expr
	ok := true
	for _, a := range x.Args {
		if a.Name != nil {
			if a.Name.Name != "ignore_nulls" || name == "any_horizontal" || name == "all_horizontal" {
				d := c.diags.Errorf(lang.EUnknownArg, a.Name.Sp, "%s has no parameter %s", name, a.Name.Name)
				if name == "sum_horizontal" || name == "mean_horizontal" {
					d.WithHint("its parameters are: the expressions, ignore_nulls")
				} else {
					d.WithHint("give it the expressions: %s(a, b, c); nulls follow three-valued logic", name)
				}
				ok = false
				continue
			}
			lit, isConst := c.constant(c.expr(a.Value, e))
			if !isConst || lit.Value.Type.Kind != types.Bool || lit.Value.Null {
				c.diags.Errorf(lang.ENotConstant, a.Value.Span(), "ignore_nulls must be true or false").
					WithHint("ignore_nulls = false makes a null in any input give null")
				ok = false
				continue
			}
			ignoreNulls = lit.Value.Bool()
			continue
		}
		elems := []lang.Expr{a.Value}
		if l, isList := a.Value.(*lang.ListExpr); isList {
			elems = l.Elems
		}
		for _, n := range elems {
			v, vok := c.asExpr(c.expr(n, e), n)
			ok = ok && vok
			args, nodes = append(args, v), append(nodes, n)
		}
	}
	if !ok {
		return bad
	}
	if len(args) == 0 {
		c.diags.Errorf(lang.EMissingArg, x.Span(), "%s needs at least one expression", name).
			WithHint("%s(a, b, c)", name)
		return bad
	}
	sp := x.Span()
	op := func(fn string, operands ...Expr) (Expr, bool) { return c.applyAt(fn, x, operands...) }
	fold := func(fn string, terms []Expr) (Expr, bool) {
		acc := terms[0]
		for _, t := range terms[1:] {
			var ok bool
			if acc, ok = op(fn, acc, t); !ok {
				return nil, false
			}
		}
		return acc, true
	}
	lit := func(v types.Value) Expr { return &Lit{Value: v, Sp: sp} }
	switch name {
	case "any_horizontal", "all_horizontal":
		for i, a := range args {
			if a.Type().Kind != types.Bool && a.Type().Kind != types.Null {
				c.diags.Errorf(lang.ENotBool, nodes[i].Span(), "%s takes booleans, not %s", name, a.Type()).
					WithHint("compare it first: %s > 0", nodes[i].Span().Text())
				return bad
			}
			args[i] = c.convert(a, types.BoolT)
		}
		symbol := "or"
		if name == "all_horizontal" {
			symbol = "and"
		}
		r, ok := fold(symbol, args)
		if !ok {
			return bad
		}
		return exprValue(r, x)
	}
	// sum and mean: booleans count 1 for true, as in Polars; mean works in float64.
	terms := make([]Expr, len(args))
	for i, a := range args {
		switch {
		case name == "mean_horizontal" && a.Type().Kind != types.Float64 && (a.Type().IsInteger() || a.Type().Kind == types.Decimal || a.Type().Kind == types.Bool || a.Type().Kind == types.Null):
			a = c.convert(a, types.Float64T)
		case a.Type().Kind == types.Bool:
			a = c.convert(a, types.Int64T)
		}
		terms[i] = a
		if ignoreNulls {
			var ok bool
			if terms[i], ok = op("fill_null", a, lit(types.Int64Value(0))); !ok {
				return bad
			}
		}
	}
	sum, ok := fold("+", terms)
	if !ok {
		return bad
	}
	if name == "sum_horizontal" {
		return exprValue(sum, x)
	}
	// The mean divides by the number of non-null inputs; with none, it is null.
	var n Expr = lit(types.Int64Value(int64(len(args))))
	if ignoreNulls {
		counts := make([]Expr, len(args))
		for i, a := range args {
			nn, ok := op("is_not_null", a)
			if !ok {
				return bad
			}
			counts[i] = c.convert(nn, types.Int64T)
		}
		if n, ok = fold("+", counts); !ok {
			return bad
		}
	}
	mean, ok := op("/", sum, n)
	if !ok {
		return bad
	}
	if !ignoreNulls {
		return exprValue(mean, x)
	}
	some, ok := op(">", n, lit(types.Int64Value(0)))
	if !ok {
		return bad
	}
	r, _ := c.caseOf([]Expr{some}, []Expr{mean}, lit(types.NullValue(types.Float64T)), types.Float64T, sp)
	return exprValue(r, x)
}

// applyAt applies a function or operator (by name or symbol) to checked arguments, reporting
// a mismatch at node: the calls the checker writes for a construct that stands for them.
func (c *checker) applyAt(fn string, node lang.Expr, operands ...Expr) (Expr, bool) {
	f := c.lib.Operator(fn, false)
	if f == nil {
		f = c.lib.Lookup(fn)
	}
	ns := make([]lang.Expr, len(operands))
	for i := range ns {
		ns[i] = node
	}
	v := c.applyScalar(f, operands, ns, node, node.Span())
	if v.kind == vBad {
		return nil, false
	}
	return v.expr, true
}

// caseOf builds the conditional of conds and values with otherwise def, all of type t.
func (c *checker) caseOf(conds, vals []Expr, def Expr, t types.Type, sp lang.Span) (Expr, bool) {
	_, o := c.lib.Overload("case_" + t.Kind.String())
	if o == nil {
		return nil, false
	}
	var args []Expr
	for i := range conds {
		args = append(args, conds[i], c.convert(vals[i], t))
	}
	args = append(args, c.convert(def, t))
	return &Call{Func: c.lib.Lookup("case"), Overload: o, Args: args, T: t, Sp: sp}, true
}
