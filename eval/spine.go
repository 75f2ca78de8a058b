package eval

import (
	"errors"
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/featc/featc/ir"
)

// maxSpineVariants bounds the plans an evaluator keeps for spines with columns of their own;
// past it, a run with yet another spine schema compiles a plan for itself only.
const maxSpineVariants = 64

// forSpines returns the evaluator that runs these inputs: ev itself when every spine bound has
// exactly the columns the block declares, in its order; otherwise a plan compiled once for the
// spines' own columns, which pass through to the output in the spine's order (labels, ids: what
// training data needs).
func (ev *Evaluator) forSpines(inputs Inputs) (*Evaluator, error) {
	if len(ev.spines) == 0 {
		return ev, nil
	}
	var key strings.Builder
	var bind []spineBinding
	for _, name := range ev.spines {
		d := ev.defs[name]
		rec, ok := inputs[name]
		if d == nil || !ok || rec == nil {
			continue
		}
		apply, ok := d.def.Rel.(*ir.EntityApply)
		if !ok {
			continue
		}
		declared := apply.Spine.Schema()
		fields := rec.Schema().Fields()
		if sameNames(declared, fields) {
			continue
		}
		schema := make(ir.Schema, 0, len(fields))
		for _, f := range fields {
			if want, ok := declared.Lookup(f.Name); ok {
				schema = append(schema, want)
				continue
			}
			t := TypeOf(f.Type)
			if !t.IsValid() {
				return nil, &BindError{Source: name, Column: f.Name, Msg: fmt.Sprintf("is %s, which featc cannot pass through to the output: drop it from the spine or cast it", f.Type)}
			}
			schema = append(schema, ir.Field{Name: f.Name, Type: t})
		}
		bind = append(bind, spineBinding{name, schema})
		fmt.Fprintf(&key, "%s(", name)
		for _, f := range schema {
			fmt.Fprintf(&key, "%s %s,", f.Name, f.Type)
		}
		key.WriteString(")")
	}
	if len(bind) == 0 {
		return ev, nil
	}
	k := key.String()
	if v, ok := ev.variants.Load(k); ok {
		return v.(*Evaluator), nil
	}
	prog := ev.prog
	for _, b := range bind {
		var err error
		if prog, err = ir.BindSpine(prog, b.name, b.schema); err != nil {
			if se := (*ir.SpineError)(nil); errors.As(err, &se) {
				return nil, &BindError{Source: b.name, Column: se.Column, Msg: se.Msg}
			}
			return nil, err
		}
	}
	v, err := New(prog, ev.opts...)
	if err != nil {
		return nil, err
	}
	// The variant takes the params ev takes: those of the whole program it was built from.
	v.declared = ev.declared
	if ev.nVariants.Add(1) <= maxSpineVariants {
		actual, _ := ev.variants.LoadOrStore(k, v)
		v = actual.(*Evaluator)
	}
	return v, nil
}

type spineBinding struct {
	name   string
	schema ir.Schema
}

func sameNames(s ir.Schema, fields []arrow.Field) bool {
	if len(s) != len(fields) {
		return false
	}
	for i := range s {
		if s[i].Name != fields[i].Name {
			return false
		}
	}
	return true
}
