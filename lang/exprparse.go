package lang

import (
	"fmt"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// Expressions are parsed by a hand-written precedence-climbing parser plugged into the
// participle grammar through participle's Parseable interface. Declarations, schemas and
// blocks stay in the declarative grammar (grammar.go); expressions, which are most of every
// file, are parsed here: participle's reflective parser spent about 120 µs on a typical feature
// (mostly allocation and backtracking over the alternatives of each operand), this parser
// about a tenth of that (see BenchmarkParse in ir/bench_test.go).
//
// The parser has no access to the file being parsed, so the nodes it builds carry spans
// without their file; the converter fills the file in (fixSpans) and reports the diagnostics
// collected here.

// gExpr is an expression in the participle grammar.
type gExpr struct {
	X     Expr
	diags []pendingDiag
	// last is the expression's last token.
	last lexer.Token
}

// pendingDiag is a diagnostic found while parsing an expression, reported by the converter.
type pendingDiag struct {
	code       Code
	start, end int
	msg, hint  string
}

// exprError is a syntax error inside an expression, with its code.
type exprError struct {
	code Code
	tok  lexer.Token
	msg  string
	hint string
}

func (e *exprError) Error() string            { return e.msg }
func (e *exprError) Message() string          { return e.msg }
func (e *exprError) Position() lexer.Position { return e.tok.Pos }

var _ participle.Error = (*exprError)(nil)

// Parse implements participle.Parseable.
func (g *gExpr) Parse(lex *lexer.PeekingLexer) error {
	// Every expression of the grammar follows a token that requires it, so a token that cannot
	// start one is an error here, never a reason to try another alternative.
	if t := *lex.Peek(); !startsExpr(t) {
		if t.EOF() {
			return &exprError{code: ESyntax, tok: t, msg: "unexpected end of declaration", hint: "an expression is missing"}
		}
		return &participle.UnexpectedTokenError{Unexpected: t, Expect: "an expression"}
	}
	p := &exprParser{lex: lex}
	x, err := p.expr(0)
	if err != nil {
		return err
	}
	g.X, g.diags, g.last = x, p.diags, p.last
	return nil
}

type exprParser struct {
	lex   *lexer.PeekingLexer
	diags []pendingDiag
	depth int
	last  lexer.Token // the last token consumed
}

func startsExpr(t lexer.Token) bool {
	switch t.Type {
	case tokIdent:
		switch t.Value {
		case "and", "or":
			return false
		}
		return true
	case tokInt, tokFloat, tokString, tokDate, tokTimestamp, tokDuration:
		return true
	case tokPunct:
		switch t.Value {
		case "(", "[", "{", "-", "~":
			return true
		}
	}
	return false
}

func (p *exprParser) peek() lexer.Token { return *p.lex.Peek() }

func (p *exprParser) next() lexer.Token {
	t := *p.lex.Next()
	p.last = t
	return t
}

func (p *exprParser) is(value string) bool {
	t := p.lex.Peek()
	return t.Value == value && (t.Type == tokPunct || t.Type == tokIdent)
}

func (p *exprParser) fail(expect string) error {
	t := p.peek()
	return &participle.UnexpectedTokenError{Unexpected: t, Expect: expect}
}

func (p *exprParser) expect(value string) (lexer.Token, error) {
	if !p.is(value) {
		return lexer.Token{}, p.fail(fmt.Sprintf("%q", value))
	}
	return p.next(), nil
}

func tokSpan(t lexer.Token) Span { return Span{Start: t.Pos.Offset, End: t.Pos.Offset + len(t.Value)} }

// binaryOp returns the operator a token spells, if it is a binary one.
func binaryOp(t lexer.Token) (Op, bool) {
	if t.Type != tokPunct && t.Type != tokIdent {
		return InvalidOp, false
	}
	if t.Type == tokIdent && t.Value != "and" && t.Value != "or" {
		return InvalidOp, false
	}
	op, ok := binaryOps[t.Value]
	return op, ok
}

var litKinds = map[lexer.TokenType]LitKind{tokInt: IntLit, tokFloat: FloatLit, tokString: StringLit,
	tokDate: DateLit, tokTimestamp: TimestampLit, tokDuration: DurationLit}

var binaryOps = map[string]Op{
	"==": OpEq, "!=": OpNe, "<": OpLt, "<=": OpLe, ">": OpGt, ">=": OpGe, "+": OpAdd, "-": OpSub,
	"*": OpMul, "/": OpDiv, "//": OpFloorDiv, "%": OpMod, "**": OpPow, "&": OpAnd, "|": OpOr,
	"and": OpAnd, "or": OpOr,
}

// expr parses an expression whose binary operators all bind at least as tightly as minPrec.
func (p *exprParser) expr(minPrec int) (Expr, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxExprDepth {
		return nil, &exprError{code: ENestedTooDeeply, tok: p.peek(), msg: fmt.Sprintf("expression is nested more than %d levels deep", maxExprDepth)}
	}
	start := p.peek().Pos.Offset
	lhs, err := p.unary()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		op, ok := binaryOp(t)
		if !ok || op.Precedence() < minPrec {
			return lhs, nil
		}
		p.next()
		next := op.Precedence() + 1
		if op == OpPow {
			next = op.Precedence() // right-associative
		}
		rhs, err := p.expr(next)
		if err != nil {
			return nil, err
		}
		opSp := tokSpan(t)
		if op.IsComparison() {
			if b, ok := lhs.(*BinaryExpr); ok && b.Op.IsComparison() {
				p.diags = append(p.diags, pendingDiag{code: EChainedCompare, start: opSp.Start, end: opSp.End,
					msg: "comparisons cannot be chained", hint: "write a < b and b < c, or use between"})
			}
		}
		lhs = &BinaryExpr{OpSp: opSp, Op: op, X: lhs, Y: rhs, Sp: Span{Start: start, End: p.last.Pos.Offset + len(p.last.Value)}}
	}
}

// unary parses prefix operators, each applying to everything that binds tighter than itself.
func (p *exprParser) unary() (Expr, error) {
	t := p.peek()
	var op Op
	switch {
	case t.Type == tokPunct && t.Value == "-":
		op = OpNeg
	case (t.Type == tokIdent && t.Value == "not") || (t.Type == tokPunct && t.Value == "~"):
		op = OpNot
	default:
		return p.postfix()
	}
	p.next()
	x, err := p.expr(op.Precedence() + 1)
	if err != nil {
		return nil, err
	}
	return &UnaryExpr{OpSp: tokSpan(t), Op: op, X: x}, nil
}

// postfix parses a primary expression and the selectors and method calls chained after it.
// Each link of the chain wraps the ones before, so it counts as a level of nesting while the
// chain is parsed, and the levels are given back when the chain ends: the arguments of a call
// are nested in its chain, the next operand of a sum or the next argument of a call is not.
func (p *exprParser) postfix() (Expr, error) {
	defer func(depth int) { p.depth = depth }(p.depth)
	x, err := p.primary()
	if err != nil {
		return nil, err
	}
	for p.is(".") {
		p.next()
		t := p.peek()
		if t.Type != tokIdent {
			return nil, p.fail("a method or column name after .")
		}
		p.next()
		p.depth++
		if p.depth > maxExprDepth {
			return nil, &exprError{code: ENestedTooDeeply, tok: t, msg: fmt.Sprintf("method chain is longer than %d calls", maxExprDepth)}
		}
		sel := &SelectorExpr{X: x, Sel: p.ident(t)}
		x = sel
		if p.is("(") && p.peek().Pos.Line == t.Pos.Line {
			call, err := p.call(sel)
			if err != nil {
				return nil, err
			}
			x = call
		}
	}
	return x, nil
}

func (p *exprParser) ident(t lexer.Token) *Ident {
	id := &Ident{Sp: tokSpan(t), Name: t.Value}
	if keywords[t.Value] {
		p.diags = append(p.diags, pendingDiag{code: EReserved, start: id.Sp.Start, end: id.Sp.End,
			msg:  fmt.Sprintf("%q is a keyword and cannot be used as a name", t.Value),
			hint: fmt.Sprintf(`write a column with this name as col("%s")`, t.Value)})
	}
	return id
}

func (p *exprParser) primary() (Expr, error) {
	t := p.peek()
	switch t.Type {
	case tokInt, tokFloat, tokString, tokDate, tokTimestamp, tokDuration:
		p.next()
		lit := &BasicLit{Sp: tokSpan(t), Kind: litKinds[t.Type], Raw: t.Value}
		if lit.Kind == StringLit {
			lit.Value = unquote(t.Value)
		}
		return lit, nil
	case tokIdent:
		switch t.Value {
		case "true", "false":
			p.next()
			return &BasicLit{Sp: tokSpan(t), Kind: BoolLit, Raw: t.Value}, nil
		case "null":
			p.next()
			return &BasicLit{Sp: tokSpan(t), Kind: NullLit, Raw: t.Value}, nil
		case "and", "or", "not":
			return nil, p.fail("an expression")
		}
		p.next()
		id := p.ident(t)
		// A call's parenthesis is on the name's line: `f` then `(x)` on the next line are two
		// things, not a call.
		if p.is("(") && p.peek().Pos.Line == t.Pos.Line {
			return p.call(id)
		}
		return id, nil
	case tokPunct:
		switch t.Value {
		case "(":
			p.next()
			x, err := p.expr(0)
			if err != nil {
				return nil, err
			}
			close, err := p.expect(")")
			if err != nil {
				return nil, err
			}
			return &ParenExpr{Sp: Span{Start: t.Pos.Offset, End: close.Pos.Offset + 1}, X: x}, nil
		case "[":
			p.next()
			l := &ListExpr{}
			for !p.is("]") {
				el, err := p.expr(0)
				if err != nil {
					return nil, err
				}
				l.Elems = append(l.Elems, el)
				if !p.is(",") {
					break
				}
				p.next()
			}
			close, err := p.expect("]")
			if err != nil {
				return nil, err
			}
			l.Sp = Span{Start: t.Pos.Offset, End: close.Pos.Offset + 1}
			return l, nil
		case "{":
			p.next()
			m := &MapExpr{}
			for !p.is("}") {
				k, err := p.expr(0)
				if err != nil {
					return nil, err
				}
				if _, err := p.expect(":"); err != nil {
					return nil, err
				}
				v, err := p.expr(0)
				if err != nil {
					return nil, err
				}
				m.Keys, m.Values = append(m.Keys, k), append(m.Values, v)
				if !p.is(",") {
					break
				}
				p.next()
			}
			close, err := p.expect("}")
			if err != nil {
				return nil, err
			}
			m.Sp = Span{Start: t.Pos.Offset, End: close.Pos.Offset + 1}
			return m, nil
		}
	}
	return nil, p.fail("an expression")
}

// call parses (args) after fun. An argument is `name = value` or `value`.
func (p *exprParser) call(fun Expr) (*CallExpr, error) {
	open := p.next()
	call := &CallExpr{Fun: fun, Lparen: open.Pos.Offset}
	prevLine := open.Pos.Line
	for !p.is(")") {
		first := p.peek()
		if first.Pos.Line != prevLine {
			call.Multiline = true
		}
		arg := &Arg{}
		if first.Type == tokIdent {
			cp := p.lex.MakeCheckpoint()
			p.lex.Next()
			eq := p.lex.Peek()
			named := eq.Type == tokPunct && eq.Value == "="
			p.lex.LoadCheckpoint(cp)
			if named {
				arg.Name = p.ident(p.next())
				p.next() // =
			}
		}
		v, err := p.expr(0)
		if err != nil {
			return nil, err
		}
		arg.Value = v
		call.Args = append(call.Args, arg)
		prevLine = p.last.Pos.Line
		if !p.is(",") {
			break
		}
		p.next()
	}
	close, err := p.expect(")")
	if err != nil {
		return nil, err
	}
	if len(call.Args) > 0 && close.Pos.Line != prevLine {
		call.Multiline = true
	}
	call.Rparen = close.Pos.Offset
	return call, nil
}

// fixSpans sets the file of every span in an expression built by exprParser.
func fixSpans(e Expr, f *SrcFile) {
	switch e := e.(type) {
	case *Ident:
		e.Sp.File = f
	case *BasicLit:
		e.Sp.File = f
	case *UnaryExpr:
		e.OpSp.File = f
		fixSpans(e.X, f)
	case *BinaryExpr:
		e.OpSp.File = f
		e.Sp.File = f
		fixSpans(e.X, f)
		fixSpans(e.Y, f)
	case *SelectorExpr:
		fixSpans(e.X, f)
		e.Sel.Sp.File = f
	case *CallExpr:
		fixSpans(e.Fun, f)
		for _, a := range e.Args {
			if a.Name != nil {
				a.Name.Sp.File = f
			}
			fixSpans(a.Value, f)
		}
	case *ListExpr:
		e.Sp.File = f
		for _, el := range e.Elems {
			fixSpans(el, f)
		}
	case *MapExpr:
		e.Sp.File = f
		for i := range e.Keys {
			fixSpans(e.Keys[i], f)
			fixSpans(e.Values[i], f)
		}
	case *ParenExpr:
		e.Sp.File = f
		fixSpans(e.X, f)
	case *BadExpr:
		e.Sp.File = f
	}
}

// Parse implements participle.Parseable: the entries of a features block, up to its "}".
func (b *gBody) Parse(lex *lexer.PeekingLexer) error {
	for {
		t := lex.Peek()
		if t.EOF() || (t.Type == tokPunct && t.Value == "}") {
			return nil
		}
		it, err := parseItem(lex)
		if err != nil {
			return err
		}
		b.Items = append(b.Items, it)
	}
}

// parseItem parses `name = expr` or `expect expr [else level]`.
func parseItem(lex *lexer.PeekingLexer) (*gItem, error) {
	t := *lex.Peek()
	if t.Type != tokIdent {
		return nil, &participle.UnexpectedTokenError{Unexpected: t, Expect: "a feature (name = expression) or expect"}
	}
	lex.Next()
	if t.Value == "expect" {
		e := &gExpect{Pos: t.Pos, Cond: &gExpr{}}
		if err := e.Cond.Parse(lex); err != nil {
			if err == participle.NextMatch {
				return nil, &participle.UnexpectedTokenError{Unexpected: *lex.Peek(), Expect: "a condition"}
			}
			return nil, err
		}
		end := e.Cond.last
		if n := lex.Peek(); n.Type == tokIdent && n.Value == "else" {
			lex.Next()
			lv := *lex.Peek()
			if lv.Type != tokIdent {
				return nil, &participle.UnexpectedTokenError{Unexpected: lv, Expect: "warn or error"}
			}
			lex.Next()
			e.Level = &gIdent{Pos: lv.Pos, Name: lv.Value}
			end = lv
		}
		e.End = end.Pos.Offset + len(end.Value)
		return &gItem{Expect: e}, nil
	}
	eq := *lex.Peek()
	if eq.Type != tokPunct || eq.Value != "=" {
		return nil, &participle.UnexpectedTokenError{Unexpected: eq, Expect: `"="`}
	}
	lex.Next()
	f := &gFeature{Name: gIdent{Pos: t.Pos, Name: t.Value}, Value: &gExpr{}}
	if err := f.Value.Parse(lex); err != nil {
		if err == participle.NextMatch {
			return nil, &participle.UnexpectedTokenError{Unexpected: *lex.Peek(), Expect: "an expression"}
		}
		return nil, err
	}
	return &gItem{Feature: f}, nil
}
