package eval

import (
	"fmt"
	"slices"

	"github.com/featc/featc/ir"
	"github.com/featc/featc/types"
)

// op is a relational operator of a compiled plan. run computes its rows; the returned table's
// vectors belong to the run (or to the inputs) and stay valid until the run is released.
type op interface {
	run(rs *runState) (*Table, error)
}

// opID numbers an operator for its scratch space in each run.
type opID int

func (ev *Evaluator) newID() opID {
	ev.nOps++
	return opID(ev.nOps - 1)
}

// scratchOf returns an operator's scratch space in a run, creating it on first use.
func scratchOf[T any](rs *runState, id opID) *T {
	if s, ok := rs.scratch[id].(*T); ok {
		return s
	}
	s := new(T)
	rs.scratch[id] = s
	return s
}

// entityCtx is the entity features being compiled, if any: their local frames and the key that
// names their slots.
type entityCtx struct {
	key    string
	locals map[string]int
}

// relResolver resolves expression leaves against an operator's input schema.
type relResolver struct {
	ev     *Evaluator
	ent    *entityCtx
	schema ir.Schema
	extra  map[ir.Expr]int // aggregate and window nodes computed by the operator
	keys   int             // group keys come first in an aggregation's output
	used   []int
}

func (r *relResolver) column(e ir.Expr) (int, bool) {
	if i, ok := r.extra[e]; ok {
		return i, true
	}
	switch e := e.(type) {
	case *ir.Col:
		if i := r.schema.Index(e.Name); i >= 0 {
			return i, true
		}
	case *ir.GroupKey:
		return e.Index, true
	}
	return 0, false
}

func (r *relResolver) scalar(e ir.Expr) (int, error) {
	s, err := r.ev.scalarSlot(e, r.ent)
	if err == nil {
		r.used = append(r.used, s)
	}
	return s, err
}

func (ev *Evaluator) compileRel(r ir.Rel, ent *entityCtx) (op, error) {
	switch r := r.(type) {
	case *ir.Scan:
		full := ev.prog.Def(r.Source).Schema
		idx := indicesOf(full, r.Cols)
		ev.markRead(r.Source, len(full), idx)
		in := ev.inputSlot(r.Source)
		return &selectOp{id: ev.newID(), src: func(rs *runState) (*Table, error) { return rs.inputs[in], nil },
			idx: idx}, nil
	case *ir.DefRef:
		d := ev.defs[r.Name]
		if d == nil {
			return nil, fmt.Errorf("definition %s is not compiled", r.Name)
		}
		return &selectOp{id: ev.newID(), src: func(rs *runState) (*Table, error) { return rs.def(d) },
			idx: indicesOf(d.def.Schema, r.Cols)}, nil
	case *ir.Spine:
		return nil, fmt.Errorf("a spine outside entity features")
	case *ir.LocalFrame:
		if ent == nil {
			return nil, fmt.Errorf("local frame %s outside entity features", r.Name)
		}
		name := r.Name
		key := ent.key + ":" + name
		// The local's full schema is that of its step; LocalFrame.Cols may be a subset.
		return &localOp{id: ev.newID(), key: key, cols: r.Cols, full: ev.localSchemas[key]}, nil
	case *ir.Filter:
		if k, ok, err := ev.keyedScan(r, ent); ok || err != nil {
			return k, err
		}
		in, err := ev.compileRel(r.Input, ent)
		if err != nil {
			return nil, err
		}
		res := &relResolver{ev: ev, ent: ent, schema: r.Input.Schema()}
		pred, err := ev.comp.compile(r.Pred, res)
		if err != nil {
			return nil, err
		}
		return &filterOp{id: ev.newID(), in: in, pred: &colEval{pred}, slots: res.used}, nil
	case *ir.Project:
		return ev.compileProject(r, ent)
	case *ir.Aggregate:
		return ev.compileAggregate(r, ent)
	case *ir.Sort:
		in, err := ev.compileRel(r.Input, ent)
		if err != nil {
			return nil, err
		}
		res := &relResolver{ev: ev, ent: ent, schema: r.Input.Schema()}
		s := &sortOp{id: ev.newID(), in: in}
		for _, k := range r.Keys {
			p, err := ev.comp.compile(k.Expr, res)
			if err != nil {
				return nil, err
			}
			s.keys = append(s.keys, p)
			s.desc = append(s.desc, k.Descending)
			s.nullsLast = append(s.nullsLast, k.NullsLast)
		}
		s.slots = res.used
		return s, nil
	case *ir.Limit:
		in, err := ev.compileRel(r.Input, ent)
		if err != nil {
			return nil, err
		}
		return &limitOp{id: ev.newID(), in: in, n: r.N, offset: r.Offset}, nil
	case *ir.Distinct:
		in, err := ev.compileRel(r.Input, ent)
		if err != nil {
			return nil, err
		}
		return &distinctOp{id: ev.newID(), in: in}, nil
	case *ir.Union:
		u := &unionOp{id: ev.newID(), schema: r.Schema()}
		for _, in := range r.Rels {
			o, err := ev.compileRel(in, ent)
			if err != nil {
				return nil, err
			}
			u.ins = append(u.ins, o)
		}
		return u, nil
	case *ir.Join:
		return ev.compileJoin(r, ent)
	case *ir.AsOfJoin:
		return ev.compileAsOf(r, ent)
	case *ir.EntityApply:
		return ev.compileEntityApply(r)
	}
	return nil, fmt.Errorf("cannot evaluate %T", r)
}

func indicesOf(full ir.Schema, cols ir.Schema) []int {
	idx := make([]int, len(cols))
	same := len(full) == len(cols)
	for i, c := range cols {
		idx[i] = full.Index(c.Name)
		same = same && idx[i] == i
	}
	if same {
		return nil
	}
	return idx
}

// selectOp reads a table (an input, a definition) and keeps the columns idx (nil: all).
type selectOp struct {
	id  opID
	src func(rs *runState) (*Table, error)
	idx []int
}

func (o *selectOp) run(rs *runState) (*Table, error) {
	t, err := o.src(rs)
	if err != nil || o.idx == nil {
		return t, err
	}
	out := scratchOf[Table](rs, o.id)
	out.N = t.N
	out.Cols = grow(out.Cols, len(o.idx))
	for i, j := range o.idx {
		out.Cols[i] = t.Cols[j]
	}
	return out, nil
}

// localOp reads a local frame of the entity features being computed.
type localOp struct {
	id   opID
	key  string
	cols ir.Schema
	full ir.Schema
}

func (o *localOp) run(rs *runState) (*Table, error) {
	t, ok := rs.locals[o.key]
	if !ok {
		return nil, fmt.Errorf("internal error: local frame %s is not computed", o.key)
	}
	if o.full == nil || len(o.full) == len(o.cols) {
		return t, nil
	}
	out := scratchOf[Table](rs, o.id)
	out.N = t.N
	out.Cols = grow(out.Cols, len(o.cols))
	for i, c := range o.cols {
		out.Cols[i] = t.Cols[o.full.Index(c.Name)]
	}
	return out, nil
}

// ---- Evaluating expressions over tables ----

// colEval is an expression evaluated over every row of a table, chunk by chunk.
type colEval struct {
	prog *exprProg
}

type colScratch struct {
	st    *exprState
	views []Vec
	ptrs  []*Vec
	out   Vec
}

// evalShared computes the expression for all n rows of cols and returns the result, which is
// one of the expression's registers for a single chunk (no copy) and the scratch's own vector
// otherwise; it stays valid until the run is released.
func (c *colEval) evalShared(rs *runState, sc *colScratch, cols []*Vec, n int) (*Vec, error) {
	if n <= chunkRows {
		if sc.st == nil {
			sc.st = c.prog.newState()
		}
		res, err := c.prog.eval(sc.st, &rs.k, cols, rs.scalars, n)
		if err != nil {
			return nil, err
		}
		if res.Const || n == res.N {
			return res, nil
		}
	}
	sc.out.T = c.prog.typ
	if err := c.eval(rs, sc, cols, n, &sc.out); err != nil {
		return nil, err
	}
	return &sc.out, nil
}

// eval computes the expression for all n rows of cols into out (which becomes a constant when
// the expression is one).
func (c *colEval) eval(rs *runState, sc *colScratch, cols []*Vec, n int, out *Vec) error {
	if sc.st == nil {
		sc.st = c.prog.newState()
	}
	if n <= chunkRows {
		res, err := c.prog.eval(sc.st, &rs.k, cols, rs.scalars, n)
		if err != nil {
			return err
		}
		copyVec(out, res, 0, n, n)
		return nil
	}
	if len(sc.views) < len(cols) {
		sc.views = make([]Vec, len(cols))
		sc.ptrs = make([]*Vec, len(cols))
	}
	first := true
	for off := 0; off < n; off += chunkRows {
		cn := min(chunkRows, n-off)
		for _, l := range c.prog.leaves {
			if l.kind == leafColumn {
				view(&sc.views[l.index], cols[l.index], off, cn)
				sc.ptrs[l.index] = &sc.views[l.index]
			}
		}
		res, err := c.prog.eval(sc.st, &rs.k, sc.ptrs, rs.scalars, cn)
		if err != nil {
			return err
		}
		if first && res.Const {
			copyVec(out, res, 0, 1, n)
			return nil
		}
		if first {
			out.resize(res.T, n)
			first = false
		}
		copyInto(out, res, off, cn)
	}
	return nil
}

// view makes v rows [off, off+n) of src, sharing its storage.
func view(v *Vec, src *Vec, off, n int) {
	if src.Const {
		*v = *src
		return
	}
	v.T, v.N, v.Const = src.T, n, false
	v.Null = nil
	if src.Null != nil {
		v.Null = src.Null[off : off+n]
	}
	switch storageOf(src.T) {
	case stBool:
		v.B = src.B[off : off+n]
	case stInt:
		v.I = src.I[off : off+n]
	case stFloat:
		v.F = src.F[off : off+n]
	case stDecimal:
		v.D = src.D[off : off+n]
	case stString:
		v.S = src.S[off : off+n]
	}
}

// copyVec makes out a copy of src's first m rows standing for n rows (a constant stays one).
func copyVec(out *Vec, src *Vec, _ int, m, n int) {
	if src.Const {
		out.resize(src.T, 1)
		out.Const, out.N = true, 1
		if src.IsNull(0) {
			out.setNulls()[0] = true
		}
		setRow(out, 0, src, 0)
		return
	}
	out.resize(src.T, n)
	copyInto(out, src, 0, n)
}

// copyInto copies src's n rows into out at offset off (out already sized).
func copyInto(out *Vec, src *Vec, off, n int) {
	if src.Const {
		for i := 0; i < n; i++ {
			setRow(out, off+i, src, 0)
		}
		if src.IsNull(0) {
			if out.Null == nil {
				out.setNulls()
			}
			for i := 0; i < n; i++ {
				out.Null[off+i] = true
			}
		}
		return
	}
	switch storageOf(src.T) {
	case stBool:
		copy(out.B[off:off+n], src.B[:n])
	case stInt:
		copy(out.I[off:off+n], src.I[:n])
	case stFloat:
		copy(out.F[off:off+n], src.F[:n])
	case stDecimal:
		copy(out.D[off:off+n], src.D[:n])
	case stString:
		copy(out.S[off:off+n], src.S[:n])
	}
	if src.Null != nil {
		if out.Null == nil {
			out.setNulls()
		}
		copy(out.Null[off:off+n], src.Null[:n])
	}
}

// gather makes out the rows idx of src; an index of -1 gives a null row.
func gather(out *Vec, src *Vec, idx []int32) {
	n := len(idx)
	out.resize(src.T, n)
	hasMissing := false
	for _, j := range idx {
		if j < 0 {
			hasMissing = true
			break
		}
	}
	if src.Null != nil || hasMissing {
		nb := out.setNulls()
		for i, j := range idx {
			nb[i] = j < 0 || src.IsNull(int(j))
		}
	}
	st := storageOf(src.T)
	for i, j := range idx {
		if j < 0 {
			continue
		}
		k := src.idx(int(j))
		switch st {
		case stBool:
			out.B[i] = src.B[k]
		case stInt:
			out.I[i] = src.I[k]
		case stFloat:
			out.F[i] = src.F[k]
		case stDecimal:
			out.D[i] = src.D[k]
		case stString:
			out.S[i] = src.S[k]
		}
	}
}

// gatherTable makes out the rows idx of t.
func gatherTable(out *Table, vecs *[]Vec, t *Table, idx []int32) {
	*vecs = grow(*vecs, len(t.Cols))
	out.Cols = grow(out.Cols, len(t.Cols))
	for c := range t.Cols {
		gather(&(*vecs)[c], t.Cols[c], idx)
		out.Cols[c] = &(*vecs)[c]
	}
	out.N = len(idx)
}

// ---- Filter ----

type filterOp struct {
	id    opID
	in    op
	pred  *colEval
	slots []int
}

type filterScratch struct {
	pred colScratch
	idx  []int32
	vecs []Vec
	out  Table
}

func (o *filterOp) run(rs *runState) (*Table, error) {
	t, err := o.in.run(rs)
	if err != nil {
		return nil, err
	}
	if err := rs.ensure(o.slots); err != nil {
		return nil, err
	}
	sc := scratchOf[filterScratch](rs, o.id)
	mask, err := o.pred.evalShared(rs, &sc.pred, t.Cols, t.N)
	if err != nil {
		return nil, err
	}
	sc.idx = sc.idx[:0]
	for i := 0; i < t.N; i++ {
		if !mask.IsNull(i) && mask.B[mask.idx(i)] {
			sc.idx = append(sc.idx, int32(i))
		}
	}
	if len(sc.idx) == t.N {
		return t, nil
	}
	gatherTable(&sc.out, &sc.vecs, t, sc.idx)
	return &sc.out, nil
}

// ---- Project ----

// fuseProjects folds a chain of projections (a feature block's dependency levels, or
// with_columns after with_columns) into one over the chain's first input, so that one program
// computes them all and no intermediate table is built: each column reference to an inner
// projection's output is replaced by the inner expression (shared, not copied, so that the
// program computes it once). It stops at a projection whose expressions hold window functions,
// which must see the table they were written over. The inner projections' computed
// expressions that the outer ones no longer use are returned as hidden: the fused program
// still computes them, so that a run fails (an overflow, a bad cast) exactly as the chain would.
func fuseProjects(r *ir.Project) (ir.Rel, []ir.NamedExpr, []ir.Expr) {
	cols := r.Cols
	var hidden []ir.Expr
	for {
		inner, ok := r.Input.(*ir.Project)
		if !ok || anyWindow(cols, hidden) {
			return r.Input, cols, hidden
		}
		by := make(map[string]ir.Expr, len(inner.Cols))
		for _, c := range inner.Cols {
			by[c.Name] = c.Expr
		}
		memo := map[ir.Expr]ir.Expr{}
		next := make([]ir.NamedExpr, len(cols))
		for i, c := range cols {
			next[i] = ir.NamedExpr{Name: c.Name, Expr: ir.SubstCols(c.Expr, by, memo)}
		}
		for i, h := range hidden {
			hidden[i] = ir.SubstCols(h, by, memo)
		}
		for _, c := range inner.Cols {
			if _, isCol := c.Expr.(*ir.Col); !isCol {
				hidden = append(hidden, c.Expr)
			}
		}
		cols, r = next, inner
	}
}

// anyWindow reports whether an expression holds a window function, walking shared
// subexpressions once.
func anyWindow(cols []ir.NamedExpr, more []ir.Expr) bool {
	seen := map[ir.Expr]bool{}
	var has func(ir.Expr) bool
	has = func(e ir.Expr) bool {
		if seen[e] {
			return false
		}
		seen[e] = true
		if _, ok := e.(*ir.Window); ok {
			return true
		}
		for _, c := range ir.Children(e) {
			if has(c) {
				return true
			}
		}
		return false
	}
	for _, c := range cols {
		if has(c.Expr) {
			return true
		}
	}
	for _, e := range more {
		if has(e) {
			return true
		}
	}
	return false
}

// projectOp computes its columns with one program: a column either passes an input column
// through or is one of the program's results.
type projectOp struct {
	id      opID
	in      op
	pass    []int // per output column: the input column passed through, or -1
	result  []int // per output column: the program's result index, or -1
	prog    *exprProg
	windows []*windowOp
	slots   []int
	types   []types.Type
	// passCols and resultCols are pass and result without the -1 entries; leafResults are
	// the results that are leaves of the program (their vector is the input's, per run).
	passCols, resultCols, leafResults []colMap
}

// colMap maps an output column to an input column or a program result.
type colMap struct{ out, from int }

// mapColumns fills passCols, resultCols and leafResults from pass and result.
func (o *projectOp) mapColumns() {
	for i, p := range o.pass {
		if p >= 0 {
			o.passCols = append(o.passCols, colMap{i, p})
		}
	}
	for i, r := range o.result {
		if r < 0 {
			continue
		}
		o.resultCols = append(o.resultCols, colMap{i, r})
		if o.prog != nil && o.prog.results[r] < len(o.prog.leaves) {
			o.leafResults = append(o.leafResults, colMap{i, r})
		}
	}
}

type projectScratch struct {
	st *exprState
	// wired is set when the computed output columns point at their result registers (whose
	// vectors stay in place from run to run): single-chunk runs then only re-point the
	// columns that may move (passed-through columns and results that are leaves).
	wired   bool
	aliased []int
	done    []int
	views   []Vec
	ptrs    []*Vec
	vecs    []Vec
	wins    []Vec
	ext     []*Vec
	out     Table
}

func (ev *Evaluator) compileProject(r *ir.Project, ent *entityCtx) (op, error) {
	input, cols, hidden := fuseProjects(r)
	in, err := ev.compileRel(input, ent)
	if err != nil {
		return nil, err
	}
	schema := input.Schema()
	res := &relResolver{ev: ev, ent: ent, schema: schema, extra: map[ir.Expr]int{}}
	p := &projectOp{id: ev.newID(), in: in}
	// Window nodes are computed over the whole input first; expressions read them as columns.
	all := make([]ir.Expr, 0, len(cols)+len(hidden))
	for _, c := range cols {
		all = append(all, c.Expr)
	}
	all = append(all, hidden...)
	seen := map[ir.Expr]bool{}
	for _, e := range all {
		var werr error
		ir.WalkExpr(e, func(x ir.Expr) bool {
			if seen[x] {
				return false
			}
			seen[x] = true
			if w, ok := x.(*ir.Window); ok && werr == nil {
				if _, seen := res.extra[w]; !seen {
					wop, err := ev.compileWindow(w, schema, ent)
					if err != nil {
						werr = err
						return false
					}
					res.extra[w] = len(schema) + len(p.windows)
					p.windows = append(p.windows, wop)
				}
				return false
			}
			return true
		})
		if werr != nil {
			return nil, werr
		}
	}
	var exprs []ir.Expr
	for _, c := range cols {
		p.types = append(p.types, c.Expr.Type())
		if col, ok := c.Expr.(*ir.Col); ok {
			p.pass = append(p.pass, schema.Index(col.Name))
			p.result = append(p.result, -1)
			continue
		}
		p.pass = append(p.pass, -1)
		p.result = append(p.result, len(exprs))
		exprs = append(exprs, c.Expr)
	}
	// Hidden expressions are computed and dropped: see fuseProjects.
	exprs = append(exprs, hidden...)
	if len(exprs) > 0 {
		prog, err := ev.comp.compileMany(exprs, res)
		if err != nil {
			return nil, err
		}
		p.prog = prog
	}
	p.mapColumns()
	p.slots = res.used
	for _, w := range p.windows {
		p.slots = append(p.slots, w.slots...)
	}
	return p, nil
}

func (o *projectOp) run(rs *runState) (*Table, error) {
	t, err := o.in.run(rs)
	if err != nil {
		return nil, err
	}
	if err := rs.ensure(o.slots); err != nil {
		return nil, err
	}
	sc := scratchOf[projectScratch](rs, o.id)
	if sc.vecs == nil {
		sc.vecs = make([]Vec, len(o.pass))
		sc.wins = make([]Vec, len(o.windows))
		if o.prog != nil {
			sc.st = o.prog.newState()
		}
	}
	cols := t.Cols
	if len(o.windows) > 0 {
		sc.ext = append(sc.ext[:0], t.Cols...)
		for i, w := range o.windows {
			if err := w.run(rs, t, &sc.wins[i]); err != nil {
				return nil, err
			}
			sc.ext = append(sc.ext, &sc.wins[i])
		}
		cols = sc.ext
	}
	sc.out.N = t.N
	sc.out.Cols = grow(sc.out.Cols, len(o.pass))
	for _, pc := range o.passCols {
		sc.out.Cols[pc.out] = t.Cols[pc.from]
	}
	if o.prog == nil {
		return &sc.out, nil
	}
	n := t.N
	if n <= chunkRows {
		if _, err := o.prog.eval(sc.st, &rs.k, cols, rs.scalars, n); err != nil {
			return nil, err
		}
		moving := o.leafResults
		if !sc.wired {
			moving, sc.wired = o.resultCols, true
		}
		for _, rc := range moving {
			sc.out.Cols[rc.out] = sc.st.regs[o.prog.results[rc.from]]
		}
		return &sc.out, nil
	}
	sc.wired = false
	// Chunk by chunk: each chunk's results are copied into the output columns.
	if len(sc.views) < len(cols) {
		sc.views = make([]Vec, len(cols))
		sc.ptrs = make([]*Vec, len(cols))
	}
	for off := 0; off < n; off += chunkRows {
		if err := rs.ctx.Err(); err != nil {
			return nil, err
		}
		cn := min(chunkRows, n-off)
		for _, l := range o.prog.leaves {
			if l.kind == leafColumn {
				view(&sc.views[l.index], cols[l.index], off, cn)
				sc.ptrs[l.index] = &sc.views[l.index]
			}
		}
		// The result registers write straight into their output columns (the first column of
		// each register); the others, and constants, are copied.
		aliased := sc.aliased[:0]
		for i, r := range o.result {
			if r < 0 {
				continue
			}
			out := &sc.vecs[i]
			if off == 0 {
				out.resize(o.types[i], n)
			}
			reg := o.prog.results[r]
			if reg >= len(o.prog.leaves) && !o.prog.isConst(reg) && !containsInt(aliased, reg) {
				aliasStorage(&sc.st.owned[reg], out, off, cn)
				aliased = append(aliased, reg)
			}
		}
		sc.aliased = aliased
		if _, err := o.prog.eval(sc.st, &rs.k, sc.ptrs, rs.scalars, cn); err != nil {
			return nil, err
		}
		done := sc.done[:0]
		for i, r := range o.result {
			if r < 0 {
				continue
			}
			reg := o.prog.results[r]
			res := sc.st.regs[reg]
			out := &sc.vecs[i]
			if containsInt(aliased, reg) && !containsInt(done, reg) && !res.Const && sameStorage(res, out, off) {
				done = append(done, reg)
				if res.Null != nil {
					if out.Null == nil {
						out.setNulls()
					}
					copy(out.Null[off:off+cn], res.Null[:cn])
				}
			} else {
				copyInto(out, res, off, cn)
			}
			sc.out.Cols[i] = out
		}
		sc.done = done
	}
	// Registers must not keep pointing into the output columns after the run.
	for _, reg := range sc.aliased {
		sc.st.owned[reg] = Vec{T: sc.st.owned[reg].T}
	}
	return &sc.out, nil
}

func containsInt(s []int, x int) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}

// aliasStorage points a register's storage at rows [off, off+n) of an output column, so that a
// kernel writing the register writes the column.
func aliasStorage(reg, out *Vec, off, n int) {
	switch storageOf(out.T) {
	case stBool:
		reg.B = out.B[off : off+n : off+n]
	case stInt:
		reg.I = out.I[off : off+n : off+n]
	case stFloat:
		reg.F = out.F[off : off+n : off+n]
	case stDecimal:
		reg.D = out.D[off : off+n : off+n]
	case stString:
		reg.S = out.S[off : off+n : off+n]
	}
}

// sameStorage reports whether the register's values are the column's rows at off (the
// kernel wrote in place rather than into a storage of its own).
func sameStorage(reg, out *Vec, off int) bool {
	switch storageOf(out.T) {
	case stBool:
		return len(reg.B) > 0 && &reg.B[0] == &out.B[off]
	case stInt:
		return len(reg.I) > 0 && &reg.I[0] == &out.I[off]
	case stFloat:
		return len(reg.F) > 0 && &reg.F[0] == &out.F[off]
	case stDecimal:
		return len(reg.D) > 0 && &reg.D[0] == &out.D[off]
	case stString:
		return len(reg.S) > 0 && &reg.S[0] == &out.S[off]
	}
	return false
}

// ---- Sort, limit, distinct, union ----

type sortOp struct {
	id        opID
	in        op
	keys      []*exprProg
	desc      []bool
	nullsLast []bool
	slots     []int
}

type sortScratch struct {
	evals []colScratch
	keys  []Vec
	idx   []int32
	vecs  []Vec
	out   Table
}

func (o *sortOp) run(rs *runState) (*Table, error) {
	t, err := o.in.run(rs)
	if err != nil {
		return nil, err
	}
	if err := rs.ensure(o.slots); err != nil {
		return nil, err
	}
	sc := scratchOf[sortScratch](rs, o.id)
	if sc.evals == nil {
		sc.evals = make([]colScratch, len(o.keys))
		sc.keys = make([]Vec, len(o.keys))
	}
	keys := make([]*Vec, len(o.keys))
	for i, k := range o.keys {
		if err := (&colEval{k}).eval(rs, &sc.evals[i], t.Cols, t.N, &sc.keys[i]); err != nil {
			return nil, err
		}
		keys[i] = &sc.keys[i]
	}
	sc.idx = sc.idx[:0]
	for i := 0; i < t.N; i++ {
		sc.idx = append(sc.idx, int32(i))
	}
	sortRows(sc.idx, keys, o.desc, o.nullsLast, t.Cols)
	gatherTable(&sc.out, &sc.vecs, t, sc.idx)
	return &sc.out, nil
}

// cmpKey compares rows i and j of a sort key with its direction and null order.
func cmpKey(v *Vec, i, j int, desc, nullsLast bool) int {
	in, jn := v.IsNull(i), v.IsNull(j)
	switch {
	case in && jn:
		return 0
	case in:
		if nullsLast {
			return 1
		}
		return -1
	case jn:
		if nullsLast {
			return -1
		}
		return 1
	}
	c := cmpRows(v, v.idx(i), v, v.idx(j))
	if desc {
		c = -c
	}
	return c
}

// sortRows orders row indices by the keys, then by the tie-breaking columns (ascending, nulls
// first), so that every engine produces the same order (docs/semantics.md).
func sortRows(idx []int32, keys []*Vec, desc, nullsLast []bool, ties []*Vec) {
	slices.SortStableFunc(idx, func(a, b int32) int {
		for k, v := range keys {
			if c := cmpKey(v, int(a), int(b), desc[k], nullsLast[k]); c != 0 {
				return c
			}
		}
		for _, v := range ties {
			if c := cmpKey(v, int(a), int(b), false, false); c != 0 {
				return c
			}
		}
		return 0
	})
}

type limitOp struct {
	id        opID
	in        op
	n, offset int64
}

type limitScratch struct {
	idx  []int32
	vecs []Vec
	out  Table
}

func (o *limitOp) run(rs *runState) (*Table, error) {
	t, err := o.in.run(rs)
	if err != nil {
		return nil, err
	}
	sc := scratchOf[limitScratch](rs, o.id)
	sc.idx = sc.idx[:0]
	for i := o.offset; i < int64(t.N) && i < o.offset+o.n; i++ {
		sc.idx = append(sc.idx, int32(i))
	}
	gatherTable(&sc.out, &sc.vecs, t, sc.idx)
	return &sc.out, nil
}

type distinctOp struct {
	id opID
	in op
}

type distinctScratch struct {
	idx  []int32
	vecs []Vec
	out  Table
}

func (o *distinctOp) run(rs *runState) (*Table, error) {
	t, err := o.in.run(rs)
	if err != nil {
		return nil, err
	}
	sc := scratchOf[distinctScratch](rs, o.id)
	gt := newGroupTable(t.Cols, t.N)
	for i := 0; i < t.N; i++ {
		gt.group(i)
	}
	sc.idx = append(sc.idx[:0], gt.first...)
	gatherTable(&sc.out, &sc.vecs, t, sc.idx)
	return &sc.out, nil
}

type unionOp struct {
	id     opID
	ins    []op
	schema ir.Schema
}

type unionScratch struct {
	vecs []Vec
	out  Table
}

func (o *unionOp) run(rs *runState) (*Table, error) {
	sc := scratchOf[unionScratch](rs, o.id)
	var parts []*Table
	n := 0
	for _, in := range o.ins {
		t, err := in.run(rs)
		if err != nil {
			return nil, err
		}
		parts = append(parts, t)
		n += t.N
	}
	sc.vecs = grow(sc.vecs, len(o.schema))
	sc.out.Cols = grow(sc.out.Cols, len(o.schema))
	for c, f := range o.schema {
		out := &sc.vecs[c]
		out.resize(f.Type, n)
		off := 0
		for _, p := range parts {
			copyInto(out, p.Cols[c], off, p.N)
			off += p.N
		}
		sc.out.Cols[c] = out
	}
	sc.out.N = n
	return &sc.out, nil
}

// markRead records columns of a source that the plan reads: binding converts only those.
func (ev *Evaluator) markRead(source string, n int, idx []int) {
	if ev.read == nil {
		ev.read = map[string][]bool{}
	}
	read := ev.read[source]
	if read == nil {
		read = make([]bool, n)
		ev.read[source] = read
	}
	if idx == nil { // every column, in order
		for i := range read {
			read[i] = true
		}
		return
	}
	for _, i := range idx {
		if i >= 0 && i < n {
			read[i] = true
		}
	}
}
