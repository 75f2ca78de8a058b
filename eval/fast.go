package eval

import (
	"math"
	"strings"
)

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

func setString(out *Vec, x string) {
	if cap(out.S) == 0 {
		out.S = make([]string, 1, 8)
	}
	out.S = out.S[:1]
	out.S[0], out.N, out.Null = x, 1, nil
}

// setFrom stores row 0 of v (not null) in out, for the storages with a fast path.
func setFrom(out *Vec, v *Vec) bool {
	switch storageOf(out.T) {
	case stInt:
		setInt(out, v.I[0])
	case stFloat:
		setFloat(out, v.F[0])
	case stBool:
		setBool(out, v.B[0])
	case stString:
		setString(out, v.S[0])
	default:
		return false
	}
	return true
}

func isNull0(v *Vec) bool { return v.Null != nil && v.Null[0] }

func fastKernels() map[string]fastKernel {
	m := map[string]fastKernel{}
	// when/then/otherwise: the first true condition's value (a null condition is not true).
	pick := func(o *Vec, a []*Vec) bool {
		chosen := a[len(a)-1]
		for p := 0; p+1 < len(a); p += 2 {
			if c := a[p]; !isNull0(c) && c.B[0] {
				chosen = a[p+1]
				break
			}
		}
		return !isNull0(chosen) && setFrom(o, chosen)
	}
	// coalesce and fill_null: the first non-null argument.
	first := func(o *Vec, a []*Vec) bool {
		for _, v := range a {
			if !isNull0(v) {
				return setFrom(o, v)
			}
		}
		return false
	}
	for _, t := range []string{"bool", "int64", "float64", "string", "date", "timestamp", "duration"} {
		m["case_"+t] = pick
		m["coalesce_"+t] = first
		m["fill_null_"+t] = first
	}
	betweenI := func(o *Vec, a []*Vec) bool {
		if !noNulls(a[:3]) {
			return false
		}
		v, l, h, mode := a[0].I[0], a[1].I[0], a[2].I[0], a[3].S[0]
		incL, incR := mode == "both" || mode == "left", mode == "both" || mode == "right"
		setBool(o, (v > l || (incL && v == l)) && (v < h || (incR && v == h)))
		return true
	}
	for _, t := range []string{"int64", "date", "timestamp", "duration"} {
		m["between_"+t] = betweenI
	}
	m["between_float64"] = func(o *Vec, a []*Vec) bool {
		if !noNulls(a[:3]) {
			return false
		}
		c1, c2, mode := cmpFloat(a[0].F[0], a[1].F[0]), cmpFloat(a[0].F[0], a[2].F[0]), a[3].S[0]
		setBool(o, (c1 > 0 || (c1 == 0 && (mode == "both" || mode == "left"))) &&
			(c2 < 0 || (c2 == 0 && (mode == "both" || mode == "right"))))
		return true
	}
	m["abs_float64"] = func(o *Vec, a []*Vec) bool {
		if isNull0(a[0]) {
			return false
		}
		setFloat(o, math.Abs(a[0].F[0]))
		return true
	}
	m["neg_float64"] = func(o *Vec, a []*Vec) bool {
		if isNull0(a[0]) {
			return false
		}
		setFloat(o, -a[0].F[0])
		return true
	}
	for _, id := range []string{"abs_int64", "abs_duration", "neg_int64", "neg_duration"} {
		abs := strings.HasPrefix(id, "abs")
		m[id] = func(o *Vec, a []*Vec) bool {
			if isNull0(a[0]) || a[0].I[0] == math.MinInt64 {
				return false // null, or an overflow the vector kernel reports
			}
			x := a[0].I[0]
			if !abs || x < 0 {
				x = -x
			}
			setInt(o, x)
			return true
		}
	}
	for id, f := range map[string]func(string, string) bool{"str_starts_with": strings.HasPrefix,
		"str_ends_with": strings.HasSuffix, "str_contains": strings.Contains} {
		m[id] = func(o *Vec, a []*Vec) bool {
			if !noNulls(a) {
				return false
			}
			setBool(o, f(a[0].S[0], a[1].S[0]))
			return true
		}
	}
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
