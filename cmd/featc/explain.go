package main

import (
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/featc/featc"
	"github.com/featc/featc/backends"
	"github.com/featc/featc/backends/sqlgen"
	"github.com/featc/featc/ir"
	"github.com/featc/featc/lang"
	"github.com/featc/featc/stdlib"
)

func (c *cli) explain(args []string) int {
	fs := flag.NewFlagSet("explain", flag.ContinueOnError)
	var outputs multiFlag
	fs.Var(&outputs, "output", "an output to explain: NAME or NAME.column (repeatable)")
	mode := fs.String("mode", "", "the mode to compile")
	downstream := fs.String("downstream", "", "list the definitions that read NAME, directly or not")
	graph := fs.String("graph", "", "print the definitions' graph as dot or mermaid")
	modes := fs.Bool("modes", false, "list the definitions that differ between modes")
	functions := fs.Bool("functions", false, "list the standard library")
	markdown := fs.Bool("markdown", false, "with --functions: render docs/functions.md; with --polars: docs/polars.md")
	polars := fs.Bool("polars", false, "with --markdown: the Polars names featc takes, and how")
	paths, exit, ok := c.parseFlags(fs, args)
	if !ok {
		return exit
	}
	if *polars && *markdown {
		writePolarsMarkdown(c.stdout, stdlib.Standard())
		return exitOK
	}
	if *functions && *markdown {
		writeFunctionsMarkdown(c.stdout, stdlib.Standard())
		return exitOK
	}
	if *functions {
		writeFunctions(c.stdout, stdlib.Standard())
		return exitOK
	}
	if *graph != "" && *graph != "dot" && *graph != "mermaid" {
		fmt.Fprintf(c.stderr, "featc: --graph takes dot or mermaid, not %q\n", *graph)
		return exitUsage
	}
	p, ok := c.loadOne(paths)
	if !ok {
		return exitUsage
	}
	if *modes {
		return c.explainModes(p)
	}
	cfg, err := loadConfig(paths)
	if err != nil {
		fmt.Fprintf(c.stderr, "featc: %v\n", err)
		return exitUsage
	}
	var opts []featc.Option
	if len(outputs) > 0 {
		opts = append(opts, featc.Outputs(outputs...))
	}
	prog, err := c.compileProject(p, cfg, *mode, opts...) // featc.toml's mode, as run and compile take it
	if err != nil {
		c.reportErr(err)
		return exitFail
	}
	irp := prog.IR()
	switch {
	case *downstream != "":
		if irp.Def(*downstream) == nil {
			fmt.Fprintf(c.stderr, "featc: no definition named %s\n", *downstream)
			return exitFail
		}
		readers := irp.Downstream(*downstream)
		if len(readers) == 0 {
			fmt.Fprintf(c.stdout, "nothing reads %s\n", *downstream)
			return exitOK
		}
		fmt.Fprintf(c.stdout, "read by %s, directly or not:\n", *downstream)
		for _, r := range readers {
			fmt.Fprintf(c.stdout, "  %s (%s)\n", r, irp.Def(r).Kind)
		}
		return exitOK
	case *graph == "dot":
		writeDot(c.stdout, irp)
		return exitOK
	case *graph == "mermaid":
		writeMermaid(c.stdout, irp)
		return exitOK
	}
	names := []string(nil)
	for _, o := range ir.ParseOutputs(outputs) {
		names = append(names, o.Def)
	}
	if len(names) == 0 {
		names = irp.Outputs()
	}
	for i, n := range names {
		if i > 0 {
			fmt.Fprintln(c.stdout)
		}
		d := irp.Def(n)
		fmt.Fprintf(c.stdout, "== %s\n", n)
		if up := irp.Upstream(n); len(up) > 0 {
			fmt.Fprintf(c.stdout, "lineage: %s\n", strings.Join(up, " -> ")+" -> "+n)
		}
		fmt.Fprint(c.stdout, d.String())
		if d.Kind == ir.EntityFeaturesDef {
			c.explainStrategy(irp, n)
		}
	}
	return exitOK
}

// explainStrategy says how each engine computes entity features for a spine: the evaluator
// in-process, each SQL dialect by the plan featc lowers to (or why it refuses).
func (c *cli) explainStrategy(irp *ir.Program, name string) {
	fmt.Fprintln(c.stdout, "strategy (per spine row, the entity's rows as of t):")
	fmt.Fprintf(c.stdout, "  %-10s each source indexed by the entity key once per run; every spine row aggregates its own entity's rows\n", backends.Evaluator+":")
	for _, e := range backends.Engines() {
		spine := sqlgen.Options{Spines: map[string]sqlgen.Relation{name: {Table: name + "_spine"}}}
		st, err := sqlgen.CompileOutput(irp, e.Dialect, name, spine)
		if err != nil {
			fmt.Fprintf(c.stdout, "  %-10s refused: %v\n", e.Name+":", err)
			continue
		}
		fmt.Fprintf(c.stdout, "  %-10s %s\n", e.Name+":", sqlgen.StrategyText(st.Strategy))
	}
}

// explainModes compiles every mode and lists the definitions whose typed plans differ.
func (c *cli) explainModes(p *project) int {
	files, diags := featc.Parse(p.srcs)
	if c.report(diags) {
		return exitFail
	}
	modeSet := map[string]bool{}
	for _, f := range files {
		for _, d := range f.Decls {
			if m, ok := d.(*lang.ModeDecl); ok {
				modeSet[m.Name.Name] = true
			}
		}
	}
	modes := sortedNames(modeSet)
	if len(modes) == 0 {
		fmt.Fprintln(c.stdout, "no modes: every definition is shared")
		return exitOK
	}
	plans := map[string]map[string]string{} // name -> mode -> plan
	kinds := map[string]map[string]string{}
	for _, m := range modes {
		prog, err := featc.CompileSources(p.srcs, featc.Mode(m))
		if err != nil {
			fmt.Fprintf(c.stderr, "mode %s does not compile:\n", m)
			c.reportErr(err)
			return exitFail
		}
		for _, d := range prog.IR().Defs {
			if plans[d.Name] == nil {
				plans[d.Name] = map[string]string{}
				kinds[d.Name] = map[string]string{}
			}
			nd := *d
			nd.Mode = ""
			plans[d.Name][m] = nd.String()
			kinds[d.Name][m] = d.Kind.String()
			if d.Mode != "" {
				kinds[d.Name][m] += " in mode " + d.Mode
			}
		}
	}
	var names []string
	for n := range plans {
		names = append(names, n)
	}
	sort.Strings(names)
	differ := 0
	for _, n := range names {
		var parts []string
		same := len(plans[n]) == len(modes)
		var first string
		for i, m := range modes {
			plan, ok := plans[n][m]
			if !ok {
				parts = append(parts, m+": not defined")
				continue
			}
			if i == 0 {
				first = plan
			} else if plan != first {
				same = false
			}
			parts = append(parts, m+": "+kinds[n][m])
		}
		if same {
			continue
		}
		differ++
		fmt.Fprintf(c.stdout, "%s differs: %s\n", n, strings.Join(parts, "; "))
	}
	if differ == 0 {
		fmt.Fprintf(c.stdout, "no definition differs between modes %s\n", strings.Join(modes, ", "))
	}
	return exitOK
}

func writeDot(w io.Writer, p *ir.Program) {
	fmt.Fprintln(w, "digraph featc {")
	fmt.Fprintln(w, "  rankdir=LR;")
	for _, d := range p.Defs {
		fmt.Fprintf(w, "  %q [shape=%s];\n", d.Name, dotShape(d.Kind))
	}
	for _, d := range p.Defs {
		for _, dep := range d.Deps {
			fmt.Fprintf(w, "  %q -> %q;\n", dep, d.Name)
		}
	}
	fmt.Fprintln(w, "}")
}

func dotShape(k ir.DefKind) string {
	switch k {
	case ir.SourceDef:
		return "cylinder"
	case ir.ParamDef, ir.LetDef:
		return "ellipse"
	case ir.EntityDef:
		return "diamond"
	}
	return "box"
}

func writeMermaid(w io.Writer, p *ir.Program) {
	fmt.Fprintln(w, "graph LR")
	for _, d := range p.Defs {
		open, close := "[", "]"
		switch d.Kind {
		case ir.SourceDef:
			open, close = "[(", ")]"
		case ir.ParamDef, ir.LetDef:
			open, close = "([", "])"
		case ir.EntityDef:
			open, close = "{", "}"
		}
		fmt.Fprintf(w, "  %s%s\"%s %s\"%s\n", d.Name, open, d.Kind, d.Name, close)
	}
	for _, d := range p.Defs {
		for _, dep := range d.Deps {
			fmt.Fprintf(w, "  %s --> %s\n", dep, d.Name)
		}
	}
}

// writeFunctions lists the standard library: each function with its signatures.
func writeFunctions(w io.Writer, lib *stdlib.Library) {
	family := ""
	for _, f := range lib.Funcs() {
		if f.Internal {
			continue
		}
		if f.Family != family {
			family = f.Family
			fmt.Fprintf(w, "\n%s\n", strings.ToUpper(family))
		}
		call := f.Name
		switch {
		case f.Operator != "":
			call = f.Operator + " (" + f.Name + ")"
		case f.Method && f.Function:
			call = "x." + f.Name + "(…), " + f.Name + "(x, …)"
		case f.Method:
			call = "x." + f.Name + "(…)"
		default:
			call = f.Name + "(…)"
		}
		fmt.Fprintf(w, "  %-36s %s\n", call, f.Kind)
		for _, o := range f.Overloads {
			fmt.Fprintf(w, "      %s\n", f.Signature(o))
		}
	}
}
