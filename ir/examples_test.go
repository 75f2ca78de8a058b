package ir_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/featc/featc"
	"github.com/featc/featc/internal/examples"
	"github.com/featc/featc/ir"
	"github.com/featc/featc/stdlib"
	"github.com/featc/featc/types"
)

// TestStdlibExamplesCheck type-checks every example of the standard library and checks that
// the type of its result matches the written answer.
func TestStdlibExamplesCheck(t *testing.T) {
	lib := stdlib.Standard()
	for _, f := range lib.Funcs() {
		for i, ex := range f.Examples {
			t.Run(fmt.Sprintf("%s/%d", f.Name, i), func(t *testing.T) {
				src := examples.Program(f, ex)
				prog, err := featc.CompileSources([]featc.Source{{Name: "example.feat", Text: src}})
				if err != nil {
					t.Fatalf("%s\n%v", src, err)
				}
				var got types.Type
				if d := prog.IR().Def("result"); d.Kind == ir.LetDef {
					got = d.Type
				} else {
					f, _ := d.Schema.Lookup("result")
					got = f.Type
				}
				// The answer, or each answer of a column, must be a literal of the result's type.
				for _, want := range examples.Want(ex.Want) {
					if want == "null" {
						continue
					}
					wsrc := "let w = " + want + "\n"
					wp, err := featc.CompileSources([]featc.Source{{Name: "want.feat", Text: wsrc}})
					if err != nil {
						// Special floats are written as NaN and Infinity in answers.
						if want == "NaN" || strings.HasSuffix(want, "Infinity") {
							continue
						}
						t.Fatalf("answer %q is not a literal: %v", want, err)
					}
					wt := wp.IR().Def("w").Type
					if wt.Kind == types.Null {
						continue
					}
					if got.Kind == types.Decimal && wt.Kind == types.Float64 {
						continue // decimal answers are written as plain numbers
					}
					if wt.Kind != got.Kind {
						t.Errorf("%s has type %s but its answer %s is a %s", ex.Expr, got, want, wt)
					}
				}
			})
		}
	}
}
