package ir

import (
	"fmt"
	"strings"
)

// SpineError says why a spine cannot be bound to an entity-features block.
type SpineError struct {
	Def    string
	Column string
	Msg    string
}

func (e *SpineError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("the spine of %s %s", e.Def, e.Msg)
	}
	return fmt.Sprintf("the spine of %s: column %s %s", e.Def, e.Column, e.Msg)
}

// BindSpine returns the program with the spine of the entity-features block name taking the
// columns of the relation bound to it: the entity's keys and the time (with their declared
// types), and any other columns — labels, ids — which pass through to the output in the
// spine's order, before the features (as training data needs: each output row can be joined
// back to its observation). A spine with exactly the declared columns in the declared order
// returns p itself.
func BindSpine(p *Program, name string, spine Schema) (*Program, error) {
	d := p.Def(name)
	if d == nil || d.Kind != EntityFeaturesDef {
		return nil, fmt.Errorf("%s is not an entity-features block", name)
	}
	a, ok := d.Rel.(*EntityApply)
	if !ok {
		return nil, fmt.Errorf("%s is not an entity-features block", name)
	}
	declared := a.Spine.Schema()
	seen := map[string]bool{}
	for _, f := range spine {
		if seen[f.Name] {
			return nil, &SpineError{Def: name, Column: f.Name, Msg: "appears more than once"}
		}
		seen[f.Name] = true
		if want, ok := declared.Lookup(f.Name); ok {
			if want.Type != f.Type {
				return nil, &SpineError{Def: name, Column: f.Name, Msg: fmt.Sprintf("is %s, but the block reads it as %s", f.Type, want.Type)}
			}
			continue
		}
		for _, feat := range a.Features {
			if feat.Name == f.Name {
				return nil, &SpineError{Def: name, Column: f.Name, Msg: "has the name of one of the block's features: rename it in the spine"}
			}
		}
	}
	var missing []string
	for _, f := range declared {
		if !seen[f.Name] {
			missing = append(missing, f.Name)
		}
	}
	if len(missing) > 0 {
		return nil, &SpineError{Def: name, Msg: fmt.Sprintf("has no column %s (it needs %s)", strings.Join(missing, ", "), strings.Join(declared.Names(), ", "))}
	}
	if sameSchema(declared, spine) {
		return p, nil
	}
	na := *a
	na.Spine = &Spine{Cols: append(Schema{}, spine...), Sp: a.Spine.Span()}
	nd := *d
	nd.Rel = &na
	nd.Schema = na.Schema()
	defs := make([]*Def, len(p.Defs))
	for i, x := range p.Defs {
		defs[i] = x
		if x == d {
			defs[i] = &nd
		}
	}
	out := NewProgram(p.Mode, p.Modes, p.Lib, defs)
	out.Warnings = p.Warnings
	out.Shown = p.Shown
	return out, nil
}

func sameSchema(a, b Schema) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Name != b[i].Name || a[i].Type != b[i].Type {
			return false
		}
	}
	return true
}
