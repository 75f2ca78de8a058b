// Package types defines featc's data types and constant values, and the text of each value:
// Value.String for plans and messages, and the text a cast to string gives (FloatString,
// TimestampString, FormatDate, FormatDecimal), which the evaluator's casts and the command
// line's output use rather than formatting values themselves.
//
// The set is deliberately small: every type has one meaning on every engine (see
// docs/semantics.md). Timestamps are UTC with microsecond precision, durations are fixed spans
// of microseconds, and intervals are whole calendar months (only literals such as 1mo and 1y
// have that type). Package types imports nothing of featc's.
package types

import (
	"fmt"
	"strconv"
)

// Kind is the kind of a Type.
type Kind uint8

// The kinds. Null is the type of the literal null before it meets another type; Interval is
// the type of calendar-month literals (1mo, 1y) and cannot be declared in a schema.
const (
	InvalidKind Kind = iota
	Null
	Bool
	Int32
	Int64
	Float64
	Decimal
	String
	Date
	Timestamp
	Duration
	Interval
	numKinds
)

var kindNames = [...]string{
	InvalidKind: "invalid",
	Null:        "null",
	Bool:        "bool",
	Int32:       "int32",
	Int64:       "int64",
	Float64:     "float64",
	Decimal:     "decimal",
	String:      "string",
	Date:        "date",
	Timestamp:   "timestamp",
	Duration:    "duration",
	Interval:    "interval",
}

// String returns the kind's name as written in .feat files.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// MaxDecimalPrecision is the largest precision of a decimal type (as on every engine featc
// targets).
const MaxDecimalPrecision = 38

// Type is a data type. Precision and Scale are meaningful for Decimal only.
type Type struct {
	Kind      Kind
	Precision uint8
	Scale     uint8
}

// The types without parameters.
var (
	Invalid    = Type{Kind: InvalidKind}
	NullT      = Type{Kind: Null}
	BoolT      = Type{Kind: Bool}
	Int32T     = Type{Kind: Int32}
	Int64T     = Type{Kind: Int64}
	Float64T   = Type{Kind: Float64}
	StringT    = Type{Kind: String}
	DateT      = Type{Kind: Date}
	TimestampT = Type{Kind: Timestamp}
	DurationT  = Type{Kind: Duration}
	IntervalT  = Type{Kind: Interval}
)

// DecimalType returns decimal(p, s). It does not validate; use NewDecimal for user input.
func DecimalType(p, s int) Type {
	return Type{Kind: Decimal, Precision: uint8(p), Scale: uint8(s)}
}

// NewDecimal returns decimal(p, s) or an error saying why p and s are not valid.
func NewDecimal(p, s int) (Type, error) {
	if p < 1 || p > MaxDecimalPrecision {
		return Invalid, fmt.Errorf("decimal precision must be between 1 and %d, got %d", MaxDecimalPrecision, p)
	}
	if s < 0 || s > p {
		return Invalid, fmt.Errorf("decimal scale must be between 0 and the precision %d, got %d", p, s)
	}
	return DecimalType(p, s), nil
}

// String returns the type as written in .feat files: int64, decimal(15,2).
func (t Type) String() string {
	if t.Kind == Decimal {
		return "decimal(" + strconv.Itoa(int(t.Precision)) + "," + strconv.Itoa(int(t.Scale)) + ")"
	}
	return t.Kind.String()
}

// IsValid reports whether t is a real type.
func (t Type) IsValid() bool { return t.Kind != InvalidKind }

// IsNumeric reports whether t is an integer, float or decimal type.
func (t Type) IsNumeric() bool {
	switch t.Kind {
	case Int32, Int64, Float64, Decimal:
		return true
	}
	return false
}

// IsInteger reports whether t is int32 or int64.
func (t Type) IsInteger() bool { return t.Kind == Int32 || t.Kind == Int64 }

// IsTemporal reports whether t is a date or a timestamp.
func (t Type) IsTemporal() bool { return t.Kind == Date || t.Kind == Timestamp }

// Declarable reports whether a source schema or a param may have this type.
func (t Type) Declarable() bool {
	switch t.Kind {
	case InvalidKind, Null, Interval:
		return false
	}
	return true
}

// Orderable reports whether values of t have a total order (for sort, min, max, <).
func (t Type) Orderable() bool {
	switch t.Kind {
	case InvalidKind, Interval:
		return false
	}
	return true
}

// ByName maps the declarable type names without parameters to their types.
var byName = map[string]Type{
	"bool":      BoolT,
	"int32":     Int32T,
	"int64":     Int64T,
	"float64":   Float64T,
	"string":    StringT,
	"date":      DateT,
	"timestamp": TimestampT,
	"duration":  DurationT,
}

// Lookup returns the type named name with the given parameters (only decimal takes two), or an
// error that says what is wrong.
func Lookup(name string, args []int) (Type, error) {
	if name == "decimal" {
		if len(args) != 2 {
			return Invalid, fmt.Errorf("decimal needs a precision and a scale: decimal(15,2)")
		}
		return NewDecimal(args[0], args[1])
	}
	t, ok := byName[name]
	if !ok {
		return Invalid, fmt.Errorf("unknown type %q", name)
	}
	if len(args) != 0 {
		return Invalid, fmt.Errorf("type %s takes no parameters", name)
	}
	return t, nil
}

// Names lists the declarable type names, for did-you-mean hints and documentation.
func Names() []string {
	return []string{"bool", "int32", "int64", "float64", "decimal", "string", "date", "timestamp", "duration"}
}

// IntDecimal is the decimal type that holds every value of an integer type exactly.
func IntDecimal(t Type) Type {
	if t.Kind == Int32 {
		return DecimalType(10, 0)
	}
	return DecimalType(19, 0)
}

// Promotable reports whether a value of type from converts implicitly and exactly (or, for
// float64, as documented in docs/semantics.md) to type to, and at what cost; the overload with
// the least total cost wins. Exact matches cost 0.
func Promotable(from, to Type) (cost int, ok bool) {
	if from == to {
		return 0, true
	}
	if from.Kind == Null {
		return 1, to.Kind != InvalidKind
	}
	switch to.Kind {
	case Int64:
		if from.Kind == Int32 {
			return 2, true
		}
	case Decimal:
		switch from.Kind {
		case Int32, Int64:
			return 3, true
		case Decimal:
			// Widening a decimal keeps every value when both the integer digits and the scale
			// grow or stay.
			if to.Scale >= from.Scale && int(to.Precision)-int(to.Scale) >= int(from.Precision)-int(from.Scale) {
				return 1, true
			}
		}
	case Float64:
		switch from.Kind {
		case Int32, Int64:
			return 4, true
		case Decimal:
			return 5, true
		}
	case Timestamp:
		if from.Kind == Date {
			return 3, true
		}
	}
	return 0, false
}

// CommonDecimal returns the smallest decimal type that holds every value of both a and b
// (each a decimal or an integer type), capped at the maximum precision.
func CommonDecimal(a, b Type) Type {
	if a.Kind != Decimal {
		a = IntDecimal(a)
	}
	if b.Kind != Decimal {
		b = IntDecimal(b)
	}
	s := max(a.Scale, b.Scale)
	ip := max(int(a.Precision)-int(a.Scale), int(b.Precision)-int(b.Scale))
	p := min(ip+int(s), MaxDecimalPrecision)
	return DecimalType(p, int(s))
}

// Common returns the type both a and b promote to with the least cost, for the branches of a
// conditional, the elements of a list and the columns of a union.
func Common(a, b Type) (Type, bool) {
	if a == b {
		return a, true
	}
	if a.Kind == Null {
		return b, true
	}
	if b.Kind == Null {
		return a, true
	}
	if (a.Kind == Decimal || a.IsInteger()) && (b.Kind == Decimal || b.IsInteger()) && (a.Kind == Decimal || b.Kind == Decimal) {
		return CommonDecimal(a, b), true
	}
	if _, ok := Promotable(a, b); ok {
		return b, true
	}
	if _, ok := Promotable(b, a); ok {
		return a, true
	}
	return Invalid, false
}
