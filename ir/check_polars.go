package ir

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/featc/featc/lang"
	"github.com/featc/featc/stdlib"
	"github.com/featc/featc/types"
)

// Polars' functions that stand for others: the checker writes them out as the calls they mean,
// so that every engine computes them with those calls' semantics.

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
	xe, s, held, ok := c.operandPair(recv, recv.node, shifted, x)
	if !ok {
		return bad
	}
	f := c.lib.Operator("-", false)
	return holding(c.applyScalar(f, []Expr{xe, s}, []lang.Expr{recv.node, x}, x, x.Span()), held)
}

// concatStr checks concat_str(values…, separator = "", ignore_nulls = false): the values as
// strings (other types cast), joined by the separator; a null value gives null, or with
// ignore_nulls is left out with its separator.
func (c *checker) concatStr(x *lang.CallExpr, e *env) value {
	sep, ignoreNulls := "", false
	var parts []Expr
	var held []heldCall
	for _, a := range x.Args {
		if a.Name != nil {
			lit, isConst := c.constant(c.expr(a.Value, e))
			switch {
			case a.Name.Name == "separator" && isConst && lit.Value.Type.Kind == types.String && !lit.Value.Null:
				sep = lit.Value.S
			case a.Name.Name == "ignore_nulls" && isConst && lit.Value.Type.Kind == types.Bool && !lit.Value.Null:
				ignoreNulls = lit.Value.Bool()
			case a.Name.Name == "separator" || a.Name.Name == "ignore_nulls":
				c.diags.Errorf(lang.ENotConstant, a.Value.Span(), "%s of concat_str must be a constant %s", a.Name.Name, map[bool]string{true: "string", false: "true or false"}[a.Name.Name == "separator"]).
					WithHint(`concat_str(a, b, separator = "-", ignore_nulls = true)`)
				return bad
			default:
				c.diags.Errorf(lang.EUnknownArg, a.Name.Sp, "concat_str has no parameter %s", a.Name.Name).
					WithHint("its parameters are: the values, separator, ignore_nulls")
				return bad
			}
			continue
		}
		elems := []lang.Expr{a.Value}
		if l, isList := a.Value.(*lang.ListExpr); isList {
			elems = l.Elems
		}
		for _, n := range elems {
			v, h, ok := c.operand(c.expr(n, e), n)
			if !ok {
				return bad
			}
			if v.Type().Kind != types.String {
				if _, castable := stdlib.LookupCast(v.Type(), types.StringT); !castable && v.Type().Kind != types.Null {
					c.diags.Errorf(lang.EBadCast, n.Span(), "concat_str cannot write a %s as text", v.Type())
					return bad
				}
				v = c.convertText(v)
			}
			parts, held = append(parts, v), append(held, h...)
		}
	}
	if len(parts) == 0 {
		c.diags.Errorf(lang.EMissingArg, x.Span(), "concat_str needs at least one value").
			WithHint(`concat_str(a, b, separator = "-")`)
		return bad
	}
	sepLit := &Lit{Value: types.StringValue(sep), Sp: x.Span()}
	if !ignoreNulls {
		var args []Expr
		for i, p := range parts {
			if i > 0 && sep != "" {
				args = append(args, sepLit)
			}
			args = append(args, p)
		}
		r, ok := c.applyAt("concat", x, args...)
		if !ok {
			return bad
		}
		return holding(exprValue(r, x), held)
	}
	// Each value with its separator before it, "" where it is null; the first separator is
	// then dropped.
	empty := &Lit{Value: types.StringValue(""), Sp: x.Span()}
	pieces := make([]Expr, len(parts))
	for i, p := range parts {
		if sep != "" {
			var ok bool
			if p, ok = c.applyAt("+", x, sepLit, p); !ok {
				return bad
			}
		}
		var ok bool
		if pieces[i], ok = c.applyAt("fill_null", x, p, empty); !ok {
			return bad
		}
	}
	r, ok := c.applyAt("concat", x, pieces...)
	if !ok {
		return bad
	}
	if sep != "" {
		from := &Lit{Value: types.Int64Value(int64(utf8.RuneCountInString(sep))), Sp: x.Span()}
		if r, ok = c.applyAt("str.slice", x, r, from, &Lit{Value: types.NullValue(types.Int64T), Sp: x.Span()}); !ok {
			return bad
		}
	}
	return holding(exprValue(r, x), held)
}

// convertText casts a value to string (a null literal becomes a null string).
func (c *checker) convertText(v Expr) Expr {
	if l, ok := v.(*Lit); ok && l.Value.Null {
		return &Lit{Value: types.NullValue(types.StringT), Sp: l.Sp}
	}
	return &Cast{X: v, To: types.StringT, Sp: v.Span()}
}

// epochUnits are the units of dt.epoch and dt.timestamp, in microseconds (ns: a thousandth).
var epochUnits = map[string]int64{"d": types.Day, "s": types.Second, "ms": types.Millisecond, "us": 1, "ns": 0}

// dtCall checks the temporal methods written out as other calls: dt.epoch(time_unit),
// dt.timestamp(time_unit), dt.month_start() and dt.month_end().
func (c *checker) dtCall(name string, recv value, x *lang.CallExpr, e *env) value {
	xe, held, ok := c.operand(recv, recv.node)
	if !ok {
		return bad
	}
	k := xe.Type().Kind
	if k != types.Date && k != types.Timestamp {
		c.diags.Errorf(lang.ENoOverload, x.Span(), "dt.%s takes a date or timestamp, not %s", name, xe.Type()).
			WithHint("cast text first: x.cast(timestamp)")
		return bad
	}
	lit := func(v types.Value) Expr { return &Lit{Value: v, Sp: x.Span()} }
	switch name {
	case "month_start", "month_end":
		if len(x.Args) > 0 {
			c.diags.Errorf(lang.EArgCount, x.Args[0].Value.Span(), "dt.%s takes no arguments", name).WithHint("x.dt.%s()", name)
			return bad
		}
		// The first of the month, the time of day kept (as Polars): x less its day - 1 days.
		day, ok := c.applyAt("dt.day", x, xe)
		if !ok {
			return bad
		}
		var start Expr
		if k == types.Date {
			start, ok = c.applyAt("dt.truncate", x, xe, lit(types.Value{Type: types.IntervalT, I: 1}))
		} else {
			var back Expr
			if back, ok = c.applyAt("-", x, day, lit(types.Int64Value(1))); ok {
				if back, ok = c.applyAt("*", x, back, lit(types.Value{Type: types.DurationT, I: types.Day})); ok {
					start, ok = c.applyAt("-", x, xe, back)
				}
			}
		}
		if !ok {
			return bad
		}
		if name == "month_start" {
			return holding(exprValue(start, x), held)
		}
		// The last day: a month on from the first, less a day.
		next, ok := c.applyAt("dt.offset_by", x, start, lit(types.Value{Type: types.IntervalT, I: 1}))
		if !ok {
			return bad
		}
		end, ok := c.applyAt("-", x, next, lit(types.Value{Type: types.DurationT, I: types.Day}))
		if !ok {
			return bad
		}
		return holding(exprValue(c.convert(end, xe.Type()), x), held)
	}
	unit := "us"
	for i, a := range x.Args {
		if (a.Name == nil && i == 0) || (a.Name != nil && a.Name.Name == "time_unit") {
			l, isConst := c.constant(c.expr(a.Value, e))
			known := false
			if isConst && l.Value.Type.Kind == types.String {
				_, known = epochUnits[l.Value.S]
				if name == "timestamp" && (l.Value.S == "s" || l.Value.S == "d") {
					known = false
				}
			}
			if !known {
				choices := `"ns", "us", "ms", "s", "d"`
				if name == "timestamp" {
					choices = `"ns", "us", "ms"`
				}
				c.diags.Errorf(lang.EBadOption, a.Value.Span(), "time_unit of dt.%s must be one of %s", name, choices).
					WithHint(`x.dt.%s("ms")`, name)
				return bad
			}
			unit = l.Value.S
			continue
		}
		c.diags.Errorf(lang.EUnknownArg, a.Value.Span(), "dt.%s takes one time_unit", name).WithHint(`x.dt.%s("ms")`, name)
		return bad
	}
	ts := xe
	if k == types.Date {
		ts = c.convert(&Cast{X: xe, To: types.TimestampT, Sp: x.Span()}, types.TimestampT)
	}
	since, ok := c.applyAt("-", x, ts, lit(types.Value{Type: types.TimestampT, I: 0}))
	if !ok {
		return bad
	}
	us, ok := c.applyAt("dt.microseconds", x, since)
	if !ok {
		return bad
	}
	var r Expr = us
	switch per := epochUnits[unit]; {
	case per == 0:
		r, ok = c.applyAt("*", x, us, lit(types.Int64Value(1000)))
	case per > 1:
		r, ok = c.applyAt("//", x, us, lit(types.Int64Value(per)))
	}
	if !ok {
		return bad
	}
	return holding(exprValue(r, x), held)
}

// cutCall checks x.cut(breaks, labels = …, left_closed = false): the label of the bin x falls
// in, bins (-inf, b1], (b1, b2], …, (bn, inf) (left_closed: [-inf, b1), …), as Polars' cut;
// labels default to the bins written out as Polars writes them.
func (c *checker) cutCall(recv value, x *lang.CallExpr, e *env) value {
	xe, held, ok := c.operand(recv, recv.node)
	if !ok {
		return bad
	}
	if k := xe.Type().Kind; !xe.Type().IsInteger() && k != types.Float64 && k != types.Decimal {
		c.diags.Errorf(lang.ENoOverload, x.Span(), "cut takes a number, not %s", xe.Type())
		return bad
	}
	var breaksNode, labelsNode lang.Expr
	leftClosed := false
	for i, a := range x.Args {
		name := []string{"breaks", "labels"}[min(i, 1)]
		if a.Name != nil {
			name = a.Name.Name
		}
		switch name {
		case "breaks":
			breaksNode = a.Value
		case "labels":
			labelsNode = a.Value
		case "left_closed":
			l, isConst := c.constant(c.expr(a.Value, e))
			if !isConst || l.Value.Type.Kind != types.Bool || l.Value.Null {
				c.diags.Errorf(lang.ENotConstant, a.Value.Span(), "left_closed must be true or false")
				return bad
			}
			leftClosed = l.Value.Bool()
		default:
			sp := a.Value.Span()
			if a.Name != nil {
				sp = a.Name.Sp
			}
			c.diags.Errorf(lang.EUnknownArg, sp, "cut has no parameter %s", name).WithHint("cut(breaks = [0, 10], labels = [\"low\", \"mid\", \"high\"], left_closed = false)")
			return bad
		}
	}
	list, isList := breaksNode.(*lang.ListExpr)
	if !isList || len(list.Elems) == 0 {
		sp := x.Span()
		if breaksNode != nil {
			sp = breaksNode.Span()
		}
		c.diags.Errorf(lang.EMissingArg, sp, "cut needs a list of breaks").WithHint("x.cut([0, 10, 100])")
		return bad
	}
	var breaks []*Lit
	var values []float64
	for _, n := range list.Elems {
		l, isConst := c.constant(c.expr(n, e))
		var f float64
		switch {
		case isConst && l.Value.Type.IsInteger() && !l.Value.Null:
			f = float64(l.Value.I)
		case isConst && l.Value.Type.Kind == types.Float64 && !l.Value.Null && !math.IsNaN(l.Value.F):
			f = l.Value.F
		default:
			c.diags.Errorf(lang.ENotConstant, n.Span(), "the breaks of cut are constant numbers")
			return bad
		}
		if len(values) > 0 && f <= values[len(values)-1] {
			c.diags.Errorf(lang.EConstantRange, n.Span(), "the breaks of cut must increase").WithHint("sort them and drop duplicates")
			return bad
		}
		breaks, values = append(breaks, l), append(values, f)
	}
	var labels []Expr
	if labelsNode != nil {
		ll, isList := labelsNode.(*lang.ListExpr)
		if !isList || len(ll.Elems) != len(breaks)+1 {
			c.diags.Errorf(lang.EArgCount, labelsNode.Span(), "cut needs %d labels for %d breaks", len(breaks)+1, len(breaks)).
				WithHint("one label per bin: one more than the breaks")
			return bad
		}
		for _, n := range ll.Elems {
			l, isConst := c.constant(c.expr(n, e))
			if !isConst || l.Value.Type.Kind != types.String || l.Value.Null {
				c.diags.Errorf(lang.ENotConstant, n.Span(), "the labels of cut are constant strings")
				return bad
			}
			labels = append(labels, l)
		}
	} else {
		edges := append(append([]string{"-inf"}, formatBreaks(values)...), "inf")
		for i := 0; i+1 < len(edges); i++ {
			text := "(" + edges[i] + ", " + edges[i+1] + "]"
			if leftClosed {
				text = "[" + edges[i] + ", " + edges[i+1] + ")"
			}
			labels = append(labels, &Lit{Value: types.StringValue(text), Sp: x.Span()})
		}
	}
	cmp := "<="
	if leftClosed {
		cmp = "<"
	}
	isNull, ok := c.applyAt("is_null", x, xe)
	if !ok {
		return bad
	}
	conds := []Expr{isNull}
	vals := []Expr{&Lit{Value: types.NullValue(types.StringT), Sp: x.Span()}}
	for i, b := range breaks {
		cond, ok := c.applyAt(cmp, x, xe, b)
		if !ok {
			return bad
		}
		conds, vals = append(conds, cond), append(vals, labels[i])
	}
	r, ok := c.caseOf(conds, vals, labels[len(labels)-1], types.StringT, x.Span())
	if !ok {
		return bad
	}
	return holding(exprValue(r, x), held)
}

// formatBreaks writes bin edges as Polars' labels do (Rust's float display: 1, 2.5, no exponent).
func formatBreaks(vs []float64) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = strconv.FormatFloat(v, 'f', -1, 64)
	}
	return out
}

// fillNullStrategy checks Polars' x.fill_null(strategy = …): forward and backward are
// forward_fill and backward_fill (windows, ordered by their .over(…)); min, max and mean fill
// with that aggregate of x (over the .over(…)'s partition); zero and one with 0 and 1.
func (c *checker) fillNullStrategy(recv value, x *lang.CallExpr, e *env) value {
	var limit []*lang.Arg // forward and backward only
	args := x.Args
	if len(args) == 2 && args[1].Name != nil && args[1].Name.Name == "limit" {
		limit, args = args[1:], args[:1]
	}
	if len(args) != 1 {
		c.diags.Errorf(lang.EArgCount, x.Span(), "fill_null takes a value or a strategy (with a limit for forward and backward)").
			WithHint(`x.fill_null(strategy = "forward", limit = 2).over(order_by = t)`)
		return bad
	}
	node := args[0].Value
	l, isConst := c.constant(c.expr(node, e))
	strategy := ""
	if isConst && l.Value.Type.Kind == types.String && !l.Value.Null {
		strategy = l.Value.S
	}
	empty := &lang.CallExpr{Fun: x.Fun, Lparen: x.Lparen, Rparen: x.Rparen}
	if strategy != "forward" && strategy != "backward" && limit != nil {
		c.diags.Errorf(lang.EBadOption, limit[0].Value.Span(), "limit of fill_null applies to the forward and backward strategies").
			WithHint(`x.fill_null(strategy = "forward", limit = 2).over(order_by = t)`)
		return bad
	}
	switch strategy {
	case "forward", "backward":
		return c.callStdlib(c.lib.Lookup(strategy+"_fill"), &recv, &lang.CallExpr{Fun: x.Fun, Lparen: x.Lparen, Args: limit, Rparen: x.Rparen}, e)
	case "min", "max", "mean", "zero", "one":
		var fill value
		switch strategy {
		case "zero":
			fill = exprValue(&Lit{Value: types.Int64Value(0), Sp: node.Span()}, node)
		case "one":
			fill = exprValue(&Lit{Value: types.Int64Value(1), Sp: node.Span()}, node)
		default:
			fill = c.callStdlib(c.lib.Lookup(strategy), &recv, empty, e)
		}
		xe, fe, held, ok := c.operandPair(recv, recv.node, fill, node)
		if !ok {
			return bad
		}
		if strategy == "mean" && xe.Type().Kind != types.Float64 {
			// Polars' mean fill of integers gives floats.
			xe = c.convert(xe, types.Float64T)
		}
		r, ok := c.applyAt("fill_null", x, xe, fe)
		if !ok {
			return bad
		}
		return holding(exprValue(r, x), held)
	}
	c.diags.Errorf(lang.EBadOption, node.Span(), "strategy of fill_null is one of \"forward\", \"backward\", \"min\", \"max\", \"mean\", \"zero\", \"one\"").
		WithHint(`x.fill_null(strategy = "forward").over(order_by = t)`)
	return bad
}

var offsetPart = regexp.MustCompile(`^(\d+)(mo|ms|us|ns|y|q|w|d|h|m|s)`)

// polarsOffset reads a Polars offset such as "1mo2d" or "-1y3h": its calendar months and its
// fixed microseconds (nanoseconds must make whole microseconds).
func polarsOffset(text string) (months, us int64, ok bool) {
	s, sign := text, int64(1)
	if strings.HasPrefix(s, "-") {
		s, sign = s[1:], -1
	}
	if s == "" {
		return 0, 0, false
	}
	unit := map[string]int64{"w": types.Week, "d": types.Day, "h": types.Hour, "m": types.Minute, "s": types.Second, "ms": types.Millisecond, "us": 1}
	for s != "" {
		m := offsetPart.FindStringSubmatch(s)
		if m == nil {
			return 0, 0, false
		}
		n, err := strconv.ParseInt(m[1], 10, 64)
		if err != nil || n > 1<<40 {
			return 0, 0, false
		}
		switch m[2] {
		case "y":
			months += 12 * n
		case "q":
			months += 3 * n
		case "mo":
			months += n
		case "ns":
			if n%1000 != 0 {
				return 0, 0, false
			}
			us += n / 1000
		default:
			us += n * unit[m[2]]
		}
		s = s[len(m[0]):]
	}
	return sign * months, sign * us, true
}

// compoundOffset checks x.dt.offset_by("1mo2d"), an offset of months and a fixed part, as
// Polars applies it: the months first (clamping to the month's last day), then the rest. A
// date moved by whole days stays a date, as in Polars.
func (c *checker) compoundOffset(recv value, months, us int64, x *lang.CallExpr) value {
	xe, held, ok := c.operand(recv, recv.node)
	if !ok {
		return bad
	}
	if k := xe.Type().Kind; k != types.Date && k != types.Timestamp {
		c.diags.Errorf(lang.ENoOverload, x.Span(), "dt.offset_by takes a date or timestamp, not %s", xe.Type())
		return bad
	}
	sp := x.Span()
	moved, ok := c.applyAt("dt.offset_by", x, xe, &Lit{Value: types.IntervalValue(months), Sp: sp})
	if !ok {
		return bad
	}
	r, ok := c.applyAt("dt.offset_by", x, moved, &Lit{Value: types.Value{Type: types.DurationT, I: us}, Sp: sp})
	if !ok {
		return bad
	}
	if xe.Type().Kind == types.Date && us%types.Day == 0 {
		r = c.convert(r, types.DateT)
	}
	return holding(exprValue(r, x), held)
}

// operandPair is operand of two values (both checked, so that both report), their held calls
// together.
func (c *checker) operandPair(a value, an lang.Expr, b value, bn lang.Expr) (Expr, Expr, []heldCall, bool) {
	ae, aheld, aok := c.operand(a, an)
	be, bheld, bok := c.operand(b, bn) // both are checked, so that both report
	if !aok || !bok {
		return nil, nil, nil, false
	}
	return ae, be, append(aheld[:len(aheld):len(aheld)], bheld...), true
}
