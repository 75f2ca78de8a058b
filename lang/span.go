package lang

import (
	"sort"
	"unicode/utf8"
)

// SrcFile is the text of one .feat file and an index of its lines, so that byte offsets
// translate to line and column on demand (as go/token.File does).
type SrcFile struct {
	Name  string
	Text  string
	lines []int // byte offset of the start of each line
}

// NewSrcFile indexes text.
func NewSrcFile(name, text string) *SrcFile {
	f := &SrcFile{Name: name, Text: text, lines: []int{0}}
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			f.lines = append(f.lines, i+1)
		}
	}
	return f
}

// Position returns the 1-based line and column (in characters) of a byte offset.
func (f *SrcFile) Position(offset int) (line, col int) {
	if offset < 0 {
		offset = 0
	}
	if offset > len(f.Text) {
		offset = len(f.Text)
	}
	i := sort.Search(len(f.lines), func(i int) bool { return f.lines[i] > offset }) - 1
	start := f.lines[i]
	return i + 1, utf8.RuneCountInString(f.Text[start:offset]) + 1
}

// Line returns the text of a 1-based line without its newline.
func (f *SrcFile) Line(line int) string {
	if line < 1 || line > len(f.lines) {
		return ""
	}
	start := f.lines[line-1]
	end := len(f.Text)
	if line < len(f.lines) {
		end = f.lines[line] - 1
	}
	if end > start && f.Text[end-1] == '\r' {
		end--
	}
	return f.Text[start:end]
}

// LineStart returns the byte offset where a 1-based line begins.
func (f *SrcFile) LineStart(line int) int {
	if line < 1 {
		return 0
	}
	if line > len(f.lines) {
		return len(f.Text)
	}
	return f.lines[line-1]
}

// Span is a range of bytes [Start, End) in a file. The zero Span means "no position" (for
// definitions synthesised by the compiler).
type Span struct {
	File       *SrcFile
	Start, End int
}

// IsValid reports whether the span points into a file.
func (s Span) IsValid() bool { return s.File != nil }

// Text returns the source text the span covers.
func (s Span) Text() string {
	if s.File == nil || s.Start < 0 || s.End > len(s.File.Text) || s.Start > s.End {
		return ""
	}
	return s.File.Text[s.Start:s.End]
}

// Pos returns the file name, line and column of the span's start.
func (s Span) Pos() (file string, line, col int) {
	if s.File == nil {
		return "", 0, 0
	}
	line, col = s.File.Position(s.Start)
	return s.File.Name, line, col
}

// String renders the span's start as file:line:col.
func (s Span) String() string {
	if s.File == nil {
		return "-"
	}
	name, line, col := s.Pos()
	return name + ":" + itoa(line) + ":" + itoa(col)
}

// Join returns the smallest span covering both a and b (which must be in one file); an invalid
// span is ignored.
func Join(a, b Span) Span {
	if !a.IsValid() {
		return b
	}
	if !b.IsValid() || a.File != b.File {
		return a
	}
	return Span{File: a.File, Start: min(a.Start, b.Start), End: max(a.End, b.End)}
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var buf [20]byte
	n := len(buf)
	neg := i < 0
	if neg {
		i = -i
	}
	for i > 0 {
		n--
		buf[n] = byte('0' + i%10)
		i /= 10
	}
	if neg {
		n--
		buf[n] = '-'
	}
	return string(buf[n:])
}
