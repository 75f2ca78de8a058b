package sqlgen

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/featc/featc/ir"
	"github.com/featc/featc/types"
)

// query is one SELECT being built. Relational operators are folded into the query below them
// while SQL's clause order allows it (a filter becomes WHERE or HAVING, a projection replaces
// the select list with the expressions written over the same FROM, an aggregation adds GROUP
// BY, …) and wrap it in a subquery only where it does not, so that a chain of operations
// becomes one SELECT, not one level each.
type query struct {
	from     from // the FROM clause's items, or none
	where    []string
	groupBy  []string
	grouped  bool
	having   []string
	orderBy  []string
	limit    int64 // -1: none
	offset   int64
	distinct bool
	cols     []qcol
	// name is what the query computes, for the alias of a subquery wrapping it.
	name string
	// fence keeps the engine from merging the query into the one reading it (Caps.Fence): a
	// stage of a deep expression (stage) would become the whole expression again.
	fence bool
}

// qcol is an output column: its name and its expression over the FROM item.
type qcol struct {
	name   string
	typ    types.Type
	expr   Expr
	window bool // holds a window function
	agg    bool // holds an aggregate
}

func (q *query) col(name string) (qcol, bool) {
	for _, c := range q.cols {
		if c.name == name {
			return c, true
		}
	}
	return qcol{}, false
}

// scope returns the scope of expressions written over the query's output, folded into it.
func (q *query) scope(g *gen, ent *entityScope) *scope {
	s := &scope{g: g, cols: make(map[string]qcol, len(q.cols)), ent: ent}
	for _, c := range q.cols {
		s.cols[c.name] = c
		s.order = append(s.order, c.name)
	}
	return s
}

// simple reports whether the query only reads one relation's columns under their own names,
// so that it can stand for that relation by name.
func (q *query) simple(d *Dialect) (string, bool) {
	if len(q.where)+len(q.groupBy)+len(q.having)+len(q.orderBy) > 0 || q.grouped || q.limit >= 0 || q.distinct {
		return "", false
	}
	if len(q.from) != 1 || q.from[0].sub != nil || q.from[0].union != nil || strings.ContainsAny(q.from[0].text, " (\n") {
		return "", false
	}
	for _, c := range q.cols {
		if c.expr.SQL != d.Ident(c.name) {
			return "", false
		}
	}
	return q.from[0].text, true
}

// from is a FROM clause: text and subqueries, rendered once, with their indentation, when
// the statement is written (building the text of a subquery into its reader at each level
// would copy it once per level).
type from []fpart

type fpart struct {
	text  string
	sub   *query
	union []*query
}

func txt(s string) fpart            { return fpart{text: s} }
func subq(q *query) fpart           { return fpart{sub: q} }
func fromText(s string) from        { return from{txt(s)} }
func (f from) then(p ...fpart) from { return append(append(from{}, f...), p...) }

// wrap makes the query a subquery of a new one that reads its columns by name.
func (g *gen) wrap(q *query) *query {
	alias := q.name
	if alias == "" {
		alias = "input"
	}
	out := &query{from: from{subq(q), txt(" AS " + g.d.Ident(alias))}, limit: -1, name: q.name}
	for _, c := range q.cols {
		out.cols = append(out.cols, qcol{name: c.name, typ: c.typ, expr: atom(g.d.Ident(c.name))})
	}
	return out
}

// table makes a query reading the named columns of a relation.
func (g *gen) table(item string, cols ir.Schema, name string) *query {
	q := &query{from: fromText(item), limit: -1, name: name}
	for _, c := range cols {
		q.cols = append(q.cols, qcol{name: c.Name, typ: c.Type, expr: atom(g.d.Ident(c.Name))})
	}
	return q
}

// sql renders the query.
func (q *query) sql(d *Dialect, _ string) string {
	var b strings.Builder
	q.write(&b, d, "")
	return b.String()
}

// write renders the query, each line after the first indented by ind.
func (q *query) write(b *strings.Builder, d *Dialect, ind string) {
	nl := "\n" + ind
	put := func(s string) {
		if strings.IndexByte(s, '\n') >= 0 {
			s = strings.ReplaceAll(s, "\n", nl)
		}
		b.WriteString(s)
	}
	b.WriteString("SELECT")
	if q.distinct {
		b.WriteString(" DISTINCT")
	}
	if len(q.cols) == 0 {
		b.WriteString(" 1")
	}
	for i, c := range q.cols {
		if i > 0 {
			b.WriteString(",")
		}
		if len(q.cols) > 1 {
			b.WriteString(nl + "  ")
		} else {
			b.WriteString(" ")
		}
		put(c.expr.SQL)
		if !namesItself(d, c) {
			b.WriteString(" AS " + d.Ident(c.name))
		}
	}
	if len(q.from) > 0 {
		b.WriteString(nl + "FROM ")
		for _, p := range q.from {
			switch {
			case p.sub != nil:
				b.WriteString("(" + nl + "  ")
				p.sub.write(b, d, ind+"  ")
				b.WriteString(nl + ")")
			case p.union != nil:
				b.WriteString("(" + nl + "  ")
				for i, u := range p.union {
					if i > 0 {
						b.WriteString(nl + "  UNION ALL" + nl + "  ")
					}
					u.write(b, d, ind+"  ")
				}
				b.WriteString(nl + ")")
			default:
				put(p.text)
			}
		}
	}
	if len(q.where) > 0 {
		b.WriteString(nl + "WHERE ")
		put(strings.Join(q.where, "\n  AND "))
	}
	if len(q.groupBy) > 0 {
		b.WriteString(nl + "GROUP BY ")
		put(strings.Join(q.groupBy, ", "))
	}
	if len(q.having) > 0 {
		b.WriteString(nl + "HAVING ")
		put(strings.Join(q.having, "\n  AND "))
	}
	if len(q.orderBy) > 0 {
		b.WriteString(nl + "ORDER BY ")
		put(strings.Join(q.orderBy, ", "))
	}
	if q.limit >= 0 {
		b.WriteString(nl + "LIMIT " + strconv.FormatInt(q.limit, 10))
	}
	if q.offset > 0 {
		b.WriteString(nl + "OFFSET " + strconv.FormatInt(q.offset, 10))
	} else if q.fence && d.Caps.Fence != "" {
		b.WriteString(nl + d.Caps.Fence)
	}
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(s, "\n", "\n  ")
}

// inlineLimit is the size above which an expression read more than once by the next
// operation is computed in a subquery rather than copied into each reader.
const inlineLimit = 12

// rel writes a relation.
func (g *gen) rel(r ir.Rel, ent *entityScope) (*query, error) {
	switch r := r.(type) {
	case *ir.Scan:
		return g.table(g.d.Ident(r.Source), r.Cols, r.Source), nil
	case *ir.DefRef:
		return g.table(g.d.Ident(r.Name), r.Cols, r.Name), nil
	case *ir.LocalFrame:
		if ent == nil {
			return nil, fmt.Errorf("local frame %s outside entity features", r.Name)
		}
		step, ok := ent.locals[r.Name]
		if !ok {
			return nil, fmt.Errorf("local frame %s is not defined", r.Name)
		}
		q, err := g.rel(step, ent)
		if err != nil {
			return nil, err
		}
		q.name = r.Name
		// Keep only the columns the reader needs, in its order.
		if len(r.Cols) != len(q.cols) {
			q = g.selectCols(q, r.Cols)
		}
		return q, nil
	case *ir.Filter:
		return g.filter(r, ent)
	case *ir.Project:
		return g.project(r, ent)
	case *ir.Aggregate:
		return g.aggregate(r, ent)
	case *ir.Sort:
		return g.sort(r, ent)
	case *ir.Limit:
		q, err := g.rel(r.Input, ent)
		if err != nil {
			return nil, err
		}
		if q.limit >= 0 {
			// limit after limit: the rows [offset, offset + n) of the first one's rows.
			n := q.limit - r.Offset
			if n < 0 {
				n = 0
			}
			q.limit = min(n, r.N)
			q.offset += r.Offset
			return q, nil
		}
		if q.distinct && len(q.orderBy) == 0 {
			q = g.wrap(q)
		}
		q.limit, q.offset = r.N, r.Offset
		return q, nil
	case *ir.Distinct:
		q, err := g.rel(r.Input, ent)
		if err != nil {
			return nil, err
		}
		if q.limit >= 0 || q.distinct {
			q = g.wrap(q)
		}
		q.distinct = true
		q.orderBy = nil
		return q, nil
	case *ir.Join:
		return g.join(r, ent)
	case *ir.AsOfJoin:
		return g.asof(r, ent)
	case *ir.Union:
		var parts []*query
		for _, in := range r.Rels {
			q, err := g.rel(in, ent)
			if err != nil {
				return nil, err
			}
			if len(q.orderBy) > 0 || q.limit >= 0 {
				q = g.wrap(q)
			}
			parts = append(parts, q)
		}
		u := &query{from: from{{union: parts}, txt(" AS " + g.d.Ident("union"))}, limit: -1, name: "union"}
		for _, c := range r.Schema() {
			u.cols = append(u.cols, qcol{name: c.Name, typ: c.Type, expr: atom(g.d.Ident(c.Name))})
		}
		return u, nil
	case *ir.EntityApply:
		return g.entity(r)
	}
	return nil, fmt.Errorf("cannot write %T in SQL", r)
}

// selectCols keeps some columns of a query, in the given order.
func (g *gen) selectCols(q *query, cols ir.Schema) *query {
	if q.distinct || q.limit >= 0 {
		q = g.wrap(q)
	}
	var out []qcol
	for _, c := range cols {
		if qc, ok := q.col(c.Name); ok {
			out = append(out, qc)
		}
	}
	q.cols = out
	return q
}

// uses counts the reads of each input column by expressions (shared subexpressions once).
func uses(exprs ...ir.Expr) map[string]int {
	n := map[string]int{}
	for _, e := range exprs {
		ir.WalkExpr(e, func(x ir.Expr) bool {
			if c, ok := x.(*ir.Col); ok {
				n[c.Name]++
			}
			_, sub := x.(*ir.Subquery)
			return !sub
		})
	}
	return n
}

// foldable reports whether expressions reading the query's columns can be written into the
// query itself: no window function may read a window's result, no aggregate an aggregate's,
// and no large expression is copied into several places.
func foldable(cols map[string]qcol, exprs []ir.Expr, addsWindow, addsAgg bool) bool {
	for name, n := range uses(exprs...) {
		c, ok := cols[name]
		if !ok {
			continue
		}
		if c.window && (addsWindow || addsAgg) {
			return false
		}
		if c.agg && addsAgg {
			return false
		}
		if n > 1 && c.expr.Size > inlineLimit {
			return false
		}
	}
	return true
}

func hasWindow(exprs ...ir.Expr) bool {
	for _, e := range exprs {
		if ir.ContainsWindow(e) {
			return true
		}
	}
	return false
}

func hasAgg(exprs ...ir.Expr) bool {
	for _, e := range exprs {
		if ir.ContainsAgg(e) {
			return true
		}
	}
	return false
}

func (g *gen) filter(r *ir.Filter, ent *entityScope) (*query, error) {
	q, err := g.rel(r.Input, ent)
	if err != nil {
		return nil, err
	}
	// A WHERE runs before the SELECT's window functions: where the query computes any, the
	// filter goes around it, or the windows would see only the rows the filter keeps.
	windowed := false
	for _, c := range q.cols {
		windowed = windowed || c.window
	}
	if q.distinct || q.limit >= 0 || windowed || !foldable(q.byName(), []ir.Expr{r.Pred}, true, false) {
		q = g.wrap(q)
	}
	p, err := q.scope(g, ent).expr(r.Pred)
	if err != nil {
		return nil, err
	}
	if q.grouped {
		q.having = append(q.having, p.SQL)
	} else {
		q.where = append(q.where, p.SQL)
	}
	return q, nil
}

// project writes a chain of projections (a features block's dependency levels, or
// with_columns after with_columns) level by level into as few SELECTs as it can: each level's
// new expressions are written over the columns computed so far, and a level starts a new SELECT
// (over the previous one as a subquery) only when its expressions cannot fold into the same
// one. Columns passed through cost nothing, so the work is proportional to the new columns.
func (g *gen) project(r *ir.Project, ent *entityScope) (*query, error) {
	var levels []*ir.Project
	// readsStage marks the levels that read a stage of a deep expression computed below them.
	readsStage := map[*ir.Project]bool{}
	var base ir.Rel = r
	for {
		p, ok := base.(*ir.Project)
		if !ok {
			break
		}
		staged, err := g.stage(p)
		if err != nil {
			return nil, err
		}
		for _, s := range staged[:len(staged)-1] {
			readsStage[s] = true
		}
		levels = append(levels, staged...)
		base = p.Input
	}
	q, err := g.rel(base, ent)
	if err != nil {
		return nil, err
	}
	env := q.byName()
	// materialize makes the columns of a level's input a subquery.
	materialize := func(schema ir.Schema) {
		q.cols = q.cols[:0:0]
		for _, f := range schema {
			q.cols = append(q.cols, env[f.Name])
		}
		q = g.wrap(q)
		env = q.byName()
	}
	for i := len(levels) - 1; i >= 0; i-- {
		lv := levels[i]
		var exprs []ir.Expr
		for _, c := range lv.Cols {
			if _, pass := c.Expr.(*ir.Col); !pass {
				exprs = append(exprs, c.Expr)
			}
		}
		wrapped := g.opts.Flat
		// An ordered window breaks ties by every input column, window columns included, which
		// SQL cannot write inside a window definition: those need the input as a subquery.
		tiesOnWindow := false
		for _, e := range exprs {
			if ir.ContainsOrderedWindow(e) {
				for _, f := range lv.Input.Schema() {
					tiesOnWindow = tiesOnWindow || env[f.Name].window
				}
				break
			}
		}
		if q.distinct || q.limit >= 0 || tiesOnWindow || readsStage[lv] || (!g.opts.Flat && !foldable(env, exprs, hasWindow(exprs...), false)) {
			materialize(lv.Input.Schema())
			wrapped = true
			if readsStage[lv] {
				q.from[0].sub.fence = true
			}
		}
		for {
			s := &scope{g: g, cols: env, ent: ent}
			if hasWindow(exprs...) {
				s.order = lv.Input.Schema().Names()
				// The level's input as a relation of its own, for aggregates by partition.
				snapshot := *q
				schema := lv.Input.Schema()
				s.input = func() *query {
					in := snapshot
					in.cols = nil
					for _, f := range schema {
						in.cols = append(in.cols, env[f.Name])
					}
					return &in
				}
			}
			out := make([]qcol, len(lv.Cols))
			big := false
			for j, c := range lv.Cols {
				if col, pass := c.Expr.(*ir.Col); pass {
					in := env[col.Name]
					in.name = c.Name
					out[j] = in
					continue
				}
				e, err := s.expr(c.Expr)
				if err != nil {
					return nil, err
				}
				big = big || e.Size > foldLimit
				win := ir.ContainsWindow(c.Expr)
				agg := false
				for name := range uses(c.Expr) {
					if in, ok := env[name]; ok {
						win = win || in.window
						agg = agg || in.agg
					}
				}
				out[j] = qcol{name: c.Name, typ: c.Expr.Type(), expr: e, window: win, agg: agg}
			}
			if big && !wrapped {
				// Copying the input's expressions into these would make them too large:
				// read the input's columns from a subquery instead.
				materialize(lv.Input.Schema())
				wrapped = true
				continue
			}
			// The level's columns replace the environment's (the names it keeps or adds).
			for _, c := range out {
				env[c.name] = c
			}
			if i == 0 {
				q.cols = out
			}
			break
		}
	}
	return q, nil
}

// foldLimit is the size (in IR nodes) above which an expression is not built by copying the
// expressions of the columns it reads: chains of features that read features would otherwise
// grow without bound (x2 = x1 + x1, x3 = x2 + x2, …).
const foldLimit = 200

// byName indexes the query's columns by name.
func (q *query) byName() map[string]qcol {
	m := make(map[string]qcol, len(q.cols))
	for _, c := range q.cols {
		m[c.name] = c
	}
	return m
}

func (g *gen) aggregate(r *ir.Aggregate, ent *entityScope) (*query, error) {
	q, err := g.rel(r.Input, ent)
	if err != nil {
		return nil, err
	}
	var exprs []ir.Expr
	for _, k := range r.Keys {
		exprs = append(exprs, k.Expr)
	}
	for _, a := range r.Aggs {
		exprs = append(exprs, a.Expr)
	}
	if q.grouped || q.distinct || q.limit >= 0 || !foldable(q.byName(), exprs, false, true) {
		q = g.wrap(q)
	}
	s := q.scope(g, ent)
	var cols []qcol
	var keys []Expr
	for _, k := range r.Keys {
		e, err := s.expr(k.Expr)
		if err != nil {
			return nil, err
		}
		keys = append(keys, e)
		if e.Const {
			// A literal in GROUP BY is a column position or an error: group by a cast of it.
			q.groupBy = append(q.groupBy, "CAST("+e.SQL+" AS "+g.d.TypeName(k.Expr.Type())+")")
		} else {
			q.groupBy = append(q.groupBy, e.SQL)
		}
		cols = append(cols, qcol{name: k.Name, typ: k.Expr.Type(), expr: e})
	}
	s.keys = keys
	s.inAgg = true
	for _, a := range r.Aggs {
		e, err := s.expr(a.Expr)
		if err != nil {
			return nil, err
		}
		cols = append(cols, qcol{name: a.Name, typ: a.Expr.Type(), expr: e, agg: true})
	}
	q.grouped = true
	q.orderBy = nil
	q.cols = cols
	return q, nil
}

// sortKey writes an expression that a sort or a window partition keys on: a float as a
// computed value where sorting on the column itself would drop the sign of its zeros
// (Caps.SortLosesZeroSign).
func (g *gen) sortKey(e Expr, t types.Type) Expr {
	if g.d.Caps.SortLosesZeroSign && t.Kind == types.Float64 {
		return Expr{SQL: Paren(e) + " + 0.0", Prec: PrecAdd, Size: e.Size + 1}
	}
	return e
}

// orderItem writes one ORDER BY item with its direction and its null order, always explicit.
func (g *gen) orderItem(e Expr, t types.Type, desc, nullsLast bool) string {
	item := Paren(g.sortKey(e, t))
	if t.Kind == types.String {
		item = g.d.collate(e)
	}
	if desc {
		item += " DESC"
	}
	if nullsLast {
		return item + " NULLS LAST"
	}
	return item + " NULLS FIRST"
}

// tieBreak writes the columns that order rows equal in every key: all columns of the input,
// ascending, nulls first (docs/semantics.md).
func (g *gen) tieBreak(s *scope, have []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, h := range have {
		seen[h] = true
	}
	for _, name := range s.order {
		if s.cols[name].expr.Const {
			continue // a constant column orders nothing
		}
		item := g.orderItem(s.cols[name].expr, s.cols[name].typ, false, false)
		if !seen[item] {
			out = append(out, item)
			seen[item] = true
		}
	}
	return out
}

// sortedByUniqueKey reports whether a sort's keys include a unique key of its input (the group
// keys of an aggregation, say): its rows then have no ties, and need no tie-break.
func sortedByUniqueKey(r *ir.Sort) bool {
	key, ok := ir.UniqueKey(r.Input)
	if !ok {
		return false
	}
	sorted := map[string]bool{}
	for _, k := range r.Keys {
		if c, isCol := k.Expr.(*ir.Col); isCol {
			sorted[c.Name] = true
		}
	}
	for _, k := range key {
		if !sorted[k] {
			return false
		}
	}
	return true
}

func (g *gen) sort(r *ir.Sort, ent *entityScope) (*query, error) {
	q, err := g.rel(r.Input, ent)
	if err != nil {
		return nil, err
	}
	var keys []ir.Expr
	plain := true
	for _, k := range r.Keys {
		keys = append(keys, k.Expr)
		if _, ok := k.Expr.(*ir.Col); !ok {
			plain = false
		}
	}
	if q.limit >= 0 || (q.distinct && !plain) || !foldable(q.byName(), keys, false, false) {
		q = g.wrap(q)
	}
	s := q.scope(g, ent)
	var order []string
	for _, k := range r.Keys {
		e, err := s.expr(k.Expr)
		if err != nil {
			return nil, err
		}
		if e.Const {
			continue // a constant orders nothing
		}
		order = append(order, g.orderItem(e, k.Expr.Type(), k.Descending, k.NullsLast))
	}
	q.orderBy = order
	if !sortedByUniqueKey(r) {
		q.orderBy = append(order, g.tieBreak(s, order)...)
	}
	return q, nil
}

// joinSide writes one input of a join as a FROM item with an alias.
func (g *gen) joinSide(q *query, alias string) from {
	if t, ok := q.simple(g.d); ok {
		if t == g.d.Ident(alias) {
			return fromText(t)
		}
		return fromText(t + " AS " + g.d.Ident(alias))
	}
	return from{subq(q), txt(" AS " + g.d.Ident(alias))}
}

// sideNames picks readable aliases for the two inputs of a join.
func sideNames(l, r *query) (string, string) {
	ln, rn := l.name, r.name
	if ln == "" {
		ln = "left"
	}
	if rn == "" {
		rn = "right"
	}
	if ln == rn {
		ln, rn = ln+"_left", rn+"_right"
	}
	return ln, rn
}

func (g *gen) join(r *ir.Join, ent *entityScope) (*query, error) {
	l, err := g.rel(r.Left, ent)
	if err != nil {
		return nil, err
	}
	rq, err := g.rel(r.Right, ent)
	if err != nil {
		return nil, err
	}
	ln, rn := sideNames(l, rq)
	la, ra := g.d.Ident(ln), g.d.Ident(rn)
	var on []string
	for i := range r.LeftKeys {
		on = append(on, la+"."+g.d.Ident(r.LeftKeys[i])+" = "+ra+"."+g.d.Ident(r.RightKeys[i]))
	}
	cond := strings.Join(on, " AND ")
	if cond == "" {
		cond = "TRUE"
	}
	q := &query{limit: -1}
	switch r.Kind {
	case ir.InnerJoin:
		q.from = g.joinSide(l, ln).then(txt("\nJOIN ")).then(g.joinSide(rq, rn)...).then(txt(" ON " + cond))
	case ir.LeftJoin:
		q.from = g.joinSide(l, ln).then(txt("\nLEFT JOIN ")).then(g.joinSide(rq, rn)...).then(txt(" ON " + cond))
	case ir.FullJoin:
		q.from = g.joinSide(l, ln).then(txt("\nFULL JOIN ")).then(g.joinSide(rq, rn)...).then(txt(" ON " + cond))
	case ir.CrossJoin:
		q.from = g.joinSide(l, ln).then(txt("\nCROSS JOIN ")).then(g.joinSide(rq, rn)...)
	case ir.SemiJoin, ir.AntiJoin:
		// Each left row once: EXISTS, never a join that would repeat it per match.
		q.from = g.joinSide(l, ln)
		not := ""
		if r.Kind == ir.AntiJoin {
			not = "NOT "
		}
		side := g.joinSide(rq, rn)
		if len(side) == 1 && side[0].sub == nil {
			q.where = []string{not + "EXISTS (SELECT 1 FROM " + side[0].text + " WHERE " + cond + ")"}
		} else {
			exists := &query{from: side, where: []string{cond}, limit: -1}
			q.where = []string{not + "EXISTS (" + strings.ReplaceAll(exists.sql(g.d, ""), "\n", "\n  ") + ")"}
		}
	default:
		return nil, fmt.Errorf("join kind %s", r.Kind)
	}
	for _, c := range r.Cols {
		var e string
		switch c.Side {
		case ir.LeftSide:
			e = la + "." + g.d.Ident(c.Name)
		case ir.RightSide:
			e = ra + "." + g.d.Ident(c.Name)
		case ir.CoalescedKey:
			e = "COALESCE(" + la + "." + g.d.Ident(c.Name) + ", " + ra + "." + g.d.Ident(c.RightName) + ")"
		}
		q.cols = append(q.cols, qcol{name: c.Out, typ: c.T, expr: Expr{SQL: e, Size: 1}})
	}
	return q, nil
}

// asof writes join_asof. Among right rows with the same key and on value, the rule of
// docs/semantics.md picks the one sorting last by the right frame's other columns (backward)
// or first (forward); the engine-specific forms (DuckDB's ASOF JOIN, Snowflake's
// MATCH_CONDITION) pick arbitrarily among those, so the right side is first reduced to that
// one row per key and on value.
func (g *gen) asof(r *ir.AsOfJoin, ent *entityScope) (*query, error) {
	l, err := g.rel(r.Left, ent)
	if err != nil {
		return nil, err
	}
	rq, err := g.rel(r.Right, ent)
	if err != nil {
		return nil, err
	}
	ln, rn := sideNames(l, rq)
	la, ra := g.d.Ident(ln), g.d.Ident(rn)
	backward := r.Strategy == ir.Backward
	lon, ron := la+"."+g.d.Ident(r.LeftOn), ra+"."+g.d.Ident(r.RightOn)
	var by []string
	for i := range r.LeftBy {
		by = append(by, la+"."+g.d.Ident(r.LeftBy[i])+" = "+ra+"."+g.d.Ident(r.RightBy[i]))
	}
	onField, _ := r.Right.Schema().Lookup(r.RightOn)
	onType := onField.Type
	match := lon + " >= " + ron
	if !backward {
		match = lon + " <= " + ron
	}
	within := ""
	if r.Tolerance > 0 {
		diff := g.distance(atom(lon), atom(ron), onType, backward)
		within = diff + " <= " + strconv.FormatInt(r.Tolerance, 10)
	}
	q := &query{limit: -1}
	switch g.d.Caps.AsOf {
	case AsOfLateral:
		// The nearest row by a correlated, ordered LIMIT 1: ties broken by the other columns.
		rs := rq.scope(g, ent)
		dir := " DESC"
		if !backward {
			dir = ""
		}
		order := []string{ron + dir}
		for _, name := range rs.order {
			order = append(order, g.orderItem(atom(ra+"."+g.d.Ident(name)), rs.cols[name].typ, backward, backward))
		}
		conds := append(append([]string{}, by...), match)
		if within != "" {
			conds = append(conds, within)
		}
		inner := &query{from: g.joinSide(rq, rn), where: conds, orderBy: order, limit: 1}
		for _, c := range rq.cols {
			inner.cols = append(inner.cols, qcol{name: c.name, typ: c.typ, expr: atom(ra + "." + g.d.Ident(c.name))})
		}
		q.from = g.joinSide(l, ln).then(txt("\nLEFT JOIN LATERAL "), subq(inner), txt(" AS "+ra+" ON TRUE"))
	default:
		// One right row per key and on value: the one the rule picks.
		rs := rq.scope(g, ent)
		var part []string
		for _, k := range append(append([]string{}, r.RightBy...), r.RightOn) {
			part = append(part, g.sortKey(atom(g.d.Ident(k)), rs.cols[k].typ).SQL)
		}
		var order []string
		for _, name := range rs.order {
			order = append(order, g.orderItem(atom(g.d.Ident(name)), rs.cols[name].typ, backward, backward))
		}
		w := g.wrap(rq)
		w.cols = append(w.cols, qcol{name: "featc_pick", expr: atom("ROW_NUMBER() OVER (PARTITION BY " + strings.Join(part, ", ") + " ORDER BY " + strings.Join(order, ", ") + ")")})
		dedup := g.wrap(w)
		dedup.where = []string{g.d.Ident("featc_pick") + " = 1"}
		dedup.cols = dedup.cols[:len(dedup.cols)-1]
		dedup.name = rn
		cond := strings.Join(append(by, match), " AND ")
		if g.d.Caps.AsOf == AsOfNative {
			q.from = g.joinSide(l, ln).then(txt("\nASOF LEFT JOIN ")).then(g.joinSide(dedup, rn)...).then(txt(" ON " + cond))
		} else {
			on := strings.Join(by, " AND ")
			q.from = g.joinSide(l, ln).then(txt("\nASOF JOIN ")).then(g.joinSide(dedup, rn)...).then(txt(" MATCH_CONDITION (" + match + ")"))
			if on != "" {
				q.from = q.from.then(txt(" ON " + on))
			}
		}
	}
	for _, c := range r.Cols {
		var e string
		switch c.Side {
		case ir.LeftSide:
			e = la + "." + g.d.Ident(c.Name)
		default:
			e = ra + "." + g.d.Ident(c.Name)
			if within != "" && g.d.Caps.AsOf != AsOfLateral {
				// The nearest row beyond the tolerance is no match.
				e = "CASE WHEN " + within + " THEN " + e + " END"
			}
		}
		q.cols = append(q.cols, qcol{name: c.Out, typ: c.T, expr: Expr{SQL: e, Size: 1}})
	}
	return q, nil
}

// distance writes how far the right on value lies from the left one, in the tolerance's
// units (microseconds for times, days as microseconds for dates).
func (g *gen) distance(l, r Expr, t types.Type, backward bool) string {
	a, b := l, r
	if !backward {
		a, b = r, l
	}
	switch t.Kind {
	case types.Timestamp:
		return "(" + g.d.use(g.d.Helpers.EpochUS(), a).SQL + " - " + g.d.use(g.d.Helpers.EpochUS(), b).SQL + ")"
	case types.Date:
		return "(" + g.d.use(g.d.Helpers.DateDiffDays(), a, b).SQL + " * 86400000000)"
	}
	return "(" + a.SQL + " - " + b.SQL + ")"
}

// namesItself reports whether a select-list expression already carries its column's name: a
// column reference of that name, qualified or not.
func namesItself(d *Dialect, c qcol) bool {
	id := d.Ident(c.name)
	if c.expr.SQL == id {
		return true
	}
	prefix, ok := strings.CutSuffix(c.expr.SQL, "."+id)
	if !ok || len(prefix) < 2 || prefix[0] != '"' || prefix[len(prefix)-1] != '"' {
		return false
	}
	return !strings.Contains(strings.ReplaceAll(prefix[1:len(prefix)-1], `""`, ""), `"`)
}
