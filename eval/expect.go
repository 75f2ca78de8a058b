package eval

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/featc/featc/ir"
	"github.com/featc/featc/types"
)

// ExpectMode says how a run treats the expectations (expect) of the features blocks it computes.
type ExpectMode uint8

// Expectation modes.
const (
	// ExpectDeclared enforces each expectation at its declared level: a failure at level
	// error fails the run with *ir.ExpectError, one at level warn is reported by
	// Result.ExpectWarnings.
	ExpectDeclared ExpectMode = iota
	// ExpectWarn reports every failure as a warning.
	ExpectWarn
	// ExpectOff checks nothing (the realtime path of a service that checked its training data).
	ExpectOff
)

// Expectations sets how expectations are enforced (default ExpectDeclared).
func Expectations(m ExpectMode) Option { return func(o *options) { o.expect = m } }

// compiledCheck is an expectation's check program, compiled.
type compiledCheck struct {
	check *ir.ExpectCheck
	ev    *Evaluator
}

// compileChecks compiles the expectations of the output definitions.
func (ev *Evaluator) compileChecks(mode ExpectMode) error {
	if mode == ExpectOff {
		return nil
	}
	for _, name := range ev.outputs {
		d := ev.prog.Def(name)
		if d == nil {
			continue
		}
		checks, err := ir.ExpectChecks(ev.prog, d)
		if err != nil {
			return err
		}
		for _, c := range checks {
			sub, err := New(c.Prog, Outputs(ir.FailedFrame, ir.CountFrame), Allocator(ev.mem), Expectations(ExpectOff))
			if err != nil {
				return fmt.Errorf("expectation %s of %s: %w", c.Expect.Text, name, err)
			}
			ev.checks = append(ev.checks, compiledCheck{check: c, ev: sub})
		}
	}
	ev.expectMode = mode
	return nil
}

// runChecks checks the expectations over the computed outputs.
func (ev *Evaluator) runChecks(ctx context.Context, rs *runState, params Params) (warnings []*ir.ExpectFailure, err error) {
	var failed []*ir.ExpectFailure
	for _, c := range ev.checks {
		d := ev.defs[c.check.Def]
		t, err := rs.def(d)
		if err != nil {
			return nil, err
		}
		rec := toRecord(ev.mem, t, d.def.Schema)
		f, err := RunCheck(ctx, c.check, c.ev, rec, params)
		rec.Release()
		if err != nil {
			return nil, err
		}
		if f == nil {
			continue
		}
		if f.Level == ir.LevelError && ev.expectMode == ExpectDeclared {
			failed = append(failed, f)
		} else {
			warnings = append(warnings, f)
		}
	}
	if len(failed) > 0 {
		return warnings, &ir.ExpectError{Failures: failed}
	}
	return warnings, nil
}

// RunCheck runs one compiled expectation check over an output's rows (from any engine) and
// returns its failure, or nil when every row meets it. sub is the evaluator of check.Prog.
func RunCheck(ctx context.Context, check *ir.ExpectCheck, sub *Evaluator, rows arrow.RecordBatch, params Params) (*ir.ExpectFailure, error) {
	// The run of the output has checked the params; the check reads some of them (or none, when
	// the output asked for is cut to columns that read no param).
	var own Params
	for name, v := range params {
		if _, ok := sub.declared[name]; ok {
			if own == nil {
				own = Params{}
			}
			own[name] = v
		}
	}
	res, err := sub.Run(ctx, Inputs{ir.CheckedSource: rows}, own)
	if err != nil {
		return nil, err
	}
	defer res.Release()
	n := res.Table(ir.CountFrame).Cols[0].Value(0).I
	if n == 0 {
		return nil, nil
	}
	f := &ir.ExpectFailure{Def: check.Def, Check: check.Expect.Text, Level: check.Expect.Level, Failed: n, Total: rows.NumRows()}
	if len(check.Keys) > 0 {
		tab := res.Table(ir.FailedFrame)
		for i := 0; i < tab.N && i < ir.MaxSamples; i++ {
			vals := make([]types.Value, len(tab.Cols))
			for j, col := range tab.Cols {
				vals[j] = col.Value(i)
			}
			f.Samples = append(f.Samples, ir.SampleText(check.Keys, vals))
		}
	}
	return f, nil
}

// NewCheck compiles an expectation check (for rows computed by an engine).
func NewCheck(check *ir.ExpectCheck) (*Evaluator, error) {
	return New(check.Prog, Outputs(ir.FailedFrame, ir.CountFrame), Expectations(ExpectOff))
}

// ExpectWarnings returns the expectations that failed at level warn (or at any level under
// ExpectWarn).
func (r *Result) ExpectWarnings() []*ir.ExpectFailure { return r.warnings }
