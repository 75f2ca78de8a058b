package ir

import (
	"github.com/featc/featc/lang"
	"github.com/featc/featc/stdlib"
)

// ColumnPosition is an argument of a frame or window method that names columns of the frame:
// Method, and the argument's name ("" for the positional arguments). A string there is a
// column's name, as Polars reads it (.over("rider_id") partitions by rider_id), never a
// constant: partitioning, grouping or sorting by a constant would silently be the whole frame.
type ColumnPosition struct {
	Method, Arg string
}

// columnPositions lists the arguments of the methods the checker handles itself that take
// columns. Functions of the standard library say it of their parameters (stdlib.Param.Columns,
// and order parameters). select, with_columns and group_by read their positional arguments as
// expressions, of which a string would be a constant column; name = "text" stays a constant.
var columnPositions = []ColumnPosition{
	{"over", ""}, {"over", "order_by"},
	{"sort", ""},
	{"group_by", ""},
	{"select", ""}, {"with_columns", ""},
	{"drop", ""},
	{"rename", "*"}, // every new_name = "old_name"
	{"join", "on"}, {"join", "left_on"}, {"join", "right_on"},
	{"join_asof", "on"}, {"join_asof", "left_on"}, {"join_asof", "right_on"},
	{"join_asof", "by"}, {"join_asof", "by_left"}, {"join_asof", "by_right"},
}

// ColumnPositions returns the arguments of the checker's own methods that take columns.
func ColumnPositions() []ColumnPosition { return append([]ColumnPosition(nil), columnPositions...) }

// TakesColumns reports whether a parameter of a standard library function names columns.
func TakesColumns(p stdlib.Param) bool { return p.Kind == stdlib.OrderParam || p.Columns }

// columnNode reads an argument in a column position: a string literal is the column of that
// name (col("name")); anything else is read as written.
func columnNode(n lang.Expr) lang.Expr {
	lit, ok := n.(*lang.BasicLit)
	if !ok || lit.Kind != lang.StringLit {
		return n
	}
	return &lang.CallExpr{Fun: &lang.Ident{Sp: lit.Sp, Name: "col"}, Args: []*lang.Arg{{Value: lit}},
		Lparen: lit.Sp.Start, Rparen: lit.Sp.End - 1}
}

// columnNodes applies columnNode to each node.
func columnNodes(ns []lang.Expr) []lang.Expr {
	out := make([]lang.Expr, len(ns))
	for i, n := range ns {
		out[i] = columnNode(n)
	}
	return out
}
