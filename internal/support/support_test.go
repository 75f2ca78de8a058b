package support

import (
	"strings"
	"testing"

	"github.com/featc/featc/backends/snowflake"
	"github.com/featc/featc/backends/sqlgen"
	"github.com/featc/featc/internal/gen"
	"github.com/featc/featc/stdlib"
)

// TestOverloadSupport checks the support table against what is known of the engines
// independently of it: integer addition is computed everywhere; a median is computed in groups
// and over a window on every engine (Snowflake by its MEDIAN window function, DuckDB and
// Postgres by a subquery per partition); and an engine with neither form (Snowflake's
// dialect without its window forms of aggregates) is marked as refusing the window form only,
// with featc's reason.
func TestOverloadSupport(t *testing.T) {
	lib := stdlib.Standard()
	find := func(fn, id string) (*stdlib.Func, *stdlib.Overload) {
		f := lib.Lookup(fn)
		for _, o := range f.Overloads {
			if o.ID == id {
				return f, o
			}
		}
		t.Fatalf("no overload %s", id)
		return nil, nil
	}
	for _, e := range Engines() {
		if st := Overload(find("add", "add_int64"))[e.Name]; !st.OK() {
			t.Errorf("add_int64 on %s: %+v", e.Name, st.Refused)
		}
	}
	f, o := find("median", "median_float64")
	med := Overload(f, o)
	for _, e := range Engines() {
		if !med[e.Name].OK() {
			t.Errorf("median on %s: %+v", e.Name, med[e.Name].Refused)
		}
	}
	bare := *snowflake.Dialect
	bare.Name, bare.Funcs = "snowflake_without_window_aggregates", map[string]sqlgen.Template{}
	for k, t := range snowflake.Dialect.Funcs {
		t.Windowed = t.Windowed && k != "median"
		bare.Funcs[k] = t
	}
	engine := Engine{Name: bare.Name, Title: bare.Name, dialect: &bare}
	var plain, over []string
	for _, p := range gen.OverloadProbes(f, o) {
		plain, over = append(plain, p.Program(f, false)), append(over, p.Program(f, true))
	}
	if r, refused := probe(engine, plain); refused {
		t.Errorf("median in groups refused: %+v", r)
	}
	if r, refused := probe(engine, over); !refused || !strings.Contains(r.Reason, "compute it in a group_by") {
		t.Errorf("median over a window without a window form: refused %v, %+v", refused, r)
	}
}
