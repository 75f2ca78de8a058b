package eval

import (
	"github.com/featc/featc/ir"
)

// keyedScanOp reads the rows of one entity from a source inside entity features: the
// checker restricts every frame of an entity block to its entity with a filter key == outer
// key over the scan; instead of evaluating that filter over the whole source for every spine
// row, the source is indexed by its key once per run and each spine row gathers its entity's
// rows (in source order, as the filter would keep them). A null key matches nothing, as in
// the filter.
type keyedScanOp struct {
	id   opID
	in   op
	col  int // the key column in the scan's output
	slot int // the slot of the entity's key (an outer value)
}

type keyedScratch struct {
	run   uint64
	calls int
	idx   []int32
	ints  map[int64][]int32
	strs  map[string][]int32
	vecs  []Vec
	out   Table
}

// keyedScan recognizes Filter(eq(col, outer key)) over a scan in an entity context.
func (ev *Evaluator) keyedScan(r *ir.Filter, ent *entityCtx) (op, bool, error) {
	scan, ok := r.Input.(*ir.Scan)
	if !ok || ent == nil {
		return nil, false, nil
	}
	col, outer, ok := ir.KeyEquality(r.Pred)
	if !ok || col.T.Kind != outer.T.Kind {
		return nil, false, nil
	}
	switch storageOf(col.T) {
	case stInt, stString:
	default:
		return nil, false, nil
	}
	slot, ok := ev.slotIndex[ent.key+":outer:"+outer.Name]
	if !ok {
		return nil, false, nil
	}
	c := scan.Cols.Index(col.Name)
	if c < 0 {
		return nil, false, nil
	}
	in, err := ev.compileRel(scan, ent)
	if err != nil {
		return nil, false, err
	}
	return &keyedScanOp{id: ev.newID(), in: in, col: c, slot: slot}, true, nil
}

func (o *keyedScanOp) run(rs *runState) (*Table, error) {
	t, err := o.in.run(rs)
	if err != nil {
		return nil, err
	}
	sc := scratchOf[keyedScratch](rs, o.id)
	key := t.Cols[o.col]
	isStr := storageOf(key.T) == stString
	k := rs.scalars[o.slot]
	if sc.run != rs.run {
		// The first spine row of a run (often the only one: a realtime request) scans for
		// its key; the second indexes the source for the rest of the run.
		sc.run, sc.calls = rs.run, 0
	}
	sc.calls++
	if sc.calls == 1 {
		sc.idx = sc.idx[:0]
		if k != nil && !k.IsNull(0) {
			for i := 0; i < t.N; i++ {
				if key.IsNull(i) {
					continue
				}
				if isStr && key.S[key.idx(i)] == k.S[k.idx(0)] || !isStr && key.I[key.idx(i)] == k.I[k.idx(0)] {
					sc.idx = append(sc.idx, int32(i))
				}
			}
		}
		gatherTable(&sc.out, &sc.vecs, t, sc.idx)
		return &sc.out, nil
	}
	if sc.calls == 2 {
		if isStr {
			sc.strs = make(map[string][]int32)
		} else {
			sc.ints = make(map[int64][]int32)
		}
		for i := 0; i < t.N; i++ {
			if key.IsNull(i) {
				continue
			}
			if isStr {
				s := key.S[key.idx(i)]
				sc.strs[s] = append(sc.strs[s], int32(i))
			} else {
				v := key.I[key.idx(i)]
				sc.ints[v] = append(sc.ints[v], int32(i))
			}
		}
	}
	var idx []int32
	if k != nil && !k.IsNull(0) {
		if isStr {
			idx = sc.strs[k.S[k.idx(0)]]
		} else {
			idx = sc.ints[k.I[k.idx(0)]]
		}
	}
	gatherTable(&sc.out, &sc.vecs, t, idx)
	return &sc.out, nil
}
