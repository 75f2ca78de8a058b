package eval

import (
	"math"

	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/featc/featc/types"
)

// scalarKernels maps every scalar overload ID of the standard library to its kernel. A test
// (TestEveryOverloadHasAKernel) keeps the two in step.
func scalarKernels() map[string]kernel {
	m := map[string]kernel{}
	arithmeticKernels(m)
	comparisonKernels(m)
	nullKernels(m)
	mathKernels(m)
	stringKernels(m)
	temporalKernels(m)
	return m
}

func arithmeticKernels(m map[string]kernel) {
	m["add_int64"] = func(k *kctx, out *Vec, a []*Vec) error { return intBinary(k, out, a, types.Int64T, addInt, "+") }
	m["sub_int64"] = func(k *kctx, out *Vec, a []*Vec) error { return intBinary(k, out, a, types.Int64T, subInt, "-") }
	m["mul_int64"] = func(k *kctx, out *Vec, a []*Vec) error { return intBinary(k, out, a, types.Int64T, mulInt, "*") }
	m["add_float64"] = func(k *kctx, out *Vec, a []*Vec) error { return floatBinary(k, out, a, '+') }
	m["sub_float64"] = func(k *kctx, out *Vec, a []*Vec) error { return floatBinary(k, out, a, '-') }
	m["mul_float64"] = func(k *kctx, out *Vec, a []*Vec) error { return floatBinary(k, out, a, '*') }
	m["div_float64"] = divFloat
	m["floordiv_int64"] = floorDivInt
	m["floordiv_float64"] = floorDivFloat
	m["mod_int64"] = modInt
	m["mod_float64"] = modFloat
	m["pow_float64"] = powFloat
	m["neg_int64"] = func(k *kctx, out *Vec, a []*Vec) error { return unaryInt(k, out, a, types.Int64T, "negation", negInt) }
	m["neg_duration"] = func(k *kctx, out *Vec, a []*Vec) error {
		return unaryInt(k, out, a, types.DurationT, "negation", negInt)
	}
	m["neg_float64"] = func(k *kctx, out *Vec, a []*Vec) error {
		return unaryFloat(k, out, a, func(x float64) float64 { return -x })
	}
	m["neg_decimal"] = func(k *kctx, out *Vec, a []*Vec) error {
		return decUnary(k, out, a, a[0].T, func(x decimal128.Num) (decimal128.Num, bool) { return x.Negate(), true })
	}
	m["add_decimal"] = decArith(addDec, "+")
	m["sub_decimal"] = decArith(subDec, "-")
	m["mul_decimal"] = decArith(mulDec, "*")

	// Temporal arithmetic. Durations and timestamps are microseconds; results out of the
	// supported range are errors.
	m["add_duration"] = func(k *kctx, out *Vec, a []*Vec) error { return intBinary(k, out, a, types.DurationT, addInt, "+") }
	m["sub_duration"] = func(k *kctx, out *Vec, a []*Vec) error { return intBinary(k, out, a, types.DurationT, subInt, "-") }
	m["mul_duration_int64"] = func(k *kctx, out *Vec, a []*Vec) error {
		return intBinary(k, out, a, types.DurationT, mulInt, "*")
	}
	m["mul_int64_duration"] = m["mul_duration_int64"]
	m["add_timestamp_duration"] = tsArith(types.TimestampT, func(t, d int64) (int64, bool) { return addInt(t, d) }, false)
	m["add_duration_timestamp"] = tsArith(types.TimestampT, func(d, t int64) (int64, bool) { return addInt(t, d) }, false)
	m["sub_timestamp_duration"] = tsArith(types.TimestampT, func(t, d int64) (int64, bool) { return subInt(t, d) }, false)
	m["add_date_duration"] = tsArith(types.TimestampT, func(day, d int64) (int64, bool) { return addInt(day*types.Day, d) }, false)
	m["sub_date_duration"] = tsArith(types.TimestampT, func(day, d int64) (int64, bool) { return subInt(day*types.Day, d) }, false)
	m["sub_timestamp"] = tsArith(types.DurationT, func(x, y int64) (int64, bool) { return subInt(x, y) }, true)
	m["sub_date"] = tsArith(types.DurationT, func(x, y int64) (int64, bool) { return (x - y) * types.Day, false }, true)
	m["add_date_interval"] = dateMonths(1)
	m["sub_date_interval"] = dateMonths(-1)
	m["add_timestamp_interval"] = tsMonths(1)
	m["sub_timestamp_interval"] = tsMonths(-1)
}

// tsArith applies f to two int columns giving a timestamp (checked against the supported
// range) or, with isDuration, a duration.
func tsArith(t types.Type, f func(x, y int64) (int64, bool), isDuration bool) kernel {
	return func(k *kctx, out *Vec, args []*Vec) error {
		a, b := args[0], args[1]
		out.resize(t, k.n)
		mergeNulls(out, a, b)
		for i := range out.I {
			v, overflow := f(a.I[a.idx(i)], b.I[b.idx(i)])
			out.I[i] = v
			if out.IsNull(i) {
				continue
			}
			if overflow || (!isDuration && !tsInRange(v)) {
				return runtimeErr("timestamp out of range (0001-01-01 to 9999-12-31)")
			}
		}
		return nil
	}
}

func dateMonths(sign int64) kernel {
	return func(k *kctx, out *Vec, args []*Vec) error {
		a, b := args[0], args[1]
		out.resize(types.DateT, k.n)
		mergeNulls(out, a, b)
		for i := range out.I {
			if out.IsNull(i) {
				continue
			}
			months := sign * b.I[b.idx(i)]
			if months > 12*10000 || months < -12*10000 {
				return runtimeErr("date out of range (0001-01-01 to 9999-12-31)")
			}
			v := addMonths(a.I[a.idx(i)], months)
			if !dayInRange(v) {
				return runtimeErr("date out of range (0001-01-01 to 9999-12-31)")
			}
			out.I[i] = v
		}
		return nil
	}
}

func tsMonths(sign int64) kernel {
	return func(k *kctx, out *Vec, args []*Vec) error {
		a, b := args[0], args[1]
		out.resize(types.TimestampT, k.n)
		mergeNulls(out, a, b)
		for i := range out.I {
			if out.IsNull(i) {
				continue
			}
			months := sign * b.I[b.idx(i)]
			if months > 12*10000 || months < -12*10000 {
				return runtimeErr("timestamp out of range (0001-01-01 to 9999-12-31)")
			}
			day, us := splitTS(a.I[a.idx(i)])
			nd := addMonths(day, months)
			if !dayInRange(nd) {
				return runtimeErr("timestamp out of range (0001-01-01 to 9999-12-31)")
			}
			out.I[i] = nd*types.Day + us
		}
		return nil
	}
}

// decArith applies a checked decimal operation, the result in out's (the call's) type.
func decArith(f func(x, y decimal128.Num, prec int) (decimal128.Num, bool), what string) kernel {
	return func(k *kctx, out *Vec, args []*Vec) error {
		a, b := args[0], args[1]
		t := out.T
		out.resize(t, k.n)
		mergeNulls(out, a, b)
		prec := int(t.Precision)
		for i := range out.D {
			v, ok := f(a.D[a.idx(i)], b.D[b.idx(i)], prec)
			out.D[i] = v
			if !ok && !out.IsNull(i) {
				return runtimeErr("decimal overflow in %s: the result needs more than %d digits", what, prec)
			}
		}
		return nil
	}
}

func decUnary(k *kctx, out *Vec, args []*Vec, t types.Type, f func(x decimal128.Num) (decimal128.Num, bool)) error {
	a := args[0]
	out.resize(t, k.n)
	mergeNulls(out, a)
	for i := range out.D {
		v, ok := f(a.D[a.idx(i)])
		out.D[i] = v
		if !ok && !out.IsNull(i) {
			return runtimeErr("decimal overflow: the result needs more than %d digits", t.Precision)
		}
	}
	return nil
}

func comparisonKernels(m map[string]kernel) {
	ops := []struct {
		name string
		op   cmpOp
	}{{"eq", opEq}, {"ne", opNe}, {"lt", opLt}, {"le", opLe}, {"gt", opGt}, {"ge", opGe}}
	for _, o := range ops {
		op := o.op
		ints := func(k *kctx, out *Vec, a []*Vec) error { return compareInts(k, out, a, op) }
		for _, t := range []string{"int64", "date", "timestamp", "duration"} {
			m[o.name+"_"+t] = ints
		}
		m[o.name+"_float64"] = func(k *kctx, out *Vec, a []*Vec) error { return compareFloats(k, out, a, op) }
		m[o.name+"_string"] = func(k *kctx, out *Vec, a []*Vec) error { return compareStrings(k, out, a, op) }
		m[o.name+"_bool"] = func(k *kctx, out *Vec, a []*Vec) error { return compareBools(k, out, a, op) }
		m[o.name+"_decimal"] = func(k *kctx, out *Vec, a []*Vec) error { return compareDecimals(k, out, a, op) }
	}
	m["and_bool"] = andKernel
	m["or_bool"] = orKernel
	m["not_bool"] = notKernel
}

// ---- Values of any type ----

// kinds of the generic overloads, by the suffix of their IDs.
var orderedKindNames = []string{"bool", "int64", "float64", "decimal", "string", "date", "timestamp", "duration"}

// setRow copies row j of src (already mapped by idx) into row i of out, both of one storage.
func setRow(out *Vec, i int, src *Vec, j int) {
	switch storageOf(out.T) {
	case stBool:
		out.B[i] = src.B[j]
	case stInt:
		out.I[i] = src.I[j]
	case stFloat:
		out.F[i] = src.F[j]
	case stDecimal:
		out.D[i] = src.D[j]
	case stString:
		out.S[i] = src.S[j]
	}
}

// cmpRows compares row i of a and row j of b (indices already mapped), both of one type, by
// featc's order: false < true, NaN greatest, strings by bytes. Nulls are not considered.
func cmpRows(a *Vec, i int, b *Vec, j int) int {
	switch storageOf(a.T) {
	case stBool:
		return b2i(a.B[i]) - b2i(b.B[j])
	case stInt:
		x, y := a.I[i], b.I[j]
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	case stFloat:
		return cmpFloat(a.F[i], b.F[j])
	case stDecimal:
		return a.D[i].Cmp(b.D[j])
	case stString:
		x, y := a.S[i], b.S[j]
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	}
	return 0
}

func nullKernels(m map[string]kernel) {
	m["is_null_any"] = func(k *kctx, out *Vec, a []*Vec) error {
		out.resize(types.BoolT, k.n)
		for i := range out.B {
			out.B[i] = a[0].IsNull(i)
		}
		return nil
	}
	m["is_not_null_any"] = func(k *kctx, out *Vec, a []*Vec) error {
		out.resize(types.BoolT, k.n)
		for i := range out.B {
			out.B[i] = !a[0].IsNull(i)
		}
		return nil
	}
	m["is_nan_float64"] = func(k *kctx, out *Vec, a []*Vec) error {
		out.resize(types.BoolT, k.n)
		mergeNulls(out, a[0])
		for i := range out.B {
			x := a[0].F[a[0].idx(i)]
			out.B[i] = x != x
		}
		return nil
	}
	m["is_not_nan_float64"] = func(k *kctx, out *Vec, a []*Vec) error {
		out.resize(types.BoolT, k.n)
		mergeNulls(out, a[0])
		for i := range out.B {
			x := a[0].F[a[0].idx(i)]
			out.B[i] = x == x
		}
		return nil
	}
	m["fill_nan_float64"] = func(k *kctx, out *Vec, a []*Vec) error {
		x, v := a[0], a[1]
		out.resize(types.Float64T, k.n)
		for i := range out.F {
			f := x.F[x.idx(i)]
			switch {
			case x.IsNull(i):
				markNull(out, i)
			case f != f:
				out.F[i] = v.F[v.idx(i)]
				if v.IsNull(i) {
					markNull(out, i)
				}
			default:
				out.F[i] = f
			}
		}
		return nil
	}
	coalesce := func(k *kctx, out *Vec, args []*Vec) error {
		out.resize(out.T, k.n)
		for i := 0; i < k.n; i++ {
			found := false
			for _, a := range args {
				if !a.IsNull(i) {
					setRow(out, i, a, a.idx(i))
					found = true
					break
				}
			}
			if !found {
				markNull(out, i)
			}
		}
		return nil
	}
	caseK := func(k *kctx, out *Vec, args []*Vec) error {
		out.resize(out.T, k.n)
		pairs := (len(args) - 1) / 2
		def := args[len(args)-1]
	rows:
		for i := 0; i < k.n; i++ {
			for p := 0; p < pairs; p++ {
				c := args[2*p]
				if !c.IsNull(i) && c.B[c.idx(i)] {
					v := args[2*p+1]
					if v.IsNull(i) {
						markNull(out, i)
					} else {
						setRow(out, i, v, v.idx(i))
					}
					continue rows
				}
			}
			if def.IsNull(i) {
				markNull(out, i)
			} else {
				setRow(out, i, def, def.idx(i))
			}
		}
		return nil
	}
	isIn := func(k *kctx, out *Vec, args []*Vec) error {
		x := args[0]
		out.resize(types.BoolT, k.n)
		mergeNulls(out, x)
		for i := range out.B {
			hit := false
			for _, v := range args[1:] {
				if !v.IsNull(0) && cmpRows(x, x.idx(i), v, 0) == 0 {
					hit = true
					break
				}
			}
			out.B[i] = hit
		}
		return nil
	}
	between := func(k *kctx, out *Vec, args []*Vec) error {
		x, lo, hi, closed := args[0], args[1], args[2], args[3]
		out.resize(types.BoolT, k.n)
		mergeNulls(out, x, lo, hi)
		mode := closed.S[0]
		for i := range out.B {
			c1 := cmpRows(x, x.idx(i), lo, lo.idx(i))
			c2 := cmpRows(x, x.idx(i), hi, hi.idx(i))
			left := c1 > 0 || (c1 == 0 && (mode == "both" || mode == "left"))
			right := c2 < 0 || (c2 == 0 && (mode == "both" || mode == "right"))
			out.B[i] = left && right
		}
		return nil
	}
	fillNull := func(k *kctx, out *Vec, args []*Vec) error {
		return coalesce(k, out, args)
	}
	// extreme returns min_horizontal (sign -1) or max_horizontal (sign 1): nulls skipped, the
	// first of equal values kept.
	extreme := func(sign int) kernel {
		return func(k *kctx, out *Vec, args []*Vec) error {
			out.resize(out.T, k.n)
			for i := 0; i < k.n; i++ {
				var best *Vec
				for _, a := range args {
					if !a.IsNull(i) && (best == nil || sign*cmpRows(a, a.idx(i), best, best.idx(i)) > 0) {
						best = a
					}
				}
				if best == nil {
					markNull(out, i)
				} else {
					setRow(out, i, best, best.idx(i))
				}
			}
			return nil
		}
	}
	for _, t := range orderedKindNames {
		m["fill_null_"+t] = fillNull
		m["coalesce_"+t] = coalesce
		m["case_"+t] = caseK
		m["is_in_"+t] = isIn
		m["between_"+t] = between
		m["min_horizontal_"+t] = extreme(-1)
		m["max_horizontal_"+t] = extreme(1)
		for _, fam := range []string{"fill_null", "coalesce", "case", "between"} {
			if k := typedGeneric(fam, t); k != nil {
				m[fam+"_"+t] = k
			}
		}
	}
}

// clampFloat is used by clip: a null bound does not limit.
func clipKernel(k *kctx, out *Vec, args []*Vec) error {
	x, lo, hi := args[0], args[1], args[2]
	out.resize(out.T, k.n)
	mergeNulls(out, x)
	for i := 0; i < k.n; i++ {
		j := x.idx(i)
		setRow(out, i, x, j)
		if out.IsNull(i) {
			continue
		}
		if !lo.IsNull(i) && cmpRows(x, j, lo, lo.idx(i)) < 0 {
			setRow(out, i, lo, lo.idx(i))
		}
		if !hi.IsNull(i) && cmpRows(out, i, hi, hi.idx(i)) > 0 {
			setRow(out, i, hi, hi.idx(i))
		}
	}
	return nil
}

var _ = math.MaxInt64
