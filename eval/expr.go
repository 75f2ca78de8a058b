package eval

import (
	"fmt"

	"github.com/featc/featc/ir"
	"github.com/featc/featc/ir/types"
	"github.com/featc/featc/lang"
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
	k     kernel
	args  []int
	out   int
	typ   types.Type
	where lang.Span
}

type exprProg struct {
	leaves []leaf
	steps  []step
	nregs  int
	result int
	typ    types.Type
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
}

func (c *compiler) compile(e ir.Expr, r resolver) (*exprProg, error) {
	p := &exprProg{typ: e.Type()}
	// Leaves first, so that registers [0, len(leaves)) are the leaves.
	leafReg := map[ir.Expr]int{}
	var collect func(ir.Expr) error
	collect = func(e ir.Expr) error {
		if _, seen := leafReg[e]; seen {
			return nil
		}
		if l, ok, err := c.leafOf(e, r); err != nil {
			return err
		} else if ok {
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
	if err := collect(e); err != nil {
		return nil, err
	}
	p.nregs = len(p.leaves)
	res, err := c.emit(p, e, r, leafReg)
	if err != nil {
		return nil, err
	}
	p.result = res
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

func (c *compiler) emit(p *exprProg, e ir.Expr, r resolver, leafReg map[ir.Expr]int) (int, error) {
	if reg, ok := leafReg[e]; ok {
		return reg, nil
	}
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
		reg, err := c.emit(p, ch, r, leafReg)
		if err != nil {
			return 0, err
		}
		args[i] = reg
	}
	out := p.nregs
	p.nregs++
	p.steps = append(p.steps, step{k: k, args: args, out: out, typ: e.Type(), where: e.Span()})
	return out, nil
}

// exprState is the registers of one program during a run.
type exprState struct {
	regs  []*Vec
	owned []Vec
	args  []*Vec
}

func (p *exprProg) newState() *exprState {
	s := &exprState{regs: make([]*Vec, p.nregs), owned: make([]Vec, p.nregs)}
	for i := len(p.leaves); i < p.nregs; i++ {
		s.regs[i] = &s.owned[i]
	}
	maxArgs := 0
	for _, st := range p.steps {
		maxArgs = max(maxArgs, len(st.args))
	}
	s.args = make([]*Vec, maxArgs)
	return s
}

// eval evaluates the program over n rows of cols (columns already cut to the chunk) and the
// run's scalars; the result is a register, valid until the next evaluation of this state.
func (p *exprProg) eval(s *exprState, k *kctx, cols []*Vec, scalars []*Vec, n int) (*Vec, error) {
	for i, l := range p.leaves {
		switch l.kind {
		case leafColumn:
			s.regs[i] = cols[l.index]
		case leafScalar:
			s.regs[i] = scalars[l.index]
		case leafConst:
			s.regs[i] = l.vec
		}
	}
	for si := range p.steps {
		st := &p.steps[si]
		args := s.args[:len(st.args)]
		allConst := true
		for j, a := range st.args {
			args[j] = s.regs[a]
			allConst = allConst && args[j].Const
		}
		out := s.regs[st.out]
		out.T = st.typ
		k.n = n
		if allConst {
			k.n = 1
		}
		if err := st.k(k, out, args); err != nil {
			if re, ok := err.(*RuntimeError); ok && re.Where == "" && st.where.IsValid() {
				re.Where = st.where.String()
			}
			return nil, err
		}
		out.Const = allConst
		if allConst {
			out.N = 1
		}
	}
	return s.regs[p.result], nil
}
