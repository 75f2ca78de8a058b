// Package duckdb runs featc's SQL on embedded DuckDB, the CLI's default engine: in-process,
// nothing to install or start. It is the only package that links DuckDB (through cgo).
package duckdb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strings"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/featc/featc/backends/engine"
	"github.com/featc/featc/internal/secret"
	"github.com/featc/featc/ir"
	"github.com/featc/featc/types"
)

// Engine is embedded DuckDB: a target is a database file (duckdb:PATH or PATH), "" a fresh
// database in memory.
var Engine = &engine.Engine{
	Name:       "duckdb",
	Title:      "DuckDB",
	Noun:       "embedded DuckDB",
	Dialect:    Dialect,
	Embedded:   true,
	TargetHelp: "a DuckDB database file (default: in memory)",
	DSNForm:    "duckdb:PATH",
	Open:       func(target string) (*sql.DB, error) { return Open(strings.TrimPrefix(target, "duckdb:")) },
	Append: func(ctx context.Context, conn *sql.Conn, table string, s ir.Schema, rows [][]types.Value) error {
		return Load(ctx, conn, "temp", "main", table, s, rows) // temporary tables live in temp.main
	},
	Replace: engine.ReplaceInTransaction,
	// A database file's name holds no password; a secret the target may still carry is
	// scrubbed all the same.
	Redact: secret.Scrub,
	// A database file's name (DuckDB creates it), with the duckdb: prefix or a DuckDB
	// extension; as the default engine, DuckDB also gets any other target that is not a URL,
	// and "" (a database in memory).
	Recognizes: func(dsn string) bool {
		t := strings.ToLower(dsn)
		return strings.HasPrefix(t, "duckdb:") || strings.HasSuffix(t, ".duckdb") || strings.HasSuffix(t, ".ddb")
	},
	SampleDSNs: []string{"duckdb:/data/features.duckdb?password=Sx9Secret", "features.duckdb"},
}

// Open opens a DuckDB database: a file, or in memory for "".
func Open(path string) (*sql.DB, error) {
	db, err := sql.Open("duckdb", path)
	if err != nil {
		return nil, fmt.Errorf("duckdb: %w", err)
	}
	return db, nil
}

// Load appends rows of featc values to a table of the connection (created beforehand with the
// schema's types), through DuckDB's appender: fast, and with no SQL text to parse.
func Load(ctx context.Context, conn *sql.Conn, catalog, schema, table string, s ir.Schema, rows [][]types.Value) error {
	return conn.Raw(func(dc any) error {
		a, err := duckdb.NewAppender(dc.(driver.Conn), catalog, schema, table)
		if err != nil {
			return err
		}
		vals := make([]driver.Value, len(s))
		for _, row := range rows {
			for i, v := range row {
				vals[i] = driverValue(v, s[i].Type)
			}
			if err := a.AppendRow(vals...); err != nil {
				a.Close()
				return err
			}
		}
		return a.Close()
	})
}

func driverValue(v types.Value, t types.Type) driver.Value {
	if x, ok := types.GoValue(v, t); ok {
		return x
	}
	if t.Kind == types.Decimal {
		return duckdb.Decimal{Width: uint8(t.Precision), Scale: uint8(t.Scale), Value: v.Dec}
	}
	return nil
}
