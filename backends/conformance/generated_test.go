package conformance_test

import (
	"fmt"
	"testing"

	"github.com/featc/featc"
	"github.com/featc/featc/internal/gen"
	"github.com/featc/featc/stdlib"
)

// TestGeneratedMatrix runs every overload of the standard library, as generated expressions
// over columns of edge values (internal/cases.Edge), on the evaluator and every engine.
func TestGeneratedMatrix(t *testing.T) {
	engs := engines(t)
	lib := stdlib.Standard()
	for _, f := range lib.Funcs() {
		if f.Name == "cast" || f.Name == "when" {
			continue // casts have their own table below; when is case's syntax
		}
		for vi, probe := range gen.SpecialProbes(f) {
			key := fmt.Sprintf("%s/%d", f.Name, vi)
			t.Run(key, func(t *testing.T) { runGenerated(t, engs, f, key, probe, false) })
		}
		for _, o := range f.Overloads {
			for vi, probe := range gen.OverloadProbes(f, o) {
				key := fmt.Sprintf("%s/%d", o.ID, vi)
				if probe.Key != "" {
					key = o.ID + "/" + probe.Key
				}
				t.Run(key, func(t *testing.T) {
					runGenerated(t, engs, f, key, probe, false)
				})
				if f.Kind == stdlib.Aggregate {
					key := fmt.Sprintf("%s/%d/over", o.ID, vi)
					t.Run(key, func(t *testing.T) {
						runGenerated(t, engs, f, key, probe, true)
					})
				}
			}
		}
	}
}

func runGenerated(t *testing.T, engs []engine, f *stdlib.Func, key string, probe gen.Probe, over bool) {
	src := probe.Program(f, over)
	p, err := featc.CompileSources([]featc.Source{{Name: "matrix.feat", Text: src}})
	if err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	runProgram(t, engs, p, f.Kind == stdlib.Scalar, key)
}

// TestCastMatrix runs every allowed cast over the edge values of its source type (and, from
// strings, over texts of every type) on the evaluator and every engine.
func TestCastMatrix(t *testing.T) {
	engs := engines(t)
	for _, c := range stdlib.Casts() {
		key := fmt.Sprintf("cast_%s_%s", c.From, c.To)
		t.Run(key, func(t *testing.T) {
			src := gen.CastProgram(c)
			p, err := featc.CompileSources([]featc.Source{{Name: "matrix.feat", Text: src}})
			if err != nil {
				t.Fatalf("%v\n%s", err, src)
			}
			runProgram(t, engs, p, true, key)
		})
	}
}
