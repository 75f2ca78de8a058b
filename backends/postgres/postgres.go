// Package postgres runs featc's SQL on PostgreSQL through pgx.
package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/big"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
	"github.com/jackc/pgx/v5/pgtype"
	// The pgx driver for database/sql, registered as "pgx".
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/featc/featc/backends/engine"
	"github.com/featc/featc/internal/secret"
	"github.com/featc/featc/ir"
	"github.com/featc/featc/types"
)

// dsnForm is the URL form of a DSN (pgx also takes the key=value form).
const dsnForm = "postgres://user@host:port/db"

// Engine is a PostgreSQL server, named by a DSN: a postgres:// or postgresql:// URL, or the
// key=value form (host=… dbname=…).
var Engine = &engine.Engine{
	Name:       "postgres",
	Title:      "Postgres",
	Noun:       "a PostgreSQL server",
	Dialect:    Dialect,
	TargetHelp: "a PostgreSQL DSN (" + dsnForm + ")",
	DSNForm:    dsnForm,
	Open: func(target string) (*sql.DB, error) {
		if target == "" {
			// pgx would read "" as the defaults and connect to a server on localhost.
			return nil, errors.New("postgres needs a DSN (" + dsnForm + ")")
		}
		return Open(target)
	},
	Append:  Load,
	Replace: engine.ReplaceInTransaction,
	Redact:  RedactDSN,
	Recognizes: func(dsn string) bool {
		t := strings.ToLower(dsn)
		return strings.HasPrefix(t, "postgres://") || strings.HasPrefix(t, "postgresql://") || strings.Contains(t, "host=") || strings.Contains(t, "dbname=")
	},
	SampleDSNs: []string{"postgres://featc:Sx9Secret@db.internal:5432/features", "host=db.internal dbname=features password=Sx9Secret"},
}

// Open opens a connection pool to a PostgreSQL server. Errors never repeat the DSN's password.
//
// Every connection is set up so that featc's statements mean what featc wrote and end with
// featc:
//   - standard_conforming_strings is on, whatever the server's default: with it off, a
//     backslash in '…' escapes the next character (featc's literals are written to be safe
//     either way, see sqlgen.Dialect.EscapeStringPrefix; this covers the project's own
//     queries given with --table);
//   - a canceled context (SIGTERM, Ctrl-C) sends the server a cancel request and waits for
//     the statement to stop, rather than only closing featc's end of the socket, which leaves
//     the statement running on the server;
//   - the server checks during long statements that featc is still connected
//     (client_connection_check_interval, PostgreSQL 14+), so that a featc killed with
//     SIGKILL does not leave its statement running, and probes an idle connection with TCP
//     keepalives (tcp_keepalives_*), so that a vanished client host is noticed within about
//     a minute (https://www.postgresql.org/docs/current/runtime-config-connection.html).
//
// Settings given in the DSN win over these defaults, except standard_conforming_strings.
func Open(dsn string) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres %s: %s", RedactDSN(dsn, dsn), RedactDSN(err.Error(), dsn))
	}
	cfg.RuntimeParams["standard_conforming_strings"] = "on"
	// Probe an idle connection after 30 s, every 10 s, and give up after 3 failures.
	for _, kv := range [][2]string{{"tcp_keepalives_idle", "30"}, {"tcp_keepalives_interval", "10"}, {"tcp_keepalives_count", "3"}} {
		if _, set := cfg.RuntimeParams[kv[0]]; !set {
			cfg.RuntimeParams[kv[0]] = kv[1]
		}
	}
	_, checkSet := cfg.RuntimeParams["client_connection_check_interval"]
	cfg.BuildContextWatcherHandler = func(c *pgconn.PgConn) ctxwatch.Handler {
		// The deadline is the fallback when the server does not answer the cancel request.
		return &pgconn.CancelRequestContextWatcherHandler{Conn: c, DeadlineDelay: cancelGrace}
	}
	after := stdlib.OptionAfterConnect(func(ctx context.Context, c *pgx.Conn) error {
		// An unknown parameter in the startup packet is a fatal error before PostgreSQL 14,
		// so this one is set after connecting, where the server has it.
		if checkSet || serverMajor(c.PgConn().ParameterStatus("server_version")) < 14 {
			return nil
		}
		_, err := c.Exec(ctx, "SET client_connection_check_interval = "+ClientCheckInterval)
		return err
	})
	return stdlib.OpenDB(*cfg, after), nil
}

// ClientCheckInterval is how often the server checks, during a statement, that featc is still
// connected.
const ClientCheckInterval = "'2s'"

// cancelGrace is how long a canceled statement may take to stop before featc closes the
// connection.
const cancelGrace = 5 * time.Second

// serverMajor reads the major version of a server_version such as "15.18 (Debian …)".
func serverMajor(v string) int {
	n := 0
	for _, r := range v {
		if r < '0' || r > '9' {
			break
		}
		n = n*10 + int(r-'0')
	}
	return n
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

// RedactDSN removes from a message every secret of the DSN it is about, wherever the message
// quotes it (also pieces of a malformed DSN), then the forms Redact knows.
func RedactDSN(msg, dsn string) string {
	return Redact(secret.Scrub(msg, dsn))
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
