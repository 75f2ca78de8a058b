package lang

// The syntax tree of .feat files. It keeps every position, so that diagnostics point at the
// exact text and `featc fmt` can put comments back; it knows nothing of types (package ir does).
// Optional fields are documented "; or nil". A construct that failed to parse becomes a Bad…
// node, so the tree stays whole after an error.

// Node is any syntax tree node.
type Node interface {
	Span() Span
}

// Expr is an expression: a literal, a name, an operator, a call or a method chain. Frames,
// columns and scalars are all expressions; the checker tells them apart.
type Expr interface {
	Node
	exprNode()
}

// Decl is a top-level declaration.
type Decl interface {
	Node
	declNode()
	// DeclName is the declared name; nil for a BadDecl.
	DeclName() *Ident
}

// Item is an entry of a features block: a feature or an expectation.
type Item interface {
	Node
	itemNode()
}

// File is one parsed .feat file.
type File struct {
	Src      *SrcFile
	Decls    []Decl
	Comments []*Comment
}

// Span covers the whole file.
func (f *File) Span() Span { return Span{File: f.Src, Start: 0, End: len(f.Src.Text)} }

// ---- Expressions ----

// Ident is a name.
type Ident struct {
	Sp   Span
	Name string
}

// LitKind is the kind of a BasicLit.
type LitKind uint8

// Literal kinds.
const (
	InvalidLit LitKind = iota
	IntLit
	FloatLit
	StringLit
	BoolLit
	NullLit
	DateLit
	TimestampLit
	DurationLit
)

func (k LitKind) String() string {
	return [...]string{"invalid", "int", "float", "string", "bool", "null", "date", "timestamp", "duration"}[k]
}

// BasicLit is a literal. Raw is its text as written (a string with its quotes, a date with its
// @); Value is the decoded string of a StringLit.
type BasicLit struct {
	Sp    Span
	Kind  LitKind
	Raw   string
	Value string
}

// Op is an operator.
type Op uint8

// Operators, prefix and infix.
const (
	InvalidOp Op = iota
	OpOr
	OpAnd
	OpNot
	OpEq
	OpNe
	OpLt
	OpLe
	OpGt
	OpGe
	OpAdd
	OpSub
	OpMul
	OpDiv
	OpFloorDiv
	OpMod
	OpPow
	OpNeg
)

var opText = [...]string{
	InvalidOp: "?", OpOr: "or", OpAnd: "and", OpNot: "not", OpEq: "==", OpNe: "!=", OpLt: "<",
	OpLe: "<=", OpGt: ">", OpGe: ">=", OpAdd: "+", OpSub: "-", OpMul: "*", OpDiv: "/",
	OpFloorDiv: "//", OpMod: "%", OpPow: "**", OpNeg: "-",
}

// String returns the operator's canonical spelling.
func (o Op) String() string { return opText[o] }

// Precedence returns how tightly a binary operator binds (higher binds tighter). Prefix `not`
// binds between `and` and comparisons, prefix `-` between `*` and `**`, as in Python.
func (o Op) Precedence() int {
	switch o {
	case OpOr:
		return 1
	case OpAnd:
		return 2
	case OpNot:
		return 3
	case OpEq, OpNe, OpLt, OpLe, OpGt, OpGe:
		return 4
	case OpAdd, OpSub:
		return 5
	case OpMul, OpDiv, OpFloorDiv, OpMod:
		return 6
	case OpNeg:
		return 7
	case OpPow:
		return 8
	}
	return 0
}

// IsComparison reports whether o is ==, !=, <, <=, > or >=.
func (o Op) IsComparison() bool { return o >= OpEq && o <= OpGe }

// UnaryExpr is a prefix operator: -x, not x.
type UnaryExpr struct {
	OpSp Span
	Op   Op
	X    Expr
}

// BinaryExpr is an infix operator: x + y, a and b. Sp, set by the parser, spans both
// operands: computing it from them would walk the whole left operand, and a sum of n terms
// is a left-deep tree n levels deep, whose spans would cost n² to compute.
type BinaryExpr struct {
	OpSp Span
	Op   Op
	X, Y Expr
	Sp   Span
}

// SelectorExpr is x.name: a column of a frame, a method name before its call, or a namespace
// (x.str, x.dt).
type SelectorExpr struct {
	X   Expr
	Sel *Ident
}

// CallExpr is f(args) or x.f(args). Fun is an *Ident or a *SelectorExpr. Multiline records
// whether the arguments were written one per line, which `featc fmt` keeps.
type CallExpr struct {
	Fun       Expr
	Args      []*Arg
	Lparen    int
	Rparen    int // offset of the closing parenthesis
	Multiline bool
}

// Arg is a call argument: value or name = value. Name; or nil.
type Arg struct {
	Name  *Ident
	Value Expr
}

// ListExpr is [a, b, c].
type ListExpr struct {
	Sp    Span
	Elems []Expr
}

// MapExpr is {k1: v1, k2: v2}: a mapping, as Polars' replace takes ({"a": 1}).
type MapExpr struct {
	Sp     Span
	Keys   []Expr
	Values []Expr
}

// ParenExpr is (x).
type ParenExpr struct {
	Sp Span
	X  Expr
}

// BadExpr stands for an expression that failed to parse.
type BadExpr struct{ Sp Span }

func (x *Ident) Span() Span     { return x.Sp }
func (x *BasicLit) Span() Span  { return x.Sp }
func (x *UnaryExpr) Span() Span { return Join(x.OpSp, x.X.Span()) }
func (x *BinaryExpr) Span() Span {
	if x.Sp.IsValid() {
		return x.Sp
	}
	return Join(x.X.Span(), x.Y.Span())
}
func (x *SelectorExpr) Span() Span { return Join(x.X.Span(), x.Sel.Sp) }
func (x *CallExpr) Span() Span {
	s := x.Fun.Span()
	if s.IsValid() {
		s.End = x.Rparen + 1
	}
	return s
}
func (x *Arg) Span() Span {
	if x.Name != nil {
		return Join(x.Name.Sp, x.Value.Span())
	}
	return x.Value.Span()
}
func (x *ListExpr) Span() Span  { return x.Sp }
func (x *MapExpr) Span() Span   { return x.Sp }
func (x *ParenExpr) Span() Span { return x.Sp }
func (x *BadExpr) Span() Span   { return x.Sp }

func (*Ident) exprNode()        {}
func (*BasicLit) exprNode()     {}
func (*UnaryExpr) exprNode()    {}
func (*BinaryExpr) exprNode()   {}
func (*SelectorExpr) exprNode() {}
func (*CallExpr) exprNode()     {}
func (*ListExpr) exprNode()     {}
func (*MapExpr) exprNode()      {}
func (*ParenExpr) exprNode()    {}
func (*BadExpr) exprNode()      {}

// MethodName returns the method or function name of a call (the last name in x.str.contains)
// and its receiver; receiver is nil for a plain function call f(x).
func (x *CallExpr) MethodName() (name *Ident, receiver Expr) {
	switch f := x.Fun.(type) {
	case *Ident:
		return f, nil
	case *SelectorExpr:
		return f.Sel, f.X
	}
	return nil, nil
}

// ---- Declarations ----

// TypeExpr is a type as written: int64, decimal(15, 2).
type TypeExpr struct {
	Sp   Span
	Name string
	Args []int
}

// Field is a column of a source or entity schema. Quoted records that the name was written as a
// string ("odd name": string).
type Field struct {
	Name   *Ident
	Quoted bool
	Type   *TypeExpr
}

// Span covers the field.
func (f *Field) Span() Span { return Join(f.Name.Sp, f.Type.Sp) }

// SourceDecl declares a source: `source orders { order_id: string, amount: float64 }`.
// OneLine records whether the fields were written on the declaration's line.
type SourceDecl struct {
	Sp      Span
	Name    *Ident
	Fields  []*Field
	OneLine bool
}

// EntityDecl declares an entity and its key columns: `entity customer { customer_id: int64 }`.
type EntityDecl struct {
	Sp      Span
	Name    *Ident
	Fields  []*Field
	OneLine bool
}

// ParamDecl declares a run-time input: `param execution_time: timestamp`. Default; or nil.
type ParamDecl struct {
	Sp      Span
	Name    *Ident
	Type    *TypeExpr
	Default Expr
}

// LetDecl names a scalar: `let age_mean = survey_results.age.mean()`. Type; or nil.
type LetDecl struct {
	Sp    Span
	Name  *Ident
	Type  *TypeExpr
	Value Expr
}

// FrameDecl names a frame: `frame monthly = accounts.group_by(…).agg(…)`.
type FrameDecl struct {
	Sp    Span
	Name  *Ident
	Value Expr
}

// FeaturesDecl is a features block, either over a frame (From non-nil: column features, each
// row of From gets them) or over an entity at a time (Entity and At non-nil).
type FeaturesDecl struct {
	Sp     Span
	Name   *Ident
	From   Expr
	Entity *Ident
	At     *Ident
	Items  []Item
	Rbrace int
}

// ModeDecl holds definitions that exist only in one mode: `mode realtime { … }`.
type ModeDecl struct {
	Sp     Span
	Name   *Ident
	Decls  []Decl
	Rbrace int
}

// BadDecl stands for a declaration that failed to parse.
type BadDecl struct{ Sp Span }

func (d *SourceDecl) Span() Span   { return d.Sp }
func (d *EntityDecl) Span() Span   { return d.Sp }
func (d *ParamDecl) Span() Span    { return d.Sp }
func (d *LetDecl) Span() Span      { return d.Sp }
func (d *FrameDecl) Span() Span    { return d.Sp }
func (d *FeaturesDecl) Span() Span { return d.Sp }
func (d *ModeDecl) Span() Span     { return d.Sp }
func (d *BadDecl) Span() Span      { return d.Sp }

func (*SourceDecl) declNode()   {}
func (*EntityDecl) declNode()   {}
func (*ParamDecl) declNode()    {}
func (*LetDecl) declNode()      {}
func (*FrameDecl) declNode()    {}
func (*FeaturesDecl) declNode() {}
func (*ModeDecl) declNode()     {}
func (*BadDecl) declNode()      {}

func (d *SourceDecl) DeclName() *Ident   { return d.Name }
func (d *EntityDecl) DeclName() *Ident   { return d.Name }
func (d *ParamDecl) DeclName() *Ident    { return d.Name }
func (d *LetDecl) DeclName() *Ident      { return d.Name }
func (d *FrameDecl) DeclName() *Ident    { return d.Name }
func (d *FeaturesDecl) DeclName() *Ident { return d.Name }
func (d *ModeDecl) DeclName() *Ident     { return d.Name }
func (d *BadDecl) DeclName() *Ident      { return nil }

// FeatureItem is `name = expr` in a features block.
type FeatureItem struct {
	Name  *Ident
	Value Expr
}

// ExpectItem is `expect cond [else warn]` in a features block. Level; or nil (error).
type ExpectItem struct {
	Sp    Span
	Cond  Expr
	Level *Ident
}

// BadItem stands for a block entry that failed to parse.
type BadItem struct{ Sp Span }

func (i *FeatureItem) Span() Span { return Join(i.Name.Sp, i.Value.Span()) }
func (i *ExpectItem) Span() Span  { return i.Sp }
func (i *BadItem) Span() Span     { return i.Sp }

func (*FeatureItem) itemNode() {}
func (*ExpectItem) itemNode()  {}
func (*BadItem) itemNode()     {}
