// Package support tells which engines compute each function of the standard library with
// featc's semantics, by compiling for every engine the same probes the conformance matrix runs
// (internal/gen): a function is marked supported on an engine only where featc lowers it, and
// the matrix then proves the lowered form gives the evaluator's results.
package support

import (
	"errors"
	"sort"
	"strings"

	"github.com/featc/featc"
	"github.com/featc/featc/backends"
	"github.com/featc/featc/backends/sqlgen"
	"github.com/featc/featc/eval"
	"github.com/featc/featc/internal/gen"
	"github.com/featc/featc/stdlib"
)

// Engine is a column of the support table: the evaluator, or an engine of the registry.
type Engine struct {
	Name  string // as the command line names it, and the key of a Status map
	Title string // the column's header
	// dialect is the SQL engine's dialect; nil for the evaluator.
	dialect *sqlgen.Dialect
}

// Engines lists the engines reported, in column order: the evaluator, then the registry's SQL
// engines.
func Engines() []Engine {
	out := []Engine{{Name: backends.Evaluator, Title: backends.Evaluator}}
	for _, e := range backends.Engines() {
		out = append(out, Engine{Name: e.Name, Title: e.Title, dialect: e.Dialect})
	}
	return out
}

// Status is whether an engine computes an overload, and where not, why.
type Status struct {
	// Refused lists each form the engine refuses ("over a window", or "" for the plain
	// call) with featc's reason and the engine documentation behind it.
	Refused []Refusal
	// Partial is set when some forms are computed and some refused.
	Partial bool
}

// Refusal is one refused form.
type Refusal struct {
	Form   string
	Reason string
	Link   string
}

// OK reports whether every form is computed.
func (s Status) OK() bool { return len(s.Refused) == 0 }

// Overload probes one overload on every engine: its plain form and, for an aggregate, its
// form over a window partition.
func Overload(f *stdlib.Func, o *stdlib.Overload) map[string]Status {
	type form struct {
		name string
		srcs []string
	}
	var forms []form
	plain := form{name: ""}
	for _, p := range gen.OverloadProbes(f, o) {
		plain.srcs = append(plain.srcs, p.Program(f, false))
	}
	forms = append(forms, plain)
	if f.Kind == stdlib.Aggregate {
		over := form{name: "over a window"}
		for _, p := range gen.OverloadProbes(f, o) {
			over.srcs = append(over.srcs, p.Program(f, true))
		}
		forms = append(forms, over)
	}
	out := map[string]Status{}
	for _, engine := range Engines() {
		var st Status
		computed := 0
		for _, fm := range forms {
			if r, refused := probe(engine, fm.srcs); refused {
				r.Form = fm.name
				st.Refused = append(st.Refused, r)
			} else {
				computed++
			}
		}
		st.Partial = computed > 0 && len(st.Refused) > 0
		out[engine.Name] = st
	}
	return out
}

// Cast probes one cast rule on every engine.
func Cast(c stdlib.CastRule) map[string]Status {
	out := map[string]Status{}
	for _, engine := range Engines() {
		var st Status
		if r, refused := probe(engine, []string{gen.CastProgram(c)}); refused {
			st.Refused = []Refusal{r}
		}
		out[engine.Name] = st
	}
	return out
}

// probe compiles the programs for an engine and reports the first refusal. A program that
// does not compile at all is a bug of the probes, reported as a refusal naming it, so that
// the documentation can never claim support it has not checked.
func probe(engine Engine, srcs []string) (Refusal, bool) {
	if len(srcs) == 0 {
		return Refusal{Reason: "no probe exercises it"}, true
	}
	for _, src := range srcs {
		p, err := featc.CompileSources([]featc.Source{{Name: "probe.feat", Text: src}})
		if err != nil {
			return Refusal{Reason: "probe does not compile: " + firstLine(err.Error())}, true
		}
		if engine.dialect == nil {
			if _, err := eval.New(p.IR()); err != nil {
				return Refusal{Reason: firstLine(err.Error())}, true
			}
			continue
		}
		if _, err := sqlgen.CompileOutput(p.IR(), engine.dialect, "result", sqlgen.Options{}); err != nil {
			var se *sqlgen.Error
			if errors.As(err, &se) {
				return Refusal{Reason: se.Reason, Link: se.Link}, true
			}
			return Refusal{Reason: firstLine(err.Error())}, true
		}
	}
	return Refusal{}, false
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// Quirk is a dialect's own SQL for a function, with the engine documentation that explains
// why featc writes it so.
type Quirk struct {
	Key  string // overload id, function name or internal helper (@name)
	SQL  string
	Doc  string
	Note string
}

// Quirks lists the explained overrides of a dialect, sorted by key.
func Quirks(d *sqlgen.Dialect) []Quirk {
	var out []Quirk
	for key, t := range d.Overrides() {
		if t.Doc == "" && t.Note == "" {
			continue
		}
		out = append(out, Quirk{Key: key, SQL: t.SQL, Doc: t.Doc, Note: t.Note})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}
