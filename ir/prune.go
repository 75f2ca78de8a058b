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
// projection, down to columns). The outputs' own columns keep their declared order.
func Prune(p *Program, outputs []Output) (*Program, lang.Diagnostics) {
	var diags lang.Diagnostics
	pr := &pruner{p: p, needs: map[string]colSet{}, used: map[string]bool{}}
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
			pr.use(o.Def, setOf(o.Columns))
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
	out := NewProgram(p.Mode, p.Modes, p.Lib, kept)
	out.Warnings = p.Warnings
	// Outputs asked for by column keep only those columns, in the order asked.
	for _, o := range outputs {
		if len(o.Columns) == 0 {
			continue
		}
		d := out.Def(o.Def)
		if d == nil || d.Rel == nil {
			continue
		}
		var cols []NamedExpr
		for _, c := range o.Columns {
			f, _ := d.Rel.Schema().Lookup(c)
			cols = append(cols, NamedExpr{Name: c, Expr: &Col{Name: c, T: f.Type}})
		}
		proj, err := NewProject(d.Rel, cols, d.Sp)
		if err != nil {
			panic(err) // the columns were checked above
		}
		nd := *d
		nd.Rel = proj
		nd.Schema = proj.Schema()
		var feats []string
		for _, f := range d.Features {
			if nd.Schema.Index(f) >= 0 {
				feats = append(feats, f)
			}
		}
		nd.Features = feats
		nd.Expects = keepExpects(d.Expects, nd.Schema)
		out.byName[d.Name] = &nd
		for i := range out.Defs {
			if out.Defs[i] == d {
				out.Defs[i] = &nd
			}
		}
	}
	return out, diags
}

// keepExpects keeps the expectations whose columns survive pruning.
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
	p     *Program
	needs map[string]colSet
	used  map[string]bool
}

// use records that the named definition is read, for the given columns.
func (pr *pruner) use(name string, cols colSet) {
	prev, seen := pr.needs[name]
	pr.used[name] = true
	switch {
	case !seen:
		if cols == nil {
			pr.needs[name] = nil
		} else {
			cp := colSet{}
			for c := range cols {
				cp[c] = true
			}
			pr.needs[name] = cp
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
	switch d.Kind {
	case LetDef:
		pr.exprRefs(d.Expr)
	case FrameDef, FeaturesDef, EntityFeaturesDef:
		// Expectations are part of a features block's output: they keep their columns.
		if need != nil {
			for _, e := range d.Expects {
				ColumnsOf(e.Cond, need)
			}
		}
		nd.Rel = pr.rel(d.Rel, need)
		nd.Schema = nd.Rel.Schema()
		if need != nil {
			var feats []string
			for _, f := range d.Features {
				if nd.Schema.Index(f) >= 0 {
					feats = append(feats, f)
				}
			}
			nd.Features = feats
		}
		for _, e := range nd.Expects {
			pr.exprRefs(e.Cond)
		}
	case EntityDef, SourceDef, ParamDef:
	}
	return &nd
}

// exprRefs records the definitions an expression reads: params, lets and the frames of its
// subqueries.
func (pr *pruner) exprRefs(e Expr) {
	WalkExpr(e, func(x Expr) bool {
		switch x := x.(type) {
		case *ParamRef:
			pr.use(x.Name, nil)
		case *LetRef:
			pr.use(x.Name, nil)
		case *Subquery:
			pr.rel(x.Rel, nil)
		}
		return true
	})
}

func (pr *pruner) exprsRefs(list []Expr) {
	for _, e := range list {
		pr.exprRefs(e)
	}
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

// rel returns r keeping only the output columns in need (nil: all), and records what its
// leaves read.
func (pr *pruner) rel(r Rel, need colSet) Rel {
	switch r := r.(type) {
	case *Scan:
		pr.use(r.Source, need)
		cols := filterSchema(r.Cols, need)
		return &Scan{Source: r.Source, Cols: cols, Sp: r.Sp}
	case *DefRef:
		pr.use(r.Name, need)
		return &DefRef{Name: r.Name, Cols: filterSchema(r.Cols, need), Sp: r.Sp}
	case *Spine, *LocalFrame:
		return r
	case *Filter:
		pr.exprRefs(r.Pred)
		in := pr.rel(r.Input, union(need, colsOf(r.Pred)))
		return &Filter{Input: in, Pred: r.Pred, Sp: r.Sp}
	case *Project:
		var cols []NamedExpr
		inNeed := colSet{}
		for _, c := range r.Cols {
			if need.has(c.Name) {
				cols = append(cols, c)
				ColumnsOf(c.Expr, inNeed)
				pr.exprRefs(c.Expr)
			}
		}
		if len(cols) == 0 {
			cols = r.Cols[:1]
			ColumnsOf(cols[0].Expr, inNeed)
		}
		return &Project{Input: pr.rel(r.Input, inNeed), Cols: cols, Sp: r.Sp}
	case *Aggregate:
		inNeed := colSet{}
		for _, k := range r.Keys {
			ColumnsOf(k.Expr, inNeed)
			pr.exprRefs(k.Expr)
		}
		var aggs []NamedExpr
		for _, a := range r.Aggs {
			if need.has(a.Name) {
				aggs = append(aggs, a)
				ColumnsOf(a.Expr, inNeed)
				pr.exprRefs(a.Expr)
			}
		}
		return &Aggregate{Input: pr.rel(r.Input, inNeed), Keys: r.Keys, Aggs: aggs, Sp: r.Sp}
	case *Sort:
		var keys []Expr
		for _, k := range r.Keys {
			keys = append(keys, k.Expr)
		}
		pr.exprsRefs(keys)
		return &Sort{Input: pr.rel(r.Input, union(need, colsOf(keys...))), Keys: r.Keys, Sp: r.Sp}
	case *Limit:
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
		var feats []NamedExpr
		for _, f := range r.Features {
			if need.has(f.Name) {
				feats = append(feats, f)
				pr.exprRefs(f.Expr)
			}
		}
		// Keep the locals the kept features read, directly or through other locals.
		usedLocal := map[string]bool{}
		var markRel func(Rel)
		markExpr := func(e Expr) {
			WalkExpr(e, func(x Expr) bool {
				if s, ok := x.(*Subquery); ok {
					markRel(s.Rel)
				}
				return true
			})
		}
		markRel = func(rel Rel) {
			if l, ok := rel.(*LocalFrame); ok {
				usedLocal[l.Name] = true
			}
			for _, in := range rel.Inputs() {
				markRel(in)
			}
			walkRelExprs(rel, markExpr)
		}
		for _, f := range feats {
			markExpr(f.Expr)
		}
		var locals []LocalDef
		for i := len(r.Locals) - 1; i >= 0; i-- {
			l := r.Locals[i]
			if usedLocal[l.Name] {
				markRel(l.Rel)
			}
		}
		for _, l := range r.Locals {
			if usedLocal[l.Name] {
				locals = append(locals, LocalDef{Name: l.Name, Rel: pr.rel(l.Rel, nil)})
			}
		}
		return &EntityApply{Spine: r.Spine, Keys: r.Keys, Time: r.Time, Locals: locals, Features: feats, Sp: r.Sp}
	}
	panic(fmt.Sprintf("prune: unknown relation %T", r))
}

// walkRelExprs calls fn for each expression held directly by rel.
func walkRelExprs(rel Rel, fn func(Expr)) {
	switch r := rel.(type) {
	case *Filter:
		fn(r.Pred)
	case *Project:
		for _, c := range r.Cols {
			fn(c.Expr)
		}
	case *Aggregate:
		for _, c := range r.Keys {
			fn(c.Expr)
		}
		for _, c := range r.Aggs {
			fn(c.Expr)
		}
	case *Sort:
		for _, k := range r.Keys {
			fn(k.Expr)
		}
	case *EntityApply:
		for _, f := range r.Features {
			fn(f.Expr)
		}
	}
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
	}
	return out, ln, rn
}

// sortedKeys returns a set's members in order, for messages and tests.
func sortedKeys(s colSet) []string {
	out := make([]string, 0, len(s))
	for k := range s {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
