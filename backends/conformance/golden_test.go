package conformance_test

import (
	"context"
	"errors"
	"math/big"
	"strings"
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
	defer logCells(t)
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
						// Its diagnostics are the IR test's: the golden file must declare an
						// error, and no SQL.
						diags, _ := c.Section("out/diagnostics")
						if _, sql := c.Section("out/sql/" + e.d.Name); sql || !strings.Contains(diags, "error[") {
							t.Fatalf("the case does not compile (%v), and its golden file declares no error diagnostic, or has SQL for %s", err, e.d.Name)
						}
						return
					}
					runEmpty(t, e, p.IR(), c)
				})
			}
		})
	}
}

// runEmpty runs every output of prog on the engine over empty tables; an output the dialect
// refuses must be refused as the golden case's section out/sql/DIALECT says ("-- error: …").
func runEmpty(t *testing.T, e engine, prog *ir.Program, c *golden.Case) {
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
			section, _ := c.Section("out/sql/" + e.d.Name)
			var refused *sqlgen.Error
			if errors.As(err, &refused) && strings.Contains(section, "-- "+out+"\n-- error: "+err.Error()+"\n") {
				cellRefused(t, e.name, "declared in the golden file", err)
				continue
			}
			t.Fatalf("%s: %v (the golden file declares no such refusal)", out, err)
		}
		cellRan(t, e.name)
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
