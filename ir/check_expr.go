package ir

import (
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"

	"github.com/featc/featc/lang"
	"github.com/featc/featc/stdlib"
	"github.com/featc/featc/types"
)

// ctxKind says what an expression computes in its position.
type ctxKind uint8

const (
	// ctxScalar: outside any frame (a let, a param default, an entity feature): only single
	// values exist.
	ctxScalar ctxKind = iota
	// ctxRow: a value per row of the current frame (filter, select, with_columns, sort, a
	// features block).
	ctxRow
	// ctxAgg: a value per group (agg): columns only inside aggregates, group keys anywhere.
	ctxAgg
)

// env is the scope of an expression.
type env struct {
	ctx    ctxKind
	schema Schema
	// frameName names the current frame in messages.
	frameName string
	// inAgg is set while checking the arguments of an aggregate in ctxAgg.
	inAgg bool
	keys  []NamedExpr
	block *block
	ent   *entityScope
}

func (c *checker) globalEnv() *env { return &env{ctx: ctxScalar} }

// rowEnv is the scope of row expressions over rel, keeping the enclosing block and entity.
func (e *env) rowEnv(rel Rel, name string) *env {
	r := &env{ctx: ctxRow, schema: rel.Schema(), frameName: name, ent: e.ent}
	if e.block != nil && e.block.entity {
		// Scalar features of entity features are single values, usable inside its frames.
		r.block = e.block
	}
	return r
}

// vkind is the kind of a checked expression's value.
type vkind uint8

const (
	vBad vkind = iota
	vExpr
	vFrame
	vGroupBy
	vNamespace
	vFrameCol
	vWhen
	vType
	vList
)

// value is what checking an expression yields: a typed expression, a frame, or one of the
// intermediate values of method chains (a group_by awaiting agg, x.str awaiting a method, a
// column of another frame, a when awaiting then).
type value struct {
	kind vkind
	expr Expr
	rel  Rel
	// relName names the frame of a vFrame or vFrameCol in messages.
	relName string
	keys    []NamedExpr // vGroupBy
	ns      string      // vNamespace: "str" or "dt"
	recv    *value      // vNamespace: the receiver
	when    *whenBuilder
	typ     types.Type
	list    []lang.Expr // vList: the element syntax, checked by the consumer
	node    lang.Expr
	// pending marks an aggregate or window function in a row context, which only .over(...)
	// can consume; held lists every such call inside an expression built on them, which
	// .over(...) applies to all, as Polars does: (x - x.shift(1)).over(g, order_by = t).
	pending *pendingCall
	held    []heldCall
}

// heldCall is a pending call inside an expression: the node standing for it until .over(…)
// replaces it with its window.
type heldCall struct {
	node Expr
	p    *pendingCall
}

// operand returns a value as an operand of a scalar function or operator: a pending aggregate
// or window function is allowed, and held for the .over(…) that must follow.
func (c *checker) operand(v value, node lang.Expr) (Expr, []heldCall, bool) {
	if v.kind == vExpr && v.pending != nil {
		if v.held != nil {
			return v.expr, v.held, true
		}
		return v.expr, []heldCall{{v.expr, v.pending}}, true
	}
	x, ok := c.asExpr(v, node)
	return x, nil, ok
}

// holding marks a value built on pending calls as pending them all.
func holding(v value, held []heldCall) value {
	if len(held) > 0 && v.kind == vExpr {
		v.pending, v.held = held[0].p, held
	}
	return v
}

var bad = value{kind: vBad}

// pendingCall is an aggregate or window function call awaiting .over(...).
type pendingCall struct {
	fn   *stdlib.Func
	res  stdlib.Resolution
	args []Expr
	// consts holds the constant arguments by parameter name.
	consts map[string]types.Value
	given  map[string]bool
	order  []SortKey // first/last's order_by
	byExpr Expr      // rolling time window's by
	sp     lang.Span
}

func exprValue(e Expr, node lang.Expr) value { return value{kind: vExpr, expr: e, node: node} }

// expr checks a syntax expression in env.
func (c *checker) expr(x lang.Expr, e *env) value {
	switch x := x.(type) {
	case *lang.BasicLit:
		return c.literal(x)
	case *lang.Ident:
		return c.ident(x, e)
	case *lang.ParenExpr:
		v := c.expr(x.X, e)
		v.node = x
		return v
	case *lang.UnaryExpr:
		return c.unary(x, e)
	case *lang.BinaryExpr:
		return c.binary(x, e)
	case *lang.SelectorExpr:
		return c.selector(x, e)
	case *lang.CallExpr:
		return c.call(x, e)
	case *lang.ListExpr:
		return value{kind: vList, list: x.Elems, node: x}
	case *lang.MapExpr:
		c.diags.Errorf(lang.ENotScalar, x.Span(), "a mapping {…: …} is not a value").
			WithHint("mappings are arguments of replace and replace_strict: x.replace({\"a\": 1})")
		return bad
	case *lang.BadExpr:
		return bad
	}
	return bad
}

// literal decodes a literal. The scanner has already reported malformed literals.
func (c *checker) literal(x *lang.BasicLit) value {
	var v types.Value
	switch x.Kind {
	case lang.IntLit:
		i, err := strconv.ParseInt(strings.ReplaceAll(x.Raw, "_", ""), 10, 64)
		if err != nil {
			c.diags.Errorf(lang.EIntRange, x.Sp, "integer %s does not fit in int64", x.Raw).
				WithHint("int64 holds -9223372036854775808 to 9223372036854775807; write a float as %s.0", x.Raw)
			return bad
		}
		v = types.Int64Value(i)
	case lang.FloatLit:
		f, err := strconv.ParseFloat(strings.ReplaceAll(x.Raw, "_", ""), 64)
		if err != nil || math.IsInf(f, 0) {
			c.diags.Errorf(lang.EBadNumber, x.Sp, "number %s does not fit in float64", x.Raw)
			return bad
		}
		v = types.Float64Value(f)
	case lang.StringLit:
		v = types.StringValue(x.Value)
	case lang.BoolLit:
		v = types.BoolValue(x.Raw == "true")
	case lang.NullLit:
		v = types.NullValue(types.NullT)
	case lang.DateLit:
		days, err := types.ParseDate(x.Raw[1:])
		if err != nil {
			return bad
		}
		v = types.DateValue(days)
	case lang.TimestampLit:
		us, err := types.ParseTimestamp(x.Raw[1:])
		if err != nil {
			return bad
		}
		v = types.TimestampValue(us)
	case lang.DurationLit:
		d, err := types.ParseDurationLiteral(x.Raw)
		if err != nil {
			return bad
		}
		v = d
	default:
		return bad
	}
	return exprValue(&Lit{Value: v, Sp: x.Sp}, x)
}

// ident resolves a bare name: a feature of the current block, a column of the current frame,
// a group key, the entity's time or keys, then a definition.
func (c *checker) ident(x *lang.Ident, e *env) value {
	name := x.Name
	if e.block != nil {
		if v, ok := e.block.lookup(c, name, x, e); ok {
			return v
		}
	}
	if e.schema != nil {
		if f, ok := e.schema.Lookup(name); ok {
			if e.ent != nil && name == e.ent.time {
				c.diags.Errorf(lang.EShadowsColumn, x.Sp, "column %s of %s has the name of the observation time %s of these entity features", name, e.frameName, name).
					WithHint("name the time differently: features … for %s at obs_time", e.ent.name)
				return bad
			}
			return c.column(f, x, e)
		}
	}
	if e.ctx == ctxAgg && !e.inAgg {
		for i, k := range e.keys {
			if k.Name == name {
				return exprValue(&GroupKey{Index: i, Name: name, T: k.Expr.Type(), Sp: x.Sp}, x)
			}
		}
	}
	if e.ent != nil {
		if v, ok := e.ent.lookup(name, x); ok {
			return v
		}
	}
	return c.global(x, e)
}

// column returns a column of the current frame, as its context allows.
func (c *checker) column(f Field, x lang.Expr, e *env) value {
	sp := x.Span()
	if e.ctx == ctxAgg && !e.inAgg {
		for i, k := range e.keys {
			if col, ok := k.Expr.(*Col); ok && col.Name == f.Name {
				return exprValue(&GroupKey{Index: i, Name: k.Name, T: k.Expr.Type(), Sp: sp}, x)
			}
		}
		c.diags.Errorf(lang.ERowInAgg, sp, "column %s is a row value, but an aggregation needs one value per group", f.Name).
			WithHint("aggregate it (%s.max(), %s.first(order_by = …)) or add it to the group_by keys", f.Name, f.Name)
		return bad
	}
	return exprValue(&Col{Name: f.Name, T: f.Type, Sp: sp}, x)
}

// global resolves a name among the definitions.
func (c *checker) global(x *lang.Ident, e *env) value {
	name := x.Name
	info := c.decls[name]
	if info == nil {
		if modes, ok := c.otherModes[name]; ok {
			where := "mode " + modes[0]
			if len(modes) > 1 {
				where = "modes " + strings.Join(modes, " and ")
			}
			if c.mode == "" {
				c.diags.Errorf(lang.ENeedsMode, x.Sp, "%s is defined only in %s", name, where).
					WithHint("compile with a mode: --mode %s", modes[0])
			} else {
				c.diags.Errorf(lang.ENeedsMode, x.Sp, "%s is defined only in %s, not in mode %s", name, where, c.mode).
					WithHint("define %s in mode %s as well, or outside the modes", name, c.mode)
			}
			return bad
		}
		c.unknownName(x, e)
		return bad
	}
	if _, isEntity := info.decl.(*lang.EntityDecl); isEntity {
		c.diags.Errorf(lang.ENotColumn, x.Sp, "%s is an entity, not a value", name).
			WithHint("compute features of it with: features NAME for %s at t { … }", name)
		return bad
	}
	c.deps[name] = true
	d := c.def(name, x.Sp)
	if d == nil {
		return bad
	}
	switch d.Kind {
	case ParamDef:
		return exprValue(&ParamRef{Name: name, T: d.Type, Sp: x.Sp}, x)
	case LetDef:
		return exprValue(&LetRef{Name: name, T: d.Type, Sp: x.Sp}, x)
	case SourceDef:
		return c.frameRef(&Scan{Source: name, Cols: d.Schema, Sp: x.Sp}, name, x, e)
	case FrameDef, FeaturesDef, EntityFeaturesDef:
		return c.frameRef(&DefRef{Name: name, Cols: d.Schema, Sp: x.Sp}, name, x, e)
	}
	return bad
}

// frameRef returns a frame value; inside entity features, a frame holding the entity's key
// columns is restricted to the current entity.
func (c *checker) frameRef(rel Rel, name string, x lang.Expr, e *env) value {
	if e.ent != nil {
		rel = c.restrict(e.ent, rel)
	}
	return value{kind: vFrame, rel: rel, relName: name, node: x}
}

func (c *checker) unknownName(x *lang.Ident, e *env) {
	var candidates []string
	for _, f := range e.schema {
		candidates = append(candidates, f.Name)
	}
	if e.block != nil {
		candidates = append(candidates, e.block.names()...)
	}
	if e.ent != nil {
		candidates = append(candidates, e.ent.names()...)
	}
	for n := range c.decls {
		candidates = append(candidates, n)
	}
	sort.Strings(candidates)
	var d *lang.Diagnostic
	if e.schema != nil {
		d = c.diags.Errorf(lang.EUnknownColumn, x.Sp, "unknown name %s: it is not a column of %s, nor a definition", x.Name, e.frameName)
	} else {
		d = c.diags.Errorf(lang.EUnknownName, x.Sp, "unknown name %s", x.Name)
	}
	if x.Name == "pl" || x.Name == "nw" {
		// Polars' and Narwhals' module prefix: featc's functions stand alone.
		d.WithHint(`featc needs no %s. prefix: pl.col("x") is col("x") or x, pl.lit(1) is 1, pl.when(…) is when(…), pl.sum_horizontal(…) is sum_horizontal(…)`, x.Name)
	} else if s := suggest(x.Name, candidates); s != "" {
		d.WithHint("did you mean %s?", s)
	} else if owner := c.frameWithColumn(x.Name); owner != "" {
		d.WithHint("%s is a column of %s: write %s.%s, or aggregate it: %s.%s.sum()", x.Name, owner, owner, x.Name, owner, x.Name)
	} else if e.schema != nil {
		d.WithHint("the columns of %s are: %s", e.frameName, strings.Join(e.schema.Names(), ", "))
	} else {
		d.WithHint("define it (let %s = …, frame %s = …) or check its spelling", x.Name, x.Name)
	}
}

// frameWithColumn names a source, or an already checked frame, that has the named column.
func (c *checker) frameWithColumn(col string) string {
	var names []string
	for n, info := range c.decls {
		var has bool
		switch d := info.decl.(type) {
		case *lang.SourceDecl:
			for _, f := range d.Fields {
				has = has || f.Name.Name == col
			}
		default:
			if def := c.defs[n]; def != nil && def.Schema != nil && def.Kind != EntityDef {
				has = def.Schema.Index(col) >= 0
			}
		}
		if has {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	if len(names) == 0 {
		return ""
	}
	return names[0]
}

// asExpr returns v as an expression, reporting why it is not one.
func (c *checker) asExpr(v value, node lang.Expr) (Expr, bool) {
	switch v.kind {
	case vExpr:
		if v.pending != nil {
			c.pendingError(v, node)
			return nil, false
		}
		return v.expr, true
	case vBad:
		return nil, false
	case vFrame:
		c.diags.Errorf(lang.ENotColumn, node.Span(), "%s is a frame, but a value is needed here", describeNode(node)).
			WithHint("take a column (frame.column), aggregate one (frame.column.sum()), or count rows (frame.len())")
	case vGroupBy:
		c.diags.Errorf(lang.ENotColumn, node.Span(), "group_by(...) must be followed by .agg(...)")
	case vNamespace:
		c.diags.Errorf(lang.ENotColumn, node.Span(), ".%s needs a method: x.%s.name(…)", v.ns, v.ns)
	case vFrameCol:
		c.diags.Errorf(lang.EForeignColumn, node.Span(), "%s is the whole column of frame %s, not a value of the current row", describeNode(node), v.relName).
			WithHint("for the current row's value write the column's name alone; for one value of the whole column aggregate it (%s.mean()); for another frame's rows join it first", rawText(node))
	case vWhen:
		if v.when.pendingCond != nil {
			c.diags.Errorf(lang.EWhenIncomplete, node.Span(), "when(...) needs .then(value)")
			return nil, false
		}
		return c.buildCase(v.when, nil, node)
	case vType:
		c.diags.Errorf(lang.ENotColumn, node.Span(), "%s is a type, not a value", v.typ)
	case vList:
		c.diags.Errorf(lang.ENotColumn, node.Span(), "a list is not a value here").
			WithHint("lists are for is_in([…]), sort([…]), join(on = […]) and similar options")
	}
	return nil, false
}

func (c *checker) pendingError(v value, node lang.Expr) {
	p := v.pending
	if len(v.held) > 1 {
		code, kind := lang.EWindowNeedsOver, "window functions"
		var names []string
		for _, h := range v.held {
			if h.p.fn.Kind == stdlib.Aggregate {
				code, kind = lang.EAggInRow, "aggregates and window functions"
			}
			names = append(names, h.p.fn.Name)
		}
		if code == lang.EAggInRow && allAggregates(v.held) {
			kind = "aggregates"
		}
		c.diags.Errorf(code, node.Span(), "%s %s where a row value is needed", kind, strings.Join(names, ", ")).
			WithHint("apply one window to them all with .over(…) around the expression: (%s).over(partition columns…)", rawText(node))
		return
	}
	if p.fn.Kind == stdlib.Aggregate {
		c.diags.Errorf(lang.EAggInRow, node.Span(), "aggregate %s where a row value is needed", p.fn.Name).
			WithHint("aggregate in group_by(…).agg(…), broadcast over a window with .over(…), or aggregate another frame: frame.column.%s()", p.fn.Name)
		return
	}
	d := c.diags.Errorf(lang.EWindowNeedsOver, node.Span(), "window function %s needs .over(…) here", p.fn.Name)
	if p.fn.NeedsOrder || strings.HasPrefix(p.fn.Name, "rolling_") {
		d.WithHint("add .over(partition columns…, order_by = …)")
	} else {
		d.WithHint("add .over(partition columns…), or .over() for the whole frame")
	}
}

func allAggregates(held []heldCall) bool {
	for _, h := range held {
		if h.p.fn.Kind != stdlib.Aggregate {
			return false
		}
	}
	return true
}

// asFrame returns v as a relation, reporting why it is not one.
func (c *checker) asFrame(v value, node lang.Expr) (Rel, bool) {
	switch v.kind {
	case vFrame:
		return v.rel, true
	case vBad:
		return nil, false
	case vGroupBy:
		c.diags.Errorf(lang.ENotFrame, node.Span(), "group_by(...) must be followed by .agg(...)")
		return nil, false
	}
	c.diags.Errorf(lang.ENotFrame, node.Span(), "%s is not a frame", describeNode(node)).
		WithHint("a frame is a source, another frame, or a method chain over one: orders.filter(…)")
	return nil, false
}

// rawText returns short source text, for code in hints.
func rawText(n lang.Expr) string {
	t := strings.Join(strings.Fields(n.Span().Text()), " ")
	if len(t) > 40 {
		t = t[:37] + "..."
	}
	return t
}

// describeNode quotes short source text for messages.
func describeNode(n lang.Expr) string {
	t := strings.Join(strings.Fields(n.Span().Text()), " ")
	if len(t) > 40 {
		t = t[:37] + "..."
	}
	if t == "" {
		return "this"
	}
	return "`" + t + "`"
}

// ---- Operators ----

func (c *checker) unary(x *lang.UnaryExpr, e *env) value {
	// -9223372036854775808 is a literal, not the negation of one too large for int64.
	if lit, ok := x.X.(*lang.BasicLit); ok && x.Op == lang.OpNeg && lit.Kind == lang.IntLit {
		if i, err := strconv.ParseInt("-"+strings.ReplaceAll(lit.Raw, "_", ""), 10, 64); err == nil {
			return exprValue(&Lit{Value: types.Int64Value(i), Sp: x.Span()}, x)
		}
	}
	v := c.expr(x.X, e)
	arg, held, ok := c.operand(v, x.X)
	if !ok {
		return bad
	}
	symbol := "-"
	if x.Op == lang.OpNot {
		symbol = "not"
	}
	f := c.lib.Operator(symbol, true)
	out := c.applyScalar(f, []Expr{arg}, []lang.Expr{x.X}, x, x.OpSp)
	if lit, ok := c.constant(out); ok && held == nil {
		return exprValue(lit, x) // -2.5 is a literal
	}
	return holding(out, held)
}

func (c *checker) binary(x *lang.BinaryExpr, e *env) value {
	lv := c.expr(x.X, e)
	rv := c.expr(x.Y, e)
	l, r, held, ok := c.operandPair(lv, x.X, rv, x.Y)
	if !ok {
		return bad
	}
	f := c.lib.Operator(x.Op.String(), false)
	if f == nil {
		c.diags.Errorf(lang.ESyntax, x.OpSp, "operator %s is not supported", x.Op)
		return bad
	}
	return holding(c.applyScalar(f, []Expr{l, r}, []lang.Expr{x.X, x.Y}, x, x.OpSp), held)
}

// applyScalar resolves a scalar function over checked arguments and builds the call.
func (c *checker) applyScalar(f *stdlib.Func, args []Expr, nodes []lang.Expr, node lang.Expr, opSp lang.Span) value {
	res, conv, ok := c.resolve(f, args)
	if !ok {
		c.noOverload(f, exprTypes(args), node)
		return bad
	}
	return exprValue(&Call{Func: f, Overload: res.Overload, Args: conv, T: res.Result, Sp: node.Span()}, node)
}

// adaptLiterals gives float literals that meet a decimal the decimal type of their exact
// text, so that price > 9.99 compares decimals exactly instead of converting the column to
// float64.
func adaptLiterals(args []Expr) []Expr {
	hasDecimal := false
	for _, a := range args {
		if a.Type().Kind == types.Decimal {
			hasDecimal = true
		}
	}
	if !hasDecimal {
		return args
	}
	out := args
	for i, a := range args {
		lit, ok := a.(*Lit)
		if !ok || lit.Value.Null {
			continue
		}
		var d types.Value
		switch lit.Value.Type.Kind {
		case types.Float64:
			d, ok = decimalFromText(lit.Sp.Text())
		case types.Int64:
			// An integer literal takes only the digits it has: unit_price + 1 stays decimal(p+1, s),
			// not decimal(19 + s, s).
			d, ok = decimalFromText(strconv.FormatInt(lit.Value.I, 10))
		default:
			ok = false
		}
		if !ok {
			continue
		}
		if &out[0] == &args[0] {
			out = append([]Expr{}, args...)
		}
		out[i] = &Lit{Value: d, Sp: lit.Sp}
	}
	return out
}

// decimalFromText parses a plain decimal number (no exponent) into a decimal value.
func decimalFromText(s string) (types.Value, bool) {
	s = strings.ReplaceAll(s, "_", "")
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	if s == "" || strings.ContainsAny(s, "eE") {
		return types.Value{}, false
	}
	intPart, frac, _ := strings.Cut(s, ".")
	digits := strings.TrimLeft(intPart+frac, "0")
	p := max(len(digits), len(frac), 1)
	if p > types.MaxDecimalPrecision {
		return types.Value{}, false
	}
	n, ok := new(big.Int).SetString(intPart+frac, 10)
	if !ok {
		return types.Value{}, false
	}
	if neg {
		n.Neg(n)
	}
	return types.DecimalValue(n, types.DecimalType(max(p, len(frac)+1), len(frac))), true
}

func (c *checker) noOverload(f *stdlib.Func, argTypes []types.Type, node lang.Expr) {
	names := make([]string, len(argTypes))
	for i, t := range argTypes {
		names[i] = t.String()
	}
	what := f.Name
	if f.Operator != "" {
		what = "operator " + f.Operator
	}
	d := c.diags.Errorf(lang.ENoOverload, node.Span(), "%s does not accept (%s)", what, strings.Join(names, ", "))
	hasString, hasTemporal := false, false
	for _, t := range argTypes {
		hasString = hasString || t.Kind == types.String
		hasTemporal = hasTemporal || t.IsTemporal()
	}
	if hasString && hasTemporal {
		d.WithHint("write dates and timestamps as literals, @2024-01-01 or @2024-01-01T08:00:00, not strings")
		return
	}
	if len(argTypes) > 0 && argTypes[0].Kind == types.Bool && acceptsFirst(f, types.Int64) {
		// f.sum() of a boolean column: Polars counts the true values, featc asks for the cast.
		what := "it"
		if call, ok := node.(*lang.CallExpr); ok {
			if sel, ok := call.Fun.(*lang.SelectorExpr); ok {
				what = sel.X.Span().Text()
			} else if len(call.Args) > 0 {
				what = call.Args[0].Value.Span().Text()
			}
		}
		d.WithHint("a boolean is not a number: cast it, %s.cast(int64) (true is 1, false is 0)", what)
		return
	}
	// Show the signatures whose first argument fits, else all of them.
	var fit, all []string
	for _, o := range f.Overloads {
		sig := f.Signature(o)
		all = append(all, sig)
		if len(argTypes) > 0 && len(o.Args) > 0 {
			want := types.Type{Kind: o.Args[0]}
			if o.Args[0] == argTypes[0].Kind || o.Args[0] == stdlib.Any {
				fit = append(fit, sig)
			} else if _, ok := types.Promotable(argTypes[0], want); ok && o.Args[0] != types.Decimal {
				fit = append(fit, sig)
			}
		}
	}
	sigs := all
	if len(fit) > 0 {
		sigs = fit
	}
	if len(sigs) > 8 {
		sigs = append(sigs[:8], "…")
	}
	d.WithHint("the signatures are: %s", strings.Join(sigs, "; "))
}

// acceptsFirst reports whether some overload of f takes a first argument of kind k.
func acceptsFirst(f *stdlib.Func, k types.Kind) bool {
	for _, o := range f.Overloads {
		if len(o.Args) > 0 && o.Args[0] == k {
			return true
		}
	}
	return false
}

// convert returns e converted to type t: e itself when it has that type, a literal of the new
// type when e is a literal that converts exactly, else a Cast.
func (c *checker) convert(e Expr, t types.Type) Expr {
	if e.Type() == t {
		return e
	}
	if lit, ok := e.(*Lit); ok {
		if conv, ok := c.convertConst(lit, t); ok {
			return conv
		}
	}
	if e.Type().Kind == types.Bool && t.Kind != types.Int64 {
		// A boolean counted as a number (stdlib.Param.BoolCounts) goes through its 0/1 integer.
		e = c.convert(e, types.Int64T)
	}
	return &Cast{X: e, To: t, Sp: e.Span()}
}

// convertConst converts a literal to t when the conversion is an implicit promotion that keeps
// the value exactly.
func (c *checker) convertConst(lit *Lit, t types.Type) (*Lit, bool) {
	v := lit.Value
	if v.Type == t {
		return lit, true
	}
	if v.Null {
		return &Lit{Value: types.NullValue(t), Sp: lit.Sp}, true
	}
	if _, ok := types.Promotable(v.Type, t); !ok {
		return nil, false
	}
	switch {
	case v.Type.IsInteger() && t.Kind == types.Int64:
		return &Lit{Value: types.Int64Value(v.I), Sp: lit.Sp}, true
	case v.Type.IsInteger() && t.Kind == types.Float64:
		if v.I > 1<<53 || v.I < -(1<<53) {
			return nil, false
		}
		return &Lit{Value: types.Float64Value(float64(v.I)), Sp: lit.Sp}, true
	case v.Type.IsInteger() && t.Kind == types.Decimal:
		n := new(big.Int).SetInt64(v.I)
		n.Mul(n, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(t.Scale)), nil))
		return &Lit{Value: types.DecimalValue(n, t), Sp: lit.Sp}, true
	case v.Type.Kind == types.Decimal && t.Kind == types.Decimal:
		n := new(big.Int).Mul(v.Dec, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(t.Scale-v.Type.Scale)), nil))
		return &Lit{Value: types.DecimalValue(n, t), Sp: lit.Sp}, true
	case v.Type.Kind == types.Date && t.Kind == types.Timestamp:
		return &Lit{Value: types.TimestampValue(v.I * types.Day), Sp: lit.Sp}, true
	}
	return nil, false
}

// assignConst converts a constant to the declared type of a param or let: the implicit
// promotions, and also the literals whose value fits exactly (5 for an int32, 9.99 for a
// decimal(10,2)).
func (c *checker) assignConst(lit *Lit, t types.Type) (*Lit, bool) {
	if conv, ok := c.convertConst(lit, t); ok {
		return conv, true
	}
	v := lit.Value
	switch {
	case v.Type.Kind == types.Int64 && t.Kind == types.Int32:
		if v.I < math.MinInt32 || v.I > math.MaxInt32 {
			return nil, false
		}
		return &Lit{Value: types.Int32Value(int32(v.I)), Sp: lit.Sp}, true
	case (v.Type.Kind == types.Float64 || v.Type.Kind == types.Int64) && t.Kind == types.Decimal:
		text := lit.Sp.Text()
		if v.Type.Kind == types.Int64 {
			text = strconv.FormatInt(v.I, 10)
		}
		d, ok := decimalFromText(text)
		if !ok || d.Type.Scale > t.Scale || int(d.Type.Precision)-int(d.Type.Scale) > int(t.Precision)-int(t.Scale) {
			return nil, false
		}
		return c.convertConst(&Lit{Value: d, Sp: lit.Sp}, t)
	case v.Type.Kind == types.Decimal && t.Kind == types.Decimal:
		if v.Type.Scale > t.Scale || int(v.Type.Precision)-int(v.Type.Scale) > int(t.Precision)-int(t.Scale) {
			return nil, false
		}
		return c.convertConst(lit, t)
	}
	return nil, false
}

// constant returns v as a literal if it is one (negation of a literal included).
func (c *checker) constant(v value) (*Lit, bool) {
	if v.kind != vExpr || v.pending != nil {
		return nil, false
	}
	switch e := v.expr.(type) {
	case *Lit:
		return e, true
	case *Call:
		if e.Func.Name == "neg" {
			if lit, ok := e.Args[0].(*Lit); ok && !lit.Value.Null {
				val := lit.Value
				switch val.Type.Kind {
				case types.Int64:
					if val.I == math.MinInt64 {
						return nil, false
					}
					val.I = -val.I
				case types.Float64:
					val.F = -val.F
				case types.Duration, types.Interval:
					val.I = -val.I
				case types.Decimal:
					val.Dec = new(big.Int).Neg(val.Dec)
				default:
					return nil, false
				}
				return &Lit{Value: val, Sp: e.Sp}, true
			}
		}
	}
	return nil, false
}
