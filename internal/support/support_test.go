package support

import (
	"strings"
	"testing"

	"github.com/featc/featc/stdlib"
)

// TestOverloadSupport checks the support table against what is known of the engines
// independently of it: integer addition is computed everywhere; Snowflake computes a median
// in groups but featc refuses it over a window there (no correlated form, docs/functions.md),
// while DuckDB and Postgres compute both.
func TestOverloadSupport(t *testing.T) {
	lib := stdlib.Standard()
	find := func(fn, id string) map[string]Status {
		f := lib.Lookup(fn)
		for _, o := range f.Overloads {
			if o.ID == id {
				return Overload(f, o)
			}
		}
		t.Fatalf("no overload %s", id)
		return nil
	}
	for _, e := range Engines {
		if st := find("add", "add_int64")[e]; !st.OK() {
			t.Errorf("add_int64 on %s: %+v", e, st.Refused)
		}
	}
	med := find("median", "median_float64")
	for _, e := range []string{"eval", "duckdb", "postgres"} {
		if !med[e].OK() {
			t.Errorf("median on %s: %+v", e, med[e].Refused)
		}
	}
	sf := med["snowflake"]
	if !sf.Partial || len(sf.Refused) != 1 || sf.Refused[0].Form != "over a window" || !strings.Contains(sf.Refused[0].Reason, "compute it in a group_by") {
		t.Errorf("median on snowflake: %+v", sf)
	}
}
