package eval

import (
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/featc/featc/types"
)

// Vec is a column of values of one type, or a constant (Const: one value standing for every
// row). Values live in the slice of the type's storage: B for bools; I for integers, dates
// (days since the epoch), timestamps and durations (microseconds) and intervals (months); F
// for floats; D for decimals (unscaled, at the type's scale); S for strings. Null marks null
// rows; a nil Null means no row is null. The values of null rows are unspecified.
//
// Vectors produced by a run live in the run's buffers and stay valid until its Result is
// released; vectors bound from Arrow input share the input's memory.
type Vec struct {
	T     types.Type
	N     int
	Const bool
	Null  []bool
	B     []bool
	I     []int64
	F     []float64
	D     []decimal128.Num
	S     []string
	// nb keeps the null buffer between uses of a register.
	nb []bool
}

// Len returns the number of rows the vector holds (1 for a constant).
func (v *Vec) Len() int { return v.N }

// IsNull reports whether row i is null (for a constant, whether the constant is null).
func (v *Vec) IsNull(i int) bool {
	if v.Null == nil {
		return false
	}
	if v.Const {
		return v.Null[0]
	}
	return v.Null[i]
}

// HasNulls reports whether any row may be null.
func (v *Vec) HasNulls() bool { return v.Null != nil }

// idx maps a row to the storage index: 0 for a constant.
func (v *Vec) idx(i int) int {
	if v.Const {
		return 0
	}
	return i
}

// storage kinds: which slice of a Vec holds a type's values.
type storage uint8

const (
	stNone storage = iota
	stBool
	stInt
	stFloat
	stDecimal
	stString
)

func storageOf(t types.Type) storage {
	switch t.Kind {
	case types.Bool:
		return stBool
	case types.Int32, types.Int64, types.Date, types.Timestamp, types.Duration, types.Interval:
		return stInt
	case types.Float64:
		return stFloat
	case types.Decimal:
		return stDecimal
	case types.String:
		return stString
	}
	return stNone
}

// resize makes v a column of n rows of type t, reusing its buffers; values are unspecified and
// Null is nil.
func (v *Vec) resize(t types.Type, n int) {
	v.T, v.N, v.Const = t, n, false
	v.Null = nil
	switch storageOf(t) {
	case stBool:
		v.B = grow(v.B, n)
	case stInt:
		v.I = grow(v.I, n)
	case stFloat:
		v.F = grow(v.F, n)
	case stDecimal:
		v.D = grow(v.D, n)
	case stString:
		v.S = grow(v.S, n)
	}
}

// setNulls gives v null flags for its N rows, all false, reusing its buffer, and returns them.
func (v *Vec) setNulls() []bool {
	v.nb = grow(v.nb, v.N)
	clear(v.nb)
	v.Null = v.nb
	return v.Null
}

func grow[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]T, n, max(n, 2*cap(s)))
}

// constVec returns a constant vector holding value v.
func constVec(val types.Value) *Vec {
	out := &Vec{T: val.Type, N: 1, Const: true}
	if val.Null {
		out.Null = []bool{true}
	}
	switch storageOf(val.Type) {
	case stBool:
		out.B = []bool{val.Bool()}
	case stInt:
		out.I = []int64{val.I}
	case stFloat:
		out.F = []float64{val.F}
	case stDecimal:
		d := decimal128.Num{}
		if val.Dec != nil {
			d = decimal128.FromBigInt(val.Dec)
		}
		out.D = []decimal128.Num{d}
	case stString:
		out.S = []string{val.S}
	}
	if val.Type.Kind == types.Null {
		out.Null = []bool{true}
	}
	return out
}

// setConst makes v the constant val, reusing v's buffers.
func setConst(v *Vec, val types.Value) {
	v.T, v.N, v.Const = val.Type, 1, true
	v.Null = nil
	if val.Null || val.Type.Kind == types.Null {
		v.nb = grow(v.nb, 1)
		v.nb[0] = true
		v.Null = v.nb
	}
	switch storageOf(val.Type) {
	case stBool:
		v.B = grow(v.B, 1)
		v.B[0] = val.Bool()
	case stInt:
		v.I = grow(v.I, 1)
		v.I[0] = val.I
	case stFloat:
		v.F = grow(v.F, 1)
		v.F[0] = val.F
	case stDecimal:
		v.D = grow(v.D, 1)
		v.D[0] = decimal128.Num{}
		if val.Dec != nil {
			v.D[0] = decimal128.FromBigInt(val.Dec)
		}
	case stString:
		v.S = grow(v.S, 1)
		v.S[0] = val.S
	}
}

// Value returns row i of v as a constant value.
func (v *Vec) Value(i int) types.Value {
	j := v.idx(i)
	if v.IsNull(i) {
		return types.NullValue(v.T)
	}
	switch storageOf(v.T) {
	case stBool:
		return types.BoolValue(v.B[j])
	case stInt:
		return types.Value{Type: v.T, I: v.I[j]}
	case stFloat:
		return types.Float64Value(v.F[j])
	case stDecimal:
		return types.DecimalValue(v.D[j].BigInt(), v.T)
	case stString:
		return types.StringValue(v.S[j])
	}
	return types.NullValue(v.T)
}

// Table is a relation's rows: one vector per column of its schema, all of length N.
type Table struct {
	Cols []*Vec
	N    int
}

// Rows returns the table's rows as featc values (for tests and small results; the columns
// are the way to read large ones).
func (t *Table) Rows() [][]types.Value {
	out := make([][]types.Value, t.N)
	for i := range out {
		row := make([]types.Value, len(t.Cols))
		for j, col := range t.Cols {
			row[j] = col.Value(i)
		}
		out[i] = row
	}
	return out
}
