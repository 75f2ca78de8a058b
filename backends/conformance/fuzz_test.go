package conformance_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/featc/featc"
	"github.com/featc/featc/backends/duckdb"
	"github.com/featc/featc/backends/sqlgen"
	"github.com/featc/featc/backends/sqlrun"
	"github.com/featc/featc/internal/cases"
	"github.com/featc/featc/internal/gen"
	"github.com/featc/featc/ir"
	"github.com/featc/featc/types"
)

var fuzzDB struct {
	once sync.Once
	db   *sql.DB
	err  error
}

// FuzzDifferential compiles random well-typed pipelines over edge-case rows and runs them on
// the evaluator and on DuckDB: both must give the same rows, or both fail. A failing input is
// kept by Go's fuzzer in testdata/fuzz and reruns as a regression case with every go test.
func FuzzDifferential(f *testing.F) {
	for _, seed := range []string{"\x00\x01\x02\x03", "\x05\x09\x11\x03\x07\x01\x04\x02\x08", "\x01\x00\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c",
		"\x02\x03\x01\x05\x00\x02\x07\x03\x01\x01", "\x03\x00\x00\x02\x05\x04\x03\x02\x01\x00\x09"} {
		f.Add([]byte(seed))
	}
	p0, err := featc.CompileSources([]featc.Source{{Name: "s.feat", Text: gen.PipelineSchema}})
	if err != nil {
		f.Fatal(err)
	}
	schema := p0.IR().Def("t").Schema
	// 60 rows of edge values, the tamed floats (no ±1e300, whose products overflow).
	rows := dropHuge(cases.EdgeRows(schema, 60))
	f.Fuzz(func(t *testing.T, data []byte) {
		g := gen.NewPipeline(data)
		src := g.Program()
		p, err := featc.CompileSources([]featc.Source{{Name: "fuzz.feat", Text: src}})
		if err != nil {
			return // not well typed (a generator's choice the checker refuses): nothing to compare
		}
		want, evalErr := fuzzEval(p, rows)
		fuzzDB.once.Do(func() { fuzzDB.db, fuzzDB.err = duckdb.Open("") })
		if fuzzDB.err != nil {
			t.Fatal(fuzzDB.err)
		}
		got, engErr := fuzzDuckDB(t, p, schema, rows)
		switch {
		case evalErr != nil && engErr != nil:
			return
		case evalErr != nil:
			// The evaluator computes every expression of every row; an engine may skip a value
			// it does not need (a short-circuited and, a branch not taken, a filtered row) and
			// with it the failure (docs/semantics.md, Errors). Never a different value.
			return
		case engErr != nil:
			if declaredRefusal(duckdb.Dialect, engErr, capExprDepth, capDefChain) != "" {
				return // refused at compile time as declared, naming the construct
			}
			t.Fatalf("DuckDB fails (%v), the evaluator does not\n%s", engErr, src)
		}
		if !sameRows(got, want) {
			for i := range want {
				if i >= len(got) || !cases.SameRow(got[i], want[i]) {
					g := "(none)"
					if i < len(got) {
						g = got[i]
					}
					t.Fatalf("row %d differs:\nevaluator %s\nduckdb    %s\n%s", i, want[i], g, src)
				}
			}
			t.Fatalf("DuckDB has %d rows, the evaluator %d\n%s", len(got), len(want), src)
		}
	})
}

func fuzzEval(p *featc.Program, rows [][]types.Value) ([]string, error) {
	res, err := evalRender(p, "out", "t", rows)
	if err != nil {
		return nil, err
	}
	sort.Strings(res)
	return res, nil
}

func fuzzDuckDB(t *testing.T, p *featc.Program, schema ir.Schema, rows [][]types.Value) ([]string, error) {
	ctx := context.Background()
	conn, err := fuzzDB.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "DROP TABLE IF EXISTS t"); err != nil {
		return nil, err
	}
	load(t, ctx, conn, duckdb.Dialect, "t", schema, rows)
	defer conn.ExecContext(ctx, "DROP TABLE t")
	st, err := sqlgen.CompileOutput(p.IR(), duckdb.Dialect, "out", sqlgen.Options{})
	if err != nil {
		return nil, err
	}
	res, err := sqlrun.Query(ctx, conn, st)
	if err != nil {
		return nil, err
	}
	out := render(res, false)
	return out, nil
}

// TestDifferentialEngines replays the differential fuzzer's corpus and a fixed set of generated
// programs on every engine (Postgres included, which the fuzzer's worker processes do not
// start): a bounded differential pass that runs with every go test.
func TestDifferentialEngines(t *testing.T) {
	defer logCells(t)
	p0, err := featc.CompileSources([]featc.Source{{Name: "s.feat", Text: gen.PipelineSchema}})
	if err != nil {
		t.Fatal(err)
	}
	schema := p0.IR().Def("t").Schema
	rows := dropHuge(cases.EdgeRows(schema, 60))
	var inputs [][]byte
	corpus, _ := filepath.Glob("testdata/fuzz/FuzzDifferential/*")
	for _, path := range corpus {
		if b, err := readCorpusBytes(path); err == nil {
			inputs = append(inputs, b)
		}
	}
	r := rand.New(rand.NewSource(7))
	for i := 0; i < 800; i++ {
		b := make([]byte, 4+r.Intn(28))
		r.Read(b)
		inputs = append(inputs, b)
	}
	ctx := context.Background()
	for _, e := range engines(t) {
		t.Run(e.name, func(t *testing.T) {
			conn, done := e.open(t)
			defer done()
			load(t, ctx, conn, e.d, "t", schema, rows)
			compared, lifted := 0, 0
			for _, data := range inputs {
				g := gen.NewPipeline(data)
				src := g.Program()
				p, err := featc.CompileSources([]featc.Source{{Name: "fuzz.feat", Text: src}})
				if err != nil {
					continue
				}
				want, evalErr := fuzzEval(p, rows)
				if evalErr != nil {
					continue // engines may skip the failing value (docs/semantics.md, Errors)
				}
				st, err := sqlgen.CompileOutput(p.IR(), e.d, "out", sqlgen.Options{})
				if why := declaredRefusal(e.d, err, capExprDepth, capDefChain); why != "" {
					cellRefused(t, e.name, why, err)
					continue
				}
				if err != nil {
					t.Errorf("%s refuses a program the evaluator computes, and the refusal is not declared: %v\n%s\n(fuzz input %q)", e.name, err, src, data)
					continue
				}
				cellRan(t, e.name)
				res, err := sqlrun.Query(ctx, conn, st)
				if err != nil {
					t.Errorf("%s fails (%v), the evaluator does not\n%s\n(fuzz input %q)", e.name, err, src, data)
					continue
				}
				got := render(res, false)
				if !sameRows(got, want) {
					t.Errorf("%s differs from the evaluator\n%s\nevaluator %v\n%-9s %v\n(fuzz input %q)", e.name, src, first(want, 5), e.name, first(got, 5), data)
				}
				compared++
				if g.Lifted {
					lifted++
				}
			}
			t.Logf("%d programs compared, %d with window functions in filters, sorts or joins", compared, lifted)
			if compared < 50 || lifted < 40 {
				t.Fatalf("only %d programs compared, %d with window functions in filters, sorts or joins: checked programs fail", compared, lifted)
			}
		})
	}
}

// readCorpusBytes reads the []byte value of a Go fuzz corpus file.
func readCorpusBytes(path string) ([]byte, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	for _, line := range strings.Split(string(text), "\n") {
		if strings.HasPrefix(line, "[]byte(") && strings.HasSuffix(line, ")") {
			s, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(line, "[]byte("), ")"))
			return []byte(s), err
		}
	}
	return nil, fmt.Errorf("%s: no []byte value", path)
}
