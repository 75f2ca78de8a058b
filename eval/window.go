package eval

import (
	"fmt"
	"strings"

	"github.com/featc/featc/ir"
	"github.com/featc/featc/types"
)

// windowOp computes one window node over all rows of its input table: partitions by hashing the
// partition keys, orders each partition by the order keys and then by the table's columns (the
// deterministic tie-break of docs/semantics.md), and writes each row's value at its position.
type windowOp struct {
	id        opID
	w         *ir.Window
	part      []*colEval
	order     []*colEval
	desc      []bool
	nullsLast []bool
	args      []*colEval
	agg       *compiledAgg // windowed aggregates (whole partition)
	slots     []int
}

type windowScratch struct {
	partEval  []colScratch
	partVecs  []Vec
	partPtrs  []*Vec
	orderEval []colScratch
	orderVecs []Vec
	orderPtrs []*Vec
	argEval   []colScratch
	argVecs   []Vec
	argPtrs   []*Vec
	gid       []int32
	rows      [][]int32
	agg       aggScratch
	aggOut    Vec
	one       Vec
}

func (ev *Evaluator) compileWindow(w *ir.Window, schema ir.Schema, ent *entityCtx) (*windowOp, error) {
	res := &relResolver{ev: ev, ent: ent, schema: schema}
	o := &windowOp{id: ev.newID(), w: w}
	for _, p := range w.Partition {
		prog, err := ev.comp.compile(p, res)
		if err != nil {
			return nil, err
		}
		o.part = append(o.part, &colEval{prog})
	}
	if w.Func.Kind.String() == "aggregate" && w.Frame.Kind == ir.WholePartition {
		ca, err := ev.compileAgg(w.Func.Name, w.Overload.ID, w.T, w.Args, w.OrderBy, res)
		if err != nil {
			return nil, err
		}
		o.agg = ca
	} else {
		for _, k := range w.OrderBy {
			prog, err := ev.comp.compile(k.Expr, res)
			if err != nil {
				return nil, err
			}
			o.order = append(o.order, &colEval{prog})
			o.desc = append(o.desc, k.Descending)
			o.nullsLast = append(o.nullsLast, k.NullsLast)
		}
		for _, a := range w.Args {
			prog, err := ev.comp.compile(a, res)
			if err != nil {
				return nil, err
			}
			o.args = append(o.args, &colEval{prog})
		}
	}
	o.slots = res.used
	return o, nil
}

func evalAll(rs *runState, evals []*colEval, scs []colScratch, vecs []Vec, ptrs []*Vec, t *Table) error {
	for i, e := range evals {
		if err := e.eval(rs, &scs[i], t.Cols, t.N, &vecs[i]); err != nil {
			return err
		}
		ptrs[i] = &vecs[i]
	}
	return nil
}

// run computes the window's value for every row of t into out.
func (o *windowOp) run(rs *runState, t *Table, out *Vec) error {
	sc := scratchOf[windowScratch](rs, o.id)
	if sc.partEval == nil {
		sc.partEval, sc.partVecs, sc.partPtrs = make([]colScratch, len(o.part)), make([]Vec, len(o.part)), make([]*Vec, len(o.part))
		sc.orderEval, sc.orderVecs, sc.orderPtrs = make([]colScratch, len(o.order)), make([]Vec, len(o.order)), make([]*Vec, len(o.order))
		sc.argEval, sc.argVecs, sc.argPtrs = make([]colScratch, len(o.args)), make([]Vec, len(o.args)), make([]*Vec, len(o.args))
	}
	n := t.N
	if err := evalAll(rs, o.part, sc.partEval, sc.partVecs, sc.partPtrs, t); err != nil {
		return err
	}
	// Partition: group numbers by the partition keys (nulls form one partition).
	sc.gid = grow(sc.gid, n)
	groups := 1
	if len(o.part) > 0 {
		gt := newGroupTable(sc.partPtrs, n)
		for i := 0; i < n; i++ {
			sc.gid[i] = gt.group(i)
		}
		groups = gt.len()
	} else {
		clear(sc.gid)
	}
	out.T = o.w.T
	if o.agg != nil {
		// A windowed aggregate: one value per partition, on every row of it.
		sc.aggOut.T = o.agg.typ
		if err := o.agg.run(rs, &sc.agg, t, sc.gid, groups, &sc.aggOut); err != nil {
			return err
		}
		gather(out, &sc.aggOut, sc.gid[:n])
		return nil
	}
	if err := evalAll(rs, o.order, sc.orderEval, sc.orderVecs, sc.orderPtrs, t); err != nil {
		return err
	}
	if err := evalAll(rs, o.args, sc.argEval, sc.argVecs, sc.argPtrs, t); err != nil {
		return err
	}
	// Rows of each partition, in order.
	sc.rows = grow(sc.rows, groups)
	for g := range sc.rows {
		sc.rows[g] = sc.rows[g][:0]
	}
	for i := 0; i < n; i++ {
		sc.rows[sc.gid[i]] = append(sc.rows[sc.gid[i]], int32(i))
	}
	if len(o.order) > 0 {
		for _, rows := range sc.rows {
			sortRows(rows, sc.orderPtrs, o.desc, o.nullsLast, t.Cols)
		}
	}
	out.resize(o.w.T, n)
	name := o.w.Func.Name
	for _, rows := range sc.rows {
		if err := rs.ctx.Err(); err != nil {
			return err
		}
		var err error
		switch {
		case name == "shift" || name == "lead":
			var fill *Vec
			if len(sc.argPtrs) > 1 {
				fill = sc.argPtrs[1]
			}
			o.shift(out, rows, sc.argPtrs[0], fill)
		case name == "row_number":
			for p, r := range rows {
				out.I[r] = int64(p + 1)
			}
		case name == "pct_change":
			o.pctChange(out, rows, sc.argPtrs[0])
		case name == "forward_fill" || name == "backward_fill":
			limit := -1 // an omitted limit (a null default) is not passed
			if l := sc.argPtrs[1:]; len(l) > 0 && !l[0].IsNull(0) {
				limit = int(min(l[0].I[0], int64(len(rows))))
			}
			o.fill(out, rows, sc.argPtrs[0], name == "forward_fill", limit)
		case name == "dense_rank":
			o.rank(out, rows, sc.argPtrs[0], "dense")
		case name == "rank":
			o.rank(out, rows, sc.argPtrs[0], sc.argPtrs[1].S[0])
		case name == "is_unique" || name == "is_duplicated":
			o.unique(out, rows, sc.argPtrs[0], name == "is_unique")
		case strings.HasPrefix(name, "cum_"):
			err = o.cumulative(out, rows, sc.argPtrs[0], name)
		case strings.HasPrefix(name, "rolling_"):
			err = o.rolling(rs, sc, out, rows, name)
		default:
			err = fmt.Errorf("window function %s is not implemented", name)
		}
		if err != nil {
			return err
		}
	}
	if name != "shift" && name != "lead" {
		positiveZeros(out) // as an aggregate's (finishPositive)
	}
	return nil
}

// shift takes the value off rows before (after, for a negative off); where there is no such
// row, fill's value on the row (when given) or null.
func (o *windowOp) shift(out *Vec, rows []int32, x, fill *Vec) {
	off := int(o.w.Frame.Offset)
	for p, r := range rows {
		q := p - off
		src, j := x, 0
		if q < 0 || q >= len(rows) {
			if fill == nil || fill.IsNull(int(r)) {
				markNull(out, int(r))
				continue
			}
			src, j = fill, fill.idx(int(r))
		} else if x.IsNull(int(rows[q])) {
			markNull(out, int(r))
			continue
		} else {
			j = x.idx(int(rows[q]))
		}
		setRow(out, int(r), src, j)
	}
}

// pctChange is x / x.shift(n) − 1 over x filled forward: the last non-null value at or
// before the row against the last at or before the row n away.
func (o *windowOp) pctChange(out *Vec, rows []int32, x *Vec) {
	off := int(o.w.Frame.Offset)
	last := make([]int32, len(rows)) // the last non-null row at or before each position, or -1
	prev := int32(-1)
	for p, r := range rows {
		if !x.IsNull(int(r)) {
			prev = r
		}
		last[p] = prev
	}
	for p, r := range rows {
		q := p - off
		if q < 0 || q >= len(rows) || last[p] < 0 || last[q] < 0 {
			markNull(out, int(r))
			continue
		}
		cur, base := x.F[x.idx(int(last[p]))], x.F[x.idx(int(last[q]))]
		out.F[r] = divIEEE(cur, base) - 1
	}
}

// fill gives a null row the nearest non-null value before it (forward) or after it.
func (o *windowOp) fill(out *Vec, rows []int32, x *Vec, forward bool, limit int) {
	last, lastK := int32(-1), 0
	for k := range rows {
		p := k
		if !forward {
			p = len(rows) - 1 - k
		}
		r := rows[p]
		if !x.IsNull(int(r)) {
			last, lastK = r, k
		}
		if last < 0 || limit >= 0 && k-lastK > limit {
			markNull(out, int(r))
			continue
		}
		setRow(out, int(r), x, x.idx(int(last)))
	}
}

// rank ranks the sorted rows' non-null values by method (stdlib.RankMethods): each run of
// tied values spans the positions [first, last] among them.
func (o *windowOp) rank(out *Vec, rows []int32, x *Vec, method string) {
	counted, dense := int64(0), int64(0)
	for i := 0; i < len(rows); {
		r := rows[i]
		if x.IsNull(int(r)) {
			markNull(out, int(r))
			i++
			continue
		}
		j := i + 1
		for j < len(rows) && !x.IsNull(int(rows[j])) && cmpRows(x, x.idx(int(rows[j])), x, x.idx(int(r))) == 0 {
			j++
		}
		first, last := counted+1, counted+int64(j-i)
		dense++
		for p, q := range rows[i:j] {
			switch method {
			case "average":
				out.F[q] = float64(first+last) / 2
			case "min":
				out.I[q] = first
			case "max":
				out.I[q] = last
			case "dense":
				out.I[q] = dense
			case "ordinal":
				out.I[q] = first + int64(p)
			}
		}
		counted = last
		i = j
	}
}

func (o *windowOp) unique(out *Vec, rows []int32, x *Vec, wantUnique bool) {
	cols := []*Vec{x}
	gt := newGroupTable(cols, len(rows))
	count := make([]int, 0, len(rows))
	for _, r := range rows {
		g := gt.group(int(r))
		if int(g) >= len(count) {
			count = append(count, 0)
		}
		count[g]++
	}
	for _, r := range rows {
		g := gt.lookup(cols, int(r))
		out.B[r] = (count[g] == 1) == wantUnique
	}
}

// cumulative computes running sums, counts, minimums and maximums in partition order.
func (o *windowOp) cumulative(out *Vec, rows []int32, x *Vec, name string) error {
	var isum int64
	var fsum float64
	dsum := pow10[0].Sub(pow10[0])
	has := false
	best := int32(-1)
	count := int64(0)
	for _, r := range rows {
		i := int(r)
		if !x.IsNull(i) {
			j := x.idx(i)
			switch name {
			case "cum_sum":
				switch storageOf(x.T) {
				case stInt:
					s, over := addInt(isum, x.I[j])
					if over {
						return runtimeErr("integer overflow in cum_sum")
					}
					isum = s
				case stFloat:
					fsum += x.F[j]
				case stDecimal:
					s, ok := addDec(dsum, x.D[j], 38)
					if !ok {
						return runtimeErr("decimal overflow in cum_sum")
					}
					dsum = s
				}
			case "cum_count":
				count++
			case "cum_min", "cum_max":
				if best < 0 {
					best = r
				} else {
					c := cmpRows(x, j, x, x.idx(int(best)))
					if (name == "cum_min" && c < 0) || (name == "cum_max" && c > 0) {
						best = r
					}
				}
			}
			has = true
		}
		if name != "cum_count" && x.IsNull(i) {
			// A null row's running sum, minimum or maximum is null, as in Polars; the running
			// value carries on to the next non-null row.
			markNull(out, i)
			continue
		}
		switch name {
		case "cum_count":
			out.I[i] = count
		case "cum_sum":
			if !has {
				markNull(out, i)
				continue
			}
			switch storageOf(x.T) {
			case stInt:
				out.I[i] = isum
			case stFloat:
				out.F[i] = fsum
			case stDecimal:
				out.D[i] = dsum
			}
		default:
			if best < 0 {
				markNull(out, i)
				continue
			}
			setRow(out, i, x, x.idx(int(best)))
		}
	}
	return nil
}

// rolling computes an aggregate over each row's window: the last Size rows, or the rows whose
// order key lies in (t − Period, t] (all rows with an equal key included).
func (o *windowOp) rolling(rs *runState, sc *windowScratch, out *Vec, rows []int32, name string) error {
	x := sc.argPtrs[0]
	agg := strings.TrimPrefix(name, "rolling_")
	var acc accumulator
	switch agg {
	case "mean":
		acc = &meanAcc{}
	case "sum":
		switch storageOf(x.T) {
		case stFloat:
			acc = &sumFloatAcc{}
		case stDecimal:
			acc = &sumDecAcc{prec: 38}
		default:
			acc = &sumIntAcc{t: x.T}
		}
	case "min":
		acc = &minMaxAcc{t: x.T}
	case "max":
		acc = &minMaxAcc{t: x.T, max: true}
	case "count":
		acc = &countAcc{}
	case "std":
		acc = &varAcc{std: true, ddof: 1}
	case "var":
		acc = &varAcc{ddof: 1}
	default:
		return fmt.Errorf("rolling function %s is not implemented", name)
	}
	f := o.w.Frame
	var key *Vec
	if f.Kind == ir.RangeFrame {
		key = sc.orderPtrs[0]
	}
	args := []*Vec{x}
	sc.one.T = o.w.T
	lo := 0
	for p, r := range rows {
		i := int(r)
		var from, to int // window positions [from, to]
		if f.Kind == ir.RowsFrame {
			from, to = max(0, p-int(f.Size-f.Ahead)+1), min(len(rows)-1, p+int(f.Ahead))
		} else {
			if key.IsNull(i) {
				markNull(out, i)
				continue
			}
			t := timeKey(key, i)
			// Include every later row with the same key.
			to = p
			for to+1 < len(rows) && !key.IsNull(int(rows[to+1])) && timeKey(key, int(rows[to+1])) == t {
				to++
			}
			for lo < p && (key.IsNull(int(rows[lo])) || timeKey(key, int(rows[lo])) <= t-f.Period) {
				lo++
			}
			from = lo
		}
		acc.init(1)
		n := int64(0)
		for q := from; q <= to; q++ {
			rq := int(rows[q])
			if x.IsNull(rq) {
				continue
			}
			n++
			if err := acc.add(0, args, rq); err != nil {
				return err
			}
		}
		if n < f.MinPeriods {
			markNull(out, i)
			continue
		}
		if err := acc.finish(&sc.one); err != nil {
			return err
		}
		if sc.one.IsNull(0) {
			markNull(out, i)
			continue
		}
		setRow(out, i, &sc.one, 0)
	}
	return nil
}

// timeKey returns a time window's order key in microseconds (dates as midnight).
func timeKey(v *Vec, i int) int64 {
	x := v.I[v.idx(i)]
	if v.T.Kind == types.Date {
		return x * types.Day
	}
	return x
}
