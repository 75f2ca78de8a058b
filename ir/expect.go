package ir

import (
	"fmt"
	"strings"

	"github.com/featc/featc/types"
)

// ExpectCheck is how featc enforces one expectation of a features block, the same way on every
// engine: a program over the block's output rows (the source CheckedSource, with the block's
// schema) whose frame FailedFrame holds the key columns of the rows where the condition is not
// true (false or null), sorted by them, and whose frame CountFrame holds their number (one
// row, column n). The evaluator runs it in-process; SQL engines run it over the written table.
type ExpectCheck struct {
	Def    string
	Expect *Expect
	Keys   []string
	Prog   *Program
}

// Names in an expectation's check program.
const (
	CheckedSource = "featc_checked"
	FailedFrame   = "featc_failed"
	CountFrame    = "featc_failed_count"
)

// ExpectChecks builds the checks of a definition's expectations. The rows are identified in
// reports by the key columns: the entity key and time of entity features, the columns a
// features block passes through from its input otherwise (every column that is not a feature).
func ExpectChecks(p *Program, d *Def) ([]*ExpectCheck, error) {
	if len(d.Expects) == 0 {
		return nil, nil
	}
	features := map[string]bool{}
	for _, f := range d.Features {
		features[f] = true
	}
	var keys []string
	for _, c := range d.Schema {
		if !features[c.Name] && c.Type.Kind != types.Float64 {
			keys = append(keys, c.Name)
		}
	}
	// Params and lets the conditions may read come along.
	var defs []*Def
	for _, x := range p.Defs {
		if x.Kind == ParamDef || x.Kind == LetDef {
			defs = append(defs, x)
		}
	}
	src := &Def{Name: CheckedSource, Kind: SourceDef, Schema: d.Schema, Sp: d.Sp}
	defs = append(defs, src)
	var out []*ExpectCheck
	for _, e := range d.Expects {
		failed, count, err := checkRels(p, src, e, keys)
		if err != nil {
			return nil, fmt.Errorf("expectation %s of %s: %w", e.Text, d.Name, err)
		}
		all := append(append([]*Def{}, defs...),
			&Def{Name: FailedFrame, Kind: FrameDef, Rel: failed, Schema: failed.Schema(), Sp: e.Sp, Deps: []string{CheckedSource}},
			&Def{Name: CountFrame, Kind: FrameDef, Rel: count, Schema: count.Schema(), Sp: e.Sp, Deps: []string{CheckedSource}})
		out = append(out, &ExpectCheck{Def: d.Name, Expect: e, Keys: keys, Prog: NewProgram(p.Mode, p.Modes, p.Lib, all)})
	}
	return out, nil
}

func checkRels(p *Program, src *Def, e *Expect, keys []string) (Rel, Rel, error) {
	sp := e.Sp
	scan := &Scan{Source: src.Name, Cols: src.Schema}
	fill := p.Lib.Lookup("fill_null")
	not := p.Lib.Lookup("not")
	if fill == nil || not == nil {
		return nil, nil, fmt.Errorf("the library lacks fill_null or not")
	}
	var fillBool *Call
	for _, o := range fill.Overloads {
		if len(o.Args) == 2 && o.Args[0] == types.Bool {
			fillBool = &Call{Func: fill, Overload: o, Args: []Expr{e.Cond, &Lit{Value: types.BoolValue(false), Sp: sp}}, T: types.BoolT, Sp: sp}
		}
	}
	if fillBool == nil {
		return nil, nil, fmt.Errorf("no fill_null for bool")
	}
	pred := &Call{Func: not, Overload: not.Overloads[0], Args: []Expr{fillBool}, T: types.BoolT, Sp: sp}
	filter, err := NewFilter(scan, pred, sp)
	if err != nil {
		return nil, nil, err
	}
	var cols []NamedExpr
	var order []SortKey
	for _, k := range keys {
		c := &Col{Name: k, T: src.Schema[src.Schema.Index(k)].Type, Sp: sp}
		cols = append(cols, NamedExpr{Name: k, Expr: c})
		order = append(order, SortKey{Expr: c})
	}
	var failed Rel = filter
	if len(cols) > 0 {
		proj, err := NewProject(filter, cols, sp)
		if err != nil {
			return nil, nil, err
		}
		failed = &Sort{Input: proj, Keys: order, Sp: sp}
	}
	lenFn := p.Lib.Lookup("len")
	count, err := NewAggregate(filter, nil, []NamedExpr{{Name: "n", Expr: &Agg{Func: lenFn, Overload: lenFn.Overloads[0], T: types.Int64T, Sp: sp}}}, sp)
	if err != nil {
		return nil, nil, err
	}
	return failed, count, nil
}

// ExpectFailure reports an expectation that some rows do not meet.
type ExpectFailure struct {
	Def    string
	Check  string // the condition as written
	Level  Level
	Failed int64
	Total  int64
	// Samples identify a few failing rows by their key columns (name=value, …), in key order.
	Samples []string
}

func (f *ExpectFailure) Error() string {
	msg := fmt.Sprintf("%s: expectation %s failed on %d of %d rows", f.Def, f.Check, f.Failed, f.Total)
	if len(f.Samples) > 0 {
		msg += ", e.g. " + strings.Join(f.Samples, "; ")
		if int64(len(f.Samples)) < f.Failed {
			msg += "; …"
		}
	}
	return msg
}

// ExpectError is the failure of expectations at level error: the output is not delivered.
type ExpectError struct {
	Failures []*ExpectFailure
}

func (e *ExpectError) Error() string {
	var parts []string
	for _, f := range e.Failures {
		parts = append(parts, f.Error())
	}
	return strings.Join(parts, "\n")
}

// MaxSamples is how many failing rows a report names.
const MaxSamples = 5

// SampleText names a failing row by its key values.
func SampleText(keys []string, vals []types.Value) string {
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + vals[i].String()
	}
	return strings.Join(parts, ", ")
}
