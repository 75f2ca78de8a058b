package sqlgen

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/featc/featc/ir"
	"github.com/featc/featc/lang"
	"github.com/featc/featc/types"
)

// Expr is a written SQL expression with its binding strength and size (the number of IR nodes
// it stands for, which decides whether a generator may copy it into another expression).
type Expr struct {
	SQL  string
	Prec int
	Size int
	// Const marks an expression of literals only: it orders nothing, and SQL reads a bare
	// literal in ORDER BY or GROUP BY as a column position (or refuses it).
	Const bool
	// Depth is how deep the expression's tree nests (at least one level per call written over
	// its arguments): engines parse and bind expressions recursively and refuse, or run out of
	// stack on, deep ones (Caps.MaxExprDepth). A chain a + b + c nests as deep written flat as
	// in parentheses: SQL reads it as ((a + b) + c).
	Depth int
	// chain is the left-associative operator the expression ends in at its top level ("+",
	// "*", "AND", "OR"; "" for others), for writing chains flat (see leftFlat).
	chain string
}

func atom(sql string) Expr { return Expr{SQL: sql, Prec: PrecAtom, Size: 1} }

// Call is a function call being written: the dialect, the IR node, the written arguments and
// their types, and the constant arguments' values (for options decoded at compile time).
type Call struct {
	D      *Dialect
	Name   string // the function's name
	ID     string // the overload's ID
	Args   []Expr
	Types  []types.Type
	Consts []*types.Value // the value of each constant argument, or nil
	Result types.Type
	Order  []SortKey // first/last: the order, written
	// Over is the window clause (" OVER (PARTITION BY …)") when an aggregate is computed over a
	// partition as a window function (Caps.PartitionAggs), else empty; templates write it
	// where {over} stands, after each aggregate call.
	Over string
}

// SortKey is a written ORDER BY item.
type SortKey struct {
	Expr       Expr
	Descending bool
	NullsLast  bool
	IsString   bool
}

// Type returns the SQL name of the i-th argument's type.
func (c *Call) Type(i int) string { return c.D.TypeName(c.Types[i]) }

// ResultType returns the SQL name of the result type.
func (c *Call) ResultType() string { return c.D.TypeName(c.Result) }

// Const returns the i-th argument's constant value, or an error when it is not one.
func (c *Call) Const(i int) (types.Value, error) {
	if i < len(c.Consts) && c.Consts[i] != nil {
		return *c.Consts[i], nil
	}
	return types.Value{}, fmt.Errorf("%s: argument %d must be a constant", c.Name, i+1)
}

// Fill writes a template text with the call's arguments.
func (c *Call) Fill(text string, prec int) Expr {
	return fillOver(c.D, text, prec, c.Args, c.Types, c.Result, c.Over)
}

var placeholder = regexp.MustCompile(`\{(args|type|over|t?\d+)\}`)

// fill substitutes {n}, {args}, {type} and {tn} in text; an argument goes in parentheses when
// it binds no tighter than the template's own operator.
func fill(d *Dialect, text string, prec int, args []Expr, ts []types.Type, result types.Type) Expr {
	return fillOver(d, text, prec, args, ts, result, "")
}

// fillOver is fill with the window clause that {over} stands for (empty outside a window: a
// plain aggregate). Placeholders are read from the template only, never from what fills them.
func fillOver(d *Dialect, text string, prec int, args []Expr, ts []types.Type, result types.Type, over string) Expr {
	if text == "{0}" && len(args) > 0 {
		// The argument itself (an integer's floor, a duration's microseconds): it keeps its own
		// binding strength, so that an operator over the call groups it.
		return args[0]
	}
	size := 1
	for _, a := range args {
		size += a.Size
	}
	var b strings.Builder
	last := 0
	depth := 1
	for _, loc := range placeholder.FindAllStringIndex(text, -1) {
		b.WriteString(text[last:loc[0]])
		switch key := text[loc[0]+1 : loc[1]-1]; {
		case key == "over":
			b.WriteString(over)
		default:
			b.WriteString(fillOne(d, text, loc, prec, args, ts, result))
			// The argument nests one level under the template, and one more per call or
			// parenthesis of the template around it.
			if key == "args" {
				depth = max(depth, 1+argDepth(args)+parensAt(text, loc[0]))
			} else if i, err := strconv.Atoi(key); err == nil {
				depth = max(depth, 1+args[i].Depth+parensAt(text, loc[0]))
			}
		}
		last = loc[1]
	}
	b.WriteString(text[last:])
	out := b.String()
	cst := len(args) > 0
	for _, a := range args {
		cst = cst && a.Const
	}
	return Expr{SQL: out, Prec: prec, Size: size, Const: cst, Depth: depth, chain: chainOf(text, prec)}
}

// parensAt counts the parentheses of a template open at offset i.
func parensAt(text string, i int) int {
	n := 0
	for _, r := range text[:i] {
		switch r {
		case '(':
			n++
		case ')':
			n--
		}
	}
	return max(n, 0)
}

// argDepth is the depth of the deepest argument.
func argDepth(args []Expr) int {
	d := 0
	for _, a := range args {
		d = max(d, a.Depth)
	}
	return d
}

// chainOps gives the left-associative binary operators of each precedence level that every
// engine parses alike (standard SQL; DuckDB's and Postgres' grammars: + and - bind alike and
// associate to the left, as do * / %, AND, OR). Others — comparisons, which do not associate
// (Postgres), ||, //, which engines rank differently — are not written as flat chains.
var chainOps = map[int][]string{PrecAdd: {"+", "-"}, PrecMul: {"*", "/", "%"}, PrecAnd: {"AND"}, PrecOr: {"OR"}}

// chainOf returns the level of chain a template writes — its text begins with its first
// argument and one of chainOps' operators of its own precedence — or "".
func chainOf(text string, prec int) string {
	rest, ok := strings.CutPrefix(text, "{0} ")
	if !ok {
		return ""
	}
	for _, op := range chainOps[prec] {
		if strings.HasPrefix(rest, op+" ") {
			return strconv.Itoa(prec)
		}
	}
	return ""
}

// fillOne writes the placeholder at loc of a template. An argument goes in parentheses when it
// binds no tighter than the template's own operator, or when the template puts an operator
// right next to it inside a call (FLOOR({0} / 2)), where the template's own precedence says
// nothing.
func fillOne(d *Dialect, text string, loc []int, prec int, args []Expr, ts []types.Type, result types.Type) string {
	key := text[loc[0]+1 : loc[1]-1]
	switch {
	case key == "args":
		parts := make([]string, len(args))
		for i, a := range args {
			parts[i] = a.SQL
		}
		return strings.Join(parts, ", ")
	case key == "type":
		return d.TypeName(result)
	case key[0] == 't':
		i, _ := strconv.Atoi(key[1:])
		return d.TypeName(ts[i])
	}
	i, _ := strconv.Atoi(key)
	a := args[i]
	if prec > PrecAtom && a.Prec >= prec && !leftFlat(text, loc, prec, a) {
		return "(" + a.SQL + ")"
	}
	if prec == PrecAtom && a.Prec > PrecAtom && nextToOperator(text, loc) {
		return "(" + a.SQL + ")"
	}
	return a.SQL
}

// leftFlat reports whether the argument a, written at loc as the left operand of the
// template's operator, needs no parentheses: both are left-associative operators of one level
// (chainOps), so that SQL reads "a - b + c" as "(a - b) + c", the same tree. A left-deep chain
// of 10,000 additions is then 10,000 operators, not 10,000 nested parentheses (which exhaust
// the bison parser stack of DuckDB and Postgres: "memory exhausted"). The right operand keeps
// its parentheses: a - (b - c) is another tree. Nothing is reassociated, so float sums keep
// their order of evaluation.
func leftFlat(text string, loc []int, prec int, a Expr) bool {
	return loc[0] == 0 && a.Prec == prec && a.chain != "" && a.chain == chainOf(text, prec)
}

// nextToOperator reports whether an arithmetic, comparison or concatenation operator stands
// right before or after the placeholder at loc (spaces aside).
func nextToOperator(text string, loc []int) bool {
	const ops = "+-*/%<>=|"
	before := strings.TrimRight(text[:loc[0]], " ")
	after := strings.TrimLeft(text[loc[1]:], " ")
	return (before != "" && strings.ContainsRune(ops, rune(before[len(before)-1]))) ||
		(after != "" && strings.ContainsRune(ops, rune(after[0])))
}

// Paren writes an expression as an operand: in parentheses unless it is an atom.
func Paren(e Expr) string {
	if e.Prec == PrecAtom {
		return e.SQL
	}
	return "(" + e.SQL + ")"
}

// Error is a construct that a dialect cannot compute with featc's semantics, or that the
// generator cannot write: a compile-time refusal naming the construct and the engine.
type Error struct {
	Dialect   string
	Construct string
	Reason    string
	Link      string
	Span      lang.Span
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("%s cannot be computed on %s: %s", e.Construct, e.Dialect, e.Reason)
	if e.Link != "" {
		msg += " (see " + e.Link + ")"
	}
	if e.Span.IsValid() {
		return e.Span.String() + ": " + msg
	}
	return msg
}

// Diagnostic renders the refusal as a .feat diagnostic at the construct.
func (e *Error) Diagnostic() *lang.Diagnostic {
	d := &lang.Diagnostic{Severity: lang.Error, Code: lang.EUnsupported, Span: e.Span,
		Message: fmt.Sprintf("%s cannot be computed on %s: %s", e.Construct, e.Dialect, e.Reason)}
	if e.Link != "" {
		d.Hint = "see " + e.Link + "; the evaluator (--engine eval) and the other engines compute it"
	}
	return d
}

// scope resolves the leaves of expressions while a relation is written: the columns of its
// input, group keys, scalars of the enclosing program, and the row of entity features.
type scope struct {
	g *gen
	// cols gives each input column by name (its written expression and type); order lists
	// their names in schema order.
	cols  map[string]qcol
	order []string
	// keys holds the written group keys (GroupKey index) inside an aggregation.
	keys []Expr
	// ent is the enclosing entity-features context, if any.
	ent *entityScope
	// inAgg is set inside an aggregation: aggregates are written as aggregate calls.
	inAgg bool
	// input, where set, returns the relation the scope's columns come from, as a query of its
	// own: aggregates that SQL has no window form of are computed over it by partition.
	input func() *query
	// over is the window clause of an aggregate written as a window function (Call.Over).
	over string
}

// expr writes an IR expression.
func (s *scope) expr(e ir.Expr) (Expr, error) {
	g := s.g
	switch e := e.(type) {
	case *ir.Col:
		c, ok := s.cols[e.Name]
		if !ok {
			return Expr{}, fmt.Errorf("column %s is not in scope", e.Name)
		}
		return c.expr, nil
	case *ir.GroupKey:
		if e.Index >= len(s.keys) {
			return Expr{}, fmt.Errorf("group key %s is not in scope", e.Name)
		}
		return s.keys[e.Index], nil
	case *ir.Lit:
		return g.literal(e.Value)
	case *ir.ParamRef:
		return g.param(e)
	case *ir.LetRef:
		return atom("(SELECT " + g.d.Ident(e.Name) + " FROM " + g.d.Ident(e.Name) + ")"), nil
	case *ir.Outer:
		if s.ent == nil {
			return Expr{}, fmt.Errorf("%s outside entity features", e.Name)
		}
		return atom(s.ent.alias + "." + g.d.Ident(e.Name)), nil
	case *ir.LocalRef:
		if s.ent == nil {
			return Expr{}, fmt.Errorf("feature %s outside entity features", e.Name)
		}
		x, ok := s.ent.features[e.Name]
		if !ok {
			return Expr{}, fmt.Errorf("feature %s is not computed yet", e.Name)
		}
		return x, nil
	case *ir.Subquery:
		if s.ent != nil && s.ent.aggCols != nil {
			if c, ok := s.ent.aggCols[e]; ok {
				return c, nil
			}
		}
		q, err := g.rel(e.Rel, s.ent)
		if err != nil {
			return Expr{}, err
		}
		return Expr{SQL: "(" + strings.ReplaceAll(q.sql(g.d, ""), "\n", "\n    ") + ")", Prec: PrecAtom, Size: 1}, nil
	case *ir.Cast:
		x, err := s.expr(e.X)
		if err != nil {
			return Expr{}, err
		}
		out, err := g.cast(x, e.X.Type(), e.To, e.Sp)
		if err != nil {
			return Expr{}, err
		}
		out.Depth = max(out.Depth, x.Depth+1)
		return out, g.checkDepth(out, e.Sp)
	case *ir.Call:
		return s.call(e.Func.Name, e.Overload.ID, e.Args, nil, e.T, e.Sp)
	case *ir.Agg:
		if !s.inAgg {
			return Expr{}, fmt.Errorf("aggregate %s outside an aggregation", e.Func.Name)
		}
		inner := *s
		inner.inAgg = false // no aggregate inside an aggregate
		x, err := inner.call(e.Func.Name, e.Overload.ID, e.Args, e.OrderBy, e.T, e.Sp)
		return s.g.positiveZero(x, e.T, e.Func.Name), err
	case *ir.Window:
		x, err := s.window(e)
		return s.g.positiveZero(x, e.T, e.Func.Name), err
	}
	return Expr{}, fmt.Errorf("cannot write %T in SQL", e)
}

// positiveZero makes a float aggregate's or window function's zero +0.0 (docs/semantics.md,
// Floats): which of tied ±0 values an engine's MIN, MAX, FIRST or quantile returns, and the sign
// of a zero sum, differ between engines. shift and lead move values and keep them as they are.
func (g *gen) positiveZero(x Expr, t types.Type, fn string) Expr {
	if t.Kind != types.Float64 || fn == "shift" || fn == "lead" || x.SQL == "" {
		return x
	}
	out := x
	out.SQL = "(" + x.SQL + " + CAST(0 AS " + g.d.TypeName(types.Float64T) + "))"
	out.Prec, out.Size, out.Const = PrecAtom, x.Size+1, false
	out.Depth = x.Depth + 1
	return out
}

// call writes a function call through the dialect's table.
func (s *scope) call(name, id string, args []ir.Expr, order []ir.SortKey, result types.Type, sp lang.Span) (Expr, error) {
	t, err := s.g.template(name, id, sp)
	if err != nil {
		return Expr{}, err
	}
	c := &Call{D: s.g.d, Name: name, ID: id, Result: result, Over: s.over}
	if s.over != "" {
		plain := *s
		plain.over = "" // the window clause is the call's, not its arguments'
		s = &plain
	}
	if err := s.writeArgs(c, args); err != nil {
		return Expr{}, err
	}
	for _, k := range order {
		w, err := s.expr(k.Expr)
		if err != nil {
			return Expr{}, err
		}
		if w.Const {
			continue // a constant orders nothing
		}
		c.Order = append(c.Order, SortKey{Expr: w, Descending: k.Descending, NullsLast: k.NullsLast, IsString: k.Expr.Type().Kind == types.String})
	}
	out, err := t.apply(c)
	if err != nil {
		return Expr{}, &Error{Dialect: s.g.d.Name, Construct: name, Reason: err.Error(), Span: sp}
	}
	return out, s.g.checkDepth(out, sp)
}

// checkDepth refuses an expression nested deeper than the engine parses (Caps.MaxExprDepth):
// at compile time, naming the engine, rather than as the engine's error at run time.
// Projections are computed in stages (stage) and do not get here; a filter, a sort key, an
// aggregate's argument or a let does.
func (g *gen) checkDepth(e Expr, sp lang.Span) error {
	if limit := g.d.Caps.MaxExprDepth; limit > 0 && e.Depth > limit {
		return &Error{Dialect: g.d.Name, Construct: fmt.Sprintf("an expression nested %d levels deep", e.Depth), Span: sp,
			Link:   g.d.Caps.MaxExprDepthDocs,
			Reason: fmt.Sprintf("%s parses expressions at most %d levels deep; compute parts of it as columns first (with_columns(part = …)), which featc writes in stages", g.d.Name, limit)}
	}
	return nil
}

// constValue returns the value of a constant expression: a literal, or a negated one.
func constValue(e ir.Expr) (types.Value, bool) {
	switch e := e.(type) {
	case *ir.Lit:
		return e.Value, true
	case *ir.Cast:
		// A literal integer widened to a float or an integer type (the checker's promotions).
		if v, ok := constValue(e.X); ok && !v.Null && v.Type.IsInteger() {
			switch e.To.Kind {
			case types.Float64:
				return types.Float64Value(float64(v.I)), true
			case types.Int64, types.Int32:
				v.Type = e.To
				return v, true
			}
		}
	case *ir.Call:
		if e.Func.Name == "neg" && len(e.Args) == 1 {
			if v, ok := constValue(e.Args[0]); ok && !v.Null {
				switch v.Type.Kind {
				case types.Int64, types.Int32, types.Duration, types.Interval:
					v.I = -v.I
					return v, true
				case types.Float64:
					v.F = -v.F
					return v, true
				}
			}
		}
	}
	return types.Value{}, false
}

// template looks a function up for the dialect (Dialect.template), placing a refusal at sp.
func (g *gen) template(name, id string, sp lang.Span) (Template, error) {
	t, err := g.d.template(name, id)
	var e *Error
	if errors.As(err, &e) {
		e.Span = sp
	}
	return t, err
}

func constructName(name string) string {
	if strings.ContainsAny(name, "+-*/<>=") {
		return "operator " + name
	}
	return name + "()"
}

// writeArgs writes a call's arguments, with their types and the values of the constant ones.
func (s *scope) writeArgs(c *Call, args []ir.Expr) error {
	for _, a := range args {
		w, err := s.expr(a)
		if err != nil {
			return err
		}
		c.Args = append(c.Args, w)
		c.Types = append(c.Types, a.Type())
		var cv *types.Value
		if v, ok := constValue(a); ok {
			cv = &v
		}
		c.Consts = append(c.Consts, cv)
	}
	return nil
}
