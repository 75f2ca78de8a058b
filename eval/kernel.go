package eval

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/bits"

	"github.com/featc/featc/types"
)

// A kernel computes a scalar function over k.n rows of its arguments (constants stand for every
// row) into out. It sets out's type, length, values and nulls. Kernels are looked up once, when
// a plan is built, by the overload ID the checker resolved (kernels_*.go); a run only calls
// them.
type kernel func(k *kctx, out *Vec, args []*Vec) error

// kctx is what kernels use besides their arguments.
type kctx struct {
	n int
	// arena holds the bytes of strings computed by kernels; it is reset when its run is
	// released, so computed strings live as long as the run's result.
	arena *arena
	// bcast holds constants repeated over a chunk (fuse.go).
	bcast [3]broadcast
}

// errRuntime marks failures of the data (overflow, an unparseable cast), as opposed to bugs.
var errRuntime = errors.New("runtime error")

// RuntimeError is a failure caused by the data: integer overflow, a value that does not cast,
// a date out of range. It names the expression by its position in the .feat source.
type RuntimeError struct {
	// Where is the expression's position, file.feat:line:col.
	Where string
	Msg   string
}

func (e *RuntimeError) Error() string {
	if e.Where == "" {
		return e.Msg
	}
	return e.Where + ": " + e.Msg
}

func (e *RuntimeError) Unwrap() error { return errRuntime }

func runtimeErr(format string, args ...any) error {
	return &RuntimeError{Msg: fmt.Sprintf(format, args...)}
}

// mergeNulls sets out's nulls to the union of the arguments'.
func mergeNulls(out *Vec, args ...*Vec) {
	anyNull := false
	for _, a := range args {
		if a.Null != nil {
			if a.Const && !a.Null[0] {
				continue
			}
			anyNull = true
		}
	}
	if !anyNull {
		out.Null = nil
		return
	}
	nb := out.setNulls()
	for _, a := range args {
		if a.Null == nil {
			continue
		}
		if a.Const {
			if a.Null[0] {
				for i := range nb {
					nb[i] = true
				}
			}
			continue
		}
		for i, x := range a.Null[:len(nb)] {
			if x {
				nb[i] = true
			}
		}
	}
}

// markNull makes row i of out null, creating its null flags if needed.
func markNull(out *Vec, i int) {
	if out.Null == nil {
		out.setNulls()
	}
	out.Null[i] = true
}

// firstNonNull returns the first row in rows [0, n) of out that is not null and has flag set,
// or -1; used to report an overflow only where it concerns a real value.
func firstNonNull(out *Vec, flags []bool) int {
	for i, f := range flags {
		if f && !out.IsNull(i) {
			return i
		}
	}
	return -1
}

// ---- Numeric helpers ----

// addInt, subInt and mulInt return the result and whether it overflowed int64.
func addInt(x, y int64) (int64, bool) {
	s := x + y
	return s, (x^s)&(y^s) < 0
}

func subInt(x, y int64) (int64, bool) {
	s := x - y
	return s, (x^y)&(x^s) < 0
}

func mulInt(x, y int64) (int64, bool) {
	hi, lo := bits.Mul64(uint64(x), uint64(y))
	// Signed high word of the 128-bit product.
	shi := int64(hi)
	if x < 0 {
		shi -= y
	}
	if y < 0 {
		shi -= x
	}
	return int64(lo), shi != int64(lo)>>63
}

// cmpFloat orders floats as SQL does: NaN equals NaN and is greater than everything; -0 equals 0.
func cmpFloat(x, y float64) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	case x == y:
		return 0
	}
	xn, yn := x != x, y != y
	switch {
	case xn && yn:
		return 0
	case xn:
		return 1
	default:
		return -1
	}
}

// ---- Binary arithmetic on int64 and float64 ----

type intOp func(x, y int64) (int64, bool)

// intBinary applies a checked int64 operation, reporting overflow on a non-null row.
func intBinary(k *kctx, out *Vec, args []*Vec, t types.Type, op intOp, what string) error {
	a, b := args[0], args[1]
	out.resize(t, k.n)
	mergeNulls(out, a, b)
	r := out.I
	overflow := false
	switch {
	case !a.Const && !b.Const:
		x, y := a.I[:k.n], b.I[:k.n]
		for i := range r {
			v, o := op(x[i], y[i])
			r[i] = v
			overflow = overflow || o
		}
	case a.Const:
		x := a.I[0]
		for i, y := range b.I[:k.n] {
			v, o := op(x, y)
			r[i] = v
			overflow = overflow || o
		}
	default:
		y := b.I[0]
		for i, x := range a.I[:k.n] {
			v, o := op(x, y)
			r[i] = v
			overflow = overflow || o
		}
	}
	if overflow {
		for i := 0; i < k.n; i++ {
			var x, y int64 = a.I[a.idx(i)], b.I[b.idx(i)]
			if _, o := op(x, y); o && !out.IsNull(i) {
				return runtimeErr("integer overflow in %s: %d and %d", what, x, y)
			}
		}
	}
	return nil
}

// floatBinary applies a float64 operation with specialised loops for the common operators.
func floatBinary(k *kctx, out *Vec, args []*Vec, op byte) error {
	a, b := args[0], args[1]
	out.resize(types.Float64T, k.n)
	mergeNulls(out, a, b)
	r := out.F
	switch {
	case !a.Const && !b.Const:
		// Cutting the inputs to len(r) lets the compiler drop the bounds checks of the loops.
		x, y := a.F[:len(r)], b.F[:len(r)]
		switch op {
		case '+':
			for i := range r {
				r[i] = x[i] + y[i]
			}
		case '-':
			for i := range r {
				r[i] = x[i] - y[i]
			}
		case '*':
			for i := range r {
				r[i] = x[i] * y[i]
			}
		}
	case a.Const:
		x := a.F[0]
		y := b.F[:len(r)]
		switch op {
		case '+':
			for i := range r {
				r[i] = x + y[i]
			}
		case '-':
			for i := range r {
				r[i] = x - y[i]
			}
		case '*':
			for i := range r {
				r[i] = x * y[i]
			}
		}
	default:
		x := a.F[:len(r)]
		y := b.F[0]
		switch op {
		case '+':
			for i := range r {
				r[i] = x[i] + y
			}
		case '-':
			for i := range r {
				r[i] = x[i] - y
			}
		case '*':
			for i := range r {
				r[i] = x[i] * y
			}
		}
	}
	return nil
}

// floatMap applies f row by row: the general float kernel.
func floatMap(k *kctx, out *Vec, args []*Vec, f func(x, y float64) (float64, bool)) error {
	a, b := args[0], args[1]
	out.resize(types.Float64T, k.n)
	mergeNulls(out, a, b)
	for i := range out.F {
		v, ok := f(a.F[a.idx(i)], b.F[b.idx(i)])
		out.F[i] = v
		if !ok {
			markNull(out, i)
		}
	}
	return nil
}

func divFloat(k *kctx, out *Vec, args []*Vec) error {
	if a, b := args[0], args[1]; !a.Const && !b.Const {
		out.resize(types.Float64T, k.n)
		mergeNulls(out, a, b)
		r := out.F
		x, y := a.F[:len(r)], b.F[:len(r)]
		for i := range r {
			r[i] = divIEEE(x[i], y[i])
		}
		return nil
	}
	return floatMap(k, out, args, func(x, y float64) (float64, bool) {
		return divIEEE(x, y), true
	})
}

// divIEEE divides as IEEE 754 and Polars do — x / 0 is ±Infinity, 0 / 0 and NaN / 0 are NaN —
// except that the sign of an infinity is x's alone: engines do not keep the sign of a zero they
// compute alike (docs/semantics.md), so 1 / -0.0 is +Infinity on every engine.
func divIEEE(x, y float64) float64 {
	if y != 0 {
		return x / y
	}
	switch {
	case x > 0:
		return math.Inf(1)
	case x < 0:
		return math.Inf(-1)
	}
	return math.NaN()
}

func floorDivFloat(k *kctx, out *Vec, args []*Vec) error {
	return floatMap(k, out, args, func(x, y float64) (float64, bool) {
		if y == 0 {
			return 0, false
		}
		return math.Floor(x / y), true
	})
}

// modFloat is x - y·floor(x / y), each operation rounded as IEEE 754 says, so that every
// engine computes the same bits (docs/semantics.md); the explicit conversion keeps the
// compiler from fusing the multiply and subtract into one rounding.
func modFloat(k *kctx, out *Vec, args []*Vec) error {
	return floatMap(k, out, args, func(x, y float64) (float64, bool) {
		if y == 0 {
			return 0, false
		}
		return x - float64(y*math.Floor(x/y)), true
	})
}

func powFloat(k *kctx, out *Vec, args []*Vec) error {
	return floatMap(k, out, args, func(x, y float64) (float64, bool) { return math.Pow(x, y), true })
}

// intMapNull applies f row by row; f's second result false makes the row null, its third an
// overflow error.
func intMapNull(k *kctx, out *Vec, args []*Vec, what string, f func(x, y int64) (int64, bool, bool)) error {
	a, b := args[0], args[1]
	out.resize(types.Int64T, k.n)
	mergeNulls(out, a, b)
	for i := range out.I {
		if out.IsNull(i) {
			continue
		}
		x, y := a.I[a.idx(i)], b.I[b.idx(i)]
		v, ok, overflow := f(x, y)
		if overflow {
			return runtimeErr("integer overflow in %s: %d and %d", what, x, y)
		}
		out.I[i] = v
		if !ok {
			markNull(out, i)
		}
	}
	return nil
}

func floorDivInt(k *kctx, out *Vec, args []*Vec) error {
	return intMapNull(k, out, args, "//", func(x, y int64) (int64, bool, bool) {
		if y == 0 {
			return 0, false, false
		}
		if x == math.MinInt64 && y == -1 {
			return 0, true, true
		}
		q := x / y
		if x%y != 0 && (x < 0) != (y < 0) {
			q--
		}
		return q, true, false
	})
}

func modInt(k *kctx, out *Vec, args []*Vec) error {
	return intMapNull(k, out, args, "%", func(x, y int64) (int64, bool, bool) {
		if y == 0 {
			return 0, false, false
		}
		if y == -1 {
			return 0, true, false
		}
		r := x % y
		if r != 0 && (r < 0) != (y < 0) {
			r += y
		}
		return r, true, false
	})
}

// unaryInt maps each int64 row, with overflow.
func unaryInt(k *kctx, out *Vec, args []*Vec, t types.Type, what string, f func(x int64) (int64, bool)) error {
	a := args[0]
	out.resize(t, k.n)
	mergeNulls(out, a)
	for i := range out.I {
		x := a.I[a.idx(i)]
		v, overflow := f(x)
		if overflow && !out.IsNull(i) {
			return runtimeErr("integer overflow in %s of %d", what, x)
		}
		out.I[i] = v
	}
	return nil
}

func unaryFloat(k *kctx, out *Vec, args []*Vec, f func(x float64) float64) error {
	a := args[0]
	out.resize(types.Float64T, k.n)
	mergeNulls(out, a)
	for i := range out.F {
		out.F[i] = f(a.F[a.idx(i)])
	}
	return nil
}

// unaryFloatNull maps each float row; ok false makes the row null.
func unaryFloatNull(k *kctx, out *Vec, args []*Vec, f func(x float64) (float64, bool)) error {
	a := args[0]
	out.resize(types.Float64T, k.n)
	mergeNulls(out, a)
	for i := range out.F {
		v, ok := f(a.F[a.idx(i)])
		out.F[i] = v
		if !ok {
			markNull(out, i)
		}
	}
	return nil
}

func negInt(x int64) (int64, bool) {
	if x == math.MinInt64 {
		return 0, true
	}
	return -x, false
}

// ---- Comparisons ----

type cmpOp uint8

const (
	opEq cmpOp = iota
	opNe
	opLt
	opLe
	opGt
	opGe
)

func (o cmpOp) test(c int) bool {
	switch o {
	case opEq:
		return c == 0
	case opNe:
		return c != 0
	case opLt:
		return c < 0
	case opLe:
		return c <= 0
	case opGt:
		return c > 0
	}
	return c >= 0
}

// compareWith fills out with op applied to cmp of each row.
func compareWith(k *kctx, out *Vec, args []*Vec, op cmpOp, cmp func(i, j int) int) error {
	a, b := args[0], args[1]
	out.resize(types.BoolT, k.n)
	mergeNulls(out, a, b)
	for i := range out.B {
		out.B[i] = op.test(cmp(a.idx(i), b.idx(i)))
	}
	return nil
}

// compareInts is the fast path for integers, dates, timestamps and durations.
func compareInts(k *kctx, out *Vec, args []*Vec, op cmpOp) error {
	a, b := args[0], args[1]
	out.resize(types.BoolT, k.n)
	mergeNulls(out, a, b)
	r := out.B
	// A constant operand is broadcast, so that every case is a loop over two columns.
	x, y := k.intColumn(0, a, len(r)), k.intColumn(1, b, len(r))
	switch op {
	case opEq:
		for i := range r {
			r[i] = x[i] == y[i]
		}
	case opNe:
		for i := range r {
			r[i] = x[i] != y[i]
		}
	case opLt:
		for i := range r {
			r[i] = x[i] < y[i]
		}
	case opLe:
		for i := range r {
			r[i] = x[i] <= y[i]
		}
	case opGt:
		for i := range r {
			r[i] = x[i] > y[i]
		}
	case opGe:
		for i := range r {
			r[i] = x[i] >= y[i]
		}
	}
	return nil
}

func compareFloats(k *kctx, out *Vec, args []*Vec, op cmpOp) error {
	a, b := args[0], args[1]
	out.resize(types.BoolT, k.n)
	mergeNulls(out, a, b)
	r := out.B
	x, y := k.column(0, a, len(r)), k.column(1, b, len(r))
	// One loop per operator, so that the comparison inlines and the loop has no call.
	switch op {
	case opEq:
		for i := range r {
			r[i] = cmpFloat(x[i], y[i]) == 0
		}
	case opNe:
		for i := range r {
			r[i] = cmpFloat(x[i], y[i]) != 0
		}
	case opLt:
		for i := range r {
			r[i] = cmpFloat(x[i], y[i]) < 0
		}
	case opLe:
		for i := range r {
			r[i] = cmpFloat(x[i], y[i]) <= 0
		}
	case opGt:
		for i := range r {
			r[i] = cmpFloat(x[i], y[i]) > 0
		}
	case opGe:
		for i := range r {
			r[i] = cmpFloat(x[i], y[i]) >= 0
		}
	}
	return nil
}

func compareStrings(k *kctx, out *Vec, args []*Vec, op cmpOp) error {
	a, b := args[0], args[1]
	return compareWith(k, out, args, op, func(i, j int) int { return cmp.Compare(a.S[i], b.S[j]) })
}

func compareBools(k *kctx, out *Vec, args []*Vec, op cmpOp) error {
	a, b := args[0], args[1]
	return compareWith(k, out, args, op, func(i, j int) int { return b2i(a.B[i]) - b2i(b.B[j]) })
}

func compareDecimals(k *kctx, out *Vec, args []*Vec, op cmpOp) error {
	a, b := args[0], args[1]
	return compareWith(k, out, args, op, func(i, j int) int { return a.D[i].Cmp(b.D[j]) })
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// ---- Boolean logic (three-valued) ----

func andKernel(k *kctx, out *Vec, args []*Vec) error {
	return logic(k, out, args, true)
}

func orKernel(k *kctx, out *Vec, args []*Vec) error {
	return logic(k, out, args, false)
}

// logic implements and (isAnd) and or with SQL's three-valued logic: a false (for and) or a true
// (for or) decides the result even against a null.
func logic(k *kctx, out *Vec, args []*Vec, isAnd bool) error {
	a, b := args[0], args[1]
	out.resize(types.BoolT, k.n)
	if a.Null == nil && b.Null == nil {
		out.Null = nil
		for i := range out.B {
			if isAnd {
				out.B[i] = a.B[a.idx(i)] && b.B[b.idx(i)]
			} else {
				out.B[i] = a.B[a.idx(i)] || b.B[b.idx(i)]
			}
		}
		return nil
	}
	nb := out.setNulls()
	for i := range out.B {
		an, bn := a.IsNull(i), b.IsNull(i)
		av, bv := a.B[a.idx(i)], b.B[b.idx(i)]
		if isAnd {
			switch {
			case (!an && !av) || (!bn && !bv):
				out.B[i] = false
			case an || bn:
				nb[i] = true
			default:
				out.B[i] = true
			}
		} else {
			switch {
			case (!an && av) || (!bn && bv):
				out.B[i] = true
			case an || bn:
				nb[i] = true
			default:
				out.B[i] = false
			}
		}
	}
	return nil
}

func notKernel(k *kctx, out *Vec, args []*Vec) error {
	a := args[0]
	out.resize(types.BoolT, k.n)
	mergeNulls(out, a)
	for i := range out.B {
		out.B[i] = !a.B[a.idx(i)]
	}
	return nil
}
