package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/featc/featc"
	"github.com/featc/featc/backends"
	"github.com/featc/featc/backends/engine"
	"github.com/featc/featc/backends/sqlgen"
	"github.com/featc/featc/backends/sqlrun"
	"github.com/featc/featc/eval"
	"github.com/featc/featc/internal/dataio"
	"github.com/featc/featc/ir"
	"github.com/featc/featc/lang"
	"github.com/featc/featc/types"
)

// engineNames lists the engines of featc run, sorted: the evaluator and the registry's SQL
// engines.
func engineNames() []string {
	names := append(backends.Names(), backends.Evaluator)
	sort.Strings(names)
	return names
}

// engineHelp describes --engine: each engine's name, what it is, and which need --target.
func engineHelp() string {
	var items, servers []string
	for _, name := range engineNames() {
		e, _ := backends.Lookup(name)
		switch {
		case name == backends.Evaluator:
			items = append(items, name+" (the in-process evaluator)")
		case e.Embedded:
			items = append(items, name+" (embedded)")
		default:
			servers = append(servers, name)
		}
	}
	if len(servers) > 0 {
		with := "(with --target)"
		if n := len(servers); n == 2 {
			with = "(the last two with --target)"
		} else if n > 2 {
			with = fmt.Sprintf("(the last %d with --target)", n)
		}
		items = append(items, proseList(servers, "or")+" "+with)
	}
	return "the engine: " + strings.Join(items, ", ")
}

// targetHelp says what a --target names, per engine.
func targetHelp() string {
	var forms []string
	for _, e := range backends.Engines() {
		forms = append(forms, e.TargetHelp)
	}
	return proseList(forms, "or")
}

// proseList writes items as prose: "a", "a or b", "a, b or c" (with conj "or").
func proseList(items []string, conj string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " " + conj + " " + items[len(items)-1]
}

// compileProject compiles the project in its mode (the flag's, else featc.toml's), with the
// options given, and reports its warnings, each once per invocation. Every command compiling
// a project does so through it.
func (c *cli) compileProject(p *project, cfg *config, mode string, opts ...featc.Option) (*featc.Program, error) {
	if mode == "" {
		mode = cfg.Mode
	}
	if mode != "" {
		opts = append(slices.Clip(opts), featc.Mode(mode))
	}
	prog, err := featc.CompileSources(p.srcs, opts...)
	if err != nil {
		return nil, err
	}
	c.report(prog.Warnings())
	return prog, nil
}

// plan is a program compiled for a run: the full program, the outputs asked for, and the
// bindings of its sources, spines and params.
type plan struct {
	full    *ir.Program
	outputs []string
	inputs  map[string]string // source or spine → file, or spine → frame
	tables  map[string]string // source or spine → table or query
	params  map[string]string // param → text
	// placeholders lets params without a value become query placeholders (featc compile).
	placeholders bool
	// memory says the engine starts empty (DuckDB in memory): every source needs data.
	memory bool
	// readCSV says CSV inputs are read by featc's own reader and loaded into the engine (a
	// run), so that they mean exactly what they mean to the evaluator; compile writes the
	// engine's CSV reader instead.
	readCSV bool
}

// compilePlan compiles the project in its mode and gathers bindings from flags and featc.toml
// (flags first). Without --output, the outputs are every frame and features block, and the
// entity features whose spine is bound.
func (c *cli) compilePlan(p *project, cfg *config, mode string, outputs, inputs, tables, params []string) (*plan, error) {
	full, err := c.compileProject(p, cfg, mode)
	if err != nil {
		return nil, err
	}
	pl := &plan{full: full.IR()}
	if pl.inputs, err = keyValues("input", inputs); err != nil {
		return nil, err
	}
	if pl.tables, err = keyValues("table", tables); err != nil {
		return nil, err
	}
	if pl.params, err = keyValues("param", params); err != nil {
		return nil, err
	}
	if err := checkBindings(pl.full, cfg, pl.inputs, pl.tables, pl.params); err != nil {
		return nil, err
	}
	for k, v := range cfg.Inputs {
		if _, ok := pl.inputs[k]; !ok {
			pl.inputs[k] = v
		}
	}
	for k, v := range cfg.Tables {
		if _, ok := pl.tables[k]; !ok {
			pl.tables[k] = v
		}
	}
	for k, v := range cfg.Params {
		if _, ok := pl.params[k]; !ok {
			pl.params[k] = v
		}
	}
	pl.outputs = outputs
	if len(pl.outputs) == 0 {
		for _, name := range pl.full.Outputs() {
			if pl.full.Def(name).Kind == ir.EntityFeaturesDef && pl.inputs[name] == "" && pl.tables[name] == "" {
				fmt.Fprintf(c.stderr, "featc: skipping %s: bind its spine with --input %s=PATH|FRAME or --table %s=TABLE\n", name, name, name)
				continue
			}
			pl.outputs = append(pl.outputs, name)
		}
	}
	if len(pl.outputs) == 0 {
		return nil, errors.New("nothing to compute: the program has no output with its inputs bound")
	}
	return pl, nil
}

// pruned returns the program cut down to the plan's outputs.
func (pl *plan) pruned() (*ir.Program, error) {
	outs := append([]string{}, pl.outputs...)
	// A frame computing a spine stays in the program.
	for _, o := range ir.ParseOutputs(pl.outputs) {
		if d := pl.full.Def(o.Def); d != nil && d.Kind == ir.EntityFeaturesDef {
			if f, ok := pl.inputs[o.Def]; ok && pl.full.Def(f) != nil {
				outs = append(outs, f)
			}
		}
	}
	prog, diags := ir.Prune(pl.full, ir.ParseOutputs(outs))
	if prog == nil {
		return nil, diags.Err()
	}
	// A spine frame also asked for by some of its columns is computed whole and shows those.
	for _, o := range ir.ParseOutputs(pl.outputs) {
		if len(o.Columns) > 0 && len(outs) > len(pl.outputs) && slices.Contains(outs[len(pl.outputs):], o.Def) {
			if prog.Shown == nil {
				prog.Shown = map[string][]string{}
			}
			prog.Shown[o.Def] = o.Columns
		}
	}
	return prog, nil
}

// paramValues parses the given params by their declared types.
func (pl *plan) paramValues(prog *ir.Program) (map[string]types.Value, error) {
	out := map[string]types.Value{}
	for name, text := range pl.params {
		d := prog.Def(name)
		if d == nil || d.Kind != ir.ParamDef {
			continue // not needed by these outputs
		}
		v, err := eval.ParseParam(text, d.Type)
		if err != nil {
			return nil, fmt.Errorf("--param %s: %v", name, err)
		}
		out[name] = v
	}
	for _, d := range prog.Defs {
		if d.Kind == ir.ParamDef {
			if _, ok := out[d.Name]; !ok && d.Default == nil {
				if pl.placeholders {
					continue
				}
				return nil, fmt.Errorf("param %s (%s) has no value: give --param %s=VALUE or a [params] entry in %s", d.Name, d.Type, d.Name, configName)
			} else if !ok {
				out[d.Name] = *d.Default
			}
		}
	}
	return out, nil
}

// relationOf turns a [tables] or --table value into a relation: a query when it starts with
// SELECT or WITH, else a table name.
func relationOf(v string) sqlgen.Relation {
	head := strings.ToUpper(strings.TrimSpace(v))
	if strings.HasPrefix(head, "SELECT") || strings.HasPrefix(head, "WITH") || strings.HasPrefix(head, "(") {
		return sqlgen.Relation{Query: v}
	}
	return sqlgen.Relation{Table: v}
}

// load is an input file that an engine reading tables only gets as a temporary table.
type load struct {
	name, path, table string
	schema            ir.Schema
}

// sqlOptions binds the program's sources and spines for a dialect: tables and queries as
// given; files read by the engine where it can (DuckDB), or loaded into temporary tables.
func (pl *plan) sqlOptions(prog *ir.Program, d *sqlgen.Dialect) (sqlgen.Options, []load, error) {
	params, err := pl.paramValues(prog)
	if err != nil {
		return sqlgen.Options{}, nil, err
	}
	o := sqlgen.Options{Params: params, Sources: map[string]sqlgen.Relation{}, Spines: map[string]sqlgen.Relation{}}
	var loads []load
	for _, def := range prog.Defs {
		schema := def.Schema
		switch def.Kind {
		case ir.SourceDef:
		case ir.EntityFeaturesDef:
			a := ir.ApplyOf(def.Rel)
			if a == nil {
				continue
			}
			schema = a.Spine.Schema()
		default:
			continue
		}
		target := o.Sources
		if def.Kind == ir.EntityFeaturesDef {
			target = o.Spines
		}
		if t, ok := pl.tables[def.Name]; ok {
			target[def.Name] = relationOf(t)
			continue
		}
		in, ok := pl.inputs[def.Name]
		if !ok {
			if def.Kind == ir.EntityFeaturesDef {
				return o, nil, fmt.Errorf("entity features %s need a spine: --input %s=PATH|FRAME or --table %s=TABLE", def.Name, def.Name, def.Name)
			}
			if pl.memory {
				return o, nil, fmt.Errorf("source %s has no data: give --input %s=PATH, an [inputs] entry in %s, or a database with --target", def.Name, def.Name, configName)
			}
			continue // a table named like the source
		}
		if def.Kind == ir.EntityFeaturesDef && pl.full.Def(in) != nil {
			target[def.Name] = sqlgen.Relation{Def: in}
			continue
		}
		var spine ir.Schema
		if def.Kind == ir.EntityFeaturesDef {
			// The spine file's every column passes through to the output.
			if spine, err = dataio.SpineSchema(in, schema); err != nil {
				return o, nil, fmt.Errorf("input %s: %w", def.Name, err)
			}
			schema = spine
		}
		csv := strings.EqualFold(filepath.Ext(in), ".csv")
		if d.ReadFile != nil && !(csv && pl.readCSV) {
			if _, _, err := d.ReadFile(d, in); err == nil {
				if pl.readCSV {
					// The engine reads the file itself: its columns are checked against the
					// declaration first, by the rules and with the message of featc's reader.
					if err := dataio.CheckFile(in, schema); err != nil {
						return o, nil, fmt.Errorf("input %s: %w", def.Name, err)
					}
				}
				target[def.Name] = sqlgen.Relation{File: in, Schema: spine}
				continue
			}
		}
		table := "featc_input_" + def.Name
		loads = append(loads, load{name: def.Name, path: in, table: table, schema: schema})
		target[def.Name] = sqlgen.Relation{Table: table, Schema: spine}
	}
	return o, loads, nil
}

// openEngine opens the database of a SQL engine: an embedded engine's (in memory for ""),
// or the server of the DSN, which the others need.
func openEngine(e *engine.Engine, target string) (*sql.DB, error) {
	if target == "" && !e.Embedded {
		return nil, fmt.Errorf("--engine %s needs --target DSN (%s)", e.Name, e.DSNForm)
	}
	return e.Open(target)
}

// readLoads reads the input files to load with featc's reader, before anything is sent to
// the engine: bad data is reported as the evaluator reports it, naming the source and the file.
func readLoads(loads []load) ([][][]types.Value, error) {
	out := make([][][]types.Value, len(loads))
	for i, l := range loads {
		rec, err := dataio.Read(memory.DefaultAllocator, l.path, l.schema)
		if err != nil {
			return nil, fmt.Errorf("input %s: %w", l.name, err)
		}
		out[i], err = eval.RecordValues(rec, l.schema)
		rec.Release()
		var be *eval.BindError
		if errors.As(err, &be) {
			return nil, fmt.Errorf("input %s: %s, column %s: %s", l.name, l.path, be.Column, be.Msg)
		} else if err != nil {
			return nil, fmt.Errorf("input %s: %s: %w", l.name, l.path, err)
		}
	}
	return out, nil
}

// loadInputs writes the rows readLoads read into temporary tables, by the engine's bulk path
// where it has one.
func loadInputs(ctx context.Context, conn *sql.Conn, e *engine.Engine, loads []load, data [][][]types.Value) error {
	for i, l := range loads {
		if err := e.LoadTemp(ctx, conn, l.table, l.schema, data[i]); err != nil {
			return fmt.Errorf("input %s: %w", l.name, err)
		}
	}
	return nil
}

// probeSpines gives each spine bound to a table or a query the columns the engine reports for
// it, so that they pass through to the output as a spine file's or frame's do: the declared
// keys and time with their declared types, the others with the engine's.
func probeSpines(ctx context.Context, conn *sql.Conn, d *sqlgen.Dialect, prog *ir.Program, opts *sqlgen.Options) error {
	for name, rel := range opts.Spines {
		def := prog.Def(name)
		if rel.Schema != nil || (rel.Table == "" && rel.Query == "") || def == nil || ir.ApplyOf(def.Rel) == nil {
			continue
		}
		from := d.TableName(rel.Table)
		if rel.Query != "" {
			from = "(" + rel.Query + ")"
		}
		cols, err := sqlrun.Columns(ctx, conn, from)
		if err != nil {
			return fmt.Errorf("the spine of %s: %w", name, err)
		}
		declared := ir.ApplyOf(def.Rel).Spine.Schema()
		for i, f := range cols {
			if want, ok := declared.Lookup(f.Name); ok {
				cols[i] = want
			}
		}
		rel.Schema = cols
		opts.Spines[name] = rel
	}
	return nil
}

// sqlEvaluate computes the plan's outputs on a SQL engine and returns them as Arrow records.
func (c *cli) sqlEvaluate(ctx context.Context, pl *plan, e *engine.Engine, target string) ([]namedRecord, error) {
	prog, err := pl.pruned()
	if err != nil {
		return nil, err
	}
	db, err := openEngine(e, target)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	d := e.Dialect
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, e.Err(target, err)
	}
	defer conn.Close()
	pl.memory = e.InMemory(target)
	pl.readCSV = true
	opts, loads, err := pl.sqlOptions(prog, d)
	if err != nil {
		return nil, err
	}
	data, err := readLoads(loads)
	if err != nil {
		return nil, err
	}
	if err := loadInputs(ctx, conn, e, loads, data); err != nil {
		return nil, e.Err(target, err)
	}
	if err := probeSpines(ctx, conn, d, prog, &opts); err != nil {
		return nil, e.Err(target, err)
	}
	var out []namedRecord
	for _, name := range outputNames(prog, pl.outputs) {
		st, err := sqlgen.CompileOutput(prog, d, name, opts)
		if err != nil {
			return nil, err
		}
		rows, err := sqlrun.Query(ctx, conn, st)
		if err != nil {
			if derr := pl.diagnoseInputs(prog); derr != nil {
				return nil, derr
			}
			return nil, e.Err(target, fmt.Errorf("%s: %w", name, err))
		}
		out = append(out, namedRecord{name: name, rec: eval.ValuesRecord(memory.DefaultAllocator, st.Schema, rows)})
	}
	return out, nil
}

// outputNames returns the definitions computed for outputs given as NAME or NAME.column,
// once each, in order.
func outputNames(prog *ir.Program, outputs []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, o := range ir.ParseOutputs(outputs) {
		if !seen[o.Def] && prog.Def(o.Def) != nil {
			seen[o.Def] = true
			out = append(out, o.Def)
		}
	}
	return out
}

// reportSQLErr renders a refusal of the SQL generator as a diagnostic at the construct.
func (c *cli) reportSQLErr(err error) bool {
	var ue *sqlgen.Error
	if errors.As(err, &ue) && ue.Span.IsValid() {
		lang.Diagnostics{ue.Diagnostic()}.Render(c.stderr)
		return true
	}
	return false
}

// since formats an elapsed time for progress lines.
func since(t time.Time) string { return time.Since(t).Round(100 * time.Millisecond).String() }

var _ = filepath.Join

// diagnoseInputs reads the input files of a failed run with featc's own reader, which names
// the source, the column and the row of bad data, as the evaluator does; nil when they read
// well (the failure is then the engine's to explain).
func (pl *plan) diagnoseInputs(prog *ir.Program) error {
	for _, def := range prog.Defs {
		path, ok := pl.inputs[def.Name]
		if !ok || pl.full.Def(path) != nil {
			continue
		}
		schema := def.Schema
		if def.Kind == ir.EntityFeaturesDef {
			a := ir.ApplyOf(def.Rel)
			if a == nil {
				continue
			}
			schema = a.Spine.Schema()
		} else if def.Kind != ir.SourceDef {
			continue
		}
		rec, err := dataio.Read(memory.DefaultAllocator, path, schema)
		if err != nil {
			return fmt.Errorf("input %s: %w", def.Name, err)
		}
		rec.Release()
	}
	return nil
}
