package eval

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/featc/featc/types"
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
				return runtimeErr("cannot cast %s to %s: out of range", types.FloatLiteral(x.F[j]), to)
			}
			out.I[i] = int64(f)
			return nil
		}), nil
	case fk == types.Float64 && tk == types.Decimal:
		return each(func(_ *kctx, out, x *Vec, i, j int) error {
			v, ok := floatToDec(x.F[j], scale, prec)
			if !ok {
				return runtimeErr("cannot cast %s to %s", types.FloatLiteral(x.F[j]), to)
			}
			out.D[i] = v
			return nil
		}), nil
	case fk == types.Float64 && tk == types.String:
		return each(func(k *kctx, out, x *Vec, i, j int) error {
			out.S[i] = k.arena.copyString(types.FloatString(x.F[j]))
			return nil
		}), nil
	case fk == types.Decimal && (tk == types.Int64 || tk == types.Int32):
		return each(func(_ *kctx, out, x *Vec, i, j int) error {
			t := truncToInt(x.D[j], int(from.Scale))
			fits64 := (t.HighBits() == 0 && t.LowBits() <= math.MaxInt64) || (t.HighBits() == -1 && t.LowBits() > math.MaxInt64)
			v := int64(t.LowBits())
			if !fits64 || (tk == types.Int32 && (v < math.MinInt32 || v > math.MaxInt32)) {
				return runtimeErr("cannot cast %s to %s: out of range", types.FormatDecimal(x.D[j].BigInt(), int(from.Scale)), to)
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
				return runtimeErr("cannot cast %s to %s: too many digits", types.FormatDecimal(x.D[j].BigInt(), int(from.Scale)), to)
			}
			out.D[i] = v
			return nil
		}), nil
	case fk == types.Decimal && tk == types.String:
		return each(func(k *kctx, out, x *Vec, i, j int) error {
			out.S[i] = k.arena.copyString(types.FormatDecimal(x.D[j].BigInt(), int(from.Scale)))
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
			out.S[i] = k.arena.copyString(types.FormatDate(x.I[j]))
			return nil
		}), nil
	case fk == types.Timestamp && tk == types.Date:
		return ints(func(t int64) (int64, error) { return floorDiv(t, types.Day), nil }), nil
	case fk == types.Timestamp && tk == types.String:
		return each(func(k *kctx, out, x *Vec, i, j int) error {
			out.S[i] = k.arena.copyString(types.TimestampString(x.I[j]))
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
			d, ok := parseDay(trimSpaces(x.S[j]))
			if !ok {
				return fail(x.S[j])
			}
			out.I[i] = d
			return nil
		}), nil
	case types.Timestamp:
		return each(func(_ *kctx, out, x *Vec, i, j int) error {
			t, ok := parseTS(trimSpaces(x.S[j]))
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

// Text read as a date or a timestamp (a cast from string, a CSV field) has one shape on every
// engine (docs/semantics.md, "Text as dates and times"); the SQL dialects guard their own, looser
// parsers with the same shape (backends/sqlgen, cast_string_date and cast_string_timestamp):
//
//	date:      YYYY-MM-DD                                        (year 0001–9999, zero-padded)
//	timestamp: YYYY-MM-DD{T| }HH:MM:SS[.f{1,6}][Z|±HH:MM]       (offset hours 00–14)
//
// surrounded by any number of spaces (U+0020, not other white space). An offset is converted
// to UTC.

// trimSpaces drops the spaces around date or time text.
func trimSpaces(s string) string { return strings.Trim(s, " ") }

// digits reads a run of exactly n ASCII digits.
func digits(s string, n int) (int64, bool) {
	if len(s) != n {
		return 0, false
	}
	var v int64
	for i := 0; i < n; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	return v, true
}

// parseDay parses YYYY-MM-DD with a real month and day, years 0001 to 9999.
func parseDay(s string) (int64, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, false
	}
	y, ok1 := digits(s[:4], 4)
	m, ok2 := digits(s[5:7], 2)
	d, ok3 := digits(s[8:], 2)
	if !ok1 || !ok2 || !ok3 || y < 1 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m) {
		return 0, false
	}
	return daysOf(y, m, d), true
}

// parseTS parses YYYY-MM-DD{T| }HH:MM:SS[.ffffff][Z|±HH:MM] into microseconds since the epoch,
// UTC; the result must lie in 0001-01-01 to 9999-12-31 after the offset is applied.
func parseTS(s string) (int64, bool) {
	if len(s) < 19 || (s[10] != ' ' && s[10] != 'T') || s[13] != ':' || s[16] != ':' {
		return 0, false
	}
	d, ok := parseDay(s[:10])
	if !ok {
		return 0, false
	}
	h, ok1 := digits(s[11:13], 2)
	mi, ok2 := digits(s[14:16], 2)
	sec, ok3 := digits(s[17:19], 2)
	if !ok1 || !ok2 || !ok3 || h > 23 || mi > 59 || sec > 59 {
		return 0, false
	}
	rest := s[19:]
	var frac int64
	if strings.HasPrefix(rest, ".") {
		n := 1
		for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
			n++
		}
		if n == 1 || n > 7 {
			return 0, false
		}
		f, _ := digits(rest[1:n]+strings.Repeat("0", 7-n), 6)
		frac, rest = f, rest[n:]
	}
	var offset int64
	switch {
	case rest == "" || rest == "Z":
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		oh, ok1 := digits(rest[1:3], 2)
		om, ok2 := digits(rest[4:6], 2)
		if !ok1 || !ok2 || oh > 14 || om > 59 {
			return 0, false
		}
		offset = oh*types.Hour + om*types.Minute
		if rest[0] == '-' {
			offset = -offset
		}
	default:
		return 0, false
	}
	t := d*types.Day + h*types.Hour + mi*types.Minute + sec*types.Second + frac - offset
	return t, tsInRange(t)
}
