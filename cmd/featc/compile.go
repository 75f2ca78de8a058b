package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/featc/featc/backends"
	"github.com/featc/featc/backends/engine"
	"github.com/featc/featc/backends/sqlgen"
	"github.com/featc/featc/eval"
	"github.com/featc/featc/ir"
)

// compile prints the SQL of the outputs for a target dialect.
func (c *cli) compile(args []string) int {
	fs := flag.NewFlagSet("compile", flag.ContinueOnError)
	var outputs, inputs, tables, params multiFlag
	target := fs.String("target", "", "the SQL dialect: "+strings.Join(backends.Names(), ", "))
	mode := fs.String("mode", "", "the mode to compile")
	fs.Var(&outputs, "output", "an output to compile: NAME or NAME.column (repeatable; default: every output)")
	fs.Var(&inputs, "input", "read a source (or a spine) from a file (DuckDB), or a spine from a frame: NAME=PATH|FRAME")
	fs.Var(&tables, "table", "read a source (or a spine) from a table or query: NAME=TABLE")
	fs.Var(&params, "param", "write a param's value into the SQL: NAME=VALUE (others become placeholders)")
	paths, exit, ok := c.parseFlags(fs, args)
	if !ok {
		return exit
	}
	e, err := backends.Lookup(*target)
	if err != nil {
		fmt.Fprintf(c.stderr, "featc: --target: %v\n", err)
		return exitUsage
	}
	d := e.Dialect
	p, ok := c.loadOne(paths)
	if !ok {
		return exitUsage
	}
	cfg, err := loadConfig(paths)
	if err != nil {
		fmt.Fprintf(c.stderr, "featc: %v\n", err)
		return exitUsage
	}
	pl, err := c.compilePlan(p, cfg, *mode, outputs, inputs, tables, params)
	if err != nil {
		c.reportErr(err)
		return exitFail
	}
	prog, err := pl.pruned()
	if err != nil {
		c.reportErr(err)
		return exitFail
	}
	pl.placeholders = true
	opts, loads, err := pl.sqlOptions(prog, d)
	if err != nil {
		c.reportErr(err)
		return exitFail
	}
	for _, l := range loads {
		// The engine reads tables only: the SQL reads a table named like the source.
		delete(opts.Sources, l.name)
		fmt.Fprintf(c.stderr, "featc: %s reads the table %s (%s cannot read %s; featc run loads such files for it)\n",
			l.name, d.Ident(l.name), d.Name, filepath.Base(l.path))
	}
	failed := false
	for i, name := range outputNames(prog, pl.outputs) {
		st, err := sqlgen.CompileOutput(prog, d, name, opts)
		if err != nil {
			if !c.reportSQLErr(err) {
				fmt.Fprintf(c.stderr, "featc: %s: %v\n", name, err)
			}
			failed = true
			continue
		}
		if i > 0 {
			fmt.Fprintln(c.stdout)
		}
		fmt.Fprintf(c.stdout, "-- %s\n", name)
		for j, param := range st.Params {
			fmt.Fprintf(c.stdout, "-- %s is param %s (%s)\n", d.Placeholder(j+1), param, prog.Def(param).Type)
		}
		for _, s := range st.Session {
			fmt.Fprintf(c.stdout, "%s;\n", s)
		}
		fmt.Fprintf(c.stdout, "%s;\n", st.SQL)
	}
	if failed {
		return exitFail
	}
	return exitOK
}

// backfill computes an output on a database and writes it into a table: the new table
// replaces the old one in one transaction, so a rerun gives the same table and a failure
// leaves the old one as it was.
func (c *cli) backfill(args []string) int {
	fs := flag.NewFlagSet("backfill", flag.ContinueOnError)
	var inputs, tables, params multiFlag
	target := fs.String("target", "", "the database, whose form names the engine: "+targetHelp())
	output := fs.String("output", "", "the output to compute")
	into := fs.String("into", "", "the table to write (schema.table allowed)")
	spine := fs.String("spine", "", "the spine of entity features: a frame of the program, a file or a table")
	mode := fs.String("mode", "", "the mode to compile")
	expectFlag := fs.String("expect", "declared", "expectations, checked on the written rows before they replace the table: declared (error stops and leaves the table as it was, warn warns), warn or off")
	fs.Var(&inputs, "input", "read a source from a file: NAME=PATH")
	fs.Var(&tables, "table", "read a source from a table or query: NAME=TABLE")
	fs.Var(&params, "param", "give a param a value: NAME=VALUE")
	paths, exit, ok := c.parseFlags(fs, args)
	if !ok {
		return exit
	}
	if *target == "" || *output == "" || *into == "" {
		fmt.Fprintln(c.stderr, "featc: backfill needs --target DB, --output NAME and --into TABLE")
		return exitUsage
	}
	expect, err := parseExpect(*expectFlag)
	if err != nil {
		fmt.Fprintf(c.stderr, "featc: %v\n", err)
		return exitUsage
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
	pl, err := c.compilePlan(p, cfg, *mode, []string{*output}, inputs, tables, params)
	if err != nil {
		c.reportErr(err)
		return exitFail
	}
	if *spine != "" {
		name := strings.SplitN(*output, ".", 2)[0]
		delete(pl.tables, name)
		delete(pl.inputs, name)
		if _, err := os.Stat(*spine); pl.full.Def(*spine) != nil || err == nil {
			pl.inputs[name] = *spine
		} else {
			pl.tables[name] = *spine
		}
	}
	ctx := c.ctx
	n, err := c.runBackfill(ctx, pl, *target, *into, expect)
	if err != nil {
		if !c.reportSQLErr(err) {
			c.reportErr(err)
		}
		return exitFail
	}
	fmt.Fprintf(c.stderr, "featc: wrote %d rows into %s\n", n, *into)
	return exitOK
}

func (c *cli) runBackfill(ctx context.Context, pl *plan, target, into string, expect eval.ExpectMode) (int64, error) {
	e, err := backends.ForTarget(target)
	if err != nil {
		return 0, err
	}
	prog, err := pl.pruned()
	if err != nil {
		return 0, err
	}
	db, err := openEngine(e, target)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	d := e.Dialect
	if err := checkTableName(d, "--into", into); err != nil {
		return 0, err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return 0, e.Err(target, err)
	}
	defer conn.Close()
	pl.readCSV = true
	opts, loads, err := pl.sqlOptions(prog, d)
	if err != nil {
		return 0, err
	}
	start := time.Now()
	if len(loads) > 0 {
		fmt.Fprintf(c.stderr, "featc: loading %d input file(s)\n", len(loads))
		data, err := readLoads(loads)
		if err != nil {
			return 0, err
		}
		if err := loadInputs(ctx, conn, e, loads, data); err != nil {
			return 0, e.Err(target, err)
		}
	}
	if err := probeSpines(ctx, conn, d, prog, &opts); err != nil {
		return 0, e.Err(target, err)
	}
	name := outputNames(prog, pl.outputs)[0]
	st, err := sqlgen.CompileOutput(prog, d, name, opts)
	if err != nil {
		return 0, err
	}
	for _, s := range st.Session {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			return 0, e.Err(target, err)
		}
	}
	// Progress for long runs: the engine computes in one statement, so featc says how long it
	// has been running.
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(5 * time.Second)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				fmt.Fprintf(c.stderr, "featc: computing %s on %s: %s\n", name, e.Name, since(start))
			}
		}
	}()
	check := func(q engine.Queryer, table string) error {
		if expect == eval.ExpectOff {
			return nil
		}
		fs, err := checkTable(ctx, q, prog, d, name, table, opts.Params)
		if err != nil {
			return err
		}
		errs, warns := splitFailures(fs, expect)
		c.warnExpect(warns)
		if len(errs) > 0 {
			return &ir.ExpectError{Failures: errs}
		}
		return nil
	}
	n, err := e.ReplaceTable(ctx, conn, into, st.SQL, check)
	close(done)
	wg.Wait()
	var ee *ir.ExpectError
	if errors.As(err, &ee) {
		return 0, fmt.Errorf("%w\n%s is left as it was", err, into)
	}
	if err != nil {
		if derr := pl.diagnoseInputs(prog); derr != nil {
			return 0, derr
		}
		return 0, e.Err(target, err)
	}
	fmt.Fprintf(c.stderr, "featc: computed %s on %s in %s\n", name, e.Name, since(start))
	return n, nil
}

// checkTableName refuses a table name the engine would not keep as written: on Postgres a
// name longer than 63 bytes is cut (with only a notice), so that the rows would land in a
// table of another name.
func checkTableName(d *sqlgen.Dialect, flag, name string) error {
	for _, part := range strings.Split(name, ".") {
		if part == "" {
			return fmt.Errorf("%s %q: a table name has no empty parts", flag, name)
		}
		if max := d.MaxIdentBytes; max > 0 && len(part) > max {
			return fmt.Errorf("%s: the name %q is %d bytes; %s names are at most %d bytes (longer ones are cut: %s)", flag, part, len(part), d.Name, max, d.MaxIdentDocs)
		}
	}
	return nil
}
