package sqlgen

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/featc/featc/ir"
	"github.com/featc/featc/types"
)

// window writes a window function over the scope's relation (docs/semantics.md, Windows):
// partitions by the partition expressions (nulls form one partition, as in SQL), orders by the
// order keys and then by every column of the relation, so that every engine numbers tied rows
// alike, and states every frame explicitly.
func (s *scope) window(w *ir.Window) (Expr, error) {
	g := s.g
	var part []string
	for _, p := range w.Partition {
		e, err := s.expr(p)
		if err != nil {
			return Expr{}, err
		}
		part = append(part, g.sortKey(e, p.Type()).SQL)
	}
	var order []string
	for _, k := range w.OrderBy {
		e, err := s.expr(k.Expr)
		if err != nil {
			return Expr{}, err
		}
		if e.Const && w.Frame.Kind != ir.RangeFrame {
			continue // a constant orders nothing
		}
		order = append(order, g.orderItem(e, k.Expr.Type(), k.Descending, k.NullsLast))
	}
	var args []Expr
	for _, a := range w.Args {
		e, err := s.expr(a)
		if err != nil {
			return Expr{}, err
		}
		args = append(args, e)
	}
	over := func(partition []string, order []string, frame string) string {
		var parts []string
		if len(partition) > 0 {
			parts = append(parts, "PARTITION BY "+strings.Join(partition, ", "))
		}
		if len(order) > 0 {
			parts = append(parts, "ORDER BY "+strings.Join(order, ", "))
		}
		if frame != "" {
			parts = append(parts, frame)
		}
		return " OVER (" + strings.Join(parts, " ") + ")"
	}
	ordered := func() []string { return append(append([]string{}, order...), g.tieBreak(s, order)...) }
	name := w.Func.Name
	typ := w.T
	unsupported := func(why string) (Expr, error) {
		return Expr{}, &Error{Dialect: g.d.Name, Construct: name + "().over()", Reason: why, Span: w.Sp}
	}
	switch {
	case w.Func.Kind == 0:
		return unsupported("unknown function")
	case w.Frame.Kind == ir.WholePartition && (name == "is_unique" || name == "is_duplicated"):
		op := "= 1"
		if name == "is_duplicated" {
			op = "> 1"
		}
		return g.d.expr("COUNT(*)%s %s", over(append(part, args[0].SQL), nil, ""), op).withPrec(precCmp), nil
	case w.Frame.Kind == ir.WholePartition:
		// An aggregate over the whole partition.
		return s.windowAgg(w, args, over(part, nil, ""))
	case name == "shift" || name == "lead":
		off := w.Frame.Offset
		switch {
		case off > 0:
			return g.d.expr("LAG(%s, %d)%s", args[0].SQL, off, over(part, ordered(), "")), nil
		case off < 0:
			return g.d.expr("LEAD(%s, %d)%s", args[0].SQL, -off, over(part, ordered(), "")), nil
		}
		return args[0], nil
	case name == "row_number":
		return g.d.castTo(g.d.expr("ROW_NUMBER()%s", over(part, ordered(), "")), typ), nil
	case name == "rank" || name == "dense_rank":
		// A null value has a null rank and does not count: nulls get their own partition.
		fn := strings.ToUpper(name)
		x := paren(args[0])
		return g.d.expr("CASE WHEN %s IS NULL THEN NULL ELSE CAST(%s()%s AS %s) END", x, fn,
			over(append(part, x+" IS NULL"), order, ""), g.d.TypeName(typ)), nil
	case strings.HasPrefix(name, "cum_"):
		frame := "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW"
		e, err := s.windowFn(strings.TrimPrefix(name, "cum_"), args[0], w.Args[0].Type(), typ, over(part, ordered(), frame))
		if err != nil || name == "cum_count" {
			return e, err
		}
		// A null row's running sum, minimum or maximum is null, as in Polars.
		return g.d.expr("CASE WHEN %s IS NULL THEN NULL ELSE %s END", paren(args[0]), e.SQL), nil
	case strings.HasPrefix(name, "rolling_"):
		fn := strings.TrimPrefix(name, "rolling_")
		var o string
		if w.Frame.Kind == ir.RowsFrame {
			o = over(part, ordered(), fmt.Sprintf("ROWS BETWEEN %d PRECEDING AND CURRENT ROW", w.Frame.Size-1))
		} else {
			// (t − period, t]: microseconds are whole, so the open bound is period − 1 back.
			key, err := s.expr(w.OrderBy[0].Expr)
			if err != nil {
				return Expr{}, err
			}
			us := key
			if w.OrderBy[0].Expr.Type().Kind == types.Date {
				us = g.d.castTo(key, types.TimestampT)
			}
			o = over(part, []string{g.d.use(g.d.Helpers.EpochUS(), us).SQL}, fmt.Sprintf("RANGE BETWEEN %d PRECEDING AND CURRENT ROW", w.Frame.Period-1))
			val, err := s.windowFn(fn, args[0], w.Args[0].Type(), typ, o)
			if err != nil {
				return Expr{}, err
			}
			return g.d.expr("CASE WHEN %s IS NULL OR COUNT(%s)%s < %d THEN NULL ELSE %s END", paren(key), args[0].SQL, o, w.Frame.MinPeriods, val.SQL), nil
		}
		val, err := s.windowFn(fn, args[0], w.Args[0].Type(), typ, o)
		if err != nil {
			return Expr{}, err
		}
		return g.d.expr("CASE WHEN COUNT(%s)%s < %d THEN NULL ELSE %s END", args[0].SQL, o, w.Frame.MinPeriods, val.SQL), nil
	}
	return unsupported("featc has no SQL for it yet")
}

// windowFn writes a running or moving aggregate with its OVER clause.
func (s *scope) windowFn(fn string, x Expr, xt, result types.Type, over string) (Expr, error) {
	d := s.g.d
	switch fn {
	case "sum":
		if xt.Kind == types.Float64 {
			return d.expr("SUM(%s)%s", x.SQL, over), nil
		}
		return d.expr("CAST(SUM(%s)%s AS %s)", x.SQL, over, d.TypeName(result)), nil
	case "count":
		return d.castTo(d.expr("COUNT(%s)%s", x.SQL, over), types.Int64T), nil
	case "mean":
		return d.expr("AVG(%s)%s", x.SQL, over), nil
	case "std":
		return d.deviation("STDDEV_SAMP", x.SQL, over), nil
	case "min", "max":
		arg := x.SQL
		if xt.Kind == types.String {
			arg = d.collate(x)
		}
		agg := strings.ToUpper(fn)
		if xt.Kind == types.Bool {
			if t, ok := d.Funcs[fn+"_bool"]; ok && t.SQL != "" {
				agg = strings.TrimSuffix(t.SQL, "({0})")
			}
		}
		return d.expr("%s(%s)%s", agg, arg, over), nil
	}
	return Expr{}, &Error{Dialect: d.Name, Construct: fn, Reason: "featc has no SQL for it over a window yet"}
}

// windowAggs lists the aggregates that an engine computes over a window with the same
// semantics as in a group: the rest (median, quantile, n_unique, first, last) take an ordered
// or distinct form that SQL windows do not have.
var windowAggs = map[string]bool{"count": true, "len": true, "sum": true, "mean": true, "min": true, "max": true,
	"std": true, "var": true, "any": true, "all": true}

// windowAgg writes an aggregate over a whole partition.
func (s *scope) windowAgg(w *ir.Window, args []Expr, over string) (Expr, error) {
	d := s.g.d
	name := w.Func.Name
	if !windowAggs[name] {
		if d.Caps.PartitionAggs[name] {
			// The aggregate's own window form (Caps.PartitionAggs).
			inner := *s
			inner.over = over
			return inner.call(name, w.Overload.ID, w.Args, w.OrderBy, w.T, w.Sp)
		}
		return s.partitionAgg(w)
	}
	var xt types.Type
	if len(w.Args) > 0 {
		xt = w.Args[0].Type()
	}
	switch name {
	case "len":
		return d.castTo(d.expr("COUNT(*)%s", over), types.Int64T), nil
	case "count":
		return d.castTo(d.expr("COUNT(%s)%s", args[0].SQL, over), types.Int64T), nil
	case "sum":
		// The sum of no values is 0, as in Polars.
		e, err := s.windowFn(name, args[0], xt, w.T, over)
		if err != nil {
			return e, err
		}
		return d.expr("COALESCE(%s, CAST(0 AS %s))", e.SQL, d.TypeName(w.T)), nil
	case "mean", "min", "max":
		return s.windowFn(name, args[0], xt, w.T, over)
	case "any":
		return d.expr("COALESCE(%s%s, FALSE)", strings.ReplaceAll(d.aggFor("any", "BOOL_OR"), "{0}", args[0].SQL), over), nil
	case "all":
		return d.expr("COALESCE(%s%s, TRUE)", strings.ReplaceAll(d.aggFor("all", "BOOL_AND"), "{0}", args[0].SQL), over), nil
	case "std", "var":
		ddof := int64(1)
		if len(w.Args) > 1 {
			if v, ok := constValue(w.Args[1]); ok {
				ddof = v.I
			}
		}
		base := map[string]string{"std": "STDDEV", "var": "VAR"}[name]
		x := args[0].SQL
		switch ddof {
		case 1:
			return d.deviation(base+"_SAMP", x, over), nil
		case 0:
			return d.deviation(base+"_POP", x, over), nil
		}
		v := fmt.Sprintf("CASE WHEN COUNT(%[1]s)%[3]s <= %[2]d THEN NULL ELSE VAR_POP(%[1]s)%[3]s * COUNT(%[1]s)%[3]s / (COUNT(%[1]s)%[3]s - %[2]d) END", x, ddof, over)
		if name == "std" {
			return d.expr("SQRT(%s)", v), nil
		}
		return d.expr("%s", v), nil
	}
	return Expr{}, &Error{Dialect: d.Name, Construct: name + "().over()", Reason: "featc has no SQL for it yet", Span: w.Sp}
}

// aggFor returns the aggregate call the dialect writes for any or all ("BOOL_OR({0})").
func (d *Dialect) aggFor(name, def string) string {
	if t, ok := d.Funcs[name]; ok && strings.HasPrefix(t.SQL, "COALESCE(") {
		inner := strings.TrimPrefix(t.SQL, "COALESCE(")
		if i := strings.Index(inner, "({0})"); i >= 0 {
			return inner[:i] + "({0})"
		}
	}
	return def + "({0})"
}

var _ = strconv.Itoa

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
		conds = append(conds, paren(mine)+" IS NOT DISTINCT FROM "+paren(theirs))
	}
	agg := &ir.Agg{Func: w.Func, Overload: w.Overload, Args: w.Args, OrderBy: w.OrderBy, T: w.T, Sp: w.Sp}
	e, err := inner.expr(agg)
	if err != nil {
		return Expr{}, err
	}
	sub := &query{from: in.from, where: conds, cols: []qcol{{name: w.Func.Name, typ: w.T, expr: e}}, limit: -1}
	return Expr{SQL: "(" + strings.ReplaceAll(sub.sql(d, ""), "\n", "\n    ") + ")", Size: 1}, nil
}
