package eval

import (
	"math"

	"github.com/featc/featc/types"
)

// Fusion of float arithmetic. A step of + - * over float64 whose operand is another such step,
// used nowhere else, runs as one fused step over the three leaves: (x op1 y) op2 z in a single
// pass over the rows instead of two (a*1.5 + b, (a - b) * c, x + y + z). The inner result is
// rounded to float64 before the outer operation (an explicit conversion, which Go never fuses
// into a multiply-add), so results are the unfused ones to the bit. Nulls propagate as before:
// a row is null when any of the three operands is.

// floatArith maps the overloads that take part to their operator (step.arith).
var floatArith = map[string]byte{"add_float64": '+', "sub_float64": '-', "mul_float64": '*'}

// disableFusion compiles programs without fusion (set by tests that compare the two).
var disableFusion = false

// fuseFloatArith rewrites the program's vector steps; the row program is left as it is.
func (p *exprProg) fuseFloatArith() {
	uses := make([]int, p.nregs)
	for _, st := range p.steps {
		for _, a := range st.args {
			uses[a]++
		}
	}
	for _, r := range p.results {
		uses[r] += 2 // results are read after the program
	}
	producer := make(map[int]int, len(p.steps))
	for si, st := range p.steps {
		producer[st.out] = si
	}
	for si := range p.steps {
		outer := &p.steps[si]
		op2 := outer.arith
		if op2 == 0 || outer.allConst || outer.skip {
			continue
		}
		for side, a := range outer.args {
			pi, ok := producer[a]
			if !ok || uses[a] != 1 || p.steps[pi].arith == 0 || p.steps[pi].skip || p.steps[pi].allConst {
				continue
			}
			inner := &p.steps[pi]
			op1 := inner.arith
			z := outer.args[1-side]
			if side == 1 && op2 == '-' {
				op2 = 'r' // z - (x op1 y)
			}
			outer.args = []int{inner.args[0], inner.args[1], z}
			outer.k = fusedFloatKernel(op1, op2)
			inner.skip = true
			outer.arith = 0 // a fused step is not fused again
			break
		}
	}
}

func fusedFloatKernel(op1, op2 byte) kernel {
	return func(k *kctx, out *Vec, a []*Vec) error {
		x, y, z := a[0], a[1], a[2]
		out.resize(types.Float64T, k.n)
		mergeNulls(out, x, y, z)
		r := out.F
		if y.Const && !x.Const && !z.Const {
			// The common shape of scaling and shifting (a * 1.5 + b): the constant stays in a
			// register rather than a broadcast buffer, one stream fewer.
			fusedFloatConst(op1, op2, r, x.F, y.F[0], z.F)
			return nil
		}
		fusedFloat(op1, op2, r, k.column(0, x, len(r)), k.column(1, y, len(r)), k.column(2, z, len(r)))
		return nil
	}
}

// column returns n rows of a float operand: its values, or for a constant the value repeated
// in the run's broadcast buffer i (refilled only when the value or length changes), so that
// loops over it index plain columns and need no bounds checks.
func (k *kctx) column(i int, v *Vec, n int) []float64 {
	if !v.Const {
		return v.F[:n]
	}
	b := &k.bcast[i]
	bits := math.Float64bits(v.F[0])
	if len(b.f) != n || b.fbits != bits {
		b.f = grow(b.f, n)
		for j := range b.f {
			b.f[j] = v.F[0]
		}
		b.fbits = bits
	}
	return b.f
}

// intColumn is column for integer storage.
func (k *kctx) intColumn(i int, v *Vec, n int) []int64 {
	if !v.Const {
		return v.I[:n]
	}
	b := &k.bcast[i]
	if len(b.i) != n || b.ival != v.I[0] {
		b.i = grow(b.i, n)
		for j := range b.i {
			b.i[j] = v.I[0]
		}
		b.ival = v.I[0]
	}
	return b.i
}

// broadcast is a constant repeated over a chunk (kctx.column, kctx.intColumn).
type broadcast struct {
	f     []float64
	fbits uint64
	i     []int64
	ival  int64
}

// fusedFloat computes r[i] = (x op1 y) op2 z, with op2 'r' for z - (x op1 y).
func fusedFloat(op1, op2 byte, r, x, y, z []float64) {
	x, y, z = x[:len(r)], y[:len(r)], z[:len(r)]
	switch int(op1)<<8 | int(op2) {
	case '+'<<8 | '+':
		for i := range r {
			r[i] = float64(x[i]+y[i]) + z[i]
		}
	case '+'<<8 | '-':
		for i := range r {
			r[i] = float64(x[i]+y[i]) - z[i]
		}
	case '+'<<8 | '*':
		for i := range r {
			r[i] = float64(x[i]+y[i]) * z[i]
		}
	case '+'<<8 | 'r':
		for i := range r {
			r[i] = z[i] - float64(x[i]+y[i])
		}
	case '-'<<8 | '+':
		for i := range r {
			r[i] = float64(x[i]-y[i]) + z[i]
		}
	case '-'<<8 | '-':
		for i := range r {
			r[i] = float64(x[i]-y[i]) - z[i]
		}
	case '-'<<8 | '*':
		for i := range r {
			r[i] = float64(x[i]-y[i]) * z[i]
		}
	case '-'<<8 | 'r':
		for i := range r {
			r[i] = z[i] - float64(x[i]-y[i])
		}
	case '*'<<8 | '+':
		for i := range r {
			r[i] = float64(x[i]*y[i]) + z[i]
		}
	case '*'<<8 | '-':
		for i := range r {
			r[i] = float64(x[i]*y[i]) - z[i]
		}
	case '*'<<8 | '*':
		for i := range r {
			r[i] = float64(x[i]*y[i]) * z[i]
		}
	case '*'<<8 | 'r':
		for i := range r {
			r[i] = z[i] - float64(x[i]*y[i])
		}
	}
}

// fusedFloatConst is fusedFloat with the inner operation's right operand a constant c.
func fusedFloatConst(op1, op2 byte, r, x []float64, c float64, z []float64) {
	x, z = x[:len(r)], z[:len(r)]
	switch int(op1)<<8 | int(op2) {
	case '+'<<8 | '+':
		for i := range r {
			r[i] = float64(x[i]+c) + z[i]
		}
	case '+'<<8 | '-':
		for i := range r {
			r[i] = float64(x[i]+c) - z[i]
		}
	case '+'<<8 | '*':
		for i := range r {
			r[i] = float64(x[i]+c) * z[i]
		}
	case '+'<<8 | 'r':
		for i := range r {
			r[i] = z[i] - float64(x[i]+c)
		}
	case '-'<<8 | '+':
		for i := range r {
			r[i] = float64(x[i]-c) + z[i]
		}
	case '-'<<8 | '-':
		for i := range r {
			r[i] = float64(x[i]-c) - z[i]
		}
	case '-'<<8 | '*':
		for i := range r {
			r[i] = float64(x[i]-c) * z[i]
		}
	case '-'<<8 | 'r':
		for i := range r {
			r[i] = z[i] - float64(x[i]-c)
		}
	case '*'<<8 | '+':
		for i := range r {
			r[i] = float64(x[i]*c) + z[i]
		}
	case '*'<<8 | '-':
		for i := range r {
			r[i] = float64(x[i]*c) - z[i]
		}
	case '*'<<8 | '*':
		for i := range r {
			r[i] = float64(x[i]*c) * z[i]
		}
	case '*'<<8 | 'r':
		for i := range r {
			r[i] = z[i] - float64(x[i]*c)
		}
	}
}
