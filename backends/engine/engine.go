// Package engine describes a SQL engine featc runs on as one value: its names, its SQL dialect,
// how it opens a database, loads rows, writes a table atomically, redacts its DSN and recognises
// one. Each engine's package (backends/duckdb, backends/postgres, backends/snowflake) exports
// its Engine, and package backends lists them; the CLI, the docs, the support table and the
// tests iterate that list, so that no other code names an engine or switches on one.
//
// It imports no database driver: the drivers live in the engines' packages.
package engine

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/featc/featc/backends/sqlgen"
	"github.com/featc/featc/ir"
	"github.com/featc/featc/types"
)

// An Engine is one SQL engine. Every field is set (Append may be nil); the registry's tests
// check it.
type Engine struct {
	// Name names the engine on the command line (--engine, --target of compile), in messages
	// and in the golden files' sections (out/sql/NAME). It is the dialect's name.
	Name string
	// Title is the name as prose and the docs' column headers write it ("DuckDB").
	Title string
	// Noun names a database of the engine in help texts, with its article where it takes one:
	// "embedded DuckDB", "a PostgreSQL server".
	Noun string
	// Dialect is the SQL featc writes for the engine.
	Dialect *sqlgen.Dialect
	// Embedded says that the engine runs inside featc's process: it needs no target (its
	// target is a database file, and "" a fresh database in memory, see InMemory), and verify
	// checks it unless told not to. An engine that is not embedded is a server named by a DSN.
	Embedded bool
	// TargetHelp says what a target of the engine is, for help texts: "a PostgreSQL DSN
	// (postgres://user@host:port/db)".
	TargetHelp string
	// DSNForm is the form of a DSN as Open takes it, which a message asking for a missing
	// one shows.
	DSNForm string
	// Open opens the database a target names (a file or a DSN, as --target gives it: with
	// the engine's prefix, such as duckdb: or snowflake://, if it has one). An engine that is
	// not embedded refuses "", naming DSNForm. Its errors never repeat a secret of the DSN.
	Open func(target string) (*sql.DB, error)
	// Append adds rows to a temporary table of the connection, created by LoadTemp, by the
	// engine's bulk path (DuckDB's appender, Postgres's COPY); nil when the engine has none,
	// and the dialect's INSERT statements are used.
	Append func(ctx context.Context, conn *sql.Conn, table string, schema ir.Schema, rows [][]types.Value) error
	// Replace writes a query's rows into a table atomically: ReplaceInTransaction where DDL
	// is transactional, ReplaceByClone where it commits at once. ReplaceTable calls it.
	Replace Replacer
	// Redact removes from a message every secret (password, token) of the DSN it is about,
	// wherever the message quotes it, also pieces of a DSN too malformed to parse.
	Redact func(msg, dsn string) string
	// Recognizes reports whether a --target is of this engine by its form: a URL scheme, the
	// key=value form, a database file's extension. What no engine recognizes and is not a URL
	// goes to the default engine (backends.ForTarget), so an embedded engine need not
	// recognize every file name.
	Recognizes func(dsn string) bool
	// SampleDSNs are targets of each form the engine takes, each holding the password
	// Sx9Secret where its form has one: the registry's tests check that ForTarget names the
	// engine for each and that Redact removes the secret.
	SampleDSNs []string
}

func (e *Engine) String() string { return e.Name }

// InMemory reports whether a target opens a fresh, empty database in memory: an embedded
// engine's "" target. Every source then needs its data given.
func (e *Engine) InMemory(target string) bool { return e.Embedded && target == "" }

// Err wraps an error of the engine reached by target with the engine's name, without any
// secret of the target's DSN.
func (e *Engine) Err(target string, err error) error {
	return fmt.Errorf("%s: %s", e.Name, e.Redact(err.Error(), target))
}

// LoadTemp writes rows into a temporary table of the connection, replacing one of that name:
// the engine's DDL creates it with the schema's types, and Append (or the dialect's INSERT
// statements, 1,000 rows each) fills it.
func (e *Engine) LoadTemp(ctx context.Context, conn *sql.Conn, table string, schema ir.Schema, rows [][]types.Value) error {
	d := e.Dialect
	// A temporary table left by an earlier load on this connection is dropped, through the
	// schema of temporary tables only: an unqualified DROP would reach a permanent table of
	// the same name when there is no temporary one.
	if d.TempSchema != "" {
		if _, err := conn.ExecContext(ctx, "DROP TABLE IF EXISTS "+d.Ident(d.TempSchema)+"."+d.Ident(table)); err != nil {
			return err
		}
	}
	if _, err := conn.ExecContext(ctx, d.CreateTable(table, schema, true)); err != nil {
		return err
	}
	if e.Append != nil {
		return e.Append(ctx, conn, table, schema, rows)
	}
	stmts, err := d.InsertRows(table, schema, rows, 1000)
	for _, s := range stmts {
		if err == nil {
			_, err = conn.ExecContext(ctx, s)
		}
	}
	return err
}

// ReplaceTable writes a query's rows into a table (into, unquoted: schema.table allowed) by
// the engine's Replace: so that readers see the old rows or the new ones, and a failure of the
// query or of check changes nothing. check inspects the new rows, in a table of their own
// (named unquoted), before they take the old ones' place. It returns the number of rows
// written.
func (e *Engine) ReplaceTable(ctx context.Context, conn *sql.Conn, into, query string, check Check) (int64, error) {
	return e.Replace(ctx, conn, e.Dialect, into, query, check)
}
