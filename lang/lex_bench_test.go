package lang

import (
	"testing"

	"github.com/alecthomas/participle/v2/lexer"

	"github.com/featc/featc/internal/gen"
)

// regexpLexer is participle's regexp-driven lexer with the rules of featc's scanner, kept to
// measure the choice of a hand-written scanner (BenchmarkLex).
var regexpLexer = lexer.MustSimple([]lexer.SimpleRule{
	{Name: "Comment", Pattern: `#[^\n]*`},
	{Name: "Timestamp", Pattern: `@\d{4}-\d{2}-\d{2}T[0-9:.+\-Z]+`},
	{Name: "Date", Pattern: `@\d{4}-\d{2}-\d{2}`},
	{Name: "Duration", Pattern: `\d[\d_]*([a-z]+\d[\d_]*)*[a-z]+`},
	{Name: "Float", Pattern: `\d[\d_]*(\.\d[\d_]*([eE][+-]?\d+)?|[eE][+-]?\d+)`},
	{Name: "Int", Pattern: `\d[\d_]*`},
	{Name: "String", Pattern: `"(\\.|[^"\\\n])*"`},
	{Name: "Ident", Pattern: `[\p{L}_][\p{L}\p{N}_]*`},
	{Name: "Punct", Pattern: `==|!=|<=|>=|//|\*\*|[()\[\]{},:.=<>+\-*/%&|~]`},
	{Name: "whitespace", Pattern: `[ \t\r\n]+`},
})

// BenchmarkLex compares featc's hand-written scanner with participle's regexp lexer on a
// generated project of 10,000 features.
func BenchmarkLex(b *testing.B) {
	src := gen.Project(10000, 1)
	b.Run("handwritten", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		for i := 0; i < b.N; i++ {
			var d Diagnostics
			scan(NewSrcFile("gen.feat", src), &d)
		}
	})
	b.Run("participle_regexp", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		for i := 0; i < b.N; i++ {
			lex, err := regexpLexer.LexString("gen.feat", src)
			if err != nil {
				b.Fatal(err)
			}
			for {
				t, err := lex.Next()
				if err != nil {
					b.Fatal(err)
				}
				if t.EOF() {
					break
				}
			}
		}
	})
}
