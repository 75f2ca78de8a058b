package sqlgen

import (
	"strings"

	"github.com/featc/featc/ir"
	"github.com/featc/featc/stdlib"
)

// window writes a window function over the scope's relation (docs/semantics.md, Windows):
// an aggregate over a whole partition by its entry's window form (Template.Windowed) or a
// correlated subquery, a window function by its entry's Window form (funcs_window.go), given
// the partition expressions (nulls form one partition, as in SQL) and the order keys, which
// every column of the relation then breaks ties in.
func (s *scope) window(w *ir.Window) (Expr, error) {
	g := s.g
	name := w.Func.Name
	if w.Func.Kind == 0 {
		return Expr{}, &Error{Dialect: g.d.Name, Construct: name + "().over()", Reason: "unknown function", Span: w.Sp}
	}
	wc := &WindowCall{Call: Call{D: g.d, Name: name, ID: w.Overload.ID, Result: w.T}, Frame: w.Frame, lookup: g.d.template}
	for _, p := range w.Partition {
		e, err := s.expr(p)
		if err != nil {
			return Expr{}, err
		}
		wc.Partition = append(wc.Partition, g.sortKey(e, p.Type()).SQL)
	}
	for i, k := range w.OrderBy {
		e, err := s.expr(k.Expr)
		if err != nil {
			return Expr{}, err
		}
		if i == 0 {
			wc.Key, wc.KeyType = e, k.Expr.Type()
		}
		if e.Const && w.Frame.Kind != ir.RangeFrame {
			continue // a constant orders nothing
		}
		wc.Order = append(wc.Order, g.orderItem(e, k.Expr.Type(), k.Descending, k.NullsLast))
		wc.Reversed = append(wc.Reversed, g.orderItem(e, k.Expr.Type(), !k.Descending, k.NullsLast))
	}
	if w.Func.Kind == stdlib.Aggregate && w.Frame.Kind == ir.WholePartition {
		return s.windowAgg(w, wc.Over(wc.Partition, nil, ""))
	}
	t, err := g.template(name, w.Overload.ID, w.Sp)
	if err != nil {
		return Expr{}, err
	}
	if t.Window == nil {
		return Expr{}, &Error{Dialect: g.d.Name, Construct: name + "().over()", Reason: "featc has no SQL for it yet", Span: w.Sp}
	}
	if err := s.writeArgs(&wc.Call, w.Args); err != nil {
		return Expr{}, err
	}
	wc.Ties = g.tieBreak(s, wc.Order)
	out, err := t.Window(wc)
	if err != nil {
		return Expr{}, &Error{Dialect: g.d.Name, Construct: name + "().over()", Reason: err.Error(), Span: w.Sp}
	}
	return out, nil
}

// windowAgg writes an aggregate over a whole partition: by the aggregate's own template with
// the window clause where it is Windowed on the dialect, else by a correlated subquery.
func (s *scope) windowAgg(w *ir.Window, over string) (Expr, error) {
	t, err := s.g.template(w.Func.Name, w.Overload.ID, w.Sp)
	if err != nil {
		return Expr{}, err
	}
	if !t.Windowed {
		return s.partitionAgg(w)
	}
	inner := *s
	inner.over = over
	return inner.call(w.Func.Name, w.Overload.ID, w.Args, w.OrderBy, w.T, w.Sp)
}

// partitionAgg writes an aggregate that SQL has no window form of (first, last, median,
// quantile, n_unique) over a whole partition: a subquery aggregating the rows of the same
// relation whose partition values are those of the current row (nulls equal to nulls, as
// partitions group them).
func (s *scope) partitionAgg(w *ir.Window) (Expr, error) {
	d := s.g.d
	if s.input == nil || !d.Caps.Lateral {
		return Expr{}, &Error{Dialect: d.Name, Construct: w.Func.Name + "().over()", Span: w.Sp,
			Reason: "SQL computes it in groups but not over a window, and the engine's correlated subqueries cannot compute it either; compute it in a group_by and join it back"}
	}
	// The inner copy's columns are renamed, so that the current row's columns, written
	// unqualified, cannot be taken for the copy's.
	snap := s.input()
	renamed := *snap
	renamed.cols = nil
	inner := &scope{g: s.g, cols: map[string]qcol{}, ent: s.ent, inAgg: true}
	alias := d.Ident("partition")
	for _, c := range snap.cols {
		hidden := "featc_partition_" + c.name
		renamed.cols = append(renamed.cols, qcol{name: hidden, typ: c.typ, expr: c.expr, window: c.window, agg: c.agg})
		inner.cols[c.name] = qcol{name: c.name, typ: c.typ, expr: atom(alias + "." + d.Ident(hidden))}
		inner.order = append(inner.order, c.name)
	}
	in := &query{from: from{subq(&renamed), txt(" AS " + alias)}, limit: -1}
	var conds []string
	for _, p := range w.Partition {
		mine, err := inner.expr(p)
		if err != nil {
			return Expr{}, err
		}
		theirs, err := s.expr(p)
		if err != nil {
			return Expr{}, err
		}
		conds = append(conds, Paren(mine)+" IS NOT DISTINCT FROM "+Paren(theirs))
	}
	agg := &ir.Agg{Func: w.Func, Overload: w.Overload, Args: w.Args, OrderBy: w.OrderBy, T: w.T, Sp: w.Sp}
	e, err := inner.expr(agg)
	if err != nil {
		return Expr{}, err
	}
	sub := &query{from: in.from, where: conds, cols: []qcol{{name: w.Func.Name, typ: w.T, expr: e}}, limit: -1}
	return Expr{SQL: "(" + strings.ReplaceAll(sub.sql(d, ""), "\n", "\n    ") + ")", Size: 1}, nil
}
