package main

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/featc/featc/backends/engine"
	"github.com/featc/featc/backends/sqlgen"
	"github.com/featc/featc/backends/sqlrun"
	"github.com/featc/featc/eval"
	"github.com/featc/featc/ir"
	"github.com/featc/featc/types"
)

// expectModes are the values of --expect.
var expectModes = map[string]eval.ExpectMode{"declared": eval.ExpectDeclared, "warn": eval.ExpectWarn, "off": eval.ExpectOff}

func parseExpect(s string) (eval.ExpectMode, error) {
	m, ok := expectModes[s]
	if !ok {
		return 0, fmt.Errorf("--expect takes declared, warn or off, not %q", s)
	}
	return m, nil
}

// warnExpect prints failed expectations that do not stop the run.
func (c *cli) warnExpect(fs []*ir.ExpectFailure) {
	for _, f := range fs {
		fmt.Fprintf(c.stderr, "featc: warning: %v\n", f)
	}
}

// sorted splits failures by what they do under the mode: stop the run, or warn.
func splitFailures(fs []*ir.ExpectFailure, mode eval.ExpectMode) (errs, warns []*ir.ExpectFailure) {
	for _, f := range fs {
		if f.Level == ir.LevelError && mode == eval.ExpectDeclared {
			errs = append(errs, f)
		} else {
			warns = append(warns, f)
		}
	}
	return errs, warns
}

// checkRecords checks the expectations of outputs an engine computed, over the rows it
// returned, with the evaluator's checks: the same conditions, the same rules (null fails).
func (c *cli) checkRecords(ctx context.Context, prog *ir.Program, outs []namedRecord, mode eval.ExpectMode, params eval.Params) error {
	if mode == eval.ExpectOff {
		return nil
	}
	var all []*ir.ExpectFailure
	for _, o := range outs {
		d := prog.Def(o.name)
		if d == nil {
			continue
		}
		checks, err := ir.ExpectChecks(prog, d)
		if err != nil {
			return err
		}
		for _, chk := range checks {
			sub, err := eval.NewCheck(chk)
			if err != nil {
				return err
			}
			f, err := eval.RunCheck(ctx, chk, sub, o.rec, params)
			if err != nil {
				return err
			}
			if f != nil {
				all = append(all, f)
			}
		}
	}
	errs, warns := splitFailures(all, mode)
	c.warnExpect(warns)
	if len(errs) > 0 {
		return &ir.ExpectError{Failures: errs}
	}
	return nil
}

// checkTable checks the expectations of an output over a table the engine wrote (named
// unquoted, schema.table), in SQL on the engine: nothing is fetched but counts and a few keys.
func checkTable(ctx context.Context, q engine.Queryer, prog *ir.Program, d *sqlgen.Dialect, output, table string, params map[string]types.Value) ([]*ir.ExpectFailure, error) {
	def := prog.Def(output)
	if def == nil {
		return nil, nil
	}
	checks, err := ir.ExpectChecks(prog, def)
	if err != nil {
		return nil, err
	}
	var out []*ir.ExpectFailure
	for _, chk := range checks {
		opts := sqlgen.Options{Params: params, Sources: map[string]sqlgen.Relation{ir.CheckedSource: {Table: table}}}
		count, err := sqlgen.CompileOutput(chk.Prog, d, ir.CountFrame, opts)
		if err != nil {
			return nil, err
		}
		var n, total int64
		if err := q.QueryRowContext(ctx, count.SQL).Scan(&n); err != nil {
			return nil, fmt.Errorf("expectation %s: %w", chk.Expect.Text, err)
		}
		if n == 0 {
			continue
		}
		if err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+d.TableName(table)).Scan(&total); err != nil {
			return nil, err
		}
		f := &ir.ExpectFailure{Def: output, Check: chk.Expect.Text, Level: chk.Expect.Level, Failed: n, Total: total}
		if len(chk.Keys) > 0 {
			failed, err := sqlgen.CompileOutput(chk.Prog, d, ir.FailedFrame, opts)
			if err != nil {
				return nil, err
			}
			rows, err := q.QueryContext(ctx, fmt.Sprintf("SELECT * FROM (%s) AS %s LIMIT %d", failed.SQL, d.Ident("failed"), ir.MaxSamples))
			if err != nil {
				return nil, err
			}
			vals, err := scanValues(rows, failed.Schema)
			if err != nil {
				return nil, err
			}
			for _, v := range vals {
				f.Samples = append(f.Samples, ir.SampleText(chk.Keys, v))
			}
		}
		out = append(out, f)
	}
	return out, nil
}

func scanValues(rows *sql.Rows, schema ir.Schema) ([][]types.Value, error) {
	defer rows.Close()
	var out [][]types.Value
	raw := make([]any, len(schema))
	ptrs := make([]any, len(schema))
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		row := make([]types.Value, len(schema))
		for i, f := range schema {
			v, err := sqlrun.Convert(raw[i], f.Type)
			if err != nil {
				return nil, err
			}
			row[i] = v
		}
		out = append(out, row)
	}
	return out, rows.Err()
}

// checkEngineOutputs checks the expectations of the outputs an engine computed.
func (c *cli) checkEngineOutputs(ctx context.Context, pl *plan, outs []namedRecord, mode eval.ExpectMode) error {
	prog, err := pl.pruned()
	if err != nil {
		return err
	}
	values, err := pl.paramValues(prog)
	if err != nil {
		return err
	}
	params := eval.Params{}
	for k, v := range values {
		params[k] = v
	}
	return c.checkRecords(ctx, prog, outs, mode, params)
}
