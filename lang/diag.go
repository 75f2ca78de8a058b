package lang

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"
)

// Severity says whether a diagnostic stops compilation.
type Severity uint8

// Severities.
const (
	InvalidSeverity Severity = iota
	Error
	Warning
)

func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	}
	return "invalid"
}

// Diagnostic is one problem found in .feat input: a stable code, where it is, what is wrong,
// and, where one helps, a hint at the fix.
type Diagnostic struct {
	Severity Severity
	Code     Code
	Span     Span
	Message  string
	Hint     string
}

// Error renders the diagnostic's first line: file.feat:LINE:COL: error[CODE]: message.
func (d *Diagnostic) Error() string {
	return fmt.Sprintf("%s: %s[%s]: %s", d.Span, d.Severity, d.Code, d.Message)
}

// Diagnostics is a list of diagnostics. The zero value is ready to use.
type Diagnostics []*Diagnostic

// Errorf adds an error.
func (ds *Diagnostics) Errorf(code Code, sp Span, format string, args ...any) *Diagnostic {
	d := &Diagnostic{Severity: Error, Code: code, Span: sp, Message: fmt.Sprintf(format, args...)}
	*ds = append(*ds, d)
	return d
}

// Warnf adds a warning.
func (ds *Diagnostics) Warnf(code Code, sp Span, format string, args ...any) *Diagnostic {
	d := &Diagnostic{Severity: Warning, Code: code, Span: sp, Message: fmt.Sprintf(format, args...)}
	*ds = append(*ds, d)
	return d
}

// WithHint sets the diagnostic's hint and returns it.
func (d *Diagnostic) WithHint(format string, args ...any) *Diagnostic {
	d.Hint = fmt.Sprintf(format, args...)
	return d
}

// HasErrors reports whether any diagnostic is an error.
func (ds Diagnostics) HasErrors() bool {
	for _, d := range ds {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

// Errors returns only the errors.
func (ds Diagnostics) Errors() Diagnostics {
	var out Diagnostics
	for _, d := range ds {
		if d.Severity == Error {
			out = append(out, d)
		}
	}
	return out
}

// Sort orders diagnostics by file, position, then code, and drops exact duplicates (the same
// code and message at the same place, which can arise when a definition is checked once per
// mode).
func (ds *Diagnostics) Sort() {
	s := *ds
	sort.SliceStable(s, func(i, j int) bool {
		a, b := s[i], s[j]
		an, bn := "", ""
		if a.Span.File != nil {
			an = a.Span.File.Name
		}
		if b.Span.File != nil {
			bn = b.Span.File.Name
		}
		if an != bn {
			return an < bn
		}
		if a.Span.Start != b.Span.Start {
			return a.Span.Start < b.Span.Start
		}
		if a.Code != b.Code {
			return a.Code < b.Code
		}
		return a.Message < b.Message
	})
	out := s[:0]
	for i, d := range s {
		if i > 0 {
			p := out[len(out)-1]
			if p.Code == d.Code && p.Span == d.Span && p.Message == d.Message {
				continue
			}
		}
		out = append(out, d)
	}
	*ds = out
}

// Err returns the diagnostics as an error if any is an error, else nil.
func (ds Diagnostics) Err() error {
	if !ds.HasErrors() {
		return nil
	}
	return &DiagnosticsError{Diags: ds}
}

// DiagnosticsError carries a compilation's diagnostics as an error.
type DiagnosticsError struct{ Diags Diagnostics }

func (e *DiagnosticsError) Error() string {
	var b strings.Builder
	n := 0
	for _, d := range e.Diags {
		if d.Severity != Error {
			continue
		}
		if n > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(d.Error())
		n++
	}
	return b.String()
}

// Render writes each diagnostic in the long form: the first line, the source line, a caret
// under the span, and the hint.
//
//	orders.feat:7:24: error[E0302]: unknown column "amt" in orders
//	   7 |     amount_90d = past.amt.sum()
//	     |                       ^^^
//	     = hint: did you mean "amount"?
func (ds Diagnostics) Render(w io.Writer) {
	for _, d := range ds {
		d.Render(w)
	}
}

// Render writes one diagnostic in the long form.
func (d *Diagnostic) Render(w io.Writer) {
	fmt.Fprintln(w, d.Error())
	if d.Span.File != nil {
		line, col := d.Span.File.Position(d.Span.Start)
		text := d.Span.File.Line(line)
		num := itoa(line)
		pad := strings.Repeat(" ", len(num))
		fmt.Fprintf(w, " %s | %s\n", num, expandTabs(text))
		// Underline the span on its first line; at least one caret.
		endLine, endCol := d.Span.File.Position(d.Span.End)
		width := 1
		if endLine == line && endCol > col {
			width = endCol - col
		} else if endLine > line {
			width = max(1, utf8.RuneCountInString(text)-col+1)
		}
		prefix := caretPrefix(text, col)
		fmt.Fprintf(w, " %s | %s%s\n", pad, prefix, strings.Repeat("^", width))
		if d.Hint != "" {
			fmt.Fprintf(w, " %s = hint: %s\n", pad, d.Hint)
		}
		return
	}
	if d.Hint != "" {
		fmt.Fprintf(w, "  = hint: %s\n", d.Hint)
	}
}

// caretPrefix returns the whitespace that puts a caret under column col of text, keeping tabs
// so the caret lines up in any terminal.
func caretPrefix(text string, col int) string {
	var b strings.Builder
	i := 1
	for _, r := range text {
		if i >= col {
			break
		}
		if r == '\t' {
			b.WriteString("    ")
		} else {
			b.WriteByte(' ')
		}
		i++
	}
	return b.String()
}

func expandTabs(s string) string { return strings.ReplaceAll(s, "\t", "    ") }
