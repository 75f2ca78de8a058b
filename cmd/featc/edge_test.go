package main

import (
	"bytes"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/featc/featc"
	"github.com/featc/featc/eval"
	"github.com/featc/featc/internal/cases"
	"github.com/featc/featc/internal/dataio"
	"github.com/featc/featc/internal/gen"
	"github.com/featc/featc/ir"
	"github.com/featc/featc/types"
)

var update = flag.Bool("update", false, "rewrite testdata/edge/edge.parquet")

const edgeDir, edgeFile = "../../testdata/edge", "../../testdata/edge/edge.parquet"

// TestEdgeDataFile keeps testdata/edge/edge.parquet equal to the edge rows the conformance
// matrix runs over (internal/cases.EdgeRows for the schema of testdata/edge/edge.feat).
func TestEdgeDataFile(t *testing.T) {
	p, err := featc.Compile(os.DirFS(edgeDir))
	if err != nil {
		t.Fatal(err)
	}
	schema := p.IR().Def("edge").Schema
	rows := cases.EdgeRows(schema, 400)
	if *update {
		rec := eval.ValuesRecord(memory.DefaultAllocator, schema, rows)
		defer rec.Release()
		if err := dataio.WriteParquet(edgeFile, rec); err != nil {
			t.Fatal(err)
		}
	}
	rec, err := dataio.Read(memory.DefaultAllocator, edgeFile, schema)
	if err != nil {
		t.Fatalf("%v (write it with go test ./cmd/featc -run EdgeData -update)", err)
	}
	defer rec.Release()
	have, err := eval.RecordValues(rec, schema)
	if err != nil {
		t.Fatal(err)
	}
	if len(have) != len(rows) {
		t.Fatalf("%s has %d rows, the generator %d: go test ./cmd/featc -run EdgeData -update", edgeFile, len(have), len(rows))
	}
	for r := range rows {
		for c := range rows[r] {
			if !cases.SameCell(have[r][c].String(), rows[r][c].String()) {
				t.Fatalf("%s row %d, %s: %s, the generator %s: go test ./cmd/featc -run EdgeData -update",
					edgeFile, r, schema[c].Name, have[r][c], rows[r][c])
			}
		}
	}
	// Every kind of edge the issue asks for is in the file.
	seen := map[string]bool{}
	for _, row := range have {
		for _, v := range row {
			txt := v.String()
			switch {
			case v.Null:
				seen["null "+v.Type.String()] = true
			case txt == "NaN", txt == "Infinity", txt == "-Infinity", txt == `""`,
				txt == "9223372036854775807", txt == "-9223372036854775808", txt == "@2024-02-29":
				seen[txt] = true
			}
		}
	}
	for _, want := range []string{"null int64", "null float64", "null decimal(10,2)", "null string", "null bool", "null date", "null timestamp",
		"NaN", "Infinity", "-Infinity", `""`, "9223372036854775807", "-9223372036854775808", "@2024-02-29"} {
		if !seen[want] {
			t.Errorf("the edge data has no %s", want)
		}
	}
}

// TestVerifyEdgeData runs featc verify over the edge data: every engine must compute the
// example features as the evaluator does.
func TestVerifyEdgeData(t *testing.T) {
	args := []string{"verify", edgeDir, "--input", "edge=" + edgeFile, "--postgres", postgresDSN(t)}
	var o, e bytes.Buffer
	if code := run(args, strings.NewReader(""), &o, &e); code != 0 {
		t.Fatalf("featc verify exits %d\n%s\n%s", code, o.String(), e.String())
	}
	for _, out := range []string{"rows", "by_sign", "ranked"} {
		for _, engine := range []string{"duckdb", "postgres"} {
			if !strings.Contains(o.String(), out+": "+engine+" agrees with the evaluator") {
				t.Errorf("no agreement of %s on %s:\n%s", engine, out, o.String())
			}
		}
	}
}

// customersSample is the generated sample of testdata/examples/customers/data.
var customersSample = gen.PIT{Customers: 20, Days: 90, Observations: 200, OrdersPerDay: 0.3, Seed: 42}

// TestCustomersSample keeps the example's sample data equal to what the generator makes.
func TestCustomersSample(t *testing.T) {
	const dir = "../../testdata/examples/customers"
	p, err := featc.Compile(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	d := customersSample.Generate()
	files := []struct {
		name   string
		schema ir.Schema
		rows   [][]types.Value
	}{
		{"balances", p.IR().Def("balances").Schema, d.Balances},
		{"orders", p.IR().Def("orders").Schema, d.Orders},
		{"observations", p.IR().Def("observations").Schema, d.Spine},
	}
	for _, f := range files {
		path := dir + "/data/" + f.name + ".parquet"
		if *update {
			os.MkdirAll(dir+"/data", 0o755)
			rec := eval.ValuesRecord(memory.DefaultAllocator, f.schema, f.rows)
			err := dataio.WriteParquet(path, rec)
			rec.Release()
			if err != nil {
				t.Fatal(err)
			}
		}
		rec, err := dataio.Read(memory.DefaultAllocator, path, f.schema)
		if err != nil {
			t.Fatalf("%v (write it with go test ./cmd/featc -run CustomersSample -update)", err)
		}
		have, err := eval.RecordValues(rec, f.schema)
		rec.Release()
		if err != nil {
			t.Fatal(err)
		}
		if len(have) != len(f.rows) {
			t.Fatalf("%s: %d rows, the generator %d", path, len(have), len(f.rows))
		}
		for r := range have {
			for c := range have[r] {
				if have[r][c].String() != f.rows[r][c].String() {
					t.Fatalf("%s row %d: %s, the generator %s", path, r, have[r][c], f.rows[r][c])
				}
			}
		}
	}
}
