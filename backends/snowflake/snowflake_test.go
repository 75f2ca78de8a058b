package snowflake

import "testing"

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
