// Package postgres runs featc's SQL on PostgreSQL through pgx.
package postgres

import (
	"database/sql"
	"fmt"
	"net/url"
	"regexp"

	// The pgx driver for database/sql, registered as "pgx".
	_ "github.com/jackc/pgx/v5/stdlib"
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
