package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/featc/featc/backends/duckdb"
	"github.com/featc/featc/backends/postgres"
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

var _ = csv.NewReader
var _ = regexp.MustCompile

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
