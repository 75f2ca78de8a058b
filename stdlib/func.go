package stdlib

import (
	"fmt"
	"sort"
	"strings"

	"github.com/featc/featc/types"
)

// Kind says how a function consumes rows.
type Kind uint8

// Function kinds.
const (
	InvalidKind Kind = iota
	// Scalar functions map each row to a value.
	Scalar
	// Aggregate functions reduce a group of rows to one value; with .over(...) they become
	// window aggregates.
	Aggregate
	// Window functions compute a value per row from its partition and order; they need
	// .over(...).
	Window
)

func (k Kind) String() string {
	switch k {
	case Scalar:
		return "scalar"
	case Aggregate:
		return "aggregate"
	case Window:
		return "window"
	}
	return "invalid"
}

// Any in an overload's argument list accepts a value of any type without conversion.
const Any = types.InvalidKind

// ParamKind says what an argument must be.
type ParamKind uint8

// Parameter kinds.
const (
	// Value parameters take any expression of a matching type.
	Value ParamKind = iota
	// Const parameters take a constant (a literal, possibly negated, or a folded constant).
	Const
	// OrderParam parameters take one expression or a list of expressions that order rows
	// (first/last's order_by).
	OrderParam
)

// Param describes one parameter. For a method the first parameter is the receiver.
type Param struct {
	Name string
	// Aliases are other names the parameter answers to when given by name (Polars' lower_bound
	// for clip's lower).
	Aliases  []string
	Kind     ParamKind
	Optional bool
	// Default is the value an omitted optional parameter takes, as a .feat literal ("" when the
	// absence itself means something, such as "no length" for str.slice).
	Default string
	// Variadic marks the last parameter as taking one or more values.
	Variadic bool
	// Choices lists the accepted values of a constant string parameter.
	Choices []string
	// Columns marks a parameter that names columns of the frame (rolling's by): a string
	// given there is a column's name, as in Polars, not a constant. Order parameters do too.
	Columns bool
	// BoolCounts lets a boolean stand for a number, 1 for true and 0 for false (sum counts the
	// trues, mean is their share, as in Polars).
	BoolCounts bool
	// Exact forbids implicit conversions of this argument (dt.hour of a date would always be 0).
	Exact bool
	// HasRange limits a constant integer or float parameter to [Min, Max] (Max 0: no upper bound).
	HasRange bool
	Min, Max float64
	Doc      string
}

// Overload is one signature of a function, identified by a stable ID that the evaluator's
// kernels and the SQL templates are keyed by.
type Overload struct {
	ID string
	// Args has one kind per parameter (the variadic parameter's kind covers all its values).
	// Decimal accepts a decimal of any precision and scale; Any accepts every type.
	Args []types.Kind
	// Result is the result type, unless ResultFn computes it from the argument types (after
	// conversion), as decimal arithmetic and generic functions do.
	Result   types.Type
	ResultFn func(args []types.Type) types.Type
	// KeepScales stops the default conversion of several decimal arguments to their common
	// decimal type (multiplication keeps each operand's scale: the result's scale is their sum).
	KeepScales bool
}

// ResultType returns the overload's result type for the given (converted) argument types.
func (o *Overload) ResultType(args []types.Type) types.Type {
	if o.ResultFn != nil {
		return o.ResultFn(args)
	}
	return o.Result
}

// Example is a runnable example: Expr evaluated over the columns of Input gives Want.
// Input is "" for a scalar example, or columns as "name type: v1, v2, …; name2 type: …".
type Example struct {
	Input string
	Expr  string
	Want  string
}

// Func is one function or operator.
type Func struct {
	// Name is unique: "add", "round", "str.contains", "dt.year", "rolling_mean".
	Name string
	// Aliases are other names the function is called by (lag for shift).
	Aliases []string
	Kind    Kind
	Family  string
	// Operator is the symbol of an operator's function ("+" for add), or "".
	Operator string
	// Method and Function say how the function is called: x.name(…) and/or name(x, …).
	Method, Function bool
	Params           []Param
	Overloads        []*Overload
	Doc              string
	Examples         []Example
	// Special marks syntax that the checker handles itself (when/then/otherwise, cast); the
	// entry documents it.
	Special bool
	// Internal marks functions users cannot call by name (case, the checker's form of when).
	Internal bool
	// Validate, when set, checks a call's arguments beyond their types (which combinations of
	// optional parameters make sense, which constants apply); nil means valid.
	Validate func(CallInfo) *Invalid
	// NeedsOrder marks window functions whose result depends on the row order given in
	// .over(order_by = …).
	NeedsOrder bool
}

// RequiredParams counts the value parameters that have no default.
func (f *Func) RequiredParams() int {
	n := 0
	for _, p := range f.Params {
		if !p.Optional && p.Kind != OrderParam {
			n++
		}
	}
	return n
}

// ValueParams counts the parameters that take values (all but order_by), which are the
// overloads' arguments.
func (f *Func) ValueParams() int {
	n := 0
	for _, p := range f.Params {
		if p.Kind != OrderParam {
			n++
		}
	}
	return n
}

// Namespace returns "str" or "dt" for namespaced methods, else "".
func (f *Func) Namespace() string {
	if i := strings.IndexByte(f.Name, '.'); i >= 0 {
		return f.Name[:i]
	}
	return ""
}

// ShortName returns the name without its namespace.
func (f *Func) ShortName() string {
	if i := strings.IndexByte(f.Name, '.'); i >= 0 {
		return f.Name[i+1:]
	}
	return f.Name
}

// Signature renders one overload for messages and docs: add(int64, int64) -> int64.
func (f *Func) Signature(o *Overload) string {
	var b strings.Builder
	name := f.Name
	if f.Operator != "" {
		name = f.Operator
	}
	b.WriteString(name)
	b.WriteByte('(')
	for i, k := range o.Args {
		if i > 0 {
			b.WriteString(", ")
		}
		p := f.Params[min(i, len(f.Params)-1)]
		if p.Kind == Const {
			b.WriteString("const ")
		}
		if k == Any {
			b.WriteString("any")
		} else {
			b.WriteString(k.String())
		}
		if p.Variadic {
			b.WriteString("...")
		}
	}
	b.WriteString(") -> ")
	if o.ResultFn != nil {
		b.WriteString(resultDoc(f, o))
	} else {
		b.WriteString(o.Result.String())
	}
	return b.String()
}

// resultDoc describes a computed result type in words.
func resultDoc(f *Func, o *Overload) string {
	if len(o.Args) > 0 && o.Args[0] == types.Decimal {
		return "decimal"
	}
	if len(o.Args) > 0 && o.Args[0] == Any {
		return "same as argument"
	}
	var probe []types.Type
	for _, k := range o.Args {
		probe = append(probe, types.Type{Kind: k})
	}
	return o.ResultFn(probe).String()
}

// Library is an immutable set of functions.
type Library struct {
	funcs    []*Func
	byName   map[string]*Func
	byOp     map[string]*Func
	overload map[string]*Overload
	owner    map[string]*Func
}

// NewLibrary indexes funcs; it panics on a duplicate name or overload ID, since the table is
// static and such a mistake is a programming error caught by any test.
func NewLibrary(funcs ...*Func) *Library {
	l := &Library{
		byName:   map[string]*Func{},
		byOp:     map[string]*Func{},
		overload: map[string]*Overload{},
		owner:    map[string]*Func{},
	}
	for _, f := range funcs {
		for _, name := range append([]string{f.Name}, f.Aliases...) {
			if _, dup := l.byName[name]; dup {
				panic("stdlib: duplicate function " + name)
			}
			l.byName[name] = f
		}
		if f.Operator != "" {
			key := f.Operator
			if len(f.Params) == 1 {
				key = "unary" + key
			}
			l.byOp[key] = f
		}
		for _, o := range f.Overloads {
			if _, dup := l.overload[o.ID]; dup {
				panic("stdlib: duplicate overload " + o.ID)
			}
			if len(o.Args) > f.ValueParams() || len(o.Args) < f.RequiredParams() {
				panic(fmt.Sprintf("stdlib: overload %s has %d arguments for %d parameters", o.ID, len(o.Args), len(f.Params)))
			}
			l.overload[o.ID] = o
			l.owner[o.ID] = f
		}
		l.funcs = append(l.funcs, f)
	}
	return l
}

// Lookup returns the function with the given name ("round", "str.contains"), or nil.
func (l *Library) Lookup(name string) *Func { return l.byName[name] }

// Operator returns the function of a binary operator ("+") or, with unary set, of a prefix
// operator ("-", "not").
func (l *Library) Operator(symbol string, unary bool) *Func {
	if unary {
		return l.byOp["unary"+symbol]
	}
	return l.byOp[symbol]
}

// Overload returns the overload with the given ID and its function, or nils.
func (l *Library) Overload(id string) (*Func, *Overload) { return l.owner[id], l.overload[id] }

// Funcs returns every function in registration order.
func (l *Library) Funcs() []*Func { return l.funcs }

// Names returns every callable name, sorted, for did-you-mean hints.
func (l *Library) Names() []string {
	names := make([]string, 0, len(l.byName))
	for n := range l.byName {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Resolution is the result of choosing an overload: the overload and the type each argument
// converts to before the call (equal to the argument's own type when no conversion is needed).
type Resolution struct {
	Overload *Overload
	Targets  []types.Type
	Result   types.Type
}

// Resolve picks the overload that accepts args with the least conversion cost (see
// types.Promotable); among equal costs the first registered wins, so overload order in the
// table is significant. It returns false when no overload accepts args.
func (f *Func) Resolve(args []types.Type) (Resolution, bool) {
	var best Resolution
	bestCost := -1
	for _, o := range f.Overloads {
		targets, cost, ok := match(f, o, args)
		if !ok {
			continue
		}
		if bestCost < 0 || cost < bestCost {
			best = Resolution{Overload: o, Targets: targets}
			bestCost = cost
		}
	}
	if bestCost < 0 {
		return Resolution{}, false
	}
	best.Result = best.Overload.ResultType(best.Targets)
	return best, true
}

// argKind returns the kind the overload wants for argument i (the variadic parameter repeats).
func argKind(o *Overload, i int) types.Kind {
	if i >= len(o.Args) {
		return o.Args[len(o.Args)-1]
	}
	return o.Args[i]
}

func match(f *Func, o *Overload, args []types.Type) ([]types.Type, int, bool) {
	variadic := len(f.Params) > 0 && f.Params[len(f.Params)-1].Variadic
	if len(args) != len(o.Args) && !(variadic && len(args) >= len(o.Args)) {
		return nil, 0, false
	}
	targets := make([]types.Type, len(args))
	total := 0
	// Decimal parameters of one overload share a common decimal type only where the result
	// rule needs it; each argument keeps its own precision and scale otherwise.
	for i, a := range args {
		want := argKind(o, i)
		p := f.Params[min(i, len(f.Params)-1)]
		extra := 0
		if a.Kind == types.Bool && p.BoolCounts {
			a, extra = types.Int64T, 1 // a true counts 1, as in Polars' sum and mean of booleans
		}
		var target types.Type
		switch {
		case want == Any:
			target = a
			if a.Kind == types.Null {
				target = types.NullT
			}
		case want == types.Decimal:
			switch {
			case a.Kind == types.Decimal:
				target = a
			case a.IsInteger():
				target = types.IntDecimal(a)
			case a.Kind == types.Null:
				target = types.DecimalType(types.MaxDecimalPrecision, 0)
			default:
				return nil, 0, false
			}
		default:
			target = types.Type{Kind: want}
		}
		cost, ok := types.Promotable(a, target)
		if !ok {
			return nil, 0, false
		}
		if p.Exact && cost > 0 && a.Kind != types.Null {
			return nil, 0, false
		}
		targets[i] = target
		total += cost + extra
	}
	if !o.KeepScales {
		unifyDecimals(o, targets)
	}
	return targets, total, true
}

// unifyDecimals converts every decimal argument of an overload with several decimal
// parameters to their common decimal type, so that kernels and SQL see equal scales.
func unifyDecimals(o *Overload, targets []types.Type) {
	var common types.Type
	n := 0
	for i, t := range targets {
		if argKind(o, i) != types.Decimal {
			continue
		}
		if n == 0 {
			common = t
		} else {
			common = types.CommonDecimal(common, t)
		}
		n++
	}
	if n < 2 {
		return
	}
	for i := range targets {
		if argKind(o, i) == types.Decimal {
			targets[i] = common
		}
	}
}
