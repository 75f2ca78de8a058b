package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/featc/featc"
	"github.com/featc/featc/backends"
	"github.com/featc/featc/eval"
	"github.com/featc/featc/internal/cases"
	"github.com/featc/featc/internal/dataio"
	"github.com/featc/featc/ir"
	"github.com/featc/featc/types"
)

// csvTable is an output as CSV text: a header and rows of cells.
type csvTable struct {
	header []string
	rows   [][]string
}

func parseCSV(t *testing.T, text string) csvTable {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil || len(recs) == 0 {
		t.Fatalf("not CSV with a header (%v):\n%s", err, text)
	}
	if len(recs[0]) == 1 {
		// One column: a null is an empty line, which CSV readers skip.
		tab := csvTable{header: recs[0]}
		lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
		for _, l := range lines[1:] {
			cell := l
			if r, err := csv.NewReader(strings.NewReader(l)).Read(); err == nil {
				cell = r[0]
			}
			tab.rows = append(tab.rows, []string{cell})
		}
		return tab
	}
	return csvTable{header: recs[0], rows: recs[1:]}
}

// project keeps the named columns, in the order given.
func (c csvTable) project(t *testing.T, cols []string) csvTable {
	t.Helper()
	out := csvTable{header: cols}
	idx := make([]int, len(cols))
	for i, name := range cols {
		idx[i] = -1
		for j, h := range c.header {
			if h == name {
				idx[i] = j
			}
		}
		if idx[i] < 0 {
			t.Fatalf("no column %s in %v", name, c.header)
		}
	}
	for _, r := range c.rows {
		row := make([]string, len(cols))
		for i, j := range idx {
			row[i] = r[j]
		}
		out.rows = append(out.rows, row)
	}
	return out
}

// same compares two outputs as multisets of rows (an output's row order is the engine's, unless
// it sorts), cell by cell with cases.SameCell.
func (c csvTable) same(o csvTable) string {
	if strings.Join(c.header, ",") != strings.Join(o.header, ",") {
		return fmt.Sprintf("columns %v, want %v", c.header, o.header)
	}
	if len(c.rows) != len(o.rows) {
		return fmt.Sprintf("%d rows, want %d", len(c.rows), len(o.rows))
	}
	key := func(r []string) string { return strings.Join(r, "\x00") }
	a, b := append([][]string{}, c.rows...), append([][]string{}, o.rows...)
	sort.Slice(a, func(i, j int) bool { return key(a[i]) < key(a[j]) })
	sort.Slice(b, func(i, j int) bool { return key(b[i]) < key(b[j]) })
	for i := range a {
		for j := range a[i] {
			if !cases.SameCell(a[i][j], b[i][j]) {
				return fmt.Sprintf("row %v, want %v", a[i], b[i])
			}
		}
	}
	return ""
}

// outputForms generates every form of output a user may ask for, from the program itself: each
// output and let whole, each column of each output alone, several columns of one output (the
// last two, in reverse order), columns of two outputs together, and a let with a column.
func outputForms(prog *ir.Program, runnable func(string) bool) [][]string {
	var forms [][]string
	var outs []*ir.Def
	for _, d := range prog.Defs {
		switch d.Kind {
		case ir.LetDef:
			forms = append(forms, []string{d.Name})
		case ir.FrameDef, ir.FeaturesDef, ir.EntityFeaturesDef:
			if !runnable(d.Name) {
				continue
			}
			outs = append(outs, d)
			forms = append(forms, []string{d.Name})
			names := d.Schema.Names()
			for _, c := range names {
				forms = append(forms, []string{d.Name + "." + c})
			}
			if n := len(names); n >= 2 {
				forms = append(forms, []string{d.Name + "." + names[n-1], d.Name + "." + names[n-2]})
			}
		}
	}
	for i := 0; i+1 < len(outs); i++ {
		a, b := outs[i], outs[i+1]
		forms = append(forms, []string{a.Name + "." + a.Schema[len(a.Schema)-1].Name, b.Name + "." + b.Schema[0].Name})
	}
	for _, d := range prog.Defs {
		if d.Kind == ir.LetDef && len(outs) > 0 {
			o := outs[len(outs)-1]
			forms = append(forms, []string{d.Name, o.Name + "." + o.Schema[len(o.Schema)-1].Name})
			break
		}
	}
	return forms
}

// wantOf is what a form asks of one output, computed from the evaluator's whole output: the
// columns asked, in the order asked, after an entity block's spine columns (which identify each
// row).
func wantOf(t *testing.T, d *ir.Def, whole csvTable, form []string) csvTable {
	var asked []string
	for _, f := range form {
		name, col, ok := strings.Cut(f, ".")
		if name != d.Name {
			continue
		}
		if !ok {
			return whole
		}
		asked = append(asked, col)
	}
	var cols []string
	seen := map[string]bool{}
	if d.Kind == ir.EntityFeaturesDef {
		features := map[string]bool{}
		for _, f := range d.Features {
			features[f] = true
		}
		for _, h := range whole.header {
			if !features[h] {
				cols = append(cols, h)
				seen[h] = true
			}
		}
	}
	for _, c := range asked {
		if !seen[c] {
			cols = append(cols, c)
			seen[c] = true
		}
	}
	return whole.project(t, cols)
}

// TestOutputForms asks every example project for every output form (outputForms) on every engine
// — the Go API, run --engine eval, DuckDB and Postgres — and checks each answer against the
// columns of the evaluator's whole output (an entity block's spine columns, labels included,
// always first).
func TestOutputForms(t *testing.T) {
	dirs, err := filepath.Glob("../../testdata/examples/*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no examples: %v", err)
	}
	dsn := postgresDSN(t)
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			cfg, err := loadConfig([]string{dir})
			if err != nil {
				t.Fatal(err)
			}
			var opts []featc.Option
			if cfg.Mode != "" {
				opts = append(opts, featc.Mode(cfg.Mode))
			}
			prog, err := featc.Compile(os.DirFS(dir), opts...)
			if err != nil {
				t.Fatal(err)
			}
			p := prog.IR()
			runnable := func(name string) bool {
				return p.Def(name).Kind != ir.EntityFeaturesDef || cfg.Inputs[name] != "" || cfg.Tables[name] != ""
			}
			forms := outputForms(p, runnable)
			whole := map[string]csvTable{}
			lets := map[string]csvTable{}
			for _, form := range forms {
				name := strings.Join(form, " ")
				for _, engine := range []string{"eval", "duckdb", "postgres", "go"} {
					var got map[string]csvTable
					if engine == "go" {
						got = goAPIOutputs(t, p, cfg, form)
					} else {
						got = cliOutputs(t, dir, engine, dsn, form)
					}
					for out, tab := range got {
						d := p.Def(out)
						if d == nil {
							t.Fatalf("%s on %s: an output %s the program does not define", name, engine, out)
						}
						if d.Kind == ir.LetDef {
							// A let's value is the evaluator's as a whole output.
							if want, ok := lets[out]; !ok {
								lets[out] = tab
							} else if diff := tab.same(want); diff != "" {
								t.Errorf("%s on %s: %s", name, engine, diff)
							}
							continue
						}
						if len(form) == 1 && form[0] == out && engine == "eval" {
							whole[out] = tab
						}
						w, ok := whole[out]
						if !ok {
							t.Fatalf("%s: the whole output %s was not computed first", name, out)
						}
						if diff := tab.same(wantOf(t, d, w, form)); diff != "" {
							t.Errorf("%s on %s: %s", name, engine, diff)
						}
					}
					if want := formOutputs(form); len(got) != want {
						t.Errorf("%s on %s: %d outputs, want %d", name, engine, len(got), want)
					}
				}
			}
		})
	}
}

func formOutputs(form []string) int {
	seen := map[string]bool{}
	for _, f := range form {
		name, _, _ := strings.Cut(f, ".")
		seen[name] = true
	}
	return len(seen)
}

// cliOutputs runs featc run for one form on one engine, writing CSV files.
func cliOutputs(t *testing.T, dir, engine, dsn string, form []string) map[string]csvTable {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out")
	args := []string{"run", dir, "--engine", engine, "--format", "csv", "--out", out}
	if engine == "postgres" {
		args = append(args, "--target", dsn)
	}
	for _, f := range form {
		args = append(args, "--output", f)
	}
	var stdout, stderr bytes.Buffer
	if code := run(args, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("%s: exit %d: %s", strings.Join(args, " "), code, stderr.String())
	}
	got := map[string]csvTable{}
	if st, err := os.Stat(out); err == nil && !st.IsDir() {
		b, _ := os.ReadFile(out)
		name, _, _ := strings.Cut(form[0], ".")
		got[name] = parseCSV(t, string(b))
		return got
	}
	files, _ := filepath.Glob(filepath.Join(out, "*.csv"))
	for _, f := range files {
		b, _ := os.ReadFile(f)
		got[strings.TrimSuffix(filepath.Base(f), ".csv")] = parseCSV(t, string(b))
	}
	return got
}

// goAPIOutputs computes one form through the Go API as a service would: an evaluator built for
// the outputs, inputs read from the project's files, a spine frame computed first.
func goAPIOutputs(t *testing.T, p *ir.Program, cfg *config, form []string) map[string]csvTable {
	t.Helper()
	ctx := context.Background()
	mem := memory.DefaultAllocator
	ev, err := eval.New(p, eval.Outputs(form...))
	if err != nil {
		t.Fatalf("eval.Outputs(%v): %v", form, err)
	}
	params := eval.Params{}
	for name, text := range cfg.Params {
		if d := p.Def(name); d != nil && d.Kind == ir.ParamDef {
			v, err := eval.ParseParam(text, d.Type)
			if err != nil {
				t.Fatal(err)
			}
			params[name] = v
		}
	}
	sources := func(prog *ir.Program) eval.Inputs {
		in := eval.Inputs{}
		for _, d := range prog.Defs {
			if d.Kind == ir.SourceDef {
				rec, err := dataio.Read(mem, cfg.Inputs[d.Name], d.Schema)
				if err != nil {
					t.Fatal(err)
				}
				in[d.Name] = rec
			}
		}
		return in
	}
	inputs := sources(ev.Program())
	defer func() {
		for _, r := range inputs {
			r.Release()
		}
	}()
	for _, d := range ev.Program().Defs {
		if d.Kind != ir.EntityFeaturesDef || !ev.NeedsSpine(d.Name) {
			continue
		}
		bound := cfg.Inputs[d.Name]
		if p.Def(bound) != nil {
			fev, err := eval.New(p, eval.Outputs(bound))
			if err != nil {
				t.Fatal(err)
			}
			fin := sources(fev.Program())
			res, err := fev.Run(ctx, fin, params)
			if err != nil {
				t.Fatal(err)
			}
			rec, err := res.Record(bound)
			if err != nil {
				t.Fatal(err)
			}
			res.Release()
			for _, r := range fin {
				r.Release()
			}
			inputs[d.Name] = rec
			continue
		}
		schema, err := dataio.SpineSchema(bound, ir.ApplyOf(d.Rel).Spine.Schema())
		if err != nil {
			t.Fatal(err)
		}
		rec, err := dataio.Read(mem, bound, schema)
		if err != nil {
			t.Fatal(err)
		}
		inputs[d.Name] = rec
	}
	res, err := ev.Run(ctx, inputs, params)
	if err != nil {
		t.Fatalf("Run(%v): %v", form, err)
	}
	defer res.Release()
	got := map[string]csvTable{}
	for _, name := range ev.OutputNames() {
		var rec arrow.RecordBatch
		if d := ev.Program().Def(name); d.Kind == ir.LetDef {
			v, _, err := res.Scalar(name)
			if err != nil {
				t.Fatal(err)
			}
			rec = eval.ValueRecord(mem, name, v)
		} else if rec, err = res.Record(name); err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := dataio.WriteCSV(&b, rec); err != nil {
			t.Fatal(err)
		}
		rec.Release()
		got[name] = parseCSV(t, b.String())
	}
	return got
}

// TestSpineFilePassThrough binds a spine file with columns of its own (an id, a label, in an
// order unlike the block's) and a duplicated observation, as CSV and as Parquet: every engine
// keeps every spine column in the file's order before the features, and one row per spine row.
func TestSpineFilePassThrough(t *testing.T) {
	dsn := postgresDSN(t)
	src := "../../testdata/examples/orders"
	spine := "obs_id,t,label,customer_id\n" +
		"x1,2024-03-01T10:00:00,yes,1\n" +
		"x2,2024-03-01T10:00:00,no,1\n" +
		"x3,2024-01-15T09:00:01,,2\n"
	for _, format := range []string{"csv", "parquet"} {
		t.Run(format, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "spine.csv")
			if err := os.WriteFile(path, []byte(spine), 0o644); err != nil {
				t.Fatal(err)
			}
			if format == "parquet" {
				// The same rows as Parquet, written by featc from the CSV (columns as strings
				// but for the declared ones).
				pq := filepath.Join(dir, "spine.parquet")
				schema := ir.Schema{{Name: "customer_id", Type: types.Int64T}, {Name: "t", Type: types.TimestampT}}
				full, err := dataio.SpineSchema(path, schema)
				if err != nil {
					t.Fatal(err)
				}
				rec, err := dataio.Read(memory.DefaultAllocator, path, full)
				if err != nil {
					t.Fatal(err)
				}
				if err := dataio.WriteParquet(pq, rec); err != nil {
					t.Fatal(err)
				}
				rec.Release()
				path = pq
			}
			var first csvTable
			for _, engine := range []string{"eval", "duckdb", "postgres"} {
				out := filepath.Join(t.TempDir(), "out.csv")
				args := []string{"run", src, "--engine", engine, "--output", "order_history", "--input", "order_history=" + path, "--format", "csv", "--out", out}
				if engine == "postgres" {
					args = append(args, "--target", dsn)
				}
				var stdout, stderr bytes.Buffer
				if code := run(args, nil, &stdout, &stderr); code != 0 {
					t.Fatalf("%s: exit %d: %s", engine, code, stderr.String())
				}
				b, _ := os.ReadFile(out)
				got := parseCSV(t, string(b))
				want := []string{"obs_id", "t", "label", "customer_id", "n_orders", "amount_90d", "days_since_last_order"}
				if strings.Join(got.header, ",") != strings.Join(want, ",") {
					t.Fatalf("%s: columns %v, want %v", engine, got.header, want)
				}
				if len(got.rows) != 3 {
					t.Fatalf("%s: %d rows, want one per spine row (3)", engine, len(got.rows))
				}
				// Customer 1 at 2024-03-01T10:00 has one earlier order (o1, 10.0, 60 days
				// before); customer 2 at 2024-01-15T09:00:01 has o4 and o5 (same instant).
				for _, r := range got.rows {
					switch r[0] {
					case "x1", "x2":
						if r[4] != "1" || r[6] != "60" {
							t.Errorf("%s: row %v: want 1 order, 60 days", engine, r)
						}
					case "x3":
						if r[4] != "2" {
							t.Errorf("%s: row %v: want 2 orders", engine, r)
						}
					}
				}
				if engine == "eval" {
					first = got
				} else if diff := got.same(first); diff != "" {
					t.Errorf("%s differs from the evaluator: %s", engine, diff)
				}
			}
		})
	}
}

// TestSpineTablePassThrough binds the spine to a table of the target database holding columns
// of its own (typed by the engine: a text id, a boolean label) and to a query over it: DuckDB and
// Postgres keep them, in the table's order, and give the rows the evaluator gives for the same
// spine as a CSV file.
func TestSpineTablePassThrough(t *testing.T) {
	src := "../../testdata/examples/orders"
	dir := t.TempDir()
	csvSpine := filepath.Join(dir, "spine.csv")
	if err := os.WriteFile(csvSpine, []byte("obs_id,t,label,customer_id\nx1,2024-03-01T10:00:00,true,1\nx2,2024-03-01T10:00:00,false,1\nx3,2024-01-15T09:00:01,,2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	runCSV := func(args ...string) csvTable {
		out := filepath.Join(t.TempDir(), "out.csv")
		args = append(args, "--format", "csv", "--out", out)
		var stdout, stderr bytes.Buffer
		if code := run(args, nil, &stdout, &stderr); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr.String())
		}
		b, _ := os.ReadFile(out)
		return parseCSV(t, string(b))
	}
	want := runCSV("run", src, "--engine", "eval", "--output", "order_history", "--input", "order_history="+csvSpine)
	create := []string{
		`CREATE TABLE obs (obs_id VARCHAR, t TIMESTAMP, label BOOLEAN, customer_id BIGINT)`,
		`INSERT INTO obs VALUES ('x1', '2024-03-01 10:00:00', true, 1), ('x2', '2024-03-01 10:00:00', false, 1), ('x3', '2024-01-15 09:00:01', NULL, 2)`,
	}
	targets := map[string]string{"duckdb": filepath.Join(dir, "db.duckdb"), "postgres": postgresDSN(t)}
	for _, engine := range []string{"duckdb", "postgres"} {
		target := targets[engine]
		e, err := backends.Lookup(engine)
		if err != nil {
			t.Fatal(err)
		}
		db, err := openEngine(e, target)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = db.Exec(`DROP TABLE IF EXISTS obs`)
		for _, s := range create {
			if _, err := db.Exec(s); err != nil {
				t.Fatalf("%s: %s: %v", engine, s, err)
			}
		}
		db.Close()
		for _, bind := range []string{"obs", "SELECT * FROM obs"} {
			got := runCSV("run", src, "--engine", engine, "--target", target, "--output", "order_history", "--table", "order_history="+bind)
			if diff := got.same(want); diff != "" {
				t.Errorf("%s, spine %q: %s", engine, bind, diff)
			}
		}
	}
}

// TestParamOfSpineFrame: a param that only the spine frame reads (not the features) is taken
// from --param on every engine, and the spine frame it filters decides the rows.
func TestParamOfSpineFrame(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile("../../testdata/examples/orders/orders.feat")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(src), "frame order_spine = orders.select(", "param since: timestamp\nframe order_spine = orders.filter(created_at >= since).select(", 1)
	if text == string(src) {
		t.Fatal("the orders example no longer defines order_spine as the test expects")
	}
	data, _ := filepath.Abs("../../testdata/examples/orders/data/orders.csv")
	files := map[string]string{"orders.feat": text, "featc.toml": "[inputs]\norders = \"" + data + "\"\norder_history = \"order_spine\"\n"}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dsn := postgresDSN(t)
	for _, engine := range []string{"eval", "duckdb", "postgres"} {
		args := []string{"run", dir, "--engine", engine, "--output", "order_history", "--param", "since=2024-02-01T00:00:00", "--format", "csv"}
		if engine == "postgres" {
			args = append(args, "--target", dsn)
		}
		var stdout, stderr bytes.Buffer
		if code := run(args, nil, &stdout, &stderr); code != 0 {
			t.Fatalf("%s: exit %d: %s", engine, code, stderr.String())
		}
		got := parseCSV(t, stdout.String())
		// The orders created on or after 2024-02-01: o2 (03-01), o3 (06-01) and o6 (02-29).
		var ids []string
		for _, r := range got.rows {
			ids = append(ids, r[2])
		}
		sort.Strings(ids)
		if strings.Join(ids, ",") != "o2,o3,o6" {
			t.Errorf("%s: spine rows %v, want o2, o3, o6", engine, ids)
		}
	}
}
