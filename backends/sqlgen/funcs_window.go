package sqlgen

import (
	"fmt"
	"strings"

	"github.com/featc/featc/ir"
	"github.com/featc/featc/stdlib"
	"github.com/featc/featc/types"
)

// windowSQL writes the window functions (stdlib/window.go), each by its Window form. The
// OVER clause orders by the window's keys and then by every column of the relation (Ties), so
// that every engine numbers tied rows alike, and states every frame explicitly.
var windowSQL = Table{
	"shift":         {Window: offset},
	"lead":          {Window: offset},
	"row_number":    {Window: rowNumber},
	"rank":          {Window: rankBy},
	"dense_rank":    {Window: ranking("DENSE_RANK")},
	"forward_fill":  {Window: FillIgnoringNulls("LAST_VALUE(%s IGNORE NULLS)", true)},
	"pct_change":    {Window: pctChange},
	"backward_fill": {Window: FillIgnoringNulls("FIRST_VALUE(%s IGNORE NULLS)", false)},
	"is_unique":     {Window: counted("= 1")},
	"is_duplicated": {Window: counted("> 1")},
	// A null row's running sum, minimum or maximum is null, as in Polars; its running count is not.
	"cum_sum":   {Window: cumulative(runningSum, true)},
	"cum_count": {Window: cumulative(aggregate("count"), false)},
	"cum_min":   {Window: cumulative(aggregate("min"), true)},
	"cum_max":   {Window: cumulative(aggregate("max"), true)},
	// Moving aggregates are null until min_periods values are in the window.
	"rolling_sum":   {Window: moving(runningSum)},
	"rolling_count": {Window: moving(aggregate("count"))},
	"rolling_mean":  {Window: moving(aggregate("mean"))},
	"rolling_std":   {Window: moving(runningStd)},
	"rolling_var":   {Window: moving(runningVar)},
	"rolling_min":   {Window: moving(aggregate("min"))},
	"rolling_max":   {Window: moving(aggregate("max"))},
}

// WindowCall is a window function's call with its arguments written, and the parts of its
// OVER clause, from which its entry's Window form writes it.
type WindowCall struct {
	Call
	Frame ir.WindowFrame
	// Partition holds the PARTITION BY items, Order the ORDER BY items of the window's keys
	// and Ties the items that then order tied rows.
	Partition, Order, Ties []string
	// Reversed is Order with each key's direction flipped (its nulls kept where they were).
	Reversed []string
	// FrameSQL, when set, replaces the frame a window form writes (pct_change reads
	// forward_fill's value over a frame ending n rows away).
	FrameSQL string
	// Key is the first order key, written, and KeyType its type (time-range frames).
	Key     Expr
	KeyType types.Type
	// lookup finds the dialect's template of another function (Dialect.template).
	lookup func(name, id string) (Template, error)
}

// Over writes an OVER clause.
func (w *WindowCall) Over(partition, order []string, frame string) string {
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

// ordered is the ORDER BY list with its tie-break.
func (w *WindowCall) ordered() []string { return append(append([]string{}, w.Order...), w.Ties...) }

// Ordered is the ORDER BY list with its tie-break, for dialects' own window forms.
func (w *WindowCall) Ordered() []string { return w.ordered() }

// offset writes shift and lead, whose frame holds the offset (positive: rows before).
func offset(w *WindowCall) (Expr, error) {
	d, x, off := w.D, w.Args[0], w.Frame.Offset
	fill := ""
	if len(w.Args) > 1 {
		fill = ", " + w.Args[1].SQL // LAG and LEAD's default: where no row is off away
	}
	switch {
	case off > 0:
		return d.Expr("LAG(%s, %d%s)%s", x.SQL, off, fill, w.Over(w.Partition, w.ordered(), "")), nil
	case off < 0:
		return d.Expr("LEAD(%s, %d%s)%s", x.SQL, -off, fill, w.Over(w.Partition, w.ordered(), "")), nil
	}
	return x, nil
}

func rowNumber(w *WindowCall) (Expr, error) {
	return w.D.CastTo(w.D.Expr("ROW_NUMBER()%s", w.Over(w.Partition, w.ordered(), "")), w.Result), nil
}

// ranking writes rank and dense_rank: a null value has a null rank and does not count, so
// nulls get their own partition; tied values share a rank, so ties are not broken.
func ranking(fn string) func(w *WindowCall) (Expr, error) {
	return func(w *WindowCall) (Expr, error) {
		x := Paren(w.Args[0])
		return w.D.Expr("CASE WHEN %s IS NULL THEN NULL ELSE CAST(%s()%s AS %s) END", x, fn,
			w.Over(append(w.Partition, x+" IS NULL"), w.Order, ""), w.D.TypeName(w.Result)), nil
	}
}

// rankBy writes rank(method): min is RANK, dense DENSE_RANK, ordinal ROW_NUMBER over the
// value and then the tie-break columns; max is the count of values less the RANK in the
// reversed order, plus one (the last position of the row's ties), and average is the mean of
// min and max. (A RANGE frame would count the ties directly, but Snowflake's grammar checker
// lacks RANGE BETWEEN UNBOUNDED PRECEDING.)
func rankBy(w *WindowCall) (Expr, error) {
	method := "average"
	if v, err := w.Const(1); err == nil && !v.Null {
		method = v.S
	}
	x := Paren(w.Args[0])
	part := append(w.Partition[:len(w.Partition):len(w.Partition)], x+" IS NULL")
	upTo := "(COUNT(*)" + w.Over(part, nil, "") + " - RANK()" + w.Over(part, w.Reversed, "") + " + 1)"
	var r string
	switch method {
	case "min":
		r = "RANK()" + w.Over(part, w.Order, "")
	case "dense":
		r = "DENSE_RANK()" + w.Over(part, w.Order, "")
	case "ordinal":
		r = "ROW_NUMBER()" + w.Over(part, w.ordered(), "")
	case "max":
		r = upTo
	case "average":
		f := w.D.TypeName(types.Float64T)
		return w.D.Expr("CASE WHEN %s IS NULL THEN NULL ELSE CAST(RANK()%s + %s AS %s) / 2 END", x, w.Over(part, w.Order, ""), upTo, f), nil
	default:
		return Expr{}, fmt.Errorf("rank method %q", method)
	}
	return w.D.Expr("CASE WHEN %s IS NULL THEN NULL ELSE CAST(%s AS %s) END", x, r, w.D.TypeName(w.Result)), nil
}

// counted writes is_unique and is_duplicated: how many rows of the partition hold the value.
func counted(cmp string) func(w *WindowCall) (Expr, error) {
	return func(w *WindowCall) (Expr, error) {
		return w.D.Expr("COUNT(*)%s %s", w.Over(append(w.Partition, w.Args[0].SQL), nil, ""), cmp).withPrec(PrecCmp), nil
	}
}

// A running aggregate writes an aggregate of the window's first argument over a frame.
type running func(w *WindowCall, over string) (Expr, error)

// cumulative writes cum_*: the aggregate from the partition's first row to the current one.
func cumulative(agg running, nullRows bool) func(w *WindowCall) (Expr, error) {
	return func(w *WindowCall) (Expr, error) {
		e, err := agg(w, w.Over(w.Partition, w.ordered(), "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW"))
		if err != nil || !nullRows {
			return e, err
		}
		return w.D.Expr("CASE WHEN %s IS NULL THEN NULL ELSE %s END", Paren(w.Args[0]), e.SQL), nil
	}
}

// moving writes rolling_*: over the last Size rows, or the rows whose key lies in
// (t − period, t] (microseconds are whole, so the open bound is period − 1 back).
func moving(agg running) func(w *WindowCall) (Expr, error) {
	return func(w *WindowCall) (Expr, error) {
		d, x := w.D, w.Args[0]
		if w.Frame.Kind == ir.RowsFrame {
			end := "CURRENT ROW"
			if w.Frame.Ahead > 0 {
				end = fmt.Sprintf("%d FOLLOWING", w.Frame.Ahead)
			}
			o := w.Over(w.Partition, w.ordered(), fmt.Sprintf("ROWS BETWEEN %d PRECEDING AND %s", w.Frame.Size-1-w.Frame.Ahead, end))
			val, err := agg(w, o)
			if err != nil {
				return Expr{}, err
			}
			return d.Expr("CASE WHEN COUNT(%s)%s < %d THEN NULL ELSE %s END", x.SQL, o, w.Frame.MinPeriods, val.SQL), nil
		}
		us := w.Key
		if w.KeyType.Kind == types.Date {
			us = d.CastTo(w.Key, types.TimestampT)
		}
		o := w.Over(w.Partition, []string{d.use(d.Helpers.EpochUS(), us).SQL}, fmt.Sprintf("RANGE BETWEEN %d PRECEDING AND CURRENT ROW", w.Frame.Period-1))
		val, err := agg(w, o)
		if err != nil {
			return Expr{}, err
		}
		return d.Expr("CASE WHEN %s IS NULL OR COUNT(%s)%s < %d THEN NULL ELSE %s END", Paren(w.Key), x.SQL, o, w.Frame.MinPeriods, val.SQL), nil
	}
}

// runningSum is SUM over a frame: unlike a group's sum, null where the frame holds no value.
func runningSum(w *WindowCall, over string) (Expr, error) {
	x := w.Args[0]
	if w.Types[0].Kind == types.Float64 {
		return w.D.Expr("SUM(%s)%s", x.SQL, over), nil
	}
	return w.D.Expr("CAST(SUM(%s)%s AS %s)", x.SQL, over, w.D.TypeName(w.Result)), nil
}

// runningStd is the sample standard deviation over a frame.
func runningStd(w *WindowCall, over string) (Expr, error) {
	return w.D.deviation("STDDEV_SAMP", w.Args[0].SQL, over), nil
}

// runningVar is the sample variance over a frame.
func runningVar(w *WindowCall, over string) (Expr, error) {
	return w.D.deviation("VAR_SAMP", w.Args[0].SQL, over), nil
}

// aggregate computes a running aggregate by the dialect's entry of the aggregate itself,
// resolved for the argument's type, which writes its window form where {over} stands.
func aggregate(name string) running {
	f := stdlib.Standard().Lookup(name)
	return func(w *WindowCall, over string) (Expr, error) {
		res, ok := f.Resolve(w.Types[:1])
		if !ok {
			return Expr{}, fmt.Errorf("%s has no overload for %s", name, w.Types[0])
		}
		t, err := w.lookup(name, res.Overload.ID)
		if err != nil {
			return Expr{}, err
		}
		if !t.Windowed {
			return Expr{}, fmt.Errorf("%s has no form over a window frame on %s", name, w.D.Name)
		}
		c := w.Call
		c.Name, c.ID, c.Args, c.Types, c.Consts, c.Over = name, res.Overload.ID, w.Args[:1], w.Types[:1], w.Consts[:1], over
		c.Result = res.Result
		return t.apply(&c)
	}
}

// FillFrame is the frame forward_fill (forward) or backward_fill reads: the rows up to the
// current one, or from it on.
func FillFrame(forward bool) string {
	if forward {
		return "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW"
	}
	return "ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING"
}

// FillFrameOf is the frame a fill reads: FillFrame's, or FrameSQL where set.
func (w *WindowCall) FillFrameOf(forward bool) string {
	if w.FrameSQL != "" {
		return w.FrameSQL
	}
	if len(w.Consts) > 1 && w.Consts[1] != nil && !w.Consts[1].Null {
		// limit: the frame reaches that many rows away only.
		if forward {
			return fmt.Sprintf("ROWS BETWEEN %d PRECEDING AND CURRENT ROW", w.Consts[1].I)
		}
		return fmt.Sprintf("ROWS BETWEEN CURRENT ROW AND %d FOLLOWING", w.Consts[1].I)
	}
	return FillFrame(forward)
}

// FillIgnoringNulls writes forward_fill and backward_fill as the last (first) non-null value
// of the frame up to (from) the row: call is the function applied to x, with IGNORE NULLS
// where the engine writes it.
func FillIgnoringNulls(call string, forward bool) func(w *WindowCall) (Expr, error) {
	return func(w *WindowCall) (Expr, error) {
		return w.D.Expr(call+"%s", w.Args[0].SQL, w.Over(w.Partition, w.ordered(), w.FillFrameOf(forward))), nil
	}
}

// LastBefore is the frame of the rows from the first to the one off rows before the current one
// (after it, for a negative off): where x filled forward is read n rows away.
func LastBefore(off int64) string {
	if off >= 0 {
		return fmt.Sprintf("ROWS BETWEEN UNBOUNDED PRECEDING AND %d PRECEDING", off)
	}
	return fmt.Sprintf("ROWS BETWEEN UNBOUNDED PRECEDING AND %d FOLLOWING", -off)
}

// pctChange writes pct_change(n): x filled forward at the row over x filled forward n rows away,
// less one, each the last non-null value of a frame from the partition's first row (the dialect's
// forward_fill form over that frame), divided as float64 division is. Where the row n away does
// not exist, the result is null.
func pctChange(w *WindowCall) (Expr, error) {
	ff, err := w.lookup("forward_fill", "forward_fill_float64")
	if err != nil {
		return Expr{}, err
	}
	cur, err := ff.Window(w)
	if err != nil {
		return Expr{}, err
	}
	off := w.Frame.Offset
	shifted := *w
	shifted.FrameSQL = LastBefore(off)
	base, err := ff.Window(&shifted)
	if err != nil {
		return Expr{}, err
	}
	div, err := w.lookup("div", "div_float64")
	if err != nil {
		return Expr{}, err
	}
	c := w.Call
	c.Name, c.ID, c.Args, c.Types, c.Consts = "div", "div_float64", []Expr{cur, base}, []types.Type{types.Float64T, types.Float64T}, nil
	q, err := div.apply(&c)
	if err != nil {
		return Expr{}, err
	}
	// The row n away exists where the partition has that many rows before (after) this one.
	pos := "ROW_NUMBER()" + w.Over(w.Partition, w.ordered(), "")
	exists := fmt.Sprintf("%s > %d", pos, off)
	if off < 0 {
		exists = fmt.Sprintf("%s + %d <= COUNT(*)%s", pos, -off, w.Over(w.Partition, nil, ""))
	}
	return w.D.Expr("CASE WHEN %s THEN %s - 1 END", exists, Paren(q)), nil
}
