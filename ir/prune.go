package ir

import (
	"fmt"
	"sort"
	"strings"

	"github.com/featc/featc/lang"
)

// Output is a requested output: a definition, or some of its columns.
type Output struct {
	Def     string
	Columns []string // empty for every column
}

// ParseOutputs reads --output values: "name" or "name.column" (a column may repeat the name:
// several columns of one definition are several values).
func ParseOutputs(specs []string) []Output {
	var out []Output
	index := map[string]int{}
	whole := map[string]bool{}
	for _, s := range specs {
		name, col, hasCol := strings.Cut(s, ".")
		i, seen := index[name]
		if !seen {
			i = len(out)
			index[name] = i
			out = append(out, Output{Def: name})
		}
		if !hasCol {
			whole[name] = true
			continue
		}
		out[i].Columns = append(out[i].Columns, col)
	}
	for i := range out {
		if whole[out[i].Def] {
			out[i].Columns = nil
		}
	}
	return out
}

// Prune returns the program reduced to what the outputs need: only the definitions they read,
// directly or not, and in each relation only the columns that reach an output (Hamilton's
// projection, down to columns). An output asked for by columns keeps those columns in the order
// asked (entity features also keep their spine's keys and time, which identify each row), and
// keeps the expectations on those columns only.
func Prune(p *Program, outputs []Output) (*Program, lang.Diagnostics) {
	var diags lang.Diagnostics
	pr := &pruner{p: p, needs: map[string]colSet{}, used: map[string]bool{}, localNeeds: map[string]colSet{}}
	for _, o := range outputs {
		d := p.Def(o.Def)
		if d == nil || (d.Kind != FrameDef && d.Kind != FeaturesDef && d.Kind != EntityFeaturesDef && d.Kind != LetDef) {
			msg := fmt.Sprintf("no output named %s", o.Def)
			if d != nil {
				msg = fmt.Sprintf("%s is a %s, not an output: ask for a frame, a features block or a let", o.Def, d.Kind)
			}
			dg := diags.Errorf(lang.EUnknownOutput, lang.Span{}, "%s", msg)
			if s := suggest(o.Def, p.Outputs()); s != "" && d == nil {
				dg.WithHint("did you mean %s?", s)
			} else if d == nil {
				dg.WithHint("the outputs are: %s", strings.Join(p.Outputs(), ", "))
			}
			continue
		}
		if d.Kind == LetDef {
			pr.use(o.Def, nil)
			continue
		}
		for _, c := range o.Columns {
			if d.Schema.Index(c) < 0 {
				dg := diags.Errorf(lang.EUnknownOutput, lang.Span{}, "%s has no column %s", o.Def, c)
				if s := suggest(c, d.Schema.Names()); s != "" {
					dg.WithHint("did you mean %s.%s?", o.Def, s)
				}
			}
		}
		if len(o.Columns) == 0 {
			pr.use(o.Def, nil)
		} else {
			pr.use(o.Def, setOf(outputColumns(d, o.Columns)))
		}
	}
	if diags.HasErrors() {
		return nil, diags
	}
	kept := make([]*Def, 0, len(p.Defs))
	for i := len(p.Defs) - 1; i >= 0; i-- {
		d := p.Defs[i]
		if !pr.used[d.Name] {
			continue
		}
		kept = append(kept, pr.pruneDef(d))
	}
	for i, j := 0, len(kept)-1; i < j; i, j = i+1, j-1 {
		kept[i], kept[j] = kept[j], kept[i]
	}
	// Outputs asked for by column keep only those columns, in the order asked; one that other
	// kept definitions read keeps what they read too, and is cut at the end by every engine.
	readers := map[string]bool{}
	for _, d := range kept {
		for _, dep := range d.Deps {
			readers[dep] = true
		}
	}
	var shown map[string][]string
	for _, o := range outputs {
		if len(o.Columns) == 0 {
			continue
		}
		for i, d := range kept {
			if d.Name != o.Def || d.Rel == nil {
				continue
			}
			if readers[d.Name] {
				if shown == nil {
					shown = map[string][]string{}
				}
				shown[d.Name] = o.Columns
				continue
			}
			nd := *d
			if a, ok := d.Rel.(*EntityApply); ok {
				// Entity features stay an EntityApply (the spine passes through and every
				// engine binds it): only the features asked for, in the order asked.
				na := *a
				na.Features = nil
				for _, c := range o.Columns {
					for _, f := range a.Features {
						if f.Name == c && !hasNamed(na.Features, c) {
							na.Features = append(na.Features, f)
						}
					}
				}
				nd.Rel = &na
			} else {
				var cols []NamedExpr
				for _, c := range outputColumns(d, o.Columns) {
					f, _ := d.Rel.Schema().Lookup(c)
					cols = append(cols, NamedExpr{Name: c, Expr: &Col{Name: c, T: f.Type}})
				}
				proj, err := NewProject(d.Rel, cols, d.Sp)
				if err != nil {
					panic(err) // the columns were checked above
				}
				nd.Rel = proj
			}
			nd.Schema = nd.Rel.Schema()
			nd.Features = keepNames(d.Features, nd.Schema)
			nd.Expects = keepExpects(d.Expects, nd.Schema)
			kept[i] = &nd
		}
	}
	out := NewProgram(p.Mode, p.Modes, p.Lib, kept)
	out.Warnings = p.Warnings
	out.Shown = shown
	return out, diags
}

func hasNamed(list []NamedExpr, name string) bool {
	for _, n := range list {
		if n.Name == name {
			return true
		}
	}
	return false
}

// outputColumns returns the columns asked for, after the spine's keys and time for entity
// features (which identify each row).
func outputColumns(d *Def, asked []string) []string {
	var cols []string
	seen := map[string]bool{}
	if a, ok := d.Rel.(*EntityApply); ok {
		for _, f := range a.Spine.Schema() {
			cols = append(cols, f.Name)
			seen[f.Name] = true
		}
	}
	for _, c := range asked {
		if !seen[c] {
			cols = append(cols, c)
			seen[c] = true
		}
	}
	return cols
}

func keepNames(names []string, s Schema) []string {
	var out []string
	for _, n := range names {
		if s.Index(n) >= 0 {
			out = append(out, n)
		}
	}
	return out
}

// keepExpects keeps the expectations whose columns all survive pruning.
func keepExpects(list []*Expect, s Schema) []*Expect {
	var out []*Expect
	for _, e := range list {
		cols := map[string]bool{}
		ColumnsOf(e.Cond, cols)
		ok := true
		for c := range cols {
			if s.Index(c) < 0 {
				ok = false
			}
		}
		if ok {
			out = append(out, e)
		}
	}
	return out
}

// colSet is a set of column names; nil means every column.
type colSet map[string]bool

func setOf(names []string) colSet {
	s := colSet{}
	for _, n := range names {
		s[n] = true
	}
	return s
}

func (s colSet) has(name string) bool { return s == nil || s[name] }

type pruner struct {
	// limited: see rel.
	limited bool
	p       *Program
	needs   map[string]colSet
	used    map[string]bool
	// localNeeds collects what the features of the entity block being pruned read of its local
	// frames.
	localNeeds map[string]colSet
	// localUsed marks the steps of that block that are needed.
	localUsed map[string]bool
	// refs collects the definitions the definition being pruned reads.
	refs map[string]bool
}

// use records that the named definition is read, for the given columns.
func (pr *pruner) use(name string, cols colSet) {
	if pr.refs != nil {
		pr.refs[name] = true
	}
	prev, seen := pr.needs[name]
	pr.used[name] = true
	switch {
	case !seen:
		if cols == nil {
			pr.needs[name] = nil
		} else {
			pr.needs[name] = union(colSet{}, cols)
		}
	case prev == nil:
	case cols == nil:
		pr.needs[name] = nil
	default:
		for c := range cols {
			prev[c] = true
		}
	}
}

func (pr *pruner) pruneDef(d *Def) *Def {
	need := pr.needs[d.Name]
	nd := *d
	pr.refs = map[string]bool{}
	switch d.Kind {
	case LetDef:
		nd.Expr = pr.expr(d.Expr)
	case FrameDef, FeaturesDef, EntityFeaturesDef:
		nd.Rel = pr.rel(d.Rel, need)
		nd.Schema = nd.Rel.Schema()
		if need != nil {
			nd.Features = keepNames(d.Features, nd.Schema)
			nd.Expects = keepExpects(d.Expects, nd.Schema)
		}
		for i, e := range nd.Expects {
			ne := *e
			ne.Cond = pr.expr(e.Cond)
			nd.Expects[i] = &ne
		}
		if d.Entity != "" {
			pr.use(d.Entity, nil)
		}
	default:
		pr.refs = nil
		return &nd
	}
	// The definitions this one reads, after pruning.
	nd.Deps = nil
	for r := range pr.refs {
		nd.Deps = append(nd.Deps, r)
	}
	sort.Strings(nd.Deps)
	pr.refs = nil
	return &nd
}

// expr returns e with the relations of its subqueries pruned, and records what it reads.
func (pr *pruner) expr(e Expr) Expr {
	switch x := e.(type) {
	case *ParamRef:
		pr.use(x.Name, nil)
	case *LetRef:
		pr.use(x.Name, nil)
	case *LocalRef:
		if pr.localUsed != nil {
			pr.localUsed[x.Name] = true
		}
	case *Subquery:
		return &Subquery{Rel: pr.rel(x.Rel, nil), Sp: x.Sp}
	case *Call:
		args, changed := pr.exprs(x.Args)
		if changed {
			c := *x
			c.Args = args
			return &c
		}
	case *Cast:
		if nx := pr.expr(x.X); nx != x.X {
			return &Cast{X: nx, To: x.To, Sp: x.Sp}
		}
	case *Agg:
		args, ch1 := pr.exprs(x.Args)
		order, ch2 := pr.sortKeys(x.OrderBy)
		if ch1 || ch2 {
			a := *x
			a.Args, a.OrderBy = args, order
			return &a
		}
	case *Window:
		args, ch1 := pr.exprs(x.Args)
		part, ch2 := pr.exprs(x.Partition)
		order, ch3 := pr.sortKeys(x.OrderBy)
		if ch1 || ch2 || ch3 {
			w := *x
			w.Args, w.Partition, w.OrderBy = args, part, order
			return &w
		}
	}
	return e
}

func (pr *pruner) exprs(list []Expr) ([]Expr, bool) {
	var out []Expr
	for i, e := range list {
		ne := pr.expr(e)
		if ne != e && out == nil {
			out = append([]Expr{}, list...)
		}
		if out != nil {
			out[i] = ne
		}
	}
	if out == nil {
		return list, false
	}
	return out, true
}

func (pr *pruner) sortKeys(keys []SortKey) ([]SortKey, bool) {
	var out []SortKey
	for i, k := range keys {
		ne := pr.expr(k.Expr)
		if ne != k.Expr && out == nil {
			out = append([]SortKey{}, keys...)
		}
		if out != nil {
			out[i].Expr = ne
		}
	}
	if out == nil {
		return keys, false
	}
	return out, true
}

func (pr *pruner) named(cols []NamedExpr) []NamedExpr {
	out := make([]NamedExpr, len(cols))
	for i, c := range cols {
		out[i] = NamedExpr{Name: c.Name, Expr: pr.expr(c.Expr)}
	}
	return out
}

func colsOf(exprs ...Expr) colSet {
	s := colSet{}
	for _, e := range exprs {
		if e != nil {
			ColumnsOf(e, s)
		}
	}
	return s
}

// union returns a ∪ b, where nil (every column) absorbs anything.
func union(a colSet, b colSet) colSet {
	if a == nil {
		return nil
	}
	out := colSet{}
	for c := range a {
		out[c] = true
	}
	for c := range b {
		out[c] = true
	}
	return out
}

// rel returns r keeping only the output columns in need (nil: all), and records what it reads.
func (pr *pruner) rel(r Rel, need colSet) Rel {
	// limited is set on the way from a limit down to the sort it cuts (through filters and
	// projections, as isSorted allows): that sort breaks ties by all its input columns.
	limited := pr.limited
	pr.limited = false
	switch r := r.(type) {
	case *Scan:
		cols := filterSchema(r.Cols, need)
		pr.use(r.Source, keptSet(cols, need))
		return &Scan{Source: r.Source, Cols: cols, Sp: r.Sp}
	case *DefRef:
		// Record the columns kept, which may be one more than needed (to count rows).
		cols := filterSchema(r.Cols, need)
		pr.use(r.Name, keptSet(cols, need))
		return &DefRef{Name: r.Name, Cols: cols, Sp: r.Sp}
	case *Spine:
		return r
	case *LocalFrame:
		cols := filterSchema(r.Cols, need)
		need = keptSet(cols, need)
		if pr.localUsed != nil {
			pr.localUsed[r.Name] = true
			prev, seen := pr.localNeeds[r.Name]
			switch {
			case !seen:
				pr.localNeeds[r.Name] = union(colSet{}, need)
				if need == nil {
					pr.localNeeds[r.Name] = nil
				}
			case prev != nil:
				pr.localNeeds[r.Name] = union(prev, need)
				if need == nil {
					pr.localNeeds[r.Name] = nil
				}
			}
		}
		return &LocalFrame{Name: r.Name, Cols: cols, Sp: r.Sp}
	case *Filter:
		pr.limited = limited
		in := pr.rel(r.Input, union(need, colsOf(r.Pred)))
		return &Filter{Input: in, Pred: pr.expr(r.Pred), Sp: r.Sp}
	case *Project:
		var cols []NamedExpr
		inNeed := colSet{}
		for _, c := range r.Cols {
			if need.has(c.Name) {
				cols = append(cols, c)
				ColumnsOf(c.Expr, inNeed)
			}
		}
		if len(cols) == 0 {
			cols = r.Cols[:1]
			ColumnsOf(cols[0].Expr, inNeed)
		}
		pr.limited = limited
		for _, c := range cols {
			if ContainsWindow(c.Expr) {
				pr.limited = false
			}
			if ContainsOrderedWindow(c.Expr) {
				// An ordered window breaks ties by all the frame's other columns
				// (docs/semantics.md): every column is needed, whatever is read after.
				inNeed = nil
				break
			}
		}
		return &Project{Input: pr.rel(r.Input, inNeed), Cols: pr.named(cols), Sp: r.Sp}
	case *Aggregate:
		inNeed := colSet{}
		for _, k := range r.Keys {
			ColumnsOf(k.Expr, inNeed)
		}
		var aggs []NamedExpr
		for _, a := range r.Aggs {
			if need.has(a.Name) {
				aggs = append(aggs, a)
				ColumnsOf(a.Expr, inNeed)
			}
		}
		return &Aggregate{Input: pr.rel(r.Input, inNeed), Keys: pr.named(r.Keys), Aggs: pr.named(aggs), Sp: r.Sp}
	case *Sort:
		var keys []Expr
		for _, k := range r.Keys {
			keys = append(keys, k.Expr)
		}
		if limited {
			// Which rows a limit keeps after a sort depends on the tie-break, which orders
			// rows equal in every key by all their other columns (docs/semantics.md): every
			// column is needed, whatever is read after.
			need = nil
		}
		in := pr.rel(r.Input, union(need, colsOf(keys...)))
		order, _ := pr.sortKeys(r.Keys)
		return &Sort{Input: in, Keys: order, Sp: r.Sp}
	case *Limit:
		pr.limited = true
		return &Limit{Input: pr.rel(r.Input, need), N: r.N, Offset: r.Offset, Sp: r.Sp}
	case *Distinct:
		// Which rows are duplicates depends on every column.
		return &Distinct{Input: pr.rel(r.Input, nil), Sp: r.Sp}
	case *Join:
		cols, ln, rn := pruneJoinCols(r.Cols, need, r.LeftKeys, r.RightKeys)
		return &Join{Left: pr.rel(r.Left, ln), Right: pr.rel(r.Right, rn), Kind: r.Kind,
			LeftKeys: r.LeftKeys, RightKeys: r.RightKeys, Cols: cols, Sp: r.Sp}
	case *AsOfJoin:
		lk := append([]string{r.LeftOn}, r.LeftBy...)
		rk := append([]string{r.RightOn}, r.RightBy...)
		cols, ln, rn := pruneJoinCols(r.Cols, need, lk, rk)
		return &AsOfJoin{Left: pr.rel(r.Left, ln), Right: pr.rel(r.Right, rn), LeftOn: r.LeftOn, RightOn: r.RightOn,
			LeftBy: r.LeftBy, RightBy: r.RightBy, Strategy: r.Strategy, Tolerance: r.Tolerance, Cols: cols, Sp: r.Sp}
	case *Union:
		var rels []Rel
		for _, in := range r.Rels {
			rels = append(rels, pr.rel(in, need))
		}
		return &Union{Rels: rels, Sp: r.Sp}
	case *EntityApply:
		return pr.entityApply(r, need)
	}
	panic(fmt.Sprintf("prune: unknown relation %T", r))
}

// entityApply keeps the features in need and the steps they read, directly or through other
// steps, with the local frames reduced to the columns read from them.
func (pr *pruner) entityApply(r *EntityApply, need colSet) Rel {
	savedNeeds, savedUsed := pr.localNeeds, pr.localUsed
	pr.localNeeds, pr.localUsed = map[string]colSet{}, map[string]bool{}
	var feats []NamedExpr
	for _, f := range r.Features {
		if need.has(f.Name) {
			feats = append(feats, f)
			pr.localUsed[f.Name] = true
		}
	}
	// Later steps read earlier ones only: walk backwards, pruning each needed step.
	steps := make([]EntityStep, len(r.Steps))
	keep := make([]bool, len(r.Steps))
	for i := len(r.Steps) - 1; i >= 0; i-- {
		st := r.Steps[i]
		if !pr.localUsed[st.Name] {
			continue
		}
		keep[i] = true
		if st.Rel != nil {
			steps[i] = EntityStep{Name: st.Name, Rel: pr.rel(st.Rel, pr.localNeeds[st.Name])}
		} else {
			steps[i] = EntityStep{Name: st.Name, Expr: pr.expr(st.Expr)}
		}
	}
	var kept []EntityStep
	byName := map[string]Expr{}
	for i, st := range steps {
		if keep[i] {
			kept = append(kept, st)
			if st.Expr != nil {
				byName[st.Name] = st.Expr
			}
		}
	}
	for i := range feats {
		feats[i].Expr = byName[feats[i].Name]
	}
	pr.localNeeds, pr.localUsed = savedNeeds, savedUsed
	return &EntityApply{Spine: r.Spine, Keys: r.Keys, Time: r.Time, Steps: kept, Features: feats, Sp: r.Sp}
}

// keptSet returns the names of the kept columns as a need (nil stays every column).
func keptSet(cols Schema, need colSet) colSet {
	if need == nil {
		return nil
	}
	return setOf(cols.Names())
}

func filterSchema(s Schema, need colSet) Schema {
	if need == nil {
		return s
	}
	var out Schema
	for _, f := range s {
		if need[f.Name] {
			out = append(out, f)
		}
	}
	if len(out) == 0 && len(s) > 0 {
		// Keep one column so that the relation still has rows to count.
		out = s[:1]
	}
	return out
}

// pruneJoinCols keeps the join output columns in need and says which columns each side must
// provide (the kept ones and the keys).
func pruneJoinCols(cols []JoinCol, need colSet, leftKeys, rightKeys []string) ([]JoinCol, colSet, colSet) {
	ln, rn := setOf(leftKeys), setOf(rightKeys)
	var out []JoinCol
	for _, c := range cols {
		if !need.has(c.Out) {
			continue
		}
		out = append(out, c)
		switch c.Side {
		case LeftSide:
			ln[c.Name] = true
		case RightSide:
			rn[c.Name] = true
		case CoalescedKey:
			ln[c.Name] = true
			rn[c.RightName] = true
		}
	}
	if len(out) == 0 {
		out = cols[:1]
		switch c := cols[0]; c.Side {
		case LeftSide, CoalescedKey:
			ln[c.Name] = true
		case RightSide:
			rn[c.Name] = true
		}
	}
	return out, ln, rn
}

// ContainsOrderedWindow reports whether an expression holds a window function that orders its
// partition: its result depends on the tie-break, which reads every column of its input.
func ContainsOrderedWindow(e Expr) bool {
	found := false
	WalkExpr(e, func(x Expr) bool {
		if w, ok := x.(*Window); ok && len(w.OrderBy) > 0 {
			found = true
		}
		return !found
	})
	return found
}
