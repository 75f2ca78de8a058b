package conformance_test

import (
	"context"

	"database/sql"
	"fmt"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/featc/featc"
	"github.com/featc/featc/backends"
	fengine "github.com/featc/featc/backends/engine"
	"github.com/featc/featc/backends/sqlgen"
	"github.com/featc/featc/backends/sqlrun"
	"github.com/featc/featc/eval"
	"github.com/featc/featc/internal/cases"
	"github.com/featc/featc/internal/examples"
	"github.com/featc/featc/internal/pgtest"
	"github.com/featc/featc/ir"
	"github.com/featc/featc/stdlib"
	"github.com/featc/featc/types"
)

// engine is a SQL engine under test: its dialect and a fresh, empty namespace per case.
type engine struct {
	name string
	d    *sqlgen.Dialect
	// open returns a connection to an empty namespace and a function that removes it.
	open func(t *testing.T) (*sql.Conn, func())
	// eng is the registry's engine.
	eng *fengine.Engine
}

var pgServer *pgtest.Server

func TestMain(m *testing.M) {
	// A throwaway PostgreSQL server (or FEATC_POSTGRES_DSN's) serves as the Postgres engine's
	// test server. Each case reads tables of the same names with other types (in a schema of
	// its own): plans must not be cached across cases.
	var err error
	if pgServer, err = pgtest.Start(); err == nil {
		dsn := pgServer.DSN
		if strings.Contains(dsn, "?") {
			dsn += "&default_query_exec_mode=exec"
		} else {
			dsn += "?default_query_exec_mode=exec"
		}
		os.Setenv("FEATC_POSTGRES_DSN", dsn)
	} else {
		noThrowaway["FEATC_POSTGRES_DSN"] = err
	}
	code := m.Run()
	for _, s := range servers {
		if s.db != nil {
			s.db.Close()
		}
	}
	pgServer.Stop()
	os.Exit(code)
}

// engines returns the registry's engines that can run here: each embedded engine, and each
// server whose DSN is in FEATC_<NAME>_DSN. A server without one is skipped with a notice on
// stderr, or fails the test where FEATC_REQUIRE_<NAME>=1 (as .ci/run sets for Postgres).
func engines(t *testing.T) []engine {
	var out []engine
	for _, e := range backends.Engines() {
		if e.Embedded {
			out = append(out, embeddedEngine(t, e))
			continue
		}
		s := server(e)
		if s.db == nil {
			env := strings.ToUpper(e.Name)
			if os.Getenv("FEATC_REQUIRE_"+env) == "1" {
				t.Fatalf("FEATC_REQUIRE_%s=1 but there is no %s: %v", env, e.Title, s.err)
			}
			s.once.Do(func() { fmt.Fprintf(os.Stderr, "\n*** SKIPPING %s CONFORMANCE: %v ***\n\n", env, s.err) })
			continue
		}
		out = append(out, serverEngine(e, s.db, s.dsn))
	}
	return out
}

// embeddedEngine opens a fresh database in memory per case.
func embeddedEngine(t *testing.T, e *fengine.Engine) engine {
	return engine{name: e.Name, d: e.Dialect, eng: e, open: func(t *testing.T) (*sql.Conn, func()) {
		db, err := e.Open("")
		if err != nil {
			t.Fatal(err)
		}
		conn, err := db.Conn(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return conn, func() { conn.Close(); db.Close() }
	}}
}

// A serverDB is a server engine's database, opened once per test binary.
type serverDB struct {
	once sync.Once // the notice of a missing server
	db   *sql.DB
	dsn  string // whose secrets messages must not show
	err  error
}

var (
	servers   = map[string]*serverDB{}
	serversMu sync.Mutex
	// noThrowaway says, by the variable TestMain would have set, why a throwaway server did
	// not start.
	noThrowaway = map[string]error{}
)

// server opens the database of FEATC_<NAME>_DSN for a server engine, once.
func server(e *fengine.Engine) *serverDB {
	serversMu.Lock()
	defer serversMu.Unlock()
	if s, ok := servers[e.Name]; ok {
		return s
	}
	s := &serverDB{}
	servers[e.Name] = s
	env := "FEATC_" + strings.ToUpper(e.Name) + "_DSN"
	dsn := os.Getenv(env)
	s.dsn = dsn
	switch why := noThrowaway[env]; {
	case dsn == "" && why != nil:
		s.err = fmt.Errorf("%s is not set and no throwaway server started: %v", env, why)
	case dsn == "":
		s.err = fmt.Errorf("%s is not set: %s's SQL is checked by golden files only", env, e.Title)
	default:
		if s.db, s.err = e.Open(dsn); s.err != nil {
			s.err = e.Err(dsn, s.err)
		}
	}
	return s
}

var caseN atomic.Int64

// serverEngine runs each case in a schema of its own, dropped after it.
func serverEngine(e *fengine.Engine, db *sql.DB, dsn string) engine {
	d := e.Dialect
	return engine{name: e.Name, d: d, eng: e, open: func(t *testing.T) (*sql.Conn, func()) {
		ctx := context.Background()
		conn, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(e.Redact(err.Error(), dsn))
		}
		schema := d.Ident(fmt.Sprintf("featc_case_%d_%d", os.Getpid(), caseN.Add(1)))
		for _, s := range []string{"DROP SCHEMA IF EXISTS " + schema + " CASCADE", "CREATE SCHEMA " + schema, fmt.Sprintf(d.UseSchema, schema)} {
			if _, err := conn.ExecContext(ctx, s); err != nil {
				t.Fatal(e.Redact(err.Error(), dsn))
			}
		}
		return conn, func() {
			conn.ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE")
			conn.Close()
		}
	}}
}

// load creates a table holding rows.
func load(t *testing.T, ctx context.Context, conn *sql.Conn, d *sqlgen.Dialect, name string, schema ir.Schema, rows [][]types.Value) {
	t.Helper()
	if _, err := conn.ExecContext(ctx, d.CreateTable(name, schema, false)); err != nil {
		t.Fatalf("create %s: %v", name, err)
	}
	stmts, err := d.InsertRows(name, schema, rows, 500)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range stmts {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			t.Fatalf("insert into %s: %v\n%s", name, err, s)
		}
	}
}

// render formats result rows as the evaluator's tests do: "a | b", sorted unless ordered.
func render(rows [][]types.Value, ordered bool) []string {
	var out []string
	for _, r := range rows {
		cells := make([]string, len(r))
		for i, v := range r {
			cells[i] = v.String()
		}
		out = append(out, strings.Join(cells, " | "))
	}
	if !ordered {
		sort.Strings(out)
	}
	return out
}

func sameRows(got, want []string) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if !cases.SameRow(got[i], want[i]) {
			return false
		}
	}
	return true
}

// TestRelCases runs every relational case on every engine.
func TestRelCases(t *testing.T) {
	defer logCells(t)
	for _, e := range engines(t) {
		t.Run(e.name, func(t *testing.T) {
			for _, c := range cases.Rel() {
				t.Run(c.Group+"/"+c.Name, func(t *testing.T) { _ = runCase(t, e, c) })
			}
			// Entity features again by the join strategy (Snowflake's), where it applies.
			for _, c := range cases.Rel() {
				if !strings.Contains(c.Src, " for ") {
					continue
				}
				t.Run("join strategy/"+c.Group+"/"+c.Name, func(t *testing.T) { _ = runCaseOpts(t, e, c, true) })
			}
		})
	}
}

// strategyOf is the entity strategy a case runs with: the join when join is set, else the
// dialect's choice.
func strategyOf(join bool) string {
	if join {
		return sqlgen.StrategyJoin
	}
	return ""
}

func runCase(t *testing.T, e engine, c cases.Case) *sqlgen.Statement {
	return runCaseOpts(t, e, c, false)
}

// runCaseOpts is runCase, with entity features by the join strategy when join is set (a case
// the strategy refuses must be refused with the strategy's documented reason, and is counted;
// it returns nil then).
func runCaseOpts(t *testing.T, e engine, c cases.Case, join bool) *sqlgen.Statement {
	ctx := context.Background()
	var opts []featc.Option
	if c.Mode != "" {
		opts = append(opts, featc.Mode(c.Mode))
	}
	p, err := featc.CompileSources([]featc.Source{{Name: "test.feat", Text: c.Src}}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	prog, diags := ir.Prune(p.IR(), ir.ParseOutputs([]string{c.Output}))
	if prog == nil {
		t.Fatal(diags.Err())
	}
	conn, done := e.open(t)
	defer done()
	o := sqlgen.Options{Params: map[string]types.Value{}, Spines: map[string]sqlgen.Relation{}, EntityStrategy: strategyOf(join)}
	for name, data := range c.Inputs {
		d := p.IR().Def(name)
		schema := d.Schema
		table := name
		if a, ok := d.Rel.(*ir.EntityApply); ok {
			schema = a.Spine.Schema()
			table = "spine_" + name
			o.Spines[name] = sqlgen.Relation{Table: table}
		}
		var rows [][]types.Value
		for _, r := range data {
			row := make([]types.Value, len(r))
			for i, x := range r {
				v, err := cases.Value(x, schema[i].Type)
				if err != nil {
					t.Fatal(err)
				}
				row[i] = v
			}
			rows = append(rows, row)
		}
		load(t, ctx, conn, e.d, table, schema, rows)
	}
	for name, x := range c.Params {
		d := p.IR().Def(name)
		if d == nil || d.Kind != ir.ParamDef {
			continue
		}
		v, err := eval.ToValue(x, d.Type)
		if err != nil {
			t.Fatal(err)
		}
		o.Params[name] = v
	}
	st, err := sqlgen.CompileOutput(prog, e.d, c.Output, o)
	if why := declaredRefusal(e.d, err, capJoinStrategy); join && why != "" {
		cellRefused(t, e.name, why, err)
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	cellRan(t, e.name)
	rows, err := sqlrun.Query(ctx, conn, st)
	if c.WantErr != "" {
		if err == nil {
			t.Fatalf("no error, want one like %q; got rows %v\n%s", c.WantErr, render(rows, c.Ordered), st.SQL)
		}
		return st
	}
	if err != nil {
		t.Fatalf("%v\n%s", err, firstLines(st.SQL, 200))
	}
	got := render(rows, c.Ordered)
	if !sameRows(got, c.Want) {
		for i := range got {
			if i < len(c.Want) && !cases.SameRow(got[i], c.Want[i]) {
				t.Fatalf("row %d:\ngot  %q\nwant %q\n%s", i, got[i], c.Want[i], firstLines(st.SQL, 200))
			}
		}
		t.Fatalf("got  %q\nwant %q\n%s", got, c.Want, firstLines(st.SQL, 200))
	}
	return st
}

// firstLines cuts long SQL for messages.
func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		return strings.Join(lines[:n], "\n") + "\n…"
	}
	return s
}

// TestStdlibExamples runs every example of the standard library on every engine.
func TestStdlibExamples(t *testing.T) {
	defer logCells(t)
	for _, e := range engines(t) {
		t.Run(e.name, func(t *testing.T) {
			for _, f := range stdlib.Standard().Funcs() {
				for i, ex := range f.Examples {
					t.Run(fmt.Sprintf("%s/%d", f.Name, i), func(t *testing.T) { runExample(t, e, f, ex) })
				}
			}
		})
	}
}

// exampleProgram is the example's program with a row number on the input, so that rows come
// back in the input's order whatever order the engine reads them in.
func exampleProgram(f *stdlib.Func, ex stdlib.Example) (string, bool) {
	cols := examples.Input(ex.Input)
	if len(cols) == 0 || f.Kind == stdlib.Aggregate {
		return examples.Program(f, ex), false
	}
	decl := []string{"featc_row: int64"}
	for _, c := range cols {
		decl = append(decl, c.Name+": "+c.Type)
	}
	return "source input { " + strings.Join(decl, ", ") + " }\n" +
		"frame result = input.with_columns(result = " + ex.Expr + ").select(featc_row, result)\n", true
}

func runExample(t *testing.T, e engine, f *stdlib.Func, ex stdlib.Example) {
	ctx := context.Background()
	src, numbered := exampleProgram(f, ex)
	p, err := featc.CompileSources([]featc.Source{{Name: "example.feat", Text: src}})
	if err != nil {
		t.Fatal(err)
	}
	conn, done := e.open(t)
	defer done()
	if cols := examples.Input(ex.Input); len(cols) > 0 {
		schema := p.IR().Def("input").Schema
		var rows [][]types.Value
		for r := range cols[0].Values {
			var row []types.Value
			if numbered {
				row = append(row, types.Int64Value(int64(r)))
			}
			for _, col := range cols {
				typ := schema[len(row)].Type
				if col.Values[r] == "null" {
					row = append(row, types.NullValue(typ))
					continue
				}
				v, err := eval.ParseParam(col.Values[r], typ)
				if err != nil {
					t.Fatalf("input %s: %v", col.Values[r], err)
				}
				row = append(row, v)
			}
			rows = append(rows, row)
		}
		load(t, ctx, conn, e.d, "input", schema, rows)
	}
	st, err := sqlgen.CompileOutput(p.IR(), e.d, "result", sqlgen.Options{})
	if why := declaredRefusal(e.d, err); why != "" {
		cellRefused(t, e.name, why, err)
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	cellRan(t, e.name)
	rows, err := sqlrun.Query(ctx, conn, st)
	if err != nil {
		t.Fatalf("%s: %v\n%s", ex.Expr, err, st.SQL)
	}
	col := len(st.Schema) - 1
	if numbered {
		sort.Slice(rows, func(i, j int) bool { return rows[i][0].I < rows[j][0].I })
	}
	var got []string
	for _, r := range rows {
		got = append(got, r[col].String())
	}
	want := examples.Want(ex.Want)
	if len(got) != len(want) {
		t.Fatalf("%s: got %v, want %v\n%s", ex.Expr, got, want, st.SQL)
	}
	for i := range want {
		if !cases.SameCell(got[i], want[i]) {
			t.Errorf("%s row %d: got %s, want %s\n%s", ex.Expr, i, got[i], want[i], st.SQL)
		}
	}
}

// runEval runs a case on the evaluator and checks its rows.
func runEval(t *testing.T, c cases.Case) {
	t.Helper()
	if g := evalRows(t, c); !sameRows(g, c.Want) {
		t.Fatalf("evaluator: got %q, want %q", g, c.Want)
	}
}

// evalRows runs a case on the evaluator and renders its rows.
func evalRows(t *testing.T, c cases.Case) []string {
	t.Helper()
	p, err := featc.CompileSources([]featc.Source{{Name: "test.feat", Text: c.Src}})
	if err != nil {
		t.Fatal(err)
	}
	inputs := eval.Inputs{}
	for name, data := range c.Inputs {
		schema := p.IR().Def(name).Schema
		var rows [][]types.Value
		for _, r := range data {
			row := make([]types.Value, len(r))
			for i, x := range r {
				v, err := cases.Value(x, schema[i].Type)
				if err != nil {
					t.Fatal(err)
				}
				row[i] = v
			}
			rows = append(rows, row)
		}
		inputs[name] = eval.ValuesRecord(memory.DefaultAllocator, schema, rows)
	}
	ev, err := eval.New(p.IR(), eval.Outputs(c.Output))
	if err != nil {
		t.Fatal(err)
	}
	res, err := ev.Run(context.Background(), inputs, eval.Params(c.Params))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Release()
	return render(res.Table(c.Output).Rows(), c.Ordered)
}

// evalRender runs one output of a program on the evaluator over rows of one source and renders
// its rows (unsorted).
func evalRender(p *featc.Program, output, source string, rows [][]types.Value) ([]string, error) {
	schema := p.IR().Def(source).Schema
	rec := eval.ValuesRecord(memory.DefaultAllocator, schema, rows)
	defer rec.Release()
	ev, err := eval.New(p.IR(), eval.Outputs(output))
	if err != nil {
		return nil, err
	}
	res, err := ev.Run(context.Background(), eval.Inputs{source: rec}, nil)
	if err != nil {
		return nil, err
	}
	defer res.Release()
	return render(res.Table(output).Rows(), true), nil
}
