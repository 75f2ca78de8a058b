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
	"github.com/featc/featc/types"
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

// TypeOf returns the featc type of an Arrow type that ArrowType produces (null otherwise).
func TypeOf(t arrow.DataType) types.Type {
	switch t := t.(type) {
	case *arrow.BooleanType:
		return types.BoolT
	case *arrow.Int32Type:
		return types.Int32T
	case *arrow.Int64Type:
		return types.Int64T
	case *arrow.Float64Type:
		return types.Float64T
	case *arrow.Decimal128Type:
		return types.DecimalType(int(t.Precision), int(t.Scale))
	case *arrow.StringType:
		return types.StringT
	case *arrow.Date32Type:
		return types.DateT
	case *arrow.TimestampType:
		return types.TimestampT
	case *arrow.DurationType:
		return types.DurationT
	}
	return types.Type{Kind: types.Null}
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

// bound is a source's data bound for one run: the table and the buffers it reuses from run to
// run (numeric columns share the Arrow buffers; others are converted into owned buffers).
type bound struct {
	table  Table
	vecs   []Vec
	own    []ownedBufs
	schema *arrow.Schema // the record schema idx was computed for
	idx    []int
}

type ownedBufs struct {
	null []bool
	b    []bool
	i    []int64
	f    []float64
	s    []string
}

// bindRecord checks a record against a declared schema and converts the declared columns;
// other columns of the record are ignored.
func bindRecord(rec arrow.RecordBatch, schema ir.Schema, source string) (*Table, error) {
	var bd bound
	return bd.bind(rec, schema, source)
}

func (bd *bound) bind(rec arrow.RecordBatch, schema ir.Schema, source string) (*Table, error) {
	return bd.bindRead(rec, schema, source, nil)
}

// bindRead binds a record, converting only the columns marked in read (all when read is nil):
// a query reading 4 of a table's 16 columns converts 4. Every declared column must still be
// present.
func (bd *bound) bindRead(rec arrow.RecordBatch, schema ir.Schema, source string, read []bool) (*Table, error) {
	rs := rec.Schema()
	if rs != bd.schema {
		bd.idx = grow(bd.idx, len(schema))
		// One index of the record's columns by name (Fields copies them: looking each declared
		// column up in a fresh copy made binding 20,000 columns take seconds).
		fields := rs.Fields()
		at := make(map[string]int, len(fields))
		for j, af := range fields {
			if _, dup := at[af.Name]; dup {
				at[af.Name] = -2
				continue
			}
			at[af.Name] = j
		}
		for i, f := range schema {
			j, ok := at[f.Name]
			if j == -2 {
				return nil, &BindError{Source: source, Column: f.Name, Msg: "appears more than once in the input"}
			}
			if !ok {
				var have []string
				for _, af := range fields {
					have = append(have, af.Name)
				}
				return nil, &BindError{Source: source, Column: f.Name, Msg: fmt.Sprintf("missing from the input, which has %s", strings.Join(have, ", "))}
			}
			bd.idx[i] = j
		}
		bd.schema = rs
	}
	if len(bd.vecs) < len(schema) {
		bd.vecs = make([]Vec, len(schema))
		bd.own = make([]ownedBufs, len(schema))
		bd.table.Cols = make([]*Vec, len(schema))
	}
	bd.table.N = int(rec.NumRows())
	for i, f := range schema {
		v := &bd.vecs[i]
		if read != nil && i < len(read) && !read[i] {
			*v = Vec{T: f.Type}
			bd.table.Cols[i] = v
			continue
		}
		if err := bindArray(v, &bd.own[i], rec.Column(bd.idx[i]), f.Type); err != nil {
			bd.schema = nil
			return nil, &BindError{Source: source, Column: f.Name, Msg: err.Error()}
		}
		bd.table.Cols[i] = v
	}
	return &bd.table, nil
}

func mismatch(a arrow.Array, t types.Type) error {
	return fmt.Errorf("is %s in the input, but declared %s", a.DataType(), t)
}

// bindArray converts one Arrow array to a vector of the declared type, widening integers and
// floats and converting time units; anything else is a mismatch. Converted values go to the
// owned buffers, never to the Arrow memory.
func bindArray(v *Vec, own *ownedBufs, a arrow.Array, t types.Type) error {
	n := a.Len()
	v.T, v.N, v.Const, v.Null = t, n, false, nil
	if a.NullN() > 0 {
		own.null = grow(own.null, n)
		for i := range own.null {
			own.null[i] = a.IsNull(i)
		}
		v.Null = own.null
	}
	ints := func() []int64 { own.i = grow(own.i, n); return own.i }
	switch t.Kind {
	case types.Bool:
		b, ok := a.(*array.Boolean)
		if !ok {
			return mismatch(a, t)
		}
		own.b = grow(own.b, n)
		for i := range own.b {
			own.b[i] = b.Value(i)
		}
		v.B = own.b
	case types.Int32, types.Int64:
		switch arr := a.(type) {
		case *array.Int64:
			if t.Kind == types.Int32 {
				return mismatch(a, t)
			}
			v.I = arr.Int64Values()
		case *array.Int32:
			v.I = widenInto(ints(), arr.Int32Values())
		case *array.Int16:
			v.I = widenInto(ints(), arr.Int16Values())
		case *array.Int8:
			v.I = widenInto(ints(), arr.Int8Values())
		case *array.Uint32:
			if t.Kind == types.Int32 {
				return mismatch(a, t)
			}
			v.I = widenInto(ints(), arr.Uint32Values())
		case *array.Uint16:
			v.I = widenInto(ints(), arr.Uint16Values())
		case *array.Uint8:
			v.I = widenInto(ints(), arr.Uint8Values())
		default:
			return mismatch(a, t)
		}
	case types.Float64:
		switch arr := a.(type) {
		case *array.Float64:
			v.F = arr.Float64Values()
		case *array.Float32:
			own.f = grow(own.f, n)
			for i, x := range arr.Float32Values() {
				own.f[i] = float64(x)
			}
			v.F = own.f
		default:
			return mismatch(a, t)
		}
	case types.Decimal:
		arr, ok := a.(*array.Decimal128)
		if !ok {
			return mismatch(a, t)
		}
		dt := arr.DataType().(*arrow.Decimal128Type)
		if int(dt.Scale) != int(t.Scale) || int(dt.Precision) > int(t.Precision) {
			return fmt.Errorf("is %s in the input, but declared %s (the scale must be equal and the precision not larger)", dt, t)
		}
		v.D = arr.Values()
	case types.String:
		own.s = grow(own.s, n)
		switch arr := a.(type) {
		case *array.String:
			for i := range own.s {
				own.s[i] = arr.Value(i)
			}
		case *array.LargeString:
			for i := range own.s {
				own.s[i] = arr.Value(i)
			}
		default:
			return mismatch(a, t)
		}
		for i, s := range own.s {
			if !utf8.ValidString(s) && !a.IsNull(i) {
				return fmt.Errorf("row %d is not valid UTF-8", i)
			}
		}
		v.S = own.s
	case types.Date:
		switch arr := a.(type) {
		case *array.Date32:
			out := ints()
			for i, d := range arr.Date32Values() {
				out[i] = int64(d)
			}
			v.I = out
		case *array.Date64:
			out := ints()
			for i, ms := range arr.Date64Values() {
				out[i] = floorDiv(int64(ms), 86_400_000)
			}
			v.I = out
		default:
			return mismatch(a, t)
		}
	case types.Timestamp:
		arr, ok := a.(*array.Timestamp)
		if !ok {
			return mismatch(a, t)
		}
		unit := arr.DataType().(*arrow.TimestampType).Unit
		v.I = toMicros(unsafe.Slice((*int64)(unsafe.Pointer(unsafe.SliceData(arr.TimestampValues()))), n), unit, own)
	case types.Duration:
		arr, ok := a.(*array.Duration)
		if !ok {
			return mismatch(a, t)
		}
		unit := arr.DataType().(*arrow.DurationType).Unit
		v.I = toMicros(unsafe.Slice((*int64)(unsafe.Pointer(unsafe.SliceData(arr.DurationValues()))), n), unit, own)
	default:
		return fmt.Errorf("type %s cannot be read", t)
	}
	return nil
}

func widenInto[T int8 | int16 | int32 | uint8 | uint16 | uint32](out []int64, s []T) []int64 {
	for i, x := range s {
		out[i] = int64(x)
	}
	return out
}

// toMicros converts values in a time unit to microseconds (nanoseconds are floored).
func toMicros(s []int64, unit arrow.TimeUnit, own *ownedBufs) []int64 {
	if unit == arrow.Microsecond {
		return s
	}
	own.i = grow(own.i, len(s))
	out := own.i
	for i, x := range s {
		switch unit {
		case arrow.Second:
			out[i] = x * types.Second
		case arrow.Millisecond:
			out[i] = x * types.Millisecond
		default:
			out[i] = floorDiv(x, 1000)
		}
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

// ValuesRecord builds an Arrow record of schema s from rows of constant values (each row one
// value per column, typed as the column): the results of SQL engines meet the evaluator's
// formats and writers through it.
func ValuesRecord(mem memory.Allocator, s ir.Schema, rows [][]types.Value) arrow.RecordBatch {
	t := &Table{N: len(rows), Cols: make([]*Vec, len(s))}
	for c, f := range s {
		v := &Vec{}
		v.resize(f.Type, len(rows))
		for i, row := range rows {
			val := row[c]
			if val.Null || val.Type.Kind == types.Null {
				markNull(v, i)
				continue
			}
			switch storageOf(f.Type) {
			case stBool:
				v.B[i] = val.Bool()
			case stInt:
				v.I[i] = val.I
			case stFloat:
				v.F[i] = val.F
			case stDecimal:
				if val.Dec != nil {
					v.D[i] = decimal128.FromBigInt(val.Dec)
				}
			case stString:
				v.S[i] = val.S
			}
		}
		t.Cols[c] = v
	}
	return toRecord(mem, t, s)
}

// RecordValues reads an Arrow record of a declared schema as rows of constant values,
// checking it as a run's input is checked.
func RecordValues(rec arrow.RecordBatch, s ir.Schema) ([][]types.Value, error) {
	t, err := bindRecord(rec, s, "input")
	if err != nil {
		return nil, err
	}
	rows := make([][]types.Value, t.N)
	for i := range rows {
		row := make([]types.Value, len(s))
		for c, v := range t.Cols {
			row[c] = v.Value(i)
		}
		rows[i] = row
	}
	return rows, nil
}

// SortRecord returns a record's rows in featc's total order (every column ascending, nulls
// first, NaN last among floats, strings by bytes), so that an unordered output prints the same
// on every engine. The caller releases both records.
func SortRecord(mem memory.Allocator, rec arrow.RecordBatch, s ir.Schema) (arrow.RecordBatch, error) {
	t, err := bindRecord(rec, s, "output")
	if err != nil {
		return nil, err
	}
	idx := make([]int32, t.N)
	for i := range idx {
		idx[i] = int32(i)
	}
	sortRows(idx, nil, nil, nil, t.Cols)
	var out Table
	var vecs []Vec
	gatherTable(&out, &vecs, t, idx)
	return toRecord(mem, &out, s), nil
}
