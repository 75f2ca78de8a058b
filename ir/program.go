package ir

import (
	"sort"

	"github.com/featc/featc/lang"
	"github.com/featc/featc/stdlib"
	"github.com/featc/featc/types"
)

// DefKind is the kind of a definition.
type DefKind uint8

// Definition kinds.
const (
	InvalidDef DefKind = iota
	SourceDef
	EntityDef
	ParamDef
	LetDef
	FrameDef
	FeaturesDef
	EntityFeaturesDef
)

func (k DefKind) String() string {
	return [...]string{"invalid", "source", "entity", "param", "let", "frame", "features", "entity features"}[k]
}

// Level is the severity of a failed expectation.
type Level uint8

// Expectation levels.
const (
	InvalidLevel Level = iota
	LevelError
	LevelWarn
)

func (l Level) String() string { return [...]string{"invalid", "error", "warn"}[l] }

// Expect is an expectation on the rows of a features block: Cond must be true (a null counts
// as a failure) on every row.
type Expect struct {
	Cond  Expr
	Level Level
	// Text is the condition as written, for reports.
	Text string
	Sp   lang.Span
}

// Def is one named definition after checking.
type Def struct {
	Name string
	Kind DefKind
	// Mode is the mode block the definition sits in, or "" for a shared one.
	Mode string
	Sp   lang.Span

	// Sources and entities: the declared columns. Frames and features: the output schema.
	Schema Schema
	// Params and lets: the type. Lets: Expr computes the value; params: Default, if any.
	Type    types.Type
	Expr    Expr
	Default *types.Value
	// Frames and features blocks: the relation computing the output.
	Rel Rel
	// Features blocks: the names of the features (the block's own output columns).
	Features []string
	Expects  []*Expect
	// Entity features: the entity's name.
	Entity string
	// Deps names the definitions this one reads directly (sorted).
	Deps []string
}

// Program is a checked set of definitions for one mode, in dependency order: every
// definition comes after those it reads.
type Program struct {
	Mode   string
	Modes  []string
	Defs   []*Def
	Lib    *stdlib.Library
	byName map[string]*Def
	// Warnings found while checking (errors stop compilation and are never in a Program).
	Warnings lang.Diagnostics
	// Shown holds, for an output asked for by some of its columns whose definition other
	// definitions of the program read (so it keeps the columns they read), the columns the
	// output shows: every engine cuts the output to OutputIndexes at the end.
	Shown map[string][]string
}

// OutputIndexes returns the positions, in the definition's schema, of the columns the output
// name shows — for entity features the spine's columns first, which identify each row — or nil
// for all of them.
func (p *Program) OutputIndexes(name string) []int {
	asked, ok := p.Shown[name]
	d := p.Def(name)
	if !ok || d == nil || d.Rel == nil {
		return nil
	}
	schema := d.Rel.Schema()
	var idx []int
	seen := map[int]bool{}
	if a, ok := d.Rel.(*EntityApply); ok {
		for i := range a.Spine.Schema() {
			idx = append(idx, i)
			seen[i] = true
		}
	}
	for _, c := range asked {
		if i := schema.Index(c); i >= 0 && !seen[i] {
			idx = append(idx, i)
			seen[i] = true
		}
	}
	return idx
}

// OutputSchema returns the columns the output name shows (OutputIndexes).
func (p *Program) OutputSchema(name string) Schema {
	d := p.Def(name)
	if d == nil {
		return nil
	}
	idx := p.OutputIndexes(name)
	if idx == nil {
		return d.Schema
	}
	out := make(Schema, len(idx))
	for i, j := range idx {
		out[i] = d.Schema[j]
	}
	return out
}

// NewProgram indexes defs, which must be in dependency order.
func NewProgram(mode string, modes []string, lib *stdlib.Library, defs []*Def) *Program {
	p := &Program{Mode: mode, Modes: modes, Defs: defs, Lib: lib, byName: make(map[string]*Def, len(defs))}
	for _, d := range defs {
		p.byName[d.Name] = d
	}
	return p
}

// Def returns the named definition, or nil.
func (p *Program) Def(name string) *Def { return p.byName[name] }

// Outputs returns the names of the definitions that produce rows: frames and features blocks.
func (p *Program) Outputs() []string {
	var out []string
	for _, d := range p.Defs {
		switch d.Kind {
		case FrameDef, FeaturesDef, EntityFeaturesDef:
			out = append(out, d.Name)
		}
	}
	return out
}

// Downstream returns the names of the definitions that read name, directly or not, sorted.
func (p *Program) Downstream(name string) []string {
	readers := map[string][]string{}
	for _, d := range p.Defs {
		for _, dep := range d.Deps {
			readers[dep] = append(readers[dep], d.Name)
		}
	}
	seen := map[string]bool{}
	var visit func(string)
	visit = func(n string) {
		for _, r := range readers[n] {
			if !seen[r] {
				seen[r] = true
				visit(r)
			}
		}
	}
	visit(name)
	out := make([]string, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Upstream returns the names of the definitions name reads, directly or not, in dependency
// order.
func (p *Program) Upstream(name string) []string {
	seen := map[string]bool{}
	var visit func(string)
	visit = func(n string) {
		d := p.byName[n]
		if d == nil {
			return
		}
		for _, dep := range d.Deps {
			if !seen[dep] {
				seen[dep] = true
				visit(dep)
			}
		}
	}
	visit(name)
	var out []string
	for _, d := range p.Defs {
		if seen[d.Name] {
			out = append(out, d.Name)
		}
	}
	return out
}
