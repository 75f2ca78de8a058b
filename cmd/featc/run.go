package main

import (
	"context"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/featc/featc/backends"
	"github.com/featc/featc/backends/engine"
	"github.com/featc/featc/eval"
	"github.com/featc/featc/internal/dataio"
	"github.com/featc/featc/ir"
)

// runFlags are the flags shared by run and verify.
type runFlags struct {
	inputs  multiFlag
	params  multiFlag
	outputs multiFlag
	mode    *string
	engine  *string
	target  *string
	tables  multiFlag
	format  *string
	out     *string
	expect  *string
}

func (c *cli) run(args []string) int {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	var rf runFlags
	fs.Var(&rf.inputs, "input", "bind a source (or the spine of entity features) to a file: NAME=PATH (.parquet, .csv, .arrow), or a spine to a frame of the program: NAME=FRAME")
	fs.Var(&rf.params, "param", "give a param a value: NAME=VALUE")
	fs.Var(&rf.outputs, "output", "an output to compute: NAME or NAME.column (repeatable; default: every output)")
	rf.mode = fs.String("mode", "", "the mode to compile")
	// The default is the engine of no --target: embedded, in memory.
	rf.engine = fs.String("engine", backends.Default().Name, engineHelp())
	rf.target = fs.String("target", "", "the database of the engine: "+targetHelp())
	fs.Var(&rf.tables, "table", "bind a source (or a spine) to a table or query of the database: NAME=TABLE")
	rf.format = fs.String("format", "table", "the output format: table, csv, json or parquet")
	rf.out = fs.String("out", "", "write to this file (a directory for several outputs) instead of stdout; required for parquet")
	rf.expect = fs.String("expect", "declared", "expectations: declared (each at its level: error stops, warn warns), warn (all warn) or off")
	paths, exit, ok := c.parseFlags(fs, args)
	if !ok {
		return exit
	}
	switch *rf.format {
	case "table", "csv", "json", "parquet":
	default:
		fmt.Fprintf(c.stderr, "featc: --format takes table, csv, json or parquet, not %q\n", *rf.format)
		return exitUsage
	}
	var sqlEngine *engine.Engine // nil: the evaluator
	if *rf.engine != backends.Evaluator {
		var err error
		if sqlEngine, err = backends.Lookup(*rf.engine); err != nil {
			fmt.Fprintf(c.stderr, "featc: unknown engine %q (the engines are: %s)\n", *rf.engine, strings.Join(engineNames(), ", "))
			return exitUsage
		}
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
	expect, err := parseExpect(*rf.expect)
	if err != nil {
		fmt.Fprintf(c.stderr, "featc: %v\n", err)
		return exitUsage
	}
	ctx := c.ctx
	var outs []namedRecord
	if sqlEngine == nil {
		outs, err = c.evaluate(ctx, p, cfg, &rf, expect)
	} else {
		var pl *plan
		pl, err = c.compilePlan(p, cfg, *rf.mode, rf.outputs, rf.inputs, rf.tables, rf.params)
		if err == nil {
			outs, err = c.sqlEvaluate(ctx, pl, sqlEngine, *rf.target)
		}
		if err == nil {
			err = c.checkEngineOutputs(ctx, pl, outs, expect)
		}
	}
	if err != nil {
		if !c.reportSQLErr(err) {
			c.reportErr(err)
		}
		return exitFail
	}
	defer func() {
		for _, o := range outs {
			o.rec.Release()
		}
	}()
	if err := c.sortOutputs(p, cfg, *rf.mode, outs); err != nil {
		c.reportErr(err)
		return exitFail
	}
	return c.write(outs, *rf.format, *rf.out)
}

// namedRecord is a computed output.
type namedRecord struct {
	name string
	rec  arrow.RecordBatch
}

// evaluate compiles the project, reads its inputs and runs the requested outputs on the
// evaluator.
func (c *cli) evaluate(ctx context.Context, p *project, cfg *config, rf *runFlags, expect eval.ExpectMode) ([]namedRecord, error) {
	full, err := c.compileProject(p, cfg, *rf.mode)
	if err != nil {
		return nil, err
	}
	inputs, err := keyValues("input", rf.inputs)
	if err != nil {
		return nil, err
	}
	flagInputs := maps.Clone(inputs)
	for k, v := range cfg.Inputs {
		if _, ok := inputs[k]; !ok {
			inputs[k] = v
		}
	}
	paramText, err := keyValues("param", rf.params)
	if err != nil {
		return nil, err
	}
	if err := checkBindings(full.IR(), cfg, flagInputs, nil, paramText); err != nil {
		return nil, err
	}
	for k, v := range cfg.Params {
		if _, ok := paramText[k]; !ok {
			paramText[k] = v
		}
	}
	prog := full.IR()
	outputs := []string(rf.outputs)
	if len(outputs) == 0 {
		for _, name := range prog.Outputs() {
			d := prog.Def(name)
			if d.Kind == ir.EntityFeaturesDef {
				if _, ok := inputs[name]; !ok {
					fmt.Fprintf(c.stderr, "featc: skipping %s: bind its spine with --input %s=PATH (or =FRAME)\n", name, name)
					continue
				}
			}
			outputs = append(outputs, name)
		}
	}
	if len(outputs) == 0 {
		return nil, fmt.Errorf("nothing to compute: the program has no output with its inputs bound")
	}
	ev, err := eval.New(prog, eval.Outputs(outputs...), eval.Expectations(expect))
	if err != nil {
		return nil, err
	}
	pruned := ev.Program()
	params := eval.Params{}
	for name, text := range paramText {
		// Every param given is parsed, also one only a spine frame reads (computed by its own
		// evaluator below); the output's evaluator ignores those it does not need.
		d := prog.Def(name)
		if d == nil || d.Kind != ir.ParamDef {
			return nil, fmt.Errorf("--param %s: the program has no param %s", name, name)
		}
		v, err := eval.ParseParam(text, d.Type)
		if err != nil {
			return nil, fmt.Errorf("--param %s: %v", name, err)
		}
		params[name] = v
	}
	if err := missingParam(pruned, params); err != nil {
		return nil, err
	}
	mem := memory.DefaultAllocator
	recs := eval.Inputs{}
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	var needed []string
	for _, d := range pruned.Defs {
		if d.Kind == ir.SourceDef || (d.Kind == ir.EntityFeaturesDef && ev.NeedsSpine(d.Name)) {
			needed = append(needed, d.Name)
		}
	}
	for _, name := range needed {
		path, ok := inputs[name]
		if !ok {
			return nil, fmt.Errorf("source %s has no data: give --input %s=PATH or an [inputs] entry in %s", name, name, configName)
		}
		d := pruned.Def(name)
		schema := d.Schema
		var rec arrow.RecordBatch
		switch {
		case d.Kind == ir.EntityFeaturesDef && prog.Def(path) != nil:
			// The spine frame's every column passes through to the output.
			rec, err = c.spineFromFrame(ctx, prog, path, inputs, params)
		case d.Kind == ir.EntityFeaturesDef:
			if schema, err = dataio.SpineSchema(path, ir.ApplyOf(d.Rel).Spine.Schema()); err == nil {
				rec, err = dataio.Read(mem, path, schema)
			}
		default:
			rec, err = dataio.Read(mem, path, schema)
		}
		if err != nil {
			return nil, fmt.Errorf("input %s: %w", name, err)
		}
		recs[name] = rec
	}
	res, err := ev.Run(ctx, recs, params)
	if err != nil {
		return nil, err
	}
	defer res.Release()
	c.warnExpect(res.ExpectWarnings())
	var out []namedRecord
	for _, name := range ev.OutputNames() {
		if pruned.Def(name).Kind == ir.LetDef {
			v, _, err := res.Scalar(name)
			if err != nil {
				return nil, err
			}
			out = append(out, namedRecord{name: name, rec: eval.ValueRecord(mem, name, v)})
			continue
		}
		rec, err := res.Record(name)
		if err != nil {
			return nil, err
		}
		out = append(out, namedRecord{name: name, rec: rec})
	}
	return out, nil
}

// missingParam reports a param the program reads that has neither a value nor a default, in
// the command line's terms (the evaluator's own error speaks of eval.Params).
func missingParam(prog *ir.Program, params eval.Params) error {
	for _, d := range prog.Defs {
		if _, ok := params[d.Name]; d.Kind == ir.ParamDef && !ok && d.Default == nil {
			return fmt.Errorf("param %s (%s) has no value: give --param %s=VALUE or a [params] entry in %s", d.Name, d.Type, d.Name, configName)
		}
	}
	return nil
}

// spineFromFrame computes a frame of the program to use its rows as the spine of entity
// features: the frame must have the spine's columns.
func (c *cli) spineFromFrame(ctx context.Context, prog *ir.Program, frame string, inputs map[string]string, params eval.Params) (arrow.RecordBatch, error) {
	ev, err := eval.New(prog, eval.Outputs(frame))
	if err != nil {
		return nil, fmt.Errorf("the spine frame %s: %w", frame, err)
	}
	if err := missingParam(ev.Program(), params); err != nil {
		return nil, err
	}
	recs := eval.Inputs{}
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	for _, d := range ev.Program().Defs {
		if d.Kind != ir.SourceDef {
			continue
		}
		path, ok := inputs[d.Name]
		if !ok {
			return nil, fmt.Errorf("source %s has no data", d.Name)
		}
		rec, err := dataio.Read(memory.DefaultAllocator, path, d.Schema)
		if err != nil {
			return nil, err
		}
		recs[d.Name] = rec
	}
	res, err := ev.Run(ctx, recs, params)
	if err != nil {
		return nil, err
	}
	defer res.Release()
	return res.Record(frame)
}

func (c *cli) write(outs []namedRecord, format, out string) int {
	if format == "parquet" && out == "" {
		fmt.Fprintln(c.stderr, "featc: --format parquet needs --out PATH")
		return exitUsage
	}
	if len(outs) > 1 && format != "table" && out == "" {
		var names []string
		for _, o := range outs {
			names = append(names, o.name)
		}
		fmt.Fprintf(c.stderr, "featc: %s holds one output; ask for one with --output (of %s), or give --out DIR\n", format, strings.Join(names, ", "))
		return exitUsage
	}
	for i, o := range outs {
		var err error
		target := out
		if out != "" && len(outs) > 1 {
			if err := os.MkdirAll(out, 0o755); err != nil {
				fmt.Fprintf(c.stderr, "featc: %v\n", err)
				return exitFail
			}
			target = filepath.Join(out, o.name+"."+format)
		}
		if format == "parquet" {
			err = dataio.WriteParquet(target, o.rec)
		} else {
			w := c.stdout
			var f *os.File
			if target != "" {
				f, err = os.Create(target)
				if err != nil {
					fmt.Fprintf(c.stderr, "featc: %v\n", err)
					return exitFail
				}
				w = f
			}
			switch format {
			case "table":
				if len(outs) > 1 {
					if i > 0 {
						fmt.Fprintln(w)
					}
					fmt.Fprintf(w, "== %s\n", o.name)
				}
				err = dataio.WriteTable(w, o.rec)
			case "csv":
				err = dataio.WriteCSV(w, o.rec)
			case "json":
				err = dataio.WriteJSON(w, o.rec)
			}
			if f != nil {
				if cerr := f.Close(); err == nil {
					err = cerr
				}
			}
		}
		if err != nil {
			fmt.Fprintf(c.stderr, "featc: writing %s: %v\n", o.name, err)
			return exitFail
		}
	}
	return exitOK
}

// sortOutputs puts the rows of each unordered output in featc's total order, so that a run
// prints the same rows in the same order on every engine; an output ending in a sort keeps
// its order.
func (c *cli) sortOutputs(p *project, cfg *config, mode string, outs []namedRecord) error {
	full, err := c.compileProject(p, cfg, mode)
	if err != nil {
		return err
	}
	for i, o := range outs {
		d := full.IR().Def(o.name)
		if d == nil || d.Rel == nil || ir.Ordered(d.Rel) {
			continue
		}
		schema := schemaOf(o.rec)
		sorted, err := eval.SortRecord(memory.DefaultAllocator, o.rec, schema)
		if err != nil {
			return err
		}
		o.rec.Release()
		outs[i].rec = sorted
	}
	return nil
}

// schemaOf reads a record's featc schema back from its Arrow types.
func schemaOf(rec arrow.RecordBatch) ir.Schema {
	var s ir.Schema
	for _, f := range rec.Schema().Fields() {
		s = append(s, ir.Field{Name: f.Name, Type: eval.TypeOf(f.Type)})
	}
	return s
}
