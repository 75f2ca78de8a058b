// Package snowflake runs featc's SQL on Snowflake through gosnowflake. Snowflake cannot be
// reached from featc's test machines: its SQL is checked by golden files, and the conformance
// tests run on it only when FEATC_SNOWFLAKE_DSN names an account.
package snowflake

import (
	"database/sql"
	"fmt"
	"regexp"

	// The Snowflake driver, registered as "snowflake".
	_ "github.com/snowflakedb/gosnowflake"
)

// Open opens a Snowflake connection pool (DSN: user:password@account/database/schema?warehouse=…).
// Errors never repeat the password.
func Open(dsn string) (*sql.DB, error) {
	db, err := sql.Open("snowflake", dsn)
	if err != nil {
		return nil, fmt.Errorf("snowflake %s: %s", Redact(dsn), Redact(err.Error()))
	}
	return db, nil
}

var userPassword = regexp.MustCompile(`^([^:@/]+):[^@]*@`)
var passwordParam = regexp.MustCompile(`(?i)(password=)[^&\s]*`)

// Redact removes the password from a Snowflake DSN (user:password@account/…) or a message
// quoting one.
func Redact(s string) string {
	s = userPassword.ReplaceAllString(s, "$1:xxxxx@")
	return passwordParam.ReplaceAllString(s, "${1}xxxxx")
}
