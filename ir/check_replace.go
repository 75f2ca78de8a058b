package ir

import (
	"github.com/featc/featc/lang"
	"github.com/featc/featc/types"
)

// Polars' replace and replace_strict map values to values: x.replace({"a": "A"}),
// x.replace(["a", "b"], ["A", "B"]), x.replace("a", "A"), x.replace_strict({1: "low"},
// default = "other"). They are written out as the conditional they stand for: the first key
// equal to x (a null key matches a null x) gives its value.

func (c *checker) replaceCall(name string, recv value, x *lang.CallExpr, e *env) value {
	strict := name == "replace_strict"
	xe, ok := c.asExpr(recv, recv.node)
	if !ok {
		return bad
	}
	var oldNode, newNode, defNode lang.Expr
	pos := 0
	for _, a := range x.Args {
		argName := ""
		if a.Name != nil {
			argName = a.Name.Name
		} else {
			switch pos {
			case 0:
				argName = "old"
			case 1:
				argName = "new"
			default:
				c.diags.Errorf(lang.EArgCount, a.Value.Span(), "%s takes a mapping, or old and new values", name).
					WithHint(`x.%s({"a": 1, "b": 2}) or x.%s(["a", "b"], [1, 2])`, name, name)
				return bad
			}
			pos++
		}
		switch {
		case argName == "old" && oldNode == nil:
			oldNode = a.Value
		case argName == "new" && newNode == nil:
			newNode = a.Value
		case argName == "default" && strict && defNode == nil:
			defNode = a.Value
		default:
			sp := a.Value.Span()
			if a.Name != nil {
				sp = a.Name.Sp
			}
			d := c.diags.Errorf(lang.EUnknownArg, sp, "%s has no parameter %s, or it is given twice", name, argName)
			if argName == "default" {
				d.WithHint("replace keeps x where no key matches; replace_strict(…, default = …) gives a default")
			} else {
				d.WithHint("its parameters are: old, new%s", map[bool]string{true: ", default"}[strict])
			}
			return bad
		}
	}
	if oldNode == nil {
		c.diags.Errorf(lang.EMissingArg, x.Span(), "%s needs the values to replace", name).
			WithHint(`x.%s({"a": 1, "b": 2}) or x.%s(["a", "b"], [1, 2])`, name, name)
		return bad
	}
	var keys, vals []lang.Expr
	switch o := oldNode.(type) {
	case *lang.MapExpr:
		if newNode != nil {
			c.diags.Errorf(lang.EArgCount, newNode.Span(), "%s takes a mapping or new values, not both", name).
				WithHint("drop new: the mapping's values are the new values")
			return bad
		}
		keys, vals = o.Keys, o.Values
	case *lang.ListExpr:
		keys = o.Elems
		switch n := newNode.(type) {
		case nil:
			c.diags.Errorf(lang.EMissingArg, x.Span(), "%s needs new values for the list of old ones", name).
				WithHint("give as many new values: x.%s([1, 2], [10, 20]), or a mapping {1: 10, 2: 20}", name)
			return bad
		case *lang.ListExpr:
			if len(n.Elems) != len(keys) {
				c.diags.Errorf(lang.EArgCount, n.Span(), "%s has %d old values and %d new ones", name, len(keys), len(n.Elems)).
					WithHint("give one new value per old value, or a single new value for all")
				return bad
			}
			vals = n.Elems
		default:
			for range keys {
				vals = append(vals, n) // one new value for every old one, as in Polars
			}
		}
	default:
		if newNode == nil {
			c.diags.Errorf(lang.EMissingArg, x.Span(), "%s needs a new value", name).
				WithHint(`x.%s(%s, new_value), or a mapping {%s: new_value}`, name, oldNode.Span().Text(), oldNode.Span().Text())
			return bad
		}
		if _, isList := newNode.(*lang.ListExpr); isList {
			c.diags.Errorf(lang.EArgCount, newNode.Span(), "%s has one old value and a list of new ones", name).
				WithHint("give old values as a list too, or one new value")
			return bad
		}
		keys, vals = []lang.Expr{oldNode}, []lang.Expr{newNode}
	}
	if len(keys) == 0 {
		c.diags.Errorf(lang.EMissingArg, oldNode.Span(), "%s needs at least one value to replace", name).
			WithHint(`x.%s({"a": 1})`, name)
		return bad
	}
	var conds, outs []Expr
	seen := map[string]bool{}
	for i, k := range keys {
		kl, isConst := c.constant(c.expr(k, e))
		if !isConst {
			c.diags.Errorf(lang.ENotConstant, k.Span(), "the values %s replaces must be constants", name).
				WithHint("for a computed condition write when(…).then(…).otherwise(x)")
			return bad
		}
		if id := kl.Value.Type.String() + ":" + kl.Value.String(); seen[id] {
			c.diags.Errorf(lang.EDuplicateArg, k.Span(), "%s is replaced twice", k.Span().Text()).
				WithHint("keep one entry for it")
			return bad
		} else {
			seen[id] = true
		}
		var cond Expr
		if kl.Value.Null {
			cond, ok = c.applyAt("is_null", k, xe)
		} else {
			cond, ok = c.applyAt("==", k, xe, kl)
		}
		if !ok {
			return bad
		}
		v, ok := c.asExpr(c.expr(vals[i], e), vals[i])
		if !ok {
			return bad
		}
		conds, outs = append(conds, cond), append(outs, v)
	}
	t := xe.Type()
	def := xe
	if strict {
		if defNode != nil {
			d, ok := c.asExpr(c.expr(defNode, e), defNode)
			if !ok {
				return bad
			}
			def = d
		} else {
			def = &Lit{Value: types.NullValue(types.NullT), Sp: x.Span()}
		}
		t = types.NullT
		for i, v := range append(append([]Expr{}, outs...), def) {
			ct, ok := types.Common(t, v.Type())
			if !ok {
				n := defNode
				if i < len(vals) {
					n = vals[i]
				}
				c.diags.Errorf(lang.EBranchTypes, n.Span(), "this value has type %s, but the others have type %s", v.Type(), t).
					WithHint("convert the values to one type with .cast(…)")
				return bad
			}
			t = ct
		}
		if t.Kind == types.Null {
			c.diags.Errorf(lang.EBranchTypes, x.Span(), "every new value is null, so the result has no type").
				WithHint("cast one: null.cast(float64)")
			return bad
		}
	} else {
		for i, v := range outs {
			if _, ok := types.Promotable(v.Type(), t); !ok {
				c.diags.Errorf(lang.EBranchTypes, vals[i].Span(), "replace keeps the type of %s, %s; this value has type %s", recv.node.Span().Text(), t, v.Type()).
					WithHint("replace_strict(…) gives the new values' type")
				return bad
			}
		}
	}
	r, ok := c.caseOf(conds, outs, def, t, x.Span())
	if !ok {
		c.diags.Errorf(lang.EBranchTypes, x.Span(), "%s cannot produce a %s", name, t)
		return bad
	}
	return exprValue(r, x)
}

// diffCall checks x.diff(n = 1): Polars' difference from the value n rows before, written as
// x - x.shift(n), pending the .over(…) that orders it.
func (c *checker) diffCall(recv value, x *lang.CallExpr, e *env) value {
	var args []*lang.Arg
	for _, a := range x.Args {
		if a.Name != nil && a.Name.Name == "null_behavior" {
			if lit, ok := a.Value.(*lang.BasicLit); !ok || lit.Kind != lang.StringLit || lit.Value != "ignore" {
				c.diags.Errorf(lang.EBadOption, a.Value.Span(), "diff supports null_behavior = \"ignore\" only").
					WithHint("a null on either row gives null, as Polars' default")
				return bad
			}
			continue
		}
		args = append(args, a)
	}
	shifted := c.callStdlib(c.lib.Lookup("shift"), &recv, &lang.CallExpr{Fun: x.Fun, Args: args, Lparen: x.Lparen, Rparen: x.Rparen}, e)
	xe, xheld, ok := c.operand(recv, recv.node)
	if !ok {
		return bad
	}
	s, sheld, ok := c.operand(shifted, x)
	if !ok {
		return bad
	}
	f := c.lib.Operator("-", false)
	return holding(c.applyScalar(f, []Expr{xe, s}, []lang.Expr{recv.node, x}, x, x.Span()), append(xheld, sheld...))
}
