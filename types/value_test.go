package types

import (
	"math"
	"testing"
)

// TestFloatForms pins the two texts of a float: FloatString is the float64 → string cast of
// docs/semantics.md (every engine's cast gives it), FloatLiteral the display form of plans and
// messages. They differ only from 1e6 up to 1e16.
func TestFloatForms(t *testing.T) {
	for _, c := range []struct {
		f            float64
		str, literal string
	}{
		{1, "1.0", "1.0"},
		{0.1, "0.1", "0.1"},
		{-2.5, "-2.5", "-2.5"},
		{0, "0.0", "0.0"},
		{math.Copysign(0, -1), "-0.0", "-0.0"},
		{0.0001, "0.0001", "0.0001"},
		{0.00001, "1e-05", "1e-05"},
		{123456, "123456.0", "123456.0"},
		{1e6, "1000000.0", "1e+06"},
		{1234567.5, "1234567.5", "1.2345675e+06"},
		{9999999999999998, "9999999999999998.0", "9.999999999999998e+15"},
		{1e16, "1e+16", "1e+16"},
		{1e20, "1e+20", "1e+20"},
		{math.NaN(), "NaN", "NaN"},
		{math.Inf(1), "Infinity", "Infinity"},
		{math.Inf(-1), "-Infinity", "-Infinity"},
	} {
		if got := FloatString(c.f); got != c.str {
			t.Errorf("FloatString(%v) = %q, want %q", c.f, got, c.str)
		}
		if got := FloatLiteral(c.f); got != c.literal {
			t.Errorf("FloatLiteral(%v) = %q, want %q", c.f, got, c.literal)
		}
		if got := Float64Value(c.f).String(); got != c.literal {
			t.Errorf("Float64Value(%v).String() = %q, want %q", c.f, got, c.literal)
		}
	}
}

// TestTimestampForms pins the cast text of a timestamp (a space) against its literal form (a T).
func TestTimestampForms(t *testing.T) {
	for _, c := range []struct {
		us           int64
		str, literal string
	}{
		{0, "1970-01-01 00:00:00", "1970-01-01T00:00:00"},
		{1_500_000, "1970-01-01 00:00:01.5", "1970-01-01T00:00:01.5"},
		{-1, "1969-12-31 23:59:59.999999", "1969-12-31T23:59:59.999999"},
		{253402300799999999, "9999-12-31 23:59:59.999999", "9999-12-31T23:59:59.999999"},
		{-62135596800000000, "0001-01-01 00:00:00", "0001-01-01T00:00:00"},
	} {
		if got := TimestampString(c.us); got != c.str {
			t.Errorf("TimestampString(%d) = %q, want %q", c.us, got, c.str)
		}
		if got := FormatTimestamp(c.us); got != c.literal {
			t.Errorf("FormatTimestamp(%d) = %q, want %q", c.us, got, c.literal)
		}
	}
	if got := FormatDate(-1); got != "1969-12-31" {
		t.Errorf("FormatDate(-1) = %q", got)
	}
}
