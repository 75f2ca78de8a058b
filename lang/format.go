package lang

import (
	"strings"

	"github.com/featc/featc/types"
)

// Format renders a file in canonical form: four-space indentation, one declaration or feature
// per line, spaces around operators and named arguments, canonical operator spellings (and,
// or, not), aligned `=` in runs of one-line features, and at most one blank line wherever the
// source had blank lines. It keeps every comment, and keeps the line breaks that carry
// meaning for a reader: method chains and argument lists written over several lines stay so.
// Formatting formatted output changes nothing.
func Format(f *File) string {
	p := &printer{src: f.Src, comments: f.Comments, atLineStart: true}
	for i, d := range f.Decls {
		if i > 0 {
			p.newline()
			if p.blankBefore(d.Span().Start) {
				p.newline()
			}
		}
		p.leading(d.Span().Start)
		p.decl(d)
		p.trailing(d.Span().End)
	}
	p.leading(len(f.Src.Text) + 1)
	out := strings.TrimRight(p.buf.String(), " \n")
	if out == "" {
		return ""
	}
	return out + "\n"
}

// FormatSource parses and formats source text; a file with syntax errors is not formatted.
func FormatSource(name, text string) (string, Diagnostics) {
	f, diags := ParseFile(name, text)
	if diags.HasErrors() {
		return "", diags
	}
	return Format(f), diags
}

type printer struct {
	src      *SrcFile
	buf      strings.Builder
	comments []*Comment
	next     int
	indent   int
	// atLineStart is set after a newline, before any text of the line.
	atLineStart bool
	// lastOff is the source offset printed up to, for placing comments.
	lastOff int
	// chain is set while printing an operator chain (a and b or c) that the source broke over
	// lines and that has already taken its continuation indent; inArg while printing an
	// argument of a call whose arguments stand one per line (the brackets delimit it, so its
	// continuation lines need no extra indent).
	chain, inArg bool
}

func (p *printer) write(s string) {
	if p.atLineStart {
		p.buf.WriteString(strings.Repeat("    ", p.indent))
		p.atLineStart = false
	}
	p.buf.WriteString(s)
}

// closeLine ends the current line unless nothing has been written on it.
func (p *printer) closeLine() {
	if !p.atLineStart {
		p.newline()
	}
}

func (p *printer) newline() {
	// Drop trailing spaces of the line.
	s := p.buf.String()
	trimmed := strings.TrimRight(s, " ")
	if len(trimmed) != len(s) {
		p.buf.Reset()
		p.buf.WriteString(trimmed)
	}
	p.buf.WriteByte('\n')
	p.atLineStart = true
}

// blankBefore reports whether the source has a blank line before offset off, since the last
// printed position.
func (p *printer) blankBefore(off int) bool {
	from := p.lastOff
	if from > off || from < 0 {
		return false
	}
	// A blank line is two newlines with only spaces between them; comments count as text.
	text := p.src.Text[from:off]
	for _, c := range p.comments[p.next:] {
		if c.Span.Start < from {
			continue // printed already, or within text printed since (a field list on one line)
		}
		if c.Span.Start >= off {
			break
		}
		// Only the stretch before the first pending comment decides.
		text = p.src.Text[from:c.Span.Start]
		break
	}
	lines := strings.Split(text, "\n")
	for i := 1; i < len(lines)-1; i++ {
		if strings.TrimSpace(lines[i]) == "" {
			return true
		}
	}
	return false
}

// leading prints, each on its own line, the comments that start before off.
func (p *printer) leading(off int) {
	for p.next < len(p.comments) && p.comments[p.next].Span.Start < off {
		c := p.comments[p.next]
		if !p.atLineStart {
			p.newline()
		}
		if p.blankBefore(c.Span.Start) && p.buf.Len() > 0 && !strings.HasSuffix(p.buf.String(), "\n\n") {
			p.newline()
		}
		p.write(c.Text)
		p.newline()
		p.next++
		p.lastOff = c.Span.End
		// Keep a blank line that separates the comment from what follows.
		nextStart := off
		if p.next < len(p.comments) && p.comments[p.next].Span.Start < off {
			nextStart = p.comments[p.next].Span.Start
		}
		if nextStart <= len(p.src.Text) && p.blankBetween(c.Span.End, nextStart) {
			p.newline()
		}
	}
}

// trailingBrace prints a comment that follows the first "{" at or after offset from, on its
// line.
func (p *printer) trailingBrace(from int) {
	if from < 0 || from >= len(p.src.Text) {
		return
	}
	if i := strings.IndexByte(p.src.Text[from:], '{'); i >= 0 {
		p.trailing(from + i + 1)
	}
}

// trailing prints a comment that sits on the same source line right after offset end.
func (p *printer) trailing(end int) {
	if end > p.lastOff {
		p.lastOff = end
	}
	if p.next >= len(p.comments) {
		return
	}
	c := p.comments[p.next]
	if c.Span.Start < end {
		return
	}
	// Only a comment right after the node (past spaces and a comma) belongs to it.
	between := p.src.Text[end:c.Span.Start]
	if strings.Trim(between, " \t,") != "" {
		return
	}
	p.write("  " + c.Text)
	p.next++
	p.lastOff = c.Span.End
}

// hasComment reports whether a pending comment lies inside [start, end).
func (p *printer) hasComment(start, end int) bool {
	for _, c := range p.comments[p.next:] {
		if c.Span.Start >= end {
			return false
		}
		if c.Span.Start >= start {
			return true
		}
	}
	return false
}

func (p *printer) hasNewline(from, to int) bool {
	if from < 0 || to > len(p.src.Text) || from >= to {
		return false
	}
	return strings.IndexByte(p.src.Text[from:to], '\n') >= 0
}

func (p *printer) decl(d Decl) {
	switch d := d.(type) {
	case *SourceDecl:
		p.schemaDecl("source", d.Name, d.Fields, d.OneLine, d.Sp)
	case *EntityDecl:
		p.schemaDecl("entity", d.Name, d.Fields, d.OneLine, d.Sp)
	case *ParamDecl:
		p.write("param " + d.Name.Name + ": " + typeString(d.Type))
		if d.Default != nil {
			p.write(" = ")
			p.expr(d.Default)
		}
	case *LetDecl:
		p.write("let " + d.Name.Name)
		if d.Type != nil {
			p.write(": " + typeString(d.Type))
		}
		p.write(" = ")
		p.expr(d.Value)
	case *FrameDecl:
		p.write("frame " + d.Name.Name + " = ")
		p.expr(d.Value)
	case *FeaturesDecl:
		p.write("features " + d.Name.Name)
		if d.From != nil {
			p.write(" from ")
			p.expr(d.From)
		} else {
			p.write(" for " + d.Entity.Name + " at " + d.At.Name)
		}
		p.write(" {")
		if d.From != nil {
			p.trailingBrace(d.From.Span().End)
		} else {
			p.trailingBrace(d.At.Sp.End)
		}
		p.items(d.Items, d.Rbrace)
		p.closeLine()
		p.write("}")
		p.lastOff = d.Rbrace + 1
	case *ModeDecl:
		p.write("mode " + d.Name.Name + " {")
		p.trailingBrace(d.Name.Sp.End)
		p.indent++
		for i, inner := range d.Decls {
			p.newline()
			if i > 0 && p.blankBefore(inner.Span().Start) {
				p.newline()
			}
			p.leading(inner.Span().Start)
			p.decl(inner)
			p.trailing(inner.Span().End)
		}
		p.leading(d.Rbrace)
		p.indent--
		p.closeLine()
		p.write("}")
		p.lastOff = d.Rbrace + 1
	case *BadDecl:
		p.write(d.Sp.Text())
	}
}

func typeString(t *TypeExpr) string {
	if len(t.Args) == 0 {
		return t.Name
	}
	parts := make([]string, len(t.Args))
	for i, a := range t.Args {
		parts[i] = itoa(a)
	}
	return t.Name + "(" + strings.Join(parts, ", ") + ")"
}

func fieldName(f *Field) string {
	if f.Quoted {
		return types.Quote(f.Name.Name)
	}
	return f.Name.Name
}

func (p *printer) schemaDecl(kw string, name *Ident, fields []*Field, oneLine bool, sp Span) {
	p.write(kw + " " + name.Name + " {")
	if oneLine && !p.hasComment(sp.Start, sp.End) {
		parts := make([]string, len(fields))
		for i, f := range fields {
			parts[i] = fieldName(f) + ": " + typeString(f.Type)
		}
		p.write(" " + strings.Join(parts, ", ") + " }")
		p.lastOff = sp.End
		return
	}
	p.trailingBrace(name.Sp.End)
	p.indent++
	for i, f := range fields {
		p.newline()
		if i > 0 && p.blankBefore(f.Span().Start) {
			p.newline()
		}
		p.leading(f.Span().Start)
		p.write(fieldName(f) + ": " + typeString(f.Type))
		end := f.Span().End
		if end < len(p.src.Text) && p.src.Text[end] == ',' {
			end++
		}
		p.trailing(end)
	}
	p.leading(sp.End - 1)
	p.indent--
	p.closeLine()
	p.write("}")
	p.lastOff = sp.End
}

// items prints the entries of a features block, aligning `=` across runs of consecutive
// one-line features.
func (p *printer) items(items []Item, rbrace int) {
	p.indent++
	defer func() {
		p.leading(rbrace) // comments before the closing brace stay inside the block
		p.indent--
	}()
	width := p.alignWidths(items)
	for i, it := range items {
		p.newline()
		if i > 0 && p.blankBefore(it.Span().Start) {
			p.newline()
		}
		p.leading(it.Span().Start)
		switch it := it.(type) {
		case *FeatureItem:
			name := it.Name.Name
			if w := width[i]; w > len([]rune(name)) {
				name += strings.Repeat(" ", w-len([]rune(name)))
			}
			p.write(name + " = ")
			p.expr(it.Value)
		case *ExpectItem:
			p.write("expect ")
			p.expr(it.Cond)
			if it.Level != nil {
				p.write(" else " + it.Level.Name)
			}
		case *BadItem:
			p.write(it.Sp.Text())
		}
		p.trailing(it.Span().End)
	}
}

// alignWidths returns, per item, the width its name is padded to: the longest name of its run
// of consecutive one-line features (a blank line, an expectation or a multi-line feature ends
// a run).
func (p *printer) alignWidths(items []Item) []int {
	entries := make([]alignEntry, len(items))
	for i, it := range items {
		if fi, ok := it.(*FeatureItem); ok {
			entries[i] = alignEntry{name: fi.Name.Name, sp: fi.Span(), value: fi.Value}
		} else {
			entries[i] = alignEntry{sp: it.Span()}
		}
	}
	return p.align(entries)
}

// alignEntry is a line that may align its `=` with its neighbours: a named feature or
// argument (name empty for lines that never align).
type alignEntry struct {
	name  string
	sp    Span
	value Expr
}

func (p *printer) align(entries []alignEntry) []int {
	widths := make([]int, len(entries))
	start := 0
	flush := func(end int) {
		w := 0
		for i := start; i < end; i++ {
			w = max(w, len([]rune(entries[i].name)))
		}
		for i := start; i < end; i++ {
			widths[i] = w
		}
	}
	for i, e := range entries {
		single := e.name != "" && p.printsOnOneLine(e.value)
		if !single {
			flush(i)
			start = i + 1
			continue
		}
		if i > start && p.blankBetween(entries[i-1].sp.End, e.sp.Start) {
			flush(i)
			start = i
		}
	}
	flush(len(entries))
	return widths
}

// printsOnOneLine reports whether e prints on one line: decided on the printed form, not the
// source, because the printer joins some lines the source broke (inside parentheses, say), and
// alignment must not change when formatted output is formatted again.
func (p *printer) printsOnOneLine(e Expr) bool {
	if e == nil {
		return false
	}
	q := &printer{src: p.src, comments: p.comments, next: p.next, lastOff: e.Span().Start}
	for q.next < len(q.comments) && q.comments[q.next].Span.Start < e.Span().Start {
		q.next++
	}
	q.expr(e)
	return !strings.Contains(q.buf.String(), "\n")
}

func (p *printer) blankBetween(from, to int) bool {
	if from < 0 || to > len(p.src.Text) || from >= to {
		return false
	}
	lines := strings.Split(p.src.Text[from:to], "\n")
	for i := 1; i < len(lines)-1; i++ {
		if strings.TrimSpace(lines[i]) == "" {
			return true
		}
	}
	return false
}

// ---- Expressions ----

func (p *printer) expr(e Expr) {
	switch e := e.(type) {
	case *Ident:
		p.write(e.Name)
	case *BasicLit:
		p.write(e.Raw)
	case *ParenExpr:
		p.write("(")
		chain, inArg := p.chain, p.inArg
		p.chain, p.inArg = false, false
		p.expr(e.X)
		p.chain, p.inArg = chain, inArg
		p.write(")")
	case *UnaryExpr:
		if e.Op == OpNot {
			p.write("not ")
		} else {
			p.write("-")
		}
		p.expr(e.X)
	case *BinaryExpr:
		p.binary(e)
	case *SelectorExpr:
		p.selector(e, nil)
	case *CallExpr:
		if sel, ok := e.Fun.(*SelectorExpr); ok {
			p.selector(sel, e)
			return
		}
		p.expr(e.Fun)
		p.args(e)
	case *ListExpr:
		p.list(e)
	case *MapExpr:
		p.mapping(e)
	case *BadExpr:
		p.write(e.Sp.Text())
	}
}

// binary prints an operator chain, breaking the line before an operator where the source broke
// it (before or after the operator), so that long conditions written one clause per line stay
// so. Continuation lines are indented once per chain, not per operator, and not at all for an
// argument that has its own lines.
func (p *printer) binary(e *BinaryExpr) {
	if !p.chain && chainBreaks(p, e) {
		p.chain = true
		indented := !p.inArg
		if indented {
			p.indent++
		}
		defer func() {
			p.chain = false
			if indented {
				p.indent--
			}
		}()
	}
	p.expr(e.X)
	if p.chain && p.hasNewline(e.X.Span().End, e.Y.Span().Start) {
		p.trailing(e.X.Span().End)
		p.newline()
		p.leading(e.OpSp.Start)
		p.write(e.Op.String() + " ")
	} else {
		p.write(" " + e.Op.String() + " ")
	}
	p.expr(e.Y)
}

// chainBreaks reports whether the source breaks a line around any operator of the chain e
// (through nested operators, not through parentheses).
func chainBreaks(p *printer, e Expr) bool {
	b, ok := e.(*BinaryExpr)
	if !ok {
		return false
	}
	return p.hasNewline(b.X.Span().End, b.Y.Span().Start) || chainBreaks(p, b.X) || chainBreaks(p, b.Y)
}

// selector prints x.name or x.name(args), breaking the line before the dot where the source
// did, so that method chains written one call per line stay so.
func (p *printer) selector(sel *SelectorExpr, call *CallExpr) {
	p.expr(sel.X)
	broke := p.hasNewline(sel.X.Span().End, sel.Sel.Sp.Start)
	if broke {
		p.trailing(sel.X.Span().End)
		p.indent++
		p.newline()
		// Comments between the links of a chain stay before the link they precede.
		dot := strings.LastIndexByte(p.src.Text[:sel.Sel.Sp.Start], '.')
		p.leading(dot)
	}
	p.write("." + sel.Sel.Name)
	if call != nil {
		p.args(call)
	}
	if broke {
		p.indent--
	}
}

func (p *printer) args(c *CallExpr) {
	multi := c.Multiline || p.hasComment(c.Lparen, c.Rparen)
	if !multi || len(c.Args) == 0 {
		p.write("(")
		for i, a := range c.Args {
			if i > 0 {
				p.write(", ")
			}
			p.arg(a)
		}
		p.write(")")
		return
	}
	p.write("(")
	p.indent++
	entries := make([]alignEntry, len(c.Args))
	for i, a := range c.Args {
		if a.Name != nil {
			entries[i] = alignEntry{name: a.Name.Name, sp: a.Span(), value: a.Value}
		} else {
			entries[i] = alignEntry{sp: a.Span()}
		}
	}
	widths := p.align(entries)
	for i, a := range c.Args {
		p.newline()
		if i > 0 && p.blankBefore(a.Span().Start) {
			p.newline()
		}
		p.leading(a.Span().Start)
		inArg := p.inArg
		p.inArg = true
		if a.Name != nil {
			name := a.Name.Name
			if w := widths[i]; w > len([]rune(name)) {
				name += strings.Repeat(" ", w-len([]rune(name)))
			}
			p.write(name + " = ")
			p.expr(a.Value)
		} else {
			p.arg(a)
		}
		p.inArg = inArg
		p.write(",")
		end := a.Span().End
		if end < len(p.src.Text) && p.src.Text[end] == ',' {
			end++
		}
		p.trailing(end)
	}
	p.leading(c.Rparen)
	p.indent--
	p.closeLine()
	p.write(")")
	p.lastOff = c.Rparen + 1
}

func (p *printer) arg(a *Arg) {
	if a.Name != nil {
		p.write(a.Name.Name + " = ")
	}
	p.expr(a.Value)
}

// mapping prints {k: v, …} on one line, or one entry per line where comments sit inside.
func (p *printer) mapping(m *MapExpr) {
	if !p.hasComment(m.Sp.Start, m.Sp.End) {
		p.write("{")
		for i := range m.Keys {
			if i > 0 {
				p.write(", ")
			}
			p.expr(m.Keys[i])
			p.write(": ")
			p.expr(m.Values[i])
		}
		p.write("}")
		return
	}
	p.write("{")
	p.indent++
	for i := range m.Keys {
		p.newline()
		if i > 0 && p.blankBefore(m.Keys[i].Span().Start) {
			p.newline()
		}
		p.leading(m.Keys[i].Span().Start)
		p.expr(m.Keys[i])
		p.write(": ")
		p.expr(m.Values[i])
		p.write(",")
		end := m.Values[i].Span().End
		if end < len(p.src.Text) && p.src.Text[end] == ',' {
			end++
		}
		p.trailing(end)
	}
	p.leading(m.Sp.End - 1)
	p.indent--
	p.closeLine()
	p.write("}")
}

func (p *printer) list(l *ListExpr) {
	if !p.hasComment(l.Sp.Start, l.Sp.End) {
		p.write("[")
		for i, el := range l.Elems {
			if i > 0 {
				p.write(", ")
			}
			p.expr(el)
		}
		p.write("]")
		return
	}
	p.write("[")
	p.indent++
	for i, el := range l.Elems {
		p.newline()
		if i > 0 && p.blankBefore(el.Span().Start) {
			p.newline()
		}
		p.leading(el.Span().Start)
		p.expr(el)
		p.write(",")
		end := el.Span().End
		if end < len(p.src.Text) && p.src.Text[end] == ',' {
			end++
		}
		p.trailing(end)
	}
	p.leading(l.Sp.End - 1)
	p.indent--
	p.closeLine()
	p.write("]")
}
