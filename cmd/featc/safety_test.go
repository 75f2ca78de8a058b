package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

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
