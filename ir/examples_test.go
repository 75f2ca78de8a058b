package ir_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/featc/featc"
	"github.com/featc/featc/ir"
	"github.com/featc/featc/ir/types"
	"github.com/featc/featc/stdlib"
)

// ExampleProgram builds the .feat text that evaluates a stdlib example: a let for a scalar
// example, a frame over a source made of the example's input columns otherwise. It is shared
// with the evaluator's tests, which run the examples.
func exampleProgram(f *stdlib.Func, ex stdlib.Example) (string, []string) {
	if ex.Input == "" {
		return "let result = " + ex.Expr + "\n", nil
	}
	var cols, names []string
	for _, spec := range strings.Split(ex.Input, ";") {
		head, _, _ := strings.Cut(strings.TrimSpace(spec), ":")
		name, typ, _ := strings.Cut(strings.TrimSpace(head), " ")
		cols = append(cols, name+": "+typ)
		names = append(names, name)
	}
	src := "source input { " + strings.Join(cols, ", ") + " }\n"
	if f.Kind == stdlib.Aggregate {
		return src + "frame result = input.with_columns(group_key = 1).group_by(group_key).agg(result = " + ex.Expr + ")\n", names
	}
	return src + "frame result = input.select(result = " + ex.Expr + ")\n", names
}

// TestStdlibExamplesCheck type-checks every example of the standard library and checks that
// the type of its result matches the written answer.
func TestStdlibExamplesCheck(t *testing.T) {
	lib := stdlib.Standard()
	for _, f := range lib.Funcs() {
		for i, ex := range f.Examples {
			t.Run(fmt.Sprintf("%s/%d", f.Name, i), func(t *testing.T) {
				src, _ := exampleProgram(f, ex)
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
				for _, want := range splitWant(ex.Want) {
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

func splitWant(w string) []string {
	if strings.HasPrefix(w, `"`) {
		return []string{w}
	}
	var out []string
	for _, p := range strings.Split(w, ",") {
		out = append(out, strings.TrimSpace(p))
	}
	return out
}
