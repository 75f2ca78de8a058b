package ir

import (
	"sort"
	"strings"

	"github.com/featc/featc/lang"
	"github.com/featc/featc/stdlib"
	"github.com/featc/featc/types"
)

// frameMethods are the methods of frames (documented in docs/language.md).
var frameMethods = []string{"drop", "drop_nulls", "fill_null", "filter", "group_by", "group_by_dynamic", "head", "join", "join_asof", "len", "limit", "rename", "select", "sort", "tail", "union", "unique", "with_columns", "with_row_index"}

// IsFrameMethod reports whether frames have a method of this name (the docs' Polars table).
func IsFrameMethod(name string) bool { return isFrameMethod(name) }

func isFrameMethod(name string) bool {
	i := sort.SearchStrings(frameMethods, name)
	return i < len(frameMethods) && frameMethods[i] == name
}

// derivedName names the frame a method makes, for messages: orders.select(…).
func derivedName(name, method string) string {
	if strings.HasSuffix(name, "(…)") {
		// Keep only the first derivation: orders.filter(…).select(…) reads as orders.….select(…)
		if i := strings.IndexByte(name, '.'); i >= 0 {
			name = name[:i] + ".…"
		}
	}
	return name + "." + method + "(…)"
}

func frameValue(rel Rel, name string, node lang.Expr) value {
	return value{kind: vFrame, rel: rel, relName: name, node: node}
}

// frameCall is a call of a frame method being checked: the frame it applies to, the call, and
// the environments its arguments are checked in.
type frameCall struct {
	recv value // the frame
	sel  *lang.Ident
	x    *lang.CallExpr
	e    *env // the environment of the call
	row  *env // the frame's rows, where row arguments (conditions, columns, keys) are checked
}

// rel is the relation of the frame the method applies to.
func (f frameCall) rel() Rel { return f.recv.rel }

// derived is the frame a method makes from its receiver, named after the call for messages:
// orders.select(…).
func (f frameCall) derived(r Rel) value {
	return frameValue(r, derivedName(f.recv.relName, f.sel.Name), f.x)
}

// reordered is the frame a method makes that keeps its receiver's rows and columns (sort, limit,
// unique), so it keeps its name in messages.
func (f frameCall) reordered(r Rel) value { return frameValue(r, f.recv.relName, f.x) }

// frameMethod checks a call of a frame method: each method checks its arguments against the
// frame's rows and builds its relation with the IR's constructors.
func (c *checker) frameMethod(recv value, sel *lang.Ident, x *lang.CallExpr, e *env) value {
	f := frameCall{recv: recv, sel: sel, x: x, e: e, row: e.rowEnv(recv.rel, recv.relName)}
	switch sel.Name {
	case "filter":
		return c.frameFilter(f)
	case "select":
		return c.frameSelect(f)
	case "with_columns":
		return c.frameWithColumns(f)
	case "drop":
		return c.frameDrop(f)
	case "rename":
		return c.frameRename(f)
	case "sort":
		return c.frameSort(f)
	case "limit":
		return c.frameLimit(f)
	case "head":
		return c.frameHead(f)
	case "tail":
		return c.frameTail(f)
	case "group_by_dynamic":
		return c.frameGroupByDynamic(f)
	case "drop_nulls":
		return c.frameDropNulls(f)
	case "fill_null":
		return c.frameFillNull(f)
	case "with_row_index":
		return c.frameWithRowIndex(f)
	case "unique":
		return c.frameUnique(f)
	case "group_by":
		return c.frameGroupBy(f)
	case "join":
		return c.join(recv, x, e)
	case "join_asof":
		return c.joinAsof(recv, x, e)
	case "union":
		return c.union(recv, x, e)
	case "len":
		return c.frameLen(f)
	}
	c.unknownFrameMethod(recv, sel)
	return bad
}

// unknownFrameMethod reports a method that frames do not have, with the frame method meant or,
// for a column method, how to call it on a column.
func (c *checker) unknownFrameMethod(recv value, sel *lang.Ident) {
	d := c.diags.Errorf(lang.EUnknownMethod, sel.Sp, "frames have no method %s", sel.Name)
	if s := suggest(sel.Name, frameMethods); s != "" {
		d.WithHint("did you mean %s?", s)
	} else if f := c.lib.Lookup(sel.Name); f != nil {
		d.WithHint("%s applies to a column: %s.column.%s(…)", sel.Name, recv.relName, sel.Name)
	} else {
		d.WithHint("the frame methods are: %s", strings.Join(frameMethods, ", "))
	}
}

// refused reports that a constructor of the IR refused to build what the checker accepted
// (NewProject, NewFilter, NewAggregate keep every plan well-formed). The checker reports each
// such case itself first, with the code of its meaning (E0306 for two columns with one name,
// E0501 for an aggregate in a row, …), so a refusal is a bug in the checker: it has a code of
// its own, E0423, never one that would send the user looking for a mistake in their .feat.
func (c *checker) refused(sp lang.Span, err error) value {
	c.diags.Errorf(lang.ERefusedPlan, sp, "%v", err)
	return bad
}

// frameFilter checks filter(cond, …): the conditions, joined by and, become one Filter, with
// the window functions they read computed below it.
func (c *checker) frameFilter(f frameCall) value {
	if !c.noNamedArgs("filter", f.x) {
		return bad
	}
	pred, ok := c.filterCondition(f)
	if !ok {
		return bad
	}
	sp := f.x.Span()
	below, lifted, restore, err := liftWindows(f.rel(), []Expr{c.convert(pred, types.BoolT)}, sp)
	if err != nil {
		return c.refused(sp, err)
	}
	filter, err := NewFilter(below, lifted[0], sp)
	if err != nil {
		return c.refused(sp, err)
	}
	return f.derived(restore(filter))
}

// filterCondition checks filter's conditions, each a bool row expression (a hint shows how to
// compare a value of another type), and joins them with and.
func (c *checker) filterCondition(f frameCall) (Expr, bool) {
	sp := f.x.Span()
	if len(f.x.Args) == 0 {
		c.diags.Errorf(lang.EMissingArg, sp, "filter needs a condition")
		return nil, false
	}
	var pred Expr
	for _, a := range f.x.Args {
		p, ok := c.asExpr(c.expr(a.Value, f.row), a.Value)
		if !ok {
			return nil, false
		}
		if k := p.Type().Kind; k != types.Bool && k != types.Null {
			d := c.diags.Errorf(lang.ENotBool, a.Value.Span(), "filter needs a bool condition, but this is %s", p.Type())
			text := rawText(a.Value)
			switch k := p.Type().Kind; {
			case k == types.String:
				d.WithHint("compare it: %s == \"value\", %s.str.contains(\"…\")", text, text)
			case p.Type().IsNumeric() || k == types.Duration:
				d.WithHint("compare it: %s > 0", text)
			case p.Type().IsTemporal():
				d.WithHint("compare it: %s >= @2024-01-01", text)
			default:
				d.WithHint("test it: %s.is_not_null()", text)
			}
			return nil, false
		}
		if pred == nil {
			pred = p
		} else {
			and := c.lib.Lookup("and")
			pred = &Call{Func: and, Overload: and.Overloads[0], Args: []Expr{pred, c.convert(p, types.BoolT)}, T: types.BoolT, Sp: sp}
		}
	}
	return pred, true
}

// frameSelect checks select(…): exactly the named columns, or, when every expression is an
// aggregate, one row aggregating the whole frame (see aggregateSelect).
func (c *checker) frameSelect(f frameCall) value {
	sp := f.x.Span()
	if len(f.x.Args) == 0 {
		c.diags.Errorf(lang.EMissingArg, sp, "select needs at least one column")
		return bad
	}
	mark := len(*c.diags)
	cols, ok := c.namedExprs(f.x.Args, f.row, "select")
	if !ok {
		if v, ok := c.aggregateSelect(f.recv, f.x, f.e, mark); ok {
			return v
		}
		return bad
	}
	p, err := NewProject(f.rel(), cols, sp)
	if err != nil {
		return c.refused(sp, err)
	}
	return f.derived(p)
}

// frameWithColumns checks with_columns(…): every column of the frame, a column named like an
// existing one replacing it in place, the others added at the end.
func (c *checker) frameWithColumns(f frameCall) value {
	added, ok := c.namedExprs(f.x.Args, f.row, "with_columns")
	if !ok {
		return bad
	}
	cols := passthrough(f.rel().Schema())
	for _, a := range added {
		replaced := false
		for i := range cols {
			if cols[i].Name == a.Name {
				cols[i] = a
				replaced = true
			}
		}
		if !replaced {
			cols = append(cols, a)
		}
	}
	p, err := NewProject(f.rel(), cols, f.x.Span())
	if err != nil {
		return c.refused(f.x.Span(), err)
	}
	return f.derived(p)
}

// frameDrop checks drop(col, …): every column of the frame but the named ones, at least one.
func (c *checker) frameDrop(f frameCall) value {
	sp := f.x.Span()
	if !c.noNamedArgs("drop", f.x) {
		return bad
	}
	names, ok := c.columnArgs(f.x.Args, f.row)
	if !ok {
		return bad
	}
	var cols []NamedExpr
	for _, col := range passthrough(f.rel().Schema()) {
		if !names[col.Name] {
			cols = append(cols, col)
		}
	}
	if len(cols) == 0 {
		c.diags.Errorf(lang.ENotFrame, sp, "drop removes every column of %s", f.recv.relName)
		return bad
	}
	p, err := NewProject(f.rel(), cols, sp)
	if err != nil {
		return c.refused(sp, err)
	}
	return f.derived(p)
}

// frameRename checks rename(new = old, …): the frame's columns in their order, some renamed.
func (c *checker) frameRename(f frameCall) value {
	renames, ok := c.renameArgs(f)
	if !ok {
		return bad
	}
	var cols []NamedExpr
	for _, col := range passthrough(f.rel().Schema()) {
		if n, ok := renames[col.Name]; ok {
			col.Name = n
		}
		cols = append(cols, col)
	}
	if !c.uniqueNames(cols, f.x) {
		return bad
	}
	p, err := NewProject(f.rel(), cols, f.x.Span())
	if err != nil {
		return c.refused(f.x.Span(), err)
	}
	return f.derived(p)
}

// renameMapping checks Polars' rename({"old": "new", …}): old names (strings or names) of the
// frame's columns, each renamed once, to new names given as strings.
func (c *checker) renameMapping(f frameCall, m *lang.MapExpr) (map[string]string, bool) {
	renames := map[string]string{}
	for i, k := range m.Keys {
		old, ok := c.asExpr(c.expr(columnNode(k), f.row), k)
		if !ok {
			return nil, false
		}
		col, isCol := old.(*Col)
		if !isCol {
			c.diags.Errorf(lang.ENotColumn, k.Span(), "rename's keys are columns of %s", f.recv.relName).
				WithHint(`rename({"old_name": "new_name"})`)
			return nil, false
		}
		lit, isStr := m.Values[i].(*lang.BasicLit)
		if !isStr || lit.Kind != lang.StringLit || lit.Value == "" {
			c.diags.Errorf(lang.ENotConstant, m.Values[i].Span(), "rename's new names are strings").
				WithHint(`rename({"%s": "new_name"})`, col.Name)
			return nil, false
		}
		if _, dup := renames[col.Name]; dup {
			c.diags.Errorf(lang.EDuplicateArg, k.Span(), "column %s is renamed twice", col.Name).WithHint("keep one entry for it")
			return nil, false
		}
		renames[col.Name] = lit.Value
	}
	return renames, true
}

// renameArgs checks rename's new = old pairs, each old a column of the frame renamed once, and
// maps old names to new ones.
func (c *checker) renameArgs(f frameCall) (map[string]string, bool) {
	renames := map[string]string{}
	if len(f.x.Args) == 1 && f.x.Args[0].Name == nil {
		if m, ok := f.x.Args[0].Value.(*lang.MapExpr); ok {
			return c.renameMapping(f, m)
		}
	}
	for _, a := range f.x.Args {
		if a.Name == nil {
			c.diags.Errorf(lang.EMissingArg, a.Value.Span(), "rename takes new_name = old_name pairs").
				WithHint("rename(amount_eur = amount)")
			return nil, false
		}
		old := columnNode(a.Value)
		v, ok := c.asExpr(c.expr(old, f.row), old)
		if !ok {
			return nil, false
		}
		col, isCol := v.(*Col)
		if !isCol {
			c.diags.Errorf(lang.ENotColumn, a.Value.Span(), "rename needs a column of %s here", f.recv.relName).
				WithHint("compute new columns with with_columns(name = …)")
			return nil, false
		}
		if _, dup := renames[col.Name]; dup {
			c.diags.Errorf(lang.EDuplicateArg, a.Value.Span(), "column %s is renamed twice", col.Name).
				WithHint("keep one of the renames of %s", col.Name)
			return nil, false
		}
		renames[col.Name] = a.Name.Name
	}
	return renames, true
}

// frameSort checks sort(key, …, descending =, nulls_last =): a Sort over the keys, with the
// window functions they read computed below it.
func (c *checker) frameSort(f frameCall) value {
	sp := f.x.Span()
	var keyNodes []lang.Expr
	opts := map[string]lang.Expr{}
	for _, a := range f.x.Args {
		if a.Name == nil {
			keyNodes = append(keyNodes, columnNodes(listElems(a.Value, stdlib.Param{Variadic: true}))...)
			continue
		}
		switch a.Name.Name {
		case "descending", "nulls_last":
			opts[a.Name.Name] = a.Value
		default:
			c.diags.Errorf(lang.EUnknownArg, a.Name.Sp, "sort has no parameter %s", a.Name.Name).
				WithHint("sort(keys…, descending = …, nulls_last = …)")
			return bad
		}
	}
	if len(keyNodes) == 0 {
		c.diags.Errorf(lang.EMissingArg, sp, "sort needs at least one key")
		return bad
	}
	keys, ok := c.sortKeys(keyNodes, opts, f.row)
	if !ok {
		return bad
	}
	exprs := make([]Expr, len(keys))
	for i, k := range keys {
		exprs[i] = k.Expr
	}
	below, lifted, restore, err := liftWindows(f.rel(), exprs, sp)
	if err != nil {
		return c.refused(sp, err)
	}
	for i := range keys {
		keys[i].Expr = lifted[i]
	}
	return f.reordered(restore(&Sort{Input: below, Keys: keys, Sp: sp}))
}

// frameLimit checks limit(n, offset =): constant non-negative integers; a limit over rows in no
// particular order gets a warning.
func (c *checker) frameLimit(f frameCall) value {
	sp := f.x.Span()
	n, offset, ok := c.limitArgs(f)
	if !ok {
		return bad
	}
	if !isSorted(f.rel()) {
		c.diags.Warnf(lang.WUnsortedLimit, sp, "limit over rows in no particular order: engines may keep different rows").
			WithHint("sort first: .sort(key).limit(%d)", n)
	}
	return f.reordered(&Limit{Input: f.rel(), N: n, Offset: offset, Sp: sp})
}

// limitArgs checks limit's n and offset, each a constant integer that is not negative; n is
// required.
func (c *checker) limitArgs(f frameCall) (n, offset int64, ok bool) {
	n = -1
	for _, a := range f.x.Args {
		name := "n"
		if a.Name != nil {
			name = a.Name.Name
		}
		if name != "n" && name != "offset" {
			c.diags.Errorf(lang.EUnknownArg, a.Name.Sp, "limit has no parameter %s", name)
			return 0, 0, false
		}
		v := c.expr(a.Value, f.row)
		if v.kind == vBad {
			return 0, 0, false
		}
		lit, ok := c.constant(v)
		if !ok || lit.Value.Type.Kind != types.Int64 || lit.Value.Null {
			c.diags.Errorf(lang.ENotConstant, a.Value.Span(), "limit needs a constant integer, not %s", describeNode(a.Value))
			return 0, 0, false
		}
		if lit.Value.I < 0 {
			c.diags.Errorf(lang.EConstantRange, a.Value.Span(), "%s of limit cannot be negative", name)
			return 0, 0, false
		}
		if name == "n" {
			n = lit.Value.I
		} else {
			offset = lit.Value.I
		}
	}
	if n < 0 {
		c.diags.Errorf(lang.EMissingArg, f.x.Span(), "limit needs the number of rows: limit(10)")
		return 0, 0, false
	}
	return n, offset, true
}

// frameUnique checks unique(): the frame's distinct rows.
func (c *checker) frameUnique(f frameCall) value {
	if len(f.x.Args) > 0 && (argNode(f.x, "subset") != nil || argNode(f.x, "keep") != nil || f.x.Args[0].Name == nil) {
		return c.frameUniqueBy(f)
	}
	if len(f.x.Args) > 0 {
		c.diags.Errorf(lang.EArgCount, f.x.Span(), "unique takes no arguments: it removes duplicate rows").
			WithHint("for distinct values of some columns: select(a, b).unique()")
		return bad
	}
	return f.reordered(&Distinct{Input: f.rel(), Sp: f.x.Span()})
}

// frameGroupBy checks group_by(key, …): its keys, row expressions that are neither aggregates
// nor windows. The result is not a frame yet: agg or len follows (groupByMethod).
func (c *checker) frameGroupBy(f frameCall) value {
	keys, ok := c.namedExprs(f.x.Args, f.row, "group_by")
	if !ok {
		return bad
	}
	if len(keys) == 0 {
		c.diags.Errorf(lang.EEmptyGroupKeys, f.x.Span(), "group_by needs at least one key").
			WithHint("to aggregate a whole frame, use frame.column.sum() or frame.len()")
		return bad
	}
	for i, k := range keys {
		if ContainsWindow(k.Expr) {
			c.diags.Errorf(lang.EWindowInKey, f.x.Args[min(i, len(f.x.Args)-1)].Span(), "group key %s is a window function", k.Name)
			return bad
		}
	}
	return value{kind: vGroupBy, rel: f.rel(), relName: f.recv.relName, keys: keys, node: f.x}
}

// frameLen checks len(): the frame's number of rows, a single value computed by a subquery.
func (c *checker) frameLen(f frameCall) value {
	sp := f.x.Span()
	if len(f.x.Args) > 0 {
		c.diags.Errorf(lang.EArgCount, sp, "len takes no arguments")
		return bad
	}
	lenFn := c.lib.Lookup("len")
	agg := &Agg{Func: lenFn, Overload: lenFn.Overloads[0], T: types.Int64T, Sp: sp}
	a, err := NewAggregate(f.rel(), nil, []NamedExpr{{Name: "len", Expr: agg}}, sp)
	if err != nil {
		return c.refused(sp, err)
	}
	return exprValue(&Subquery{Rel: a, Sp: sp}, f.x)
}

// isSorted reports whether rel's rows come straight from a sort (filters and projections
// keep the order).
func isSorted(rel Rel) bool {
	for {
		switch r := rel.(type) {
		case *Sort:
			return true
		case *Filter:
			rel = r.Input
		case *Project:
			for _, c := range r.Cols {
				if ContainsWindow(c.Expr) {
					return false
				}
			}
			rel = r.Input
		default:
			return false
		}
	}
}

// aggregateSelect checks a select whose expressions are all aggregates, as Polars reads it: one
// row aggregating the whole frame (orders.select(total = amount.sum(), n = len())). It is
// tried when the select failed as a row select with only "aggregate where a row value is
// needed" errors (those from mark on); it replaces them when every expression checks as an
// aggregate, and leaves them otherwise.
func (c *checker) aggregateSelect(recv value, x *lang.CallExpr, e *env, mark int) (value, bool) {
	rowErrs := append(lang.Diagnostics{}, (*c.diags)[mark:]...)
	if len(rowErrs) == 0 {
		return bad, false
	}
	for _, d := range rowErrs {
		if d.Code != lang.EAggInRow {
			return bad, false
		}
	}
	*c.diags = (*c.diags)[:mark]
	aenv := &env{ctx: ctxAgg, schema: recv.rel.Schema(), frameName: recv.relName, ent: e.ent}
	aggs, ok := c.namedExprs(x.Args, aenv, "select")
	if ok {
		if a, err := NewAggregate(recv.rel, nil, aggs, x.Span()); err == nil {
			return frameValue(a, derivedName(recv.relName, "select"), x), true
		}
	}
	*c.diags = append((*c.diags)[:mark], rowErrs...)
	return bad, false
}

func (c *checker) groupByMethod(recv value, sel *lang.Ident, x *lang.CallExpr, e *env) value {
	aenv := &env{ctx: ctxAgg, schema: recv.rel.Schema(), frameName: recv.relName, keys: recv.keys, ent: e.ent}
	var aggs []NamedExpr
	switch sel.Name {
	case "agg":
		a, ok := c.namedExprs(x.Args, aenv, "agg")
		if !ok {
			return bad
		}
		aggs = a
	case "len":
		if len(x.Args) > 0 {
			c.diags.Errorf(lang.EArgCount, x.Span(), "len takes no arguments")
			return bad
		}
		lenFn := c.lib.Lookup("len")
		aggs = []NamedExpr{{Name: "len", Expr: &Agg{Func: lenFn, Overload: lenFn.Overloads[0], T: types.Int64T, Sp: x.Span()}}}
	default:
		c.diags.Errorf(lang.EUnknownMethod, sel.Sp, "group_by(…) is followed by .agg(…) or .len(), not .%s", sel.Name)
		return bad
	}
	all := append(append([]NamedExpr{}, recv.keys...), aggs...)
	if !c.uniqueNames(all, x) {
		return bad
	}
	a, err := NewAggregate(recv.rel, recv.keys, aggs, x.Span())
	if err != nil {
		return c.refused(x.Span(), err)
	}
	return frameValue(a, derivedName(recv.relName, "agg"), x)
}

func (c *checker) noNamedArgs(method string, x *lang.CallExpr) bool {
	for _, a := range x.Args {
		if a.Name != nil {
			d := c.diags.Errorf(lang.EUnknownArg, a.Name.Sp, "%s takes no named arguments", method)
			if method == "filter" {
				d.WithHint("compare with ==: filter(%s == %s)", a.Name.Name, rawText(a.Value))
			}
			return false
		}
	}
	return true
}

// passthrough returns the columns of s as expressions reading them unchanged.
func passthrough(s Schema) []NamedExpr {
	out := make([]NamedExpr, len(s))
	for i, f := range s {
		out[i] = NamedExpr{Name: f.Name, Expr: &Col{Name: f.Name, T: f.Type}}
	}
	return out
}

// namedExprs checks the arguments of select, with_columns, group_by and agg: name = expr, or
// an expression named after the first column it reads (as Polars does).
func (c *checker) namedExprs(args []*lang.Arg, e *env, method string) ([]NamedExpr, bool) {
	var out []NamedExpr
	ok := true
	add := func(name string, node lang.Expr) {
		v := c.expr(node, e)
		if method == "group_by" && v.pending != nil {
			c.diags.Errorf(lang.EWindowInKey, node.Span(), "a group key cannot be an aggregate or window function").
				WithHint("group by columns or row expressions; aggregate in .agg(…)")
			ok = false
			return
		}
		ex, eok := c.asExpr(v, node)
		if !eok {
			ok = false
			return
		}
		if ex.Type().Kind == types.Null {
			c.diags.Errorf(lang.ENullType, node.Span(), "column %s is null with no type", nameOr(name, ex)).
				WithHint("give it a type: null.cast(float64)")
			ok = false
			return
		}
		if name == "" {
			name = outputName(ex)
			if name == "" {
				c.diags.Errorf(lang.EUnnamed, node.Span(), "name this column: %s(name = %s)", method, strings.TrimSpace(node.Span().Text())).
					WithHint("an unnamed column takes the name of the first column it reads, and this reads none")
				ok = false
				return
			}
		}
		if method == "group_by" && (ContainsAgg(ex) || ContainsWindow(ex)) {
			c.diags.Errorf(lang.EWindowInKey, node.Span(), "group key %s is an aggregate or window function", name).
				WithHint("compute it first with with_columns(%s = …), then group by %s", name, name)
			ok = false
			return
		}
		out = append(out, NamedExpr{Name: name, Expr: ex})
	}
	for _, a := range args {
		if a.Name != nil {
			add(a.Name.Name, a.Value)
			continue
		}
		// A positional string is a column's name (select("a"), group_by("a")), as in Polars;
		// name = "text" stays a constant column.
		if l, isList := a.Value.(*lang.ListExpr); isList {
			for _, el := range l.Elems {
				add("", columnNode(el))
			}
			continue
		}
		if name, inner, isAlias := aliased(a.Value); isAlias {
			add(name, inner) // Polars' expr.alias("name")
			continue
		}
		add("", columnNode(a.Value))
	}
	if !ok {
		return nil, false
	}
	if len(out) == 0 && method != "agg" && method != "group_by" {
		c.diags.Errorf(lang.EMissingArg, argSpanOr(args), "%s needs at least one column", method)
		return nil, false
	}
	seen := map[string]bool{}
	for i, ne := range out {
		if seen[ne.Name] {
			c.diags.Errorf(lang.EDuplicateOutput, argSpan(args, i), "%s produces two columns named %s", method, ne.Name).
				WithHint("name one of them: %s(other_name = …)", method)
			return nil, false
		}
		seen[ne.Name] = true
	}
	return out, true
}

func nameOr(name string, e Expr) string {
	if name != "" {
		return name
	}
	return outputName(e)
}

func argSpanOr(args []*lang.Arg) lang.Span {
	if len(args) > 0 {
		return args[0].Span()
	}
	return lang.Span{}
}

func argSpan(args []*lang.Arg, i int) lang.Span {
	if i < len(args) {
		return args[i].Span()
	}
	if len(args) > 0 {
		return args[len(args)-1].Span()
	}
	return lang.Span{}
}

// outputName is the name Polars gives an unnamed expression: its first column, where a
// conditional (when/then) is named after its first then value — "literal" when that value
// reads no column, as in Polars.
func outputName(e Expr) string {
	name := ""
	WalkExpr(e, func(x Expr) bool {
		if name != "" {
			return false
		}
		switch x := x.(type) {
		case *Col:
			name = x.Name
		case *GroupKey:
			name = x.Name
		case *Call:
			if x.Func.Name == "case" && len(x.Args) >= 2 {
				if name = outputName(x.Args[1]); name == "" {
					name = "literal"
				}
				return false
			}
		}
		return name == ""
	})
	if name != "" {
		return name
	}
	switch x := e.(type) {
	case *Agg:
		return x.Func.ShortName()
	case *Window:
		return x.Func.ShortName()
	}
	return ""
}

// joinKeyMissing reports a join key that is not a column of its side, with the name meant or
// the side's columns.
func (c *checker) joinKeyMissing(name string, sp lang.Span, side value) {
	d := c.diags.Errorf(lang.EJoinKeyMissing, sp, "join key %s is not a column of %s", name, side.relName)
	names := side.rel.Schema().Names()
	if s := suggest(name, names); s != "" {
		d.WithHint("did you mean %s?", s)
	} else {
		d.WithHint("the columns of %s are: %s; with other names on each side, give left_on and right_on", side.relName, strings.Join(names, ", "))
	}
}

func (c *checker) uniqueNames(cols []NamedExpr, x *lang.CallExpr) bool {
	seen := map[string]bool{}
	for _, col := range cols {
		if seen[col.Name] {
			c.diags.Errorf(lang.EDuplicateOutput, x.Span(), "the result would have two columns named %s", col.Name).
				WithHint("give one of them another name (new_name = %s), or drop one", col.Name)
			return false
		}
		seen[col.Name] = true
	}
	return true
}

// columnArgs resolves arguments that must name columns of the current frame.
func (c *checker) columnArgs(args []*lang.Arg, e *env) (map[string]bool, bool) {
	names := map[string]bool{}
	for _, a := range args {
		for _, n := range columnNodes(listElems(a.Value, stdlib.Param{Variadic: true})) {
			v, ok := c.asExpr(c.expr(n, e), n)
			if !ok {
				return nil, false
			}
			col, isCol := v.(*Col)
			if !isCol {
				c.diags.Errorf(lang.ENotColumn, n.Span(), "%s is not a column of %s", describeNode(n), e.frameName)
				return nil, false
			}
			names[col.Name] = true
		}
	}
	return names, true
}

// keyName is a column named in a join option, with where it was written.
type keyName struct {
	name string
	sp   lang.Span
}

// keyNames reads a join option naming columns: a name, col("name"), "name", or a list of them.
func (c *checker) keyNames(node lang.Expr) ([]keyName, bool) {
	var out []keyName
	for _, n := range listElems(node, stdlib.Param{Variadic: true}) {
		switch n := n.(type) {
		case *lang.Ident:
			out = append(out, keyName{n.Name, n.Sp})
			continue
		case *lang.BasicLit:
			if n.Kind == lang.StringLit {
				out = append(out, keyName{n.Value, n.Sp})
				continue
			}
		case *lang.CallExpr:
			if id, ok := n.Fun.(*lang.Ident); ok && id.Name == "col" && len(n.Args) == 1 {
				if lit, ok := n.Args[0].Value.(*lang.BasicLit); ok && lit.Kind == lang.StringLit {
					out = append(out, keyName{lit.Value, lit.Sp})
					continue
				}
			}
		}
		c.diags.Errorf(lang.ENotColumn, n.Span(), "join keys are column names: on = customer_id or on = [a, b]")
		return nil, false
	}
	return out, true
}

func (c *checker) stringOption(method, name string, node lang.Expr, choices []string) (string, bool) {
	lit, ok := node.(*lang.BasicLit)
	if !ok || lit.Kind != lang.StringLit {
		c.diags.Errorf(lang.ENotConstant, node.Span(), "%s of %s must be a constant string", name, method)
		return "", false
	}
	if choices != nil && !contains(choices, lit.Value) {
		c.diags.Errorf(lang.EBadOption, node.Span(), "%s of %s must be one of %s", name, method, quoteList(choices))
		return "", false
	}
	return lit.Value, true
}

// joinArgs splits a join's arguments into the other frame and the named options.
func (c *checker) joinArgs(method string, x *lang.CallExpr, e *env, allowed []string) (value, map[string]lang.Expr, bool) {
	opts := map[string]lang.Expr{}
	var other value
	positional := 0
	for _, a := range x.Args {
		if a.Name == nil {
			positional++
			if positional > 1 {
				c.diags.Errorf(lang.EArgCount, a.Value.Span(), "%s takes one frame and named options", method)
				return bad, nil, false
			}
			other = c.expr(a.Value, e)
			other.node = a.Value
			continue
		}
		if !contains(allowed, a.Name.Name) {
			c.diags.Errorf(lang.EUnknownArg, a.Name.Sp, "%s has no parameter %s", method, a.Name.Name).
				WithHint("its parameters are: %s", strings.Join(allowed, ", "))
			return bad, nil, false
		}
		if _, dup := opts[a.Name.Name]; dup {
			c.diags.Errorf(lang.EDuplicateArg, a.Name.Sp, "argument %s is given twice", a.Name.Name).
				WithHint("keep one %s = …", a.Name.Name)
			return bad, nil, false
		}
		opts[a.Name.Name] = a.Value
	}
	if positional == 0 {
		c.diags.Errorf(lang.EMissingArg, x.Span(), "%s needs the frame to join with", method)
		return bad, nil, false
	}
	if other.kind == vBad {
		return bad, nil, false
	}
	if other.kind != vFrame {
		c.asFrame(other, other.node)
		return bad, nil, false
	}
	return other, opts, true
}

// joinKeys resolves the key options of a join: on, or left_on with right_on.
func (c *checker) joinKeys(method string, x *lang.CallExpr, opts map[string]lang.Expr, onName, leftName, rightName string, left, right value) (lk, rk []keyName, ok bool) {
	on, hasOn := opts[onName]
	lo, hasL := opts[leftName]
	ro, hasR := opts[rightName]
	switch {
	case hasOn && (hasL || hasR):
		c.diags.Errorf(lang.EBadOption, x.Span(), "give %s or %s with %s, not both", onName, leftName, rightName)
		return nil, nil, false
	case hasOn:
		keys, ok := c.keyNames(on)
		if !ok {
			return nil, nil, false
		}
		lk, rk = keys, keys
	case hasL != hasR:
		c.diags.Errorf(lang.EMissingArg, x.Span(), "%s needs both %s and %s", method, leftName, rightName)
		return nil, nil, false
	case hasL:
		var ok1, ok2 bool
		lk, ok1 = c.keyNames(lo)
		rk, ok2 = c.keyNames(ro)
		if !ok1 || !ok2 {
			return nil, nil, false
		}
		if len(lk) != len(rk) {
			c.diags.Errorf(lang.EBadOption, x.Span(), "%s has %d columns but %s has %d", leftName, len(lk), rightName, len(rk))
			return nil, nil, false
		}
	default:
		return nil, nil, true
	}
	for i := range lk {
		lf, lok := left.rel.Schema().Lookup(lk[i].name)
		rf, rok := right.rel.Schema().Lookup(rk[i].name)
		if !lok {
			c.joinKeyMissing(lk[i].name, lk[i].sp, left)
			return nil, nil, false
		}
		if !rok {
			c.joinKeyMissing(rk[i].name, rk[i].sp, right)
			return nil, nil, false
		}
		if lf.Type != rf.Type {
			c.diags.Errorf(lang.EJoinKeyType, lk[i].sp, "join key %s is %s in %s but %s is %s in %s", lk[i].name, lf.Type, left.relName, rk[i].name, rf.Type, right.relName).
				WithHint("convert one side first: with_columns(%s = %s.cast(%s))", rk[i].name, rk[i].name, lf.Type)
			return nil, nil, false
		}
	}
	return lk, rk, true
}

func names(keys []keyName) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k.name
	}
	return out
}

// joinOutput lays out a join's output columns: the left's, then the right's except its keys,
// with suffix added to right names that collide.
func (c *checker) joinOutput(left, right Schema, dropRight map[string]bool, suffix string, x *lang.CallExpr) ([]JoinCol, bool) {
	var cols []JoinCol
	seen := map[string]bool{}
	for _, f := range left {
		cols = append(cols, JoinCol{Side: LeftSide, Name: f.Name, Out: f.Name, T: f.Type})
		seen[f.Name] = true
	}
	for _, f := range right {
		if dropRight[f.Name] {
			continue
		}
		out := f.Name
		if seen[out] {
			out += suffix
		}
		if seen[out] {
			c.diags.Errorf(lang.EDuplicateOutput, x.Span(), "the join would have two columns named %s", out).
				WithHint("rename one side's column first, or choose another suffix")
			return nil, false
		}
		seen[out] = true
		cols = append(cols, JoinCol{Side: RightSide, Name: f.Name, Out: out, T: f.Type})
	}
	return cols, true
}

func (c *checker) join(recv value, x *lang.CallExpr, e *env) value {
	other, opts, ok := c.joinArgs("join", x, e, []string{"on", "left_on", "right_on", "how", "suffix"})
	if !ok {
		return bad
	}
	how := "inner"
	if n, ok := opts["how"]; ok {
		h, ok := c.stringOption("join", "how", n, []string{"inner", "left", "full", "semi", "anti", "cross"})
		if !ok {
			return bad
		}
		how = h
	}
	kind, _ := ParseJoinKind(how)
	suffix := "_right"
	if n, ok := opts["suffix"]; ok {
		s, ok := c.stringOption("join", "suffix", n, nil)
		if !ok {
			return bad
		}
		suffix = s
	}
	lk, rk, ok := c.joinKeys("join", x, opts, "on", "left_on", "right_on", recv, other)
	if !ok {
		return bad
	}
	if kind == CrossJoin && lk != nil {
		c.diags.Errorf(lang.EBadOption, x.Span(), "a cross join has no keys")
		return bad
	}
	if kind != CrossJoin && lk == nil {
		c.diags.Errorf(lang.EMissingArg, x.Span(), "join needs keys: on = column, or left_on and right_on").
			WithHint(`for every pair of rows use how = "cross"`)
		return bad
	}
	j := &Join{Left: recv.rel, Right: other.rel, Kind: kind, LeftKeys: names(lk), RightKeys: names(rk), Sp: x.Span()}
	drop := map[string]bool{}
	for _, k := range rk {
		drop[k.name] = true
	}
	switch kind {
	case SemiJoin, AntiJoin:
		for _, f := range recv.rel.Schema() {
			j.Cols = append(j.Cols, JoinCol{Side: LeftSide, Name: f.Name, Out: f.Name, T: f.Type})
		}
	default:
		cols, ok := c.joinOutput(recv.rel.Schema(), other.rel.Schema(), drop, suffix, x)
		if !ok {
			return bad
		}
		if kind == FullJoin {
			for i, col := range cols {
				for k := range lk {
					if col.Side == LeftSide && col.Name == lk[k].name {
						cols[i].Side = CoalescedKey
						cols[i].RightName = rk[k].name
					}
				}
			}
		}
		j.Cols = cols
	}
	return frameValue(j, derivedName(recv.relName, "join"), x)
}

func (c *checker) joinAsof(recv value, x *lang.CallExpr, e *env) value {
	other, opts, ok := c.joinArgs("join_asof", x, e, []string{"on", "left_on", "right_on", "by", "by_left", "by_right", "strategy", "tolerance", "suffix"})
	if !ok {
		return bad
	}
	lon, ron, ok := c.joinKeys("join_asof", x, opts, "on", "left_on", "right_on", recv, other)
	if !ok {
		return bad
	}
	if lon == nil {
		c.diags.Errorf(lang.EMissingArg, x.Span(), "join_asof needs on (or left_on and right_on): the column to match nearest values of")
		return bad
	}
	if len(lon) != 1 {
		c.diags.Errorf(lang.EBadOption, x.Span(), "join_asof matches on one column")
		return bad
	}
	onType, _ := recv.rel.Schema().Lookup(lon[0].name)
	if !onType.Type.IsNumeric() && !onType.Type.IsTemporal() {
		c.diags.Errorf(lang.EJoinKeyType, lon[0].sp, "join_asof matches a number, date or timestamp, not %s", onType.Type)
		return bad
	}
	lby, rby, ok := c.joinKeys("join_asof", x, opts, "by", "by_left", "by_right", recv, other)
	if !ok {
		return bad
	}
	strategy := Backward
	if n, ok := opts["strategy"]; ok {
		s, ok := c.stringOption("join_asof", "strategy", n, []string{"backward", "forward"})
		if !ok {
			return bad
		}
		if s == "forward" {
			strategy = Forward
		}
	}
	var tolerance int64
	if n, ok := opts["tolerance"]; ok {
		lit, ok := c.constant(c.expr(n, &env{ctx: ctxScalar}))
		want := types.Int64
		if onType.Type.IsTemporal() {
			want = types.Duration
		}
		if !ok || lit.Value.Type.Kind != want || lit.Value.Null || lit.Value.I <= 0 {
			c.diags.Errorf(lang.EBadOption, n.Span(), "tolerance must be a positive constant %s", want)
			return bad
		}
		tolerance = lit.Value.I
	}
	suffix := "_right"
	if n, ok := opts["suffix"]; ok {
		s, ok := c.stringOption("join_asof", "suffix", n, nil)
		if !ok {
			return bad
		}
		suffix = s
	}
	drop := map[string]bool{}
	for _, k := range rby {
		drop[k.name] = true
	}
	if ron[0].name == lon[0].name {
		drop[ron[0].name] = true
	}
	cols, ok := c.joinOutput(recv.rel.Schema(), other.rel.Schema(), drop, suffix, x)
	if !ok {
		return bad
	}
	j := &AsOfJoin{Left: recv.rel, Right: other.rel, LeftOn: lon[0].name, RightOn: ron[0].name,
		LeftBy: names(lby), RightBy: names(rby), Strategy: strategy, Tolerance: tolerance, Cols: cols, Sp: x.Span()}
	return frameValue(j, derivedName(recv.relName, "join_asof"), x)
}

func (c *checker) union(recv value, x *lang.CallExpr, e *env) value {
	if !c.noNamedArgs("union", x) {
		return bad
	}
	if len(x.Args) == 0 {
		c.diags.Errorf(lang.EMissingArg, x.Span(), "union needs at least one frame to append")
		return bad
	}
	rels := []Rel{recv.rel}
	for _, a := range x.Args {
		r, ok := c.asFrame(c.expr(a.Value, e), a.Value)
		if !ok {
			return bad
		}
		rels = append(rels, r)
	}
	first := recv.rel.Schema()
	out := make(Schema, len(first))
	copy(out, first)
	for i, r := range rels[1:] {
		s := r.Schema()
		var missing, extra []string
		for _, f := range first {
			if s.Index(f.Name) < 0 {
				missing = append(missing, f.Name)
			}
		}
		for _, f := range s {
			if first.Index(f.Name) < 0 {
				extra = append(extra, f.Name)
			}
		}
		if len(missing)+len(extra) > 0 {
			d := c.diags.Errorf(lang.EUnionSchema, x.Args[i].Value.Span(), "union needs frames with the same columns")
			var parts []string
			if len(missing) > 0 {
				parts = append(parts, "lacks "+strings.Join(missing, ", "))
			}
			if len(extra) > 0 {
				parts = append(parts, "has "+strings.Join(extra, ", ")+" in addition")
			}
			d.WithHint("this frame %s; select the same columns on every side", strings.Join(parts, " and "))
			return bad
		}
		for j, f := range out {
			g, _ := s.Lookup(f.Name)
			t, ok := types.Common(f.Type, g.Type)
			if !ok {
				c.diags.Errorf(lang.EUnionSchema, x.Args[i].Value.Span(), "column %s is %s in one frame and %s in another", f.Name, f.Type, g.Type)
				return bad
			}
			out[j].Type = t
		}
	}
	// Reorder and convert each input to the common schema where it differs.
	for i, r := range rels {
		s := r.Schema()
		same := len(s) == len(out)
		for j := range out {
			if same && s[j] != out[j] {
				same = false
			}
		}
		if same {
			continue
		}
		var cols []NamedExpr
		for _, f := range out {
			g, _ := s.Lookup(f.Name)
			cols = append(cols, NamedExpr{Name: f.Name, Expr: c.convert(&Col{Name: g.Name, T: g.Type}, f.Type)})
		}
		p, err := NewProject(r, cols, x.Span())
		if err != nil {
			return c.refused(x.Span(), err)
		}
		rels[i] = p
	}
	return frameValue(&Union{Rels: rels, Sp: x.Span()}, recv.relName, x)
}

// aliased reads Polars' expr.alias("name"): the name and the expression it names.
func aliased(x lang.Expr) (string, lang.Expr, bool) {
	call, ok := x.(*lang.CallExpr)
	if !ok || len(call.Args) != 1 || call.Args[0].Name != nil {
		return "", nil, false
	}
	sel, ok := call.Fun.(*lang.SelectorExpr)
	if !ok || sel.Sel.Name != "alias" {
		return "", nil, false
	}
	lit, ok := call.Args[0].Value.(*lang.BasicLit)
	if !ok || lit.Kind != lang.StringLit || lit.Value == "" {
		return "", nil, false
	}
	return lit.Value, columnNode(sel.X), true
}
