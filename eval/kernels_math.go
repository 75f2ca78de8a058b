package eval

import (
	"math"
	"math/big"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/featc/featc/types"
)

func mathKernels(m map[string]kernel) {
	m["abs_int64"] = func(k *kctx, out *Vec, a []*Vec) error {
		return unaryInt(k, out, a, types.Int64T, "abs", func(x int64) (int64, bool) {
			if x < 0 {
				return negInt(x)
			}
			return x, false
		})
	}
	m["abs_duration"] = func(k *kctx, out *Vec, a []*Vec) error {
		return unaryInt(k, out, a, types.DurationT, "abs", func(x int64) (int64, bool) {
			if x < 0 {
				return negInt(x)
			}
			return x, false
		})
	}
	m["abs_float64"] = func(k *kctx, out *Vec, a []*Vec) error { return unaryFloat(k, out, a, math.Abs) }
	m["abs_decimal"] = func(k *kctx, out *Vec, a []*Vec) error {
		return decUnary(k, out, a, a[0].T, func(x decimal128.Num) (decimal128.Num, bool) { return x.Abs(), true })
	}
	m["round_float64"] = func(k *kctx, out *Vec, a []*Vec) error {
		x, d := a[0], a[1]
		out.resize(types.Float64T, k.n)
		mergeNulls(out, x, d)
		for i := range out.F {
			out.F[i] = roundFloat(x.F[x.idx(i)], d.I[d.idx(i)])
		}
		return nil
	}
	m["round_int64"] = func(k *kctx, out *Vec, a []*Vec) error {
		x, d := a[0], a[1]
		out.resize(types.Int64T, k.n)
		mergeNulls(out, x, d)
		for i := range out.I {
			v, ok := roundInt(x.I[x.idx(i)], d.I[d.idx(i)])
			if !ok && !out.IsNull(i) {
				return runtimeErr("integer overflow in round of %d", x.I[x.idx(i)])
			}
			out.I[i] = v
		}
		return nil
	}
	m["round_decimal"] = func(k *kctx, out *Vec, a []*Vec) error {
		x, d := a[0], a[1]
		t := x.T
		out.resize(t, k.n)
		mergeNulls(out, x, d)
		s := int(t.Scale)
		for i := range out.D {
			digits := int(d.I[d.idx(i)])
			v := x.D[x.idx(i)]
			if digits < s {
				keep := max(digits, s-38)
				r, ok := rescaleDec(v, s, keep, 38)
				if ok && keep < 0 {
					// Negative digits: round at tens, hundreds, … then scale back.
					r, ok = rescaleDec(r, 0, -keep, 38)
					keep = 0
				}
				if ok {
					r, ok = rescaleDec(r, keep, s, int(t.Precision))
				}
				if !ok && !out.IsNull(i) {
					return runtimeErr("decimal overflow in round")
				}
				v = r
			}
			out.D[i] = v
		}
		return nil
	}
	for _, f := range []struct {
		name string
		fn   func(float64) float64
		dec  func(decimal128.Num, int) decimal128.Num
	}{
		{"floor", math.Floor, floorDecimal},
		{"ceil", math.Ceil, ceilDecimal},
		{"trunc", math.Trunc, truncToInt},
	} {
		fn, dec := f.fn, f.dec
		m[f.name+"_float64"] = func(k *kctx, out *Vec, a []*Vec) error { return unaryFloat(k, out, a, fn) }
		m[f.name+"_int64"] = func(k *kctx, out *Vec, a []*Vec) error {
			return unaryInt(k, out, a, types.Int64T, f.name, func(x int64) (int64, bool) { return x, false })
		}
		m[f.name+"_decimal"] = func(k *kctx, out *Vec, a []*Vec) error {
			s := int(a[0].T.Scale)
			return decUnary(k, out, a, out.T, func(x decimal128.Num) (decimal128.Num, bool) {
				r := dec(x, s)
				return r, fitsPrecision(r, int(out.T.Precision))
			})
		}
	}
	m["sqrt_float64"] = func(k *kctx, out *Vec, a []*Vec) error {
		return unaryFloatNull(k, out, a, func(x float64) (float64, bool) { return math.Sqrt(x), !(x < 0) })
	}
	m["log_float64"] = func(k *kctx, out *Vec, a []*Vec) error {
		return unaryFloatNull(k, out, a, func(x float64) (float64, bool) { return math.Log(x), !(x <= 0) })
	}
	m["log10_float64"] = func(k *kctx, out *Vec, a []*Vec) error {
		return unaryFloatNull(k, out, a, func(x float64) (float64, bool) { return math.Log10(x), !(x <= 0) })
	}
	m["exp_float64"] = func(k *kctx, out *Vec, a []*Vec) error { return unaryFloat(k, out, a, math.Exp) }
	m["log1p_float64"] = func(k *kctx, out *Vec, a []*Vec) error {
		return unaryFloatNull(k, out, a, func(x float64) (float64, bool) { return math.Log1p(x), !(x <= -1) })
	}
	m["cbrt_float64"] = func(k *kctx, out *Vec, a []*Vec) error { return unaryFloat(k, out, a, math.Cbrt) }
	m["clip_int64"] = clipKernel
	m["clip_float64"] = clipKernel
	m["clip_decimal"] = clipKernel
	m["sign_int64"] = func(k *kctx, out *Vec, a []*Vec) error {
		return unaryInt(k, out, a, types.Int64T, "sign", func(x int64) (int64, bool) {
			switch {
			case x > 0:
				return 1, false
			case x < 0:
				return -1, false
			}
			return 0, false
		})
	}
	m["sign_float64"] = func(k *kctx, out *Vec, a []*Vec) error {
		x := a[0]
		out.resize(types.Int64T, k.n)
		mergeNulls(out, x)
		for i := range out.I {
			f := x.F[x.idx(i)]
			switch {
			case f > 0:
				out.I[i] = 1
			case f < 0:
				out.I[i] = -1
			case f == 0:
				out.I[i] = 0
			default:
				markNull(out, i) // NaN has no sign
			}
		}
		return nil
	}
	m["sign_decimal"] = func(k *kctx, out *Vec, a []*Vec) error {
		x := a[0]
		out.resize(types.Int64T, k.n)
		mergeNulls(out, x)
		for i := range out.I {
			out.I[i] = int64(x.D[x.idx(i)].Sign())
		}
		return nil
	}
}

// roundFloat rounds half away from zero to d digits (negative d: tens, hundreds, …). A tie is
// judged on the float's shortest decimal form, so round(2.675, 2) is 2.68 although the double
// is slightly below 2.675.
func roundFloat(x float64, d int64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) || d > 300 {
		return x
	}
	if d < -308 {
		return 0 * x
	}
	p := math.Pow10(int(d))
	y := x * p
	frac := math.Abs(y - math.Trunc(y))
	if math.Abs(frac-0.5) > 1e-6 && !math.IsInf(y, 0) {
		// Not near a tie: the binary computation decides.
		r := math.Round(y)
		if d >= 0 {
			return r / p
		}
		return r * math.Pow10(int(-d))
	}
	// Near a tie: decide on the decimal text.
	rat, ok := new(big.Rat).SetString(strconv.FormatFloat(x, 'g', -1, 64))
	if !ok {
		return x
	}
	scale := new(big.Rat).SetFrac(big.NewInt(1), big.NewInt(1))
	ten := new(big.Int).Exp(big.NewInt(10), big.NewInt(abs64(d)), nil)
	if d >= 0 {
		scale.SetInt(ten)
	} else {
		scale.SetFrac(big.NewInt(1), ten)
	}
	rat.Mul(rat, scale)
	num, den := rat.Num(), rat.Denom()
	q, rem := new(big.Int).QuoRem(num, den, new(big.Int))
	if new(big.Int).Mul(new(big.Int).Abs(rem), big.NewInt(2)).Cmp(den) >= 0 {
		if num.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	res := new(big.Rat).SetInt(q)
	res.Quo(res, scale)
	f, _ := res.Float64()
	if f == 0 && math.Signbit(x) {
		return math.Copysign(0, -1)
	}
	return f
}

func abs64(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

// roundInt rounds an integer half away from zero at 10^-d (d < 0); d >= 0 leaves it unchanged.
func roundInt(x, d int64) (int64, bool) {
	if d >= 0 {
		return x, true
	}
	if d < -18 {
		return 0, true
	}
	p := int64(1)
	for i := int64(0); i < -d; i++ {
		p *= 10
	}
	q, r := x/p, x%p
	if 2*abs64(r) >= p {
		if x < 0 {
			q--
		} else {
			q++
		}
	}
	v, overflow := mulInt(q, p)
	return v, !overflow
}

// floorDecimal, ceilDecimal and truncToInt take a decimal of scale s to scale 0.
func truncToInt(x decimal128.Num, s int) decimal128.Num {
	if s == 0 {
		return x
	}
	u, neg := absDec(x)
	q, _ := divU128(u, absU(pow10[s]))
	return fromU128(q, neg)
}

func floorDecimal(x decimal128.Num, s int) decimal128.Num {
	t := truncToInt(x, s)
	if x.Sign() < 0 {
		back, _ := mulDec(t, pow10[s], 38)
		if back.Cmp(x) != 0 {
			t = t.Sub(decimal128.FromI64(1))
		}
	}
	return t
}

func ceilDecimal(x decimal128.Num, s int) decimal128.Num {
	t := truncToInt(x, s)
	if x.Sign() > 0 {
		back, _ := mulDec(t, pow10[s], 38)
		if back.Cmp(x) != 0 {
			t = t.Add(decimal128.FromI64(1))
		}
	}
	return t
}
