package lang

import (
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2/lexer"

	"github.com/featc/featc/types"
)

// Token types of the hand-written lexer. participle matches grammar literals ("source", "==")
// against token values, and @Ident-style captures against these types.
const (
	tokEOF       = lexer.EOF
	tokIdent     = lexer.TokenType(-2)
	tokInt       = lexer.TokenType(-3)
	tokFloat     = lexer.TokenType(-4)
	tokString    = lexer.TokenType(-5)
	tokDate      = lexer.TokenType(-6)
	tokTimestamp = lexer.TokenType(-7)
	tokDuration  = lexer.TokenType(-8)
	tokPunct     = lexer.TokenType(-9)
)

// tokenSymbols returns the token types by name. It is a function, not a map variable, because the
// parsers are built during package initialisation, before such a variable would be set.
func tokenSymbols() map[string]lexer.TokenType {
	return map[string]lexer.TokenType{
		"EOF":       tokEOF,
		"Ident":     tokIdent,
		"Int":       tokInt,
		"Float":     tokFloat,
		"String":    tokString,
		"Date":      tokDate,
		"Timestamp": tokTimestamp,
		"Duration":  tokDuration,
		"Punct":     tokPunct,
	}
}

// Comment is a comment in the source, kept for `featc fmt`.
type Comment struct {
	Span Span
	Text string // including the leading #
}

// scanner is featc's lexer: a hand-written scanner (as go/scanner is) rather than participle's
// regexp lexer, because lexing dominated parse time with the regexp lexer (see the benchmark in
// parse_test.go). It reports malformed tokens as diagnostics and keeps going, so that one typo
// does not hide the rest of the file's errors.
type scanner struct {
	f        *SrcFile
	src      string
	off      int
	line     int
	lineOff  int // offset of the current line's start
	diags    *Diagnostics
	comments []*Comment
}

// scan lexes a whole file into tokens (ending with EOF) and comments.
func scan(f *SrcFile, diags *Diagnostics) ([]lexer.Token, []*Comment) {
	s := &scanner{f: f, src: f.Text, line: 1, diags: diags}
	toks := make([]lexer.Token, 0, len(f.Text)/3+16) // about three bytes per token
	for {
		t := s.next()
		toks = append(toks, t)
		if t.Type == tokEOF {
			return toks, s.comments
		}
	}
}

func (s *scanner) pos(off int) lexer.Position {
	// Columns are counted in bytes here; diagnostics recompute characters from offsets.
	return lexer.Position{Filename: s.f.Name, Offset: off, Line: s.line, Column: off - s.lineOff + 1}
}

func (s *scanner) span(start, end int) Span { return Span{File: s.f, Start: start, End: end} }

func (s *scanner) errorf(code Code, start, end int, format string, args ...any) *Diagnostic {
	return s.diags.Errorf(code, s.span(start, end), format, args...)
}

func isIdentStart(r rune) bool {
	return r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= 0x80 && unicode.IsLetter(r)
}

func isIdentPart(r rune) bool {
	return isIdentStart(r) || r >= '0' && r <= '9' || r >= 0x80 && unicode.IsDigit(r)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// twoCharPuncts are the operators of two characters; every other punctuation is one character.
var twoCharPuncts = [...]string{"==", "!=", "<=", ">=", "//", "**"}

const oneCharPuncts = "()[]{},:.=<>+-*/%&|~"

func (s *scanner) next() lexer.Token {
	for s.off < len(s.src) {
		c := s.src[s.off]
		switch {
		case c == '\n':
			s.off++
			s.line++
			s.lineOff = s.off
			continue
		case c == ' ' || c == '\t' || c == '\r':
			s.off++
			continue
		case c == '#':
			start := s.off
			end := strings.IndexByte(s.src[start:], '\n')
			if end < 0 {
				end = len(s.src)
			} else {
				end += start
			}
			text := strings.TrimRight(s.src[start:end], "\r")
			s.comments = append(s.comments, &Comment{Span: s.span(start, start+len(text)), Text: text})
			s.off = end
			continue
		}
		start := s.off
		p := s.pos(start)
		switch {
		case isDigit(c):
			typ := s.number()
			return lexer.Token{Type: typ, Value: s.src[start:s.off], Pos: p}
		case c == '"':
			s.stringLit()
			return lexer.Token{Type: tokString, Value: s.src[start:s.off], Pos: p}
		case c == '@':
			typ := s.dateLit()
			return lexer.Token{Type: typ, Value: s.src[start:s.off], Pos: p}
		}
		r, size := utf8.DecodeRuneInString(s.src[s.off:])
		if isIdentStart(r) {
			s.off += size
			for s.off < len(s.src) {
				r, size = utf8.DecodeRuneInString(s.src[s.off:])
				if !isIdentPart(r) {
					break
				}
				s.off += size
			}
			return lexer.Token{Type: tokIdent, Value: s.src[start:s.off], Pos: p}
		}
		if s.off+1 < len(s.src) {
			two := s.src[s.off : s.off+2]
			for _, op := range twoCharPuncts {
				if two == op {
					s.off += 2
					return lexer.Token{Type: tokPunct, Value: two, Pos: p}
				}
			}
		}
		if strings.IndexByte(oneCharPuncts, c) >= 0 {
			s.off++
			return lexer.Token{Type: tokPunct, Value: s.src[start:s.off], Pos: p}
		}
		s.off += size
		d := s.errorf(EIllegalChar, start, s.off, "unexpected character %q", r)
		switch r {
		case '\'':
			d.WithHint(`strings use double quotes: "text"`)
		case '!':
			d.WithHint("negate a condition with `not`; compare with !=")
		case '`':
			d.WithHint(`name a column that is not an identifier with col("odd name")`)
		}
	}
	return lexer.Token{Type: tokEOF, Pos: s.pos(len(s.src))}
}

// number scans an integer, a float or a duration (90d, 1h30m, 1mo): digits, then either a
// fraction and/or exponent, or unit letters.
func (s *scanner) number() lexer.TokenType {
	start := s.off
	digits := func() {
		for s.off < len(s.src) && (isDigit(s.src[s.off]) || s.src[s.off] == '_') {
			s.off++
		}
	}
	letters := func() {
		for s.off < len(s.src) && s.src[s.off] >= 'a' && s.src[s.off] <= 'z' {
			s.off++
		}
	}
	digits()
	typ := tokInt
	if s.off+1 < len(s.src) && s.src[s.off] == '.' && isDigit(s.src[s.off+1]) {
		s.off++
		digits()
		typ = tokFloat
	}
	if s.off < len(s.src) && (s.src[s.off] == 'e' || s.src[s.off] == 'E') {
		save := s.off
		s.off++
		if s.off < len(s.src) && (s.src[s.off] == '+' || s.src[s.off] == '-') {
			s.off++
		}
		if s.off < len(s.src) && isDigit(s.src[s.off]) {
			digits()
			typ = tokFloat
		} else {
			s.off = save
		}
	}
	if typ == tokInt && s.off < len(s.src) && s.src[s.off] >= 'a' && s.src[s.off] <= 'z' {
		for s.off < len(s.src) && s.src[s.off] >= 'a' && s.src[s.off] <= 'z' {
			letters()
			if s.off < len(s.src) && isDigit(s.src[s.off]) {
				digits()
				continue
			}
			break
		}
		typ = tokDuration
	}
	// A number running into an identifier (12abc_, 1.5h) is one malformed token, not two.
	if s.off < len(s.src) {
		r, _ := utf8.DecodeRuneInString(s.src[s.off:])
		if isIdentPart(r) {
			for s.off < len(s.src) {
				r, size := utf8.DecodeRuneInString(s.src[s.off:])
				if !isIdentPart(r) {
					break
				}
				s.off += size
			}
			text := s.src[start:s.off]
			d := s.errorf(EBadNumber, start, s.off, "malformed number %q", text)
			switch {
			case typ == tokFloat:
				d.WithHint("durations take whole numbers of a unit: write 90m, not 1.5h")
			case strings.HasPrefix(text, "0x") || strings.HasPrefix(text, "0X") || strings.HasPrefix(text, "0b") || strings.HasPrefix(text, "0o"):
				d.WithHint("write integers in decimal digits")
			default:
				d.WithHint("a name cannot start with a digit; a duration is a number and a unit (y, q, mo, w, d, h, m, s, ms, us)")
			}
			return typ
		}
	}
	text := s.src[start:s.off]
	if strings.HasSuffix(text, "_") || strings.Contains(text, "__") || strings.Contains(text, "_.") {
		s.errorf(EBadNumber, start, s.off, "malformed number %q: an underscore must sit between digits", text)
	}
	if typ == tokDuration {
		if _, err := types.ParseDurationLiteral(text); err != nil {
			unit := strings.TrimLeft(text, "0123456789_")
			switch {
			case unitWords[unit] != "":
				s.errorf(EBadDuration, start, s.off, "unknown duration unit %q in %q", unit, text).
					WithHint("write %s%s", strings.TrimSuffix(text, unit), unitWords[unit])
			case strings.Contains(err.Error(), "unknown duration unit"):
				s.errorf(EBadNumber, start, s.off, "malformed number %q", text).
					WithHint("a name cannot start with a digit; a duration is a number and a unit (y, q, mo, w, d, h, m, s, ms, us)")
			default:
				s.errorf(EBadDuration, start, s.off, "%v", err)
			}
		}
	}
	return typ
}

// unitWords maps spellings people try for duration units to featc's units.
var unitWords = map[string]string{
	"wk": "w", "wks": "w", "week": "w", "weeks": "w", "day": "d", "days": "d", "hr": "h", "hrs": "h",
	"hour": "h", "hours": "h", "min": "m", "mins": "m", "minute": "m", "minutes": "m", "sec": "s",
	"secs": "s", "second": "s", "seconds": "s", "mon": "mo", "month": "mo", "months": "mo",
	"yr": "y", "yrs": "y", "year": "y", "years": "y", "ns": "us (featc keeps microseconds)",
	"msec": "ms", "usec": "us",
}

// stringLit scans a double-quoted string on one line, reporting bad escapes and a missing
// closing quote.
func (s *scanner) stringLit() {
	start := s.off
	s.off++ // opening quote
	for s.off < len(s.src) {
		c := s.src[s.off]
		switch c {
		case '"':
			s.off++
			return
		case '\n':
			s.errorf(EUnterminated, start, s.off, "string literal is not terminated").WithHint(`close it with " on the same line; write a newline as \n`)
			return
		case '\\':
			if s.off+1 >= len(s.src) {
				s.off++
				continue
			}
			e := s.src[s.off+1]
			if e == '\n' || e == '\r' {
				// A backslash does not continue a string onto the next line.
				s.errorf(EUnterminated, start, s.off+1, "string literal is not terminated").WithHint(`close it with " on the same line; write a newline as \n`)
				s.off++
				return
			}
			switch e {
			case '"', '\\', 'n', 't', 'r':
				s.off += 2
			case 'u':
				end := s.off + 2
				if end < len(s.src) && s.src[end] == '{' {
					close := strings.IndexByte(s.src[end:], '}')
					if close > 1 {
						hex := s.src[end+1 : end+close]
						if v, err := strconv.ParseUint(hex, 16, 32); err == nil && utf8.ValidRune(rune(v)) {
							if v == 0 {
								s.errorf(EBadEscape, s.off, end+close+1, "a string cannot hold the NUL character (U+0000): no SQL engine stores it in text").
									WithHint(`remove it, or mark the spot with another character such as \u{FFFD}`)
							}
							s.off = end + close + 1
							continue
						}
					}
				}
				s.errorf(EBadEscape, s.off, s.off+2, `invalid unicode escape: write \u{1F600}`)
				s.off += 2
			default:
				_, size := utf8.DecodeRuneInString(s.src[s.off+1:])
				s.errorf(EBadEscape, s.off, s.off+1+size, "unknown escape sequence %q", s.src[s.off:s.off+1+size]).WithHint(`the escapes are \" \\ \n \t \r and \u{…}`)
				s.off += 1 + size
			}
		case 0:
			s.errorf(EIllegalChar, s.off, s.off+1, "a string cannot hold the NUL character (U+0000): no SQL engine stores it in text").
				WithHint("remove the NUL byte from the file")
			s.off++
		default:
			s.off++
		}
	}
	s.errorf(EUnterminated, start, s.off, "string literal is not terminated")
}

// dateLit scans @YYYY-MM-DD or @YYYY-MM-DDTHH:MM[:SS[.ffffff]][Z|±HH:MM] and checks that it is
// a real date or time.
func (s *scanner) dateLit() lexer.TokenType {
	start := s.off
	s.off++ // @
	for s.off < len(s.src) && (isDigit(s.src[s.off]) || s.src[s.off] == '-') {
		s.off++
	}
	typ := tokDate
	if s.off < len(s.src) && s.src[s.off] == 'T' {
		typ = tokTimestamp
		s.off++
		for s.off < len(s.src) {
			c := s.src[s.off]
			if isDigit(c) || c == ':' || c == '.' || c == '+' || c == '-' || c == 'Z' {
				s.off++
				continue
			}
			break
		}
		// A trailing dot belongs to a method call (@2024-01-01T10:00:00.dt.hour()), a trailing
		// colon to a mapping ({@2024-01-01T10:00: 1}).
		for s.src[s.off-1] == '.' || s.src[s.off-1] == ':' {
			s.off--
		}
	}
	text := s.src[start+1 : s.off]
	var err error
	if typ == tokDate {
		_, err = types.ParseDate(text)
	} else {
		_, err = types.ParseTimestamp(text)
	}
	if err != nil {
		d := s.errorf(EBadDate, start, s.off, "%v", err)
		if text == "" {
			d.Message = "expected a date or timestamp after @"
			d.WithHint("write dates as @2025-01-31 and timestamps as @2025-01-31T08:00:00")
		}
	}
	return typ
}

// definition adapts the scanner to participle's lexer.Definition; the parser itself is fed
// pre-scanned tokens through sliceLexer.
type definition struct{}

func (definition) Symbols() map[string]lexer.TokenType { return tokenSymbols() }

func (definition) Lex(filename string, r io.Reader) (lexer.Lexer, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	var diags Diagnostics
	toks, _ := scan(NewSrcFile(filename, string(b)), &diags)
	return &sliceLexer{toks: toks[:len(toks)-1], eof: toks[len(toks)-1]}, nil
}

// sliceLexer replays tokens that were scanned already, then eof.
type sliceLexer struct {
	toks []lexer.Token
	eof  lexer.Token
	i    int
}

func (l *sliceLexer) Next() (lexer.Token, error) {
	if l.i >= len(l.toks) {
		return l.eof, nil
	}
	t := l.toks[l.i]
	l.i++
	return t, nil
}
