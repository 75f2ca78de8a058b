package ir

import (
	"sort"

	"github.com/featc/featc/lang"
)

// warnSkew reports W0004 where a features block that every mode shares reads an aggregate
// over a whole table (orders.amount.mean(), directly or through a shared let): a realtime
// request evaluates the block over its own entity's rows, so that aggregate covers them only,
// while a backfill covers the whole table: the feature differs between serving and training.
// seen deduplicates the warnings of several modes.
func warnSkew(defs map[string]*Def, diags *lang.Diagnostics, seen map[lang.Span]bool) {
	names := make([]string, 0, len(defs))
	for n := range defs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		d := defs[n]
		if d == nil || d.Mode != "" || (d.Kind != FeaturesDef && d.Kind != EntityFeaturesDef) || d.Rel == nil {
			continue
		}
		walkRelExprs(d.Rel, func(e Expr) {
			WalkExpr(e, func(x Expr) bool {
				switch x := x.(type) {
				case *Subquery:
					if wholeTable(x.Rel) && !seen[x.Sp] {
						seen[x.Sp] = true
						diags.Warnf(lang.WSkew, x.Sp, "%s aggregates a whole table: over a realtime request's rows it differs from its value in a backfill", x.Sp.Text()).
							WithHint("give it per mode: the aggregate in a mode backfill block, a param (the training run's value) in a mode realtime block")
					}
					return false
				case *LetRef:
					let := defs[x.Name]
					if let != nil && let.Mode == "" && let.Expr != nil && readsWholeTable(let.Expr) && !seen[x.Sp] {
						seen[x.Sp] = true
						diags.Warnf(lang.WSkew, x.Sp, "let %s aggregates a whole table: over a realtime request's rows it differs from its value in a backfill", x.Name).
							WithHint("define %s per mode: the aggregate in a mode backfill block, a param (the training run's value) in a mode realtime block", x.Name)
					}
				}
				return true
			})
		})
	}
}

// readsWholeTable reports whether e holds a subquery over a whole table.
func readsWholeTable(e Expr) bool {
	found := false
	WalkExpr(e, func(x Expr) bool {
		if s, ok := x.(*Subquery); ok && wholeTable(s.Rel) {
			found = true
		}
		return !found
	})
	return found
}

// wholeTable reports whether a subquery's relation reads a source or a frame without being
// restricted to the current entity (no outer value of entity features in it).
func wholeTable(r Rel) bool {
	reads, outer := false, false
	var walk func(Rel)
	walk = func(r Rel) {
		switch r.(type) {
		case *Scan, *DefRef:
			reads = true
		case *LocalFrame, *Spine:
			outer = true
		}
		walkRelExprsShallow(r, func(e Expr) {
			WalkExpr(e, func(x Expr) bool {
				if _, ok := x.(*Outer); ok {
					outer = true
				}
				return true
			})
		})
		for _, in := range r.Inputs() {
			walk(in)
		}
	}
	walk(r)
	return reads && !outer
}

// walkRelExprs calls fn for every expression of r and of the relations below it, entity
// feature steps included.
func walkRelExprs(r Rel, fn func(Expr)) {
	walkRelExprsShallow(r, fn)
	if a, ok := r.(*EntityApply); ok {
		for _, st := range a.Steps {
			if st.Expr != nil {
				fn(st.Expr)
			}
		}
	}
	for _, in := range r.Inputs() {
		walkRelExprs(in, fn)
	}
}

// walkRelExprsShallow calls fn for the expressions a relation holds directly.
func walkRelExprsShallow(r Rel, fn func(Expr)) {
	switch r := r.(type) {
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
	}
}
