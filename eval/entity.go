package eval

import (
	"fmt"

	"github.com/featc/featc/ir"
)

// entityOp computes entity features for every row of a spine: for each row it binds the
// entity's keys and the time, computes the block's local frames and features in dependency
// order, and appends the features to the row. Frames with the entity's keys were restricted
// to the row's entity by the checker (a filter on the keys), so each row sees its own entity's
// data only.
type entityOp struct {
	id       opID
	name     string
	spine    int // the spine's input slot
	apply    *ir.EntityApply
	ent      *entityCtx
	outer    []int // slot per spine column
	steps    []entityStep
	features []int // local slot of each output feature
	corr     []int // slots recomputed for every spine row
}

type entityStep struct {
	localKey string
	rel      op
	slot     int
	prog     *exprProg
	deps     []int
}

type entityScratch struct {
	states []*exprState
	vecs   []Vec
	out    Table
}

func (ev *Evaluator) compileEntityApply(r *ir.EntityApply) (op, error) {
	name := ev.compiling
	ent := &entityCtx{key: "entity:" + name, locals: map[string]int{}}
	o := &entityOp{id: ev.newID(), name: name, spine: ev.inputSlot("spine:" + name), apply: r, ent: ent}
	for _, f := range r.Spine.Schema() {
		o.outer = append(o.outer, ev.slot(ent.key+":outer:"+f.Name, &slotInfo{kind: slotOuter, correlated: true}))
	}
	ev.localSchemas = map[string]ir.Schema{}
	for _, st := range r.Steps {
		if st.Rel != nil {
			ev.localSchemas[ent.key+":"+st.Name] = st.Rel.Schema()
			rel, err := ev.compileRel(st.Rel, ent)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", st.Name, err)
			}
			o.steps = append(o.steps, entityStep{localKey: ent.key + ":" + st.Name, rel: rel})
			continue
		}
		res := &scalarResolver{ev: ev, ent: ent}
		p, err := ev.comp.compile(st.Expr, res)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", st.Name, err)
		}
		slot := ev.slot(ent.key+":local:"+st.Name, &slotInfo{kind: slotLocal, correlated: true})
		o.steps = append(o.steps, entityStep{slot: slot, prog: p, deps: res.used})
	}
	for _, f := range r.Features {
		o.features = append(o.features, ev.slotIndex[ent.key+":local:"+f.Name])
	}
	ev.entityOps = append(ev.entityOps, o)
	return o, nil
}

func (o *entityOp) run(rs *runState) (*Table, error) {
	spine := rs.inputs[o.spine]
	if spine == nil {
		return nil, fmt.Errorf("no spine bound for %s", o.name)
	}
	sc := scratchOf[entityScratch](rs, o.id)
	if sc.states == nil {
		sc.states = make([]*exprState, len(o.steps))
		for i, st := range o.steps {
			if st.prog != nil {
				sc.states[i] = st.prog.newState()
			}
		}
		sc.vecs = make([]Vec, len(o.features))
	}
	n := spine.N
	for f, fe := range o.apply.Features {
		sc.vecs[f].resize(fe.Expr.Type(), n)
	}
	for row := 0; row < n; row++ {
		if err := rs.ctx.Err(); err != nil {
			return nil, err
		}
		for _, s := range o.corr {
			rs.valid[s] = false
		}
		for c, slot := range o.outer {
			rs.setScalar(slot, spine.Cols[c].Value(row))
		}
		for i, st := range o.steps {
			if st.rel != nil {
				t, err := st.rel.run(rs)
				if err != nil {
					return nil, err
				}
				rs.locals[st.localKey] = t
				continue
			}
			if err := rs.ensure(st.deps); err != nil {
				return nil, err
			}
			v, err := st.prog.eval(sc.states[i], &rs.k, nil, rs.scalars, 1)
			if err != nil {
				return nil, err
			}
			rs.setScalar(st.slot, v.Value(0))
		}
		for f, slot := range o.features {
			v := rs.scalars[slot]
			if v.IsNull(0) {
				markNull(&sc.vecs[f], row)
			} else {
				setRow(&sc.vecs[f], row, v, 0)
			}
		}
	}
	sc.out.N = n
	sc.out.Cols = append(sc.out.Cols[:0], spine.Cols...)
	for f := range o.features {
		sc.out.Cols = append(sc.out.Cols, &sc.vecs[f])
	}
	return &sc.out, nil
}
