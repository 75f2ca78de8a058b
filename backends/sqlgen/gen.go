package sqlgen

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/featc/featc/ir"
	"github.com/featc/featc/types"
)

// Relation says where a source's rows (or an entity-features block's spine) come from.
// Exactly one field is set; the zero Relation reads a table named like the source.
type Relation struct {
	// Table is a table or view name, possibly schema-qualified (each dot-separated part is
	// quoted).
	Table string
	// Query is a SELECT giving the rows. It is the project's own SQL, taken as written.
	Query string
	// File is a Parquet or CSV file read by the engine (DuckDB only).
	File string
	// Def is a frame of the program (spines only).
	Def string
	// Schema, for a spine, lists its columns when it has more than the entity's keys and the
	// time: they pass through to the output, in this order, before the features (a spine bound
	// to a frame takes the frame's columns without it).
	Schema ir.Schema
}

// Options control SQL generation.
type Options struct {
	// Params gives params their values, written as literals; a param without one becomes a
	// placeholder listed in Statement.Params.
	Params map[string]types.Value
	// Sources binds sources to relations (default: a table named like the source).
	Sources map[string]Relation
	// Spines binds entity-features blocks to the relation of their spine rows.
	Spines map[string]Relation
	// Flat writes every chain of projections as one SELECT, copying expressions into their
	// readers whatever their size: the hand-written form that benchmarks compare with.
	Flat bool
	// EntityStrategy forces how entity features are computed: "join" (the range join) or
	// "correlated" (a correlated subquery per feature); "" lets the dialect choose per block.
	EntityStrategy string
}

// Entity strategies (Options.EntityStrategy, Statement.Strategy).
const (
	StrategyJoin       = "join"
	StrategyCorrelated = "correlated"
)

// Statement is the SQL computing one output.
type Statement struct {
	Output string
	// SQL is one SELECT (with a WITH clause for the definitions it reads).
	SQL string
	// Params names the params behind the placeholders $1, $2, … (or :1, :2, …).
	Params []string
	// Schema is the output's columns, in order, with featc types (durations are BIGINT
	// microseconds in SQL).
	Schema ir.Schema
	// Session lists the statements to run first in the session.
	Session []string
	// Strategy is how entity features were computed (StrategyJoin, StrategyCorrelated), or "".
	Strategy string
}

type gen struct {
	d      *Dialect
	prog   *ir.Program
	opts   Options
	params []string
	// def is the definition being written.
	def *ir.Def
	// strategy records how entity features were written, for explain.
	strategy string
	// joinCrosses is set by the range join when a frame has no entity key: every spine row then
	// joins all of the frame's rows.
	joinCrosses bool
}

// Compile writes the SQL of each output of a program (already pruned to the outputs wanted).
func Compile(prog *ir.Program, d *Dialect, opts Options) ([]*Statement, error) {
	var out []*Statement
	for _, name := range prog.Outputs() {
		st, err := CompileOutput(prog, d, name, opts)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

// CompileOutput writes the SQL of one output.
func CompileOutput(prog *ir.Program, d *Dialect, output string, opts Options) (*Statement, error) {
	prog, err := bindSpines(prog, opts.Spines)
	if err != nil {
		return nil, err
	}
	g := &gen{d: d, prog: prog, opts: opts}
	def := prog.Def(output)
	if def == nil {
		return nil, fmt.Errorf("no definition named %s", output)
	}
	needed, err := g.closure(def)
	if err != nil {
		return nil, err
	}
	chain := g.chainLength(def, needed)
	if limit := d.Caps.MaxDefChain; limit > 0 && chain > limit {
		return nil, &Error{Dialect: d.Name, Construct: fmt.Sprintf("%s, which reads a chain of %d frames", output, chain), Span: def.Sp,
			Link:   d.Caps.MaxDefChainDocs,
			Reason: fmt.Sprintf("%s binds a query at most ~1,000 levels deep and each frame of a chain is a level (featc refuses more than %d); compute an earlier frame of the chain first and read it as a table (featc backfill), or run the chain on the evaluator", d.Name, limit)}
	}
	// A long chain of CTEs is planned in quadratic time where the planner inlines them
	// (Postgres: 300 frames, each reading the one before, planned in 19 s; 1,000 in 125 s):
	// materialized, each is planned once (1,000 frames: 0.2 s).
	as := " AS ("
	if d.Caps.CTEFence != "" && chain > cteFenceChain {
		as = " AS " + d.Caps.CTEFence + " ("
	}
	var ctes []string
	for _, dd := range prog.Defs {
		if !needed[dd.Name] || dd == def {
			continue
		}
		q, err := g.defQuery(dd)
		if err != nil {
			return nil, err
		}
		if q == nil {
			continue
		}
		var b strings.Builder
		b.WriteString(d.Ident(dd.Name) + as + "\n  ")
		q.write(&b, d, "  ")
		b.WriteString("\n)")
		ctes = append(ctes, b.String())
	}
	q, err := g.defQuery(def)
	if err != nil {
		return nil, err
	}
	if q == nil {
		return nil, fmt.Errorf("%s is a %s, not an output", output, def.Kind)
	}
	schema := def.Schema
	if idx := prog.OutputIndexes(output); idx != nil {
		// An output asked for by columns that other definitions read: the definition is
		// written whole, and the output selects the columns asked.
		var b strings.Builder
		b.WriteString(d.Ident(def.Name) + as + "\n  ")
		q.write(&b, d, "  ")
		b.WriteString("\n)")
		ctes = append(ctes, b.String())
		schema = prog.OutputSchema(output)
		cut := &query{from: fromText(d.Ident(def.Name)), limit: -1, name: def.Name}
		for _, f := range schema {
			cut.cols = append(cut.cols, qcol{name: f.Name, typ: f.Type, expr: atom(d.Ident(f.Name))})
		}
		q = cut
	}
	var b strings.Builder
	if len(ctes) > 0 {
		b.WriteString("WITH\n")
		for i, c := range ctes {
			if i > 0 {
				b.WriteString(",\n")
			}
			b.WriteString(c)
		}
		b.WriteString("\n")
	}
	b.WriteString(q.sql(d, ""))
	if def.Kind == ir.LetDef {
		schema = ir.Schema{{Name: def.Name, Type: def.Type}}
	}
	return &Statement{Output: output, SQL: b.String(), Params: g.params, Schema: schema, Session: d.Session, Strategy: g.strategy}, nil
}

// bindSpines gives each entity-features block the columns of the spine bound to it
// (ir.BindSpine): those of a frame, or a relation's Schema.
func bindSpines(prog *ir.Program, spines map[string]Relation) (*ir.Program, error) {
	names := make([]string, 0, len(spines))
	for name := range spines {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		rel := spines[name]
		if d := prog.Def(name); d == nil || d.Kind != ir.EntityFeaturesDef {
			continue
		}
		schema := rel.Schema
		if schema == nil && rel.Def != "" {
			f := prog.Def(rel.Def)
			if f == nil {
				return nil, fmt.Errorf("the spine of %s is bound to %s, which the program does not define", name, rel.Def)
			}
			schema = f.Schema
		}
		if schema == nil {
			continue
		}
		var err error
		if prog, err = ir.BindSpine(prog, name, schema); err != nil {
			return nil, err
		}
	}
	return prog, nil
}

// cteFenceChain is the length of a chain of frames above which a dialect with a CTE fence
// materializes its CTEs.
const cteFenceChain = 32

// chainLength is the number of definitions with a query on the longest chain of reads that
// ends at def (1 for a frame reading sources only).
func (g *gen) chainLength(def *ir.Def, needed map[string]bool) int {
	memo := map[string]int{}
	var walk func(d *ir.Def) int
	walk = func(d *ir.Def) int {
		if n, ok := memo[d.Name]; ok {
			return n
		}
		memo[d.Name] = 0 // the program has no cycles; this guards against a broken invariant
		n := 0
		for _, dep := range d.Deps {
			if dd := g.prog.Def(dep); dd != nil && needed[dep] {
				n = max(n, walk(dd))
			}
		}
		switch d.Kind {
		case ir.FrameDef, ir.FeaturesDef, ir.EntityFeaturesDef, ir.LetDef:
			n++
		}
		memo[d.Name] = n
		return n
	}
	return walk(def)
}

// closure returns the definitions an output reads, directly or not, including the frames
// bound as spines.
func (g *gen) closure(def *ir.Def) (map[string]bool, error) {
	seen := map[string]bool{}
	var visit func(d *ir.Def) error
	visit = func(d *ir.Def) error {
		if seen[d.Name] {
			return nil
		}
		seen[d.Name] = true
		deps := d.Deps
		if d.Kind == ir.EntityFeaturesDef {
			if sp, ok := g.opts.Spines[d.Name]; ok && sp.Def != "" {
				deps = append(append([]string{}, deps...), sp.Def)
			}
		}
		for _, name := range deps {
			dd := g.prog.Def(name)
			if dd == nil {
				return fmt.Errorf("%s reads %s, which the program does not define", d.Name, name)
			}
			if err := visit(dd); err != nil {
				return err
			}
		}
		return nil
	}
	return seen, visit(def)
}

// defQuery writes one definition's query, or nil for definitions without one (params,
// entities, sources read as they are).
func (g *gen) defQuery(d *ir.Def) (*query, error) {
	g.def = d
	if err := g.checkNames(d); err != nil {
		return nil, err
	}
	switch d.Kind {
	case ir.SourceDef:
		rel, ok := g.opts.Sources[d.Name]
		if !ok || (rel.Table == d.Name && rel.Query == "" && rel.File == "") {
			return nil, nil
		}
		if rel.File != "" {
			return g.readFile(d, rel.File)
		}
		from, err := g.relation(rel, "source "+d.Name)
		if err != nil {
			return nil, err
		}
		if rel.Query != "" {
			// A subquery in FROM needs an alias on Postgres before 16.
			from += " AS " + g.d.Ident("query")
		}
		return g.table(from, d.Schema, d.Name), nil
	case ir.LetDef:
		e, err := (&scope{g: g}).expr(d.Expr)
		if err != nil {
			return nil, err
		}
		return &query{cols: []qcol{{name: d.Name, typ: d.Type, expr: e}}, limit: -1}, nil
	case ir.FrameDef, ir.FeaturesDef, ir.EntityFeaturesDef:
		q, err := g.rel(d.Rel, nil)
		if err != nil {
			return nil, err
		}
		// The output's columns in the declared order and names.
		if len(q.cols) != len(d.Schema) {
			return nil, fmt.Errorf("%s: the query has %d columns, the definition %d", d.Name, len(q.cols), len(d.Schema))
		}
		return q, nil
	}
	return nil, nil
}

// relation writes a bound relation as a FROM item.
func (g *gen) relation(rel Relation, what string) (string, error) {
	switch {
	case rel.Table != "":
		return g.d.TableName(rel.Table), nil
	case rel.Query != "":
		// Unaliased: the caller names it (a spine is "spine", a source "query"), as a FROM
		// item takes one alias only.
		return "(\n" + indent(rel.Query) + "\n)", nil
	case rel.Def != "":
		return g.d.Ident(rel.Def), nil
	}
	return "", fmt.Errorf("%s is bound to nothing", what)
}

// readFile writes a source read from a file; text columns (CSV) are cast to their declared
// types by featc's cast rules. The reader gives an unquoted empty field as null and a quoted
// one as the empty string; a string column keeps it, any other reads an empty field as null
// (docs/semantics.md, "CSV input").
func (g *gen) readFile(d *ir.Def, path string) (*query, error) {
	if g.d.ReadFile == nil {
		return nil, &Error{Dialect: g.d.Name, Construct: "source " + d.Name + " read from a file", Span: d.Sp,
			Reason: "the engine reads tables, not files: load the file into a table and bind the source to it"}
	}
	from, text, err := g.d.ReadFile(g.d, path)
	if err != nil {
		return nil, err
	}
	q := g.table(from, d.Schema, d.Name)
	if text {
		for i, c := range q.cols {
			if c.typ.Kind == types.String {
				continue
			}
			raw := atom("NULLIF(" + c.expr.SQL + ", '')")
			e, err := g.cast(raw, types.StringT, c.typ, d.Sp)
			if err != nil {
				return nil, err
			}
			q.cols[i].expr = e
		}
	}
	return q, nil
}

// checkNames refuses names that the engine cannot tell apart.
func (g *gen) checkNames(d *ir.Def) error {
	if max := g.d.Caps.MaxColumns; max > 0 && len(d.Schema) > max {
		return &Error{Dialect: g.d.Name, Construct: fmt.Sprintf("%s with %d columns", d.Name, len(d.Schema)), Span: d.Sp, Link: g.d.Caps.MaxColumnsDocs,
			Reason: fmt.Sprintf("a result holds at most %d columns; split the features into several blocks", max)}
	}
	if !g.d.Caps.CaseInsensitiveNames {
		return nil
	}
	seen := map[string]string{}
	for _, f := range d.Schema {
		k := strings.ToLower(f.Name)
		if other, ok := seen[k]; ok {
			return &Error{Dialect: g.d.Name, Construct: fmt.Sprintf("columns %s and %s of %s", other, f.Name, d.Name), Span: d.Sp,
				Reason: "the engine does not tell identifiers apart by case; rename one of them"}
		}
		seen[k] = f.Name
	}
	return nil
}

// entityScope is the row of an entity-features block being written: the spine row's alias,
// the block's local frames, and the features written so far.
type entityScope struct {
	alias    string
	locals   map[string]ir.Rel
	features map[string]Expr
	// aggCols, under the join strategy, gives the column holding each subquery's value.
	aggCols map[*ir.Subquery]Expr
}

// windowReadsOuter reports whether a frame of an entity block computes a window function that
// reads the spine row, a feature or a frame aggregate.
func windowReadsOuter(a *ir.EntityApply) bool {
	found := false
	for _, st := range a.Steps {
		var walk func(r ir.Rel)
		walk = func(r ir.Rel) {
			if p, ok := r.(*ir.Project); ok {
				for _, c := range p.Cols {
					ir.WalkExpr(c.Expr, func(x ir.Expr) bool {
						if w, ok := x.(*ir.Window); ok {
							for _, ch := range ir.Children(w) {
								ir.WalkExpr(ch, func(y ir.Expr) bool {
									switch y.(type) {
									case *ir.Outer, *ir.LocalRef, *ir.Subquery:
										found = true
									}
									return !found
								})
							}
						}
						return !found
					})
				}
			}
			if r != nil {
				for _, in := range r.Inputs() {
					walk(in)
				}
			}
		}
		if st.Rel != nil {
			walk(st.Rel)
		}
		if st.Expr != nil {
			ir.WalkExpr(st.Expr, func(x ir.Expr) bool {
				if sq, ok := x.(*ir.Subquery); ok {
					walk(sq.Rel)
				}
				return !found
			})
		}
	}
	return found
}

// StrategyText describes an entity strategy (featc explain shows it).
func StrategyText(strategy string) string {
	if strategy == StrategyJoin {
		return "range join: each source joined to the numbered spine on the entity key and aggregated per spine row, every aggregate over its frame's rows by a CASE on the frame's filters; frames filtered by aggregated features in later levels"
	}
	return "correlated: every feature a subquery over the spine row's entity and time (the key and time filters pushed into it); features reading features in LATERAL levels, one per dependency depth"
}

// entity writes entity features: for each spine row, every feature as a correlated subquery
// over the frames restricted to the row's entity and time. Features reading other features are
// computed in LATERAL subqueries, one per dependency level.
func (g *gen) entity(a *ir.EntityApply) (*query, error) {
	if why := g.d.Caps.NoEntityReason; why != "" {
		return nil, &Error{Dialect: g.d.Name, Construct: "entity features " + g.def.Name, Reason: why, Link: g.d.Caps.EntityDocs, Span: g.def.Sp}
	}
	rel, ok := g.opts.Spines[g.def.Name]
	if !ok {
		return nil, fmt.Errorf("entity features %s need a spine: bind it to a table, a query or a frame of the program", g.def.Name)
	}
	var spine string
	if rel.File != "" {
		sq, err := g.readFile(&ir.Def{Name: g.def.Name, Schema: a.Spine.Schema(), Sp: g.def.Sp}, rel.File)
		if err != nil {
			return nil, err
		}
		spine = "(\n" + indent(sq.sql(g.d, "")) + "\n)"
	} else {
		var err error
		spine, err = g.relation(rel, "the spine of "+g.def.Name)
		if err != nil {
			return nil, err
		}
	}
	outerWindow := g.d.Caps.NoOuterInWindows && windowReadsOuter(a)
	switch {
	case outerWindow && g.opts.EntityStrategy == StrategyCorrelated:
		return nil, &Error{Dialect: g.d.Name, Construct: "entity features " + g.def.Name, Span: g.def.Sp,
			Reason: "a frame's window function reads the spine row or a feature, which the engine cannot compute in a correlated subquery; the range join strategy computes it"}
	case g.opts.EntityStrategy == StrategyJoin || (g.opts.EntityStrategy == "" && g.d.Caps.EntityJoin == JoinAlways) || outerWindow:
		g.strategy = StrategyJoin
		return g.entityJoin(a, spine)
	case g.opts.EntityStrategy == "" && g.d.Caps.EntityJoin == JoinPreferred:
		// The range join where it writes the block and no frame crosses every spine row with
		// all of a source's rows (a correlated subquery scans those rows without materializing
		// the product); correlated subqueries otherwise.
		g.joinCrosses = false
		q, err := g.entityJoin(a, spine)
		var refused *Error
		if (err == nil && !g.joinCrosses) || (err != nil && !errors.As(err, &refused)) {
			g.strategy = StrategyJoin
			return q, err
		}
	}
	g.strategy = StrategyCorrelated
	alias := g.d.Ident("spine")
	ent := &entityScope{alias: alias, locals: map[string]ir.Rel{}, features: map[string]Expr{}}
	q := &query{from: fromText(spine + " AS " + alias), limit: -1, name: g.def.Name}
	for _, c := range a.Spine.Schema() {
		q.cols = append(q.cols, qcol{name: c.Name, typ: c.Type, expr: atom(alias + "." + g.d.Ident(c.Name))})
	}
	s := &scope{g: g, ent: ent}
	var pending []qcol
	level := 0
	flush := func() {
		if len(pending) == 0 {
			return
		}
		level++
		lat := g.d.Ident(fmt.Sprintf("features_%d", level))
		sub := &query{cols: pending, limit: -1}
		q.from = q.from.then(txt("\nCROSS JOIN LATERAL "), subq(sub), txt(" AS "+lat))
		for _, c := range pending {
			ent.features[c.name] = atom(lat + "." + g.d.Ident(c.name))
		}
		pending = nil
	}
	inPending := func(name string) bool {
		for _, c := range pending {
			if c.name == name {
				return true
			}
		}
		return false
	}
	for _, st := range a.Steps {
		if st.Rel != nil {
			ent.locals[st.Name] = st.Rel
			continue
		}
		needsFlush := false
		for name := range localRefs(st.Expr, ent.locals) {
			if inPending(name) {
				needsFlush = true
			}
		}
		if needsFlush {
			flush()
		}
		e, err := s.expr(st.Expr)
		if err != nil {
			return nil, err
		}
		pending = append(pending, qcol{name: st.Name, typ: st.Expr.Type(), expr: e})
	}
	for _, c := range pending {
		ent.features[c.name] = c.expr
	}
	for _, f := range a.Features {
		e, ok := ent.features[f.Name]
		if !ok {
			return nil, fmt.Errorf("feature %s is not computed", f.Name)
		}
		q.cols = append(q.cols, qcol{name: f.Name, typ: f.Expr.Type(), expr: e})
	}
	return q, nil
}

// Literal writes a constant as the dialect's typed literal.
func (d *Dialect) Literal(v types.Value) (string, error) {
	e, err := (&gen{d: d}).literal(v)
	return e.SQL, err
}

// CreateTable writes a CREATE TABLE statement for a schema (TEMPORARY when temp).
func (d *Dialect) CreateTable(name string, s ir.Schema, temp bool) string {
	var cols []string
	for _, f := range s {
		cols = append(cols, d.Ident(f.Name)+" "+d.TypeName(f.Type))
	}
	kw := "CREATE TABLE "
	if temp {
		kw = "CREATE TEMPORARY TABLE "
	}
	return kw + d.TableName(name) + " (" + strings.Join(cols, ", ") + ")"
}

// InsertRows writes INSERT statements for rows of values, at most batch rows each.
func (d *Dialect) InsertRows(name string, s ir.Schema, rows [][]types.Value, batch int) ([]string, error) {
	var out []string
	var b strings.Builder
	n := 0
	flush := func() {
		if n > 0 {
			out = append(out, b.String())
		}
		b.Reset()
		n = 0
	}
	for _, row := range rows {
		if n == 0 {
			b.WriteString("INSERT INTO " + d.TableName(name) + " VALUES ")
		} else {
			b.WriteString(", ")
		}
		b.WriteString("(")
		for i, v := range row {
			if i > 0 {
				b.WriteString(", ")
			}
			if v.Null {
				v = types.NullValue(s[i].Type)
			}
			lit, err := d.Literal(v)
			if err != nil {
				return nil, err
			}
			b.WriteString(lit)
		}
		b.WriteString(")")
		n++
		if n == batch {
			flush()
		}
	}
	flush()
	return out, nil
}

// TableName quotes a possibly schema-qualified table name, each dot-separated part.
func (d *Dialect) TableName(name string) string {
	parts := strings.Split(name, ".")
	for i, p := range parts {
		parts[i] = d.Ident(p)
	}
	return strings.Join(parts, ".")
}

// localRefs returns the features of the block an expression reads, through the local frames
// and subqueries it reads too.
func localRefs(e ir.Expr, locals map[string]ir.Rel) map[string]bool {
	out := map[string]bool{}
	seen := map[ir.Rel]bool{}
	var expr func(ir.Expr)
	var rel func(ir.Rel)
	expr = func(e ir.Expr) {
		ir.WalkExpr(e, func(x ir.Expr) bool {
			switch x := x.(type) {
			case *ir.LocalRef:
				out[x.Name] = true
			case *ir.Subquery:
				rel(x.Rel)
			}
			return true
		})
	}
	rel = func(r ir.Rel) {
		if r == nil || seen[r] {
			return
		}
		seen[r] = true
		switch r := r.(type) {
		case *ir.LocalFrame:
			rel(locals[r.Name])
		case *ir.Filter:
			expr(r.Pred)
			rel(r.Input)
		case *ir.Project:
			for _, c := range r.Cols {
				expr(c.Expr)
			}
			rel(r.Input)
		case *ir.Aggregate:
			for _, c := range r.Keys {
				expr(c.Expr)
			}
			for _, c := range r.Aggs {
				expr(c.Expr)
			}
			rel(r.Input)
		case *ir.Sort:
			for _, k := range r.Keys {
				expr(k.Expr)
			}
			rel(r.Input)
		case *ir.Limit:
			rel(r.Input)
		case *ir.Distinct:
			rel(r.Input)
		case *ir.Join:
			rel(r.Left)
			rel(r.Right)
		case *ir.AsOfJoin:
			rel(r.Left)
			rel(r.Right)
		case *ir.Union:
			for _, in := range r.Rels {
				rel(in)
			}
		}
	}
	expr(e)
	return out
}
