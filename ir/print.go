package ir

import (
	"fmt"
	"strings"

	"github.com/featc/featc/lang"
	"github.com/featc/featc/types"
)

// Printing renders the typed IR as text for `featc explain` and the golden files: one block
// per definition, relations as indented trees, expressions as calls of their resolved
// overloads (add_int64(a, b)) with every conversion spelled out (cast<float64>(x)).

// String renders a whole program.
func (p *Program) String() string {
	var b strings.Builder
	for i, d := range p.Defs {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(d.String())
	}
	return b.String()
}

// String renders one definition.
func (d *Def) String() string {
	var b strings.Builder
	b.WriteString(d.Kind.String())
	b.WriteByte(' ')
	b.WriteString(quoteIdent(d.Name))
	if d.Mode != "" {
		b.WriteString(" [mode " + d.Mode + "]")
	}
	switch d.Kind {
	case ParamDef:
		b.WriteString(": " + d.Type.String())
		if d.Default != nil {
			b.WriteString(" = " + d.Default.String())
		}
		b.WriteByte('\n')
	case LetDef:
		b.WriteString(": " + d.Type.String() + " = " + ExprString(d.Expr) + "\n")
	default:
		b.WriteString(": " + SchemaString(d.Schema) + "\n")
	}
	if len(d.Deps) > 0 {
		b.WriteString("  reads " + strings.Join(d.Deps, ", ") + "\n")
	}
	if len(d.Features) > 0 {
		b.WriteString("  features " + strings.Join(d.Features, ", ") + "\n")
	}
	for _, e := range d.Expects {
		b.WriteString(fmt.Sprintf("  expect %s else %s\n", ExprString(e.Cond), e.Level))
	}
	if d.Rel != nil {
		writeRel(&b, d.Rel, 1)
	}
	return b.String()
}

// SchemaString renders a schema: (a int64, b string).
func SchemaString(s Schema) string {
	parts := make([]string, len(s))
	for i, f := range s {
		parts[i] = quoteIdent(f.Name) + " " + f.Type.String()
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// RelString renders a relation as an indented tree.
func RelString(r Rel) string {
	var b strings.Builder
	writeRel(&b, r, 0)
	return b.String()
}

func writeRel(b *strings.Builder, r Rel, depth int) {
	ind := strings.Repeat("  ", depth)
	line := func(format string, args ...any) {
		b.WriteString(ind)
		fmt.Fprintf(b, format, args...)
		b.WriteByte('\n')
	}
	sub := func(format string, args ...any) {
		b.WriteString(ind + "  ")
		fmt.Fprintf(b, format, args...)
		b.WriteByte('\n')
	}
	switch r := r.(type) {
	case *Scan:
		line("Scan %s [%s]", quoteIdent(r.Source), nameList(r.Cols))
	case *DefRef:
		line("Ref %s [%s]", quoteIdent(r.Name), nameList(r.Cols))
	case *Spine:
		line("Spine %s", SchemaString(r.Cols))
	case *LocalFrame:
		line("Local %s", quoteIdent(r.Name))
	case *Filter:
		line("Filter %s", ExprString(r.Pred))
	case *Project:
		line("Project")
		var kept []string
		flush := func() {
			if len(kept) > 0 {
				sub("keep %s", strings.Join(kept, ", "))
				kept = nil
			}
		}
		for _, c := range r.Cols {
			if col, ok := c.Expr.(*Col); ok && col.Name == c.Name {
				kept = append(kept, quoteIdent(c.Name))
				continue
			}
			flush()
			sub("%s: %s = %s", quoteIdent(c.Name), c.Expr.Type(), ExprString(c.Expr))
		}
		flush()
	case *Aggregate:
		line("Aggregate")
		for _, k := range r.Keys {
			sub("key %s: %s = %s", quoteIdent(k.Name), k.Expr.Type(), ExprString(k.Expr))
		}
		for _, a := range r.Aggs {
			sub("agg %s: %s = %s", quoteIdent(a.Name), a.Expr.Type(), ExprString(a.Expr))
		}
	case *Sort:
		line("Sort %s", sortKeysString(r.Keys))
	case *Limit:
		if r.Offset > 0 {
			line("Limit %d offset %d", r.N, r.Offset)
		} else {
			line("Limit %d", r.N)
		}
	case *Distinct:
		line("Distinct")
	case *Join:
		var on []string
		for i := range r.LeftKeys {
			on = append(on, quoteIdent(r.LeftKeys[i])+" = "+quoteIdent(r.RightKeys[i]))
		}
		if len(on) > 0 {
			line("Join %s on %s", r.Kind, strings.Join(on, ", "))
		} else {
			line("Join %s", r.Kind)
		}
		sub("output %s", joinColsString(r.Cols))
	case *AsOfJoin:
		desc := fmt.Sprintf("AsOfJoin %s on %s ~ %s", r.Strategy, quoteIdent(r.LeftOn), quoteIdent(r.RightOn))
		if len(r.LeftBy) > 0 {
			var by []string
			for i := range r.LeftBy {
				by = append(by, quoteIdent(r.LeftBy[i])+" = "+quoteIdent(r.RightBy[i]))
			}
			desc += " by " + strings.Join(by, ", ")
		}
		if r.Tolerance > 0 {
			if f, ok := r.Left.Schema().Lookup(r.LeftOn); ok && f.Type.IsTemporal() {
				desc += " tolerance " + types.FormatDuration(r.Tolerance)
			} else {
				desc += fmt.Sprintf(" tolerance %d", r.Tolerance)
			}
		}
		line("%s", desc)
		sub("output %s", joinColsString(r.Cols))
	case *Union:
		line("Union")
	case *EntityApply:
		line("EntityApply keys %s at %s", strings.Join(r.Keys, ", "), quoteIdent(r.Time))
		for _, st := range r.Steps {
			if st.Rel != nil {
				sub("local %s: %s", quoteIdent(st.Name), SchemaString(st.Rel.Schema()))
				writeRel(b, st.Rel, depth+2)
				continue
			}
			sub("feature %s: %s = %s", quoteIdent(st.Name), st.Expr.Type(), ExprString(st.Expr))
		}
		writeRel(b, r.Spine, depth+1)
		return
	default:
		line("%T", r)
	}
	for _, in := range r.Inputs() {
		writeRel(b, in, depth+1)
	}
}

func joinColsString(cols []JoinCol) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		var s string
		switch c.Side {
		case LeftSide:
			s = "l." + quoteIdent(c.Name)
		case RightSide:
			s = "r." + quoteIdent(c.Name)
		case CoalescedKey:
			s = "coalesce(l." + quoteIdent(c.Name) + ", r." + quoteIdent(c.RightName) + ")"
		}
		if c.Out != c.Name || c.Side == CoalescedKey {
			s += " as " + quoteIdent(c.Out)
		}
		parts[i] = s
	}
	return strings.Join(parts, ", ")
}

func sortKeysString(keys []SortKey) string {
	parts := make([]string, len(keys))
	for i, k := range keys {
		dir, nulls := "asc", "nulls first"
		if k.Descending {
			dir = "desc"
		}
		if k.NullsLast {
			nulls = "nulls last"
		}
		parts[i] = ExprString(k.Expr) + " " + dir + " " + nulls
	}
	return strings.Join(parts, ", ")
}

// ExprString renders an expression on one line.
func ExprString(e Expr) string {
	var b strings.Builder
	writeExpr(&b, e)
	return b.String()
}

func writeExpr(b *strings.Builder, e Expr) {
	args := func(list []Expr) {
		b.WriteByte('(')
		for i, a := range list {
			if i > 0 {
				b.WriteString(", ")
			}
			writeExpr(b, a)
		}
		b.WriteByte(')')
	}
	switch e := e.(type) {
	case *Col:
		b.WriteString(quoteIdent(e.Name))
	case *GroupKey:
		b.WriteString("key." + quoteIdent(e.Name))
	case *Lit:
		b.WriteString(litString(e.Value))
	case *ParamRef:
		b.WriteString("param." + quoteIdent(e.Name))
	case *LetRef:
		b.WriteString("let." + quoteIdent(e.Name))
	case *Outer:
		b.WriteString("outer." + quoteIdent(e.Name))
	case *LocalRef:
		b.WriteString("local." + quoteIdent(e.Name))
	case *Subquery:
		b.WriteString("(")
		writeRelInline(b, e.Rel)
		b.WriteString(")")
	case *Call:
		b.WriteString(e.Overload.ID)
		args(e.Args)
	case *Cast:
		b.WriteString("cast<" + e.To.String() + ">")
		args([]Expr{e.X})
	case *Agg:
		b.WriteString(e.Overload.ID)
		args(e.Args)
		if len(e.OrderBy) > 0 {
			b.WriteString(" order by " + sortKeysString(e.OrderBy))
		}
	case *Window:
		b.WriteString(e.Overload.ID)
		args(e.Args)
		b.WriteString(" over (")
		var parts []string
		if len(e.Partition) > 0 {
			ps := make([]string, len(e.Partition))
			for i, p := range e.Partition {
				ps[i] = ExprString(p)
			}
			parts = append(parts, "partition by "+strings.Join(ps, ", "))
		}
		if len(e.OrderBy) > 0 {
			parts = append(parts, "order by "+sortKeysString(e.OrderBy))
		}
		f := e.Frame
		switch f.Kind {
		case RowsFrame:
			if f.Ahead > 0 {
				parts = append(parts, fmt.Sprintf("rows %d (%d ahead) min %d", f.Size, f.Ahead, f.MinPeriods))
			} else {
				parts = append(parts, fmt.Sprintf("rows %d min %d", f.Size, f.MinPeriods))
			}
		case RangeFrame:
			parts = append(parts, fmt.Sprintf("range %s min %d", types.FormatDuration(f.Period), f.MinPeriods))
		case Cumulative:
			parts = append(parts, "cumulative")
		case NoFrame:
			if f.Offset != 0 {
				parts = append(parts, fmt.Sprintf("offset %d", f.Offset))
			}
		case WholePartition:
			parts = append(parts, "whole partition")
		}
		b.WriteString(strings.Join(parts, " "))
		b.WriteString(")")
	default:
		fmt.Fprintf(b, "<%T>", e)
	}
}

// litString renders a constant, with its type where the literal alone would not say it.
func litString(v types.Value) string {
	s := v.String()
	switch {
	case v.Null, v.Type.Kind == types.Decimal, v.Type.Kind == types.Int32:
		return s + "::" + v.Type.String()
	}
	return s
}

// writeRelInline renders a relation on one line, for subqueries: Op[details](input).
func writeRelInline(b *strings.Builder, r Rel) {
	switch r := r.(type) {
	case *Scan:
		b.WriteString("Scan " + quoteIdent(r.Source))
		return
	case *DefRef:
		b.WriteString("Ref " + quoteIdent(r.Name))
		return
	case *LocalFrame:
		b.WriteString("Local " + quoteIdent(r.Name))
		return
	case *Filter:
		b.WriteString("Filter[" + ExprString(r.Pred) + "]")
	case *Aggregate:
		var parts []string
		for _, k := range r.Keys {
			parts = append(parts, "key "+quoteIdent(k.Name)+" = "+ExprString(k.Expr))
		}
		for _, a := range r.Aggs {
			parts = append(parts, quoteIdent(a.Name)+" = "+ExprString(a.Expr))
		}
		b.WriteString("Aggregate[" + strings.Join(parts, ", ") + "]")
	case *Project:
		var parts []string
		for _, c := range r.Cols {
			parts = append(parts, quoteIdent(c.Name)+" = "+ExprString(c.Expr))
		}
		b.WriteString("Project[" + strings.Join(parts, ", ") + "]")
	default:
		s := strings.TrimSpace(RelString(r))
		b.WriteString(strings.ReplaceAll(s, "\n", "; "))
		return
	}
	b.WriteByte('(')
	for i, in := range r.Inputs() {
		if i > 0 {
			b.WriteString(", ")
		}
		writeRelInline(b, in)
	}
	b.WriteByte(')')
}

// quoteIdent writes a name as an identifier, or in backquotes when it is not one.
func quoteIdent(s string) string {
	if isIdent(s) && !lang.IsKeyword(s) {
		return s
	}
	return "`" + strings.ReplaceAll(s, "`", "``") + "`"
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9' {
			continue
		}
		return false
	}
	return true
}

func nameList(s Schema) string {
	parts := make([]string, len(s))
	for i, f := range s {
		parts[i] = quoteIdent(f.Name)
	}
	return strings.Join(parts, ", ")
}
