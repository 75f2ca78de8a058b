// Package postgres runs featc's SQL on PostgreSQL through pgx.
package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"math/big"
	"net/url"
	"regexp"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	// The pgx driver for database/sql, registered as "pgx".
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/featc/featc/ir"
	"github.com/featc/featc/ir/types"
)

// Open opens a connection pool to a PostgreSQL server. Errors never repeat the DSN's password.
func Open(dsn string) (*sql.DB, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres %s: %s", Redact(dsn), Redact(err.Error()))
	}
	return db, nil
}

var passwordKV = regexp.MustCompile(`(?i)(password\s*=\s*)('[^']*'|\S+)`)
var userinfo = regexp.MustCompile(`(?i)(postgres(?:ql)?://[^:/@\s]*):[^@\s]*@`)

// Redact removes passwords from a DSN or from a message that may quote one: the URL form
// (postgres://user:secret@host) and the key-value form (password=secret).
func Redact(s string) string {
	if u, err := url.Parse(s); err == nil && u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
			return u.String()
		}
	}
	s = userinfo.ReplaceAllString(s, "$1:xxxxx@")
	return passwordKV.ReplaceAllString(s, "${1}xxxxx")
}

// Load copies rows of featc values into a table of the connection (created beforehand with the
// schema's types) with COPY, then analyzes it: a freshly loaded table has no statistics until
// autovacuum comes round, and without them the planner can choose nested loops that take
// orders of magnitude longer (TPC-H q21 at scale 0.01: 18 s before, milliseconds after).
func Load(ctx context.Context, conn *sql.Conn, table string, s ir.Schema, rows [][]types.Value) error {
	cols := make([]string, len(s))
	for i, f := range s {
		cols[i] = f.Name
	}
	src := make([][]any, len(rows))
	for r, row := range rows {
		vals := make([]any, len(row))
		for i, v := range row {
			vals[i] = pgValue(v, s[i].Type)
		}
		src[r] = vals
	}
	return conn.Raw(func(dc any) error {
		c := dc.(*stdlib.Conn).Conn()
		if _, err := c.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(src)); err != nil {
			return err
		}
		_, err := c.Exec(ctx, "ANALYZE "+pgx.Identifier{table}.Sanitize())
		return err
	})
}

func pgValue(v types.Value, t types.Type) any {
	if x, ok := types.GoValue(v, t); ok {
		return x
	}
	if t.Kind == types.Decimal {
		return pgtype.Numeric{Int: new(big.Int).Set(v.Dec), Exp: -int32(t.Scale), Valid: true}
	}
	return nil
}
