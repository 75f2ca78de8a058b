package ir

import (
	"github.com/featc/featc/lang"
	"github.com/featc/featc/stdlib"
	"github.com/featc/featc/types"
)

// Shape says whether an expression has one value per row (Column) or one value for the whole
// evaluation (Scalar: literals, params, lets, scalar subqueries, the entity and time of entity
// features).
type Shape uint8

// Shapes.
const (
	InvalidShape Shape = iota
	Scalar
	Column
)

func (s Shape) String() string {
	switch s {
	case Scalar:
		return "scalar"
	case Column:
		return "column"
	}
	return "invalid"
}

// Expr is a typed expression. There are few kinds: column and group-key references, literals,
// references to params, lets and entity-block values, calls (every operator is one), casts,
// aggregates, window functions and scalar subqueries.
type Expr interface {
	Type() types.Type
	Shape() Shape
	Span() lang.Span
	exprNode()
}

// Col is a column of the input relation, by name (names are unique within a schema).
type Col struct {
	Name string
	T    types.Type
	Sp   lang.Span
}

// GroupKey is the value of a group key (by position) inside an aggregation.
type GroupKey struct {
	Index int
	Name  string
	T     types.Type
	Sp    lang.Span
}

// Lit is a constant.
type Lit struct {
	Value types.Value
	Sp    lang.Span
}

// ParamRef is a run-time parameter.
type ParamRef struct {
	Name string
	T    types.Type
	Sp   lang.Span
}

// LetRef is a let definition (a named scalar).
type LetRef struct {
	Name string
	T    types.Type
	Sp   lang.Span
}

// Outer is a value of the current spine row inside entity features: an entity key column or
// the observation time.
type Outer struct {
	Name string
	T    types.Type
	Sp   lang.Span
}

// LocalRef is a scalar feature of the enclosing entity features block.
type LocalRef struct {
	Name string
	T    types.Type
	Sp   lang.Span
}

// Subquery is a relation of one row and one column used as a scalar (frame.col.mean()).
type Subquery struct {
	Rel Rel
	Sp  lang.Span
}

// Call is a scalar function or operator call with its resolved overload.
type Call struct {
	Func     *stdlib.Func
	Overload *stdlib.Overload
	Args     []Expr
	T        types.Type
	Sp       lang.Span
}

// Cast converts X to To (see stdlib.Casts for the rules).
type Cast struct {
	X  Expr
	To types.Type
	Sp lang.Span
}

// SortKey orders rows by Expr; NullsLast places nulls after all values (featc always states
// the null order explicitly, on every engine).
type SortKey struct {
	Expr       Expr
	Descending bool
	NullsLast  bool
}

// Agg is an aggregate call. It appears in Aggregate relations (per group), inside Subquery
// relations and as the function of a Window. OrderBy is set for first/last.
type Agg struct {
	Func     *stdlib.Func
	Overload *stdlib.Overload
	Args     []Expr
	OrderBy  []SortKey
	T        types.Type
	Sp       lang.Span
}

// FrameKind is the extent of a window.
type FrameKind uint8

// Window frames.
const (
	InvalidFrame FrameKind = iota
	// WholePartition: every row of the partition (aggregates over .over()).
	WholePartition
	// NoFrame: ranking and offset functions, which look at the partition's order only.
	NoFrame
	// Cumulative: rows from the partition's first up to the current one (cum_*).
	Cumulative
	// RowsFrame: Size rows: the current row, the Ahead rows after it and the rest before it.
	RowsFrame
	// RangeFrame: rows whose order key lies in (t − Period, t] for the current row's t.
	RangeFrame
)

func (k FrameKind) String() string {
	return [...]string{"invalid", "partition", "none", "cumulative", "rows", "range"}[k]
}

// WindowFrame describes the rows a window function sees.
type WindowFrame struct {
	Kind       FrameKind
	Size       int64 // RowsFrame
	Ahead      int64 // RowsFrame: rows after the current one among the Size (centered windows)
	Period     int64 // RangeFrame, microseconds
	MinPeriods int64 // rolling functions: non-null values needed for a result
	Offset     int64 // shift/lead: rows back (positive) or ahead (negative)
}

// Window is a window function or a windowed aggregate, computed per row over its partition.
// Args holds the value arguments only; constant parameters (window_size, period, n, …) are
// decoded into Frame, and rank's order into OrderBy.
type Window struct {
	Func      *stdlib.Func
	Overload  *stdlib.Overload
	Args      []Expr
	Partition []Expr
	OrderBy   []SortKey
	Frame     WindowFrame
	T         types.Type
	Sp        lang.Span
}

func (e *Col) Type() types.Type      { return e.T }
func (e *GroupKey) Type() types.Type { return e.T }
func (e *Lit) Type() types.Type      { return e.Value.Type }
func (e *ParamRef) Type() types.Type { return e.T }
func (e *LetRef) Type() types.Type   { return e.T }
func (e *Outer) Type() types.Type    { return e.T }
func (e *LocalRef) Type() types.Type { return e.T }
func (e *Subquery) Type() types.Type { return e.Rel.Schema()[0].Type }
func (e *Call) Type() types.Type     { return e.T }
func (e *Cast) Type() types.Type     { return e.To }
func (e *Agg) Type() types.Type      { return e.T }
func (e *Window) Type() types.Type   { return e.T }

func (e *Col) Shape() Shape      { return Column }
func (e *GroupKey) Shape() Shape { return Column }
func (e *Lit) Shape() Shape      { return Scalar }
func (e *ParamRef) Shape() Shape { return Scalar }
func (e *LetRef) Shape() Shape   { return Scalar }
func (e *Outer) Shape() Shape    { return Scalar }
func (e *LocalRef) Shape() Shape { return Scalar }
func (e *Subquery) Shape() Shape { return Scalar }
func (e *Call) Shape() Shape     { return shapeOf(e.Args) }
func (e *Cast) Shape() Shape     { return e.X.Shape() }
func (e *Agg) Shape() Shape      { return Column }
func (e *Window) Shape() Shape   { return Column }

func shapeOf(args []Expr) Shape {
	for _, a := range args {
		if a.Shape() == Column {
			return Column
		}
	}
	return Scalar
}

func (e *Col) Span() lang.Span      { return e.Sp }
func (e *GroupKey) Span() lang.Span { return e.Sp }
func (e *Lit) Span() lang.Span      { return e.Sp }
func (e *ParamRef) Span() lang.Span { return e.Sp }
func (e *LetRef) Span() lang.Span   { return e.Sp }
func (e *Outer) Span() lang.Span    { return e.Sp }
func (e *LocalRef) Span() lang.Span { return e.Sp }
func (e *Subquery) Span() lang.Span { return e.Sp }
func (e *Call) Span() lang.Span     { return e.Sp }
func (e *Cast) Span() lang.Span     { return e.Sp }
func (e *Agg) Span() lang.Span      { return e.Sp }
func (e *Window) Span() lang.Span   { return e.Sp }

func (*Col) exprNode()      {}
func (*GroupKey) exprNode() {}
func (*Lit) exprNode()      {}
func (*ParamRef) exprNode() {}
func (*LetRef) exprNode()   {}
func (*Outer) exprNode()    {}
func (*LocalRef) exprNode() {}
func (*Subquery) exprNode() {}
func (*Call) exprNode()     {}
func (*Cast) exprNode()     {}
func (*Agg) exprNode()      {}
func (*Window) exprNode()   {}

// NamedExpr is an output column: a name and the expression computing it.
type NamedExpr struct {
	Name string
	Expr Expr
}

// Children returns the direct sub-expressions of e (not those inside a Subquery's relation).
func Children(e Expr) []Expr {
	switch e := e.(type) {
	case *Call:
		return e.Args
	case *Cast:
		return []Expr{e.X}
	case *Agg:
		out := append([]Expr{}, e.Args...)
		for _, k := range e.OrderBy {
			out = append(out, k.Expr)
		}
		return out
	case *Window:
		out := append([]Expr{}, e.Args...)
		out = append(out, e.Partition...)
		for _, k := range e.OrderBy {
			out = append(out, k.Expr)
		}
		return out
	}
	return nil
}

// WalkExpr calls fn for e and every expression below it, depth first, parents before
// children. Returning false from fn skips e's children.
func WalkExpr(e Expr, fn func(Expr) bool) {
	if !fn(e) {
		return
	}
	for _, c := range Children(e) {
		WalkExpr(c, fn)
	}
}

// ContainsAgg reports whether e has an aggregate outside any window.
func ContainsAgg(e Expr) bool {
	found := false
	WalkExpr(e, func(x Expr) bool {
		switch x.(type) {
		case *Agg:
			found = true
			return false
		case *Window:
			return false
		}
		return !found
	})
	return found
}

// ContainsWindow reports whether e has a window function.
func ContainsWindow(e Expr) bool {
	found := false
	WalkExpr(e, func(x Expr) bool {
		if _, ok := x.(*Window); ok {
			found = true
		}
		return !found
	})
	return found
}

// ColumnsOf adds to set the names of the input columns e reads (not those read inside
// subqueries, which have their own inputs).
func ColumnsOf(e Expr, set map[string]bool) {
	WalkExpr(e, func(x Expr) bool {
		if c, ok := x.(*Col); ok {
			set[c.Name] = true
		}
		return true
	})
}

// KeyEquality recognizes col == outer key (either way round): the checker's restriction of a
// frame of entity features to the current entity. It returns the column and the outer value.
func KeyEquality(e Expr) (*Col, *Outer, bool) {
	call, ok := e.(*Call)
	if !ok || call.Func.Name != "eq" || len(call.Args) != 2 {
		return nil, nil, false
	}
	col, isCol := call.Args[0].(*Col)
	outer, isOuter := call.Args[1].(*Outer)
	if !isCol || !isOuter {
		col, isCol = call.Args[1].(*Col)
		outer, isOuter = call.Args[0].(*Outer)
	}
	if !isCol || !isOuter {
		return nil, nil, false
	}
	return col, outer, true
}

// Conjuncts splits a predicate on its and operators.
func Conjuncts(e Expr) []Expr {
	if call, ok := e.(*Call); ok && call.Func.Name == "and" && len(call.Args) == 2 {
		return append(Conjuncts(call.Args[0]), Conjuncts(call.Args[1])...)
	}
	return []Expr{e}
}

// SubstCols replaces the column references of e by the expressions of by (a projection's
// columns, to express what reads them over the projection's input), rebuilding only the nodes
// that change; memo keeps shared subexpressions shared. It descends through calls, casts and
// aggregates (arguments and order keys) and leaves windows and subqueries, whose columns
// belong to their own relations, as they are: callers substitute only where those are absent.
func SubstCols(e Expr, by map[string]Expr, memo map[Expr]Expr) Expr {
	if r, ok := memo[e]; ok {
		return r
	}
	out := e
	substAll := func(xs []Expr) []Expr {
		var ys []Expr
		for i, x := range xs {
			if nx := SubstCols(x, by, memo); nx != x {
				if ys == nil {
					ys = append([]Expr(nil), xs...)
				}
				ys[i] = nx
			}
		}
		return ys
	}
	switch x := e.(type) {
	case *Col:
		if r, ok := by[x.Name]; ok {
			out = r
		}
	case *Call:
		if args := substAll(x.Args); args != nil {
			c := *x
			c.Args = args
			out = &c
		}
	case *Cast:
		if nx := SubstCols(x.X, by, memo); nx != x.X {
			c := *x
			c.X = nx
			out = &c
		}
	case *Agg:
		args := substAll(x.Args)
		var order []SortKey
		for i, k := range x.OrderBy {
			if nk := SubstCols(k.Expr, by, memo); nk != k.Expr {
				if order == nil {
					order = append([]SortKey(nil), x.OrderBy...)
				}
				order[i].Expr = nk
			}
		}
		if args != nil || order != nil {
			c := *x
			if args != nil {
				c.Args = args
			}
			if order != nil {
				c.OrderBy = order
			}
			out = &c
		}
	}
	memo[e] = out
	return out
}
