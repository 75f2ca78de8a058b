package eval

// Single-row fast paths. A service evaluates its features over one entity's row, where the
// per-call overhead of a vector kernel (sizing its output, merging null flags, choosing a loop)
// costs more than the operation. For the most common operations, a fastKernel computes one row
// without nulls directly; it returns false when it cannot (a null, an overflow, a division by
// zero), and the vector kernel then runs and handles the case.
type fastKernel func(out *Vec, args []*Vec) bool

func noNulls(args []*Vec) bool {
	for _, a := range args {
		if a.Null != nil && a.Null[0] {
			return false
		}
	}
	return true
}

// setFloat, setInt and setBool store a one-row result without nulls.
func setFloat(out *Vec, x float64) {
	if cap(out.F) == 0 {
		out.F = make([]float64, 1, 8)
	}
	out.F = out.F[:1]
	out.F[0], out.N, out.Null = x, 1, nil
}

func setInt(out *Vec, x int64) {
	if cap(out.I) == 0 {
		out.I = make([]int64, 1, 8)
	}
	out.I = out.I[:1]
	out.I[0], out.N, out.Null = x, 1, nil
}

func setBool(out *Vec, x bool) {
	if cap(out.B) == 0 {
		out.B = make([]bool, 1, 8)
	}
	out.B = out.B[:1]
	out.B[0], out.N, out.Null = x, 1, nil
}

func fastKernels() map[string]fastKernel {
	m := map[string]fastKernel{}
	m["add_float64"] = func(o *Vec, a []*Vec) bool {
		if !noNulls(a) {
			return false
		}
		setFloat(o, a[0].F[0]+a[1].F[0])
		return true
	}
	m["sub_float64"] = func(o *Vec, a []*Vec) bool {
		if !noNulls(a) {
			return false
		}
		setFloat(o, a[0].F[0]-a[1].F[0])
		return true
	}
	m["mul_float64"] = func(o *Vec, a []*Vec) bool {
		if !noNulls(a) {
			return false
		}
		setFloat(o, a[0].F[0]*a[1].F[0])
		return true
	}
	m["div_float64"] = func(o *Vec, a []*Vec) bool {
		if !noNulls(a) || a[1].F[0] == 0 {
			return false
		}
		setFloat(o, a[0].F[0]/a[1].F[0])
		return true
	}
	for id, op := range map[string]intOp{"add_int64": addInt, "sub_int64": subInt, "mul_int64": mulInt, "add_duration": addInt, "sub_duration": subInt, "sub_timestamp": subInt} {
		op := op
		m[id] = func(o *Vec, a []*Vec) bool {
			if !noNulls(a) {
				return false
			}
			v, overflow := op(a[0].I[0], a[1].I[0])
			if overflow {
				return false
			}
			setInt(o, v)
			return true
		}
	}
	cmpI := func(op cmpOp) fastKernel {
		return func(o *Vec, a []*Vec) bool {
			if !noNulls(a) {
				return false
			}
			x, y := a[0].I[0], a[1].I[0]
			c := 0
			if x < y {
				c = -1
			} else if x > y {
				c = 1
			}
			setBool(o, op.test(c))
			return true
		}
	}
	cmpF := func(op cmpOp) fastKernel {
		return func(o *Vec, a []*Vec) bool {
			if !noNulls(a) {
				return false
			}
			setBool(o, op.test(cmpFloat(a[0].F[0], a[1].F[0])))
			return true
		}
	}
	for _, c := range []struct {
		name string
		op   cmpOp
	}{{"eq", opEq}, {"ne", opNe}, {"lt", opLt}, {"le", opLe}, {"gt", opGt}, {"ge", opGe}} {
		for _, t := range []string{"int64", "date", "timestamp", "duration"} {
			m[c.name+"_"+t] = cmpI(c.op)
		}
		m[c.name+"_float64"] = cmpF(c.op)
	}
	m["and_bool"] = func(o *Vec, a []*Vec) bool {
		if !noNulls(a) {
			return false
		}
		setBool(o, a[0].B[0] && a[1].B[0])
		return true
	}
	m["or_bool"] = func(o *Vec, a []*Vec) bool {
		if !noNulls(a) {
			return false
		}
		setBool(o, a[0].B[0] || a[1].B[0])
		return true
	}
	m["not_bool"] = func(o *Vec, a []*Vec) bool {
		if !noNulls(a) {
			return false
		}
		setBool(o, !a[0].B[0])
		return true
	}
	m["is_null_any"] = func(o *Vec, a []*Vec) bool {
		setBool(o, a[0].Null != nil && a[0].Null[0])
		return true
	}
	m["is_not_null_any"] = func(o *Vec, a []*Vec) bool {
		setBool(o, a[0].Null == nil || !a[0].Null[0])
		return true
	}
	return m
}
