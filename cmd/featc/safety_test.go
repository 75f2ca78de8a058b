package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"math/big"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/jackc/pgx/v5"

	"github.com/featc/featc/backends"
	"github.com/featc/featc/backends/duckdb"
	"github.com/featc/featc/backends/postgres"
	"github.com/featc/featc/eval"
	"github.com/featc/featc/internal/dataio"
	"github.com/featc/featc/ir"
	"github.com/featc/featc/types"
)

// runFeatc runs featc in-process and returns its exit status and streams.
func runFeatc(args ...string) (int, string, string) {
	var o, e bytes.Buffer
	code := run(args, strings.NewReader(""), &o, &e)
	return code, o.String(), e.String()
}

// writeFiles writes name → content files under a fresh directory and returns it.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// withDatabase returns the DSN of a fresh database on the test server.
func withDatabase(t *testing.T, name string, setup ...string) string {
	t.Helper()
	dsn := postgresDSN(t)
	db, err := postgres.Open(dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("DROP DATABASE IF EXISTS " + name); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatal(err)
	}
	for _, s := range setup {
		if _, err := db.Exec(s); err != nil {
			t.Fatal(err)
		}
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// hostileStrings are texts that end a string literal early or change it when a backslash
// escapes (standard_conforming_strings = off).
var hostileStrings = []string{`\' OR true --`, `\`, `a\`, `\\`, `\n`, `'`, `''`, `\'\'`, `x\' OR name <> '`, `plain`}

// TestStringLiteralsWithoutStandardConformingStrings runs a filter on a param against a
// Postgres database whose default is standard_conforming_strings = off, where a backslash in
// '…' escapes: the param `\' OR true --` used to end the literal and return every row. Each
// hostile string must match exactly the row holding it, through featc run (whose connections
// set the setting on) and through the SQL featc compile prints, run on a plain connection
// that keeps the setting off (so that the literals themselves are safe under both).
func TestStringLiteralsWithoutStandardConformingStrings(t *testing.T) {
	dsn := withDatabase(t, "scs_off", "ALTER DATABASE scs_off SET standard_conforming_strings = off")
	ctx := context.Background()
	raw, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close(ctx)
	var setting string
	if err := raw.QueryRow(ctx, "SHOW standard_conforming_strings").Scan(&setting); err != nil || setting != "off" {
		t.Fatalf("the test database has standard_conforming_strings = %q (%v), want off", setting, err)
	}
	if _, err := raw.Exec(ctx, "CREATE TABLE people (id BIGINT, name TEXT)"); err != nil {
		t.Fatal(err)
	}
	for i, s := range hostileStrings {
		if _, err := raw.Exec(ctx, "INSERT INTO people VALUES ($1, $2)", i, s); err != nil {
			t.Fatal(err)
		}
	}
	dir := writeFiles(t, map[string]string{"p.feat": `source people { id: int64, name: string }
param who: string
frame found = people.filter(name == who).select(id)
`})
	for i, s := range hostileStrings {
		want := fmt.Sprint(i)
		code, out, errs := runFeatc("run", dir, "--engine", "postgres", "--target", dsn, "--param", "who="+s, "--format", "csv")
		if code != 0 {
			t.Fatalf("%q: exit %d\n%s", s, code, errs)
		}
		if got := strings.Join(strings.Fields(out), " "); got != "id "+want {
			t.Errorf("featc run with who=%q: got %q, want the row %s only", s, got, want)
		}
		code, sqlText, errs := runFeatc("compile", dir, "--target", "postgres", "--param", "who="+s)
		if code != 0 {
			t.Fatalf("%q: compile exit %d\n%s", s, code, errs)
		}
		rows, err := raw.Query(ctx, stripComments(sqlText))
		if err != nil {
			t.Fatalf("%q: %v\n%s", s, err, sqlText)
		}
		var ids []string
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, fmt.Sprint(id))
		}
		rows.Close()
		if strings.Join(ids, " ") != want {
			t.Errorf("compiled SQL with who=%q under standard_conforming_strings=off: got rows %v, want %s\n%s", s, ids, want, sqlText)
		}
	}
}

// stripComments drops the comment and session lines featc compile writes before a statement,
// and its final ;.
func stripComments(s string) string {
	var keep []string
	for _, line := range strings.Split(s, "\n") {
		if !strings.HasPrefix(line, "--") && !strings.HasPrefix(line, "SET ") {
			keep = append(keep, line)
		}
	}
	return strings.TrimSuffix(strings.TrimSpace(strings.Join(keep, "\n")), ";")
}

// TestBackfillStaging: a backfill stages its rows under a name no one owns: a user's table
// named like the old fixed staging name (reports__featc_new) survives, with its rows; no
// staging table is left behind; on Postgres a table name longer than 63 bytes (which the
// server would cut) is refused naming the limit, and one of exactly 63 bytes is written
// under its own name.
func TestBackfillStaging(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a.feat": "source t { k: int64, x: float64 }\nframe totals = t.group_by(k).agg(total = x.sum())\n",
		"t.csv":  "k,x\n1,1.5\n1,2\n2,4\n",
	})
	long63 := strings.Repeat("r", 63)
	for _, engine := range []string{"duckdb", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			var target string
			var db *sql.DB
			var err error
			if engine == "postgres" {
				target = withDatabase(t, "staging_test")
				db, err = postgres.Open(target)
			} else {
				target = filepath.Join(t.TempDir(), "db.duckdb")
				db, err = duckdb.Open(target)
			}
			if err != nil {
				t.Fatal(err)
			}
			exec := func(q string) {
				if _, err := db.Exec(q); err != nil {
					t.Fatal(err)
				}
			}
			query := func(q string) string {
				rows, err := db.Query(q)
				if err != nil {
					t.Fatal(err)
				}
				defer rows.Close()
				var out []string
				for rows.Next() {
					var a, b any
					if err := rows.Scan(&a, &b); err != nil {
						t.Fatal(err)
					}
					out = append(out, fmt.Sprint(a, "=", b))
				}
				return strings.Join(out, " ")
			}
			exec(`CREATE TABLE reports__featc_new (note TEXT, n BIGINT)`)
			exec(`INSERT INTO reports__featc_new VALUES ('mine', 7)`)
			db.Close() // DuckDB: one process holds the file
			for _, into := range []string{"reports", long63} {
				code, _, errs := runFeatc("backfill", dir, "--input", "t="+dir+"/t.csv", "--target", target, "--output", "totals", "--into", into)
				if code != 0 {
					t.Fatalf("backfill into %s: exit %d\n%s", into, code, errs)
				}
			}
			code, _, errs := runFeatc("backfill", dir, "--input", "t="+dir+"/t.csv", "--target", target, "--output", "totals", "--into", long63+"r")
			if engine == "postgres" && (code != exitFail || !strings.Contains(errs, "at most 63 bytes")) {
				t.Fatalf("a 64-byte name: exit %d, %q", code, errs)
			}
			if engine == "duckdb" && code != 0 {
				t.Fatalf("a 64-byte name on DuckDB: exit %d, %q", code, errs)
			}
			if engine == "postgres" {
				db, err = postgres.Open(target)
			} else {
				db, err = duckdb.Open(target)
			}
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if got := query(`SELECT note, n FROM reports__featc_new`); got != "mine=7" {
				t.Errorf("the user's reports__featc_new now holds %q", got)
			}
			for _, table := range []string{"reports", long63} {
				if got := query(`SELECT k, total FROM "` + table + `" ORDER BY k`); got != "1=3.5 2=4" {
					t.Errorf("%s holds %q", table, got)
				}
			}
			if got := query(`SELECT table_name, 0 FROM information_schema.tables WHERE table_name LIKE '%featc_new_%' ORDER BY 1`); got != "" {
				t.Errorf("staging tables left behind: %s", got)
			}
		})
	}
}

// TestFileBinderSameEverywhere: a Parquet or Arrow file whose columns do not match the
// declaration is refused the same way on every engine — DuckDB reads files itself and used to
// accept a float64 column declared decimal(10,2) or a date32 declared timestamp, and to fail a
// missing column with its binder's error — and one that matches gives the same rows
// everywhere. The cases pair each file column type with declared types, generated: the same
// type, the types the binder widens to, and types it must refuse.
func TestFileBinderSameEverywhere(t *testing.T) {
	dsn := postgresDSN(t)
	dec := func(unscaled int64, t types.Type) types.Value { return types.DecimalValue(big.NewInt(unscaled), t) }
	d102, d122, d103 := types.DecimalType(10, 2), types.DecimalType(12, 2), types.DecimalType(10, 3)
	files := []struct {
		typ  types.Type
		vals []types.Value
	}{
		{types.Int32T, []types.Value{types.Int32Value(7), types.NullValue(types.Int32T)}},
		{types.Int64T, []types.Value{types.Int64Value(-3), types.NullValue(types.Int64T)}},
		{types.Float64T, []types.Value{types.Float64Value(1.25), types.NullValue(types.Float64T)}},
		{d102, []types.Value{dec(125, d102), types.NullValue(d102)}},
		{types.DateT, []types.Value{types.DateValue(19723), types.NullValue(types.DateT)}},
		{types.TimestampT, []types.Value{types.TimestampValue(1704067200000000), types.NullValue(types.TimestampT)}},
		{types.StringT, []types.Value{types.StringValue("x"), types.NullValue(types.StringT)}},
	}
	declared := []types.Type{types.Int32T, types.Int64T, types.Float64T, d102, d122, d103, types.DateT, types.TimestampT, types.StringT}
	dir := t.TempDir()
	accepted, refused := 0, 0
	for _, f := range files {
		for _, ext := range []string{"parquet", "arrow"} {
			path := filepath.Join(dir, fmt.Sprintf("col_%s.%s", strings.NewReplacer("(", "_", ")", "", ", ", "_").Replace(f.typ.String()), ext))
			schema := ir.Schema{{Name: "id", Type: types.Int64T}, {Name: "c", Type: f.typ}}
			rows := [][]types.Value{{types.Int64Value(1), f.vals[0]}, {types.Int64Value(2), f.vals[1]}}
			rec := eval.ValuesRecord(memory.DefaultAllocator, schema, rows)
			var err error
			if ext == "parquet" {
				err = dataio.WriteParquet(path, rec)
			} else {
				err = writeIPC(path, rec)
			}
			rec.Release()
			if err != nil {
				t.Fatal(err)
			}
			for _, decl := range append(declared, types.NullT) { // NullT: declare a column the file lacks
				var src string
				if decl.Kind == types.Null {
					src = "source s { id: int64, c: " + f.typ.String() + ", gone: int64 }\nframe out = s.select(id, c)\n"
				} else {
					src = "source s { id: int64, c: " + decl.String() + " }\nframe out = s.select(id, c)\n"
				}
				proj := writeFiles(t, map[string]string{"a.feat": src})
				var results []string
				for _, e := range []string{"eval", "duckdb", "postgres"} {
					args := []string{"run", proj, "--input", "s=" + path, "--engine", e, "--format", "csv"}
					if e == "postgres" {
						args = append(args, "--target", dsn)
					}
					code, out, errs := runFeatc(args...)
					results = append(results, fmt.Sprintf("exit %d\n%s%s", code, out, errs))
				}
				name := fmt.Sprintf("%s file column %s declared %s", ext, f.typ, decl)
				if results[0] != results[1] || results[0] != results[2] {
					t.Errorf("%s: the engines differ:\neval: %s\nduckdb: %s\npostgres: %s", name, results[0], results[1], results[2])
					continue
				}
				if strings.HasPrefix(results[0], "exit 0") {
					accepted++
				} else {
					refused++
					if !strings.Contains(results[0], "input s: "+path+", column ") {
						t.Errorf("%s: the message does not name the source, the file and the column:\n%s", name, results[0])
					}
				}
			}
		}
	}
	if accepted == 0 || refused == 0 {
		t.Fatalf("%d cases accepted, %d refused: the cases do not cover both", accepted, refused)
	}
}

// writeIPC writes a record as an Arrow IPC file.
func writeIPC(path string, rec arrow.RecordBatch) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w, err := ipc.NewFileWriter(f, ipc.WithSchema(rec.Schema()))
	if err != nil {
		f.Close()
		return err
	}
	if err := w.Write(rec); err != nil {
		f.Close()
		return err
	}
	if err := w.Close(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// TestCSVDuplicateHeader: a CSV header naming a column twice is refused on every engine.
func TestCSVDuplicateHeader(t *testing.T) {
	dir := writeFiles(t, map[string]string{"a.feat": "source t { a: int64 }\nframe f = t.select(a)\n", "t.csv": "a,b,a\n1,2,3\n"})
	for _, e := range []string{"eval", "duckdb", "postgres"} {
		args := []string{"run", dir, "--input", "t=" + dir + "/t.csv", "--engine", e}
		if e == "postgres" {
			args = append(args, "--target", postgresDSN(t))
		}
		code, _, errs := runFeatc(args...)
		if code != exitFail || !strings.Contains(errs, "input t: "+dir+"/t.csv: the header names column a twice") {
			t.Errorf("%s: exit %d, %q", e, code, errs)
		}
	}
}

// TestConfigRejects: featc.toml entries that mean nothing are errors, on every command that
// reads it, never silently ignored: unknown settings and wrong value types (which already were
// errors) and names of no source, entity features or param (which were ignored); the same
// for the flags.
func TestConfigRejects(t *testing.T) {
	const feat = "source t { a: int64 }\nparam p: int64 = 1\nframe f = t.select(b = a + p)\n"
	for _, tc := range []struct{ toml, want string }{
		{"bogus = 1\n", "unknown setting bogus"},
		{"[inputs]\nt = \"t.csv\"\n[outputs]\nf = 1\n", "unknown setting outputs"},
		{"mode = 3\n", `last key "mode"): incompatible types`},
		{"[inputs]\nt = 5\n", `last key "inputs.t"): incompatible types`},
		{"[params]\np = [1]\n", `last key "params.p"): incompatible types`},
		{"[inputs]\nt = \"t.csv\"\nnosuch = \"x.csv\"\n", "featc.toml: [inputs] nosuch: the program has no source or entity features nosuch (it has t)"},
		{"[inputs]\nt = \"t.csv\"\n[tables]\ntt = \"x\"\n", "featc.toml: [tables] tt: the program has no source or entity features tt"},
		{"[inputs]\nt = \"t.csv\"\n[params]\nq = \"1\"\n", "featc.toml: [params] q: the program has no param q"},
	} {
		dir := writeFiles(t, map[string]string{"a.feat": feat, "t.csv": "a\n1\n", "featc.toml": tc.toml})
		for _, args := range [][]string{
			{"run", dir, "--engine", "eval"},
			{"run", dir, "--engine", "duckdb"},
			{"compile", dir, "--target", "postgres"},
			{"explain", dir},
			{"verify", dir},
		} {
			code, _, errs := runFeatc(args...)
			if args[0] == "explain" && !strings.Contains(tc.want, "unknown setting") && !strings.Contains(tc.want, "incompatible") {
				continue // explain binds no data: only the file's form matters there
			}
			if code == 0 || !strings.Contains(errs, tc.want) {
				t.Errorf("featc.toml %q, featc %s: exit %d, stderr %q, want %q", tc.toml, strings.Join(args[:1], " "), code, errs, tc.want)
			}
		}
	}
	dir := writeFiles(t, map[string]string{"a.feat": feat, "t.csv": "a\n1\n"})
	for flag, want := range map[string]string{
		"--input": "--input tt: the program has no source or entity features tt",
		"--table": "--table tt: the program has no source or entity features tt",
		"--param": "--param tt: the program has no param tt",
	} {
		code, _, errs := runFeatc("run", dir, "--input", "t="+dir+"/t.csv", flag, "tt=1")
		if code == 0 || !strings.Contains(errs, want) {
			t.Errorf("%s tt=1: exit %d, %q", flag, code, errs)
		}
	}
}

// TestBadRowCountedAlike: a bad value is reported at the same data row, with the same message,
// on every engine.
func TestBadRowCountedAlike(t *testing.T) {
	dir := writeFiles(t, map[string]string{"a.feat": "source t { a: int64, b: float64 }\nframe f = t.select(a, b)\n", "t.csv": "a,b\n1,1.5\n2,\n3,lots\n"})
	var first string
	for _, e := range []string{"eval", "duckdb", "postgres"} {
		args := []string{"run", dir, "--input", "t=" + dir + "/t.csv", "--engine", e}
		if e == "postgres" {
			args = append(args, "--target", postgresDSN(t))
		}
		code, _, errs := runFeatc(args...)
		if code != exitFail || !strings.Contains(errs, "input t: "+dir+"/t.csv, column b: row 3: ") {
			t.Errorf("%s: exit %d, %q", e, code, errs)
		}
		if first == "" {
			first = errs
		} else if errs != first {
			t.Errorf("%s says %q, eval %q", e, errs, first)
		}
	}
}

// TestInputsNeverDropUserTables runs featc against a database holding a permanent table of the
// name featc gives its temporary input tables (featc_input_SOURCE): loading the input must
// neither drop nor change it, on every engine this machine runs. (An unqualified DROP TABLE
// IF EXISTS before creating the temporary table dropped it on Postgres.)
func TestInputsNeverDropUserTables(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a.feat": "source t { k: int64, x: float64 }\nframe totals = t.group_by(k).agg(total = x.sum())\n",
		"t.csv":  "k,x\n1,1.5\n1,2\n2,4\n",
	})
	for _, e := range backends.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			var target string
			switch {
			case e.Embedded:
				target = filepath.Join(t.TempDir(), "db.duckdb")
			case e.Recognizes("postgres://x"):
				target = withDatabase(t, "user_tables")
			default:
				t.Skipf("%s: no test server here", e.Name)
			}
			db, err := e.Open(target)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.Exec("CREATE TABLE featc_input_t (mine TEXT)"); err != nil {
				t.Fatal(err)
			}
			if _, err := db.Exec("INSERT INTO featc_input_t VALUES ('keep me')"); err != nil {
				t.Fatal(err)
			}
			db.Close()
			code, out, errs := runFeatc("run", dir, "--engine", e.Name, "--target", target, "--input", "t="+filepath.Join(dir, "t.csv"), "--format", "csv")
			if code != 0 || !strings.Contains(out, "3.5") {
				t.Fatalf("exit %d\n%s\n%s", code, out, errs)
			}
			db, err = e.Open(target)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			var mine string
			if err := db.QueryRow("SELECT mine FROM featc_input_t").Scan(&mine); err != nil || mine != "keep me" {
				t.Fatalf("the user's table featc_input_t: %q, %v", mine, err)
			}
		})
	}
}
