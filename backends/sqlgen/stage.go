package sqlgen

import (
	"fmt"
	"maps"

	"github.com/featc/featc/ir"
)

// stageHeight is the height (in IR nodes) above which an expression of a projection is computed
// in stages. Engines parse and bind expressions recursively, with limits far below what a
// feature engineer writes when summing thousands of terms: DuckDB refuses more than 1,000
// levels (max_expression_depth, and raising it crashes the process past ~10,000), Postgres runs
// out of parser stack at ~2,000–4,000 ("stack depth limit exceeded", "memory exhausted").
// DuckDB also binds a chain in time quadratic in its length: a 10,000-term sum planned in 8.7 s
// in stages of 256, 1.8 s in stages of 128 and 0.7 s in stages of 64 (1.3 s in stages of 32,
// where the nesting of subqueries costs more).
const stageHeight = 64

// stage splits a projection whose expressions are higher than stageHeight into projections
// stacked on each other, returned top first: each lower one computes, besides its input's
// columns, the row-level subexpressions of height stageHeight as hidden columns, and the one
// above reads them by name. Nothing is reassociated or reordered — x1 + … + x10000 is the same
// left-deep tree, cut into slices of the same evaluation order — so float results are the
// evaluator's to the last bit. Subexpressions holding a window, an aggregate, a subquery or a
// value of entity features stay where they are (a window over a staged input would see other
// columns); an expression that cannot be cut is refused by the depth check (Caps.MaxExprDepth).
func (g *gen) stage(p *ir.Project) ([]*ir.Project, error) {
	heights := map[ir.Expr]int{}
	taken := map[string]bool{}
	for _, f := range p.Input.Schema() {
		taken[f.Name] = true
	}
	for _, c := range p.Cols {
		taken[c.Name] = true
	}
	// One pass up each expression: a row-level subexpression that reaches stageHeight becomes a
	// hidden column of the stage one above the highest stage it reads, and a column reference
	// (height 1) in what reads it.
	var stages [][]ir.NamedExpr // bottom first
	type cutRes struct {
		e        ir.Expr
		h, stage int // height after the cuts below; the highest stage read (0: none)
		row      bool
	}
	memo := map[ir.Expr]cutRes{}
	var cut func(e ir.Expr) cutRes
	cut = func(e ir.Expr) cutRes {
		if r, ok := memo[e]; ok {
			return r
		}
		r := cutRes{e: e, h: 1, row: true}
		switch x := e.(type) {
		case *ir.Col, *ir.Lit, *ir.ParamRef, *ir.LetRef:
		case *ir.Call, *ir.Cast:
			twice := false
			if call, ok := x.(*ir.Call); ok {
				t, err := g.template(call.Func.Name, call.Overload.ID, call.Sp)
				twice = err == nil && t.Twice
			}
			r.e = rebuild(x, func(a ir.Expr) ir.Expr {
				ar := cut(a)
				if twice {
					// Written twice: what it costs doubles at each level (h counts the
					// length of the text then, not the height).
					r.h = max(r.h, 2*ar.h+1)
				} else {
					r.h = max(r.h, ar.h+1)
				}
				r.stage = max(r.stage, ar.stage)
				r.row = r.row && ar.row
				return ar.e
			})
		default:
			// Windows, aggregates, subqueries, values of entity features: left whole.
			r = cutRes{e: e, h: height(e, heights)}
		}
		if r.row && r.h >= stageHeight {
			name := fmt.Sprintf("featc_stage_%d", len(taken))
			for taken[name] {
				name += "_"
			}
			taken[name] = true
			if len(stages) <= r.stage {
				stages = append(stages, nil)
			}
			stages[r.stage] = append(stages[r.stage], ir.NamedExpr{Name: name, Expr: r.e})
			r = cutRes{e: &ir.Col{Name: name, T: e.Type(), Sp: e.Span()}, h: 1, stage: r.stage + 1, row: true}
		}
		memo[e] = r
		return r
	}
	cols := make([]ir.NamedExpr, len(p.Cols))
	for i, c := range p.Cols {
		cols[i] = ir.NamedExpr{Name: c.Name, Expr: cut(c.Expr).e}
	}
	if len(stages) == 0 {
		return []*ir.Project{p}, nil // nothing can be cut: the depth check decides
	}
	// Each level passes on the columns read above it, its input's and earlier levels'.
	readAbove := make([]map[string]bool, len(stages))
	above := map[string]bool{}
	for _, c := range cols {
		ir.ColumnsOf(c.Expr, above)
	}
	for k := len(stages) - 1; k >= 0; k-- {
		readAbove[k] = maps.Clone(above)
		for _, h := range stages[k] {
			ir.ColumnsOf(h.Expr, above)
		}
	}
	in := p.Input
	for k, hidden := range stages {
		var level []ir.NamedExpr
		for _, f := range in.Schema() {
			if readAbove[k][f.Name] {
				level = append(level, ir.NamedExpr{Name: f.Name, Expr: &ir.Col{Name: f.Name, T: f.Type, Sp: p.Sp}})
			}
		}
		lower, err := ir.NewProject(in, append(level, hidden...), p.Sp)
		if err != nil {
			return nil, fmt.Errorf("staging %s: %w", g.def.Name, err)
		}
		in = lower
	}
	top, err := ir.NewProject(in, cols, p.Sp)
	if err != nil {
		return nil, fmt.Errorf("staging %s: %w", g.def.Name, err)
	}
	out := []*ir.Project{top}
	for r := top.Input; r != p.Input; r = r.(*ir.Project).Input {
		out = append(out, r.(*ir.Project))
	}
	return out, nil
}

// height is the number of nodes on the longest path from e down to a leaf.
func height(e ir.Expr, memo map[ir.Expr]int) int {
	if h, ok := memo[e]; ok {
		return h
	}
	h := 0
	for _, c := range ir.Children(e) {
		h = max(h, height(c, memo))
	}
	memo[e] = h + 1
	return h + 1
}

// rebuild returns e with each child replaced by f(child), sharing e when no child changes.
func rebuild(e ir.Expr, f func(ir.Expr) ir.Expr) ir.Expr {
	switch x := e.(type) {
	case *ir.Call:
		var args []ir.Expr
		for i, a := range x.Args {
			if na := f(a); na != a {
				if args == nil {
					args = append([]ir.Expr(nil), x.Args...)
				}
				args[i] = na
			}
		}
		if args != nil {
			c := *x
			c.Args = args
			return &c
		}
	case *ir.Cast:
		if nx := f(x.X); nx != x.X {
			c := *x
			c.X = nx
			return &c
		}
	}
	return e
}
