package snowflake

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"jane:s3cret@acme-xy12/db/public?warehouse=wh":  "jane:xxxxx@acme-xy12/db/public?warehouse=wh",
		"acme-xy12/db?user=jane&password=s3cret&role=r": "acme-xy12/db?user=jane&password=xxxxx&role=r",
		"no secret here": "no secret here",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestLoginBound: a DSN without loginTimeout gets DefaultLoginTimeout (gosnowflake's own is
// 300 s of retries, each request up to 900 s more); the DSN's own wins; browser logins get the
// browser's time on top.
func TestLoginBound(t *testing.T) {
	for dsn, want := range map[string]time.Duration{
		"jane:pw@acme/db":                              DefaultLoginTimeout,
		"jane:pw@acme/db?loginTimeout=7":               7 * time.Second,
		"jane:pw@acme/db?warehouse=w&loginTimeout=9":   9 * time.Second,
		"jane@acme/db?authenticator=externalbrowser":   DefaultLoginTimeout + 120*time.Second,
		"jane:pw@acme/db?warehouse=w&application=feat": DefaultLoginTimeout,
	} {
		c, err := newConnector(dsn)
		if err != nil {
			t.Fatalf("%s: %v", dsn, err)
		}
		if c.login != want {
			t.Errorf("%s: login bound %s, want %s", dsn, c.login, want)
		}
	}
}

// TestRedactDSN: no secret of a malformed DSN survives in a message quoting its pieces.
func TestRedactDSN(t *testing.T) {
	for dsn, raw := range map[string]string{"jane:Sx9@acme": "Sx9", "jane:Sx9": "Sx9", "jane:a@Sx9@acme": "Sx9", "acme/db?password=Sx9": "Sx9",
		"acme/db?token=Sx9&x=1": "Sx9", "jane:Sx9%21@acme": "Sx9%21", "jane:Sx9!@acme": "Sx9!"} {
		_, err := newConnector(dsn + "?loginTimeout=bad")
		msg := dsn + " port: " + raw + " " + fmt.Sprint(err)
		if got := RedactDSN(msg, dsn); strings.Contains(got, "Sx9") {
			t.Errorf("%s: %s", dsn, got)
		}
	}
}

// TestSnowflakeQuirksCited: Snowflake cannot be run here, so every SQL of its own that featc
// writes for it says why and cites the documentation page the reason comes from.
func TestSnowflakeQuirksCited(t *testing.T) {
	for key, tpl := range Dialect.Funcs {
		if tpl.Note == "" || !strings.HasPrefix(tpl.Doc, "https://docs.snowflake.com/") {
			t.Errorf("Snowflake's %s: note %q, doc %q: say why and cite docs.snowflake.com", key, tpl.Note, tpl.Doc)
		}
	}
}
