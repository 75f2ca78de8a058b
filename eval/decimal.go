package eval

import (
	"math"
	"math/big"
	"math/bits"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/featc/featc/types"
)

// Decimals are 128-bit two's-complement integers scaled by 10^scale (arrow's decimal128.Num);
// featc checks every result against the precision of its type and reports overflow instead of
// wrapping.

// pow10 holds 10^0 … 10^38.
var pow10 = func() (t [39]decimal128.Num) {
	p := big.NewInt(1)
	for i := range t {
		t[i] = decimal128.FromBigInt(p)
		p.Mul(p, big.NewInt(10))
	}
	return t
}()

type u128 struct{ hi, lo uint64 }

func absDec(n decimal128.Num) (u128, bool) {
	neg := n.Sign() < 0
	if neg {
		n = n.Negate()
	}
	return u128{uint64(n.HighBits()), n.LowBits()}, neg
}

func fromU128(u u128, neg bool) decimal128.Num {
	n := decimal128.New(int64(u.hi), u.lo)
	if neg {
		n = n.Negate()
	}
	return n
}

func lessU(a, b u128) bool { return a.hi < b.hi || (a.hi == b.hi && a.lo < b.lo) }

// fitsPrecision reports whether |n| < 10^p.
func fitsPrecision(n decimal128.Num, p int) bool {
	u, _ := absDec(n)
	lim, _ := absDec(pow10[p])
	return lessU(u, lim)
}

// addDec adds two decimals of one scale; ok is false on overflow of 38 digits.
func addDec(x, y decimal128.Num, prec int) (decimal128.Num, bool) {
	s := x.Add(y)
	// Signed 128-bit overflow: operands of one sign, result of the other.
	if x.Sign() >= 0 && y.Sign() >= 0 && s.Sign() < 0 || x.Sign() < 0 && y.Sign() < 0 && s.Sign() >= 0 {
		return s, false
	}
	return s, fitsPrecision(s, prec)
}

func subDec(x, y decimal128.Num, prec int) (decimal128.Num, bool) {
	return addDec(x, y.Negate(), prec)
}

// mulDec multiplies two decimals (the result's scale is the sum of theirs).
func mulDec(x, y decimal128.Num, prec int) (decimal128.Num, bool) {
	a, an := absDec(x)
	b, bn := absDec(y)
	if a.hi != 0 && b.hi != 0 {
		return decimal128.Num{}, false
	}
	// (ah·2^64 + al)(bh·2^64 + bl) with at most one of ah, bh non-zero.
	h1, l1 := bits.Mul64(a.lo, b.lo)
	h2, l2 := bits.Mul64(a.hi, b.lo)
	h3, l3 := bits.Mul64(a.lo, b.hi)
	if h2 != 0 || h3 != 0 {
		return decimal128.Num{}, false
	}
	hi, c1 := bits.Add64(h1, l2, 0)
	hi, c2 := bits.Add64(hi, l3, 0)
	if c1 != 0 || c2 != 0 || hi>>63 != 0 {
		return decimal128.Num{}, false
	}
	r := fromU128(u128{hi, l1}, an != bn)
	return r, fitsPrecision(r, prec)
}

// rescaleDec changes a decimal's scale from one to another, rounding half away from zero when
// the scale shrinks; ok is false when the result does not fit prec digits.
func rescaleDec(n decimal128.Num, from, to, prec int) (decimal128.Num, bool) {
	switch {
	case to == from:
		return n, fitsPrecision(n, prec)
	case to > from:
		r, ok := mulDec(n, pow10[to-from], 38)
		if !ok {
			return r, false
		}
		return r, fitsPrecision(r, prec)
	}
	u, neg := absDec(n)
	q, rem := divU128(u, absU(pow10[from-to]))
	// Round half away from zero: compare twice the remainder with the divisor.
	d := absU(pow10[from-to])
	twice := u128{rem.hi<<1 | rem.lo>>63, rem.lo << 1}
	if !lessU(twice, d) {
		q = addU(q, u128{0, 1})
	}
	r := fromU128(q, neg)
	return r, fitsPrecision(r, prec)
}

// truncDec drops a decimal's fraction toward zero, keeping its scale.
func truncDec(n decimal128.Num, scale int) decimal128.Num {
	if scale == 0 {
		return n
	}
	u, neg := absDec(n)
	q, _ := divU128(u, absU(pow10[scale]))
	r, _ := mulDec(fromU128(q, neg), pow10[scale], 38)
	return r
}

func absU(n decimal128.Num) u128 { u, _ := absDec(n); return u }

func addU(a, b u128) u128 {
	lo, c := bits.Add64(a.lo, b.lo, 0)
	return u128{a.hi + b.hi + c, lo}
}

// divU128 divides 128-bit unsigned integers (the divisor is a power of ten, below 10^38).
func divU128(a, d u128) (q, r u128) {
	if d.hi == 0 {
		if a.hi < d.lo {
			qlo, rlo := bits.Div64(a.hi, a.lo, d.lo)
			return u128{0, qlo}, u128{0, rlo}
		}
		qhi := a.hi / d.lo
		rhi := a.hi % d.lo
		qlo, rlo := bits.Div64(rhi, a.lo, d.lo)
		return u128{qhi, qlo}, u128{0, rlo}
	}
	// Rare: divisors of 10^20 and more; use big integers.
	ab := new(big.Int).Lsh(new(big.Int).SetUint64(a.hi), 64)
	ab.Or(ab, new(big.Int).SetUint64(a.lo))
	db := new(big.Int).Lsh(new(big.Int).SetUint64(d.hi), 64)
	db.Or(db, new(big.Int).SetUint64(d.lo))
	qb, rb := new(big.Int).QuoRem(ab, db, new(big.Int))
	return toU128(qb), toU128(rb)
}

func toU128(b *big.Int) u128 {
	lo := new(big.Int).And(b, new(big.Int).SetUint64(math.MaxUint64)).Uint64()
	hi := new(big.Int).Rsh(b, 64).Uint64()
	return u128{hi, lo}
}

// decToFloat converts a decimal to the nearest float64.
func decToFloat(n decimal128.Num, scale int) float64 {
	if n.HighBits() == 0 && n.LowBits() < 1<<53 || n.HighBits() == -1 && n.LowBits() > math.MaxUint64-(1<<53) {
		// Exact integer part, one correctly rounded division.
		return float64(int64(n.LowBits())) / math.Pow10(scale)
	}
	f, _ := strconv.ParseFloat(types.FormatDecimal(n.BigInt(), scale), 64)
	return f
}

// parseDec parses a decimal number (sign, digits, optional fraction, optional exponent) into
// the given scale, rounding half away from zero.
func parseDec(s string, scale, prec int) (decimal128.Num, bool) {
	s = strings.TrimSpace(s)
	r, ok := new(big.Rat).SetString(s)
	if !ok || strings.ContainsAny(s, "/") || strings.EqualFold(s, "inf") || strings.Contains(strings.ToLower(s), "nan") {
		return decimal128.Num{}, false
	}
	return ratToDec(r, scale, prec)
}

// ratToDec rounds a rational half away from zero to the scale.
func ratToDec(r *big.Rat, scale, prec int) (decimal128.Num, bool) {
	scaled := new(big.Rat).Mul(r, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale)), nil)))
	num, den := scaled.Num(), scaled.Denom()
	q, rem := new(big.Int).QuoRem(num, den, new(big.Int))
	twice := new(big.Int).Mul(new(big.Int).Abs(rem), big.NewInt(2))
	if twice.Cmp(den) >= 0 {
		if num.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	if q.BitLen() > 127 {
		return decimal128.Num{}, false
	}
	d := decimal128.FromBigInt(q)
	return d, fitsPrecision(d, prec)
}

// floatToDec converts a float to a decimal of the scale, rounding half away from zero on the
// float's shortest decimal form (what the user sees), as the cast rules say.
func floatToDec(f float64, scale, prec int) (decimal128.Num, bool) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return decimal128.Num{}, false
	}
	r, ok := new(big.Rat).SetString(strconv.FormatFloat(f, 'g', -1, 64))
	if !ok {
		return decimal128.Num{}, false
	}
	return ratToDec(r, scale, prec)
}
