package sqlgen_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/featc/featc"
	"github.com/featc/featc/backends"
	"github.com/featc/featc/backends/duckdb"
	. "github.com/featc/featc/backends/sqlgen"
	"github.com/featc/featc/stdlib"
	"github.com/featc/featc/types"
)

// TestEveryOverloadHasSQL walks the standard library × every dialect: each overload has a
// template there or a declared refusal (Unsupported, whose reason is the refusal's), a window
// function has a Window form, and an aggregate can be computed over a window partition
// (Windowed, or by the correlated subquery of engines with LATERAL). The evaluator's side is
// eval's TestEveryOverloadHasAKernel.
func TestEveryOverloadHasSQL(t *testing.T) {
	for _, d := range dialects() {
		for _, f := range stdlib.Standard().Funcs() {
			if f.Special {
				continue // when/then and cast: the checker's own syntax (casts below)
			}
			for _, o := range f.Overloads {
				tpl, err := LookupTemplate(d, f.Name, o.ID)
				if err != nil {
					var e *Error
					if r := Refusal(d, o.ID); r == nil || !errors.As(err, &e) || e.Reason != r.Reason {
						t.Errorf("%s: %s (%s) has no SQL and no declared refusal: %v", d.Name, f.Name, o.ID, err)
					} else if r.Reason == "" {
						t.Errorf("%s: %s (%s) is refused without a reason", d.Name, f.Name, o.ID)
					}
					continue
				}
				if tpl.SQL == "" && tpl.Fn == nil && tpl.Window == nil {
					t.Errorf("%s: %s (%s): an empty template", d.Name, f.Name, o.ID)
				}
				switch f.Kind {
				case stdlib.Window:
					if tpl.Window == nil {
						t.Errorf("%s: window function %s (%s) has no Window form", d.Name, f.Name, o.ID)
					}
				case stdlib.Aggregate:
					if !tpl.Windowed && !d.Caps.Lateral {
						t.Errorf("%s: %s (%s) has no form over a window partition (not Windowed, and no LATERAL)", d.Name, f.Name, o.ID)
					}
					if tpl.Windowed && tpl.Fn == nil && !strings.Contains(tpl.SQL, "{over}") {
						t.Errorf("%s: %s (%s) is Windowed but its SQL has no {over}", d.Name, f.Name, o.ID)
					}
				default:
					if tpl.SQL == "" && tpl.Fn == nil {
						t.Errorf("%s: %s (%s) has only a window form", d.Name, f.Name, o.ID)
					}
				}
			}
		}
		for _, c := range stdlib.Casts() {
			if !hasCast(d, types.Type{Kind: c.From}, types.Type{Kind: c.To}) {
				t.Errorf("%s: no SQL for the cast %s → %s", d.Name, c.From, c.To)
			}
		}
		for key, h := range HelperTemplates(d.Helpers) {
			if h.SQL == "" && h.Fn == nil {
				t.Errorf("%s: helper %s is empty", d.Name, key)
			}
		}
	}
}

// hasCast reports whether the dialect writes a cast, by the keys gen.cast looks up.
func hasCast(d *Dialect, from, to types.Type) bool {
	f, t := KindName(from), KindName(to)
	for _, id := range []string{"cast_" + f + "_" + t, "cast_" + f + "_any", "cast_any_" + t} {
		for _, table := range []map[string]Template{d.Funcs, SharedTable} {
			if tpl, ok := table[id]; ok && tpl.Unsupported == nil {
				return true
			}
		}
	}
	return false
}

// TestEveryTemplateKeyIsKnown keeps the tables free of dead entries: every key of the
// families' tables and of each dialect's overrides names a function, an overload or a cast
// (a misspelt key would otherwise leave the override silently unused).
func TestEveryTemplateKeyIsKnown(t *testing.T) {
	known := map[string]bool{"cast_null_any": true}
	lib := stdlib.Standard()
	for _, f := range lib.Funcs() {
		known[f.Name] = true
		for _, o := range f.Overloads {
			known[o.ID] = true
		}
	}
	for _, c := range stdlib.Casts() {
		to := KindName(types.Type{Kind: c.To})
		known["cast_"+KindName(types.Type{Kind: c.From})+"_"+to] = true
		if c.From == types.Int64 && c.To != types.Int32 {
			known["cast_int32_"+to] = true // an int32 column keeps its kind in cast keys
		}
	}
	check := func(where string, table map[string]Template) {
		for key := range table {
			if !known[key] {
				t.Errorf("%s: %q names no function, overload or cast", where, key)
			}
		}
	}
	check("shared", SharedTable)
	for _, d := range dialects() {
		check(d.Name, d.Funcs)
	}
}

// TestUnsupportedIsTheRefusal checks that a declared refusal is what compiling prints: the
// construct, the dialect, the entry's reason and link, at the call's place in the source.
func TestUnsupportedIsTheRefusal(t *testing.T) {
	d := *duckdb.Dialect
	d.Name = "duckdb_without_exp"
	d.Funcs = map[string]Template{"exp": {Unsupported: &Unsupported{Reason: "EXP overflows differently", Link: "https://example.com/exp"}}}
	for k, v := range duckdb.Dialect.Funcs {
		d.Funcs[k] = v
	}
	src := "source s { x: float64 }\nframe result = s.select(y = x.exp())\n"
	p, err := featc.CompileSources([]featc.Source{{Name: "probe.feat", Text: src}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = CompileOutput(p.IR(), &d, "result", Options{})
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v, want a refusal", err)
	}
	if e.Reason != "EXP overflows differently" || e.Link != "https://example.com/exp" || e.Construct != "exp()" || !e.Span.IsValid() {
		t.Errorf("refusal %+v", e)
	}
	if r := Refusal(&d, "exp_float64"); r == nil || r.Reason != e.Reason {
		t.Errorf("Refusal(exp_float64) = %v", r)
	}
	if _, err := CompileOutput(p.IR(), duckdb.Dialect, "result", Options{}); err != nil {
		t.Errorf("DuckDB itself: %v", err)
	}
}

// dialects lists the registry's dialects.
func dialects() []*Dialect {
	var out []*Dialect
	for _, e := range backends.Engines() {
		out = append(out, e.Dialect)
	}
	return out
}
