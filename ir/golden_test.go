package ir_test

import (
	"flag"
	"strings"
	"testing"

	"github.com/featc/featc"
	"github.com/featc/featc/internal/golden"
	"github.com/featc/featc/ir"
	"github.com/featc/featc/lang"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestGolden checks every case of testdata/golden: its typed IR (out/ir), after pruning to
// the case's outputs, and its diagnostics (out/diagnostics). Run with -update to rewrite.
func TestGolden(t *testing.T) {
	cases, err := golden.Load("../testdata/golden/*.txtar")
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < 40 {
		t.Errorf("the golden corpus has %d cases; it should keep at least 40", len(cases))
	}
	for _, c := range cases {
		t.Run(c.Name(), func(t *testing.T) {
			irText, diagText := compileCase(c)
			check := func(section, got string) {
				got = golden.Normalize(got)
				if *update {
					c.Set(section, got)
					return
				}
				want, _ := c.Section(section)
				if got != want {
					t.Errorf("%s differs (run go test ./ir -update and review the diff)\n--- want\n%s--- got\n%s", section, want, got)
				}
			}
			check("out/ir", irText)
			check("out/diagnostics", diagText)
			if *update {
				if err := c.Save(); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

// compileCase compiles a case's inputs in its mode and renders its IR and diagnostics.
func compileCase(c *golden.Case) (irText, diagText string) {
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
	prog, err := featc.CompileSources(srcs, opts...)
	var diags lang.Diagnostics
	if err != nil {
		if de, ok := err.(*lang.DiagnosticsError); ok {
			diags = de.Diags
		} else {
			return "", err.Error()
		}
	} else {
		diags = prog.Warnings()
		irText = prog.IR().String()
	}
	var b strings.Builder
	for _, d := range diags {
		b.WriteString(d.Error())
		b.WriteByte('\n')
	}
	return irText, b.String()
}

var _ = ir.Prune
