package eval

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/featc/featc/ir"
	"github.com/featc/featc/types"
)

// chunkRows is how many rows an expression evaluates at once: large enough to amortise the
// per-step overhead, small enough for its registers to stay in cache.
const chunkRows = 2048

// Inputs binds each source to its data by name. The entity features of a program are computed
// for the rows of a spine bound under the features' own name (the entity's keys and the time).
type Inputs map[string]arrow.RecordBatch

// Params gives run-time values to params by name: bool, int, int32, int64, float64, string,
// time.Time (date or timestamp), time.Duration, or a types.Value.
type Params map[string]any

// Option configures an Evaluator.
type Option func(*options)

type options struct {
	outputs []string
	mem     memory.Allocator
	expect  ExpectMode
}

// Outputs names the outputs the evaluator computes ("name" or "name.column"); by default, every
// frame and features block of the program.
func Outputs(names ...string) Option {
	return func(o *options) { o.outputs = append(o.outputs, names...) }
}

// Allocator sets the memory allocator of the Arrow records the evaluator returns.
func Allocator(mem memory.Allocator) Option { return func(o *options) { o.mem = mem } }

// Evaluator runs a compiled program's outputs over Arrow data. It is built once, its plan
// pruned to the requested outputs and every kernel resolved, and is safe for concurrent use:
// each Run takes its own buffers from a pool.
type Evaluator struct {
	prog    *ir.Program
	mem     memory.Allocator
	outputs []string
	comp    *compiler
	defs    map[string]*defOp
	defList []*defOp
	sources []string
	// checks are the expectations of the outputs, enforced after each run as expectMode says.
	checks     []compiledCheck
	expectMode ExpectMode
	// read marks, per source, the columns the plan reads (the others are not converted).
	read map[string][]bool
	// inputSlots numbers the bound inputs (sources, and spines as "spine:NAME"): a run keeps
	// their tables and binding buffers in slices by these numbers.
	inputSlots map[string]int
	spines     []string
	params     []*ir.Def
	// paramSlots holds the scalar slot of each of params.
	paramSlots []int
	// declared holds every definition of the program (true for params), including those the
	// requested outputs do not need: a service may pass every param, and a value for a name
	// that is a param in another mode (a let here) is ignored.
	declared map[string]bool
	// scalar slots: params, lets, subqueries, entity values.
	slots     []*slotInfo
	slotIndex map[string]int
	nOps      int
	pool      sync.Pool
	// compiling names the definition being compiled; localSchemas the full schemas of the
	// local frames of the entity features being compiled.
	compiling    string
	localSchemas map[string]ir.Schema
	entityOps    []*entityOp
	letOutputs   []int
	// opts are the options the evaluator was built with, for the plans compiled for spines
	// with columns of their own (variants, keyed by the spines' schemas).
	opts      []Option
	variants  sync.Map
	nVariants atomic.Int64
}

// New builds an evaluator for a compiled program (featc.Program.IR), as sqlgen.CompileOutput
// takes one: eval sits below the featc facade and never imports it.
func New(prog *ir.Program, opts ...Option) (*Evaluator, error) {
	o := options{mem: memory.DefaultAllocator}
	for _, opt := range opts {
		opt(&o)
	}
	declared := map[string]bool{}
	for _, d := range prog.Defs {
		declared[d.Name] = d.Kind == ir.ParamDef
	}
	if len(o.outputs) > 0 {
		pruned, diags := ir.Prune(prog, ir.ParseOutputs(o.outputs))
		if pruned == nil {
			return nil, diags.Err()
		}
		prog = pruned
	}
	ev := &Evaluator{prog: prog, mem: o.mem, comp: &compiler{kernels: scalarKernels(), row: rowKernels()},
		defs: map[string]*defOp{}, slotIndex: map[string]int{}, declared: declared, opts: opts}
	for _, o := range ir.ParseOutputs(o.outputs) {
		ev.outputs = append(ev.outputs, o.Def)
	}
	if len(ev.outputs) == 0 {
		ev.outputs = prog.Outputs()
	}
	for _, d := range prog.Defs {
		switch d.Kind {
		case ir.SourceDef:
			ev.sources = append(ev.sources, d.Name)
			ev.inputSlot(d.Name)
		case ir.ParamDef:
			ev.params = append(ev.params, d)
			ev.paramSlots = append(ev.paramSlots, ev.slot("param:"+d.Name, &slotInfo{kind: slotParam, def: d}))
		case ir.EntityFeaturesDef:
			ev.spines = append(ev.spines, d.Name)
			ev.inputSlot("spine:" + d.Name)
		}
	}
	for _, d := range prog.Defs {
		if err := ev.compileDef(d); err != nil {
			return nil, fmt.Errorf("%s: %w", d.Name, err)
		}
	}
	// Entity features recompute the slots that depend on the current spine row.
	for _, o := range ev.entityOps {
		for i, s := range ev.slots {
			if s.correlated {
				o.corr = append(o.corr, i)
			}
		}
	}
	for _, name := range ev.outputs {
		if i, ok := ev.slotIndex["let:"+name]; ok {
			ev.letOutputs = append(ev.letOutputs, i)
		}
	}
	if err := ev.compileChecks(o.expect); err != nil {
		return nil, err
	}
	ev.pool.New = func() any { return ev.newState() }
	return ev, nil
}

// NeedsSpine reports whether a run needs the spine of the named entity features (they are an
// output, or an output reads them).
func (ev *Evaluator) NeedsSpine(name string) bool {
	d := ev.defs[name]
	return d != nil && d.def.Kind == ir.EntityFeaturesDef
}

// ValueRecord returns a one-row record holding a single value in a column named name.
func ValueRecord(mem memory.Allocator, name string, v types.Value) arrow.RecordBatch {
	schema := ir.Schema{{Name: name, Type: v.Type}}
	return toRecord(mem, &Table{N: 1, Cols: []*Vec{constVec(v)}}, schema)
}

// Program returns the (pruned) program the evaluator runs.
func (ev *Evaluator) Program() *ir.Program { return ev.prog }

// OutputNames lists the outputs a run computes.
func (ev *Evaluator) OutputNames() []string { return ev.outputs }

// slotKind says how a scalar slot gets its value.
type slotKind uint8

const (
	slotParam slotKind = iota
	slotLet
	slotSubquery
	slotOuter
	slotLocal
)

type slotInfo struct {
	kind slotKind
	def  *ir.Def
	prog *exprProg // lets
	rel  op        // subqueries
	// correlated slots depend on the current spine row of entity features and are recomputed
	// for each.
	correlated bool
	deps       []int // scalar slots the value needs first
}

func (ev *Evaluator) slot(key string, info *slotInfo) int {
	if i, ok := ev.slotIndex[key]; ok {
		return i
	}
	ev.slotIndex[key] = len(ev.slots)
	ev.slots = append(ev.slots, info)
	return len(ev.slots) - 1
}

// defOp computes a definition once per run.
type defOp struct {
	def   *ir.Def
	index int
	rel   op
}

func (ev *Evaluator) compileDef(d *ir.Def) error {
	ev.compiling = d.Name
	switch d.Kind {
	case ir.LetDef:
		info := &slotInfo{kind: slotLet, def: d}
		i := ev.slot("let:"+d.Name, info)
		r := &scalarResolver{ev: ev}
		p, err := ev.comp.compile(d.Expr, r)
		if err != nil {
			return err
		}
		info.prog = p
		info.deps = r.used
		_ = i
	case ir.FrameDef, ir.FeaturesDef, ir.EntityFeaturesDef:
		rel, err := ev.compileRel(d.Rel, nil)
		if err != nil {
			return err
		}
		dop := &defOp{def: d, index: len(ev.defList), rel: rel}
		ev.defs[d.Name] = dop
		ev.defList = append(ev.defList, dop)
	}
	return nil
}

// scalarResolver resolves the leaves of expressions without rows (lets, entity features): only
// scalars.
type scalarResolver struct {
	ev   *Evaluator
	ent  *entityCtx
	used []int
}

func (r *scalarResolver) column(ir.Expr) (int, bool) { return 0, false }

func (r *scalarResolver) scalar(e ir.Expr) (int, error) {
	s, err := r.ev.scalarSlot(e, r.ent)
	if err == nil {
		r.used = append(r.used, s)
	}
	return s, err
}

// scalarSlot returns the slot of a scalar leaf, compiling subqueries on first sight.
func (ev *Evaluator) scalarSlot(e ir.Expr, ent *entityCtx) (int, error) {
	switch e := e.(type) {
	case *ir.ParamRef:
		i, ok := ev.slotIndex["param:"+e.Name]
		if !ok {
			return 0, fmt.Errorf("param %s is not in the program", e.Name)
		}
		return i, nil
	case *ir.LetRef:
		i, ok := ev.slotIndex["let:"+e.Name]
		if !ok {
			return 0, fmt.Errorf("let %s is not in the program", e.Name)
		}
		return i, nil
	case *ir.Outer:
		if ent == nil {
			return 0, fmt.Errorf("%s is used outside entity features", e.Name)
		}
		return ev.slot(ent.key+":outer:"+e.Name, &slotInfo{kind: slotOuter, correlated: true}), nil
	case *ir.LocalRef:
		if ent == nil {
			return 0, fmt.Errorf("%s is used outside entity features", e.Name)
		}
		return ev.slot(ent.key+":local:"+e.Name, &slotInfo{kind: slotLocal, correlated: true}), nil
	case *ir.Subquery:
		key := fmt.Sprintf("subquery:%p", e)
		if i, ok := ev.slotIndex[key]; ok {
			return i, nil
		}
		info := &slotInfo{kind: slotSubquery, correlated: ent != nil && relIsCorrelated(e.Rel)}
		i := ev.slot(key, info)
		rel, err := ev.compileRel(e.Rel, ent)
		if err != nil {
			return 0, err
		}
		info.rel = rel
		return i, nil
	}
	return 0, fmt.Errorf("%T is not a scalar", e)
}

// relIsCorrelated reports whether a relation reads the current spine row (Outer values, local
// frames or local features of entity features).
func relIsCorrelated(r ir.Rel) bool {
	found := false
	var walk func(ir.Rel)
	check := func(e ir.Expr) {
		ir.WalkExpr(e, func(x ir.Expr) bool {
			switch x := x.(type) {
			case *ir.Outer, *ir.LocalRef:
				found = true
			case *ir.Subquery:
				walk(x.Rel)
			}
			return !found
		})
	}
	walk = func(r ir.Rel) {
		if found {
			return
		}
		if _, ok := r.(*ir.LocalFrame); ok {
			found = true
			return
		}
		relExprs(r, check)
		for _, in := range r.Inputs() {
			walk(in)
		}
	}
	walk(r)
	return found
}

// relExprs calls fn for each expression a relation holds directly.
func relExprs(r ir.Rel, fn func(ir.Expr)) {
	switch r := r.(type) {
	case *ir.Filter:
		fn(r.Pred)
	case *ir.Project:
		for _, c := range r.Cols {
			fn(c.Expr)
		}
	case *ir.Aggregate:
		for _, c := range r.Keys {
			fn(c.Expr)
		}
		for _, c := range r.Aggs {
			fn(c.Expr)
		}
	case *ir.Sort:
		for _, k := range r.Keys {
			fn(k.Expr)
		}
	}
}

// ---- Runs ----

// runState is one run's buffers: the bound inputs, the definitions computed so far, the scalar
// values, each operator's scratch space and the arena of computed strings. States are pooled
// and reused, which is what makes steady-state runs allocation-free.
type runState struct {
	ctx     context.Context
	ev      *Evaluator
	inputs  []*Table // by input slot
	defDone []bool
	defTabs []*Table
	scalars []*Vec
	valid   []bool
	owned   []Vec
	scratch []any
	arena   arena
	k       kctx
	locals  map[string]*Table
	bound   []bound // by input slot
	// owner is the Result of the current run, until it is released.
	owner *Result
	// run numbers the runs of this state, for scratch built once per run (key indexes).
	run uint64
}

func (ev *Evaluator) newState() *runState {
	rs := &runState{ev: ev, inputs: make([]*Table, len(ev.inputSlots)), bound: make([]bound, len(ev.inputSlots)), defDone: make([]bool, len(ev.defList)),
		defTabs: make([]*Table, len(ev.defList)), scalars: make([]*Vec, len(ev.slots)),
		valid: make([]bool, len(ev.slots)), owned: make([]Vec, len(ev.slots)), scratch: make([]any, ev.nOps),
		locals: map[string]*Table{}}
	rs.k.arena = &rs.arena
	return rs
}

func (rs *runState) reset() {
	clear(rs.inputs)
	clear(rs.defDone)
	clear(rs.defTabs)
	clear(rs.valid)
	clear(rs.locals)
	rs.arena.reset()
	rs.ctx = nil
}

// Result holds the tables a run computed. Its vectors live in buffers that the evaluator
// reuses: read them, or convert them to Arrow with Record, before calling Release.
//
// A Result used after Release is detected, never read: Table returns nil, and Record and
// Scalar return ErrReleased (the run's state may already serve another request). Tables taken
// before Release must not be read after it; builds with the featc_poison tag (the tests')
// overwrite every released buffer so that such a read shows.
type Result struct {
	ev       *Evaluator
	rs       *runState
	run      uint64
	warnings []*ir.ExpectFailure
}

// ErrReleased is returned by a Result used after its Release.
var ErrReleased = errors.New("eval: result used after Release")

// live reports whether the result's run state is still its own.
func (r *Result) live() bool { return r != nil && r.rs != nil && r.rs.owner == r && r.rs.run == r.run }

// Run computes the evaluator's outputs over inputs and params. It checks every input against
// its declared schema and every param against its type first. A Result must be released.
func (ev *Evaluator) Run(ctx context.Context, inputs Inputs, params Params) (*Result, error) {
	ev, err := ev.forSpines(inputs)
	if err != nil {
		return nil, err
	}
	rs := ev.pool.Get().(*runState)
	rs.ctx = ctx
	rs.run++
	if err := ev.bind(rs, inputs, params); err != nil {
		ev.release(rs)
		return nil, err
	}
	for _, name := range ev.outputs {
		d := ev.defs[name]
		if d == nil {
			continue // a let
		}
		if _, err := rs.def(d); err != nil {
			ev.release(rs)
			return nil, err
		}
	}
	for _, i := range ev.letOutputs {
		if _, err := rs.scalar(i); err != nil {
			ev.release(rs)
			return nil, err
		}
	}
	var warnings []*ir.ExpectFailure
	if len(ev.checks) > 0 {
		var err error
		if warnings, err = ev.runChecks(ctx, rs, params); err != nil {
			ev.release(rs)
			return nil, err
		}
	}
	res := &Result{ev: ev, rs: rs, run: rs.run, warnings: warnings}
	rs.owner = res
	return res, nil
}

func (ev *Evaluator) release(rs *runState) {
	rs.reset()
	ev.pool.Put(rs)
}

// Release returns the result's buffers to the evaluator; the result must not be used after.
func (r *Result) Release() {
	if !r.live() {
		return // released already
	}
	rs := r.rs
	r.rs = nil
	rs.owner = nil
	if poisonReleased {
		// Poisoned and never reused: a table kept past Release shows poison for good.
		rs.poison()
		return
	}
	r.ev.release(rs)
}

// Table returns an output's rows (nil for an unknown output).
func (r *Result) Table(name string) *Table {
	if !r.live() {
		return nil
	}
	d := r.ev.defs[name]
	if d == nil || !r.rs.defDone[d.index] {
		return nil
	}
	t := r.rs.defTabs[d.index]
	if idx := r.ev.prog.OutputIndexes(name); idx != nil {
		// An output asked for by columns that other outputs read: the columns asked.
		cut := &Table{N: t.N, Cols: make([]*Vec, len(idx))}
		for i, j := range idx {
			cut.Cols[i] = t.Cols[j]
		}
		return cut
	}
	return t
}

// Schema returns an output's schema.
func (r *Result) Schema(name string) ir.Schema {
	if d := r.ev.defs[name]; d != nil {
		return r.ev.prog.OutputSchema(name)
	}
	return nil
}

// Scalar returns the value of a let, computing it if the run has not yet needed it. ok is false
// when the program has no such let.
func (r *Result) Scalar(name string) (v types.Value, ok bool, err error) {
	i, ok := r.ev.slotIndex["let:"+name]
	if !ok {
		return types.Value{}, false, nil
	}
	if !r.live() {
		return types.Value{}, true, ErrReleased
	}
	vec, err := r.rs.scalar(i)
	if err != nil {
		return types.Value{}, true, err
	}
	return vec.Value(0), true, nil
}

// Record returns an output as an Arrow record allocated with the evaluator's allocator; the
// caller releases it. It stays valid after the Result is released.
func (r *Result) Record(name string) (arrow.RecordBatch, error) {
	if !r.live() {
		return nil, ErrReleased
	}
	t := r.Table(name)
	if t == nil {
		return nil, fmt.Errorf("no output named %s", name)
	}
	return toRecord(r.ev.mem, t, r.Schema(name)), nil
}

// bind checks and converts the inputs and params.
func (ev *Evaluator) bind(rs *runState, inputs Inputs, params Params) error {
	for _, src := range ev.sources {
		rec, ok := inputs[src]
		if !ok {
			return &BindError{Source: src, Msg: "no data bound: pass it in eval.Inputs"}
		}
		i := ev.inputSlots[src]
		t, err := rs.bound[i].bindRead(rec, ev.prog.Def(src).Schema, src, ev.read[src])
		if err != nil {
			return err
		}
		rs.inputs[i] = t
	}
	for _, name := range ev.spines {
		d := ev.defs[name]
		if d == nil {
			continue
		}
		rec, ok := inputs[name]
		if !ok {
			apply := d.def.Rel.(*ir.EntityApply)
			return &BindError{Source: name, Msg: fmt.Sprintf("no spine bound: pass the rows to compute %s for, with columns %s, as eval.Inputs{%q: …}",
				name, strings.Join(apply.Spine.Schema().Names(), ", "), name)}
		}
		apply := d.def.Rel.(*ir.EntityApply)
		i := ev.inputSlots["spine:"+name]
		t, err := rs.bound[i].bind(rec, apply.Spine.Schema(), name)
		if err != nil {
			return err
		}
		rs.inputs[i] = t
	}
	found := 0
	for pi, p := range ev.params {
		i := ev.paramSlots[pi]
		raw, ok := params[p.Name]
		if ok {
			found++
		}
		var v types.Value
		switch {
		case !ok && p.Default != nil:
			v = *p.Default
		case !ok:
			return fmt.Errorf("param %s (%s) has no value: pass it in eval.Params", p.Name, p.Type)
		default:
			var err error
			v, err = ToValue(raw, p.Type)
			if err != nil {
				return fmt.Errorf("param %s: %w", p.Name, err)
			}
			// Refused as the SQL engines refuse it (sqlgen), so that no engine computes what
			// another cannot.
			if !v.Null && v.Type.Kind == types.String && strings.IndexByte(v.S, 0) >= 0 {
				return fmt.Errorf("param %s: the text holds a NUL character (U+0000), which no SQL engine stores in a string", p.Name)
			}
		}
		rs.setScalar(i, v)
	}
	if found == len(params) {
		return nil
	}
	var unknown []string
	for name := range params {
		if _, ok := ev.declared[name]; !ok {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) == 0 {
		return nil // params of the program that the requested outputs do not need
	}
	sort.Strings(unknown)
	return fmt.Errorf("unknown param %s: the program declares %s", strings.Join(unknown, ", "), declaredList(ev.declared))
}

func declaredList(m map[string]bool) string {
	var names []string
	for n, isParam := range m {
		if isParam {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return "no params"
	}
	sort.Strings(names)
	return "params " + strings.Join(names, ", ")
}

// binder returns the reusable binding of a named input.
// inputSlot returns the number of an input (a source, or "spine:NAME"), numbering it at its
// first use.
func (ev *Evaluator) inputSlot(name string) int {
	if ev.inputSlots == nil {
		ev.inputSlots = map[string]int{}
	}
	i, ok := ev.inputSlots[name]
	if !ok {
		i = len(ev.inputSlots)
		ev.inputSlots[name] = i
	}
	return i
}

// setScalar stores a constant in a slot's own vector.
func (rs *runState) setScalar(i int, v types.Value) {
	setConst(&rs.owned[i], v)
	rs.scalars[i] = &rs.owned[i]
	rs.valid[i] = true
}

// ToValue converts a Go value to a featc constant of type t.
func ToValue(x any, t types.Type) (types.Value, error) {
	if v, ok := x.(types.Value); ok {
		if v.Type != t && !v.Null {
			return types.Value{}, fmt.Errorf("has type %s, not %s", v.Type, t)
		}
		v.Type = t
		return v, nil
	}
	if x == nil {
		return types.NullValue(t), nil
	}
	switch t.Kind {
	case types.Bool:
		if b, ok := x.(bool); ok {
			return types.BoolValue(b), nil
		}
	case types.Int32, types.Int64:
		switch n := x.(type) {
		case int:
			return types.Value{Type: t, I: int64(n)}, nil
		case int32:
			return types.Value{Type: t, I: int64(n)}, nil
		case int64:
			return types.Value{Type: t, I: n}, nil
		}
	case types.Float64:
		switch f := x.(type) {
		case float64:
			return types.Float64Value(f), nil
		case float32:
			return types.Float64Value(float64(f)), nil
		case int:
			return types.Float64Value(float64(f)), nil
		}
	case types.String:
		if s, ok := x.(string); ok {
			return types.StringValue(s), nil
		}
	case types.Date:
		if tm, ok := x.(time.Time); ok {
			y, m, d := tm.UTC().Date()
			return types.DateValue(daysOf(int64(y), int64(m), int64(d))), nil
		}
	case types.Timestamp:
		if tm, ok := x.(time.Time); ok {
			return types.TimestampValue(tm.UnixMicro()), nil
		}
	case types.Duration:
		if d, ok := x.(time.Duration); ok {
			return types.DurationValue(d.Microseconds()), nil
		}
	case types.Decimal:
		if s, ok := x.(string); ok {
			d, ok := parseDec(s, int(t.Scale), int(t.Precision))
			if !ok {
				return types.Value{}, fmt.Errorf("%q is not a %s", s, t)
			}
			return types.DecimalValue(d.BigInt(), t), nil
		}
	}
	return types.Value{}, fmt.Errorf("a %T cannot be a %s", x, t)
}

// def computes a definition once per run.
func (rs *runState) def(d *defOp) (*Table, error) {
	if rs.defDone[d.index] {
		return rs.defTabs[d.index], nil
	}
	if err := rs.ctx.Err(); err != nil {
		return nil, err
	}
	t, err := d.rel.run(rs)
	if err != nil {
		return nil, err
	}
	rs.defTabs[d.index], rs.defDone[d.index] = t, true
	return t, nil
}

// scalar returns a slot's value, computing lets and subqueries on first use.
func (rs *runState) scalar(i int) (*Vec, error) {
	if rs.valid[i] {
		return rs.scalars[i], nil
	}
	info := rs.ev.slots[i]
	switch info.kind {
	case slotLet:
		if err := rs.ensure(info.deps); err != nil {
			return nil, err
		}
		st := info.prog.newState()
		v, err := info.prog.eval(st, &rs.k, nil, rs.scalars, 1)
		if err != nil {
			return nil, err
		}
		rs.setScalar(i, v.Value(0))
	case slotSubquery:
		t, err := info.rel.run(rs)
		if err != nil {
			return nil, err
		}
		var v types.Value
		if t.N == 0 {
			v = types.NullValue(t.Cols[0].T)
		} else {
			v = t.Cols[0].Value(0)
		}
		rs.setScalar(i, v)
	default:
		return nil, fmt.Errorf("internal error: scalar slot %d has no value", i)
	}
	return rs.scalars[i], nil
}

// ensure computes the given slots.
func (rs *runState) ensure(slots []int) error {
	for _, s := range slots {
		if _, err := rs.scalar(s); err != nil {
			return err
		}
	}
	return nil
}
