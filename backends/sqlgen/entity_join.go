package sqlgen

import (
	"fmt"
	"strings"

	"github.com/featc/featc/ir"
	"github.com/featc/featc/ir/types"
)

// entityJoin writes entity features as joins rather than correlated subqueries (the range-join
// strategy): the spine rows are numbered; each source the features aggregate is joined to them
// on the entity key and aggregated per spine row, every aggregate over its own frame's rows by
// a conditional argument (CASE WHEN the frame's filters THEN the value END, which aggregates
// skip, as they skip nulls); the features are then computed from those aggregates. It covers
// blocks whose features aggregate frames that filter one source by the entity key (the local
// frames of a block), the common shape; others are refused with the feature named.
func (g *gen) entityJoin(a *ir.EntityApply, spine string) (*query, error) {
	refuse := func(feature, why string) (*query, error) {
		return nil, &Error{Dialect: g.d.Name, Construct: "feature " + feature + " of " + g.def.Name, Span: g.def.Sp,
			Reason: why + " (featc computes entity features here by joining each source to the spine, which covers aggregates of the block's frames)"}
	}
	locals := map[string]ir.Rel{}
	for _, st := range a.Steps {
		if st.Rel != nil {
			locals[st.Name] = st.Rel
		}
	}
	spineCols := a.Spine.Schema()
	row := g.d.Ident("featc_spine_row")
	numbered := g.d.Ident("featc_numbered")
	var order []string
	for _, c := range spineCols {
		order = append(order, g.d.Ident(c.Name))
	}
	// One group per source (and key columns), in order of first use.
	type group struct {
		scan  *ir.Scan
		keys  [][2]string // source column, spine column
		alias string
		aggs  []string
	}
	var groups []*group
	aggCols := map[*ir.Subquery]Expr{}
	n := 0
	for _, st := range a.Steps {
		if st.Expr == nil {
			continue
		}
		var ferr error
		ir.WalkExpr(st.Expr, func(x ir.Expr) bool {
			sq, ok := x.(*ir.Subquery)
			if !ok || ferr != nil {
				return ferr == nil
			}
			agg, ok := sq.Rel.(*ir.Aggregate)
			if !ok || len(agg.Keys) > 0 || len(agg.Aggs) != 1 {
				_, ferr = refuse(st.Name, "it reads a frame other than by a whole-frame aggregate")
				return false
			}
			c, why := resolveChain(agg.Input, locals, agg.Aggs[0].Expr)
			if why != "" {
				_, ferr = refuse(st.Name, why)
				return false
			}
			var gr *group
			for _, x := range groups {
				if x.scan.Source == c.scan.Source && fmt.Sprint(x.keys) == fmt.Sprint(c.keys) {
					gr = x
				}
			}
			if gr == nil {
				gr = &group{scan: c.scan, keys: c.keys, alias: g.d.Ident(fmt.Sprintf("featc_agg_%d", len(groups)+1))}
				groups = append(groups, gr)
			}
			e, err := g.conditionalAgg(c.agg, c, st.Name)
			if err != nil {
				ferr = err
				return false
			}
			n++
			name := g.d.Ident(fmt.Sprintf("featc_a%d", n))
			gr.aggs = append(gr.aggs, e.SQL+" AS "+name)
			aggCols[sq] = atom(gr.alias + "." + name)
			return false
		})
		if ferr != nil {
			return nil, ferr
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "WITH %s AS (\n  SELECT ROW_NUMBER() OVER (ORDER BY %s) AS %s, %s.*\n  FROM %s AS %s\n)\n",
		numbered, strings.Join(order, ", "), row, g.d.Ident("spine"), spine, g.d.Ident("spine"))
	ent := &entityScope{alias: g.d.Ident("n"), locals: locals, features: map[string]Expr{}, aggCols: aggCols}
	s := &scope{g: g, ent: ent}
	var outCols []string
	for _, c := range spineCols {
		outCols = append(outCols, ent.alias+"."+g.d.Ident(c.Name))
	}
	for _, st := range a.Steps {
		if st.Expr == nil {
			continue
		}
		e, err := s.expr(st.Expr)
		if err != nil {
			return nil, err
		}
		ent.features[st.Name] = Expr{SQL: "(" + e.SQL + ")", Prec: precAtom, Size: e.Size}
	}
	for _, f := range a.Features {
		outCols = append(outCols, ent.features[f.Name].SQL+" AS "+g.d.Ident(f.Name))
	}
	fmt.Fprintf(&b, "SELECT\n  %s\nFROM %s AS %s", strings.Join(outCols, ",\n  "), numbered, ent.alias)
	for _, gr := range groups {
		src, err := g.rel(gr.scan, nil)
		if err != nil {
			return nil, err
		}
		srcText, ok := src.simple(g.d)
		if !ok {
			srcText = "(\n" + indent(src.sql(g.d, "")) + "\n)"
		}
		var on []string
		for _, k := range gr.keys {
			on = append(on, g.d.Ident("e")+"."+g.d.Ident(k[0])+" = "+g.d.Ident("s")+"."+g.d.Ident(k[1]))
		}
		aggs := append([]string{g.d.Ident("s") + "." + row}, gr.aggs...)
		fmt.Fprintf(&b, "\nLEFT JOIN (\n  SELECT\n    %s\n  FROM %s AS %s\n  LEFT JOIN %s AS %s ON %s\n  GROUP BY %s.%s\n) AS %s ON %s.%s = %s.%s",
			strings.Join(aggs, ",\n    "), numbered, g.d.Ident("s"), srcText, g.d.Ident("e"), strings.Join(on, " AND "),
			g.d.Ident("s"), row, gr.alias, gr.alias, row, ent.alias, row)
	}
	q := &query{from: fromText("(\n" + indent(b.String()) + "\n) AS " + g.d.Ident(g.def.Name)), limit: -1, name: g.def.Name}
	for _, c := range spineCols {
		q.cols = append(q.cols, qcol{name: c.Name, typ: c.Type, expr: atom(g.d.Ident(g.def.Name) + "." + g.d.Ident(c.Name))})
	}
	for _, f := range a.Features {
		q.cols = append(q.cols, qcol{name: f.Name, typ: f.Expr.Type(), expr: atom(g.d.Ident(g.def.Name) + "." + g.d.Ident(f.Name))})
	}
	return q, nil
}

// chain is a frame of an entity block resolved to its source: the scan, the key equalities
// (source column = spine column), the other filters and the aggregate over the frame, all
// over the source's columns.
type chain struct {
	scan  *ir.Scan
	keys  [][2]string
	preds []ir.Expr
	agg   ir.Expr
}

// resolveChain follows a frame, aggregated by agg, through filters, selections (computed
// columns are substituted into what reads them) and local frames to its source; why says what
// stops it.
func resolveChain(r ir.Rel, locals map[string]ir.Rel, agg ir.Expr) (chain, string) {
	c := chain{agg: agg}
	for depth := 0; depth < 100; depth++ {
		switch x := r.(type) {
		case *ir.Filter:
			if _, isScan := x.Input.(*ir.Scan); isScan {
				// The checker's restriction to the entity, a conjunction for several keys.
				for _, conj := range ir.Conjuncts(x.Pred) {
					if col, outer, ok := ir.KeyEquality(conj); ok {
						c.keys = append(c.keys, [2]string{col.Name, outer.Name})
					} else {
						c.preds = append(c.preds, conj)
					}
				}
				r = x.Input
				continue
			}
			c.preds = append(c.preds, x.Pred)
			r = x.Input
		case *ir.Project:
			// What reads the projection's columns reads their expressions over its input.
			by := make(map[string]ir.Expr, len(x.Cols))
			for _, pc := range x.Cols {
				if why := rowwise(pc.Expr); why != "" {
					return c, "one of its frames computes column " + pc.Name + " " + why
				}
				by[pc.Name] = pc.Expr
			}
			memo := map[ir.Expr]ir.Expr{}
			for i, p := range c.preds {
				c.preds[i] = ir.SubstCols(p, by, memo)
			}
			c.agg = ir.SubstCols(c.agg, by, memo)
			r = x.Input
		case *ir.LocalFrame:
			next, ok := locals[x.Name]
			if !ok {
				return c, "frame " + x.Name + " is not of the block"
			}
			r = next
		case *ir.Scan:
			if len(c.keys) == 0 {
				return c, "it aggregates " + x.Source + " across entities"
			}
			for _, p := range c.preds {
				reads := false
				ir.WalkExpr(p, func(e ir.Expr) bool {
					switch e.(type) {
					case *ir.LocalRef, *ir.Subquery:
						reads = true
					}
					return !reads
				})
				if reads {
					return c, "one of its frames filters by another feature or aggregate"
				}
			}
			c.scan = x
			return c, ""
		default:
			return c, "one of its frames is not filters over a source"
		}
	}
	return c, "its frames nest too deeply"
}

// rowwise says why a frame's computed column cannot be computed row by row over the joined
// source rows (by a window function, or from another frame or feature), or "".
func rowwise(e ir.Expr) string {
	why := ""
	ir.WalkExpr(e, func(x ir.Expr) bool {
		switch x.(type) {
		case *ir.Window:
			why = "by a window function"
		case *ir.Subquery, *ir.Agg:
			why = "from an aggregate"
		case *ir.LocalRef:
			why = "from another feature"
		}
		return why == ""
	})
	return why
}

// conditionalAgg writes an aggregate expression over the joined rows of one spine row, each
// aggregate's arguments wrapped in CASE WHEN (the frame's filters) THEN … END.
func (g *gen) conditionalAgg(e ir.Expr, c chain, feature string) (Expr, error) {
	row := &scope{g: g, cols: map[string]qcol{}, ent: &entityScope{alias: g.d.Ident("s")}}
	for _, f := range c.scan.Cols {
		row.cols[f.Name] = qcol{name: f.Name, typ: f.Type, expr: atom(g.d.Ident("e") + "." + g.d.Ident(f.Name))}
		row.order = append(row.order, f.Name)
	}
	conds := []string{g.d.Ident("e") + "." + g.d.Ident(c.keys[0][0]) + " IS NOT NULL"}
	for i := len(c.preds) - 1; i >= 0; i-- {
		p, err := row.expr(c.preds[i])
		if err != nil {
			return Expr{}, err
		}
		conds = append(conds, "("+p.SQL+")")
	}
	cond := strings.Join(conds, " AND ")
	// Aggregates get fake columns holding their conditional arguments.
	agg := &scope{g: g, cols: map[string]qcol{}, ent: row.ent, inAgg: true}
	n := 0
	fake := func(sql string, t types.Type) *ir.Col {
		n++
		name := fmt.Sprintf("featc_arg_%d", n)
		agg.cols[name] = qcol{name: name, typ: t, expr: Expr{SQL: "CASE WHEN " + cond + " THEN " + sql + " END", Prec: precAtom, Size: 1}}
		return &ir.Col{Name: name, T: t}
	}
	var rerr error
	var rewrite func(x ir.Expr) ir.Expr
	rewrite = func(x ir.Expr) ir.Expr {
		if rerr != nil {
			return x
		}
		switch v := x.(type) {
		case *ir.Call:
			nc := *v
			nc.Args = make([]ir.Expr, len(v.Args))
			for i, arg := range v.Args {
				nc.Args[i] = rewrite(arg)
			}
			return &nc
		case *ir.Cast:
			nc := *v
			nc.X = rewrite(v.X)
			return &nc
		case *ir.Agg:
		case *ir.Lit, *ir.Outer, *ir.ParamRef, *ir.LetRef:
			return x
		default:
			rerr = &Error{Dialect: g.d.Name, Construct: "feature " + feature + " of " + g.def.Name, Span: g.def.Sp,
				Reason: fmt.Sprintf("its aggregation holds %T, which the join strategy does not write yet", x)}
			return x
		}
		a := x.(*ir.Agg)
		na := *a
		na.Args = nil
		// first/last skip rows whose order key is null: the order keys, null outside the
		// frame's rows, keep the aggregate to those rows.
		na.OrderBy = nil
		for _, k := range a.OrderBy {
			w, err := row.expr(k.Expr)
			if err != nil {
				rerr = err
				return x
			}
			k.Expr = fake(w.SQL, k.Expr.Type())
			na.OrderBy = append(na.OrderBy, k)
		}
		if len(a.Args) == 0 { // len(): the rows of the frame
			count := g.prog.Lib.Lookup("count")
			na.Func, na.Overload = count, count.Overloads[0]
			na.Args = []ir.Expr{fake("1", types.Int64T)}
			return &na
		}
		for _, arg := range a.Args {
			if _, isLit := arg.(*ir.Lit); isLit {
				na.Args = append(na.Args, arg)
				continue
			}
			w, err := row.expr(arg)
			if err != nil {
				rerr = err
				return x
			}
			na.Args = append(na.Args, fake(w.SQL, arg.Type()))
		}
		return &na
	}
	rewritten := rewrite(e)
	if rerr != nil {
		return Expr{}, rerr
	}
	return agg.expr(rewritten)
}
