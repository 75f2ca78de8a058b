package eval

import (
	"fmt"
	"slices"

	"github.com/featc/featc/ir"
)

// ---- Join ----

type joinOp struct {
	id          opID
	left, right op
	kind        ir.JoinKind
	lk, rk      []int // key column indices
	cols        []ir.JoinCol
	lschema     ir.Schema
	rschema     ir.Schema
}

type joinScratch struct {
	li, ri  []int32
	matched []bool
	keyL    []*Vec
	keyR    []*Vec
	vecs    []Vec
	out     Table
}

func (ev *Evaluator) compileJoin(r *ir.Join, ent *entityCtx) (op, error) {
	l, err := ev.compileRel(r.Left, ent)
	if err != nil {
		return nil, err
	}
	rt, err := ev.compileRel(r.Right, ent)
	if err != nil {
		return nil, err
	}
	j := &joinOp{id: ev.newID(), left: l, right: rt, kind: r.Kind, cols: r.Cols, lschema: r.Left.Schema(), rschema: r.Right.Schema()}
	for i := range r.LeftKeys {
		j.lk = append(j.lk, j.lschema.Index(r.LeftKeys[i]))
		j.rk = append(j.rk, j.rschema.Index(r.RightKeys[i]))
	}
	return j, nil
}

func anyNull(cols []*Vec, i int) bool {
	for _, c := range cols {
		if c.IsNull(i) {
			return true
		}
	}
	return false
}

func (o *joinOp) run(rs *runState) (*Table, error) {
	lt, err := o.left.run(rs)
	if err != nil {
		return nil, err
	}
	rt, err := o.right.run(rs)
	if err != nil {
		return nil, err
	}
	if err := rs.ctx.Err(); err != nil {
		return nil, err
	}
	sc := scratchOf[joinScratch](rs, o.id)
	sc.li, sc.ri = sc.li[:0], sc.ri[:0]
	sc.keyL, sc.keyR = sc.keyL[:0], sc.keyR[:0]
	for i := range o.lk {
		sc.keyL = append(sc.keyL, lt.Cols[o.lk[i]])
		sc.keyR = append(sc.keyR, rt.Cols[o.rk[i]])
	}
	if o.kind == ir.CrossJoin {
		for i := 0; i < lt.N; i++ {
			for j := 0; j < rt.N; j++ {
				sc.li = append(sc.li, int32(i))
				sc.ri = append(sc.ri, int32(j))
			}
		}
	} else {
		// Build on the right: each distinct key's rows, in order. Null keys never match.
		gt := newGroupTable(sc.keyR, rt.N)
		var next []int32 // rows of a group as a linked list: head per group, next per row
		var head, tail []int32
		next = make([]int32, rt.N)
		for j := 0; j < rt.N; j++ {
			next[j] = -1
			if anyNull(sc.keyR, j) {
				continue
			}
			g := gt.group(j)
			if int(g) >= len(head) {
				head = append(head, int32(j))
				tail = append(tail, int32(j))
			} else {
				next[tail[g]] = int32(j)
				tail[g] = int32(j)
			}
		}
		sc.matched = grow(sc.matched, rt.N)
		clear(sc.matched)
		for i := 0; i < lt.N; i++ {
			g := int32(-1)
			if !anyNull(sc.keyL, i) {
				g = gt.lookup(sc.keyL, i)
			}
			switch o.kind {
			case ir.SemiJoin:
				if g >= 0 {
					sc.li = append(sc.li, int32(i))
				}
				continue
			case ir.AntiJoin:
				if g < 0 {
					sc.li = append(sc.li, int32(i))
				}
				continue
			}
			if g < 0 {
				if o.kind == ir.LeftJoin || o.kind == ir.FullJoin {
					sc.li = append(sc.li, int32(i))
					sc.ri = append(sc.ri, -1)
				}
				continue
			}
			for j := head[g]; j >= 0; j = next[j] {
				sc.li = append(sc.li, int32(i))
				sc.ri = append(sc.ri, j)
				sc.matched[j] = true
			}
		}
		if o.kind == ir.FullJoin {
			for j := 0; j < rt.N; j++ {
				if !sc.matched[j] {
					sc.li = append(sc.li, -1)
					sc.ri = append(sc.ri, int32(j))
				}
			}
		}
	}
	sc.vecs = grow(sc.vecs, len(o.cols)+1)
	sc.out.Cols = grow(sc.out.Cols, len(o.cols))
	for c, jc := range o.cols {
		out := &sc.vecs[c]
		switch jc.Side {
		case ir.LeftSide:
			gather(out, lt.Cols[o.lschema.Index(jc.Name)], sc.li)
		case ir.RightSide:
			gather(out, rt.Cols[o.rschema.Index(jc.Name)], sc.ri)
		case ir.CoalescedKey:
			gather(out, lt.Cols[o.lschema.Index(jc.Name)], sc.li)
			tmp := &sc.vecs[len(o.cols)]
			gather(tmp, rt.Cols[o.rschema.Index(jc.RightName)], sc.ri)
			for i := range sc.li {
				if sc.li[i] >= 0 {
					continue
				}
				if tmp.IsNull(i) {
					markNull(out, i)
					continue
				}
				setRow(out, i, tmp, i)
				if out.Null != nil {
					out.Null[i] = false
				}
			}
		}
		sc.out.Cols[c] = out
	}
	sc.out.N = len(sc.li)
	return &sc.out, nil
}

// ---- As-of join ----

type asofOp struct {
	id          opID
	left, right op
	lon, ron    int
	lby, rby    []int
	backward    bool
	tolerance   int64
	cols        []ir.JoinCol
	lschema     ir.Schema
	rschema     ir.Schema
}

type asofScratch struct {
	li, ri []int32
	vecs   []Vec
	out    Table
}

func (ev *Evaluator) compileAsOf(r *ir.AsOfJoin, ent *entityCtx) (op, error) {
	l, err := ev.compileRel(r.Left, ent)
	if err != nil {
		return nil, err
	}
	rt, err := ev.compileRel(r.Right, ent)
	if err != nil {
		return nil, err
	}
	a := &asofOp{id: ev.newID(), left: l, right: rt, backward: r.Strategy == ir.Backward, tolerance: r.Tolerance,
		cols: r.Cols, lschema: r.Left.Schema(), rschema: r.Right.Schema()}
	a.lon, a.ron = a.lschema.Index(r.LeftOn), a.rschema.Index(r.RightOn)
	for i := range r.LeftBy {
		a.lby = append(a.lby, a.lschema.Index(r.LeftBy[i]))
		a.rby = append(a.rby, a.rschema.Index(r.RightBy[i]))
	}
	if a.lon < 0 || a.ron < 0 {
		return nil, fmt.Errorf("as-of join column is missing")
	}
	return a, nil
}

// distance returns on_right - on_left in the on column's units (microseconds for time).
func onDistance(l *Vec, i int, r *Vec, j int) (float64, bool) {
	switch storageOf(l.T) {
	case stInt:
		d := r.I[r.idx(j)] - l.I[l.idx(i)]
		return float64(d), true
	case stFloat:
		return r.F[r.idx(j)] - l.F[l.idx(i)], true
	case stDecimal:
		return decToFloat(r.D[r.idx(j)], int(r.T.Scale)) - decToFloat(l.D[l.idx(i)], int(l.T.Scale)), true
	}
	return 0, false
}

func (o *asofOp) run(rs *runState) (*Table, error) {
	lt, err := o.left.run(rs)
	if err != nil {
		return nil, err
	}
	rt, err := o.right.run(rs)
	if err != nil {
		return nil, err
	}
	sc := scratchOf[asofScratch](rs, o.id)
	var lby, rby []*Vec
	for i := range o.lby {
		lby = append(lby, lt.Cols[o.lby[i]])
		rby = append(rby, rt.Cols[o.rby[i]])
	}
	lon, ron := lt.Cols[o.lon], rt.Cols[o.ron]
	// Right rows per by-group, ordered by on and then by their other columns, so that ties in
	// on resolve the same way on every engine (docs/semantics.md).
	gt := newGroupTable(rby, rt.N)
	var groups [][]int32
	for j := 0; j < rt.N; j++ {
		if ron.IsNull(j) || anyNull(rby, j) {
			continue
		}
		g := gt.group(j)
		if int(g) >= len(groups) {
			groups = append(groups, nil)
		}
		groups[g] = append(groups[g], int32(j))
	}
	for _, rows := range groups {
		slices.SortStableFunc(rows, func(a, b int32) int {
			if c := cmpRows(ron, ron.idx(int(a)), ron, ron.idx(int(b))); c != 0 {
				return c
			}
			for _, c := range rt.Cols {
				if k := cmpKey(c, int(a), int(b), false, false); k != 0 {
					return k
				}
			}
			return 0
		})
	}
	sc.li, sc.ri = sc.li[:0], sc.ri[:0]
	for i := 0; i < lt.N; i++ {
		sc.li = append(sc.li, int32(i))
		match := int32(-1)
		if !lon.IsNull(i) && !anyNull(lby, i) {
			g := int32(0)
			if len(lby) > 0 {
				g = gt.lookup(lby, i)
			} else if len(groups) == 0 {
				g = -1
			}
			if g >= 0 && int(g) < len(groups) {
				rows := groups[g]
				cmp := func(k int) int { return cmpRows(ron, ron.idx(int(rows[k])), lon, lon.idx(i)) }
				if o.backward {
					// The last row with on <= left's on.
					lo, hi := 0, len(rows)
					for lo < hi {
						m := (lo + hi) / 2
						if cmp(m) <= 0 {
							lo = m + 1
						} else {
							hi = m
						}
					}
					if k := lo - 1; k >= 0 {
						match = rows[k]
					}
				} else {
					lo, hi := 0, len(rows)
					for lo < hi {
						m := (lo + hi) / 2
						if cmp(m) < 0 {
							lo = m + 1
						} else {
							hi = m
						}
					}
					if lo < len(rows) {
						match = rows[lo]
					}
				}
				if match >= 0 && o.tolerance > 0 {
					d, ok := onDistance(lon, i, ron, int(match))
					if d < 0 {
						d = -d
					}
					if !ok || d > float64(o.tolerance) {
						match = -1
					}
				}
			}
		}
		sc.ri = append(sc.ri, match)
	}
	sc.vecs = grow(sc.vecs, len(o.cols))
	sc.out.Cols = grow(sc.out.Cols, len(o.cols))
	for c, jc := range o.cols {
		out := &sc.vecs[c]
		if jc.Side == ir.LeftSide {
			gather(out, lt.Cols[o.lschema.Index(jc.Name)], sc.li)
		} else {
			gather(out, rt.Cols[o.rschema.Index(jc.Name)], sc.ri)
		}
		sc.out.Cols[c] = out
	}
	sc.out.N = lt.N
	return &sc.out, nil
}
