package eval

import (
	"fmt"

	"github.com/featc/featc/ir"
	"github.com/featc/featc/types"
)

// compiledAgg is one aggregate call of an aggregation or window: its argument programs over
// the input rows and its accumulator.
type compiledAgg struct {
	typ     types.Type
	args    []*colEval
	nValues int // arguments that are values (the rest are order keys)
	make    func() accumulator
	// skip says whether a row does not take part: a null value for most aggregates, a null order
	// key for first and last, never for len.
	skip func(args []*Vec, i int) bool
	// bulk is set when rows with a null value are the only ones left out: an accumulator that
	// is a bulkAdder may then add the whole column in one loop.
	bulk bool
}

func (ev *Evaluator) compileAgg(fn, id string, t types.Type, args []ir.Expr, order []ir.SortKey, res resolver) (*compiledAgg, error) {
	ca := &compiledAgg{nValues: len(args), typ: t}
	all := append([]ir.Expr{}, args...)
	for _, k := range order {
		all = append(all, k.Expr)
	}
	for _, a := range all {
		p, err := ev.comp.compile(a, res)
		if err != nil {
			return nil, err
		}
		ca.args = append(ca.args, &colEval{p})
	}
	mk, err := newAccumulator(fn, id, t, args)
	if err != nil {
		return nil, err
	}
	switch fn {
	case "quantile":
		q := args[1].(*ir.Lit).Value.F
		interp := args[2].(*ir.Lit).Value.S
		mk = func() accumulator { return &quantileAcc{q: q, interp: interp} }
	case "first", "last":
		desc := make([]bool, len(order))
		for i, k := range order {
			desc[i] = k.Descending
		}
		base := mk
		mk = func() accumulator {
			a := base().(*firstLastAcc)
			a.desc = desc
			return a
		}
	}
	ca.make = mk
	switch fn {
	case "len", "n_unique":
		// len counts rows; n_unique counts null as one more distinct value, as Polars does.
		ca.skip = func([]*Vec, int) bool { return false }
	case "first", "last":
		n := ca.nValues
		ca.skip = func(a []*Vec, i int) bool {
			for _, k := range a[n:] {
				if k.IsNull(i) {
					return true
				}
			}
			return false
		}
	default:
		ca.skip = func(a []*Vec, i int) bool { return a[0].IsNull(i) }
		ca.bulk = !disableBulkAggregates
	}
	return ca, nil
}

type aggScratch struct {
	args []colScratch
	ptrs []*Vec
	acc  accumulator
}

// runAgg computes the aggregate over the rows of t into out, one value per group of gid (all
// rows in group 0 when gid is nil).
func (ca *compiledAgg) run(rs *runState, sc *aggScratch, t *Table, gid []int32, groups int, out *Vec) error {
	if sc.args == nil {
		sc.args = make([]colScratch, len(ca.args))
		sc.ptrs = make([]*Vec, len(ca.args))
	}
	for i, a := range ca.args {
		v, err := a.evalShared(rs, &sc.args[i], t.Cols, t.N)
		if err != nil {
			return err
		}
		sc.ptrs[i] = v
	}
	if sc.acc == nil {
		sc.acc = ca.make()
	}
	sc.acc.init(groups)
	if ba, ok := sc.acc.(bulkAdder); ok && ca.bulk {
		done, err := ba.addAll(gid, sc.ptrs, t.N)
		if err != nil {
			return err
		}
		if done {
			return finishPositive(sc.acc, out)
		}
	}
	for i := 0; i < t.N; i++ {
		if ca.skip(sc.ptrs, i) {
			continue
		}
		g := 0
		if gid != nil {
			g = int(gid[i])
		}
		if err := sc.acc.add(g, sc.ptrs, i); err != nil {
			return err
		}
	}
	return finishPositive(sc.acc, out)
}

// ---- Aggregate ----

type aggregateOp struct {
	id    opID
	in    op
	keys  []*colEval
	aggs  []*compiledAgg
	post  []*colEval
	types []types.Type
	slots []int
}

type aggregateScratch struct {
	keyEval []colScratch
	keyVecs []Vec
	keyPtrs []*Vec
	gid     []int32
	keyOut  []Vec
	aggs    []aggScratch
	aggOut  []Vec
	group   Table
	post    []colScratch
	postOut []Vec
	out     Table
}

func (ev *Evaluator) compileAggregate(r *ir.Aggregate, ent *entityCtx) (op, error) {
	in, err := ev.compileRel(r.Input, ent)
	if err != nil {
		return nil, err
	}
	inRes := &relResolver{ev: ev, ent: ent, schema: r.Input.Schema()}
	a := &aggregateOp{id: ev.newID(), in: in}
	for _, k := range r.Keys {
		p, err := ev.comp.compile(k.Expr, inRes)
		if err != nil {
			return nil, fmt.Errorf("key %s: %w", k.Name, err)
		}
		a.keys = append(a.keys, &colEval{p})
	}
	// The group table: keys, then one column per distinct aggregate call.
	groupRes := &relResolver{ev: ev, ent: ent, extra: map[ir.Expr]int{}}
	for _, c := range r.Aggs {
		var aerr error
		ir.WalkExpr(c.Expr, func(x ir.Expr) bool {
			agg, ok := x.(*ir.Agg)
			if !ok || aerr != nil {
				return aerr == nil
			}
			if _, seen := groupRes.extra[agg]; !seen {
				ca, err := ev.compileAgg(agg.Func.Name, agg.Overload.ID, agg.T, agg.Args, agg.OrderBy, inRes)
				if err != nil {
					aerr = err
					return false
				}
				groupRes.extra[agg] = len(r.Keys) + len(a.aggs)
				a.aggs = append(a.aggs, ca)
			}
			return false
		})
		if aerr != nil {
			return nil, aerr
		}
	}
	for _, c := range r.Aggs {
		p, err := ev.comp.compile(c.Expr, groupRes)
		if err != nil {
			return nil, fmt.Errorf("aggregation %s: %w", c.Name, err)
		}
		a.post = append(a.post, &colEval{p})
		a.types = append(a.types, c.Expr.Type())
	}
	a.slots = append(inRes.used, groupRes.used...)
	return a, nil
}

func (o *aggregateOp) run(rs *runState) (*Table, error) {
	t, err := o.in.run(rs)
	if err != nil {
		return nil, err
	}
	if err := rs.ensure(o.slots); err != nil {
		return nil, err
	}
	sc := scratchOf[aggregateScratch](rs, o.id)
	if sc.keyEval == nil {
		sc.keyEval = make([]colScratch, len(o.keys))
		sc.keyVecs = make([]Vec, len(o.keys))
		sc.keyPtrs = make([]*Vec, len(o.keys))
		sc.keyOut = make([]Vec, len(o.keys))
		sc.aggs = make([]aggScratch, len(o.aggs))
		sc.aggOut = make([]Vec, len(o.aggs))
		sc.post = make([]colScratch, len(o.post))
		sc.postOut = make([]Vec, len(o.post))
	}
	for i, k := range o.keys {
		if err := k.eval(rs, &sc.keyEval[i], t.Cols, t.N, &sc.keyVecs[i]); err != nil {
			return nil, err
		}
		sc.keyPtrs[i] = &sc.keyVecs[i]
	}
	groups := 1
	var gid []int32
	var first []int32
	if len(o.keys) > 0 {
		gt := newGroupTable(sc.keyPtrs, t.N)
		sc.gid = grow(sc.gid, t.N)
		for i := 0; i < t.N; i++ {
			sc.gid[i] = gt.group(i)
		}
		gid, groups, first = sc.gid, gt.len(), gt.first
	}
	sc.group.N = groups
	sc.group.Cols = grow(sc.group.Cols, len(o.keys)+len(o.aggs))
	for i := range o.keys {
		gather(&sc.keyOut[i], sc.keyPtrs[i], first)
		sc.group.Cols[i] = &sc.keyOut[i]
	}
	for i, a := range o.aggs {
		out := &sc.aggOut[i]
		out.T = a.typ
		if err := a.run(rs, &sc.aggs[i], t, gid, groups, out); err != nil {
			return nil, err
		}
		sc.group.Cols[len(o.keys)+i] = out
	}
	sc.out.N = groups
	sc.out.Cols = grow(sc.out.Cols, len(o.keys)+len(o.post))
	for i := range o.keys {
		sc.out.Cols[i] = &sc.keyOut[i]
	}
	for i, p := range o.post {
		out := &sc.postOut[i]
		out.T = o.types[i]
		if err := p.eval(rs, &sc.post[i], sc.group.Cols, groups, out); err != nil {
			return nil, err
		}
		sc.out.Cols[len(o.keys)+i] = out
	}
	return &sc.out, nil
}

// finishPositive finishes an aggregate, making a float zero +0.0 (docs/semantics.md, Floats):
// engines do not return the same one of tied ±0 values, nor sum zeros to the same sign.
func finishPositive(acc accumulator, out *Vec) error {
	if err := acc.finish(out); err != nil {
		return err
	}
	positiveZeros(out)
	return nil
}

// positiveZeros turns every -0.0 of a float vector into +0.0.
func positiveZeros(v *Vec) {
	if storageOf(v.T) != stFloat {
		return
	}
	for i, f := range v.F {
		if f == 0 {
			v.F[i] = 0
		}
	}
}
