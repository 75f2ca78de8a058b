package sqlgen

import (
	"errors"
	"fmt"
	"strings"

	"github.com/featc/featc/ir"
	"github.com/featc/featc/types"
)

// entityJoin writes entity features as joins rather than correlated subqueries (the range-join
// strategy): the spine rows are numbered; each source the features aggregate is joined to them
// on the entity key and aggregated per spine row, every aggregate over its own frame's rows by
// a conditional argument (CASE WHEN the frame's filters THEN the value END, which aggregates
// skip, as they skip nulls); the features are then computed from those aggregates. It covers
// blocks whose features aggregate frames built from one source filtered by the entity key (the
// local frames of a block): filtered further, with computed or renamed columns (substituted
// into what reads them), inner or left joined with relations that do not depend on the entity
// or with other frames of the entity that filter a source (joined to the source rows, a group
// of their own, the other frame's key and filters in the ON), and filtered by other features:
// frames that read aggregated features are aggregated in a later level, over the rows of a CTE
// holding those features (featc_level_K), as many levels as the dependencies are deep; frames
// of every entity (no key); sorted frames cut by a limit, whose rows are numbered per spine
// row; and window functions over a frame, computed over the same numbered rows partitioned by
// spine row. Others (a join with a frame of the entity that computes columns, windows over
// windows, a join or a window with a limit) are refused with the feature named.
func (g *gen) entityJoin(a *ir.EntityApply, spine string) (*query, error) {
	q, err := g.rangeJoin(a, spine)
	var refused *Error
	if err != nil && !errors.As(err, &refused) {
		// Whatever the strategy cannot write is a refusal (Postgres then falls back).
		return nil, &Error{Dialect: g.d.Name, Construct: "entity features " + g.def.Name, Span: g.def.Sp, Link: g.d.Caps.EntityDocs,
			Reason: "the range join cannot write it: " + err.Error()}
	}
	return q, err
}

// rangeJoin writes an entity block by the range join: first the plan (planRangeJoin: which
// aggregates each stage computes over which frames, decided before any SQL is written), then
// the statement, stage by stage (writeStage).
func (g *gen) rangeJoin(a *ir.EntityApply, spine string) (*query, error) {
	p, err := g.planRangeJoin(a)
	if err != nil {
		return nil, err
	}
	text, err := g.writeRangeJoin(p, spine)
	if err != nil {
		return nil, err
	}
	q := &query{from: fromText("(\n" + indent(text) + "\n) AS " + g.d.Ident(g.def.Name)), limit: -1, name: g.def.Name}
	for _, c := range a.Spine.Schema() {
		q.cols = append(q.cols, qcol{name: c.Name, typ: c.Type, expr: atom(g.d.Ident(g.def.Name) + "." + g.d.Ident(c.Name))})
	}
	for _, f := range a.Features {
		q.cols = append(q.cols, qcol{name: f.Name, typ: f.Expr.Type(), expr: atom(g.d.Ident(g.def.Name) + "." + g.d.Ident(f.Name))})
	}
	return q, nil
}

// rangePlan is an entity block's range join as decided before writing it: every aggregate of a
// frame, with its stage: 1, or one more than the highest level of the features its frame reads
// (a feature's level is the highest stage of the aggregates it reads, 0 for a feature of the
// spine only). Stage k aggregates over the rows of stage k-1, where the features it reads are
// columns.
type rangePlan struct {
	apply  *ir.EntityApply
	locals map[string]ir.Rel // the block's frames by name
	aggs   map[*ir.Subquery]*frameAgg
	order  []*ir.Subquery // aggs in the order they are written
	level  map[string]int
	needed map[string]bool // features read by frames: columns from their level on
	stages int
}

// frameAgg is one aggregate of a frame in a range join.
type frameAgg struct {
	chain   chain
	feature string
	stage   int
	name    string // featc_aN
}

// refuseFeature refuses a feature the range join cannot write.
func (g *gen) refuseFeature(feature, why string) error {
	return &Error{Dialect: g.d.Name, Construct: "feature " + feature + " of " + g.def.Name, Span: g.def.Sp, Link: g.d.Caps.EntityDocs,
		Reason: why + " (featc computes entity features here by joining each source to the spine, which covers aggregates of the block's frames)"}
}

// planRangeJoin resolves every frame aggregate of the block and gives each its stage and each
// feature its level.
func (g *gen) planRangeJoin(a *ir.EntityApply) (*rangePlan, error) {
	p := &rangePlan{apply: a, locals: map[string]ir.Rel{}, aggs: map[*ir.Subquery]*frameAgg{},
		level: map[string]int{}, needed: map[string]bool{}, stages: 1}
	for _, st := range a.Steps {
		if st.Rel != nil {
			p.locals[st.Name] = st.Rel
		}
	}
	for _, st := range a.Steps {
		if st.Expr == nil {
			continue
		}
		lv := 0
		var ferr error
		ir.WalkExpr(st.Expr, func(x ir.Expr) bool {
			if ferr != nil {
				return false
			}
			switch x := x.(type) {
			case *ir.LocalRef:
				lv = max(lv, p.level[x.Name])
			case *ir.Subquery:
				fa, err := g.register(p, x, st.Name)
				if err != nil {
					ferr = err
					return false
				}
				lv = max(lv, fa.stage)
				return false
			}
			return true
		})
		if ferr != nil {
			return nil, ferr
		}
		p.level[st.Name] = lv
	}
	return p, nil
}

// register resolves a frame aggregate and gives its stage; aggregates written inline in its
// frame's filters are registered first, one stage below.
func (g *gen) register(p *rangePlan, sq *ir.Subquery, feature string) (*frameAgg, error) {
	if fa, ok := p.aggs[sq]; ok {
		return fa, nil
	}
	agg, ok := sq.Rel.(*ir.Aggregate)
	if !ok || len(agg.Keys) > 0 || len(agg.Aggs) != 1 {
		return nil, g.refuseFeature(feature, "it reads a frame other than by a whole-frame aggregate")
	}
	c, why := resolveChain(agg.Input, p.locals, agg.Aggs[0].Expr)
	if why != "" {
		return nil, g.refuseFeature(feature, why)
	}
	fa := &frameAgg{chain: c, feature: feature, stage: 1}
	for d := range c.features() {
		fa.stage = max(fa.stage, p.level[d]+1)
		if p.level[d] > 0 {
			p.needed[d] = true
		}
	}
	for _, inner := range c.subqueries() {
		ia, err := g.register(p, inner, feature)
		if err != nil {
			return nil, err
		}
		fa.stage = max(fa.stage, ia.stage+1)
	}
	fa.name = fmt.Sprintf("featc_a%d", len(p.order)+1)
	p.aggs[sq], p.order = fa, append(p.order, sq)
	p.stages = max(p.stages, fa.stage)
	return fa, nil
}

// features renders the block's features over the relation alias of stage k's rows: a needed
// feature of a lower level is its column; the others are written out (with spineOnly set,
// only those of level 0: a frame's conditions read no others).
func (g *gen) features(p *rangePlan, alias string, k int, aggCol func(*ir.Subquery) (Expr, bool), spineOnly bool) (map[string]Expr, error) {
	ent := &entityScope{alias: alias, locals: p.locals, features: map[string]Expr{}, aggCols: map[*ir.Subquery]Expr{}}
	for sq := range p.aggs {
		if c, ok := aggCol(sq); ok {
			ent.aggCols[sq] = c
		}
	}
	sc := &scope{g: g, ent: ent}
	for _, st := range p.apply.Steps {
		if st.Expr == nil || p.level[st.Name] > k {
			continue
		}
		if p.needed[st.Name] && p.level[st.Name] < k {
			ent.features[st.Name] = atom(alias + "." + g.d.Ident("featc_f_"+st.Name))
			continue
		}
		if spineOnly && p.level[st.Name] > 0 {
			continue
		}
		e, err := sc.expr(st.Expr)
		if err != nil {
			return nil, err
		}
		ent.features[st.Name] = Expr{SQL: "(" + e.SQL + ")", Prec: PrecAtom, Size: e.Size}
	}
	return ent.features, nil
}

// relText writes a relation as a FROM item: a table's name, or a parenthesized query.
func (g *gen) relText(r ir.Rel) (string, error) {
	q, err := g.rel(r, nil)
	if err != nil {
		return "", err
	}
	if text, ok := q.simple(g.d); ok {
		return text, nil
	}
	return "(\n" + indent(q.sql(g.d, "")) + "\n)", nil
}

// writeRangeJoin writes the plan: the numbered spine, a CTE per level below the last stage,
// and the last stage's query.
func (g *gen) writeRangeJoin(p *rangePlan, spine string) (string, error) {
	var order []string
	for _, c := range p.apply.Spine.Schema() {
		order = append(order, g.d.Ident(c.Name))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "WITH %s AS (\n  SELECT ROW_NUMBER() OVER (ORDER BY %s) AS %s, %s.*\n  FROM %s AS %s\n)",
		g.d.Ident("featc_numbered"), strings.Join(order, ", "), g.d.Ident("featc_spine_row"), g.d.Ident("spine"), spine, g.d.Ident("spine"))
	base := g.d.Ident("featc_numbered")
	for k := 1; k <= p.stages; k++ {
		text, err := g.writeStage(p, k, base)
		if err != nil {
			return "", err
		}
		if k < p.stages {
			lv := g.d.Ident(fmt.Sprintf("featc_level_%d", k))
			fmt.Fprintf(&b, ",\n%s AS (\n%s\n)", lv, indent(text))
			base = lv
			continue
		}
		b.WriteString("\n" + text)
	}
	return b.String(), nil
}

// aggGroup is one LEFT JOIN of a stage: the aggregates over one source, with its key columns
// and joins (chain.signature), each aggregating over the rows of the stage's base.
type aggGroup struct {
	chain chain
	sig   string
	alias string
	aggs  []string
}

// writeStage writes stage k: the rows of base (the spine, or the previous level) joined to
// each group of this stage's aggregates.
func (g *gen) writeStage(p *rangePlan, k int, base string) (string, error) {
	n := g.d.Ident("n")
	// A frame's conditions read features and inline aggregates of earlier stages, columns
	// of the rows they aggregate over.
	earlier := func(sq *ir.Subquery) (Expr, bool) {
		if fa := p.aggs[sq]; fa.stage < k {
			return atom(g.d.Ident("s") + "." + g.d.Ident(fa.name)), true
		}
		return Expr{}, false
	}
	rowFeatures, err := g.features(p, g.d.Ident("s"), k, earlier, true)
	if err != nil {
		return "", err
	}
	groups, aggCol, err := g.stageGroups(p, k, rowFeatures, earlier)
	if err != nil {
		return "", err
	}
	// This stage's aggregates by their group; earlier ones are columns of base.
	colOf := func(sq *ir.Subquery) (Expr, bool) {
		if c, ok := aggCol[sq]; ok {
			return c, true
		}
		if fa := p.aggs[sq]; fa.stage < k {
			return atom(n + "." + g.d.Ident(fa.name)), true
		}
		return Expr{}, false
	}
	cols, err := g.stageColumns(p, k, aggCol, colOf)
	if err != nil {
		return "", err
	}
	var from strings.Builder
	fmt.Fprintf(&from, "SELECT\n  %s\nFROM %s AS %s", strings.Join(cols, ",\n  "), base, n)
	for _, gr := range groups {
		text, err := g.groupJoin(gr, base, rowFeatures, earlier)
		if err != nil {
			return "", err
		}
		from.WriteString(text)
	}
	return from.String(), nil
}

// stageGroups groups the aggregates of stage k by the source rows they read, and gives each
// its column.
func (g *gen) stageGroups(p *rangePlan, k int, rowFeatures map[string]Expr, earlier func(*ir.Subquery) (Expr, bool)) ([]*aggGroup, map[*ir.Subquery]Expr, error) {
	var groups []*aggGroup
	aggCol := map[*ir.Subquery]Expr{}
	for _, sq := range p.order {
		fa := p.aggs[sq]
		if fa.stage != k {
			continue
		}
		var gr *aggGroup
		sig := fa.chain.signature()
		for _, x := range groups {
			if x.sig == sig {
				gr = x
			}
		}
		if gr == nil {
			alias := fmt.Sprintf("featc_agg_%d", len(groups)+1)
			if p.stages > 1 {
				alias = fmt.Sprintf("featc_agg_%d_%d", k, len(groups)+1)
			}
			gr = &aggGroup{chain: fa.chain, sig: sig, alias: g.d.Ident(alias)}
			groups = append(groups, gr)
		}
		e, err := g.conditionalAgg(fa.chain.agg, fa.chain, fa.feature, rowFeatures, earlier)
		if err != nil {
			return nil, nil, err
		}
		gr.aggs = append(gr.aggs, e.SQL+" AS "+g.d.Ident(fa.name))
		aggCol[sq] = atom(gr.alias + "." + g.d.Ident(fa.name))
	}
	return groups, aggCol, nil
}

// stageColumns lists what stage k selects: below the last stage, a level (the rows of base
// with this stage's aggregates and the features that later frames read); at the last, the
// spine's columns and the block's features.
func (g *gen) stageColumns(p *rangePlan, k int, aggCol map[*ir.Subquery]Expr, colOf func(*ir.Subquery) (Expr, bool)) ([]string, error) {
	n := g.d.Ident("n")
	fs, err := g.features(p, n, k, colOf, false)
	if err != nil {
		return nil, err
	}
	var cols []string
	if k < p.stages {
		cols = append(cols, n+".*")
		for _, sq := range p.order {
			if fa := p.aggs[sq]; fa.stage == k {
				cols = append(cols, aggCol[sq].SQL+" AS "+g.d.Ident(fa.name))
			}
		}
		for _, st := range p.apply.Steps {
			if st.Expr != nil && p.needed[st.Name] && p.level[st.Name] == k {
				cols = append(cols, fs[st.Name].SQL+" AS "+g.d.Ident("featc_f_"+st.Name))
			}
		}
		return cols, nil
	}
	for _, c := range p.apply.Spine.Schema() {
		cols = append(cols, n+"."+g.d.Ident(c.Name))
	}
	for _, f := range p.apply.Features {
		cols = append(cols, fs[f.Name].SQL+" AS "+g.d.Ident(f.Name))
	}
	return cols, nil
}

// groupJoin writes one group's LEFT JOIN: the spine rows of base joined to the source's rows
// of their entity (and the frame's own joins), aggregated per spine row.
func (g *gen) groupJoin(gr *aggGroup, base string, rowFeatures map[string]Expr, earlier func(*ir.Subquery) (Expr, bool)) (string, error) {
	n, rowID := g.d.Ident("n"), g.d.Ident("featc_spine_row")
	srcText, err := g.relText(gr.chain.scan)
	if err != nil {
		return "", err
	}
	var on []string
	for _, key := range gr.chain.keys {
		on = append(on, g.d.Ident("e")+"."+g.d.Ident(key[0])+" = "+g.d.Ident("s")+"."+g.d.Ident(key[1]))
	}
	if len(on) == 0 {
		// A frame of every entity: each spine row joins all its rows, marked present.
		g.joinCrosses = true
		src := g.d.Ident("featc_source")
		srcText = fmt.Sprintf("(SELECT TRUE AS %s, %s.* FROM %s AS %s)", g.d.Ident("featc_present"), src, srcText, src)
		on = []string{"TRUE"}
	}
	joins, err := g.frameJoins(gr.chain, rowFeatures, earlier)
	if err != nil {
		return "", err
	}
	sel := append([]string{g.d.Ident("s") + "." + rowID}, gr.aggs...)
	if gr.chain.rank != nil {
		rows, err := g.ranked(gr.chain, base, srcText, strings.Join(on, " AND "), rowFeatures, earlier)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("\nLEFT JOIN (\n  SELECT\n    %s\n  FROM %s AS %s\n  GROUP BY %s.%s\n) AS %s ON %s.%s = %s.%s",
			strings.Join(sel, ",\n    "), strings.TrimPrefix(indent(rows), "  "), g.d.Ident("s"), g.d.Ident("s"), rowID, gr.alias, gr.alias, rowID, n, rowID), nil
	}
	return fmt.Sprintf("\nLEFT JOIN (\n  SELECT\n    %s\n  FROM %s AS %s\n  LEFT JOIN %s AS %s ON %s%s\n  GROUP BY %s.%s\n) AS %s ON %s.%s = %s.%s",
		strings.Join(sel, ",\n    "), base, g.d.Ident("s"), srcText, g.d.Ident("e"), strings.Join(on, " AND "), joins,
		g.d.Ident("s"), rowID, gr.alias, gr.alias, rowID, n, rowID), nil
}

// frameJoins writes the joins of a frame with other relations, numbered from the top of the
// frame down: the lowest is joined first.
func (g *gen) frameJoins(c chain, rowFeatures map[string]Expr, earlier func(*ir.Subquery) (Expr, bool)) (string, error) {
	joins := ""
	rowScope := g.chainRow(c, rowFeatures, earlier)
	for i := len(c.joins) - 1; i >= 0; i-- {
		j := c.joins[i]
		text, err := g.relText(j.right)
		if err != nil {
			return "", err
		}
		jon, err := g.joinOn(rowScope, i, j)
		if err != nil {
			return "", err
		}
		alias := g.joinAlias(i)
		for _, k := range j.entity {
			jon = append(jon, alias+"."+g.d.Ident(k[0])+" = "+g.d.Ident("s")+"."+g.d.Ident(k[1]))
		}
		for _, p := range j.preds {
			// The right frame's filters, over its columns and the spine row.
			rs := &scope{g: g, cols: map[string]qcol{}, ent: rowScope.ent}
			for _, f := range j.right.Schema() {
				rs.cols[f.Name] = qcol{name: f.Name, typ: f.Type, expr: atom(alias + "." + g.d.Ident(f.Name))}
			}
			w, err := rs.expr(p)
			if err != nil {
				return "", err
			}
			jon = append(jon, "("+w.SQL+")")
		}
		joins += fmt.Sprintf("\n  LEFT JOIN %s AS %s ON %s", text, alias, strings.Join(jon, " AND "))
	}
	return joins, nil
}

// chain is a frame of an entity block resolved to its source: the scan, the key equalities
// (source column = spine column), the other filters and the aggregate over the frame, all
// over the source's columns.
type chain struct {
	scan  *ir.Scan
	keys  [][2]string
	preds []ir.Expr
	agg   ir.Expr
	joins []frameJoin
	rank  *frameRank
	// projected is set when a projection was crossed (its columns were substituted).
	projected bool
}

// frameRank is a frame's sort and limit: the rows that pass the filters below it (below, over
// the source's columns) are numbered per spine row in the sort's order, then its tie-break (the
// frame's other columns, docs/semantics.md), and those numbered offset+1 to offset+n kept.
//
// It also holds the frame's window functions (a projection computing columns with .over()):
// computed over the same numbered rows, per spine row, over the frame's rows at that point
// (frameCols: its columns, over the source's, in schema order, which break the windows' ties);
// node is then nil (no limit).
type frameRank struct {
	node      *ir.Limit
	keys      []ir.SortKey
	below     []ir.Expr
	n, offset int64
	windows   []frameWindow
	frameCols []ir.NamedExpr
}

// frameWindow is a window function of a frame, read above it as column name.
type frameWindow struct {
	name string
	w    *ir.Window
}

// filter adds a filter of the frame: below its limit, one that decides which rows are ranked.
func (c *chain) filter(p ir.Expr) {
	if c.rank != nil {
		c.rank.below = append(c.rank.below, p)
		return
	}
	c.preds = append(c.preds, p)
}

// subst rewrites every expression of a chain over a relation's columns into expressions over
// its input (by).
func (c *chain) subst(by map[string]ir.Expr) {
	memo := map[ir.Expr]ir.Expr{}
	for i, p := range c.preds {
		c.preds[i] = ir.SubstCols(p, by, memo)
	}
	for _, j := range c.joins {
		for i, k := range j.leftKeys {
			j.leftKeys[i] = ir.SubstCols(k, by, memo)
		}
	}
	if r := c.rank; r != nil {
		for i, p := range r.below {
			r.below[i] = ir.SubstCols(p, by, memo)
		}
		for i, k := range r.keys {
			r.keys[i].Expr = ir.SubstCols(k.Expr, by, memo)
		}
		for i, fc := range r.frameCols {
			r.frameCols[i].Expr = ir.SubstCols(fc.Expr, by, memo)
		}
	}
	c.agg = ir.SubstCols(c.agg, by, memo)
}

// exprs lists every expression of a chain.
func (c chain) exprs() []ir.Expr {
	out := append([]ir.Expr{c.agg}, c.preds...)
	for _, j := range c.joins {
		out = append(out, j.leftKeys...)
		out = append(out, j.preds...)
	}
	if r := c.rank; r != nil {
		out = append(out, r.below...)
		for _, k := range r.keys {
			out = append(out, k.Expr)
		}
		for _, fc := range r.frameCols {
			out = append(out, fc.Expr)
		}
		for _, w := range r.windows {
			out = append(out, w.w.Args...)
			out = append(out, w.w.Partition...)
			for _, k := range w.w.OrderBy {
				out = append(out, k.Expr)
			}
		}
	}
	return out
}

// features returns the names of the block's features a chain reads (in its filters, join keys
// and aggregate).
func (c chain) features() map[string]bool {
	out := map[string]bool{}
	for _, e := range c.exprs() {
		ir.WalkExpr(e, func(x ir.Expr) bool {
			if r, ok := x.(*ir.LocalRef); ok {
				out[r.Name] = true
			}
			return true
		})
	}
	return out
}

// subqueries returns the frame aggregates written inline in a chain (in its filters, join keys
// and aggregate), in order of appearance.
func (c chain) subqueries() []*ir.Subquery {
	var out []*ir.Subquery
	for _, e := range c.exprs() {
		ir.WalkExpr(e, func(x ir.Expr) bool {
			if sq, ok := x.(*ir.Subquery); ok {
				out = append(out, sq)
				return false
			}
			return true
		})
	}
	return out
}

// frameJoin is a join of a frame with a relation that does not depend on the entity: its
// columns are read as featc_jN_NAME (N = index+1), and an inner join adds the key equality
// (over the source's columns) to the frame's conditions.
//
// The right side may also be a frame of the entity (filters of one source by the entity key):
// entity holds its key columns (right column, spine column) and preds its other filters, over
// its columns; both restrict the joined rows in the join's ON.
type frameJoin struct {
	right     ir.Rel
	inner     bool
	leftKeys  []ir.Expr // over the source's columns, like preds
	rightKeys []string
	entity    [][2]string
	preds     []ir.Expr
}

// joinCol names column name of a chain's join i in the aggregates and filters above it.
func joinCol(i int, name string) string { return fmt.Sprintf("featc_j%d_%s", i+1, name) }

// signature identifies the source, keys and joins of a chain: chains that share it aggregate
// over the same joined rows.
func (c chain) signature() string {
	sig := c.scan.Source + fmt.Sprint(c.keys)
	for _, j := range c.joins {
		sig += fmt.Sprintf("|%p%v%v%v%v%v", j.right, j.inner, j.rightKeys, j.leftKeys, j.entity, j.preds)
	}
	if c.rank != nil {
		sig += fmt.Sprintf("|rank%p%v", c.rank.node, c.rank.below)
		for _, w := range c.rank.windows {
			sig += fmt.Sprintf("|%s%p", w.name, w.w)
		}
	}
	return sig
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
						c.filter(conj)
					}
				}
				r = x.Input
				continue
			}
			c.filter(x.Pred)
			r = x.Input
		case *ir.Project:
			// What reads the projection's columns reads their expressions over its input;
			// window functions become columns of the numbered rows (frameRank).
			by := make(map[string]ir.Expr, len(x.Cols))
			var wins *frameRank
			for _, pc := range x.Cols {
				if readsFrameAgg(pc.Expr) {
					return c, "one of its frames computes column " + pc.Name + " from an aggregate"
				}
				if ir.ContainsWindow(pc.Expr) {
					switch {
					case c.rank != nil && c.rank.node == nil:
						return c, "one of its frames computes window functions over the results of window functions"
					case c.rank != nil:
						return c, "one of its frames computes a window function over rows it then limits"
					case len(c.joins) > 0:
						return c, "one of its frames computes a window function and joins"
					}
					if wins == nil {
						wins = &frameRank{}
						for _, f := range x.Input.Schema() {
							wins.frameCols = append(wins.frameCols, ir.NamedExpr{Name: f.Name, Expr: &ir.Col{Name: f.Name, T: f.Type}})
						}
					}
					// (A window of a window is rejected by the checker, E0504.)
					by[pc.Name] = replaceWindows(pc.Expr, func(w *ir.Window) ir.Expr {
						name := fmt.Sprintf("featc_w%d", len(wins.windows)+1)
						wins.windows = append(wins.windows, frameWindow{name: name, w: w})
						return &ir.Col{Name: name, T: w.T}
					})
					continue
				}
				by[pc.Name] = pc.Expr
			}
			c.subst(by)
			if wins != nil {
				c.rank = wins
			}
			c.projected = true
			r = x.Input
		case *ir.Join:
			// The frame (left) joined with a relation read whole (right).
			if x.Kind != ir.InnerJoin && x.Kind != ir.LeftJoin {
				return c, "one of its frames is a " + x.Kind.String() + " join"
			}
			var rightFrame chain
			if !entityFree(x.Right) {
				// A frame of the entity on the right: filters of one source by the key.
				rc, why := resolveChain(x.Right, locals, &ir.Lit{Value: types.Int64Value(0)})
				if why != "" || len(rc.keys) == 0 || len(rc.joins) > 0 || rc.rank != nil || rc.projected || !plainColumns(x.Right, rc.scan) {
					return c, "one of its frames joins two frames of the entity, the second not filters of a source by the key"
				}
				rightFrame = rc
			}
			if c.rank != nil {
				return c, "one of its frames joins and limits rows"
			}
			i := len(c.joins)
			rightTypes := map[string]types.Type{}
			for _, f := range x.Right.Schema() {
				rightTypes[f.Name] = f.Type
			}
			leftTypes := map[string]types.Type{}
			for _, f := range x.Left.Schema() {
				leftTypes[f.Name] = f.Type
			}
			by := map[string]ir.Expr{}
			for _, jc := range x.Cols {
				switch jc.Side {
				case ir.LeftSide:
					by[jc.Out] = &ir.Col{Name: jc.Name, T: jc.T}
				case ir.RightSide:
					by[jc.Out] = &ir.Col{Name: joinCol(i, jc.Name), T: jc.T}
				default:
					return c, "one of its frames is a full join"
				}
			}
			c.subst(by)
			j := frameJoin{right: x.Right, inner: x.Kind == ir.InnerJoin, rightKeys: x.RightKeys}
			if rightFrame.scan != nil {
				j.right, j.entity, j.preds = rightFrame.scan, rightFrame.keys, rightFrame.preds
			}
			for _, k := range x.LeftKeys {
				j.leftKeys = append(j.leftKeys, &ir.Col{Name: k, T: leftTypes[k]})
			}
			c.joins = append(c.joins, j)
			r = x.Left
		case *ir.Limit:
			srt, ok := x.Input.(*ir.Sort)
			switch {
			case !ok:
				return c, "one of its frames limits rows it has not sorted"
			case c.rank != nil && c.rank.node == nil:
				return c, "one of its frames computes a window function over limited rows"
			case c.rank != nil:
				return c, "one of its frames limits rows twice"
			case len(c.joins) > 0:
				return c, "one of its frames joins and limits rows"
			}
			rk := &frameRank{node: x, n: x.N, offset: x.Offset}
			keyed := map[string]bool{}
			for _, k := range srt.Keys {
				rk.keys = append(rk.keys, k)
				if col, ok := k.Expr.(*ir.Col); ok {
					keyed[col.Name] = true
				}
			}
			for _, f := range srt.Input.Schema() { // the tie-break
				if !keyed[f.Name] {
					rk.keys = append(rk.keys, ir.SortKey{Expr: &ir.Col{Name: f.Name, T: f.Type}})
				}
			}
			c.rank = rk
			r = srt.Input
		case *ir.LocalFrame:
			next, ok := locals[x.Name]
			if !ok {
				return c, "frame " + x.Name + " is not of the block"
			}
			r = next
		case *ir.Scan:
			c.scan = x // without keys: a frame of every entity's rows (a market index, a calendar)
			return c, ""
		default:
			return c, "one of its frames is not filters over a source"
		}
	}
	return c, "its frames nest too deeply"
}

// plainColumns reports whether a frame's columns are columns of its source, by the same names
// (with no projection crossed, they hold the source's values).
func plainColumns(r ir.Rel, scan *ir.Scan) bool {
	for _, f := range r.Schema() {
		if g, ok := scan.Cols.Lookup(f.Name); !ok || g.Type != f.Type {
			return false
		}
	}
	return true
}

// entityFree reports whether a relation reads nothing of the entity (no local frame, spine,
// outer value or feature), so that it can be joined whole to every spine row's frame.
func entityFree(r ir.Rel) bool {
	free := true
	exprFree := func(e ir.Expr) {
		ir.WalkExpr(e, func(x ir.Expr) bool {
			switch x.(type) {
			case *ir.Outer, *ir.LocalRef, *ir.Subquery:
				free = false
			}
			return free
		})
	}
	var walk func(r ir.Rel)
	walk = func(r ir.Rel) {
		switch x := r.(type) {
		case *ir.Scan, *ir.DefRef:
		case *ir.Filter:
			exprFree(x.Pred)
		case *ir.Project:
			for _, c := range x.Cols {
				exprFree(c.Expr)
			}
		case *ir.Aggregate:
			for _, c := range append(append([]ir.NamedExpr{}, x.Keys...), x.Aggs...) {
				exprFree(c.Expr)
			}
		case *ir.Join, *ir.Distinct, *ir.Limit:
		case *ir.Sort:
			for _, k := range x.Keys {
				exprFree(k.Expr)
			}
		default:
			free = false
		}
		if free {
			for _, in := range r.Inputs() {
				walk(in)
			}
		}
	}
	walk(r)
	return free
}

// replaceWindows rebuilds e with each window function replaced by repl's expression.
func replaceWindows(e ir.Expr, repl func(*ir.Window) ir.Expr) ir.Expr {
	switch x := e.(type) {
	case *ir.Window:
		return repl(x)
	case *ir.Call:
		c := *x
		c.Args = make([]ir.Expr, len(x.Args))
		for i, a := range x.Args {
			c.Args[i] = replaceWindows(a, repl)
		}
		return &c
	case *ir.Cast:
		c := *x
		c.X = replaceWindows(x.X, repl)
		return &c
	}
	return e
}

// readsFrameAgg reports whether e reads an aggregate of a frame (not a window's own).
func readsFrameAgg(e ir.Expr) bool {
	found := false
	ir.WalkExpr(e, func(x ir.Expr) bool {
		switch x.(type) {
		case *ir.Window:
			return false
		case *ir.Subquery, *ir.Agg:
			found = true
		}
		return !found
	})
	return found
}

// chainRow is the scope of one joined row of a chain: the source's columns (alias e) and each
// join's columns (alias featc_jN, read as featc_jN_NAME).
func (g *gen) chainRow(c chain, features map[string]Expr, earlier func(*ir.Subquery) (Expr, bool)) *scope {
	return g.chainScope(c, features, earlier, false)
}

// rankedCol names a source column in the numbered rows of a ranked chain.
func rankedCol(name string) string { return "featc_e_" + name }

// chainScope is chainRow over the joined rows (wrapped: over the numbered rows of a ranked
// chain, whose source columns are s.featc_e_NAME).
func (g *gen) chainScope(c chain, features map[string]Expr, earlier func(*ir.Subquery) (Expr, bool), wrapped bool) *scope {
	aggCols := map[*ir.Subquery]Expr{}
	for _, sq := range c.subqueries() {
		if col, ok := earlier(sq); ok {
			aggCols[sq] = col
		}
	}
	row := &scope{g: g, cols: map[string]qcol{}, ent: &entityScope{alias: g.d.Ident("s"), features: features, aggCols: aggCols}}
	for _, f := range c.scan.Cols {
		col := atom(g.d.Ident("e") + "." + g.d.Ident(f.Name))
		if wrapped {
			col = atom(g.d.Ident("s") + "." + g.d.Ident(rankedCol(f.Name)))
		}
		row.cols[f.Name] = qcol{name: f.Name, typ: f.Type, expr: col}
		row.order = append(row.order, f.Name)
	}
	if wrapped {
		for _, w := range c.rank.windows {
			row.cols[w.name] = qcol{name: w.name, typ: w.w.T, expr: atom(g.d.Ident("s") + "." + g.d.Ident(w.name))}
		}
	}
	for i, j := range c.joins {
		alias := g.joinAlias(i)
		for _, f := range j.right.Schema() {
			name := joinCol(i, f.Name)
			row.cols[name] = qcol{name: name, typ: f.Type, expr: atom(alias + "." + g.d.Ident(f.Name))}
			row.order = append(row.order, name)
		}
	}
	return row
}

// joinAlias names the relation of a chain's join i.
func (g *gen) joinAlias(i int) string { return g.d.Ident(fmt.Sprintf("featc_j%d", i+1)) }

// conditions writes filters over a joined row, each in parentheses.
func conditions(row *scope, preds []ir.Expr) ([]string, error) {
	var out []string
	for _, p := range preds {
		w, err := row.expr(p)
		if err != nil {
			return nil, err
		}
		out = append(out, "("+w.SQL+")")
	}
	return out, nil
}

// joinOn writes the key equalities of a chain's join i over a joined row.
func (g *gen) joinOn(row *scope, i int, j frameJoin) ([]string, error) {
	var on []string
	for k, lk := range j.leftKeys {
		l, err := row.expr(lk)
		if err != nil {
			return nil, err
		}
		on = append(on, "("+l.SQL+") = "+g.joinAlias(i)+"."+g.d.Ident(j.rightKeys[k]))
	}
	return on, nil
}

// present writes the condition that a joined row is one of the source's (a spine row joined to
// none has one row of nulls): its first key, or the marker of a frame without keys, not null.
func (g *gen) present(c chain, wrapped bool) string {
	col := "featc_present"
	if len(c.keys) > 0 {
		col = c.keys[0][0]
	}
	if wrapped {
		return g.d.Ident("s") + "." + g.d.Ident(rankedCol(col)) + " IS NOT NULL"
	}
	return g.d.Ident("e") + "." + g.d.Ident(col) + " IS NOT NULL"
}

// ranked writes the rows a ranked chain aggregates: the joined rows with the source's columns
// renamed (featc_e_NAME) and numbered per spine row (featc_rn), the frame's rows before the
// limit first, in the sort's order.
func (g *gen) ranked(c chain, base, src, on string, features map[string]Expr, earlier func(*ir.Subquery) (Expr, bool)) (string, error) {
	row := g.chainScope(c, features, earlier, false)
	conds := []string{g.present(c, false)}
	below, err := conditions(row, c.rank.below)
	if err != nil {
		return "", err
	}
	conds = append(conds, below...)
	inFrame := "CASE WHEN " + strings.Join(conds, " AND ") + " THEN 0 ELSE 1 END"
	order := []string{inFrame}
	for _, k := range c.rank.keys {
		w, err := row.expr(k.Expr)
		if err != nil {
			return "", err
		}
		if w.Const {
			continue
		}
		order = append(order, g.orderItem(w, k.Expr.Type(), k.Descending, k.NullsLast))
	}
	cols := []string{g.d.Ident("s") + ".*"}
	names := []string{}
	for _, f := range c.scan.Cols {
		names = append(names, f.Name)
	}
	if len(c.keys) == 0 {
		names = append(names, "featc_present")
	}
	for _, n := range names {
		cols = append(cols, g.d.Ident("e")+"."+g.d.Ident(n)+" AS "+g.d.Ident(rankedCol(n)))
	}
	if c.rank.node != nil {
		cols = append(cols, fmt.Sprintf("ROW_NUMBER() OVER (PARTITION BY %s.%s ORDER BY %s) AS %s",
			g.d.Ident("s"), g.d.Ident("featc_spine_row"), strings.Join(order, ", "), g.d.Ident("featc_rn")))
	}
	if len(c.rank.windows) > 0 {
		// The windows see the frame's columns (their tie-break, in schema order), partitioned
		// by the spine row and whether the row is the frame's, before their own partitions.
		ws := &scope{g: g, cols: map[string]qcol{}, ent: row.ent}
		for _, fc := range c.rank.frameCols {
			x, err := row.expr(fc.Expr)
			if err != nil {
				return "", err
			}
			ws.cols[fc.Name] = qcol{name: fc.Name, typ: fc.Expr.Type(), expr: x}
			ws.order = append(ws.order, fc.Name)
		}
		ws.cols["featc_spine_row"] = qcol{name: "featc_spine_row", typ: types.Int64T, expr: atom(g.d.Ident("s") + "." + g.d.Ident("featc_spine_row"))}
		ws.cols["featc_in_frame"] = qcol{name: "featc_in_frame", typ: types.Int64T, expr: Expr{SQL: inFrame, Prec: PrecAtom, Size: 1}}
		for _, fw := range c.rank.windows {
			w := *fw.w
			w.Partition = append([]ir.Expr{&ir.Col{Name: "featc_spine_row", T: types.Int64T}, &ir.Col{Name: "featc_in_frame", T: types.Int64T}}, fw.w.Partition...)
			x, err := ws.window(&w)
			if err != nil {
				return "", err
			}
			cols = append(cols, x.SQL+" AS "+g.d.Ident(fw.name))
		}
	}
	return fmt.Sprintf("(\n  SELECT\n    %s\n  FROM %s AS %s\n  LEFT JOIN %s AS %s ON %s\n)", strings.Join(cols, ",\n    "),
		base, g.d.Ident("s"), src, g.d.Ident("e"), on), nil
}

// conditionalAgg writes an aggregate expression over the joined rows of one spine row, each
// aggregate's arguments wrapped in CASE WHEN (the frame's filters) THEN … END.
func (g *gen) conditionalAgg(e ir.Expr, c chain, feature string, features map[string]Expr, earlier func(*ir.Subquery) (Expr, bool)) (Expr, error) {
	row := g.chainScope(c, features, earlier, c.rank != nil)
	conds := []string{g.present(c, c.rank != nil)}
	if rk := c.rank; rk != nil {
		// The ranked rows kept: those passing the filters below the limit, numbered in range.
		below, err := conditions(row, rk.below)
		if err != nil {
			return Expr{}, err
		}
		conds = append(conds, below...)
		if rk.node != nil {
			rn := g.d.Ident("s") + "." + g.d.Ident("featc_rn")
			conds = append(conds, fmt.Sprintf("%s > %d AND %s <= %d", rn, rk.offset, rn, rk.offset+rk.n))
		}
	}
	for i, j := range c.joins {
		if !j.inner {
			continue // a left join keeps the frame's rows without a match, as SQL's does
		}
		on, err := g.joinOn(row, i, j)
		if err != nil {
			return Expr{}, err
		}
		conds = append(conds, on...)
	}
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
		agg.cols[name] = qcol{name: name, typ: t, expr: Expr{SQL: "CASE WHEN " + cond + " THEN " + sql + " END", Prec: PrecAtom, Size: 1}}
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
		case *ir.Lit, *ir.ParamRef, *ir.LetRef:
			return x
		case *ir.Outer, *ir.LocalRef, *ir.Subquery:
			// A value of the spine row outside the aggregates: the grouped query cannot read it.
			rerr = &Error{Dialect: g.d.Name, Construct: "feature " + feature + " of " + g.def.Name, Span: g.def.Sp, Link: g.d.Caps.EntityDocs,
				Reason: "its frame's aggregate combines an aggregate with a value of the spine row or another feature outside it; compute the aggregate as a feature of its own and combine the features"}
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
		if a.Func.Name == "n_unique" {
			// Null counts as a value, but the joined rows outside the frame are null too: the
			// template reads which of the frame's rows hold a null from a second argument.
			w, err := row.expr(a.Args[0])
			if err != nil {
				rerr = err
				return x
			}
			na.Args = []ir.Expr{fake(w.SQL, a.Args[0].Type()), fake("CASE WHEN "+Paren(w)+" IS NULL THEN 1 ELSE 0 END", types.Int64T)}
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
