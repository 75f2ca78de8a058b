package eval

import (
	"fmt"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/featc/featc/ir"
	"github.com/featc/featc/ir/types"
)

// ArrowType returns the Arrow type featc reads and writes for a featc type.
func ArrowType(t types.Type) arrow.DataType {
	switch t.Kind {
	case types.Bool:
		return arrow.FixedWidthTypes.Boolean
	case types.Int32:
		return arrow.PrimitiveTypes.Int32
	case types.Int64:
		return arrow.PrimitiveTypes.Int64
	case types.Float64:
		return arrow.PrimitiveTypes.Float64
	case types.Decimal:
		return &arrow.Decimal128Type{Precision: int32(t.Precision), Scale: int32(t.Scale)}
	case types.String:
		return arrow.BinaryTypes.String
	case types.Date:
		return arrow.FixedWidthTypes.Date32
	case types.Timestamp:
		return &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
	case types.Duration:
		return &arrow.DurationType{Unit: arrow.Microsecond}
	}
	return arrow.Null
}

// ArrowSchema returns the Arrow schema of a featc schema (every column nullable).
func ArrowSchema(s ir.Schema) *arrow.Schema {
	fields := make([]arrow.Field, len(s))
	for i, f := range s {
		fields[i] = arrow.Field{Name: f.Name, Type: ArrowType(f.Type), Nullable: true}
	}
	return arrow.NewSchema(fields, nil)
}

// BindError says why input data does not match its declaration.
type BindError struct {
	Source string
	Column string
	Msg    string
}

func (e *BindError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("input %s: %s", e.Source, e.Msg)
	}
	return fmt.Sprintf("input %s, column %s: %s", e.Source, e.Column, e.Msg)
}

// bindRecord checks a record against a declared schema and converts the declared columns
// (numeric columns are shared, not copied); other columns of the record are ignored.
func bindRecord(rec arrow.RecordBatch, schema ir.Schema, source string) (*Table, error) {
	t := &Table{N: int(rec.NumRows()), Cols: make([]*Vec, len(schema))}
	rs := rec.Schema()
	for i, f := range schema {
		idx := rs.FieldIndices(f.Name)
		if len(idx) == 0 {
			var have []string
			for _, af := range rs.Fields() {
				have = append(have, af.Name)
			}
			return nil, &BindError{Source: source, Column: f.Name, Msg: fmt.Sprintf("missing from the input, which has %s", strings.Join(have, ", "))}
		}
		if len(idx) > 1 {
			return nil, &BindError{Source: source, Column: f.Name, Msg: "appears more than once in the input"}
		}
		v, err := bindArray(rec.Column(idx[0]), f.Type)
		if err != nil {
			return nil, &BindError{Source: source, Column: f.Name, Msg: err.Error()}
		}
		t.Cols[i] = v
	}
	return t, nil
}

func nullFlags(a arrow.Array) []bool {
	if a.NullN() == 0 {
		return nil
	}
	nb := make([]bool, a.Len())
	for i := range nb {
		nb[i] = a.IsNull(i)
	}
	return nb
}

func mismatch(a arrow.Array, t types.Type) error {
	return fmt.Errorf("is %s in the input, but declared %s", a.DataType(), t)
}

// bindArray converts one Arrow array to a vector of the declared type, widening integers and
// floats and converting time units; anything else is a mismatch.
func bindArray(a arrow.Array, t types.Type) (*Vec, error) {
	n := a.Len()
	v := &Vec{T: t, N: n, Null: nullFlags(a)}
	switch t.Kind {
	case types.Bool:
		b, ok := a.(*array.Boolean)
		if !ok {
			return nil, mismatch(a, t)
		}
		v.B = make([]bool, n)
		for i := range v.B {
			v.B[i] = b.Value(i)
		}
	case types.Int32, types.Int64:
		switch arr := a.(type) {
		case *array.Int64:
			if t.Kind == types.Int32 {
				return nil, mismatch(a, t)
			}
			v.I = arr.Int64Values()
		case *array.Int32:
			v.I = widen(arr.Int32Values())
		case *array.Int16:
			v.I = widen(arr.Int16Values())
		case *array.Int8:
			v.I = widen(arr.Int8Values())
		case *array.Uint32:
			if t.Kind == types.Int32 {
				return nil, mismatch(a, t)
			}
			v.I = widen(arr.Uint32Values())
		case *array.Uint16:
			v.I = widen(arr.Uint16Values())
		case *array.Uint8:
			v.I = widen(arr.Uint8Values())
		default:
			return nil, mismatch(a, t)
		}
	case types.Float64:
		switch arr := a.(type) {
		case *array.Float64:
			v.F = arr.Float64Values()
		case *array.Float32:
			v.F = make([]float64, n)
			for i, x := range arr.Float32Values() {
				v.F[i] = float64(x)
			}
		default:
			return nil, mismatch(a, t)
		}
	case types.Decimal:
		arr, ok := a.(*array.Decimal128)
		if !ok {
			return nil, mismatch(a, t)
		}
		dt := arr.DataType().(*arrow.Decimal128Type)
		if int(dt.Scale) != int(t.Scale) || int(dt.Precision) > int(t.Precision) {
			return nil, fmt.Errorf("is %s in the input, but declared %s (the scale must be equal and the precision not larger)", dt, t)
		}
		v.D = arr.Values()
	case types.String:
		var get func(int) string
		switch arr := a.(type) {
		case *array.String:
			get = arr.Value
		case *array.LargeString:
			get = arr.Value
		default:
			return nil, mismatch(a, t)
		}
		v.S = make([]string, n)
		for i := range v.S {
			s := get(i)
			if !utf8.ValidString(s) && !a.IsNull(i) {
				return nil, fmt.Errorf("row %d is not valid UTF-8", i)
			}
			v.S[i] = s
		}
	case types.Date:
		switch arr := a.(type) {
		case *array.Date32:
			v.I = make([]int64, n)
			for i, d := range arr.Date32Values() {
				v.I[i] = int64(d)
			}
		case *array.Date64:
			v.I = make([]int64, n)
			for i, ms := range arr.Date64Values() {
				v.I[i] = floorDiv(int64(ms), 86_400_000)
			}
		default:
			return nil, mismatch(a, t)
		}
	case types.Timestamp:
		arr, ok := a.(*array.Timestamp)
		if !ok {
			return nil, mismatch(a, t)
		}
		unit := arr.DataType().(*arrow.TimestampType).Unit
		v.I = toMicros(unsafe.Slice((*int64)(unsafe.Pointer(unsafe.SliceData(arr.TimestampValues()))), n), unit)
	case types.Duration:
		arr, ok := a.(*array.Duration)
		if !ok {
			return nil, mismatch(a, t)
		}
		unit := arr.DataType().(*arrow.DurationType).Unit
		v.I = toMicros(unsafe.Slice((*int64)(unsafe.Pointer(unsafe.SliceData(arr.DurationValues()))), n), unit)
	default:
		return nil, fmt.Errorf("type %s cannot be read", t)
	}
	return v, nil
}

func widen[T int8 | int16 | int32 | uint8 | uint16 | uint32](s []T) []int64 {
	out := make([]int64, len(s))
	for i, x := range s {
		out[i] = int64(x)
	}
	return out
}

// toMicros converts values in a time unit to microseconds (nanoseconds are floored).
func toMicros(s []int64, unit arrow.TimeUnit) []int64 {
	switch unit {
	case arrow.Microsecond:
		return s
	case arrow.Second:
		out := make([]int64, len(s))
		for i, x := range s {
			out[i] = x * types.Second
		}
		return out
	case arrow.Millisecond:
		out := make([]int64, len(s))
		for i, x := range s {
			out[i] = x * types.Millisecond
		}
		return out
	}
	out := make([]int64, len(s))
	for i, x := range s {
		out[i] = floorDiv(x, 1000)
	}
	return out
}

// toRecord builds an Arrow record from a table (copying its values).
func toRecord(mem memory.Allocator, t *Table, schema ir.Schema) arrow.RecordBatch {
	cols := make([]arrow.Array, len(schema))
	for i, f := range schema {
		cols[i] = toArray(mem, t.Cols[i], f.Type, t.N)
	}
	rec := array.NewRecordBatch(ArrowSchema(schema), cols, int64(t.N))
	for _, c := range cols {
		c.Release()
	}
	return rec
}

func toArray(mem memory.Allocator, v *Vec, t types.Type, n int) arrow.Array {
	b := array.NewBuilder(mem, ArrowType(t))
	defer b.Release()
	b.Reserve(n)
	for i := 0; i < n; i++ {
		if v.IsNull(i) {
			b.AppendNull()
			continue
		}
		j := v.idx(i)
		switch bb := b.(type) {
		case *array.BooleanBuilder:
			bb.Append(v.B[j])
		case *array.Int32Builder:
			bb.Append(int32(v.I[j]))
		case *array.Int64Builder:
			bb.Append(v.I[j])
		case *array.Float64Builder:
			bb.Append(v.F[j])
		case *array.Decimal128Builder:
			bb.Append(v.D[j])
		case *array.StringBuilder:
			bb.Append(v.S[j])
		case *array.Date32Builder:
			bb.Append(arrow.Date32(v.I[j]))
		case *array.TimestampBuilder:
			bb.Append(arrow.Timestamp(v.I[j]))
		case *array.DurationBuilder:
			bb.Append(arrow.Duration(v.I[j]))
		}
	}
	return b.NewArray()
}

var _ = decimal128.Num{}
