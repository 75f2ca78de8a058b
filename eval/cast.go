package eval

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/featc/featc/ir/types"
)

// castKernel returns the kernel converting from one type to another by the rules of
// docs/semantics.md (and stdlib.Casts). A value that does not convert is a runtime error.
func castKernel(from, to types.Type) (kernel, error) {
	if from.Kind == types.Null {
		return func(k *kctx, out *Vec, a []*Vec) error {
			out.resize(to, k.n)
			nb := out.setNulls()
			for i := range nb {
				nb[i] = true
			}
			return nil
		}, nil
	}
	fk, tk := from.Kind, to.Kind
	if fk == types.Int32 {
		fk = types.Int64
	}
	ints := func(f func(x int64) (int64, error)) kernel {
		return func(k *kctx, out *Vec, a []*Vec) error {
			x := a[0]
			out.resize(to, k.n)
			mergeNulls(out, x)
			for i := range out.I {
				if out.IsNull(i) {
					continue
				}
				v, err := f(x.I[x.idx(i)])
				if err != nil {
					return err
				}
				out.I[i] = v
			}
			return nil
		}
	}
	each := func(set func(k *kctx, out *Vec, x *Vec, i, j int) error) kernel {
		return func(k *kctx, out *Vec, a []*Vec) error {
			x := a[0]
			out.resize(to, k.n)
			mergeNulls(out, x)
			for i := 0; i < k.n; i++ {
				if out.IsNull(i) {
					continue
				}
				if err := set(k, out, x, i, x.idx(i)); err != nil {
					return err
				}
			}
			return nil
		}
	}
	prec, scale := int(to.Precision), int(to.Scale)
	switch {
	case fk == types.Int64 && (tk == types.Int64 || tk == types.Duration):
		return ints(func(x int64) (int64, error) { return x, nil }), nil
	case fk == types.Int64 && tk == types.Int32:
		return ints(func(x int64) (int64, error) {
			if x < math.MinInt32 || x > math.MaxInt32 {
				return 0, runtimeErr("cannot cast %d to int32: out of range", x)
			}
			return x, nil
		}), nil
	case fk == types.Int64 && tk == types.Float64:
		return each(func(_ *kctx, out, x *Vec, i, j int) error { out.F[i] = float64(x.I[j]); return nil }), nil
	case fk == types.Int64 && tk == types.Decimal:
		return each(func(_ *kctx, out, x *Vec, i, j int) error {
			v, ok := mulDec(decimal128.FromI64(x.I[j]), pow10[scale], prec)
			if !ok {
				return runtimeErr("cannot cast %d to %s: too many digits", x.I[j], to)
			}
			out.D[i] = v
			return nil
		}), nil
	case fk == types.Int64 && tk == types.String:
		return each(func(k *kctx, out, x *Vec, i, j int) error {
			m := k.arena.mark()
			k.arena.buf = strconv.AppendInt(k.arena.buf, x.I[j], 10)
			out.S[i] = k.arena.since(m)
			return nil
		}), nil
	case fk == types.Int64 && tk == types.Bool:
		return each(func(_ *kctx, out, x *Vec, i, j int) error { out.B[i] = x.I[j] != 0; return nil }), nil
	case fk == types.Float64 && (tk == types.Int64 || tk == types.Int32):
		lo, hi := float64(math.MinInt64), float64(math.MaxInt64)
		if tk == types.Int32 {
			lo, hi = math.MinInt32, math.MaxInt32
		}
		return each(func(_ *kctx, out, x *Vec, i, j int) error {
			f := math.Trunc(x.F[j])
			if f != f || f < lo || f >= hi+1 || (tk == types.Int64 && f >= hi) {
				return runtimeErr("cannot cast %s to %s: out of range", types.FormatFloat(x.F[j]), to)
			}
			out.I[i] = int64(f)
			return nil
		}), nil
	case fk == types.Float64 && tk == types.Decimal:
		return each(func(_ *kctx, out, x *Vec, i, j int) error {
			v, ok := floatToDec(x.F[j], scale, prec)
			if !ok {
				return runtimeErr("cannot cast %s to %s", types.FormatFloat(x.F[j]), to)
			}
			out.D[i] = v
			return nil
		}), nil
	case fk == types.Float64 && tk == types.String:
		return each(func(k *kctx, out, x *Vec, i, j int) error {
			out.S[i] = k.arena.copyString(formatFloat(x.F[j]))
			return nil
		}), nil
	case fk == types.Decimal && (tk == types.Int64 || tk == types.Int32):
		return each(func(_ *kctx, out, x *Vec, i, j int) error {
			t := truncToInt(x.D[j], int(from.Scale))
			fits64 := (t.HighBits() == 0 && t.LowBits() <= math.MaxInt64) || (t.HighBits() == -1 && t.LowBits() > math.MaxInt64)
			v := int64(t.LowBits())
			if !fits64 || (tk == types.Int32 && (v < math.MinInt32 || v > math.MaxInt32)) {
				return runtimeErr("cannot cast %s to %s: out of range", formatDec(x.D[j], int(from.Scale)), to)
			}
			out.I[i] = v
			return nil
		}), nil
	case fk == types.Decimal && tk == types.Float64:
		return each(func(_ *kctx, out, x *Vec, i, j int) error { out.F[i] = decToFloat(x.D[j], int(from.Scale)); return nil }), nil
	case fk == types.Decimal && tk == types.Decimal:
		return each(func(_ *kctx, out, x *Vec, i, j int) error {
			v, ok := rescaleDec(x.D[j], int(from.Scale), scale, prec)
			if !ok {
				return runtimeErr("cannot cast %s to %s: too many digits", formatDec(x.D[j], int(from.Scale)), to)
			}
			out.D[i] = v
			return nil
		}), nil
	case fk == types.Decimal && tk == types.String:
		return each(func(k *kctx, out, x *Vec, i, j int) error {
			out.S[i] = k.arena.copyString(formatDec(x.D[j], int(from.Scale)))
			return nil
		}), nil
	case fk == types.String:
		return stringCast(to, each)
	case fk == types.Bool && tk == types.Int64:
		return each(func(_ *kctx, out, x *Vec, i, j int) error { out.I[i] = int64(b2i(x.B[j])); return nil }), nil
	case fk == types.Bool && tk == types.String:
		return each(func(_ *kctx, out, x *Vec, i, j int) error { out.S[i] = strconv.FormatBool(x.B[j]); return nil }), nil
	case fk == types.Date && tk == types.Timestamp:
		return ints(func(z int64) (int64, error) { return z * types.Day, nil }), nil
	case fk == types.Date && tk == types.String:
		return each(func(k *kctx, out, x *Vec, i, j int) error {
			out.S[i] = k.arena.copyString(formatDay(x.I[j]))
			return nil
		}), nil
	case fk == types.Timestamp && tk == types.Date:
		return ints(func(t int64) (int64, error) { return floorDiv(t, types.Day), nil }), nil
	case fk == types.Timestamp && tk == types.String:
		return each(func(k *kctx, out, x *Vec, i, j int) error {
			out.S[i] = k.arena.copyString(formatTS(x.I[j], " "))
			return nil
		}), nil
	case fk == types.Duration && tk == types.Int64:
		return ints(func(d int64) (int64, error) { return d, nil }), nil
	}
	return nil, fmt.Errorf("no cast from %s to %s", from, to)
}

func stringCast(to types.Type, each func(set func(k *kctx, out *Vec, x *Vec, i, j int) error) kernel) (kernel, error) {
	prec, scale := int(to.Precision), int(to.Scale)
	fail := func(s string) error {
		return runtimeErr("cannot cast %s to %s", types.Quote(s), to)
	}
	switch to.Kind {
	case types.Int64, types.Int32:
		bitSize := 64
		if to.Kind == types.Int32 {
			bitSize = 32
		}
		return each(func(_ *kctx, out, x *Vec, i, j int) error {
			v, err := strconv.ParseInt(strings.TrimSpace(x.S[j]), 10, bitSize)
			if err != nil {
				return fail(x.S[j])
			}
			out.I[i] = v
			return nil
		}), nil
	case types.Float64:
		return each(func(_ *kctx, out, x *Vec, i, j int) error {
			s := strings.TrimSpace(x.S[j])
			v, err := strconv.ParseFloat(s, 64)
			if err != nil && !isRangeErr(err) || strings.ContainsAny(s, "_xXpP") {
				return fail(x.S[j])
			}
			out.F[i] = v
			return nil
		}), nil
	case types.Decimal:
		return each(func(_ *kctx, out, x *Vec, i, j int) error {
			v, ok := parseDec(x.S[j], scale, prec)
			if !ok {
				return fail(x.S[j])
			}
			out.D[i] = v
			return nil
		}), nil
	case types.Date:
		return each(func(_ *kctx, out, x *Vec, i, j int) error {
			d, ok := parseDay(strings.TrimSpace(x.S[j]))
			if !ok {
				return fail(x.S[j])
			}
			out.I[i] = d
			return nil
		}), nil
	case types.Timestamp:
		return each(func(_ *kctx, out, x *Vec, i, j int) error {
			t, ok := parseTS(strings.TrimSpace(x.S[j]))
			if !ok {
				return fail(x.S[j])
			}
			out.I[i] = t
			return nil
		}), nil
	case types.Bool:
		return each(func(_ *kctx, out, x *Vec, i, j int) error {
			switch strings.ToLower(strings.TrimSpace(x.S[j])) {
			case "true":
				out.B[i] = true
			case "false":
				out.B[i] = false
			default:
				return fail(x.S[j])
			}
			return nil
		}), nil
	}
	return nil, fmt.Errorf("no cast from string to %s", to)
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

// formatFloat renders a float as Python's repr does: the shortest digits that read back as the
// same float, in positional notation from 1e-4 up to 1e16 (with .0 on whole numbers), and in
// exponent notation outside; NaN, Infinity and -Infinity.
func formatFloat(f float64) string {
	switch {
	case f != f:
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		if math.Signbit(f) {
			return "-0.0"
		}
		return "0.0"
	}
	a := math.Abs(f)
	if a >= 1e-4 && a < 1e16 {
		s := strconv.FormatFloat(f, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	s := strconv.FormatFloat(f, 'e', -1, 64)
	// Go writes 1e+16 as 1e+16 already; drop a zero-padded exponent (1e-05 → 1e-05 as Python).
	return s
}

// formatDay renders days since the epoch as YYYY-MM-DD.
func formatDay(z int64) string {
	y, m, d := civil(z)
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d)
}

// formatTS renders a timestamp as YYYY-MM-DD HH:MM:SS with up to six fractional digits, trailing
// zeros dropped; sep separates the date from the time.
func formatTS(t int64, sep string) string {
	day, us := splitTS(t)
	s := formatDay(day) + sep + fmt.Sprintf("%02d:%02d:%02d", us/types.Hour, us%types.Hour/types.Minute, us%types.Minute/types.Second)
	if frac := us % types.Second; frac != 0 {
		s += strings.TrimRight(fmt.Sprintf(".%06d", frac), "0")
	}
	return s
}

// parseDay parses YYYY-MM-DD.
func parseDay(s string) (int64, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, false
	}
	y, e1 := strconv.Atoi(s[:4])
	m, e2 := strconv.Atoi(s[5:7])
	d, e3 := strconv.Atoi(s[8:])
	if e1 != nil || e2 != nil || e3 != nil || m < 1 || m > 12 || d < 1 || int64(d) > daysInMonth(int64(y), int64(m)) || y < 1 {
		return 0, false
	}
	return daysOf(int64(y), int64(m), int64(d)), true
}

// parseTS parses YYYY-MM-DD[ T]HH:MM[:SS[.ffffff]] (or a date alone, at midnight).
func parseTS(s string) (int64, bool) {
	if len(s) == 10 {
		d, ok := parseDay(s)
		return d * types.Day, ok
	}
	if len(s) < 16 || (s[10] != ' ' && s[10] != 'T') {
		return 0, false
	}
	d, ok := parseDay(s[:10])
	if !ok {
		return 0, false
	}
	rest := s[11:]
	if strings.HasSuffix(rest, "Z") {
		rest = rest[:len(rest)-1]
	}
	parts := strings.Split(rest, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, false
	}
	h, e1 := strconv.Atoi(parts[0])
	mi, e2 := strconv.Atoi(parts[1])
	if e1 != nil || e2 != nil || len(parts[0]) != 2 || len(parts[1]) != 2 || h > 23 || mi > 59 {
		return 0, false
	}
	var sec, frac int64
	if len(parts) == 3 {
		secPart, fracPart, hasFrac := strings.Cut(parts[2], ".")
		sv, err := strconv.Atoi(secPart)
		if err != nil || len(secPart) != 2 || sv > 59 {
			return 0, false
		}
		sec = int64(sv)
		if hasFrac {
			if len(fracPart) == 0 || len(fracPart) > 6 {
				return 0, false
			}
			fv, err := strconv.Atoi(fracPart + strings.Repeat("0", 6-len(fracPart)))
			if err != nil {
				return 0, false
			}
			frac = int64(fv)
		}
	}
	return d*types.Day + int64(h)*types.Hour + int64(mi)*types.Minute + sec*types.Second + frac, true
}

// FormatFloat renders a float as featc's string cast does: the shortest digits that read back
// as the same float, positional from 1e-4 to 1e16 (1.0, 0.1), exponent outside (1e+16), and
// NaN, Infinity, -Infinity.
func FormatFloat(f float64) string { return formatFloat(f) }
