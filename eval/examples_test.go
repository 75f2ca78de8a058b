package eval_test

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"testing"

	"github.com/featc/featc"
	"github.com/featc/featc/eval"
	"github.com/featc/featc/internal/examples"
	"github.com/featc/featc/ir"
	"github.com/featc/featc/stdlib"
	"github.com/featc/featc/types"
)

// TestStdlibExamples runs every example of the standard library on the evaluator and compares
// with the answer written next to it in the table (and in docs/functions.md).
func TestStdlibExamples(t *testing.T) {
	lib := stdlib.Standard()
	for _, f := range lib.Funcs() {
		for i, ex := range f.Examples {
			t.Run(fmt.Sprintf("%s/%d", f.Name, i), func(t *testing.T) {
				got, err := runExample(t, f, ex)
				if err != nil {
					t.Fatalf("%s: %v", ex.Expr, err)
				}
				want := examples.Want(ex.Want)
				if len(got) != len(want) {
					t.Fatalf("%s: got %v, want %v", ex.Expr, got, want)
				}
				for r := range want {
					if !sameValue(got[r], want[r]) {
						t.Errorf("%s row %d: got %s, want %s", ex.Expr, r, got[r], want[r])
					}
				}
			})
		}
	}
}

// runExample evaluates an example and renders its result values.
func runExample(t *testing.T, f *stdlib.Func, ex stdlib.Example) ([]string, error) {
	src := examples.Program(f, ex)
	p, err := featc.CompileSources([]featc.Source{{Name: "example.feat", Text: src}})
	if err != nil {
		return nil, err
	}
	inputs := eval.Inputs{}
	if cols := examples.Input(ex.Input); len(cols) > 0 {
		schema := p.IR().Def("input").Schema
		n := len(cols[0].Values)
		var data [][]any
		for r := 0; r < n; r++ {
			row := make([]any, len(cols))
			for c, col := range cols {
				row[c] = exampleValue(t, col.Values[r], schema[c].Type)
			}
			data = append(data, row)
		}
		inputs["input"] = record(t, schema, data...)
	}
	ev, err := eval.New(p.IR())
	if err != nil {
		return nil, err
	}
	res, err := ev.Run(context.Background(), inputs, nil)
	if err != nil {
		return nil, err
	}
	defer res.Release()
	if v, ok, err := res.Scalar("result"); ok {
		if err != nil {
			return nil, err
		}
		return []string{v.String()}, nil
	}
	tab := res.Table("result")
	col := tab.Cols[p.IR().Def("result").Schema.Index("result")]
	var out []string
	for i := 0; i < tab.N; i++ {
		out = append(out, col.Value(i).String())
	}
	return out, nil
}

// exampleValue converts a value written in an example's input to the record helper's form.
func exampleValue(t *testing.T, s string, typ types.Type) any {
	if s == "null" {
		return nil
	}
	switch typ.Kind {
	case types.Int64, types.Int32:
		n, err := strconv.Atoi(s)
		if err != nil {
			t.Fatal(err)
		}
		return n
	case types.Float64:
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatal(err)
		}
		return f
	case types.Bool:
		return s == "true"
	}
	return s
}

// sameValue compares rendered values, floats within a relative 1e-12.
func sameValue(got, want string) bool {
	if got == want {
		return true
	}
	g, err1 := strconv.ParseFloat(got, 64)
	w, err2 := strconv.ParseFloat(want, 64)
	if err1 != nil || err2 != nil {
		return false
	}
	return math.Abs(g-w) <= 1e-12*math.Max(1, math.Abs(w))
}

var _ = ir.Program{}
