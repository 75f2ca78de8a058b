package ir

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/featc/featc/lang"
	"github.com/featc/featc/stdlib"
	"github.com/featc/featc/types"
)

// selector checks x.name outside a call: a column of a frame, or a namespace (x.str, x.dt).
func (c *checker) selector(x *lang.SelectorExpr, e *env) value {
	recv := c.expr(x.X, e)
	name := x.Sel.Name
	switch recv.kind {
	case vBad:
		return bad
	case vFrame:
		f, ok := recv.rel.Schema().Lookup(name)
		if !ok {
			c.unknownColumn(x.Sel, recv.rel.Schema(), recv.relName)
			return bad
		}
		return value{kind: vFrameCol, rel: recv.rel, relName: recv.relName, expr: &Col{Name: f.Name, T: f.Type, Sp: x.Sel.Sp}, node: x}
	case vExpr, vFrameCol:
		if name == "str" || name == "dt" {
			r := recv // a pending receiver is held by the namespace's scalar methods
			return value{kind: vNamespace, ns: name, recv: &r, node: x}
		}
		if recv.pending != nil {
			c.pendingError(recv, x.X)
			return bad
		}
		if f := c.lib.Lookup(name); f != nil && f.Method {
			c.diags.Errorf(lang.EUnknownMethod, x.Sel.Sp, "%s is a method: call it as .%s(…)", name, name)
			return bad
		}
	case vNamespace:
		c.diags.Errorf(lang.EUnknownMethod, x.Sel.Sp, "%s.%s is a method: call it as .%s.%s(…)", recv.ns, name, recv.ns, name)
		return bad
	}
	c.diags.Errorf(lang.EUnknownMethod, x.Sel.Sp, "%s has no field %s", describeNode(x.X), name).
		WithHint("columns are read from frames (frame.column); methods need parentheses (x.abs())")
	return bad
}

func (c *checker) unknownColumn(id *lang.Ident, s Schema, frame string) {
	d := c.diags.Errorf(lang.EUnknownColumn, id.Sp, "frame %s has no column %s", frame, id.Name)
	if sg := suggest(id.Name, s.Names()); sg != "" {
		d.WithHint("did you mean %s?", sg)
	} else {
		d.WithHint("the columns of %s are: %s", frame, strings.Join(s.Names(), ", "))
	}
}

// call checks f(args) and x.f(args).
func (c *checker) call(x *lang.CallExpr, e *env) value {
	switch fun := x.Fun.(type) {
	case *lang.Ident:
		return c.funcCall(fun, x, e)
	case *lang.SelectorExpr:
		recvEnv := e
		if e.ctx == ctxAgg && !e.inAgg {
			f := c.lib.Lookup(fun.Sel.Name)
			switch {
			case f != nil && f.Kind == stdlib.Aggregate && f.Namespace() == "":
				// The receiver of an aggregate (balance in balance.mean()) is read per row.
				inner := *e
				inner.inAgg = true
				recvEnv = &inner
			case f != nil && f.Kind == stdlib.Window && f.Namespace() == "":
				c.diags.Errorf(lang.EWindowInAgg, x.Span(), "window function %s inside an aggregation", f.Name).
					WithHint("compute it before grouping, with with_columns(…)")
				return bad
			case f == nil && !knownMethodName(c.lib, fun):
				// An unknown method (x.suum()): say so, with the name meant, rather than that
				// its receiver is a row value, which is only true because the name is wrong.
				c.exprMethod(fun.Sel)
				return bad
			}
		}
		recv := c.expr(fun.X, recvEnv)
		return c.methodCall(recv, fun.Sel, x, e)
	}
	c.diags.Errorf(lang.ESyntax, x.Span(), "only names and methods can be called")
	return bad
}

func (c *checker) funcCall(id *lang.Ident, x *lang.CallExpr, e *env) value {
	switch id.Name {
	case "col":
		return c.colCall(x, e)
	case "when":
		return c.whenCall(nil, x, e)
	case "concat_str":
		return c.concatStr(x, e)
	case "sum_horizontal", "mean_horizontal", "any_horizontal", "all_horizontal":
		return c.horizontal(id.Name, x, e)
	case "lit":
		// Polars' pl.lit(v): a value used as an expression, which any value already is here.
		if len(x.Args) != 1 || x.Args[0].Name != nil {
			c.diags.Errorf(lang.EArgCount, x.Span(), "lit takes one value").WithHint("write the value itself: lit(0) is 0")
			return bad
		}
		return c.expr(x.Args[0].Value, e)
	}
	f := c.lib.Lookup(id.Name)
	if f == nil || f.Internal || !f.Function {
		d := c.diags.Errorf(lang.EUnknownFunction, id.Sp, "unknown function %s", id.Name)
		switch {
		case id.Name == "count":
			d.WithHint("count the rows with len(), the non-null values of a column with x.count()")
		case f != nil && f.Method && !f.Internal:
			d.WithHint("%s is a method: call it as x.%s(…)", id.Name, f.ShortName())
		case c.lib.Lookup("str."+id.Name) != nil:
			d.WithHint("%s is a string method: call it as x.str.%s(…)", id.Name, id.Name)
		case c.lib.Lookup("dt."+id.Name) != nil:
			d.WithHint("%s is a temporal method: call it as x.dt.%s(…)", id.Name, id.Name)
		default:
			if s := suggest(id.Name, c.functionNames()); s != "" {
				d.WithHint("did you mean %s?", s)
			} else {
				d.WithHint("docs/functions.md lists every function (featc explain --functions)")
			}
		}
		return bad
	}
	return c.callStdlib(f, nil, x, e)
}

func (c *checker) functionNames() []string {
	names := []string{"col", "when"}
	for _, f := range c.lib.Funcs() {
		if f.Function && !f.Internal {
			names = append(names, f.Name)
		}
	}
	return names
}

func (c *checker) methodNames(ns string) []string {
	var names []string
	for _, f := range c.lib.Funcs() {
		if f.Method && !f.Internal && f.Namespace() == ns {
			names = append(names, f.ShortName())
			for _, a := range f.Aliases {
				names = append(names, strings.TrimPrefix(a, ns+"."))
			}
		}
	}
	if ns == "" {
		names = append(names, "over", "cast")
	}
	sort.Strings(names)
	return names
}

// colCall checks col("name"), the spelling of columns whose names are not identifiers.
func (c *checker) colCall(x *lang.CallExpr, e *env) value {
	if len(x.Args) != 1 || x.Args[0].Name != nil {
		c.diags.Errorf(lang.EColArg, x.Span(), `col() takes one column name: col("odd name")`)
		return bad
	}
	lit, ok := x.Args[0].Value.(*lang.BasicLit)
	if !ok || lit.Kind != lang.StringLit {
		c.diags.Errorf(lang.EColArg, x.Args[0].Value.Span(), "col() needs a constant string")
		return bad
	}
	if e.schema == nil {
		c.diags.Errorf(lang.EUnknownColumn, x.Span(), "col(%s) is used outside a frame", lit.Raw)
		return bad
	}
	f, ok := e.schema.Lookup(lit.Value)
	if !ok {
		c.unknownColumn(&lang.Ident{Sp: lit.Sp, Name: lit.Value}, e.schema, e.frameName)
		return bad
	}
	return c.column(f, x, e)
}

func (c *checker) methodCall(recv value, sel *lang.Ident, x *lang.CallExpr, e *env) value {
	name := sel.Name
	switch recv.kind {
	case vBad:
		return bad
	case vFrame:
		return c.frameMethod(recv, sel, x, e)
	case vGroupBy:
		return c.groupByMethod(recv, sel, x, e)
	case vWhen:
		return c.whenMethod(recv, sel, x, e)
	case vNamespace:
		if recv.ns == "dt" && (name == "epoch" || name == "timestamp" || name == "month_start" || name == "month_end") {
			return c.dtCall(name, *recv.recv, x, e)
		}
		if recv.ns == "dt" && name == "offset_by" && len(x.Args) == 1 {
			if l, ok := x.Args[0].Value.(*lang.BasicLit); ok && l.Kind == lang.StringLit {
				if months, us, ok := polarsOffset(l.Value); ok && months != 0 && us != 0 {
					return c.compoundOffset(*recv.recv, months, us, x)
				}
			}
		}
		f := c.lib.Lookup(recv.ns + "." + name)
		if f == nil || !f.Method {
			d := c.diags.Errorf(lang.EUnknownMethod, sel.Sp, "unknown method %s.%s", recv.ns, name)
			if s := suggest(name, c.methodNames(recv.ns)); s != "" {
				d.WithHint("did you mean %s.%s?", recv.ns, s)
			} else {
				d.WithHint("the .%s methods are: %s", recv.ns, strings.Join(c.methodNames(recv.ns), ", "))
			}
			return bad
		}
		if recv.recv.kind == vFrameCol {
			return c.frameColCall(*recv.recv, f, x, e)
		}
		return c.callStdlib(f, recv.recv, x, e)
	case vFrameCol:
		if name == "cast" {
			inner := c.castCall(exprValue(recv.expr, recv.node), x)
			if inner.kind != vExpr {
				return bad
			}
			out := recv
			out.expr, out.node = inner.expr, x
			return out
		}
		f := c.exprMethod(sel)
		if f == nil {
			return bad
		}
		return c.frameColCall(recv, f, x, e)
	case vExpr:
		if name == "over" {
			return c.over(recv, x, e)
		}
		if name == "cast" {
			return c.castCall(recv, x)
		}
		if recv.pending != nil {
			// A scalar method of a pending aggregate or window holds it for a later .over(…),
			// as Polars does: x.shift(1).fill_null(0).over(order_by = t).
			if f := c.lib.Lookup(name); f == nil || f.Kind != stdlib.Scalar || !f.Method {
				c.pendingError(recv, x.Fun.(*lang.SelectorExpr).X)
				return bad
			}
		}
		if name == "replace" || name == "replace_strict" {
			return c.replaceCall(name, recv, x, e)
		}
		if name == "diff" {
			return c.diffCall(recv, x, e)
		}
		if name == "cut" {
			return c.cutCall(recv, x, e)
		}
		if name == "fill_null" && argNode(x, "strategy") != nil {
			return c.fillNullStrategy(recv, x, e)
		}
		f := c.exprMethod(sel)
		if f == nil {
			return bad
		}
		return c.callStdlib(f, &recv, x, e)
	}
	c.diags.Errorf(lang.EUnknownMethod, sel.Sp, "%s has no method %s", describeNode(x.Fun.(*lang.SelectorExpr).X), name)
	return bad
}

// knownMethodName reports whether the method a selector calls is one the checker knows by
// some name: a function, a method of a namespace (x.str.lower), one the checker handles itself
// (over, cast, then, otherwise, when, agg) or a frame method.
func knownMethodName(lib *stdlib.Library, sel *lang.SelectorExpr) bool {
	name := sel.Sel.Name
	if lib.Lookup(name) != nil || isFrameMethod(name) {
		return true
	}
	if ns, ok := sel.X.(*lang.SelectorExpr); ok && (ns.Sel.Name == "str" || ns.Sel.Name == "dt") {
		return true // x.str.nonesuch is reported by the namespace's own lookup
	}
	switch name {
	case "over", "cast", "then", "otherwise", "when", "agg":
		return true
	}
	return false
}

// exprMethod looks up a method of column and scalar values, reporting a helpful error.
func (c *checker) exprMethod(sel *lang.Ident) *stdlib.Func {
	name := sel.Name
	f := c.lib.Lookup(name)
	if f != nil && f.Method && !f.Internal && f.Namespace() == "" {
		return f
	}
	d := c.diags.Errorf(lang.EUnknownMethod, sel.Sp, "unknown method %s", name)
	switch {
	case c.lib.Lookup("str."+name) != nil:
		d.WithHint("%s is a string method: x.str.%s(…)", name, name)
	case c.lib.Lookup("dt."+name) != nil:
		d.WithHint("%s is a temporal method: x.dt.%s(…)", name, name)
	case f != nil && f.Function:
		d.WithHint("%s is a function: %s(…)", name, name)
	case isFrameMethod(name):
		d.WithHint("%s is a frame method, and this is a column", name)
	case name == "alias":
		d.WithHint(`alias names a whole column of select, with_columns or agg: select(y = x + 1) or select((x + 1).alias("y"))`)
	default:
		if s := suggest(name, c.methodNames("")); s != "" {
			d.WithHint("did you mean %s?", s)
		}
	}
	return nil
}

// frameColCall checks a method on a column of another frame (frame.col.f(…)): a scalar
// function gives another column of that frame; an aggregate reduces the frame to one value.
func (c *checker) frameColCall(recv value, f *stdlib.Func, x *lang.CallExpr, e *env) value {
	inner := exprValue(recv.expr, recv.node)
	switch f.Kind {
	case stdlib.Scalar:
		fenv := &env{ctx: ctxRow, schema: recv.rel.Schema(), frameName: recv.relName, ent: e.ent}
		out := c.callStdlib(f, &inner, x, fenv)
		if out.kind != vExpr {
			return bad
		}
		res := recv
		res.expr, res.node = out.expr, x
		return res
	case stdlib.Aggregate:
		aenv := &env{ctx: ctxAgg, schema: recv.rel.Schema(), frameName: recv.relName, ent: e.ent}
		out := c.callStdlib(f, &inner, x, aenv)
		agg, ok := c.asExpr(out, x)
		if !ok {
			return bad
		}
		rel, err := NewAggregate(recv.rel, nil, []NamedExpr{{Name: f.ShortName(), Expr: agg}}, x.Span())
		if err != nil {
			return c.refused(x.Span(), err)
		}
		return exprValue(&Subquery{Rel: rel, Sp: x.Span()}, x)
	}
	c.diags.Errorf(lang.EForeignColumn, x.Span(), "window function %s over a column of frame %s", f.Name, recv.relName).
		WithHint("compute it in %s itself with with_columns(…)", recv.relName)
	return bad
}

// slot is a parameter's argument(s) after binding.
type slot struct {
	given bool
	recv  *value
	nodes []lang.Expr
}

// callStdlib binds, checks and resolves a call of a standard library function: bind its
// arguments to parameters, check that the function may be called where it is (shapeEnv), check
// each argument (callArgs), validate the combination (validateCall), resolve the overload and
// build the call's node (buildCall).
func (c *checker) callStdlib(f *stdlib.Func, recv *value, x *lang.CallExpr, e *env) value {
	slots, ok := c.bind(f, recv, x)
	if !ok {
		return bad
	}
	argEnv, ok := c.shapeEnv(f, x, e)
	if !ok {
		return bad
	}
	ca, ok := c.callArgs(f, slots, x, argEnv)
	if !ok {
		return bad
	}
	if !c.validateCall(f, x, ca) {
		return bad
	}
	res, args, ok := c.resolve(f, ca.args)
	if !ok {
		c.noOverload(f, exprTypes(args), x)
		return bad
	}
	ca.args = args
	return c.buildCall(f, res, ca, x, e)
}

// shapeEnv checks that an aggregate or window function is called where its kind allows (an
// aggregate over rows, not inside another aggregate; a window over a frame's rows, not in an
// aggregation) and returns the environment its arguments are checked in: inside an
// aggregate's arguments, another aggregate is nested.
func (c *checker) shapeEnv(f *stdlib.Func, x *lang.CallExpr, e *env) (*env, bool) {
	switch f.Kind {
	case stdlib.Aggregate:
		switch {
		case e.ctx == ctxScalar:
			c.diags.Errorf(lang.EAggInRow, x.Span(), "aggregate %s has no rows to aggregate here", f.Name).
				WithHint("aggregate a frame's column: frame.column.%s(), or count a frame's rows: frame.len()", f.ShortName())
			return nil, false
		case e.ctx == ctxAgg && e.inAgg:
			c.diags.Errorf(lang.ENestedAgg, x.Span(), "aggregate %s inside another aggregate", f.Name).
				WithHint("aggregate in two steps: group_by(…).agg(…) then another group_by or agg")
			return nil, false
		case e.ctx == ctxAgg:
			inner := *e
			inner.inAgg = true
			return &inner, true
		}
	case stdlib.Window:
		switch {
		case e.ctx == ctxScalar:
			c.diags.Errorf(lang.EWindowNeedsOver, x.Span(), "window function %s needs the rows of a frame", f.Name)
			return nil, false
		case e.ctx == ctxAgg:
			c.diags.Errorf(lang.EWindowInAgg, x.Span(), "window function %s inside an aggregation", f.Name).
				WithHint("compute it before grouping, with with_columns(…)")
			return nil, false
		}
	}
	return e, true
}

// checkedArgs are the checked arguments of a call of a standard library function.
type checkedArgs struct {
	args     []Expr                 // in parameter order, defaults filled in
	consts   map[string]types.Value // the constant arguments given, by parameter
	values   map[string]types.Value // the value arguments given as literals, by parameter
	given    map[string]bool        // whether each parameter was given
	argTypes map[string]types.Type  // the type of each parameter's argument
	order    []SortKey              // the order_by keys of an order-dependent aggregate
	// held lists the pending aggregates and windows the arguments of a scalar function are
	// built on, for the .over(…) that must follow.
	held []heldCall
}

// callArgs checks the arguments bound to each parameter in argEnv: the receiver, expressions,
// constants (checked against the parameter's range or choices, and defaults for omitted ones)
// and order_by keys. It reports every bad argument, not only the first.
func (c *checker) callArgs(f *stdlib.Func, slots []slot, x *lang.CallExpr, argEnv *env) (checkedArgs, bool) {
	ca := checkedArgs{consts: map[string]types.Value{}, values: map[string]types.Value{}, given: map[string]bool{}, argTypes: map[string]types.Type{}}
	okAll := true
	for i, p := range f.Params {
		s := slots[i]
		ca.given[p.Name] = s.given
		if s.given && p.Variadic && len(s.nodes) == 0 {
			c.diags.Errorf(lang.EMissingArg, x.Span(), "%s needs at least one value in %s", f.Name, p.Name)
			return ca, false
		}
		if p.Kind == stdlib.OrderParam {
			if !s.given {
				continue
			}
			keys, ok := c.sortKeys(s.nodes, nil, argEnv)
			okAll = okAll && ok
			ca.order = keys
			continue
		}
		if s.recv != nil {
			var a Expr
			var ok bool
			if f.Kind == stdlib.Scalar {
				var held []heldCall
				a, held, ok = c.operand(*s.recv, s.recv.node)
				ca.held = append(ca.held, held...)
			} else {
				a, ok = c.asExpr(*s.recv, s.recv.node)
			}
			if !ok {
				return ca, false
			}
			ca.args = append(ca.args, a)
			ca.argTypes[p.Name] = a.Type()
			continue
		}
		if !s.given && !p.Optional {
			continue // reported by bind
		}
		if !s.given {
			if p.Default == "" {
				continue // an omitted optional parameter without a default
			}
			lit, ok := c.constArg(f, p, i, nil, false, argEnv)
			if !ok {
				okAll = false
				continue
			}
			ca.args = append(ca.args, lit)
			continue
		}
		for _, n := range s.nodes {
			var a Expr
			var ok bool
			if p.Kind == stdlib.Const {
				a, ok = c.constArg(f, p, i, n, s.given, argEnv)
				if ok && s.given && !p.Variadic {
					ca.consts[p.Name] = a.(*Lit).Value
				}
			} else if f.Kind == stdlib.Scalar {
				var held []heldCall
				a, held, ok = c.operand(c.expr(n, argEnv), n)
				ca.held = append(ca.held, held...)
			} else {
				a, ok = c.asExpr(c.expr(n, argEnv), n)
			}
			if !ok {
				okAll = false
				continue
			}
			if lit, ok := a.(*Lit); ok && p.Kind != stdlib.Const && !p.Variadic {
				ca.values[p.Name] = lit.Value
			}
			ca.args = append(ca.args, a)
			ca.argTypes[p.Name] = a.Type()
		}
	}
	return ca, okAll
}

// validateCall runs the function's own check of its arguments taken together (stdlib's
// Validate: options that exclude each other, a unit that does not apply to the type, …),
// reporting at the argument it names.
func (c *checker) validateCall(f *stdlib.Func, x *lang.CallExpr, ca checkedArgs) bool {
	if f.Validate == nil {
		return true
	}
	inv := f.Validate(stdlib.CallInfo{Given: ca.given, Consts: ca.consts, Values: ca.values, Types: ca.argTypes})
	if inv == nil {
		return true
	}
	sp := x.Span()
	if n := argNode(x, inv.Param); n != nil {
		sp = n.Span()
	}
	code := lang.EBadOption
	switch inv.Kind {
	case stdlib.OutOfRange:
		code = lang.EConstantRange
	case stdlib.BadUnit:
		code = lang.EBadUnit
	}
	d := c.diags.Errorf(code, sp, "%s: %s", f.Name, inv.Msg)
	if inv.Hint != "" {
		d.WithHint("%s", inv.Hint)
	}
	return false
}

// buildCall builds the node of a resolved call by the function's kind: a Call for a scalar,
// an Agg for an aggregate (pending its .over(…) outside an aggregation), a Window pending its
// .over(…).
func (c *checker) buildCall(f *stdlib.Func, res stdlib.Resolution, ca checkedArgs, x *lang.CallExpr, e *env) value {
	args := ca.args
	argTypes := exprTypes(args)
	if f.Name == "is_in" {
		args = stripNullLits(args)
	}
	switch f.Kind {
	case stdlib.Scalar:
		if res.Result.Kind == types.InvalidKind {
			c.noOverload(f, argTypes, x)
			return bad
		}
		return holding(exprValue(&Call{Func: f, Overload: res.Overload, Args: args, T: res.Result, Sp: x.Span()}, x), ca.held)
	case stdlib.Aggregate:
		if needsOrderBy(f) && len(ca.order) == 0 {
			c.diags.Errorf(lang.ENeedsOrder, x.Span(), "%s needs order_by: which row is %s depends on an order", f.Name, f.Name).
				WithHint("%s(order_by = column): engines read rows in no fixed order", f.ShortName())
			return bad
		}
		agg := &Agg{Func: f, Overload: res.Overload, Args: args, OrderBy: ca.order, T: res.Result, Sp: x.Span()}
		if e.ctx == ctxAgg {
			return exprValue(agg, x)
		}
		return value{kind: vExpr, expr: agg, node: x, pending: &pendingCall{fn: f, res: res, args: args, consts: ca.consts, given: ca.given, order: ca.order, sp: x.Span()}}
	case stdlib.Window:
		if m, ok := ca.consts["method"]; ok && f.Name == "rank" && m.S != "average" {
			res.Result = types.Int64T // every rank method but average counts in integers
		}
		p := &pendingCall{fn: f, res: res, args: args, consts: ca.consts, given: ca.given, sp: x.Span()}
		if strings.HasPrefix(f.Name, "rolling_") {
			p.byExpr = args[2]
		}
		return value{kind: vExpr, expr: &Window{Func: f, Overload: res.Overload, Args: args, T: res.Result, Sp: x.Span()}, node: x, pending: p}
	}
	return bad
}

func needsOrderBy(f *stdlib.Func) bool {
	for _, p := range f.Params {
		if p.Kind == stdlib.OrderParam {
			return true
		}
	}
	return false
}

func exprTypes(args []Expr) []types.Type {
	out := make([]types.Type, len(args))
	for i, a := range args {
		out[i] = a.Type()
	}
	return out
}

// resolve picks f's overload for args and converts them. Literals meeting a decimal are first
// given the decimal type they are written as (see adaptLiterals); where the chosen overload then
// wants a float anyway, the literal keeps its own type.
func (c *checker) resolve(f *stdlib.Func, args []Expr) (stdlib.Resolution, []Expr, bool) {
	adapted := adaptLiterals(args)
	res, ok := f.Resolve(exprTypes(adapted))
	if !ok {
		adapted = args
		if res, ok = f.Resolve(exprTypes(args)); !ok {
			return res, args, false
		}
	}
	out := make([]Expr, len(args))
	changed := false
	for i := range args {
		a := adapted[i]
		if a != args[i] && res.Targets[i].Kind != types.Decimal {
			a = args[i]
			changed = true
		}
		out[i] = a
	}
	if changed {
		res, ok = f.Resolve(exprTypes(out))
		if !ok {
			return res, args, false
		}
	}
	for i, a := range out {
		out[i] = c.convert(a, res.Targets[i])
	}
	return res, out, true
}

func stripNullLits(args []Expr) []Expr {
	out := args[:1]
	for _, a := range args[1:] {
		if l, ok := a.(*Lit); ok && l.Value.Null {
			continue
		}
		out = append(out, a)
	}
	return out
}

// argNode returns the syntax of the argument named param, if it was given by name.
func argNode(x *lang.CallExpr, param string) lang.Expr {
	for _, a := range x.Args {
		if a.Name != nil && a.Name.Name == param {
			return a.Value
		}
	}
	return nil
}

// bind assigns a call's arguments to the function's parameters.
func (c *checker) bind(f *stdlib.Func, recv *value, x *lang.CallExpr) ([]slot, bool) {
	slots := make([]slot, len(f.Params))
	pos := 0
	if recv != nil {
		if len(f.Params) == 0 {
			c.diags.Errorf(lang.EUnknownMethod, x.Span(), "%s is a function, not a method: call it as %s()", f.Name, f.Name)
			return nil, false
		}
		slots[0] = slot{given: true, recv: recv}
		pos = 1
	}
	ok := true
	var lastNamed *lang.Arg // the last argument given by name, for the hint of a stray one
	for _, a := range x.Args {
		if a.Name != nil {
			lastNamed = a
			i := paramIndex(f, a.Name.Name)
			switch {
			case i < 0:
				var names []string
				for _, p := range f.Params[min(1, len(f.Params)):] {
					names = append(names, p.Name)
				}
				d := c.diags.Errorf(lang.EUnknownArg, a.Name.Sp, "%s has no parameter %s", f.Name, a.Name.Name)
				if len(names) > 0 {
					d.WithHint("its parameters are: %s", strings.Join(names, ", "))
				}
				ok = false
			case slots[i].given:
				c.diags.Errorf(lang.EDuplicateArg, a.Name.Sp, "argument %s is given twice", a.Name.Name).
					WithHint("keep one %s = …", a.Name.Name)
				ok = false
			default:
				slots[i] = slot{given: true, nodes: paramNodes(a.Value, f.Params[i])}
			}
			continue
		}
		for pos < len(f.Params) && slots[pos].given && !f.Params[pos].Variadic {
			pos++
		}
		if pos >= len(f.Params) {
			d := c.diags.Errorf(lang.EArgCount, a.Value.Span(), "%s takes %s", f.Name, describeArity(f, recv != nil))
			if i := -1; lastNamed != nil {
				if i = paramIndex(f, lastNamed.Name.Name); i >= 0 && (f.Params[i].Kind == stdlib.OrderParam || f.Params[i].Variadic) {
					// first(order_by = a, b): b was meant as a second order column.
					d.WithHint("give several as a list: %s = [%s, %s]", lastNamed.Name.Name, lastNamed.Value.Span().Text(), a.Value.Span().Text())
				}
			}
			if d.Hint == "" {
				d.WithHint("%s", callForm(f, recv != nil))
			}
			return nil, false
		}
		p := f.Params[pos]
		slots[pos].given = true
		slots[pos].nodes = append(slots[pos].nodes, paramNodes(a.Value, p)...)
		if !p.Variadic {
			pos++
		}
	}
	for i, p := range f.Params {
		if !slots[i].given && !p.Optional && p.Kind != stdlib.OrderParam {
			sp := lang.Span{File: x.Span().File, Start: x.Rparen, End: x.Rparen + 1}
			d := c.diags.Errorf(lang.EMissingArg, sp, "%s needs argument %s", f.Name, p.Name)
			if len(p.Choices) > 0 {
				quoted := make([]string, len(p.Choices))
				for i, ch := range p.Choices {
					quoted[i] = strconv.Quote(ch)
				}
				d.WithHint("add %s = one of %s", p.Name, strings.Join(quoted, ", "))
			} else {
				d.WithHint("%s takes %s", f.Name, describeArity(f, recv != nil))
			}
			ok = false
		}
	}
	return slots, ok
}

// paramNodes is the syntax given to a parameter: its list's elements where it takes a list,
// read as columns where it names columns.
func paramNodes(x lang.Expr, p stdlib.Param) []lang.Expr {
	ns := listElems(x, p)
	if TakesColumns(p) {
		ns = columnNodes(ns)
	}
	return ns
}

// listElems flattens a list given to a variadic or order parameter.
func listElems(x lang.Expr, p stdlib.Param) []lang.Expr {
	if l, ok := x.(*lang.ListExpr); ok && (p.Variadic || p.Kind == stdlib.OrderParam) {
		return l.Elems
	}
	return []lang.Expr{x}
}

func paramIndex(f *stdlib.Func, name string) int {
	for i, p := range f.Params {
		if p.Name == name || slices.Contains(p.Aliases, name) {
			return i
		}
	}
	return -1
}

func describeArity(f *stdlib.Func, method bool) string {
	params := f.Params
	if method && len(params) > 0 {
		params = params[1:]
	}
	if len(params) == 0 {
		return "no arguments"
	}
	var parts []string
	for _, p := range params {
		s := p.Name
		if p.Variadic {
			s += "…"
		}
		switch {
		case p.Kind == stdlib.OrderParam:
			// Required although it has no default: leaving it out is E0506.
			s += " (a column or a list [a, b])"
		case p.Optional:
			s += " (optional)"
		}
		parts = append(parts, s)
	}
	return "arguments " + strings.Join(parts, ", ")
}

// callForm writes how a function is called, for hints: x.first(order_by = …),
// round(x, decimals = …).
func callForm(f *stdlib.Func, method bool) string {
	params := f.Params
	var b strings.Builder
	if method && len(params) > 0 {
		b.WriteString(params[0].Name + "." + f.ShortName() + "(")
		params = params[1:]
	} else {
		b.WriteString(f.Name + "(")
	}
	for i, p := range params {
		if i > 0 {
			b.WriteString(", ")
		}
		switch {
		case p.Kind == stdlib.OrderParam:
			b.WriteString(p.Name + " = [a, b]")
		case p.Optional || p.Kind == stdlib.Const && i > 0:
			b.WriteString(p.Name + " = …")
		case p.Variadic:
			b.WriteString(p.Name + ", …")
		default:
			b.WriteString(p.Name)
		}
	}
	b.WriteString(")")
	return "write it as " + b.String()
}

// constArg checks an argument that must be a constant, applying its default when omitted.
func (c *checker) constArg(f *stdlib.Func, p stdlib.Param, i int, n lang.Expr, given bool, e *env) (Expr, bool) {
	var lit *Lit
	if !given {
		lit = c.defaultLit(f, p)
	} else {
		v := c.expr(n, e)
		if v.kind == vBad {
			return nil, false
		}
		l, ok := c.constant(v)
		if !ok {
			c.diags.Errorf(lang.ENotConstant, n.Span(), "argument %s of %s must be a constant, not %s", p.Name, f.Name, describeNode(n)).
				WithHint("write a literal such as 2, \"linear\" or 3h")
			return nil, false
		}
		lit = l
		if lit.Value.Null && !p.Variadic {
			d := c.diags.Errorf(lang.ENotConstant, n.Span(), "argument %s of %s cannot be null", p.Name, f.Name)
			if p.Optional {
				d.WithHint("leave it out for its default")
			}
			return nil, false
		}
	}
	if lit.Value.Null {
		return lit, true
	}
	// A string given where the function wants a duration or interval is a duration literal
	// in quotes (dt.truncate("1mo"), as in Polars).
	if lit.Value.Type.Kind == types.String && wantsDuration(f, i) {
		d, err := types.ParseDurationLiteral(lit.Value.S)
		if err != nil {
			c.diags.Errorf(lang.EBadUnit, lit.Sp, "%v", err)
			return nil, false
		}
		lit = &Lit{Value: d, Sp: lit.Sp}
	}
	if len(p.Choices) > 0 {
		if lit.Value.Type.Kind != types.String || !contains(p.Choices, lit.Value.S) {
			c.diags.Errorf(lang.EBadOption, lit.Sp, "%s of %s must be one of %s", p.Name, f.Name, quoteList(p.Choices))
			return nil, false
		}
	}
	if p.HasRange {
		var x float64
		switch lit.Value.Type.Kind {
		case types.Int64:
			x = float64(lit.Value.I)
		case types.Float64:
			x = lit.Value.F
		default:
			return lit, true // the overload check reports the type
		}
		switch {
		case p.Max == 0 && x < p.Min:
			c.diags.Errorf(lang.EConstantRange, lit.Sp, "%s of %s must be at least %s, got %s", p.Name, f.Name, fmtNum(p.Min), lit.Value)
			return nil, false
		case p.Max != 0 && (x < p.Min || x > p.Max):
			c.diags.Errorf(lang.EConstantRange, lit.Sp, "%s of %s must be between %s and %s, got %s", p.Name, f.Name, fmtNum(p.Min), fmtNum(p.Max), lit.Value)
			return nil, false
		}
	}
	return lit, true
}

// wantsDuration reports whether argument i of f takes a duration or interval and never a string.
func wantsDuration(f *stdlib.Func, i int) bool {
	wants := false
	for _, o := range f.Overloads {
		if i >= len(o.Args) {
			continue
		}
		switch o.Args[i] {
		case types.Duration, types.Interval:
			wants = true
		case types.String, stdlib.Any:
			return false
		}
	}
	return wants
}

// fmtNum writes a bound of a constant parameter as the stdlib table states it, for int and
// float parameters alike ("between 0 and 1", "at least 1"): not a value, so not
// types.FloatLiteral, which would write 0.0.
func fmtNum(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// defaultLit parses a parameter's default (a literal) once.
func (c *checker) defaultLit(f *stdlib.Func, p stdlib.Param) *Lit {
	key := f.Name + "." + p.Name
	if l, ok := c.defaults[key]; ok {
		return l
	}
	file, _ := lang.ParseFile("<default>", "let x = "+p.Default)
	var lit *Lit
	if len(file.Decls) == 1 {
		if d, ok := file.Decls[0].(*lang.LetDecl); ok {
			var scratch lang.Diagnostics
			saved := c.diags
			c.diags = &scratch
			lit, _ = c.constant(c.expr(d.Value, &env{ctx: ctxScalar}))
			c.diags = saved
		}
	}
	if lit == nil {
		panic(fmt.Sprintf("stdlib: default %q of %s is not a literal", p.Default, key))
	}
	c.defaults[key] = lit
	return lit
}

// sortKeys checks order keys with their descending and nulls_last options.
func (c *checker) sortKeys(nodes []lang.Expr, opts map[string]lang.Expr, e *env) ([]SortKey, bool) {
	keys := make([]SortKey, 0, len(nodes))
	ok := true
	for _, n := range nodes {
		k, kok := c.asExpr(c.expr(n, e), n)
		if !kok {
			ok = false
			continue
		}
		if !k.Type().Orderable() {
			c.diags.Errorf(lang.ENoOverload, n.Span(), "cannot order by a value of type %s", k.Type())
			ok = false
			continue
		}
		keys = append(keys, SortKey{Expr: k})
	}
	if !ok {
		return nil, false
	}
	for opt, node := range opts {
		vals, vok := c.boolOption(opt, node, len(keys))
		if !vok {
			ok = false
			continue
		}
		for i := range keys {
			switch opt {
			case "descending":
				keys[i].Descending = vals[i]
			case "nulls_last":
				keys[i].NullsLast = vals[i]
			}
		}
	}
	return keys, ok
}

// boolOption reads a constant bool, or a list of n bools, for an option such as descending.
func (c *checker) boolOption(name string, node lang.Expr, n int) ([]bool, bool) {
	elems := []lang.Expr{node}
	list, isList := node.(*lang.ListExpr)
	if isList {
		elems = list.Elems
		if len(elems) != n {
			c.diags.Errorf(lang.EBadOption, node.Span(), "%s has %d values for %d keys", name, len(elems), n)
			return nil, false
		}
	}
	var vals []bool
	for _, el := range elems {
		lit, ok := el.(*lang.BasicLit)
		if !ok || lit.Kind != lang.BoolLit {
			c.diags.Errorf(lang.ENotConstant, el.Span(), "%s must be true or false", name)
			return nil, false
		}
		vals = append(vals, lit.Raw == "true")
	}
	if !isList {
		for len(vals) < n {
			vals = append(vals, vals[0])
		}
	}
	return vals, true
}

// ---- over ----

// over turns a pending aggregate or window function into a Window over partitions.
func (c *checker) over(recv value, x *lang.CallExpr, e *env) value {
	p := recv.pending
	recvNode := x.Fun.(*lang.SelectorExpr).X
	if e.ctx != ctxRow {
		d := c.diags.Errorf(lang.EWindowInAgg, x.Span(), "a window (.over) needs the rows of a frame, and %s is computed per group", describeNode(recvNode))
		if e.ctx == ctxScalar {
			d.Message = fmt.Sprintf("a window (.over) needs the rows of a frame, and %s is a single value", describeNode(recvNode))
		} else {
			d.WithHint("compute windows before grouping, with with_columns(…)")
		}
		return bad
	}
	if p == nil {
		c.diags.Errorf(lang.EOverNotWindow, x.Fun.(*lang.SelectorExpr).Sel.Sp, ".over(…) applies to aggregates and window functions, and %s is neither", describeNode(recvNode)).
			WithHint("put .over(…) right after the aggregate or window function: (x * 2).sum().over(g), not (x.sum() * 2).over(g)")
		return bad
	}
	var partition []Expr
	var orderNodes []lang.Expr
	opts := map[string]lang.Expr{}
	ok := true
	for _, a := range x.Args {
		if a.Name == nil {
			elems := []lang.Expr{a.Value}
			if l, isList := a.Value.(*lang.ListExpr); isList {
				elems = l.Elems
			}
			for _, el := range columnNodes(elems) {
				kv := c.expr(el, e)
				if kv.pending != nil {
					c.diags.Errorf(lang.EWindowInKey, el.Span(), "a partition key cannot be an aggregate or window function").
						WithHint("compute it first with with_columns(key = …), then partition by the column: .over(key)")
					ok = false
					continue
				}
				k, kok := c.asExpr(kv, el)
				if !kok {
					ok = false
					continue
				}
				if ContainsWindow(k) || ContainsAgg(k) {
					c.diags.Errorf(lang.EWindowInKey, el.Span(), "a partition key cannot be an aggregate or window function").
						WithHint("compute it first with with_columns(key = …), then partition by the column: .over(key)")
					ok = false
					continue
				}
				partition = append(partition, k)
			}
			continue
		}
		switch a.Name.Name {
		case "order_by":
			orderNodes = columnNodes(listElems(a.Value, stdlib.Param{Kind: stdlib.OrderParam}))
		case "descending", "nulls_last":
			opts[a.Name.Name] = a.Value
		default:
			c.diags.Errorf(lang.EUnknownArg, a.Name.Sp, "over has no parameter %s", a.Name.Name).
				WithHint("over(partition columns…, order_by = …, descending = …, nulls_last = …)")
			ok = false
		}
	}
	var order []SortKey
	if orderNodes != nil {
		keys, kok := c.sortKeys(orderNodes, opts, e)
		ok = ok && kok
		order = keys
	} else if len(opts) > 0 {
		c.diags.Errorf(lang.EBadOption, x.Span(), "descending and nulls_last need order_by")
		ok = false
	}
	if !ok {
		return bad
	}
	held := recv.held
	if held == nil {
		held = []heldCall{{recv.expr, p}}
	}
	compound := len(held) > 1 || held[0].node != recv.expr
	windows := map[Expr]Expr{}
	for _, h := range held {
		w, ok := c.overOne(h.p, partition, order, compound, x)
		if !ok {
			return bad
		}
		windows[h.node] = w
	}
	return exprValue(substHeld(recv.expr, windows), x)
}

// overOne builds the window of one pending call over the partition and order of an
// .over(…). Inside an expression (compound), an order that does not apply to the call (an
// aggregate's, a rank's) is not an error: it orders the expression's other windows.
func (c *checker) overOne(p *pendingCall, partition []Expr, order []SortKey, compound bool, x *lang.CallExpr) (Expr, bool) {
	f := p.fn
	w := &Window{Func: f, Overload: p.res.Overload, Partition: partition, T: p.res.Result, Sp: lang.Join(p.sp, x.Span())}
	orderErr := func(why string) bool {
		if compound {
			return true
		}
		c.diags.Errorf(lang.EBadOption, x.Span(), "order_by does nothing for %s: %s", f.Name, why)
		return false
	}
	switch {
	case f.Kind == stdlib.Aggregate:
		if order != nil && !orderErr("an aggregate over a window covers its whole partition (for a running total use cum_sum, for a moving one rolling_sum)") {
			return nil, false
		}
		w.Args = p.args
		w.OrderBy = p.order
		w.Frame = WindowFrame{Kind: WholePartition}
	case f.Name == "rank" || f.Name == "dense_rank":
		if order != nil && !orderErr("it ranks the values of its own column") {
			return nil, false
		}
		w.Args = p.args[:1]
		if f.Name == "rank" {
			w.Args = p.args[:2] // the method rides as the window's second argument
		}
		desc := p.consts["descending"].Bool()
		w.OrderBy = []SortKey{{Expr: p.args[0], Descending: desc, NullsLast: true}}
		w.Frame = WindowFrame{Kind: NoFrame}
	case f.Name == "is_unique" || f.Name == "is_duplicated":
		if order != nil && !orderErr("it compares values, not positions") {
			return nil, false
		}
		w.Args = p.args[:1]
		w.Frame = WindowFrame{Kind: WholePartition}
	case strings.HasPrefix(f.Name, "rolling_"):
		w.Args = p.args[:1]
		minPeriods, hasMin := p.consts["min_periods"]
		if p.given["window_size"] {
			if order == nil {
				c.needsOrder(f, x)
				return nil, false
			}
			size := p.consts["window_size"].I
			w.OrderBy = order
			w.Frame = WindowFrame{Kind: RowsFrame, Size: size, MinPeriods: size}
			if v, ok := p.consts["center"]; ok && v.Bool() {
				w.Frame.Ahead = (size - 1) / 2 // Polars: size / 2 rows before, the rest after
			}
		} else {
			if order != nil && !orderErr("a time window is ordered by its by column") {
				return nil, false
			}
			w.OrderBy = []SortKey{{Expr: p.args[2], NullsLast: true}}
			w.Frame = WindowFrame{Kind: RangeFrame, Period: p.consts["period"].I, MinPeriods: 1}
		}
		if hasMin {
			w.Frame.MinPeriods = minPeriods.I
		}
	default: // shift, lead, row_number, cum_*
		if order == nil {
			c.needsOrder(f, x)
			return nil, false
		}
		w.OrderBy = order
		w.Args = p.args[:min(1, len(p.args))]
		if (f.Name == "shift" || f.Name == "lead") && p.given["fill_value"] {
			w.Args = []Expr{p.args[0], p.args[2]} // the value where no row is n away
		}
		if (f.Name == "forward_fill" || f.Name == "backward_fill") && p.given["limit"] {
			w.Args = []Expr{p.args[0], p.args[1]} // the most rows a value is carried
		}
		switch {
		case f.Name == "shift":
			w.Frame = WindowFrame{Kind: NoFrame, Offset: constOr(p, "n", 1)}
		case f.Name == "lead":
			w.Frame = WindowFrame{Kind: NoFrame, Offset: -constOr(p, "n", 1)}
		case f.Name == "pct_change":
			w.Frame = WindowFrame{Kind: NoFrame, Offset: constOr(p, "n", 1)}
		case f.Name == "row_number":
			w.Frame = WindowFrame{Kind: NoFrame}
		default:
			w.Frame = WindowFrame{Kind: Cumulative}
			if v, ok := p.consts["reverse"]; ok && v.Bool() {
				// Polars' reverse = true: the running value from the last row back, which is the
				// running value over the order reversed (nulls at the other end too).
				rev := make([]SortKey, len(order))
				for i, k := range order {
					rev[i] = SortKey{Expr: k.Expr, Descending: !k.Descending, NullsLast: !k.NullsLast}
				}
				w.OrderBy = rev
			}
		}
	}
	inner := w.Args
	for _, k := range w.OrderBy {
		inner = append(inner[:len(inner):len(inner)], k.Expr)
	}
	for _, a := range inner {
		if ContainsWindow(a) {
			c.diags.Errorf(lang.ENestedAgg, x.Span(), "a window function cannot read another window function's result in the same step").
				WithHint("compute the inner one first, with with_columns(…), and apply this window to its column")
			return nil, false
		}
	}
	return w, true
}

// substHeld replaces the nodes of held calls in an expression built on them by their windows.
func substHeld(e Expr, windows map[Expr]Expr) Expr {
	if w, ok := windows[e]; ok {
		return w
	}
	switch x := e.(type) {
	case *Call:
		out := *x
		out.Args = make([]Expr, len(x.Args))
		for i, a := range x.Args {
			out.Args[i] = substHeld(a, windows)
		}
		return &out
	case *Cast:
		out := *x
		out.X = substHeld(x.X, windows)
		return &out
	}
	return e
}

func constOr(p *pendingCall, name string, def int64) int64 {
	if v, ok := p.consts[name]; ok && !v.Null {
		return v.I
	}
	return def
}

func (c *checker) needsOrder(f *stdlib.Func, x *lang.CallExpr) value {
	c.diags.Errorf(lang.ENeedsOrder, x.Span(), "%s needs an order: its result depends on which rows come before", f.Name).
		WithHint(".over(partition…, order_by = column): engines read rows in no fixed order")
	return bad
}

// ---- cast ----

func (c *checker) castCall(recv value, x *lang.CallExpr) value {
	if len(x.Args) != 1 || (x.Args[0].Name != nil && x.Args[0].Name.Name != "type") {
		c.diags.Errorf(lang.EArgCount, x.Span(), "cast takes one type: x.cast(float64)")
		return bad
	}
	to, ok := c.typeArg(x.Args[0].Value)
	if !ok {
		return bad
	}
	arg, held, ok := c.operand(recv, recv.node)
	if !ok {
		return bad
	}
	if _, ok := stdlib.LookupCast(arg.Type(), to); !ok {
		c.diags.Errorf(lang.EBadCast, x.Span(), "cannot cast %s to %s", arg.Type(), to).
			WithHint("%s", castTargets(arg.Type()))
		return bad
	}
	if lit, isLit := arg.(*Lit); isLit && lit.Value.Null {
		return exprValue(&Lit{Value: types.NullValue(to), Sp: x.Span()}, x)
	}
	// A cast of a pending aggregate or window keeps it pending, a cast to its own type too.
	if arg.Type() == to {
		return holding(exprValue(arg, x), held)
	}
	return holding(exprValue(&Cast{X: arg, To: to, Sp: x.Span()}, x), held)
}

// castTargets lists the types a value of type from casts to.
func castTargets(from types.Type) string {
	var to []string
	seen := map[string]bool{}
	for _, r := range stdlib.Casts() {
		k := from.Kind
		if k == types.Int32 {
			k = types.Int64
		}
		if r.From == k && !seen[r.To.String()] {
			seen[r.To.String()] = true
			to = append(to, r.To.String())
		}
	}
	if len(to) == 0 {
		return fmt.Sprintf("a %s converts to no other type", from)
	}
	return fmt.Sprintf("a %s casts to %s (see the cast table in docs/semantics.md)", from, strings.Join(to, ", "))
}

// typeArg reads a type written as an argument: int64, decimal(15, 2).
func (c *checker) typeArg(n lang.Expr) (types.Type, bool) {
	te := &lang.TypeExpr{Sp: n.Span()}
	switch n := n.(type) {
	case *lang.Ident:
		te.Name = n.Name
	case *lang.CallExpr:
		id, ok := n.Fun.(*lang.Ident)
		if !ok {
			break
		}
		te.Name = id.Name
		for _, a := range n.Args {
			lit, ok := a.Value.(*lang.BasicLit)
			if !ok || lit.Kind != lang.IntLit || a.Name != nil {
				te.Name = ""
				break
			}
			var v int
			fmt.Sscan(lit.Raw, &v)
			te.Args = append(te.Args, v)
		}
	}
	if te.Name == "" {
		d := c.diags.Errorf(lang.ENotType, n.Span(), "%s is not a type", describeNode(n))
		if t, ok := polarsType(n); ok {
			d.WithHint("featc writes Polars' %s as %s: x.cast(%s)", n.Span().Text(), t, t)
		} else {
			d.WithHint("the types are: %s", strings.Join(types.Names(), ", "))
		}
		return types.Invalid, false
	}
	t, ok := c.typeExpr(te)
	if ok && !t.Declarable() {
		c.diags.Errorf(lang.ENotType, n.Span(), "cannot cast to %s", t)
		return types.Invalid, false
	}
	return t, ok
}

// ---- when / then / otherwise ----

// whenBuilder accumulates the branches of when(c1).then(v1).when(c2).then(v2)…
type whenBuilder struct {
	conds       []Expr
	vals        []Expr
	valNodes    []lang.Expr
	pendingCond Expr
}

func (c *checker) whenCall(w *whenBuilder, x *lang.CallExpr, e *env) value {
	if len(x.Args) != 1 || x.Args[0].Name != nil {
		c.diags.Errorf(lang.EArgCount, x.Span(), "when takes one condition")
		return bad
	}
	n := x.Args[0].Value
	cond, ok := c.asExpr(c.expr(n, e), n)
	if !ok {
		return bad
	}
	if k := cond.Type().Kind; k != types.Bool && k != types.Null {
		c.diags.Errorf(lang.ENotBool, n.Span(), "when needs a bool condition, not %s", cond.Type())
		return bad
	}
	if w == nil {
		w = &whenBuilder{}
	}
	w.pendingCond = cond
	return value{kind: vWhen, when: w, node: x}
}

func (c *checker) whenMethod(recv value, sel *lang.Ident, x *lang.CallExpr, e *env) value {
	w := recv.when
	switch sel.Name {
	case "when":
		if w.pendingCond != nil {
			c.diags.Errorf(lang.EWhenIncomplete, sel.Sp, "when(…) needs .then(value) before the next .when")
			return bad
		}
		return c.whenCall(w, x, e)
	case "then", "otherwise":
		if len(x.Args) != 1 || x.Args[0].Name != nil {
			c.diags.Errorf(lang.EArgCount, x.Span(), "%s takes one value", sel.Name)
			return bad
		}
		n := x.Args[0].Value
		v, ok := c.asExpr(c.expr(n, e), n)
		if !ok {
			return bad
		}
		if sel.Name == "then" {
			if w.pendingCond == nil {
				c.diags.Errorf(lang.EWhenIncomplete, sel.Sp, ".then needs a .when(condition) before it")
				return bad
			}
			nw := &whenBuilder{conds: append(append([]Expr{}, w.conds...), w.pendingCond), vals: append(append([]Expr{}, w.vals...), v),
				valNodes: append(append([]lang.Expr{}, w.valNodes...), n)}
			return value{kind: vWhen, when: nw, node: x}
		}
		if w.pendingCond != nil {
			c.diags.Errorf(lang.EWhenIncomplete, sel.Sp, "when(…) needs .then(value) before .otherwise")
			return bad
		}
		e, ok := c.buildCase(w, &caseElse{v, n}, x)
		if !ok {
			return bad
		}
		return exprValue(e, x)
	}
	if w.pendingCond == nil && len(w.conds) > 0 && (c.lib.Lookup(sel.Name) != nil || sel.Name == "over" || sel.Name == "cast") {
		// when(c).then(v) without otherwise is a value (null where no condition holds), and its
		// methods apply to it, as in Polars: when(x > 0).then(x).sum().
		whenNode := x.Fun.(*lang.SelectorExpr).X
		v, ok := c.buildCase(w, nil, whenNode)
		if !ok {
			return bad
		}
		return c.methodCall(exprValue(v, whenNode), sel, x, e)
	}
	c.diags.Errorf(lang.EUnknownMethod, sel.Sp, "unknown method %s after when(…)", sel.Name).
		WithHint("continue with .then(value), .when(condition) or .otherwise(value)")
	return bad
}

type caseElse struct {
	val  Expr
	node lang.Expr
}

// buildCase makes the case call: condition, value pairs and the default, the values converted
// to their common type.
func (c *checker) buildCase(w *whenBuilder, otherwise *caseElse, node lang.Expr) (Expr, bool) {
	vals := append([]Expr{}, w.vals...)
	nodes := append([]lang.Expr{}, w.valNodes...)
	if otherwise != nil {
		vals = append(vals, otherwise.val)
		nodes = append(nodes, otherwise.node)
	}
	t := types.NullT
	for i, v := range vals {
		ct, ok := types.Common(t, v.Type())
		if !ok {
			c.diags.Errorf(lang.EBranchTypes, nodes[i].Span(), "this branch has type %s, but the earlier ones have type %s", v.Type(), t).
				WithHint("convert the branches to one type with .cast(…)")
			return nil, false
		}
		t = ct
	}
	if t.Kind == types.Null {
		c.diags.Errorf(lang.EBranchTypes, node.Span(), "every branch is null, so the result has no type").
			WithHint("cast one branch: null.cast(float64)")
		return nil, false
	}
	f := c.lib.Lookup("case")
	_, o := c.lib.Overload("case_" + t.Kind.String())
	if o == nil {
		c.diags.Errorf(lang.EBranchTypes, node.Span(), "a conditional cannot produce a %s", t)
		return nil, false
	}
	var args []Expr
	for i := range w.conds {
		args = append(args, w.conds[i], c.convert(vals[i], t))
	}
	if otherwise != nil {
		args = append(args, c.convert(vals[len(vals)-1], t))
	} else {
		args = append(args, &Lit{Value: types.NullValue(t), Sp: node.Span()})
	}
	return &Call{Func: f, Overload: o, Args: args, T: t, Sp: node.Span()}, true
}

// polarsTypes maps Polars' data types to featc's.
var polarsTypes = map[string]string{
	"Int8": "int64", "Int16": "int64", "Int32": "int32", "Int64": "int64", "UInt8": "int64", "UInt16": "int64",
	"UInt32": "int64", "UInt64": "int64", "Float32": "float64", "Float64": "float64", "Boolean": "bool",
	"Utf8": "string", "String": "string", "Date": "date", "Datetime": "timestamp", "Duration": "duration",
	"Decimal": "decimal(38, 9)",
}

// polarsType reads pl.Int64 (or Int64, pl.Datetime("us")) as featc's type name.
func polarsType(n lang.Expr) (string, bool) {
	if call, ok := n.(*lang.CallExpr); ok {
		n = call.Fun
	}
	if sel, ok := n.(*lang.SelectorExpr); ok {
		if id, ok := sel.X.(*lang.Ident); ok && (id.Name == "pl" || id.Name == "nw") {
			n = sel.Sel
		}
	}
	if id, ok := n.(*lang.Ident); ok {
		t, ok := polarsTypes[id.Name]
		return t, ok
	}
	return "", false
}
