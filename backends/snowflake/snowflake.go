// Package snowflake runs featc's SQL on Snowflake through gosnowflake. Snowflake cannot be
// reached from featc's test machines: its SQL is checked by golden files, and the conformance
// tests run on it only when FEATC_SNOWFLAKE_DSN names an account.
package snowflake

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/snowflakedb/gosnowflake"

	"github.com/featc/featc/backends/engine"
	"github.com/featc/featc/internal/secret"
)

// dsnForm is the form of a DSN gosnowflake takes.
const dsnForm = "user:password@account/database/schema?warehouse=…"

// Engine is a Snowflake account, named by a DSN: snowflake://user:password@account/… as a
// --target (the scheme names the engine), or without the scheme for --engine snowflake.
// Tables are replaced by cloning, DDL committing at once
// (https://docs.snowflake.com/en/sql-reference/sql/create-table).
var Engine = &engine.Engine{
	Name:       "snowflake",
	Title:      "Snowflake",
	Noun:       "a Snowflake account",
	Dialect:    Dialect,
	TargetHelp: "a Snowflake DSN (snowflake://" + dsnForm + ")",
	DSNForm:    dsnForm,
	Open: func(target string) (*sql.DB, error) {
		if target == "" {
			return nil, errors.New("snowflake needs a DSN (" + dsnForm + ")")
		}
		return Open(strings.TrimPrefix(target, "snowflake://"))
	},
	Replace:    engine.ReplaceByClone,
	Redact:     RedactDSN,
	Recognizes: func(dsn string) bool { return strings.HasPrefix(strings.ToLower(dsn), "snowflake://") },
	SampleDSNs: []string{"snowflake://featc:Sx9Secret@acme-xy12/features/public?warehouse=wh", "snowflake://acme-xy12/features?user=featc&password=Sx9Secret"},
}

// DefaultLoginTimeout bounds logging in when the DSN does not (loginTimeout=SECONDS).
// gosnowflake's own login timeout (300 s) bounds its retries only, not each request, which
// may wait 900 s for an answer: an account that accepts connections and never answers hung
// featc for a quarter of an hour. Here the whole login, requests included, ends by the bound.
const DefaultLoginTimeout = 60 * time.Second

// Open opens a Snowflake connection pool (DSN: user:password@account/database/schema?warehouse=…)
// whose logins end within the DSN's loginTimeout, DefaultLoginTimeout when it gives none (plus
// the browser's timeout for authenticator=externalbrowser). Errors never repeat a secret of
// the DSN, however malformed it is.
func Open(dsn string) (*sql.DB, error) {
	c, err := newConnector(dsn)
	if err != nil {
		return nil, err
	}
	return sql.OpenDB(c), nil
}

// newConnector parses a DSN into a connector whose logins are bounded.
func newConnector(dsn string) (boundedConnector, error) {
	cfg, err := gosnowflake.ParseDSN(dsn)
	if err != nil {
		return boundedConnector{}, fmt.Errorf("snowflake %s: %s (the form is user:password@account/database/schema?warehouse=…)", RedactDSN(dsn, dsn), RedactDSN(err.Error(), dsn))
	}
	if !hasParam(dsn, "loginTimeout") {
		cfg.LoginTimeout = DefaultLoginTimeout
	}
	bound := cfg.LoginTimeout
	if cfg.Authenticator == gosnowflake.AuthTypeExternalBrowser {
		bound += cfg.ExternalBrowserTimeout
	}
	return boundedConnector{Connector: gosnowflake.NewConnector(gosnowflake.SnowflakeDriver{}, *cfg), login: bound}, nil
}

// boundedConnector ends a connection attempt (the login) after a fixed time.
type boundedConnector struct {
	driver.Connector
	login time.Duration
}

func (c boundedConnector) Connect(ctx context.Context) (driver.Conn, error) {
	ctx, cancel := context.WithTimeoutCause(ctx, c.login, fmt.Errorf("no answer from Snowflake within the login timeout (%s; set loginTimeout=SECONDS in the DSN)", c.login))
	defer cancel()
	conn, err := c.Connector.Connect(ctx)
	if err != nil && context.Cause(ctx) != nil && ctx.Err() == context.DeadlineExceeded {
		return nil, context.Cause(ctx)
	}
	return conn, err
}

// hasParam reports whether a DSN's query string sets a parameter (by its exact name, as
// gosnowflake reads them).
func hasParam(dsn, name string) bool {
	_, query, ok := strings.Cut(dsn, "?")
	if !ok {
		return false
	}
	for _, kv := range strings.Split(query, "&") {
		k, _, _ := strings.Cut(kv, "=")
		if k == name {
			return true
		}
	}
	return false
}

var userPassword = regexp.MustCompile(`^([^:@/]+):[^@]*@`)
var passwordParam = regexp.MustCompile(`(?i)((?:password|passcode|token|privateKey|oauthClientSecret|proxyPassword)=)[^&\s]*`)

// Redact removes the password from a Snowflake DSN (user:password@account/…) or a message
// quoting one.
func Redact(s string) string {
	s = userPassword.ReplaceAllString(s, "$1:xxxxx@")
	return passwordParam.ReplaceAllString(s, "${1}xxxxx")
}

// RedactDSN removes from a message every secret of the DSN it is about, wherever the message
// quotes it (a driver's parse error quotes pieces of a malformed DSN: "port: Secret" for
// user:Secret), then the forms Redact knows.
func RedactDSN(msg, dsn string) string {
	return Redact(secret.Scrub(msg, dsn))
}
