package dataio

import (
	"encoding/csv"
	"fmt"
	"os"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/featc/featc/eval"
	"github.com/featc/featc/ir"
	"github.com/featc/featc/types"
)

// SpineSchema returns the columns of a spine file, in the file's order: the declared ones (the
// entity's keys and the time) with their declared types, the others — labels, ids, which pass
// through to the output — with the file's own types (Parquet, Arrow) or as strings (CSV, which
// has no types: bind a spine frame to type them).
func SpineSchema(path string, declared ir.Schema) (ir.Schema, error) {
	f, err := FormatOf(path)
	if err != nil {
		return nil, err
	}
	if f != CSV {
		rec, err := Read(memory.DefaultAllocator, path, declared)
		if err != nil {
			return nil, err
		}
		defer rec.Release()
		var out ir.Schema
		for _, af := range rec.Schema().Fields() {
			if d, ok := declared.Lookup(af.Name); ok {
				out = append(out, d)
				continue
			}
			t := eval.TypeOf(af.Type)
			if !t.IsValid() {
				return nil, fmt.Errorf("%s: column %s is %s, which featc cannot pass through to the output", path, af.Name, af.Type)
			}
			out = append(out, ir.Field{Name: af.Name, Type: t})
		}
		return out, nil
	}
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	header, err := csv.NewReader(fh).Read()
	if err != nil {
		return nil, fmt.Errorf("%s: no header row: %w", path, err)
	}
	var out ir.Schema
	for _, h := range header {
		name := strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if d, ok := declared.Lookup(name); ok {
			out = append(out, d)
			continue
		}
		out = append(out, ir.Field{Name: name, Type: types.StringT})
	}
	return out, nil
}
