package conformance_test

import (
	"context"
	"math/big"
	"testing"

	"github.com/featc/featc"
	"github.com/featc/featc/backends/sqlgen"
	"github.com/featc/featc/backends/sqlrun"
	"github.com/featc/featc/internal/golden"
	"github.com/featc/featc/ir"
	"github.com/featc/featc/types"
)

// TestGoldenSQLExecutes runs the SQL of every golden case on every engine, over empty tables
// of the declared schemas: each statement must be accepted by the engine and return the
// output's columns (the golden files hold the text; this proves it is SQL the engine runs).
func TestGoldenSQLExecutes(t *testing.T) {
	gcases, err := golden.Load("../../testdata/golden/*.txtar")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range engines(t) {
		t.Run(e.name, func(t *testing.T) {
			for _, c := range gcases {
				t.Run(c.Name(), func(t *testing.T) {
					var srcs []featc.Source
					for _, f := range c.Inputs() {
						srcs = append(srcs, featc.Source{Name: f.Name, Text: string(f.Data)})
					}
					var opts []featc.Option
					if m := c.Directive("mode"); len(m) > 0 {
						opts = append(opts, featc.Mode(m[0]))
					}
					if outs := c.Directive("output"); len(outs) > 0 {
						opts = append(opts, featc.Outputs(outs...))
					}
					p, err := featc.CompileSources(srcs, opts...)
					if err != nil {
						t.Skip("the case does not compile: its diagnostics are the IR test's")
					}
					runEmpty(t, e, p.IR())
				})
			}
		})
	}
}

func runEmpty(t *testing.T, e engine, prog *ir.Program) {
	ctx := context.Background()
	conn, done := e.open(t)
	defer done()
	o := sqlgen.Options{Params: map[string]types.Value{}, Spines: map[string]sqlgen.Relation{}}
	for _, d := range prog.Defs {
		switch d.Kind {
		case ir.SourceDef:
			load(t, ctx, conn, e.d, d.Name, d.Schema, nil)
		case ir.EntityFeaturesDef:
			spine := ir.ApplyOf(d.Rel).Spine.Schema()
			load(t, ctx, conn, e.d, d.Name+"_spine", spine, nil)
			o.Spines[d.Name] = sqlgen.Relation{Table: d.Name + "_spine"}
		case ir.ParamDef:
			if d.Default != nil {
				o.Params[d.Name] = *d.Default
			} else {
				o.Params[d.Name] = zero(d.Type)
			}
		}
	}
	for _, out := range prog.Outputs() {
		st, err := sqlgen.CompileOutput(prog, e.d, out, o)
		if err != nil {
			if _, ok := err.(*sqlgen.Error); ok {
				continue // a declared refusal, in the golden file
			}
			t.Fatalf("%s: %v", out, err)
		}
		if _, err := sqlrun.Query(ctx, conn, st); err != nil {
			t.Errorf("%s: %v\n%s", out, err, st.SQL)
		}
	}
}

func zero(t types.Type) types.Value {
	v := types.Value{Type: t}
	if t.Kind == types.Decimal {
		v = types.DecimalValue(bigZero(), t)
	}
	return v
}

func bigZero() *big.Int { return new(big.Int) }
