package lang

import (
	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// The participle grammar. These g-prefixed structs are the parser's raw capture; convert.go
// turns them into the syntax tree of ast.go, so nothing outside this package sees participle.
//
// Binary operators are captured as a flat list (operand, op, operand, …) and arranged by
// precedence in convert.go: one grammar level instead of eight keeps the reflective parser fast
// and the precedence table in one place (Op.Precedence).

type gDecl struct {
	Source   *gSchema   `  @@`
	Param    *gParam    `| @@`
	Let      *gLet      `| @@`
	Frame    *gFrame    `| @@`
	Features *gFeatures `| @@`
	Mode     *gMode     `| @@`
}

type gIdent struct {
	Pos  lexer.Position
	Name string `@Ident`
}

type gSchema struct {
	Pos     lexer.Position
	Keyword string    `@( "source" | "entity" )`
	Name    gIdent    `@@`
	Lbrace  gLbrace   `@@`
	Fields  []*gField `( @@ ","? )* "}"`
	EndPos  lexer.Position
}

type gLbrace struct {
	Pos lexer.Position
	X   string `@"{"`
}

type gField struct {
	Pos    lexer.Position
	Name   *gIdent `( @@`
	Quoted *string `| @String )`
	Type   *gType  `":" @@`
}

type gType struct {
	Pos    lexer.Position
	Name   string   `@Ident`
	Args   []string `( "(" @Int ( "," @Int )* ")" )?`
	EndPos lexer.Position
}

type gParam struct {
	Pos     lexer.Position
	Name    gIdent `"param" @@`
	Type    *gType `":" @@`
	Default *gExpr `( "=" @@ )?`
	EndPos  lexer.Position
}

type gLet struct {
	Pos    lexer.Position
	Name   gIdent `"let" @@`
	Type   *gType `( ":" @@ )?`
	Value  *gExpr `"=" @@`
	EndPos lexer.Position
}

type gFrame struct {
	Pos    lexer.Position
	Name   gIdent `"frame" @@`
	Value  *gExpr `"=" @@`
	EndPos lexer.Position
}

type gFeatures struct {
	Pos    lexer.Position
	Name   gIdent   `"features" @@`
	From   *gExpr   `( "from" @@`
	Entity *gIdent  `| "for" @@`
	At     *gIdent  `"at" @@ )`
	Items  []*gItem `"{" @@*`
	Rbrace gRbrace  `@@`
	EndPos lexer.Position
}

type gRbrace struct {
	Pos lexer.Position
	X   string `@"}"`
}

type gItem struct {
	Expect  *gExpect  `  @@`
	Feature *gFeature `| @@`
}

type gExpect struct {
	Pos    lexer.Position
	Cond   *gExpr  `"expect" @@`
	Level  *gIdent `( "else" @@ )?`
	EndPos lexer.Position
}

type gFeature struct {
	Name  gIdent `@@ "="`
	Value *gExpr `@@`
}

type gMode struct {
	Pos    lexer.Position
	Name   gIdent   `"mode" @@`
	Decls  []*gDecl `"{" @@*`
	Rbrace gRbrace  `@@`
	EndPos lexer.Position
}

// ---- Expressions ----

type gExpr struct {
	Head *gUnary    `@@`
	Tail []*gBinary `@@*`
}

type gBinary struct {
	Pos     lexer.Position
	Op      string  `@( "==" | "!=" | "<=" | ">=" | "<" | ">" | "+" | "-" | "**" | "*" | "//" | "/" | "%" | "&" | "|" | "and" | "or" )`
	Operand *gUnary `@@`
}

type gUnary struct {
	Prefix  []*gPrefix `@@*`
	Operand *gPostfix  `@@`
}

type gPrefix struct {
	Pos lexer.Position
	Op  string `@( "-" | "not" | "~" )`
}

type gPostfix struct {
	Primary  *gPrimary  `@@`
	Suffixes []*gSuffix `@@*`
}

type gSuffix struct {
	Name gIdent `"." @@`
	Args *gArgs `@@?`
}

type gArgs struct {
	Pos    lexer.Position
	Args   []*gArg `"(" ( @@ ( "," @@ )* ","? )? ")"`
	EndPos lexer.Position
}

type gArg struct {
	Name  *gIdent `( @@ "=" )?`
	Value *gExpr  `@@`
}

type gPrimary struct {
	Pos    lexer.Position
	Lit    *gLit  `  @@`
	Call   *gCall `| @@`
	Paren  *gExpr `| "(" @@ ")"`
	List   *gList `| "[" @@ "]"`
	EndPos lexer.Position
}

type gLit struct {
	Pos       lexer.Position
	Timestamp *string `  @Timestamp`
	Date      *string `| @Date`
	Duration  *string `| @Duration`
	Float     *string `| @Float`
	Int       *string `| @Int`
	String    *string `| @String`
	Bool      *string `| @( "true" | "false" )`
	Null      bool    `| @"null"`
}

type gCall struct {
	Name gIdent `@@`
	Args *gArgs `@@?`
}

type gList struct {
	Elems []*gExpr `( @@ ( "," @@ )* ","? )?`
}

var (
	declParser = participle.MustBuild[gDecl](
		participle.Lexer(definition{}),
		participle.UseLookahead(2),
	)
	itemParser = participle.MustBuild[gItem](
		participle.Lexer(definition{}),
		participle.UseLookahead(2),
	)
)
