package sqlgen_test

import (
	"flag"
	"strings"
	"testing"

	"github.com/featc/featc"
	"github.com/featc/featc/backends/sqlgen"
	"github.com/featc/featc/internal/golden"
	"github.com/featc/featc/ir"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestGolden checks the SQL of every case of testdata/golden in every dialect (sections
// out/sql/DIALECT): each output's statement, or the refusal of a construct the dialect cannot
// compute. Sources read tables named like them; entity features read the spine table NAME_spine.
// Run with -update to rewrite, and review the diff.
func TestGolden(t *testing.T) {
	cases, err := golden.Load("../../testdata/golden/*.txtar")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(c.Name(), func(t *testing.T) {
			prog := GoldenProgram(c)
			for _, d := range dialects() {
				section := "out/sql/" + d.Name
				got := ""
				if prog != nil {
					got = golden.Normalize(Render(prog, d))
				}
				if *update {
					c.Set(section, got)
					continue
				}
				want, _ := c.Section(section)
				if got != want {
					t.Errorf("%s differs (run go test ./backends/sqlgen -update and review the diff)\n--- want\n%s--- got\n%s", section, want, got)
				}
			}
			if *update {
				if err := c.Save(); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

// GoldenProgram compiles a golden case (nil when it does not compile: its diagnostics are
// the IR test's).
func GoldenProgram(c *golden.Case) *ir.Program {
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
		return nil
	}
	return p.IR()
}

// Render writes every output's statement, or its refusal.
func Render(prog *ir.Program, d *sqlgen.Dialect) string {
	var b strings.Builder
	opts := sqlgen.Options{Spines: map[string]sqlgen.Relation{}}
	for _, def := range prog.Defs {
		if def.Kind == ir.EntityFeaturesDef {
			opts.Spines[def.Name] = sqlgen.Relation{Table: def.Name + "_spine"}
		}
	}
	for _, out := range prog.Outputs() {
		b.WriteString("-- " + out + "\n")
		st, err := sqlgen.CompileOutput(prog, d, out, opts)
		if err != nil {
			b.WriteString("-- error: " + err.Error() + "\n\n")
			continue
		}
		if len(st.Params) > 0 {
			b.WriteString("-- params: " + strings.Join(st.Params, ", ") + "\n")
		}
		b.WriteString(st.SQL + ";\n\n")
	}
	return b.String()
}
