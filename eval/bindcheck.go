package eval

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/featc/featc/ir"
)

// CheckSchema checks an input's Arrow schema against a source's declared schema by the rules
// records are bound with (every declared column present once; integers and floats widen, time
// units convert, decimals keep their scale), without any data: the binder's own errors, for
// engines that read a file themselves, so that a file means the same to every engine.
func CheckSchema(s *arrow.Schema, schema ir.Schema, source string) error {
	cols := make([]arrow.Array, s.NumFields())
	for i, f := range s.Fields() {
		cols[i] = array.MakeArrayOfNull(memory.DefaultAllocator, f.Type, 0)
	}
	rec := array.NewRecordBatch(s, cols, 0)
	for _, c := range cols {
		c.Release()
	}
	defer rec.Release()
	_, err := bindRecord(rec, schema, source)
	return err
}
