package lang

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// Keywords cannot be used as names (a column with such a name is written col("mode")).
var keywords = map[string]bool{
	"source": true, "entity": true, "param": true, "let": true, "frame": true, "features": true,
	"mode": true, "expect": true, "and": true, "or": true, "not": true, "true": true,
	"false": true, "null": true,
}

// IsKeyword reports whether s is reserved.
func IsKeyword(s string) bool { return keywords[s] }

// declKeywords start a top-level declaration.
var declKeywords = map[string]bool{
	"source": true, "entity": true, "param": true, "let": true, "frame": true, "features": true, "mode": true,
}

// maxExprDepth bounds nesting so that hostile input cannot exhaust the stack of the parser,
// the checker or a SQL engine (DuckDB refuses expressions nested beyond 1,000).
const maxExprDepth = 200

// ParseFile parses one .feat file. It always returns a File (with Bad… nodes where parsing
// failed) and the diagnostics found, so that callers can report every error at once.
func ParseFile(name, text string) (*File, Diagnostics) {
	var diags Diagnostics
	src := NewSrcFile(name, text)
	if !utf8.ValidString(text) {
		off := 0
		for off < len(text) {
			r, size := utf8.DecodeRuneInString(text[off:])
			if r == utf8.RuneError && size == 1 {
				break
			}
			off += size
		}
		diags.Errorf(EIllegalChar, Span{File: src, Start: off, End: off + 1}, "file is not valid UTF-8")
		return &File{Src: src}, diags
	}
	toks, comments := scan(src, &diags)
	file := &File{Src: src, Comments: comments}
	for _, chunk := range splitDecls(toks) {
		if d := parseDecl(src, chunk, &diags); d != nil {
			file.Decls = append(file.Decls, d)
		}
	}
	diags.Sort()
	return file, diags
}

// splitDecls cuts the token stream before every declaration keyword that sits outside all
// brackets and is followed by a name. Parsing declarations one by one lets a syntax error in
// one leave the others intact. An unclosed bracket must not swallow the rest of the file, so a
// declaration keyword at the start of a line also starts a declaration when it cannot continue
// what is open: inside parentheses or brackets, or inside the braces of anything but a mode
// block (whose declarations may start at column 1 when unformatted, except another mode).
func splitDecls(toks []lexer.Token) [][]lexer.Token {
	var chunks [][]lexer.Token
	start := 0
	parens := 0         // open ( and [
	var braces []string // what opened each {: "mode" or "block"
	lastKeyword := ""
	for i, t := range toks {
		if t.Type == tokEOF {
			break
		}
		if t.Type == tokPunct {
			switch t.Value {
			case "(", "[":
				parens++
			case ")", "]":
				if parens > 0 {
					parens--
				}
			case "{":
				kind := "block"
				if lastKeyword == "mode" && parens == 0 {
					kind = "mode"
				}
				braces = append(braces, kind)
			case "}":
				if len(braces) > 0 {
					braces = braces[:len(braces)-1]
				}
			}
			continue
		}
		isDecl := t.Type == tokIdent && declKeywords[t.Value] && toks[i+1].Type == tokIdent
		if isDecl && parens == 0 && len(braces) == 0 {
			lastKeyword = t.Value
		}
		if !isDecl || i == start {
			if isDecl {
				lastKeyword = t.Value
			}
			continue
		}
		split := parens == 0 && len(braces) == 0
		if !split && t.Pos.Column == 1 {
			inMode := parens == 0 && len(braces) == 1 && braces[0] == "mode"
			split = !inMode || t.Value == "mode"
		}
		if inModeBody := parens == 0 && len(braces) == 1 && braces[0] == "mode"; inModeBody && !split {
			lastKeyword = t.Value
		}
		if split {
			chunks = append(chunks, toks[start:i])
			start = i
			parens, braces = 0, nil
			lastKeyword = t.Value
		}
	}
	if last := toks[start : len(toks)-1]; len(last) > 0 {
		chunks = append(chunks, last)
	}
	return chunks
}

// converter turns one chunk's participle capture into syntax tree nodes.
type converter struct {
	src   *SrcFile
	toks  []lexer.Token
	diags *Diagnostics
}

// chunkLexer returns a lexer over one declaration's tokens, ending with an EOF token placed
// just after the last one.
func chunkLexer(chunk []lexer.Token) *lexer.PeekingLexer {
	last := chunk[len(chunk)-1]
	end := last.Pos
	end.Offset += len(last.Value)
	end.Column += len(last.Value)
	pl, err := lexer.Upgrade(&sliceLexer{toks: chunk, eof: lexer.Token{Type: tokEOF, Pos: end}})
	if err != nil {
		panic(err) // the slice lexer cannot fail
	}
	return pl
}

func parseDecl(src *SrcFile, chunk []lexer.Token, diags *Diagnostics) Decl {
	c := &converter{src: src, toks: chunk, diags: diags}
	first := chunk[0]
	if first.Type != tokIdent || !declKeywords[first.Value] {
		sp := c.tokSpan(first)
		diags.Errorf(ESyntax, sp, "expected a declaration, found %s", describeToken(first)).
			WithHint("a .feat file holds source, entity, param, let, frame, features and mode declarations")
		return &BadDecl{Sp: c.spanOf(chunk[0].Pos.Offset, c.endOfChunk())}
	}
	lex := chunkLexer(chunk)
	g, err := declParser.ParseFromLexer(lex, participle.AllowTrailing(true))
	if err != nil {
		if first.Value == "features" {
			if d := c.recoverFeatures(chunk); d != nil {
				return d
			}
		}
		c.syntaxError(err)
		return &BadDecl{Sp: c.spanOf(chunk[0].Pos.Offset, c.endOfChunk())}
	}
	d := c.decl(g)
	// Text after a complete declaration is reported on its own; the declaration stands.
	if rest := *lex.Peek(); !rest.EOF() {
		lex.Next()
		switch {
		case rest.Type == tokPunct && lex.Peek().EOF():
			// An operator or = with nothing after it: the declaration is cut short.
			end := c.endOfChunk()
			diags.Errorf(ESyntax, Span{File: src, Start: end, End: end}, "unexpected end of declaration after %s", describeToken(rest))
			return &BadDecl{Sp: c.spanOf(chunk[0].Pos.Offset, c.endOfChunk())}
		case rest.Type == tokPunct:
			diags.Errorf(ESyntax, c.tokSpan(rest), "unexpected %s", describeToken(rest))
			return &BadDecl{Sp: c.spanOf(chunk[0].Pos.Offset, c.endOfChunk())}
		default:
			diags.Errorf(ESyntax, c.tokSpan(rest), "unexpected %s after the declaration of %s", describeToken(rest), d.DeclName().Name).
				WithHint("a declaration starts with source, entity, param, let, frame, features or mode; to continue an expression on the next line, start the line with an operator or a .method")
		}
	}
	return d
}

// recoverFeatures re-parses a features block whose whole-declaration parse failed entry by
// entry, so that each bad feature gets its own diagnostic and the good ones survive.
func (c *converter) recoverFeatures(chunk []lexer.Token) Decl {
	// Find the block's opening brace at bracket depth zero.
	depth, open := 0, -1
	for i, t := range chunk {
		if t.Type != tokPunct {
			continue
		}
		switch t.Value {
		case "(", "[":
			depth++
		case ")", "]":
			depth--
		case "{":
			if depth == 0 {
				open = i
			}
		}
		if open >= 0 {
			break
		}
	}
	if open < 0 || chunk[len(chunk)-1].Value != "}" {
		return nil
	}
	head := append(append([]lexer.Token{}, chunk[:open+1]...), lexer.Token{Type: tokPunct, Value: "}", Pos: chunk[len(chunk)-1].Pos})
	g, err := declParser.ParseFromLexer(chunkLexer(head))
	if err != nil || g.Features == nil {
		return nil
	}
	d := c.decl(g).(*FeaturesDecl)
	body := chunk[open+1 : len(chunk)-1]
	for _, item := range splitItems(body) {
		ic := &converter{src: c.src, toks: item, diags: c.diags}
		lex := chunkLexer(item)
		gi, err := parseItem(lex)
		if err == nil && !lex.Peek().EOF() {
			err = &participle.UnexpectedTokenError{Unexpected: *lex.Peek(), Expect: "a new line with the next feature"}
		}
		if err != nil {
			ic.syntaxError(err)
			d.Items = append(d.Items, &BadItem{Sp: ic.spanOf(item[0].Pos.Offset, ic.endOfChunk())})
			continue
		}
		d.Items = append(d.Items, ic.item(gi))
	}
	d.Rbrace = chunk[len(chunk)-1].Pos.Offset
	d.Sp.End = d.Rbrace + 1
	return d
}

// splitItems cuts a features block body before each `name =` and `expect` outside brackets.
func splitItems(body []lexer.Token) [][]lexer.Token {
	var items [][]lexer.Token
	depth, start := 0, 0
	for i, t := range body {
		if t.Type == tokPunct {
			switch t.Value {
			case "(", "[", "{":
				depth++
			case ")", "]", "}":
				depth--
			}
			continue
		}
		if depth != 0 || i == start || t.Type != tokIdent {
			continue
		}
		if t.Value == "expect" || (i+1 < len(body) && body[i+1].Value == "=" && body[i+1].Type == tokPunct) {
			items = append(items, body[start:i])
			start = i
		}
	}
	if start < len(body) {
		items = append(items, body[start:])
	}
	return items
}

func describeToken(t lexer.Token) string {
	switch t.Type {
	case tokEOF:
		return "end of input"
	case tokIdent:
		if keywords[t.Value] {
			return "keyword " + strconv.Quote(t.Value)
		}
		return "name " + strconv.Quote(t.Value)
	case tokString:
		return "string " + t.Value
	case tokInt, tokFloat:
		return "number " + t.Value
	case tokDuration:
		return "duration " + t.Value
	case tokDate, tokTimestamp:
		return "date " + t.Value
	}
	return strconv.Quote(t.Value)
}

// expectWords rewrites participle's EBNF expectations into words.
var expectWords = strings.NewReplacer("<ident>", "a name", "<string>", "a string", "<int>", "an integer",
	"<float>", "a number", "<duration>", "a duration", "<date>", "a date", "<timestamp>", "a timestamp")

// grammarNames maps the grammar's production names, which participle puts in its
// expectations, to words.
var grammarNames = map[string]string{
	"gExpr": "an expression", "gBody": "features", "gIdent": "a name", "gType": "a type",
	"gField": "a column", "gSchema": "a schema", "gDecl": "a declaration", "gRbrace": `"}"`,
	"gLbrace": `"{"`, "gParam": "a param", "gLet": "a let", "gFrame": "a frame", "gFeatures": "a features block",
	"gMode": "a mode block",
}

var grammarNameRE = regexp.MustCompile(`\bg[A-Z][A-Za-z]*\b`)

func expectText(s string) string {
	s = expectWords.Replace(s)
	return grammarNameRE.ReplaceAllStringFunc(s, func(n string) string {
		if w, ok := grammarNames[n]; ok {
			return w
		}
		return "more"
	})
}

func (c *converter) syntaxError(err error) {
	var perr participle.Error
	if !errors.As(err, &perr) {
		c.diags.Errorf(ESyntax, c.spanOf(c.toks[0].Pos.Offset, c.toks[0].Pos.Offset+1), "%v", err)
		return
	}
	pos := perr.Position()
	var ee *exprError
	if errors.As(err, &ee) {
		d := c.diags.Errorf(ee.code, c.tokSpan(ee.tok), "%s", ee.msg)
		if ee.hint != "" {
			d.WithHint("%s", ee.hint)
		}
		return
	}
	var ute *participle.UnexpectedTokenError
	tok := lexer.Token{Type: tokEOF, Pos: pos}
	expect := ""
	if errors.As(err, &ute) {
		tok = ute.Unexpected
		msg := ute.Message()
		if i := strings.Index(msg, "(expected "); i >= 0 {
			expect = strings.TrimSuffix(msg[i+len("(expected "):], ")")
		}
	}
	sp := c.tokSpan(tok)
	if tok.Type == tokEOF {
		// Point just past the last real token rather than at whatever follows the declaration.
		end := c.endOfChunk()
		sp = Span{File: c.src, Start: end, End: end}
	}
	var d *Diagnostic
	if tok.Type == tokEOF {
		d = c.diags.Errorf(ESyntax, sp, "unexpected end of declaration")
	} else {
		d = c.diags.Errorf(ESyntax, sp, "unexpected %s", describeToken(tok))
	}
	if tok.Type == tokIdent && keywords[tok.Value] && !declKeywords[tok.Value] {
		d.Code = EReserved
		d.Message = fmt.Sprintf("%q is a keyword and cannot be used as a name", tok.Value)
		d.WithHint(`write a column with this name as col("%s")`, tok.Value)
		return
	}
	if expect != "" {
		d.WithHint("expected %s", expectText(expect))
	}
	if tok.Value == "=" && tok.Type == tokPunct {
		d.WithHint("compare with ==; name an argument or a feature with =")
	}
}

// ---- Spans ----

func (c *converter) tokSpan(t lexer.Token) Span {
	return Span{File: c.src, Start: t.Pos.Offset, End: t.Pos.Offset + len(t.Value)}
}

func (c *converter) spanOf(start, end int) Span { return Span{File: c.src, Start: start, End: end} }

// endBefore returns the end offset of the last token that starts before offset off: participle's
// EndPos is where the next token starts, and a span should stop at the last character of its
// own text.
func (c *converter) endBefore(off int) int {
	i := sort.Search(len(c.toks), func(i int) bool { return c.toks[i].Pos.Offset >= off }) - 1
	if i < 0 {
		return off
	}
	return c.toks[i].Pos.Offset + len(c.toks[i].Value)
}

func (c *converter) endOfChunk() int {
	last := c.toks[len(c.toks)-1]
	return last.Pos.Offset + len(last.Value)
}

func (c *converter) span(start, endPos lexer.Position) Span {
	return c.spanOf(start.Offset, c.endBefore(endPos.Offset))
}

func (c *converter) hasNewline(from, to int) bool {
	if from < 0 || to > len(c.src.Text) || from >= to {
		return false
	}
	return strings.IndexByte(c.src.Text[from:to], '\n') >= 0
}

// ---- Conversion ----

// ident converts a declared name (of a definition, a feature, a column of a schema); a keyword
// there is an error with a hint that fits where it stands.
func (c *converter) ident(g gIdent) *Ident {
	return c.namedIdent(g, "choose another name: %q is a keyword")
}

func (c *converter) namedIdent(g gIdent, hint string) *Ident {
	id := &Ident{Sp: c.spanOf(g.Pos.Offset, g.Pos.Offset+len(g.Name)), Name: g.Name}
	if keywords[g.Name] {
		c.diags.Errorf(EReserved, id.Sp, "%q is a keyword and cannot be used as a name", g.Name).
			WithHint(hint, g.Name)
	}
	return id
}

func (c *converter) decl(g *gDecl) Decl {
	switch {
	case g.Source != nil:
		s := g.Source
		sp := c.span(s.Pos, s.EndPos)
		fields := make([]*Field, 0, len(s.Fields))
		for _, f := range s.Fields {
			fields = append(fields, c.field(f))
		}
		oneLine := !c.hasNewline(s.Lbrace.Pos.Offset, sp.End)
		if s.Keyword == "entity" {
			return &EntityDecl{Sp: sp, Name: c.ident(s.Name), Fields: fields, OneLine: oneLine}
		}
		return &SourceDecl{Sp: sp, Name: c.ident(s.Name), Fields: fields, OneLine: oneLine}
	case g.Param != nil:
		p := g.Param
		d := &ParamDecl{Sp: c.span(p.Pos, p.EndPos), Name: c.ident(p.Name), Type: c.typ(p.Type)}
		if p.Default != nil {
			d.Default = c.expr(p.Default)
		}
		return d
	case g.Let != nil:
		l := g.Let
		d := &LetDecl{Sp: c.span(l.Pos, l.EndPos), Name: c.ident(l.Name), Value: c.expr(l.Value)}
		if l.Type != nil {
			d.Type = c.typ(l.Type)
		}
		return d
	case g.Frame != nil:
		f := g.Frame
		return &FrameDecl{Sp: c.span(f.Pos, f.EndPos), Name: c.ident(f.Name), Value: c.expr(f.Value)}
	case g.Features != nil:
		f := g.Features
		d := &FeaturesDecl{Sp: c.span(f.Pos, f.EndPos), Name: c.ident(f.Name), Rbrace: f.Rbrace.Pos.Offset}
		if f.From != nil {
			d.From = c.expr(f.From)
		} else {
			d.Entity = c.ident(*f.Entity)
			d.At = c.ident(*f.At)
		}
		for _, it := range f.Body.Items {
			d.Items = append(d.Items, c.item(it))
		}
		return d
	case g.Mode != nil:
		m := g.Mode
		d := &ModeDecl{Sp: c.span(m.Pos, m.EndPos), Name: c.ident(m.Name), Rbrace: m.Rbrace.Pos.Offset}
		for _, inner := range m.Decls {
			sub := c.decl(inner)
			if md, ok := sub.(*ModeDecl); ok {
				c.diags.Errorf(ENestedMode, md.Name.Sp, "mode %s is inside mode %s; modes do not nest", md.Name.Name, d.Name.Name)
			}
			d.Decls = append(d.Decls, sub)
		}
		return d
	}
	panic("unreachable: participle matched no declaration")
}

func (c *converter) field(g *gField) *Field {
	f := &Field{Type: c.typ(g.Type)}
	if g.Name != nil {
		f.Name = c.namedIdent(*g.Name, `quote a column with this name: "%s": type`)
	} else {
		raw := *g.Quoted
		f.Name = &Ident{Sp: c.spanOf(g.Pos.Offset, g.Pos.Offset+len(raw)), Name: unquote(raw)}
		f.Quoted = true
	}
	return f
}

func (c *converter) typ(g *gType) *TypeExpr {
	t := &TypeExpr{Sp: c.span(g.Pos, g.EndPos), Name: g.Name}
	for _, a := range g.Args {
		n, err := strconv.Atoi(strings.ReplaceAll(a, "_", ""))
		if err != nil {
			n = -1
		}
		t.Args = append(t.Args, n)
	}
	return t
}

func (c *converter) item(g *gItem) Item {
	if g.Expect != nil {
		e := &ExpectItem{Sp: c.spanOf(g.Expect.Pos.Offset, g.Expect.End), Cond: c.expr(g.Expect.Cond)}
		if g.Expect.Level != nil {
			e.Level = c.ident(*g.Expect.Level)
		}
		return e
	}
	return &FeatureItem{Name: c.ident(g.Feature.Name), Value: c.expr(g.Feature.Value)}
}

// expr takes an expression parsed by exprParser: it sets the file of its spans and reports
// the diagnostics found while parsing it.
func (c *converter) expr(g *gExpr) Expr {
	fixSpans(g.X, c.src)
	for _, d := range g.diags {
		dg := c.diags.Errorf(d.code, Span{File: c.src, Start: d.start, End: d.end}, "%s", d.msg)
		if d.hint != "" {
			dg.WithHint("%s", d.hint)
		}
	}
	return g.X
}

// unquote decodes a string literal whose escapes the scanner has already checked; a bad
// escape is kept as written.
func unquote(raw string) string {
	s := strings.TrimPrefix(raw, `"`)
	s = strings.TrimSuffix(s, `"`)
	if strings.IndexByte(s, '\\') < 0 {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if ch != '\\' || i+1 >= len(s) {
			b.WriteByte(ch)
			continue
		}
		i++
		switch s[i] {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case '"', '\\':
			b.WriteByte(s[i])
		case 'u':
			if i+1 < len(s) && s[i+1] == '{' {
				if end := strings.IndexByte(s[i:], '}'); end > 0 {
					if v, err := strconv.ParseUint(s[i+2:i+end], 16, 32); err == nil {
						b.WriteRune(rune(v))
						i += end
						continue
					}
				}
			}
			b.WriteString(`\u`)
		default:
			b.WriteByte('\\')
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// ParseDir parses every .feat file directly in dir of fsys (a directory is one namespace, like
// a Go package), in name order.
func ParseDir(fsys fs.FS, dir string) ([]*File, Diagnostics, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, nil, err
	}
	var files []*File
	var diags Diagnostics
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".feat") {
			continue
		}
		p := path.Join(dir, e.Name())
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, nil, err
		}
		f, ds := ParseFile(p, string(b))
		files = append(files, f)
		diags = append(diags, ds...)
	}
	return files, diags, nil
}
