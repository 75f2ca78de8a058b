package sqlgen

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/featc/featc/ir"
	"github.com/featc/featc/lang"
	"github.com/featc/featc/types"
)

// literal writes a constant with its exact type: SQL's untyped literals would be read as
// 32-bit integers (and overflow where featc's int64 does not) or as decimals.
func (g *gen) literal(v types.Value) (Expr, error) {
	e, err := g.literalText(v)
	e.Const = true
	return e, err
}

func (g *gen) literalText(v types.Value) (Expr, error) {
	d := g.d
	if v.Null {
		if v.Type.Kind == types.Null {
			return atom("NULL"), nil
		}
		return atom("CAST(NULL AS " + d.TypeName(v.Type) + ")"), nil
	}
	switch v.Type.Kind {
	case types.Bool:
		if v.Bool() {
			return atom("TRUE"), nil
		}
		return atom("FALSE"), nil
	case types.Int32, types.Int64, types.Duration:
		return atom("CAST(" + strconv.FormatInt(v.I, 10) + " AS " + d.TypeName(v.Type) + ")"), nil
	case types.Interval:
		// Intervals only appear as arguments of calendar arithmetic, whose templates take the
		// number of months.
		return atom(strconv.FormatInt(v.I, 10)), nil
	case types.Float64:
		var text string
		switch {
		case math.IsNaN(v.F):
			text = d.String("NaN")
		case math.IsInf(v.F, 1):
			text = d.String("Infinity")
		case math.IsInf(v.F, -1):
			text = d.String("-Infinity")
		case v.F == 0 && math.Signbit(v.F):
			text = d.String("-0.0") // a numeric literal -0.0 would read as 0

		default:
			text = strconv.FormatFloat(v.F, 'g', -1, 64)
		}
		return atom("CAST(" + text + " AS " + d.TypeName(v.Type) + ")"), nil
	case types.Decimal:
		return atom("CAST(" + d.String(types.FormatDecimal(v.Dec, int(v.Type.Scale))) + " AS " + d.TypeName(v.Type) + ")"), nil
	case types.String:
		return atom(d.String(v.S)), nil
	case types.Date:
		return atom("CAST(" + d.String(types.FormatDate(v.I)) + " AS " + d.TypeName(v.Type) + ")"), nil
	case types.Timestamp:
		return atom("CAST(" + d.String(types.FormatTimestamp(v.I)) + " AS " + d.TypeName(v.Type) + ")"), nil
	}
	return Expr{}, fmt.Errorf("cannot write a %s literal", v.Type)
}

// param writes a param: its value when the run gives one, else a numbered placeholder (typed
// by a cast) whose name the statement lists.
func (g *gen) param(p *ir.ParamRef) (Expr, error) {
	if v, ok := g.opts.Params[p.Name]; ok {
		if !v.Null && v.Type.Kind == types.String && strings.IndexByte(v.S, 0) >= 0 {
			return Expr{}, &Error{Dialect: g.d.Name, Construct: "param " + p.Name, Span: p.Sp,
				Reason: "its text holds a NUL character (U+0000), which the engine does not store in a string"}
		}
		return g.literal(v)
	}
	n := 0
	for i, name := range g.params {
		if name == p.Name {
			n = i + 1
		}
	}
	if n == 0 {
		g.params = append(g.params, p.Name)
		n = len(g.params)
	}
	e := atom("CAST(" + g.d.Placeholder(n) + " AS " + g.d.TypeName(p.T) + ")")
	e.Const = true
	return e, nil
}

// cast writes x.cast(to) by the rules of docs/semantics.md; the dialect table holds each
// conversion under the ID cast_FROM_TO (and cast_any_TO, cast_FROM_any as fallbacks).
func (g *gen) cast(x Expr, from, to types.Type, sp lang.Span) (Expr, error) {
	if from == to {
		return x, nil
	}
	f, t := kindName(from), kindName(to)
	name := "cast to " + to.String()
	for _, id := range []string{"cast_" + f + "_" + t, "cast_" + f + "_any", "cast_any_" + t} {
		for _, table := range []map[string]Template{g.d.Funcs, shared} {
			tpl, ok := table[id]
			if !ok {
				continue
			}
			if tpl.Unsupported != nil {
				return Expr{}, &Error{Dialect: g.d.Name, Construct: "cast from " + from.String() + " to " + to.String(), Reason: tpl.Unsupported.Reason, Link: tpl.Unsupported.Link, Span: sp}
			}
			c := &Call{D: g.d, Name: name, ID: id, Args: []Expr{x}, Types: []types.Type{from}, Consts: []*types.Value{nil}, Result: to}
			if tpl.Fn != nil {
				out, err := tpl.Fn(c)
				if err != nil {
					return Expr{}, &Error{Dialect: g.d.Name, Construct: name, Reason: err.Error(), Span: sp}
				}
				return out, nil
			}
			return c.Fill(tpl.SQL, tpl.Prec), nil
		}
	}
	return Expr{}, &Error{Dialect: g.d.Name, Construct: "cast from " + from.String() + " to " + to.String(), Reason: "featc has no SQL for it yet", Span: sp}
}

// kindName names a type's kind as overload IDs do (int32 counts as int64 after promotion,
// but keeps its name for casts to it).
func kindName(t types.Type) string {
	if t.Kind == types.Null {
		return "null"
	}
	return t.Kind.String()
}
