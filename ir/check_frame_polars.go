package ir

import (
	"github.com/featc/featc/lang"
	"github.com/featc/featc/types"
)

// Polars' frame methods that stand for featc's: head is limit, drop_nulls a filter, fill_null
// a with_columns, with_row_index a row_number over the frame's sort. Each is checked as the
// call it stands for, built from the call's own syntax, so its errors point into it.

// synthCall is recv.method(args…) at the span of x.
func synthCall(x *lang.CallExpr, method string, args ...*lang.Arg) *lang.CallExpr {
	sel := x.Fun.(*lang.SelectorExpr)
	return &lang.CallExpr{Fun: &lang.SelectorExpr{X: sel.X, Sel: &lang.Ident{Name: method, Sp: sel.Sel.Sp}}, Args: args, Lparen: x.Lparen, Rparen: x.Rparen}
}

// nArgs is head's and tail's arguments, n = 5 (Polars' default) when none is given.
func nArgs(x *lang.CallExpr) []*lang.Arg {
	if len(x.Args) > 0 {
		return x.Args
	}
	sp := lang.Span{File: x.Span().File, Start: x.Rparen, End: x.Rparen + 1}
	return []*lang.Arg{{Value: &lang.BasicLit{Sp: sp, Kind: lang.IntLit, Raw: "5"}}}
}

// frameHead checks head(n = 5): limit(n).
func (c *checker) frameHead(f frameCall) value {
	g := f
	g.x = synthCall(f.x, "limit", nArgs(f.x)...)
	return c.frameLimit(g)
}

// frameColumnsArg reads the columns a method applies to (drop_nulls' and unique's subset):
// names or strings, positional or as subset = [a, b]; all of the frame's when none is given.
func (c *checker) frameColumnsArg(f frameCall, method string, allowed ...string) ([]*lang.Ident, map[string]lang.Expr, bool) {
	var cols []*lang.Ident
	named := map[string]lang.Expr{}
	add := func(n lang.Expr) bool {
		switch x := n.(type) {
		case *lang.Ident:
			cols = append(cols, x)
			return true
		case *lang.BasicLit:
			if x.Kind == lang.StringLit {
				cols = append(cols, &lang.Ident{Name: x.Value, Sp: x.Sp})
				return true
			}
		}
		c.diags.Errorf(lang.ENotColumn, n.Span(), "%s takes column names here", method).
			WithHint("%s(a, b) or %s(subset = [\"a\", \"b\"])", method, method)
		return false
	}
	for _, a := range f.x.Args {
		name := "subset"
		if a.Name != nil {
			name = a.Name.Name
		}
		if name != "subset" {
			known := false
			for _, k := range allowed {
				known = known || k == name
			}
			if !known {
				c.diags.Errorf(lang.EUnknownArg, a.Name.Sp, "%s has no parameter %s", method, name)
				return nil, nil, false
			}
			named[name] = a.Value
			continue
		}
		elems := []lang.Expr{a.Value}
		if l, ok := a.Value.(*lang.ListExpr); ok {
			elems = l.Elems
		}
		for _, n := range elems {
			if !add(n) {
				return nil, nil, false
			}
		}
	}
	if len(cols) == 0 {
		for _, col := range f.rel().Schema() {
			cols = append(cols, &lang.Ident{Name: col.Name, Sp: f.x.Span()})
		}
	}
	return cols, named, true
}

// frameDropNulls checks drop_nulls(subset…): the rows where none of the columns is null.
func (c *checker) frameDropNulls(f frameCall) value {
	cols, _, ok := c.frameColumnsArg(f, "drop_nulls")
	if !ok {
		return bad
	}
	var conds []*lang.Arg
	for _, col := range cols {
		conds = append(conds, &lang.Arg{Value: &lang.CallExpr{
			Fun:    &lang.SelectorExpr{X: col, Sel: &lang.Ident{Name: "is_not_null", Sp: col.Sp}},
			Lparen: col.Sp.End, Rparen: col.Sp.End}})
	}
	g := f
	g.x = synthCall(f.x, "filter", conds...)
	return c.frameFilter(g)
}

// frameFillNull checks fill_null(value) on a frame: every column the value converts to has its
// nulls replaced, as Polars fills the columns of the value's type.
func (c *checker) frameFillNull(f frameCall) value {
	if len(f.x.Args) != 1 || (f.x.Args[0].Name != nil && f.x.Args[0].Name.Name != "value") {
		c.diags.Errorf(lang.EArgCount, f.x.Span(), "fill_null on a frame takes one value").
			WithHint("frame.fill_null(0) fills the nulls of every numeric column; for one column: with_columns(x = x.fill_null(0))")
		return bad
	}
	node := f.x.Args[0].Value
	v, ok := c.asExpr(c.expr(node, f.row), node)
	if !ok {
		return bad
	}
	var cols []NamedExpr
	for _, col := range passthrough(f.rel().Schema()) {
		t := col.Expr.Type()
		if _, conv := types.Promotable(v.Type(), t); conv && v.Type().Kind != types.Null {
			filled, ok := c.applyAt("fill_null", node, col.Expr, v)
			if !ok {
				return bad
			}
			col.Expr = filled
		}
		cols = append(cols, col)
	}
	p, err := NewProject(f.rel(), cols, f.x.Span())
	if err != nil {
		return c.refused(f.x.Span(), err)
	}
	return f.reordered(p)
}

// frameWithRowIndex checks with_row_index(name = "index", offset = 0): a first column
// numbering the rows from offset in the frame's sort order (featc frames have no order
// otherwise, so a sort must come first).
func (c *checker) frameWithRowIndex(f frameCall) value {
	name, offset := "index", int64(0)
	for i, a := range f.x.Args {
		param := []string{"name", "offset"}[min(i, 1)]
		if a.Name != nil {
			param = a.Name.Name
		}
		lit, isConst := c.constant(c.expr(a.Value, f.row))
		switch {
		case param == "name" && isConst && lit.Value.Type.Kind == types.String && !lit.Value.Null && lit.Value.S != "":
			name = lit.Value.S
		case param == "offset" && isConst && lit.Value.Type.Kind == types.Int64 && !lit.Value.Null && lit.Value.I >= 0:
			offset = lit.Value.I
		case param == "name" || param == "offset":
			c.diags.Errorf(lang.ENotConstant, a.Value.Span(), "%s of with_row_index must be a constant %s", param, map[bool]string{true: "column name", false: "integer >= 0"}[param == "name"])
			return bad
		default:
			c.diags.Errorf(lang.EUnknownArg, a.Name.Sp, "with_row_index has no parameter %s", param).WithHint(`with_row_index(name = "index", offset = 0)`)
			return bad
		}
	}
	keys := sortKeysOf(f.rel())
	if keys == nil {
		c.diags.Errorf(lang.ENeedsOrder, f.x.Span(), "with_row_index needs the rows in an order: featc frames have none until sorted").
			WithHint(".sort(key).with_row_index(), or row_number().over(order_by = key) in with_columns")
		return bad
	}
	rn := c.lib.Lookup("row_number")
	win := &Window{Func: rn, Overload: rn.Overloads[0], OrderBy: keys, Frame: WindowFrame{Kind: NoFrame}, T: types.Int64T, Sp: f.x.Span()}
	var idx Expr = win
	if offset != 1 {
		var ok bool
		if idx, ok = c.applyAt("+", f.x, win, &Lit{Value: types.Int64Value(offset - 1), Sp: f.x.Span()}); !ok {
			return bad
		}
	}
	cols := append([]NamedExpr{{Name: name, Expr: idx}}, passthrough(f.rel().Schema())...)
	if !c.uniqueNames(cols, f.x) {
		return bad
	}
	p, err := NewProject(f.rel(), cols, f.x.Span())
	if err != nil {
		return c.refused(f.x.Span(), err)
	}
	return f.reordered(p)
}

// sortKeysOf returns the sort keys that order a frame's rows, valid over its schema: a sort,
// under filters only (which keep the columns); nil otherwise.
func sortKeysOf(rel Rel) []SortKey {
	for {
		switch r := rel.(type) {
		case *Sort:
			return r.Keys
		case *Filter:
			rel = r.Input
		default:
			return nil
		}
	}
}

// frameGroupByDynamic checks Polars' group_by_dynamic(index_column, every = …, group_by = …):
// time buckets of every (windows [start, start + every), labelled by their start, as Polars'
// defaults closed = "left", label = "left" are), grouped with the group_by columns; .agg(…)
// follows. It is group_by(keys…, index_column = index_column.dt.truncate(every)): the
// buckets align as dt.truncate's do (calendar months and years; weeks from Monday; other
// periods from the epoch). Overlapping windows (a period other than every) and offsets are
// not supported yet.
func (c *checker) frameGroupByDynamic(f frameCall) value {
	var indexNode, everyNode lang.Expr
	var groupNodes []lang.Expr
	for i, a := range f.x.Args {
		name := []string{"index_column", "every"}[min(i, 1)]
		if a.Name != nil {
			name = a.Name.Name
		} else if i > 1 {
			c.diags.Errorf(lang.EArgCount, a.Value.Span(), "group_by_dynamic takes the index column and every; name the others").
				WithHint(`group_by_dynamic("t", every = "1w", group_by = "customer_id")`)
			return bad
		}
		switch name {
		case "index_column":
			indexNode = columnNode(a.Value)
		case "every":
			everyNode = a.Value
		case "group_by":
			elems := []lang.Expr{a.Value}
			if l, ok := a.Value.(*lang.ListExpr); ok {
				elems = l.Elems
			}
			groupNodes = append(groupNodes, columnNodes(elems)...)
		case "period", "offset", "closed", "label", "include_boundaries", "start_by":
			// Polars' defaults are what featc computes; anything else is refused.
			defaults := map[string]string{"closed": "left", "label": "left", "start_by": "window"}
			l, isConst := c.constant(c.expr(a.Value, f.row))
			ok := isConst
			switch name {
			case "period":
				ok = ok && everyNode != nil && l.Value.Type.Kind == types.String && l.Value.S == constText(everyNode)
			case "offset":
				ok = ok && ((l.Value.Type.Kind == types.String && (l.Value.S == "0" || l.Value.S == "0d")) || (l.Value.Type.Kind == types.Duration && l.Value.I == 0))
			case "include_boundaries":
				ok = ok && l.Value.Type.Kind == types.Bool && !l.Value.Bool()
			default:
				ok = ok && l.Value.Type.Kind == types.String && l.Value.S == defaults[name]
			}
			if !ok {
				c.diags.Errorf(lang.EBadOption, a.Value.Span(), "group_by_dynamic supports %s only at Polars' default", name).
					WithHint("tumbling windows: every alone, closed = \"left\", label = \"left\", no offset (overlapping windows are not supported yet)")
				return bad
			}
		default:
			c.diags.Errorf(lang.EUnknownArg, a.Name.Sp, "group_by_dynamic has no parameter %s", name).
				WithHint(`group_by_dynamic("t", every = "1w", group_by = "customer_id")`)
			return bad
		}
	}
	if indexNode == nil || everyNode == nil {
		c.diags.Errorf(lang.EMissingArg, f.x.Span(), "group_by_dynamic needs an index column and every").
			WithHint(`group_by_dynamic("t", every = "1w", group_by = "customer_id")`)
		return bad
	}
	col, ok := c.asExpr(c.expr(indexNode, f.row), indexNode)
	if !ok {
		return bad
	}
	idx, isCol := col.(*Col)
	if !isCol || (idx.T.Kind != types.Date && idx.T.Kind != types.Timestamp) {
		c.diags.Errorf(lang.ENotColumn, indexNode.Span(), "the index column of group_by_dynamic is a date or timestamp column").
			WithHint("bucket integers with group_by(k = x // 10)")
		return bad
	}
	every := constText(everyNode)
	ev, err := types.ParseDurationLiteral(every)
	if l, ok := c.constant(c.expr(everyNode, f.row)); ok && (l.Value.Type.Kind == types.Duration || l.Value.Type.Kind == types.Interval) {
		ev, err = l.Value, nil
	}
	if err != nil {
		c.diags.Errorf(lang.EBadUnit, everyNode.Span(), "every of group_by_dynamic is a duration: %v", err).WithHint(`every = "1w", "1d", "1mo"`)
		return bad
	}
	bucket, ok := c.applyAt("dt.truncate", everyNode, idx, &Lit{Value: ev, Sp: everyNode.Span()})
	if !ok {
		return bad
	}
	var groupArgs []*lang.Arg
	for _, n := range groupNodes {
		groupArgs = append(groupArgs, &lang.Arg{Value: n})
	}
	var keys []NamedExpr
	if len(groupArgs) > 0 {
		if keys, ok = c.namedExprs(groupArgs, f.row, "group_by"); !ok {
			return bad
		}
	}
	keys = append(keys, NamedExpr{Name: idx.Name, Expr: bucket})
	if !c.uniqueNames(keys, f.x) {
		return bad
	}
	return value{kind: vGroupBy, rel: f.rel(), relName: f.recv.relName, keys: keys, node: f.x}
}

// constText is the text of a string literal, or the source text of another node (1w).
func constText(n lang.Expr) string {
	if l, ok := n.(*lang.BasicLit); ok && l.Kind == lang.StringLit {
		return l.Value
	}
	return n.Span().Text()
}

// frameUniqueBy checks Polars' unique(subset, keep = …): one row per value of the subset's
// columns — the first or last in the frame's sort order (a sort must come first, featc frames
// having no other order), or none of those that repeat (keep = "none"). The row is chosen by
// row_number over the subset, ordered by the sort (reversed for "last"), equal to 1.
func (c *checker) frameUniqueBy(f frameCall) value {
	cols, named, ok := c.frameColumnsArg(f, "unique", "keep", "maintain_order")
	if !ok {
		return bad
	}
	keep := "any"
	if n, given := named["keep"]; given {
		l, isConst := c.constant(c.expr(n, f.row))
		if !isConst || l.Value.Type.Kind != types.String || (l.Value.S != "first" && l.Value.S != "last" && l.Value.S != "none" && l.Value.S != "any") {
			c.diags.Errorf(lang.EBadOption, n.Span(), "keep of unique is \"first\", \"last\" or \"none\"")
			return bad
		}
		keep = l.Value.S
	}
	var partition []Expr
	for _, col := range cols {
		v, ok := c.asExpr(c.expr(col, f.row), col)
		if !ok {
			return bad
		}
		partition = append(partition, v)
	}
	sp := f.x.Span()
	var win *Window
	switch keep {
	case "none":
		lenFn := c.lib.Lookup("len")
		win = &Window{Func: lenFn, Overload: lenFn.Overloads[0], Partition: partition, Frame: WindowFrame{Kind: WholePartition}, T: types.Int64T, Sp: sp}
	case "first", "last":
		keys := sortKeysOf(f.rel())
		if keys == nil {
			c.diags.Errorf(lang.ENeedsOrder, sp, "unique(keep = %q) needs the rows in an order: featc frames have none until sorted", keep).
				WithHint(`sort first: .sort(t).unique(subset = ["id"], keep = "last")`)
			return bad
		}
		if keep == "last" {
			rev := make([]SortKey, len(keys))
			for i, k := range keys {
				rev[i] = SortKey{Expr: k.Expr, Descending: !k.Descending, NullsLast: !k.NullsLast}
			}
			keys = rev
		}
		rn := c.lib.Lookup("row_number")
		win = &Window{Func: rn, Overload: rn.Overloads[0], Partition: partition, OrderBy: keys, Frame: WindowFrame{Kind: NoFrame}, T: types.Int64T, Sp: sp}
	default:
		c.diags.Errorf(lang.EBadOption, sp, "unique of some columns needs keep = \"first\", \"last\" or \"none\": which row of a repeated value stays is otherwise up to the engine").
			WithHint(`.sort(t).unique(subset = ["id"], keep = "last")`)
		return bad
	}
	pred, ok := c.applyAt("==", f.x, win, &Lit{Value: types.Int64Value(1), Sp: sp})
	if !ok {
		return bad
	}
	below, lifted, restore, err := liftWindows(f.rel(), []Expr{pred}, sp)
	if err != nil {
		return c.refused(sp, err)
	}
	filter, err := NewFilter(below, lifted[0], sp)
	if err != nil {
		return c.refused(sp, err)
	}
	return f.reordered(restore(filter))
}

// frameTail checks tail(n = 5): the last n rows of the frame's sort (a sort must come first).
// The rows are the first n of the exactly reversed order — each key flipped, then every column
// descending with nulls last, the reverse of the tie-break that orders rows equal in every key
// (all columns ascending, nulls first) — sorted back into the frame's order.
func (c *checker) frameTail(f frameCall) value {
	keys := sortKeysOf(f.rel())
	if keys == nil {
		c.diags.Errorf(lang.ENeedsOrder, f.x.Span(), "tail needs the rows in an order: featc frames have none until sorted").
			WithHint(".sort(key).tail(5)")
		return bad
	}
	g := f
	g.x = synthCall(f.x, "limit", nArgs(f.x)...)
	n, offset, ok := c.limitArgs(g)
	if !ok {
		return bad
	}
	if offset != 0 {
		c.diags.Errorf(lang.EUnknownArg, f.x.Span(), "tail takes no offset").WithHint(".sort(key).tail(5)")
		return bad
	}
	rev := make([]SortKey, 0, len(keys)+len(f.rel().Schema()))
	for _, k := range keys {
		rev = append(rev, SortKey{Expr: k.Expr, Descending: !k.Descending, NullsLast: !k.NullsLast})
	}
	for _, col := range passthrough(f.rel().Schema()) {
		rev = append(rev, SortKey{Expr: col.Expr, Descending: true, NullsLast: true})
	}
	sp := f.x.Span()
	last := &Limit{Input: &Sort{Input: f.rel(), Keys: rev, Sp: sp}, N: n, Sp: sp}
	return f.reordered(&Sort{Input: last, Keys: keys, Sp: sp})
}
