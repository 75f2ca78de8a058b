package ir

import (
	"fmt"

	"github.com/featc/featc/lang"
	"github.com/featc/featc/types"
)

// Field is a column of a schema.
type Field struct {
	Name string
	Type types.Type
}

// Schema is an ordered list of uniquely named columns.
type Schema []Field

// Index returns the position of the named column, or -1.
func (s Schema) Index(name string) int {
	for i, f := range s {
		if f.Name == name {
			return i
		}
	}
	return -1
}

// Lookup returns the named column.
func (s Schema) Lookup(name string) (Field, bool) {
	if i := s.Index(name); i >= 0 {
		return s[i], true
	}
	return Field{}, false
}

// Names returns the column names in order.
func (s Schema) Names() []string {
	out := make([]string, len(s))
	for i, f := range s {
		out[i] = f.Name
	}
	return out
}

// Rel is a relational operator: a typed tree whose every node knows its output schema. The
// kinds are few: scan, definition reference, filter, project, aggregate, sort, limit, distinct,
// join, as-of join, union, and the entity-features apply with its spine and locals.
type Rel interface {
	Schema() Schema
	Span() lang.Span
	Inputs() []Rel
	relNode()
}

// Scan reads a source.
type Scan struct {
	Source string
	Cols   Schema
	Sp     lang.Span
}

// DefRef reads the output of another definition (a frame or a features block), which SQL
// renders as the CTE of that name.
type DefRef struct {
	Name string
	Cols Schema
	Sp   lang.Span
}

// Filter keeps the rows where Pred is true (not false, not null).
type Filter struct {
	Input Rel
	Pred  Expr
	Sp    lang.Span
}

// Project computes its output columns from each input row. select, with_columns, drop, rename
// and feature blocks all become Projects.
type Project struct {
	Input Rel
	Cols  []NamedExpr
	Sp    lang.Span
	// schema caches the output schema; constructors set it, never a reader.
	schema Schema
}

// Aggregate groups its input by Keys and computes Aggs per group (Keys empty: one group over
// the whole input, which yields one row even when the input is empty).
type Aggregate struct {
	Input  Rel
	Keys   []NamedExpr
	Aggs   []NamedExpr
	Sp     lang.Span
	schema Schema
}

// Sort orders rows by Keys; equal rows keep their input order (a stable sort).
type Sort struct {
	Input Rel
	Keys  []SortKey
	Sp    lang.Span
}

// Limit keeps the first N rows after skipping Offset.
type Limit struct {
	Input  Rel
	N      int64
	Offset int64
	Sp     lang.Span
}

// Distinct removes duplicate rows (nulls equal to nulls, NaN to NaN).
type Distinct struct {
	Input Rel
	Sp    lang.Span
}

// JoinKind is the kind of a join.
type JoinKind uint8

// Join kinds.
const (
	InvalidJoin JoinKind = iota
	InnerJoin
	LeftJoin
	FullJoin
	SemiJoin
	AntiJoin
	CrossJoin
)

var joinNames = [...]string{"invalid", "inner", "left", "full", "semi", "anti", "cross"}

func (k JoinKind) String() string { return joinNames[k] }

// ParseJoinKind maps the `how` option of join to a JoinKind.
func ParseJoinKind(s string) (JoinKind, bool) {
	for i, n := range joinNames {
		if n == s && i > 0 {
			return JoinKind(i), true
		}
	}
	return InvalidJoin, false
}

// Side says which input of a join a column comes from.
type Side uint8

// Sides.
const (
	LeftSide Side = iota
	RightSide
	// CoalescedKey is a key column of a full join: the left key, or the right one where the
	// row has no left match.
	CoalescedKey
)

// JoinCol is an output column of a join: column Name of one side, output as Out.
type JoinCol struct {
	Side Side
	Name string
	// RightName is the right side's key column for a CoalescedKey.
	RightName string
	Out       string
	T         types.Type
}

// Join matches rows of Left and Right whose keys are equal (null keys never match).
type Join struct {
	Left, Right Rel
	Kind        JoinKind
	LeftKeys    []string
	RightKeys   []string
	Cols        []JoinCol
	Sp          lang.Span
}

// AsOfStrategy says which right row an as-of join picks.
type AsOfStrategy uint8

// As-of strategies.
const (
	InvalidStrategy AsOfStrategy = iota
	// Backward picks the right row with the greatest on-value <= the left's.
	Backward
	// Forward picks the right row with the smallest on-value >= the left's.
	Forward
)

func (s AsOfStrategy) String() string {
	return [...]string{"invalid", "backward", "forward"}[s]
}

// AsOfJoin is a left join that picks, for each left row, the one right row with equal By keys
// whose On value is nearest at or before (Backward) or at or after (Forward) the left's On
// value, within Tolerance when it is positive.
type AsOfJoin struct {
	Left, Right Rel
	LeftOn      string
	RightOn     string
	LeftBy      []string
	RightBy     []string
	Strategy    AsOfStrategy
	Tolerance   int64 // microseconds (or units of an integer key); 0 for none
	Cols        []JoinCol
	Sp          lang.Span
}

// Union appends the rows of its inputs, which have equal schemas (the checker inserts
// Projects that reorder and convert columns).
type Union struct {
	Rels []Rel
	Sp   lang.Span
}

// Spine is the input of entity features: the entity's key columns and the observation time,
// one row per (entity, time) to compute features for. It is bound at run time (a one-row
// request in realtime, a spine frame in a backfill).
type Spine struct {
	Cols Schema
	Sp   lang.Span
}

// LocalFrame reads a frame defined inside an entity features block.
type LocalFrame struct {
	Name string
	Cols Schema
	Sp   lang.Span
}

// EntityApply computes scalar features for every row of Spine from frames restricted to the
// row's entity and time (Outer refs inside its steps). The output is the spine's columns
// followed by the features.
type EntityApply struct {
	Spine Rel
	Keys  []string // entity key columns of the spine
	Time  string   // the time column of the spine
	// Steps computes the block's entries in dependency order: local frames (Rel set) and
	// features (Expr set); a step reads only the spine and earlier steps.
	Steps []EntityStep
	// Features lists the features in declared order: the output columns after the spine's.
	// Their expressions are those of the feature steps.
	Features []NamedExpr
	Sp       lang.Span
}

// EntityStep is an entry of an entity features block: a local frame or a feature.
type EntityStep struct {
	Name string
	Rel  Rel
	Expr Expr
}

func (r *Scan) Schema() Schema       { return r.Cols }
func (r *DefRef) Schema() Schema     { return r.Cols }
func (r *Filter) Schema() Schema     { return r.Input.Schema() }
func (r *Sort) Schema() Schema       { return r.Input.Schema() }
func (r *Limit) Schema() Schema      { return r.Input.Schema() }
func (r *Distinct) Schema() Schema   { return r.Input.Schema() }
func (r *Spine) Schema() Schema      { return r.Cols }
func (r *LocalFrame) Schema() Schema { return r.Cols }
func (r *Union) Schema() Schema      { return r.Rels[0].Schema() }

func (r *Project) Schema() Schema {
	if r.schema != nil {
		return r.schema
	}
	return namedSchema(r.Cols)
}

func (r *Aggregate) Schema() Schema {
	if r.schema != nil {
		return r.schema
	}
	return append(namedSchema(r.Keys), namedSchema(r.Aggs)...)
}

func (r *Join) Schema() Schema     { return joinSchema(r.Cols) }
func (r *AsOfJoin) Schema() Schema { return joinSchema(r.Cols) }

func (r *EntityApply) Schema() Schema {
	return append(append(Schema{}, r.Spine.Schema()...), namedSchema(r.Features)...)
}

func namedSchema(cols []NamedExpr) Schema {
	s := make(Schema, len(cols))
	for i, c := range cols {
		s[i] = Field{Name: c.Name, Type: c.Expr.Type()}
	}
	return s
}

func joinSchema(cols []JoinCol) Schema {
	s := make(Schema, len(cols))
	for i, c := range cols {
		s[i] = Field{Name: c.Out, Type: c.T}
	}
	return s
}

func (r *Scan) Span() lang.Span        { return r.Sp }
func (r *DefRef) Span() lang.Span      { return r.Sp }
func (r *Filter) Span() lang.Span      { return r.Sp }
func (r *Project) Span() lang.Span     { return r.Sp }
func (r *Aggregate) Span() lang.Span   { return r.Sp }
func (r *Sort) Span() lang.Span        { return r.Sp }
func (r *Limit) Span() lang.Span       { return r.Sp }
func (r *Distinct) Span() lang.Span    { return r.Sp }
func (r *Join) Span() lang.Span        { return r.Sp }
func (r *AsOfJoin) Span() lang.Span    { return r.Sp }
func (r *Union) Span() lang.Span       { return r.Sp }
func (r *Spine) Span() lang.Span       { return r.Sp }
func (r *LocalFrame) Span() lang.Span  { return r.Sp }
func (r *EntityApply) Span() lang.Span { return r.Sp }

func (r *Scan) Inputs() []Rel       { return nil }
func (r *DefRef) Inputs() []Rel     { return nil }
func (r *Filter) Inputs() []Rel     { return []Rel{r.Input} }
func (r *Project) Inputs() []Rel    { return []Rel{r.Input} }
func (r *Aggregate) Inputs() []Rel  { return []Rel{r.Input} }
func (r *Sort) Inputs() []Rel       { return []Rel{r.Input} }
func (r *Limit) Inputs() []Rel      { return []Rel{r.Input} }
func (r *Distinct) Inputs() []Rel   { return []Rel{r.Input} }
func (r *Join) Inputs() []Rel       { return []Rel{r.Left, r.Right} }
func (r *AsOfJoin) Inputs() []Rel   { return []Rel{r.Left, r.Right} }
func (r *Union) Inputs() []Rel      { return r.Rels }
func (r *Spine) Inputs() []Rel      { return nil }
func (r *LocalFrame) Inputs() []Rel { return nil }
func (r *EntityApply) Inputs() []Rel {
	in := []Rel{r.Spine}
	for _, st := range r.Steps {
		if st.Rel != nil {
			in = append(in, st.Rel)
		}
	}
	return in
}

func (*Scan) relNode()        {}
func (*DefRef) relNode()      {}
func (*Filter) relNode()      {}
func (*Project) relNode()     {}
func (*Aggregate) relNode()   {}
func (*Sort) relNode()        {}
func (*Limit) relNode()       {}
func (*Distinct) relNode()    {}
func (*Join) relNode()        {}
func (*AsOfJoin) relNode()    {}
func (*Union) relNode()       {}
func (*Spine) relNode()       {}
func (*LocalFrame) relNode()  {}
func (*EntityApply) relNode() {}

// ---- Constructors: they refuse to build an ill-formed plan. ----

// NewFilter returns a Filter, or an error if pred is not a boolean row condition over input.
func NewFilter(input Rel, pred Expr, sp lang.Span) (*Filter, error) {
	if pred.Type().Kind != types.Bool && pred.Type().Kind != types.Null {
		return nil, fmt.Errorf("filter condition has type %s, not bool", pred.Type())
	}
	if ContainsAgg(pred) {
		return nil, fmt.Errorf("filter condition has an aggregate outside a window")
	}
	if err := checkCols(indexSchema(input.Schema()), pred); err != nil {
		return nil, err
	}
	return &Filter{Input: input, Pred: pred, Sp: sp}, nil
}

// NewProject returns a Project, or an error if two columns share a name or an expression reads
// a column the input does not have.
func NewProject(input Rel, cols []NamedExpr, sp lang.Span) (*Project, error) {
	in := indexSchema(input.Schema())
	seen := make(map[string]bool, len(cols))
	for _, c := range cols {
		if seen[c.Name] {
			return nil, fmt.Errorf("duplicate output column %q", c.Name)
		}
		seen[c.Name] = true
		if ContainsAgg(c.Expr) {
			return nil, fmt.Errorf("column %q has an aggregate outside a window", c.Name)
		}
		if err := checkCols(in, c.Expr); err != nil {
			return nil, err
		}
	}
	p := &Project{Input: input, Cols: cols, Sp: sp}
	p.schema = namedSchema(cols)
	return p, nil
}

// NewAggregate returns an Aggregate, or an error if a key is an aggregate or window, or an
// output name repeats.
func NewAggregate(input Rel, keys, aggs []NamedExpr, sp lang.Span) (*Aggregate, error) {
	in := indexSchema(input.Schema())
	seen := map[string]bool{}
	for _, k := range keys {
		if seen[k.Name] {
			return nil, fmt.Errorf("duplicate output column %q", k.Name)
		}
		seen[k.Name] = true
		if ContainsAgg(k.Expr) || ContainsWindow(k.Expr) {
			return nil, fmt.Errorf("group key %q is an aggregate or a window function", k.Name)
		}
		if err := checkCols(in, k.Expr); err != nil {
			return nil, err
		}
	}
	for _, a := range aggs {
		if seen[a.Name] {
			return nil, fmt.Errorf("duplicate output column %q", a.Name)
		}
		seen[a.Name] = true
		if ContainsWindow(a.Expr) {
			return nil, fmt.Errorf("aggregation %q has a window function", a.Name)
		}
		var bad error
		WalkExpr(a.Expr, func(x Expr) bool {
			switch x := x.(type) {
			case *Col:
				if bad == nil {
					bad = fmt.Errorf("aggregation %q reads column %q outside an aggregate", a.Name, x.Name)
				}
			case *Agg:
				for _, c := range Children(x) {
					if err := checkCols(in, c); err != nil && bad == nil {
						bad = err
					}
				}
				return false
			}
			return true
		})
		if bad != nil {
			return nil, bad
		}
	}
	a := &Aggregate{Input: input, Keys: keys, Aggs: aggs, Sp: sp}
	a.schema = append(namedSchema(keys), namedSchema(aggs)...)
	return a, nil
}

// indexSchema maps column names to their types.
func indexSchema(s Schema) map[string]types.Type {
	m := make(map[string]types.Type, len(s))
	for _, f := range s {
		m[f.Name] = f.Type
	}
	return m
}

// checkCols verifies that every column e reads exists in the input with the type e expects.
func checkCols(in map[string]types.Type, e Expr) error {
	var bad error
	WalkExpr(e, func(x Expr) bool {
		if c, ok := x.(*Col); ok && bad == nil {
			t, ok := in[c.Name]
			switch {
			case !ok:
				bad = fmt.Errorf("column %q is not in the input", c.Name)
			case t != c.T:
				bad = fmt.Errorf("column %q has type %s in the input, not %s", c.Name, t, c.T)
			}
		}
		return bad == nil
	})
	return bad
}

// ApplyOf returns the entity application a relation computes, looking through the
// projections that pruning puts above it, or nil.
func ApplyOf(r Rel) *EntityApply {
	for {
		switch x := r.(type) {
		case *EntityApply:
			return x
		case *Project:
			r = x.Input
		case *Filter:
			r = x.Input
		default:
			return nil
		}
	}
}

// Ordered reports whether a relation's rows come in a defined order: those of a sort, kept
// through the limits, filters and projections above it. Other relations are sets of rows.
func Ordered(r Rel) bool {
	for {
		switch x := r.(type) {
		case *Sort:
			return true
		case *Limit:
			r = x.Input
		case *Filter:
			r = x.Input
		case *Project:
			r = x.Input
		default:
			return false
		}
	}
}

// UniqueKey returns names of columns whose values tell a relation's rows apart (no two rows
// agree on all of them, nulls counting as equal), and whether such a key is known: the group
// keys of an aggregation (none for a whole-frame aggregation, which has one row), every column
// of a distinct relation, kept through filters, sorts, limits and projections that pass the
// key's columns on. Sorting by a unique key leaves no ties to break.
func UniqueKey(r Rel) ([]string, bool) {
	switch x := r.(type) {
	case *Aggregate:
		var out []string
		for _, k := range x.Keys {
			out = append(out, k.Name)
		}
		return out, true
	case *Distinct:
		var out []string
		for _, c := range x.Schema() {
			out = append(out, c.Name)
		}
		return out, true
	case *Filter:
		return UniqueKey(x.Input)
	case *Sort:
		return UniqueKey(x.Input)
	case *Limit:
		return UniqueKey(x.Input)
	case *Project:
		key, ok := UniqueKey(x.Input)
		if !ok {
			return nil, false
		}
		out := make([]string, 0, len(key))
		for _, k := range key {
			found := false
			for _, c := range x.Cols {
				if col, isCol := c.Expr.(*Col); isCol && col.Name == k {
					out = append(out, c.Name)
					found = true
					break
				}
			}
			if !found {
				return nil, false
			}
		}
		return out, true
	}
	return nil, false
}
