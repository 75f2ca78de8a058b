package conformance_test

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/featc/featc"
	"github.com/featc/featc/backends"
	"github.com/featc/featc/backends/duckdb"
	"github.com/featc/featc/backends/sqlgen"
	"github.com/featc/featc/internal/cases"
	"github.com/featc/featc/internal/examples"
	"github.com/featc/featc/ir"
	"github.com/featc/featc/stdlib"
	"github.com/featc/featc/types"
)

// A cell of the conformance matrix (a case, an example or a program on one engine) either runs
// on the engine or is refused at compile time, and a refusal is accepted only when it is
// declared: a function, operator or cast the dialect's table marks unsupported (the reason
// sqlgen.Refusal returns must be the error's), or an engine capability the test names, with the
// reason featc documents for it. Any other error fails the test: the matrix never skips a cell
// on an error. Each test logs how many cells ran and how many were refused as declared.

// capability is an engine limit or strategy whose refusals a test accepts, with the reason
// featc documents for it.
type capability int

const (
	// capJoinStrategy: entity features that the range join strategy does not write, when a
	// test forces that strategy (sqlgen/entity_join.go).
	capJoinStrategy capability = iota
	// capCorrelatedWindow: a frame's window function reading the spine row, which an engine
	// with Caps.NoOuterInWindows cannot compute in a correlated subquery.
	capCorrelatedWindow
	// capColumns: a result wider than the engine returns (Caps.MaxColumns).
	capColumns
	// capExprDepth: an expression nested deeper than the engine parses (Caps.MaxExprDepth).
	capExprDepth
	// capDefChain: a chain of frames longer than the engine binds (Caps.MaxDefChain).
	capDefChain
)

// joinSuffix ends the reason of every feature the range join refuses (rangeJoin's refuse).
const joinSuffix = " (featc computes entity features here by joining each source to the spine, which covers aggregates of the block's frames)"

// documented reports whether e is the refusal featc documents for capability c on dialect d.
func (c capability) documented(d *sqlgen.Dialect, e *sqlgen.Error) bool {
	switch c {
	case capJoinStrategy:
		return e.Link == d.Caps.EntityDocs && (strings.HasPrefix(e.Reason, "the range join cannot write it: ") || strings.HasSuffix(e.Reason, joinSuffix) ||
			e.Reason == "its frame's aggregate combines an aggregate with a value of the spine row or another feature outside it; compute the aggregate as a feature of its own and combine the features")
	case capCorrelatedWindow:
		return d.Caps.NoOuterInWindows &&
			e.Reason == "a frame's window function reads the spine row or a feature, which the engine cannot compute in a correlated subquery; the range join strategy computes it"
	case capColumns:
		return d.Caps.MaxColumns > 0 && e.Link == d.Caps.MaxColumnsDocs &&
			e.Reason == fmt.Sprintf("a result holds at most %d columns; split the features into several blocks", d.Caps.MaxColumns)
	case capExprDepth:
		return d.Caps.MaxExprDepth > 0 && e.Link == d.Caps.MaxExprDepthDocs &&
			strings.HasPrefix(e.Reason, fmt.Sprintf("%s parses expressions at most %d levels deep; ", d.Name, d.Caps.MaxExprDepth))
	case capDefChain:
		return d.Caps.MaxDefChain > 0 && e.Link == d.Caps.MaxDefChainDocs &&
			strings.HasPrefix(e.Reason, fmt.Sprintf("%s binds a query at most ~1,000 levels deep and each frame of a chain is a level (featc refuses more than %d); ", d.Name, d.Caps.MaxDefChain))
	}
	return false
}

// declaredRefusal returns why err is a declared refusal on dialect d ("" when it is not): a
// *sqlgen.Error of d whose construct the dialect's table marks unsupported with the error's
// reason, or the documented refusal of one of caps.
func declaredRefusal(d *sqlgen.Dialect, err error, caps ...capability) string {
	var e *sqlgen.Error
	if !errors.As(err, &e) || e.Dialect != d.Name {
		return ""
	}
	for _, id := range refusalIDs(e.Construct) {
		if u := sqlgen.Refusal(d, id); u != nil && u.Reason == e.Reason {
			return "declared unsupported: " + id
		}
	}
	for _, c := range caps {
		if c.documented(d, e) {
			return []string{"join strategy", "correlated window", "column limit", "expression depth limit", "frame chain limit"}[c]
		}
	}
	return ""
}

// refusalIDs returns the keys of the dialect tables a refused construct is looked up by: a
// function's name and overload IDs ("name()"), an operator's ("operator +"), or a cast's
// conversion IDs ("cast from A to B": cast_A_B, cast_A_any, cast_any_B).
func refusalIDs(construct string) []string {
	lib := stdlib.Standard()
	var funcs []*stdlib.Func
	switch {
	case strings.HasPrefix(construct, "operator "):
		sym := strings.TrimPrefix(construct, "operator ")
		funcs = append(funcs, lib.Operator(sym, false), lib.Operator(sym, true))
	case strings.HasSuffix(construct, "()"):
		funcs = append(funcs, lib.Lookup(strings.TrimSuffix(construct, "()")))
	case strings.HasPrefix(construct, "cast from "):
		from, to, ok := strings.Cut(strings.TrimPrefix(construct, "cast from "), " to ")
		if !ok {
			return nil
		}
		f, t := kindOf(from), kindOf(to)
		return []string{"cast_" + f + "_" + t, "cast_" + f + "_any", "cast_any_" + t}
	}
	var ids []string
	for _, f := range funcs {
		if f == nil {
			continue
		}
		ids = append(ids, f.Name)
		for _, o := range f.Overloads {
			ids = append(ids, o.ID)
		}
	}
	return ids
}

// kindOf names the kind of a written type as conversion IDs do ("decimal(15, 2)": "decimal").
func kindOf(typ string) string {
	for k := types.Null; k <= types.Interval; k++ {
		if name := k.String(); typ == name || strings.HasPrefix(typ, name+"(") {
			return name
		}
	}
	return typ
}

// cellCount counts a test's cells on one engine.
type cellCount struct {
	run, refused int
	why          map[string]int
}

var cells = struct {
	sync.Mutex
	m map[string]*cellCount
}{m: map[string]*cellCount{}}

// cellKey is the top-level test of t and the engine.
func cellKey(t *testing.T, engine string) string {
	top, _, _ := strings.Cut(t.Name(), "/")
	return top + "\x00" + engine
}

// cellRan counts a cell that ran on the engine.
func cellRan(t *testing.T, engine string) {
	cells.Lock()
	defer cells.Unlock()
	c := cellOf(cellKey(t, engine))
	c.run++
}

// cellRefused counts a cell refused as declared, logging why.
func cellRefused(t *testing.T, engine, why string, err error) {
	t.Helper()
	t.Logf("refused as declared (%s): %v", why, err)
	cells.Lock()
	defer cells.Unlock()
	c := cellOf(cellKey(t, engine))
	c.refused++
	c.why[why]++
}

func cellOf(key string) *cellCount {
	c := cells.m[key]
	if c == nil {
		c = &cellCount{why: map[string]int{}}
		cells.m[key] = c
	}
	return c
}

// logCells logs, for the top-level test t, each engine's cells run and refused (declared), and
// forgets them. Each test of the matrix defers it.
func logCells(t *testing.T) {
	cells.Lock()
	defer cells.Unlock()
	top, _, _ := strings.Cut(t.Name(), "/")
	prefix := top + "\x00"
	var keys []string
	for k := range cells.m {
		if strings.HasPrefix(k, prefix) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		c := cells.m[k]
		var whys []string
		for w, n := range c.why {
			whys = append(whys, fmt.Sprintf("%s: %d", w, n))
		}
		sort.Strings(whys)
		t.Logf("%s: %d cells run, %d refused (declared) %v", strings.TrimPrefix(k, prefix), c.run, c.refused, whys)
		delete(cells.m, k)
	}
}

// TestEveryCellCompiles compiles every cell of the matrix for every dialect, run or not here
// (Snowflake runs only with FEATC_SNOWFLAKE_DSN): each stdlib example, each matrix program and
// each relational case (by the dialect's entity strategy and by the forced range join) must
// compile, or be refused as declared.
func TestEveryCellCompiles(t *testing.T) {
	defer logCells(t)
	for _, e := range backends.Engines() {
		name, d := e.Name, e.Dialect
		check := func(t *testing.T, label string, err error, caps ...capability) {
			t.Helper()
			if err == nil {
				cellRan(t, name+" (compiled only)")
			} else if why := declaredRefusal(d, err, caps...); why != "" {
				cellRefused(t, name+" (compiled only)", why, err)
			} else {
				t.Errorf("%s: %s: %v (not a declared refusal)", name, label, err)
			}
		}
		for _, f := range stdlib.Standard().Funcs() {
			for i, ex := range f.Examples {
				label := fmt.Sprintf("%s example %d", f.Name, i)
				src, _ := exampleProgram(f, ex)
				p, err := featc.CompileSources([]featc.Source{{Name: "example.feat", Text: src}})
				if err != nil {
					t.Fatalf("%s: %v", label, err)
				}
				_, err = sqlgen.CompileOutput(p.IR(), d, "result", sqlgen.Options{})
				check(t, label, err)
				if cols := examples.Input(ex.Input); len(cols) > 0 {
					_, err = sqlgen.CompileOutput(matrixProgram(t, f, ex, cols, nil).IR(), d, "result", sqlgen.Options{})
					check(t, label+" (matrix)", err)
				}
			}
		}
		for _, c := range cases.Rel() {
			var opts []featc.Option
			if c.Mode != "" {
				opts = append(opts, featc.Mode(c.Mode))
			}
			p, err := featc.CompileSources([]featc.Source{{Name: "test.feat", Text: c.Src}}, opts...)
			if err != nil {
				t.Fatalf("%s/%s: %v", c.Group, c.Name, err)
			}
			prog, diags := ir.Prune(p.IR(), ir.ParseOutputs([]string{c.Output}))
			if prog == nil {
				t.Fatalf("%s/%s: %v", c.Group, c.Name, diags.Err())
			}
			o := sqlgen.Options{Spines: map[string]sqlgen.Relation{}}
			for input := range c.Inputs {
				if _, ok := p.IR().Def(input).Rel.(*ir.EntityApply); ok {
					o.Spines[input] = sqlgen.Relation{Table: "spine_" + input}
				}
			}
			_, err = sqlgen.CompileOutput(prog, d, c.Output, o)
			check(t, c.Group+"/"+c.Name, err)
			if len(o.Spines) > 0 {
				o.EntityStrategy = sqlgen.StrategyJoin
				_, err = sqlgen.CompileOutput(prog, d, c.Output, o)
				check(t, c.Group+"/"+c.Name+" (join strategy)", err, capJoinStrategy)
			}
		}
	}
}

// TestDeclaredRefusal: a refusal is declared only with the reason the dialect's table gives the
// construct, or the documented reason of a capability the caller accepts.
func TestDeclaredRefusal(t *testing.T) {
	src := "source input { s: string }\nframe result = input.with_columns(u = s.str.upper())\n"
	p, err := featc.CompileSources([]featc.Source{{Name: "t.feat", Text: src}})
	if err != nil {
		t.Fatal(err)
	}
	call := func(d *sqlgen.Dialect) error {
		_, err := sqlgen.CompileOutput(p.IR(), d, "result", sqlgen.Options{})
		return err
	}
	f := stdlib.Standard().Lookup("str.upper")
	if f == nil || len(f.Overloads) == 0 {
		t.Fatal("no str.upper in the standard library")
	}
	for _, key := range []string{f.Name, f.Overloads[0].ID} {
		d := *duckdb.Dialect
		d.Funcs = map[string]sqlgen.Template{}
		for k, v := range duckdb.Dialect.Funcs {
			d.Funcs[k] = v
		}
		delete(d.Funcs, f.Overloads[0].ID) // DuckDB's own str_upper, looked up before the name
		d.Funcs[key] = sqlgen.Template{Unsupported: &sqlgen.Unsupported{Reason: "no upper case here"}}
		err := call(&d)
		if why := declaredRefusal(&d, err); why != "declared unsupported: "+key {
			t.Errorf("declared under %s: %q for %v", key, why, err)
		}
		// The same refusal, but the table of another dialect of the same name does not say so.
		if why := declaredRefusal(duckdb.Dialect, err); why != "" {
			t.Errorf("undeclared on DuckDB, yet %q", why)
		}
	}
	for _, err := range []error{
		nil,
		fmt.Errorf("wrapped: %w", &sqlgen.Error{Dialect: "duckdb", Construct: "str.upper()", Reason: "featc has no SQL for it yet"}),
		&sqlgen.Error{Dialect: "duckdb", Construct: "an expression nested 900 levels deep", Reason: "duckdb parses expressions at most 800 levels deep; …"},
	} {
		if why := declaredRefusal(duckdb.Dialect, err, capJoinStrategy, capColumns, capDefChain); why != "" {
			t.Errorf("%v: declared (%s), want not", err, why)
		}
	}
	depth := &sqlgen.Error{Dialect: "duckdb", Construct: "an expression nested 900 levels deep", Link: duckdb.Dialect.Caps.MaxExprDepthDocs,
		Reason: fmt.Sprintf("duckdb parses expressions at most %d levels deep; compute parts of it first", duckdb.Dialect.Caps.MaxExprDepth)}
	if why := declaredRefusal(duckdb.Dialect, depth, capExprDepth); why != "expression depth limit" {
		t.Errorf("the depth limit's refusal: %q", why)
	}
	if why := declaredRefusal(duckdb.Dialect, depth, capColumns); why != "" {
		t.Errorf("the depth limit's refusal accepted as the column limit's: %q", why)
	}
}
