package eval

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/featc/featc/ir"
	"github.com/featc/featc/lang"
	"github.com/featc/featc/types"
)

// An expression is compiled once into a program: a list of steps over numbered registers, each
// step a kernel resolved by overload ID. Registers below nLeaves are the expression's leaves
// (input columns, scalars, constants), set before each evaluation; the others belong to the run
// and are reused from one evaluation to the next, so that evaluating allocates nothing in steady
// state.

// leafKind says where a leaf's value comes from.
type leafKind uint8

const (
	leafColumn leafKind = iota // a column of the operator's input (by index)
	leafScalar                 // a per-run scalar: a param, let, subquery, entity value (by slot)
	leafConst                  // a constant known when compiling
)

type leaf struct {
	kind  leafKind
	index int
	vec   *Vec
}

type step struct {
	k    kernel
	args []int
	out  int
	typ  types.Type
	// allConst is set when every argument is a constant or a scalar (or computed from them
	// only): the step then computes one value standing for every row.
	allConst bool
	// skip is set on a step fused into the step that reads it (fuse.go): the vector path
	// leaves it out.
	skip  bool
	arith byte // the operator of a float + - * (fuse.go), else 0
	where lang.Span
}

type exprProg struct {
	leaves  []leaf
	steps   []step
	nregs   int
	result  int
	results []int
	typ     types.Type
	// row is the program's single-row form (row.go): an instruction per step.
	row        []rowInstr
	rowArgs    []int32
	rowLoads   []int // the leaves read at each evaluation (columns and scalars)
	rowResults []rowResult
	// constRegs caches isConst once the program is complete.
	constRegs []bool
	// stepOf gives the step computing each register above the leaves (looked up for every
	// argument of every step while the program is built: a scan of the steps made building
	// a sum of n terms take time n²).
	stepOf map[int]int
}

// resolver maps the leaves of an expression to their sources; the relational operator that
// owns the expression provides it.
type resolver interface {
	// column returns the input column index of a column reference, group key, aggregate or
	// window node, or false.
	column(e ir.Expr) (int, bool)
	// scalar returns the scalar slot of a param, let, entity value, local feature or subquery.
	scalar(e ir.Expr) (int, error)
}

// compiler builds expression programs with the evaluator's kernel table.
type compiler struct {
	kernels map[string]kernel
	row     map[string]rowMaker
}

func (c *compiler) compile(e ir.Expr, r resolver) (*exprProg, error) {
	return c.compileMany([]ir.Expr{e}, r)
}

// compileMany compiles several expressions over one input into one program whose results are
// p.results: the expressions share leaves (each input column and scalar is read once) and
// common subexpressions (computed once), and their registers sit together in memory.
func (c *compiler) compileMany(exprs []ir.Expr, r resolver) (*exprProg, error) {
	p := &exprProg{typ: exprs[0].Type()}
	// Leaves first, so that registers [0, len(leaves)) are the leaves.
	leafReg := map[ir.Expr]int{}
	leafByKey := map[string]int{}
	var collect func(ir.Expr) error
	visited := map[ir.Expr]bool{}
	collect = func(e ir.Expr) error {
		if visited[e] {
			return nil
		}
		visited[e] = true
		if l, ok, err := c.leafOf(e, r); err != nil {
			return err
		} else if ok {
			key := ""
			switch l.kind {
			case leafColumn:
				key = fmt.Sprintf("col:%d", l.index)
			case leafScalar:
				key = fmt.Sprintf("scalar:%d", l.index)
			case leafConst:
				key = "const:" + e.Type().String() + ":" + ir.ExprString(e)
			}
			if reg, dup := leafByKey[key]; dup {
				leafReg[e] = reg
				return nil
			}
			leafByKey[key] = len(p.leaves)
			leafReg[e] = len(p.leaves)
			p.leaves = append(p.leaves, l)
			return nil
		}
		for _, ch := range ir.Children(e) {
			if err := collect(ch); err != nil {
				return err
			}
		}
		return nil
	}
	for _, e := range exprs {
		if err := collect(e); err != nil {
			return nil, err
		}
	}
	p.nregs = len(p.leaves)
	cse := &cseTable{byExpr: map[ir.Expr]int{}, byKey: map[string]int{}}
	for _, e := range exprs {
		res, err := c.emit(p, e, r, leafReg, cse)
		if err != nil {
			return nil, err
		}
		p.results = append(p.results, res)
	}
	p.result = p.results[0]
	if !disableFusion {
		p.fuseFloatArith()
	}
	constRegs := make([]bool, p.nregs)
	for r := range constRegs {
		constRegs[r] = p.isConst(r)
	}
	p.constRegs = constRegs
	for i, l := range p.leaves {
		if l.kind != leafConst {
			p.rowLoads = append(p.rowLoads, i)
		}
	}
	for _, res := range p.results {
		if res < len(p.leaves) || slices.ContainsFunc(p.rowResults, func(r rowResult) bool { return r.reg == res }) {
			continue
		}
		p.rowResults = append(p.rowResults, rowResult{reg: res, allConst: p.isConst(res)})
	}
	return p, nil
}

// leafOf says whether e is a leaf, and where its value comes from.
func (c *compiler) leafOf(e ir.Expr, r resolver) (leaf, bool, error) {
	if idx, ok := r.column(e); ok {
		return leaf{kind: leafColumn, index: idx}, true, nil
	}
	switch e := e.(type) {
	case *ir.Lit:
		return leaf{kind: leafConst, vec: constVec(e.Value)}, true, nil
	case *ir.ParamRef, *ir.LetRef, *ir.Outer, *ir.LocalRef, *ir.Subquery:
		slot, err := r.scalar(e)
		if err != nil {
			return leaf{}, false, err
		}
		return leaf{kind: leafScalar, index: slot}, true, nil
	case *ir.Col:
		return leaf{}, false, fmt.Errorf("column %s is not in the input", e.Name)
	case *ir.GroupKey, *ir.Agg, *ir.Window:
		return leaf{}, false, fmt.Errorf("%s has no value here", ir.ExprString(e))
	}
	return leaf{}, false, nil
}

// cseTable finds computations a program already has: by expression node, and by value
// number (the operation and the registers of its arguments), so that equal subexpressions
// written apart, or substituted into several places, are computed once. Keys never hold the
// text of a whole expression, whose size can grow exponentially with shared subexpressions.
type cseTable struct {
	byExpr map[ir.Expr]int
	byKey  map[string]int
}

func (c *compiler) emit(p *exprProg, e ir.Expr, r resolver, leafReg map[ir.Expr]int, cse *cseTable) (int, error) {
	if reg, ok := leafReg[e]; ok {
		return reg, nil
	}
	if reg, ok := cse.byExpr[e]; ok {
		return reg, nil
	}
	reg, err := c.emitNew(p, e, r, leafReg, cse)
	if err == nil {
		cse.byExpr[e] = reg
	}
	return reg, err
}

func (c *compiler) emitNew(p *exprProg, e ir.Expr, r resolver, leafReg map[ir.Expr]int, cse *cseTable) (int, error) {
	var k kernel
	var children []ir.Expr
	switch e := e.(type) {
	case *ir.Call:
		k = c.kernels[e.Overload.ID]
		if k == nil {
			return 0, fmt.Errorf("no kernel for %s", e.Overload.ID)
		}
		children = e.Args
	case *ir.Cast:
		ck, err := castKernel(e.X.Type(), e.To)
		if err != nil {
			return 0, err
		}
		k = ck
		children = []ir.Expr{e.X}
	default:
		return 0, fmt.Errorf("cannot evaluate %T here", e)
	}
	args := make([]int, len(children))
	for i, ch := range children {
		reg, err := c.emit(p, ch, r, leafReg, cse)
		if err != nil {
			return 0, err
		}
		args[i] = reg
	}
	var key strings.Builder
	key.WriteString(opName(e))
	for _, a := range args {
		key.WriteByte(',')
		key.WriteString(strconv.Itoa(a))
	}
	if reg, ok := cse.byKey[key.String()]; ok {
		return reg, nil
	}
	out := p.nregs
	p.nregs++
	allConst := true
	for _, a := range args {
		allConst = allConst && p.isConst(a)
	}
	st := step{k: k, args: args, out: out, typ: e.Type(), allConst: allConst, where: e.Span()}
	if call, ok := e.(*ir.Call); ok {
		st.arith = floatArith[call.Overload.ID]
	}
	p.steps = append(p.steps, st)
	if p.stepOf == nil {
		p.stepOf = map[int]int{}
	}
	p.stepOf[out] = len(p.steps) - 1
	p.row = append(p.row, c.rowStep(p, e, len(p.steps)-1))
	cse.byKey[key.String()] = out
	return out, nil
}

// opName names the operation of a call or cast, with its result type.
func opName(e ir.Expr) string {
	switch e := e.(type) {
	case *ir.Call:
		return e.Overload.ID + ":" + e.T.String()
	case *ir.Cast:
		return "cast:" + e.X.Type().String() + ":" + e.To.String()
	}
	return fmt.Sprintf("%T", e)
}

// isConst reports whether register r holds one value for every row: a constant or scalar
// leaf, or a step computed from such only.
func (p *exprProg) isConst(r int) bool {
	if p.constRegs != nil {
		return p.constRegs[r]
	}
	if r < len(p.leaves) {
		return p.leaves[r].kind != leafColumn
	}
	if i, ok := p.stepOf[r]; ok {
		return p.steps[i].allConst
	}
	return false
}

// exprState is the registers of one program during a run.
type exprState struct {
	regs  []*Vec
	owned []Vec
	// args holds every step's argument vectors in one array (step i's at argOff[i]): computed
	// registers are filled once, leaves at each evaluation through leafUses.
	args     []*Vec
	argOff   []int
	leafUses [][]int32
	// stepArgs[i] is step i's arguments: its window of args.
	stepArgs [][]*Vec
	// rr is the state of the row program (row.go), made at its first use.
	rr rowRun
}

func (p *exprProg) newState() *exprState {
	s := &exprState{regs: make([]*Vec, p.nregs), owned: make([]Vec, p.nregs), argOff: make([]int, len(p.steps)+1),
		leafUses: make([][]int32, len(p.leaves))}
	for i := len(p.leaves); i < p.nregs; i++ {
		s.regs[i] = &s.owned[i]
	}
	for i, st := range p.steps {
		s.argOff[i+1] = s.argOff[i] + len(st.args)
	}
	s.args = make([]*Vec, s.argOff[len(p.steps)])
	s.stepArgs = make([][]*Vec, len(p.steps))
	for i := range p.steps {
		s.stepArgs[i] = s.args[s.argOff[i]:s.argOff[i+1]:s.argOff[i+1]]
	}
	for i, st := range p.steps {
		s.owned[st.out].T = st.typ
		for j, a := range st.args {
			pos := s.argOff[i] + j
			if a < len(p.leaves) {
				s.leafUses[a] = append(s.leafUses[a], int32(pos))
			} else {
				s.args[pos] = &s.owned[a]
			}
		}
	}
	return s
}

// eval evaluates the program over n rows of cols (columns already cut to the chunk) and the
// run's scalars; the result is a register, valid until the next evaluation of this state.
func (p *exprProg) eval(s *exprState, k *kctx, cols []*Vec, scalars []*Vec, n int) (*Vec, error) {
	for i, l := range p.leaves {
		var v *Vec
		switch l.kind {
		case leafColumn:
			v = cols[l.index]
		case leafScalar:
			v = scalars[l.index]
		default:
			v = l.vec
		}
		if s.regs[i] == v {
			continue // the same vector as at the last evaluation: its uses already point at it
		}
		s.regs[i] = v
		for _, u := range s.leafUses[i] {
			s.args[u] = v
		}
	}
	if n == 1 && !disableRowPath && p.runRow(s, k) {
		return s.regs[p.result], nil
	}
	stepArgs := s.stepArgs[:len(p.steps)]
	for si := range p.steps {
		st := &p.steps[si]
		if st.skip {
			continue
		}
		args := stepArgs[si]
		out := &s.owned[st.out]
		out.T = st.typ
		k.n = n
		if st.allConst {
			k.n = 1
		}
		if err := st.k(k, out, args); err != nil {
			if re, ok := err.(*RuntimeError); ok && re.Where == "" && st.where.IsValid() {
				re.Where = st.where.String()
			}
			return nil, err
		}
		out.Const = st.allConst
		if st.allConst {
			out.N = 1
		}
	}
	return s.regs[p.result], nil
}
