package engine

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/featc/featc/backends/sqlgen"
)

// Queryer is what a Check reads the new rows through: a connection or a transaction.
type Queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// A Check inspects the new rows of a table being replaced, in the staging table named
// (unquoted, schema.table); an error leaves the old table as it was.
type Check func(q Queryer, table string) error

// A Replacer writes a query's rows into the table into (unquoted, schema.table allowed) of
// dialect d atomically, after check accepts them, and returns the number of rows written. The
// rows go to a staging table first, created with a plain CREATE TABLE under a random name
// (StagingName), never dropped or replaced first: were a table of that name there (a user's),
// creating it fails and nothing of theirs is touched.
type Replacer func(ctx context.Context, conn *sql.Conn, d *sqlgen.Dialect, into, query string, check Check) (int64, error)

// ReplaceInTransaction replaces the table in one transaction, where DDL is transactional
// (DuckDB, PostgreSQL): the staging table is created, checked, and renamed over the old one,
// so that readers see the old rows or the new ones, and a failure rolls everything back.
func ReplaceInTransaction(ctx context.Context, conn *sql.Conn, d *sqlgen.Dialect, into, query string, check Check) (int64, error) {
	tmpName, last := staging(d, into)
	tmp := d.TableName(tmpName)
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "CREATE TABLE "+tmp+" AS\n"+query); err != nil {
		return 0, stagingErr(tmpName, err)
	}
	if err := check(tx, tmpName); err != nil {
		return 0, err
	}
	for _, s := range []string{"DROP TABLE IF EXISTS " + d.TableName(into), "ALTER TABLE " + tmp + " RENAME TO " + d.Ident(last)} {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return 0, err
		}
	}
	var n int64
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+d.TableName(into)).Scan(&n); err != nil {
		return 0, err
	}
	return n, tx.Commit()
}

// ReplaceByClone replaces the table where DDL commits at once (Snowflake): the new rows go to
// a staging table of their own, are checked, and replace the old ones with CREATE OR REPLACE
// … CLONE, atomic and without a copy (https://docs.snowflake.com/en/sql-reference/sql/create-clone).
// The staging table is dropped in every case.
func ReplaceByClone(ctx context.Context, conn *sql.Conn, d *sqlgen.Dialect, into, query string, check Check) (int64, error) {
	tmpName, _ := staging(d, into)
	tmp := d.TableName(tmpName)
	if _, err := conn.ExecContext(ctx, "CREATE TABLE "+tmp+" AS\n"+query); err != nil {
		return 0, stagingErr(tmpName, err)
	}
	defer conn.ExecContext(ctx, "DROP TABLE IF EXISTS "+tmp)
	if err := check(conn, tmpName); err != nil {
		return 0, err
	}
	if _, err := conn.ExecContext(ctx, "CREATE OR REPLACE TABLE "+d.TableName(into)+" CLONE "+tmp); err != nil {
		return 0, err
	}
	var n int64
	err := conn.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+d.TableName(into)).Scan(&n)
	return n, err
}

// staging returns the unquoted name of the staging table of into, in into's schema, and into's
// last part (the table's own name).
func staging(d *sqlgen.Dialect, into string) (tmpName, last string) {
	parts := strings.Split(into, ".")
	last = parts[len(parts)-1]
	tmpParts := append(append([]string{}, parts[:len(parts)-1]...), StagingName(d, last))
	return strings.Join(tmpParts, "."), last
}

func stagingErr(name string, err error) error {
	return fmt.Errorf("creating the staging table %s: %w", name, err)
}

// StagingName is the name of the table a replacement of table writes first: the table's name
// (cut to leave room within the dialect's identifier limit) and a random suffix, a name no one
// owns (a fixed suffix once dropped a user's table named like it).
func StagingName(d *sqlgen.Dialect, table string) string {
	var b [4]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	suffix := "__featc_new_" + hex.EncodeToString(b[:])
	if max := d.MaxIdentBytes; max > 0 && len(table)+len(suffix) > max {
		cut := max - len(suffix)
		for cut > 0 && !utf8.RuneStart(table[cut]) {
			cut--
		}
		table = table[:cut]
	}
	return table + suffix
}
