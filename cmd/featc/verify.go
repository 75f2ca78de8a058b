package main

import (
	"flag"
	"fmt"
	"sort"
	"strings"

	"github.com/featc/featc/backends"
	"github.com/featc/featc/backends/engine"
	"github.com/featc/featc/eval"
	"github.com/featc/featc/internal/cases"
	"github.com/featc/featc/ir"
	"github.com/featc/featc/types"
)

// verify runs the outputs on the evaluator (the reference) and on every engine asked for, over
// the same data, and reports each difference: the row (by its key), the column and both values.
func (c *cli) verify(args []string) int {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	var rf runFlags
	fs.Var(&rf.inputs, "input", "bind a source (or a spine) to a file: NAME=PATH, or a spine to a frame: NAME=FRAME")
	fs.Var(&rf.params, "param", "give a param a value: NAME=VALUE")
	fs.Var(&rf.outputs, "output", "an output to check: NAME or NAME.column (repeatable; default: every output)")
	rf.mode = fs.String("mode", "", "the mode to compile")
	// Each embedded engine is checked unless --no-NAME, each server when --NAME gives its DSN.
	skip := map[*engine.Engine]*bool{}
	dsns := map[*engine.Engine]*string{}
	for _, e := range backends.Engines() {
		if e.Embedded {
			skip[e] = fs.Bool("no-"+e.Name, false, "do not check "+e.Noun)
		} else {
			dsns[e] = fs.String(e.Name, "", "also check "+e.Noun+" (DSN)")
		}
	}
	maxShown := fs.Int("max", 20, "show at most this many differences per output and engine")
	empty := ""
	rf.target, rf.engine, rf.format, rf.out = &empty, &empty, &empty, &empty
	paths, exit, ok := c.parseFlags(fs, args)
	if !ok {
		return exit
	}
	p, ok := c.loadOne(paths)
	if !ok {
		return exitUsage
	}
	cfg, err := loadConfig(paths)
	if err != nil {
		fmt.Fprintf(c.stderr, "featc: %v\n", err)
		return exitUsage
	}
	type engineRun struct {
		e      *engine.Engine
		target string
	}
	var engines []engineRun
	for _, e := range backends.Engines() {
		if e.Embedded && !*skip[e] {
			engines = append(engines, engineRun{e, ""})
		} else if !e.Embedded && *dsns[e] != "" {
			engines = append(engines, engineRun{e, *dsns[e]})
		}
	}
	if len(engines) == 0 {
		fmt.Fprintf(c.stderr, "featc: nothing to compare the evaluator with: %s\n", verifyEnginesHint())
		return exitUsage
	}
	ctx := c.ctx
	ref, err := c.evaluate(ctx, p, cfg, &rf, eval.ExpectOff)
	if err != nil {
		c.reportErr(err)
		return exitFail
	}
	defer releaseAll(ref)
	full, err := c.compileProject(p, cfg, *rf.mode)
	if err != nil {
		c.reportErr(err)
		return exitFail
	}
	prog := full.IR()
	var outputs []string
	for _, o := range ref {
		outputs = append(outputs, o.name)
	}
	differences := 0
	for _, e := range engines {
		for _, o := range ref {
			pl, err := c.compilePlan(p, cfg, *rf.mode, []string{o.name}, rf.inputs, nil, rf.params)
			if err != nil {
				c.reportErr(err)
				return exitFail
			}
			got, err := c.sqlEvaluate(ctx, pl, e.e, e.target)
			if err != nil {
				if !c.reportSQLErr(err) {
					c.reportErr(err)
				}
				fmt.Fprintf(c.stdout, "%s: %s cannot compute it: see the error above\n", o.name, e.e.Name)
				differences++
				continue
			}
			diffs, err := compareOutputs(prog.Def(o.name), o, got[0])
			releaseAll(got)
			if err != nil {
				c.reportErr(err)
				return exitFail
			}
			if len(diffs) == 0 {
				fmt.Fprintf(c.stdout, "%s: %s agrees with the evaluator (%d rows)\n", o.name, e.e.Name, o.rec.NumRows())
				continue
			}
			differences += len(diffs)
			fmt.Fprintf(c.stdout, "%s: %s differs from the evaluator in %d place(s):\n", o.name, e.e.Name, len(diffs))
			for j, d := range diffs {
				if j == *maxShown {
					fmt.Fprintf(c.stdout, "  … and %d more\n", len(diffs)-j)
					break
				}
				fmt.Fprintf(c.stdout, "  %s\n", d)
			}
		}
	}
	if differences > 0 {
		return exitFail
	}
	return exitOK
}

func releaseAll(outs []namedRecord) {
	for _, o := range outs {
		o.rec.Release()
	}
}

// verifyEngineFlags is the synopsis of verify's per-engine flags: [--NAME DSN] for each
// server, then [--no-NAME] for each embedded engine.
func verifyEngineFlags() string {
	var servers, embedded []string
	for _, e := range backends.Engines() {
		if e.Embedded {
			embedded = append(embedded, "[--no-"+e.Name+"]")
		} else {
			servers = append(servers, "[--"+e.Name+" DSN]")
		}
	}
	return strings.Join(append(servers, embedded...), " ")
}

// verifyEnginesHint says how to ask verify for an engine when none is left.
func verifyEnginesHint() string {
	var drop, give []string
	for _, e := range backends.Engines() {
		if e.Embedded {
			drop = append(drop, "--no-"+e.Name)
		} else {
			give = append(give, "--"+e.Name+" DSN")
		}
	}
	return "drop " + proseList(drop, "and") + ", or give " + proseList(give, "or")
}

// keyColumns returns the columns that identify an output's rows: the group keys of an
// aggregation, the spine's columns for entity features, else every column whose values compare
// exactly (not floats).
func keyColumns(d *ir.Def, schema ir.Schema) []int {
	var names []string
	if d != nil && d.Rel != nil {
		switch r := d.Rel.(type) {
		case *ir.Aggregate:
			for _, k := range r.Keys {
				names = append(names, k.Name)
			}
		default:
			if a := ir.ApplyOf(d.Rel); a != nil {
				names = a.Spine.Schema().Names()
			}
		}
	}
	var idx []int
	for _, n := range names {
		if i := schema.Index(n); i >= 0 {
			idx = append(idx, i)
		}
	}
	if len(idx) > 0 {
		return idx
	}
	for i, f := range schema {
		if f.Type.Kind != types.Float64 {
			idx = append(idx, i)
		}
	}
	return idx
}

// compareOutputs matches the rows of two results by key and compares them column by column
// (floats within a relative 1e-12, -0.0 equal to 0.0, as docs/semantics.md says).
func compareOutputs(d *ir.Def, want, got namedRecord) ([]string, error) {
	schema := schemaOf(want.rec)
	wrows, err := eval.RecordValues(want.rec, schema)
	if err != nil {
		return nil, err
	}
	grows, err := eval.RecordValues(got.rec, schema)
	if err != nil {
		return nil, err
	}
	keys := keyColumns(d, schema)
	render := func(row []types.Value) []string {
		out := make([]string, len(row))
		for i, v := range row {
			out[i] = v.String()
		}
		return out
	}
	keyOf := func(cells []string) string {
		var parts []string
		for _, k := range keys {
			parts = append(parts, schema[k].Name+"="+cells[k])
		}
		return strings.Join(parts, ", ")
	}
	group := func(rows [][]types.Value) (map[string][][]string, []string) {
		m := map[string][][]string{}
		var order []string
		for _, r := range rows {
			cells := render(r)
			k := keyOf(cells)
			if _, ok := m[k]; !ok {
				order = append(order, k)
			}
			m[k] = append(m[k], cells)
		}
		for _, rs := range m {
			sort.Slice(rs, func(i, j int) bool { return strings.Join(rs[i], "\x00") < strings.Join(rs[j], "\x00") })
		}
		return m, order
	}
	wm, worder := group(wrows)
	gm, gorder := group(grows)
	var diffs []string
	for _, k := range worder {
		ws, gs := wm[k], gm[k]
		for i, w := range ws {
			if i >= len(gs) {
				diffs = append(diffs, fmt.Sprintf("row (%s): missing (the evaluator has %s)", k, strings.Join(w, " | ")))
				continue
			}
			for c := range w {
				if !cases.SameCell(gs[i][c], w[c]) {
					diffs = append(diffs, fmt.Sprintf("row (%s), column %s: evaluator %s, engine %s", k, schema[c].Name, w[c], gs[i][c]))
				}
			}
		}
		for i := len(ws); i < len(gs); i++ {
			diffs = append(diffs, fmt.Sprintf("row (%s): extra row %s", k, strings.Join(gs[i], " | ")))
		}
	}
	for _, k := range gorder {
		if _, ok := wm[k]; !ok {
			for _, g := range gm[k] {
				diffs = append(diffs, fmt.Sprintf("row (%s): extra row %s", k, strings.Join(g, " | ")))
			}
		}
	}
	return diffs, nil
}
