// Package backends is the registry of the SQL engines featc runs on, one line per engine. The
// command line, the docs, the support table and the conformance tests iterate it; nothing else
// names an engine (TestRegistryIsTheOnlyList checks). Adding an engine is writing its package
// (its dialect, driver and Engine value) and its line here.
package backends

import (
	"fmt"
	"strings"

	"github.com/featc/featc/backends/duckdb"
	"github.com/featc/featc/backends/engine"
	"github.com/featc/featc/backends/postgres"
	"github.com/featc/featc/backends/snowflake"
)

// Engines returns the SQL engines, in the order the docs' columns and the help texts list them.
func Engines() []*engine.Engine {
	return []*engine.Engine{
		duckdb.Engine,
		postgres.Engine,
		snowflake.Engine,
	}
}

// Evaluator is the name of featc's in-process evaluator where engines are named (--engine
// eval, the support table's first column). It is the reference every SQL engine is compared
// with, not a SQL engine, so it has no place in the registry.
const Evaluator = "eval"

// Names lists the engines' names, in registry order.
func Names() []string {
	var out []string
	for _, e := range Engines() {
		out = append(out, e.Name)
	}
	return out
}

// Lookup returns the engine of a name, or an error listing the names.
func Lookup(name string) (*engine.Engine, error) {
	for _, e := range Engines() {
		if e.Name == name {
			return e, nil
		}
	}
	return nil, fmt.Errorf("unknown target %q (the targets are %s)", name, list(Names(), "and"))
}

// ForTarget returns the engine a --target names by its form: the first engine, in registry
// order, that recognizes it; else, for a target that is not a URL, the default engine (the
// first embedded one), which takes it as a database file's name, or "" for a database in
// memory. A URL no engine recognizes is an error naming its scheme only (a DSN may hold a
// password).
func ForTarget(target string) (*engine.Engine, error) {
	for _, e := range Engines() {
		if e.Recognizes(target) {
			return e, nil
		}
	}
	if scheme, _, ok := strings.Cut(target, "://"); ok {
		var forms []string
		for _, e := range Engines() {
			forms = append(forms, e.TargetHelp)
		}
		return nil, fmt.Errorf("no engine takes a target of the form %s://…: a target is %s", scheme, list(forms, "or"))
	}
	return Default(), nil
}

// Default is the engine featc runs on when none is named: the first embedded engine.
func Default() *engine.Engine {
	for _, e := range Engines() {
		if e.Embedded {
			return e
		}
	}
	panic("backends: no embedded engine registered")
}

// list writes items as prose: "a", "a and b", "a, b and c" (with conj "and").
func list(items []string, conj string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " " + conj + " " + items[len(items)-1]
}
