package eval

import (
	"cmp"
	"github.com/featc/featc/stdlib"
	"math"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/featc/featc/ir"
	"github.com/featc/featc/types"
)

// Single-row evaluation. A service evaluates its features over one entity's row, where the
// per-call overhead of a vector kernel (sizing its output, merging null flags, choosing a loop)
// costs more than the operation itself. For one row, an expression program runs as a row
// program instead: its registers are compact slots in one array, and its steps are
// instructions in one array, run by one loop over a switch (no call per step, no pointer
// chasing). The common operations have instructions that handle nulls themselves; every other
// operation runs its vector kernel on one row (opAdapter), so every program has a row form.
// An instruction declines (the run returns false) where only the vector kernel can decide, an
// overflow: the program then runs on the vector path, which reports it with its position.
// TestRowKernelsAgreeWithVectorKernels checks each instruction against its vector kernel over
// edge values, TestRowPathAgreesWithVectorPath every overload and cast both ways.

// slot is one register's value for one row: the field of its type's storage, and whether it is
// null (the value fields of a null slot are unspecified).
type slot struct {
	i    int64 // ints, dates, timestamps, durations, intervals
	f    float64
	s    string
	d    decimal128.Num
	b    bool
	null bool
}

// rowRun is the state of a row program in one exprState.
type rowRun struct {
	r []slot
}

type rowOp uint8

const (
	opAdapter rowOp = iota // the vector kernel of step k on one row
	opAddF
	opSubF
	opMulF
	opDivF
	opNegF
	opAbsF
	opAddI // checked: an overflow declines
	opSubI
	opMulI
	opNegI
	opAbsI
	opDivByI // x / k, truncating (dt.days() and the like)
	opCastIF
	opCmpI // cmp says which comparison
	opCmpF
	opCmpS
	opAnd
	opOr
	opNot
	opIsNull
	opIsNotNull
	opCase  // when/then/otherwise over rowArgs[x:y]
	opFirst // coalesce, fill_null over rowArgs[x:y]
	opBetweenI
	opBetweenF
	opStartsWith
	opEndsWith
	opContains
)

// rowInstr is one step of a row program: its operation, argument registers x, y, z, w, output
// register o, and a constant k.
type rowInstr struct {
	op         rowOp
	cmp        cmpOp
	x, y, z, w int32
	o          int32
	k          int64
}

// rowMaker builds the instruction of a step over its argument and output registers.
type rowMaker func(p *exprProg, args []int, out int) rowInstr

// rowResult is a computed register read after the program: it is written back to its vector.
type rowResult struct {
	reg      int
	allConst bool
}

// runRow evaluates the program for one row; false when an instruction declined (nothing is
// reported: the caller runs the vector path).
func (p *exprProg) runRow(s *exprState, k *kctx) bool {
	r := s.rr.r
	if r == nil {
		r = make([]slot, p.nregs)
		s.rr.r = r
		for i, l := range p.leaves {
			if l.kind == leafConst { // constants are loaded once
				loadSlot(&r[i], l.vec)
			}
		}
	}
	for _, i := range p.rowLoads {
		loadSlot(&r[i], s.regs[i])
	}
	if !p.execRow(r, s, k) {
		return false
	}
	for _, res := range p.rowResults {
		v := &s.owned[res.reg]
		storeSlot(v, &r[res.reg])
		v.Const = res.allConst
	}
	return true
}

// execRow runs the instructions over the slots.
func (p *exprProg) execRow(r []slot, s *exprState, k *kctx) bool {
	for pc := range p.row {
		in := &p.row[pc]
		o := &r[in.o]
		switch in.op {
		case opAdapter:
			if !p.adapt(r, s, k, int(in.k)) {
				return false
			}
		case opAddF:
			a, b := &r[in.x], &r[in.y]
			o.null, o.f = a.null || b.null, a.f+b.f
		case opSubF:
			a, b := &r[in.x], &r[in.y]
			o.null, o.f = a.null || b.null, a.f-b.f
		case opMulF:
			a, b := &r[in.x], &r[in.y]
			o.null, o.f = a.null || b.null, a.f*b.f
		case opDivF:
			a, b := &r[in.x], &r[in.y]
			o.null, o.f = a.null || b.null, divIEEE(a.f, b.f)
		case opNegF:
			o.null, o.f = r[in.x].null, -r[in.x].f
		case opAbsF:
			o.null, o.f = r[in.x].null, math.Abs(r[in.x].f)
		case opAddI, opSubI, opMulI:
			a, b := &r[in.x], &r[in.y]
			if a.null || b.null {
				o.null = true
				continue
			}
			var v int64
			var overflow bool
			switch in.op {
			case opAddI:
				v, overflow = addInt(a.i, b.i)
			case opSubI:
				v, overflow = subInt(a.i, b.i)
			default:
				v, overflow = mulInt(a.i, b.i)
			}
			if overflow {
				return false
			}
			o.null, o.i = false, v
		case opNegI, opAbsI:
			a := &r[in.x]
			if a.null {
				o.null = true
				continue
			}
			if a.i == math.MinInt64 {
				return false // overflows
			}
			v := a.i
			if in.op == opNegI || v < 0 {
				v = -v
			}
			o.null, o.i = false, v
		case opDivByI:
			o.null, o.i = r[in.x].null, r[in.x].i/in.k
		case opCastIF:
			o.null, o.f = r[in.x].null, float64(r[in.x].i)
		case opCmpI:
			a, b := &r[in.x], &r[in.y]
			o.null, o.b = a.null || b.null, in.cmp.test(cmp.Compare(a.i, b.i))
		case opCmpF:
			a, b := &r[in.x], &r[in.y]
			o.null, o.b = a.null || b.null, in.cmp.test(cmpFloat(a.f, b.f))
		case opCmpS:
			a, b := &r[in.x], &r[in.y]
			o.null, o.b = a.null || b.null, in.cmp.test(strings.Compare(a.s, b.s))
		case opAnd: // three-valued logic
			a, b := &r[in.x], &r[in.y]
			switch {
			case (!a.null && !a.b) || (!b.null && !b.b):
				o.null, o.b = false, false
			case a.null || b.null:
				o.null = true
			default:
				o.null, o.b = false, true
			}
		case opOr:
			a, b := &r[in.x], &r[in.y]
			switch {
			case (!a.null && a.b) || (!b.null && b.b):
				o.null, o.b = false, true
			case a.null || b.null:
				o.null = true
			default:
				o.null, o.b = false, false
			}
		case opNot:
			o.null, o.b = r[in.x].null, !r[in.x].b
		case opIsNull:
			o.null, o.b = false, r[in.x].null
		case opIsNotNull:
			o.null, o.b = false, !r[in.x].null
		case opCase:
			// The value of the first true condition (a null condition is not true), else the
			// otherwise value (the last argument).
			args := p.rowArgs[in.x:in.y]
			chosen := args[len(args)-1]
			for i := 0; i+1 < len(args); i += 2 {
				if c := &r[args[i]]; !c.null && c.b {
					chosen = args[i+1]
					break
				}
			}
			*o = r[chosen]
		case opFirst:
			o.null = true
			for _, a := range p.rowArgs[in.x:in.y] {
				if !r[a].null {
					*o = r[a]
					break
				}
			}
		case opBetweenI, opBetweenF:
			// Null when the value or a bound is null; w is the closed option.
			x, lo, hi := &r[in.x], &r[in.y], &r[in.z]
			if x.null || lo.null || hi.null {
				o.null = true
				continue
			}
			var c1, c2 int
			if in.op == opBetweenF {
				c1, c2 = cmpFloat(x.f, lo.f), cmpFloat(x.f, hi.f)
			} else {
				c1, c2 = cmp.Compare(x.i, lo.i), cmp.Compare(x.i, hi.i)
			}
			md := r[in.w].s
			o.null = false
			o.b = (c1 > 0 || (c1 == 0 && (md == "both" || md == "left"))) &&
				(c2 < 0 || (c2 == 0 && (md == "both" || md == "right")))
		case opStartsWith, opEndsWith, opContains:
			a, b := &r[in.x], &r[in.y]
			o.null = a.null || b.null
			if o.null {
				continue
			}
			switch in.op {
			case opStartsWith:
				o.b = strings.HasPrefix(a.s, b.s)
			case opEndsWith:
				o.b = strings.HasSuffix(a.s, b.s)
			default:
				o.b = strings.Contains(a.s, b.s)
			}
		}
	}
	return true
}

// adapt runs step si's vector kernel on one row: computed arguments are written to their
// vectors first (leaves already are vectors), and the result is read back.
func (p *exprProg) adapt(r []slot, s *exprState, k *kctx, si int) bool {
	st := &p.steps[si]
	for _, a := range st.args {
		if a >= len(p.leaves) {
			storeSlot(&s.owned[a], &r[a])
		}
	}
	out := &s.owned[st.out]
	out.T = st.typ
	k.n = 1
	if err := st.k(k, out, s.stepArgs[si]); err != nil {
		return false
	}
	loadSlot(&r[st.out], out)
	return true
}

// rowStep returns the instruction of step si: its row kernel's, or the adapter.
func (c *compiler) rowStep(p *exprProg, e ir.Expr, si int) rowInstr {
	st := &p.steps[si]
	var mk rowMaker
	switch e := e.(type) {
	case *ir.Call:
		mk = c.row[e.Overload.ID]
		if e.Overload.ID == "str_contains" && !literalContains(e) {
			mk = nil // a regular expression: the vector kernel
		}
	case *ir.Cast:
		if e.X.Type().Kind == types.Int64 && e.To.Kind == types.Float64 {
			mk = unary(opCastIF)
		}
	}
	if mk == nil {
		return rowInstr{op: opAdapter, o: int32(st.out), k: int64(si)}
	}
	return mk(p, st.args, st.out)
}

func unary(op rowOp) rowMaker {
	return func(_ *exprProg, a []int, o int) rowInstr {
		return rowInstr{op: op, x: int32(a[0]), o: int32(o)}
	}
}

func binary(op rowOp) rowMaker {
	return func(_ *exprProg, a []int, o int) rowInstr {
		return rowInstr{op: op, x: int32(a[0]), y: int32(a[1]), o: int32(o)}
	}
}

// variadic keeps the arguments in the program's rowArgs.
func variadic(op rowOp) rowMaker {
	return func(p *exprProg, a []int, o int) rowInstr {
		in := rowInstr{op: op, x: int32(len(p.rowArgs)), o: int32(o)}
		for _, x := range a {
			p.rowArgs = append(p.rowArgs, int32(x))
		}
		in.y = int32(len(p.rowArgs))
		return in
	}
}

// rowKernels maps overload IDs to their row instructions. Each computes exactly what the
// overload's vector kernel computes for one row.
func rowKernels() map[string]rowMaker {
	m := map[string]rowMaker{
		"add_float64": binary(opAddF), "sub_float64": binary(opSubF), "mul_float64": binary(opMulF),
		"div_float64": binary(opDivF), "neg_float64": unary(opNegF), "abs_float64": unary(opAbsF),
		"add_int64": binary(opAddI), "sub_int64": binary(opSubI), "mul_int64": binary(opMulI),
		"add_duration": binary(opAddI), "sub_duration": binary(opSubI), "sub_timestamp": binary(opSubI),
		"neg_int64": unary(opNegI), "neg_duration": unary(opNegI), "abs_int64": unary(opAbsI), "abs_duration": unary(opAbsI),
		"and_bool": binary(opAnd), "or_bool": binary(opOr), "not_bool": unary(opNot),
		"is_null_any": unary(opIsNull), "is_not_null_any": unary(opIsNotNull),
		"str_starts_with": binary(opStartsWith), "str_ends_with": binary(opEndsWith), "str_contains": binary(opContains),
	}
	for name, unit := range map[string]int64{"days": types.Day, "hours": types.Hour, "minutes": types.Minute,
		"seconds": types.Second, "milliseconds": types.Millisecond, "microseconds": types.Microsecond} {
		m["dt_"+name] = func(_ *exprProg, a []int, o int) rowInstr {
			return rowInstr{op: opDivByI, x: int32(a[0]), o: int32(o), k: unit}
		}
	}
	for _, c := range []struct {
		name string
		op   cmpOp
	}{{"eq", opEq}, {"ne", opNe}, {"lt", opLt}, {"le", opLe}, {"gt", opGt}, {"ge", opGe}} {
		cmp := func(op rowOp, which cmpOp) rowMaker {
			return func(p *exprProg, a []int, o int) rowInstr {
				in := binary(op)(p, a, o)
				in.cmp = which
				return in
			}
		}
		for _, t := range []string{"int64", "date", "timestamp", "duration"} {
			m[c.name+"_"+t] = cmp(opCmpI, c.op)
		}
		m[c.name+"_float64"] = cmp(opCmpF, c.op)
		m[c.name+"_string"] = cmp(opCmpS, c.op)
	}
	for _, t := range []string{"bool", "int64", "float64", "string", "date", "timestamp", "duration"} {
		m["case_"+t] = variadic(opCase)
		m["coalesce_"+t] = variadic(opFirst)
		m["fill_null_"+t] = variadic(opFirst)
	}
	between := func(op rowOp) rowMaker {
		return func(_ *exprProg, a []int, o int) rowInstr {
			return rowInstr{op: op, x: int32(a[0]), y: int32(a[1]), z: int32(a[2]), w: int32(a[3]), o: int32(o)}
		}
	}
	for _, t := range []string{"int64", "date", "timestamp", "duration"} {
		m["between_"+t] = between(opBetweenI)
	}
	m["between_float64"] = between(opBetweenF)
	return m
}

// disableRowPath makes every evaluation take the vector path (set by tests that compare the two).
var disableRowPath = false

// loadSlot reads row 0 of v.
func loadSlot(sl *slot, v *Vec) {
	if v.Null != nil && v.Null[0] {
		sl.null = true
		return
	}
	sl.null = false
	switch storageOf(v.T) {
	case stBool:
		sl.b = v.B[0]
	case stInt:
		sl.i = v.I[0]
	case stFloat:
		sl.f = v.F[0]
	case stDecimal:
		sl.d = v.D[0]
	case stString:
		sl.s = v.S[0]
	}
}

// storeSlot makes v a one-row vector of its type holding the slot's value, reusing its buffers
// (which may be a view of an output column: they are written in place).
func storeSlot(v *Vec, sl *slot) {
	v.N, v.Const, v.Null = 1, false, nil
	switch storageOf(v.T) {
	case stBool:
		v.B = grow(v.B, 1)
		v.B[0] = sl.b
	case stInt:
		v.I = grow(v.I, 1)
		v.I[0] = sl.i
	case stFloat:
		v.F = grow(v.F, 1)
		v.F[0] = sl.f
	case stDecimal:
		v.D = grow(v.D, 1)
		v.D[0] = sl.d
	case stString:
		v.S = grow(v.S, 1)
		v.S[0] = sl.s
	}
	if sl.null {
		v.nb = grow(v.nb, 1)
		v.nb[0] = true
		v.Null = v.nb
	}
}

// literalContains reports whether a str.contains call matches a substring: literal = true, or
// a constant pattern that means the same as a regular expression.
func literalContains(e *ir.Call) bool {
	if lit, ok := e.Args[2].(*ir.Lit); ok && (lit.Value.Null || lit.Value.Bool()) {
		return true
	}
	p, ok := e.Args[1].(*ir.Lit)
	if !ok || p.Value.Null {
		return false
	}
	r, err := stdlib.ParseRegex(p.Value.S)
	if err != nil {
		return false
	}
	text, isLit := r.Literal()
	return isLit && text == p.Value.S // the row kernel reads the pattern's text itself
}
