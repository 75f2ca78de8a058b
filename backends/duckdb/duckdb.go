// Package duckdb runs featc's SQL on embedded DuckDB, the CLI's default engine: in-process,
// nothing to install or start. It is the only package that links DuckDB (through cgo).
package duckdb

import (
	"database/sql"
	"fmt"

	// The DuckDB driver, registered as "duckdb".
	_ "github.com/duckdb/duckdb-go/v2"
)

// Open opens a DuckDB database: a file, or in memory for "".
func Open(path string) (*sql.DB, error) {
	db, err := sql.Open("duckdb", path)
	if err != nil {
		return nil, fmt.Errorf("duckdb: %w", err)
	}
	return db, nil
}
