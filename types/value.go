package types

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
)

// Value is a constant: a literal, a param's value or a folded expression.
//
// I holds bools (0 or 1), integers, dates (days since 1970-01-01), timestamps (microseconds
// since 1970-01-01T00:00:00Z), durations (microseconds) and intervals (months); F holds floats;
// S strings; Dec the unscaled integer of a decimal (value = Dec / 10^Scale).
type Value struct {
	Type Type
	Null bool
	I    int64
	F    float64
	S    string
	Dec  *big.Int
}

// Constructors for values of each type.
func NullValue(t Type) Value           { return Value{Type: t, Null: true} }
func BoolValue(b bool) Value           { return Value{Type: BoolT, I: b2i(b)} }
func Int64Value(i int64) Value         { return Value{Type: Int64T, I: i} }
func Int32Value(i int32) Value         { return Value{Type: Int32T, I: int64(i)} }
func Float64Value(f float64) Value     { return Value{Type: Float64T, F: f} }
func StringValue(s string) Value       { return Value{Type: StringT, S: s} }
func DateValue(days int64) Value       { return Value{Type: DateT, I: days} }
func TimestampValue(us int64) Value    { return Value{Type: TimestampT, I: us} }
func DurationValue(us int64) Value     { return Value{Type: DurationT, I: us} }
func IntervalValue(months int64) Value { return Value{Type: IntervalT, I: months} }

// DecimalValue returns the decimal with the given unscaled integer and type.
func DecimalValue(unscaled *big.Int, t Type) Value { return Value{Type: t, Dec: unscaled} }

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// Bool returns the value of a bool.
func (v Value) Bool() bool { return v.I != 0 }

// Time returns a date or timestamp value as a UTC time.
func (v Value) Time() time.Time {
	if v.Type.Kind == Date {
		return time.Unix(v.I*86400, 0).UTC()
	}
	return time.UnixMicro(v.I).UTC()
}

// String renders the value as a .feat literal (strings quoted, dates with @).
func (v Value) String() string {
	if v.Null {
		return "null"
	}
	switch v.Type.Kind {
	case Bool:
		return strconv.FormatBool(v.Bool())
	case Int32, Int64:
		return strconv.FormatInt(v.I, 10)
	case Float64:
		return FloatLiteral(v.F)
	case Decimal:
		return FormatDecimal(v.Dec, int(v.Type.Scale))
	case String:
		return Quote(v.S)
	case Date:
		return "@" + FormatDate(v.I)
	case Timestamp:
		return "@" + FormatTimestamp(v.I)
	case Duration:
		return FormatDuration(v.I)
	case Interval:
		return FormatInterval(v.I)
	}
	return "<invalid>"
}

// featc writes a float in two forms, and they differ on purpose for magnitudes from 1e6 up to
// 1e16, where FloatString is positional and FloatLiteral uses an exponent:
//
//	value       FloatString (data)    FloatLiteral (plans, messages)
//	1           1.0                   1.0
//	1000000     1000000.0             1e+06
//	1e16        1e+16                 1e+16
//	0.00001     1e-05                 1e-05
//
// Both give the shortest digits that read back as the same float, .0 on whole numbers, and
// NaN, Infinity, -Infinity.

// FloatString is the text of a float as data: what the float64 → string cast gives
// (docs/semantics.md), and how `featc run` writes float cells. It is Python's repr: positional
// from 1e-4 up to 1e16 (0.0001, 1000000.0), exponent outside (1e-05, 1e+16). Every engine's cast
// is written to give this text, so it must never change.
func FloatString(f float64) string {
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
	if a := math.Abs(f); a >= 1e-4 && a < 1e16 {
		s := strconv.FormatFloat(f, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	return strconv.FormatFloat(f, 'e', -1, 64)
}

// FloatLiteral renders a float as plans and messages show it (Value.String, `featc explain`,
// runtime errors): Go's shortest %g form, which switches to an exponent from 1e6 (1e+06), with
// .0 added to whole numbers so that it reads as a float literal. It is display only; a cast
// to string gives FloatString.
func FloatLiteral(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if !strings.ContainsAny(s, ".eEn") {
		s += ".0"
	}
	return s
}

// FormatDecimal renders an unscaled integer with the given scale: 12345, 2 → 123.45.
func FormatDecimal(unscaled *big.Int, scale int) string {
	if unscaled == nil {
		return "0"
	}
	s := new(big.Int).Abs(unscaled).String()
	neg := unscaled.Sign() < 0
	if scale > 0 {
		if len(s) <= scale {
			s = strings.Repeat("0", scale-len(s)+1) + s
		}
		s = s[:len(s)-scale] + "." + s[len(s)-scale:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// Quote renders s as a .feat string literal.
func Quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		case '\r':
			b.WriteString(`\r`)
		default:
			if r < 0x20 || r == 0x7f {
				fmt.Fprintf(&b, `\u{%x}`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

// FormatDate renders days since the epoch as YYYY-MM-DD, for a date → string cast as for display.
func FormatDate(days int64) string {
	y, m, d := time.Unix(days*86400, 0).UTC().Date()
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d)
}

// FormatTimestamp renders microseconds since the epoch as YYYY-MM-DDTHH:MM:SS[.ffffff], the
// form of a timestamp literal (after its @) and of timestamp cells in `featc run` output.
func FormatTimestamp(us int64) string { return formatTimestamp(us, 'T') }

// TimestampString is the text of a timestamp → string cast (docs/semantics.md):
// YYYY-MM-DD HH:MM:SS[.ffffff], with a space where FormatTimestamp has a T.
func TimestampString(us int64) string { return formatTimestamp(us, ' ') }

// formatTimestamp writes the date, sep, the time of day and up to six fractional digits with
// trailing zeros dropped.
func formatTimestamp(us int64, sep byte) string {
	day, tod := us/Day, us%Day
	if tod < 0 {
		day, tod = day-1, tod+Day
	}
	s := FormatDate(day) + string(sep) + fmt.Sprintf("%02d:%02d:%02d", tod/Hour, tod%Hour/Minute, tod%Minute/Second)
	if frac := tod % Second; frac != 0 {
		s += strings.TrimRight(fmt.Sprintf(".%06d", frac), "0")
	}
	return s
}

// Microseconds in each fixed duration unit.
const (
	Microsecond int64 = 1
	Millisecond       = 1000 * Microsecond
	Second            = 1000 * Millisecond
	Minute            = 60 * Second
	Hour              = 60 * Minute
	Day               = 24 * Hour
	Week              = 7 * Day
)

var durationUnits = []struct {
	name string
	us   int64
}{{"d", Day}, {"h", Hour}, {"m", Minute}, {"s", Second}, {"ms", Millisecond}, {"us", Microsecond}}

// FormatDuration renders microseconds as a duration literal: 90d, 1h30m, 250ms, 0s.
func FormatDuration(us int64) string {
	if us == 0 {
		return "0s"
	}
	var b strings.Builder
	if us < 0 {
		b.WriteByte('-')
		if us == math.MinInt64 {
			// Cannot negate; render through the unsigned value.
			return "-" + strconv.FormatUint(uint64(math.MaxInt64)+1, 10) + "us"
		}
		us = -us
	}
	for _, u := range durationUnits {
		if us >= u.us {
			b.WriteString(strconv.FormatInt(us/u.us, 10))
			b.WriteString(u.name)
			us %= u.us
		}
	}
	return b.String()
}

// FormatInterval renders months as an interval literal: 1mo, 1y, 1y6mo.
func FormatInterval(months int64) string {
	if months == 0 {
		return "0mo"
	}
	sign := ""
	if months < 0 {
		sign, months = "-", -months
	}
	switch {
	case months%12 == 0:
		return sign + strconv.FormatInt(months/12, 10) + "y"
	case months > 12:
		return sign + strconv.FormatInt(months/12, 10) + "y" + strconv.FormatInt(months%12, 10) + "mo"
	}
	return sign + strconv.FormatInt(months, 10) + "mo"
}

// ParseDate parses YYYY-MM-DD into days since the epoch, rejecting dates that do not exist.
func ParseDate(s string) (int64, error) {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return 0, fmt.Errorf("invalid date %q: want YYYY-MM-DD with a real month and day", s)
	}
	return t.Unix() / 86400, nil
}

// ParseTimestamp parses YYYY-MM-DDTHH:MM[:SS[.ffffff]] with an optional Z or ±HH:MM offset into
// microseconds since the epoch (UTC). More than six fractional digits are an error, never
// silently rounded.
func ParseTimestamp(s string) (int64, error) {
	body, off := s, 0
	if strings.HasSuffix(body, "Z") {
		body = body[:len(body)-1]
	} else if i := strings.LastIndexAny(body, "+-"); i > 10 {
		o, err := time.Parse("-07:00", body[i:])
		if err != nil {
			return 0, fmt.Errorf("invalid time zone offset %q in timestamp %q: want ±HH:MM", body[i:], s)
		}
		_, off = o.Zone()
		body = body[:i]
	}
	if frac := strings.IndexByte(body, '.'); frac >= 0 && len(body)-frac-1 > 6 {
		return 0, fmt.Errorf("timestamp %q has more than microsecond precision", s)
	}
	for _, layout := range []string{"2006-01-02T15:04:05.999999", "2006-01-02T15:04:05", "2006-01-02T15:04"} {
		if t, err := time.Parse(layout, body); err == nil {
			return t.UnixMicro() - int64(off)*Second, nil
		}
	}
	return 0, fmt.Errorf("invalid timestamp %q: want YYYY-MM-DDTHH:MM[:SS[.ffffff]] with real date and time fields", s)
}

// ParseDurationLiteral parses a duration or interval literal such as 90d, 1h30m, 250ms, 1mo or
// 1y6mo. Fixed units (w, d, h, m, s, ms, us) give a Duration in microseconds; calendar units
// (y, q, mo) give an Interval in months; mixing the two is an error because a month has no fixed
// length.
func ParseDurationLiteral(s string) (Value, error) {
	var us, months int64
	var fixed, calendar bool
	rest := s
	for rest != "" {
		i := 0
		for i < len(rest) && (rest[i] >= '0' && rest[i] <= '9' || rest[i] == '_') {
			i++
		}
		if i == 0 {
			return Value{}, fmt.Errorf("invalid duration %q: want a number before each unit, as in 1h30m", s)
		}
		n, err := strconv.ParseInt(strings.ReplaceAll(rest[:i], "_", ""), 10, 64)
		if err != nil {
			return Value{}, fmt.Errorf("duration %q is out of range", s)
		}
		rest = rest[i:]
		j := 0
		for j < len(rest) && rest[j] >= 'a' && rest[j] <= 'z' {
			j++
		}
		unit := rest[:j]
		rest = rest[j:]
		var mul int64
		switch unit {
		case "y":
			mul, calendar = 12, true
		case "q":
			mul, calendar = 3, true
		case "mo":
			mul, calendar = 1, true
		case "w":
			mul, fixed = Week, true
		case "d":
			mul, fixed = Day, true
		case "h":
			mul, fixed = Hour, true
		case "m":
			mul, fixed = Minute, true
		case "s":
			mul, fixed = Second, true
		case "ms":
			mul, fixed = Millisecond, true
		case "us":
			mul, fixed = Microsecond, true
		default:
			return Value{}, fmt.Errorf("unknown duration unit %q in %q: use y, q, mo, w, d, h, m, s, ms or us", unit, s)
		}
		if n > math.MaxInt64/mul {
			return Value{}, fmt.Errorf("duration %q is out of range", s)
		}
		if calendar {
			months += n * mul
		} else {
			if us > math.MaxInt64-n*mul {
				return Value{}, fmt.Errorf("duration %q is out of range", s)
			}
			us += n * mul
		}
	}
	if fixed && calendar {
		return Value{}, fmt.Errorf("duration %q mixes calendar units (y, mo) with fixed units: a month has no fixed length, so write them as separate terms, as in t + 1mo + 2d", s)
	}
	if calendar {
		return IntervalValue(months), nil
	}
	return DurationValue(us), nil
}

// ParseTruncUnit parses the unit of dt.truncate: a single-unit duration such as "1mo", "1w",
// "1d", "15m". It returns months for calendar units and microseconds for fixed ones.
func ParseTruncUnit(s string) (Value, error) {
	return ParseDurationLiteral(s)
}

// Equal reports whether two values are the same constant (NaN equals NaN, as in SQL ordering).
func (v Value) Equal(w Value) bool {
	if v.Type != w.Type || v.Null != w.Null {
		return false
	}
	if v.Null {
		return true
	}
	switch v.Type.Kind {
	case Float64:
		return v.F == w.F || (math.IsNaN(v.F) && math.IsNaN(w.F))
	case String:
		return v.S == w.S
	case Decimal:
		return v.Dec.Cmp(w.Dec) == 0
	}
	return v.I == w.I
}

// GoValue is a value as database drivers take it: bool, int32, int64 (durations as
// microseconds), float64, string, time.Time in UTC for dates and timestamps, nil for null.
// Decimals have no common Go form (each driver has its own): ok is false for them.
func GoValue(v Value, t Type) (x any, ok bool) {
	if v.Null {
		return nil, true
	}
	switch t.Kind {
	case Bool:
		return v.Bool(), true
	case Int32:
		return int32(v.I), true
	case Int64, Duration:
		return v.I, true
	case Float64:
		return v.F, true
	case String:
		return v.S, true
	case Date:
		return time.Unix(v.I*86400, 0).UTC(), true
	case Timestamp:
		return time.UnixMicro(v.I).UTC(), true
	}
	return nil, false
}
