package lang

import (
	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// The participle grammar. These g-prefixed structs are the parser's raw capture; convert.go
// turns them into the syntax tree of ast.go, so nothing outside this package sees participle.
//
// Expressions (gExpr) are parsed by the hand-written parser of exprparse.go, which participle
// calls through the Parseable interface.

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
	Name   gIdent  `"features" @@`
	From   *gExpr  `( "from" @@`
	Entity *gIdent `| "for" @@`
	At     *gIdent `"at" @@ )`
	Body   *gBody  `"{" @@`
	Rbrace gRbrace `@@`
	EndPos lexer.Position
}

type gRbrace struct {
	Pos lexer.Position
	X   string `@"}"`
}

// gBody is the entries of a features block, parsed by parseItem (exprparse.go): blocks hold
// most of a project's lines, and a hand-written loop over them is several times faster than
// participle's reflective one.
type gBody struct {
	Items []*gItem
}

// gItem is one entry of a block: an expectation or a feature.
type gItem struct {
	Expect  *gExpect
	Feature *gFeature
}

type gExpect struct {
	Pos   lexer.Position
	Cond  *gExpr
	Level *gIdent
	End   int // offset just past the entry
}

type gFeature struct {
	Name  gIdent
	Value *gExpr
}

type gMode struct {
	Pos    lexer.Position
	Name   gIdent   `"mode" @@`
	Decls  []*gDecl `"{" @@*`
	Rbrace gRbrace  `@@`
	EndPos lexer.Position
}

var (
	declParser = participle.MustBuild[gDecl](
		participle.Lexer(definition{}),
		participle.UseLookahead(1),
	)
)
