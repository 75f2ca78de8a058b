package lang

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func parseOK(t *testing.T, src string) *File {
	t.Helper()
	f, diags := ParseFile("t.feat", src)
	if diags.HasErrors() {
		var b strings.Builder
		diags.Render(&b)
		t.Fatalf("unexpected diagnostics:\n%s", b.String())
	}
	return f
}

// exprOf parses `let x = src` and returns the expression.
func exprOf(t *testing.T, src string) Expr {
	t.Helper()
	f := parseOK(t, "let x = "+src)
	require.Len(t, f.Decls, 1)
	return f.Decls[0].(*LetDecl).Value
}

// sexpr renders an expression fully parenthesised, to test precedence.
func sexpr(e Expr) string {
	switch e := e.(type) {
	case *Ident:
		return e.Name
	case *BasicLit:
		return e.Raw
	case *ParenExpr:
		return sexpr(e.X)
	case *UnaryExpr:
		return "(" + e.Op.String() + " " + sexpr(e.X) + ")"
	case *BinaryExpr:
		return "(" + sexpr(e.X) + " " + e.Op.String() + " " + sexpr(e.Y) + ")"
	case *SelectorExpr:
		return sexpr(e.X) + "." + e.Sel.Name
	case *CallExpr:
		var args []string
		for _, a := range e.Args {
			s := sexpr(a.Value)
			if a.Name != nil {
				s = a.Name.Name + "=" + s
			}
			args = append(args, s)
		}
		return sexpr(e.Fun) + "(" + strings.Join(args, ", ") + ")"
	case *ListExpr:
		var els []string
		for _, el := range e.Elems {
			els = append(els, sexpr(el))
		}
		return "[" + strings.Join(els, ", ") + "]"
	}
	return "?"
}

func TestPrecedence(t *testing.T) {
	cases := map[string]string{
		"a + b * c":                    "(a + (b * c))",
		"a * b + c":                    "((a * b) + c)",
		"a - b - c":                    "((a - b) - c)",
		"-a ** 2":                      "(- (a ** 2))",
		"a ** b ** c":                  "(a ** (b ** c))",
		"not a == b and c":             "((not (a == b)) and c)",
		"a or b and c":                 "(a or (b and c))",
		"a & b | ~c":                   "((a and b) or (not c))",
		"a > 1 and b <= 2":             "((a > 1) and (b <= 2))",
		"a // b % c":                   "((a // b) % c)",
		"-a * b":                       "((- a) * b)",
		"(a + b) * c":                  "((a + b) * c)",
		"x.abs() + y.f(1, n=2)":        "(x.abs() + y.f(1, n=2))",
		"t - 90d >= @2024-01-01":       "((t - 90d) >= @2024-01-01)",
		"x.is_in([1, 2, 3])":           "x.is_in([1, 2, 3])",
		"when(a).then(1).otherwise(2)": "when(a).then(1).otherwise(2)",
		"f(a == b)":                    "f((a == b))",
		"f(a = b == c)":                "f(a=(b == c))",
	}
	for src, want := range cases {
		require.Equal(t, want, sexpr(exprOf(t, src)), src)
	}
}

func TestLiterals(t *testing.T) {
	f := parseOK(t, `let a = [1, 1_000, 2.5, 1e9, 3.0e-2, "a\"b\\c\n\u{1F600}", true, false, null, @2024-02-29, @2024-02-29T13:45:00.123456Z, @2024-01-01T00:00+02:00, 90d, 1h30m, 250ms, 1mo, 1y6mo, 10us]`)
	l := f.Decls[0].(*LetDecl).Value.(*ListExpr)
	kinds := []LitKind{IntLit, IntLit, FloatLit, FloatLit, FloatLit, StringLit, BoolLit, BoolLit, NullLit,
		DateLit, TimestampLit, TimestampLit, DurationLit, DurationLit, DurationLit, DurationLit, DurationLit, DurationLit}
	require.Len(t, l.Elems, len(kinds))
	for i, k := range kinds {
		require.Equal(t, k, l.Elems[i].(*BasicLit).Kind, l.Elems[i].(*BasicLit).Raw)
	}
	require.Equal(t, "a\"b\\c\n😀", l.Elems[5].(*BasicLit).Value)
}

func TestMethodCallsOnLiterals(t *testing.T) {
	require.Equal(t, "@2024-01-01T10:00:00.dt.hour()", sexpr(exprOf(t, "@2024-01-01T10:00:00.dt.hour()")))
	require.Equal(t, "2.7.cast(int64)", sexpr(exprOf(t, "2.7.cast(int64)")))
	require.Equal(t, "90m.dt.hours()", sexpr(exprOf(t, "90m.dt.hours()")))
}

func TestSpans(t *testing.T) {
	src := "frame big = orders.filter(amount > 100)"
	f := parseOK(t, src)
	fr := f.Decls[0].(*FrameDecl)
	require.Equal(t, "big", fr.Name.Sp.Text())
	require.Equal(t, "orders.filter(amount > 100)", fr.Value.Span().Text())
	call := fr.Value.(*CallExpr)
	require.Equal(t, "amount > 100", call.Args[0].Value.Span().Text())
	require.Equal(t, src, fr.Sp.Text())
}

func TestErrorsAreCollectedPerDeclaration(t *testing.T) {
	src := `source a { x: int64 }
frame b = a.filter(x > )
frame c = a.select(x)
let d = 'oops'
features e from a {
    ok = x + 1
    bad = x +
    fine = x * 2
}
`
	f, diags := ParseFile("t.feat", src)
	var codes []string
	for _, d := range diags {
		_, line, _ := d.Span.Pos()
		codes = append(codes, string(d.Code)+"@"+itoa(line))
	}
	require.Equal(t, []string{"E0106@2", "E0101@4", "E0101@4", "E0106@7"}, codes)
	require.Len(t, f.Decls, 5)
	require.IsType(t, &BadDecl{}, f.Decls[1])
	require.IsType(t, &FrameDecl{}, f.Decls[2])
	// The features block survives with its good features; the bad one is a BadItem.
	fd := f.Decls[4].(*FeaturesDecl)
	require.Len(t, fd.Items, 3)
	require.IsType(t, &FeatureItem{}, fd.Items[0])
	require.IsType(t, &BadItem{}, fd.Items[1])
	require.IsType(t, &FeatureItem{}, fd.Items[2])
}

func TestNestingLimit(t *testing.T) {
	deep := strings.Repeat("(", 300) + "1" + strings.Repeat(")", 300)
	_, diags := ParseFile("t.feat", "let x = "+deep)
	require.True(t, diags.HasErrors())
	require.Equal(t, ENestedTooDeeply, diags[0].Code)

	chain := "x" + strings.Repeat(".abs()", 300)
	_, diags = ParseFile("t.feat", "let x = "+chain)
	require.Equal(t, ENestedTooDeeply, diags[0].Code)
}

// TestWidthIsNotDepth generates wide expressions — thousands of arguments, list elements,
// operands and chained calls side by side, each a few levels deep — and asserts that they parse
// whole, while the same pieces nested inside each other past the limit are refused with E0111.
// The depth counter once counted every method call of a top-level expression and never gave
// one back, so `select(a0 = x.abs(), …, a197 = x.abs())` was "nested more than 200 levels".
func TestWidthIsNotDepth(t *testing.T) {
	const n = 5000
	join := func(n int, f func(i int) string, sep string) string {
		parts := make([]string, n)
		for i := range parts {
			parts[i] = f(i)
		}
		return strings.Join(parts, sep)
	}
	var countCalls func(e Expr) int
	countCalls = func(e Expr) int {
		switch e := e.(type) {
		case *UnaryExpr:
			return countCalls(e.X)
		case *BinaryExpr:
			return countCalls(e.X) + countCalls(e.Y)
		case *SelectorExpr:
			return countCalls(e.X)
		case *ParenExpr:
			return countCalls(e.X)
		case *ListExpr:
			n := 0
			for _, el := range e.Elems {
				n += countCalls(el)
			}
			return n
		case *CallExpr:
			n := 1 + countCalls(e.Fun)
			for _, a := range e.Args {
				n += countCalls(a.Value)
			}
			return n
		}
		return 0
	}
	wide := []struct {
		name, src string
		calls     int // the calls the expression must hold, all parsed
	}{
		{"select of named calls", "t.select(" + join(n, func(i int) string { return fmt.Sprintf("a%d = x.abs().round(2)", i) }, ", ") + ")", 1 + 2*n},
		{"agg of aggregates", "t.group_by(g).agg(" + join(n, func(i int) string { return fmt.Sprintf("a%d = x.abs().sum()", i) }, ",\n") + ")", 2 + 2*n},
		{"sum of aggregates", join(n, func(int) string { return "t.x.sum()" }, " + "), n},
		{"sum of products", join(n, func(int) string { return "t.x.abs() * 2" }, " + "), n},
		{"list of calls", "t.select([" + join(n, func(i int) string { return fmt.Sprintf("c%d.abs()", i) }, ", ") + "])", 1 + n},
		{"and of comparisons", join(n, func(int) string { return "(x.abs() > 1)" }, " and "), n},
		{"when chain", "when(x > 0).then(1)" + strings.Repeat(".when(x.abs() > 1).then(2)", 90) + ".otherwise(3)", 3 + 90*3},
	}
	for _, tc := range wide {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.calls, countCalls(exprOf(t, tc.src)))
		})
	}
	deep := []struct{ name, src string }{
		{"parentheses", strings.Repeat("(", 300) + "1" + strings.Repeat(")", 300)},
		{"method chain", "x" + strings.Repeat(".abs()", 300)},
		{"call in call", strings.Repeat("f(", 300) + "1" + strings.Repeat(")", 300)},
		{"method in argument", strings.Repeat("x.clip(", 300) + "1" + strings.Repeat(", 2)", 300)},
		{"right-nested power", join(300, func(int) string { return "x" }, " ** ")},
		{"negation", strings.Repeat("-", 300) + "x"},
		{"chains in arguments", strings.Repeat("x.abs().abs().f(", 100) + "1" + strings.Repeat(")", 100)},
	}
	for _, tc := range deep {
		t.Run(tc.name, func(t *testing.T) {
			_, diags := ParseFile("t.feat", "let x = "+tc.src)
			require.True(t, diags.HasErrors())
			require.Equal(t, ENestedTooDeeply, diags[0].Code, diags[0].Error())
		})
	}
	// Just under the limit is accepted: the limit counts nesting, not width.
	exprOf(t, "x"+strings.Repeat(".abs()", maxExprDepth-10)+" + x"+strings.Repeat(".abs()", maxExprDepth-10))
}

func TestRender(t *testing.T) {
	_, diags := ParseFile("orders.feat", "source orders { id: int64 }\nlet x = 'a'\n")
	var b strings.Builder
	diags[0].Render(&b)
	want := `orders.feat:2:9: error[E0101]: unexpected character '\''
 2 | let x = 'a'
   |         ^
   = hint: strings use double quotes: "text"
`
	require.Equal(t, want, b.String())
}

func TestInvalidUTF8(t *testing.T) {
	_, diags := ParseFile("t.feat", "let x = \"\xff\"")
	require.True(t, diags.HasErrors())
	require.Contains(t, diags[0].Message, "UTF-8")
}

// TestFormatExamples checks that the examples are formatted and that formatting is idempotent
// and keeps every comment.
func TestFormatExamples(t *testing.T) {
	paths, _ := filepath.Glob("../testdata/examples/*/*.feat")
	require.NotEmpty(t, paths)
	for _, p := range paths {
		b, err := os.ReadFile(p)
		require.NoError(t, err)
		out, diags := FormatSource(p, string(b))
		require.False(t, diags.HasErrors(), p)
		require.Equal(t, string(b), out, "%s is not formatted (run featc fmt)", p)
	}
}

func TestFormat(t *testing.T) {
	src := `# header comment

source   orders {order_id: string,   amount: float64}  # trailing


frame x = orders.filter(amount>1&~(amount<0))   # why
    .select(order_id,a=amount*2)
features f from orders { # block comment
  a = amount + 1
  long_name = a*2   # explains
  expect a.is_not_null() else   warn

  # before b
  b = when(a>1).then("x").otherwise( "y" )
}
mode m {
let  k = 1
}
`
	want := `# header comment

source orders { order_id: string, amount: float64 }  # trailing

frame x = orders.filter(amount > 1 and not (amount < 0))  # why
    .select(order_id, a = amount * 2)
features f from orders {  # block comment
    a         = amount + 1
    long_name = a * 2  # explains
    expect a.is_not_null() else warn

    # before b
    b = when(a > 1).then("x").otherwise("y")
}
mode m {
    let k = 1
}
`
	got, diags := FormatSource("t.feat", src)
	require.False(t, diags.HasErrors())
	require.Equal(t, want, got)
	again, _ := FormatSource("t.feat", got)
	require.Equal(t, got, again, "formatting is not idempotent")
}

// FuzzParse checks that no input makes the parser or the formatter panic, and that formatting
// parsed input is idempotent and keeps its meaning (the formatted text parses to the same
// shape and keeps every comment).
func FuzzParse(f *testing.F) {
	paths, _ := filepath.Glob("../testdata/examples/*/*.feat")
	more, _ := filepath.Glob("../testdata/errors/*.feat")
	for _, p := range append(paths, more...) {
		b, _ := os.ReadFile(p)
		f.Add(string(b))
	}
	f.Add("let x = (((1")
	f.Add("features f for e at t { a = b.c(d = [1, 2,], e) expect a else warn }")
	f.Fuzz(func(t *testing.T, src string) {
		file, diags := ParseFile("fuzz.feat", src)
		for _, d := range diags {
			var b strings.Builder
			d.Render(&b)
		}
		if diags.HasErrors() {
			return
		}
		out := Format(file)
		file2, diags2 := ParseFile("fuzz.feat", out)
		if diags2.HasErrors() {
			t.Fatalf("formatted output does not parse:\n%s\n--- from\n%s", out, src)
		}
		if again := Format(file2); again != out {
			t.Fatalf("formatting is not idempotent:\n%s\n--- then\n%s", out, again)
		}
		if len(file2.Comments) != len(file.Comments) {
			t.Fatalf("formatting lost comments: %d before, %d after", len(file.Comments), len(file2.Comments))
		}
		if len(file2.Decls) != len(file.Decls) {
			t.Fatalf("formatting changed the declarations: %d before, %d after", len(file.Decls), len(file2.Decls))
		}
	})
}

func TestRecovery(t *testing.T) {
	cases := []struct {
		name  string
		src   string
		codes []string // CODE@LINE, sorted by position
		decls int
	}{
		{"unclosed paren does not swallow later declarations",
			"let a = orders.amount.sum(\nlet b = 2\nframe c = orders.filter(amount > )\n",
			[]string{"E0106@1", "E0106@3"}, 3},
		{"unterminated string inside parentheses",
			"frame a = orders.filter(status == \"paid)\nlet b = 2\n",
			[]string{"E0102@1", "E0106@1"}, 2},
		{"backslash does not continue a string",
			"let a = \"abc\\\nlet b = 2\n",
			[]string{"E0102@1"}, 2},
		{"stray expression after a declaration",
			"let a = 1\norders.select(x)\nlet b = 2\n",
			[]string{"E0106@2"}, 2},
		{"call parenthesis on the next line is not a call",
			"let a = f\n(1)\n",
			[]string{"E0106@2"}, 1},
		{"unclosed block before the next declaration",
			"features f from orders {\n    a = amount + 1\nframe g = orders.select(x)\n",
			[]string{"E0106@2"}, 2},
		{"declarations at column 1 inside a mode block stay in it",
			"mode m {\nlet a = 1\nlet b = 2\n}\nlet c = 3\n",
			nil, 2},
	}
	for _, c := range cases {
		f, diags := ParseFile("t.feat", c.src)
		var got []string
		for _, d := range diags {
			_, line, _ := d.Span.Pos()
			got = append(got, string(d.Code)+"@"+itoa(line))
		}
		require.Equal(t, c.codes, got, c.name)
		require.Len(t, f.Decls, c.decls, c.name)
	}
}

// TestFormatAlignsOnPrintedLines: whether a named argument or feature joins an aligned run
// depends on how it prints, not on how the source broke it — a value the printer joins onto
// one line (found by FuzzParse) aligns like any other one-line entry.
func TestFormatAlignsOnPrintedLines(t *testing.T) {
	src := "frame A = A(\n    A0 = (0\n    ),\n    A = 0,\n)\nfeatures f from A {\n    ab = (1\n    )\n    c = 2\n}\n"
	want := "frame A = A(\n    A0 = (0),\n    A  = 0,\n)\nfeatures f from A {\n    ab = (1)\n    c  = 2\n}\n"
	got, diags := FormatSource("t.feat", src)
	require.False(t, diags.HasErrors(), "%v", diags)
	require.Equal(t, want, got)
	again, _ := FormatSource("t.feat", got)
	require.Equal(t, got, again)
}

// TestFormatKeepsOperatorLineBreaks: a condition written one clause per line stays so, the
// operator starting each continuation line, indented once per chain (not inside an argument
// that has its own lines); a break after an operator moves before it.
func TestFormatKeepsOperatorLineBreaks(t *testing.T) {
	src := "features f from t {\n    ok = a > 1 and\n        b < 2  # why\n        and c\n    s = x + y\n}\n" +
		"frame g = t.filter(\n    (a and\n    b)\n    or c,\n)\n"
	want := "features f from t {\n    ok = a > 1\n        and b < 2  # why\n        and c\n    s = x + y\n}\n" +
		"frame g = t.filter(\n    (a\n        and b)\n    or c,\n)\n"
	got, diags := FormatSource("t.feat", src)
	require.False(t, diags.HasErrors(), "%v", diags)
	require.Equal(t, want, got)
	again, _ := FormatSource("t.feat", got)
	require.Equal(t, got, again)
}

// TestNULInStrings checks that a NUL character, written raw or as any spelling of the \u{…}
// escape, is refused in a string literal (no SQL engine stores it in text), with a hint, and
// that the neighbouring code points are not.
func TestNULInStrings(t *testing.T) {
	for _, body := range []string{"\x00", "a\x00", `\u{0}`, `\u{00}`, `x\u{000000}y`} {
		_, diags := ParseFile("t.feat", `let s = "`+body+`"`)
		require.Len(t, diags, 1, "%q", body)
		want := EBadEscape
		if strings.Contains(body, "\x00") {
			want = EIllegalChar
		}
		require.Equal(t, want, diags[0].Code, "%q", body)
		require.Contains(t, diags[0].Message, "NUL character (U+0000)")
		require.NotEmpty(t, diags[0].Hint, "%q", body)
	}
	for _, body := range []string{`\u{1}`, `\u{10}`, `\u{100}`, "0", `\\0`} {
		parseOK(t, `let s = "`+body+`"`)
	}
}

// TestMappings parses {key: value} with every kind of literal as a key (a timestamp's colon
// ends before the mapping's), and formats them back, comments inside included.
func TestMappings(t *testing.T) {
	keys := []string{"1", "-2", "2.5", `"a"`, "true", "null", "@2024-02-29", "@2024-01-01T10:47:00.5", "@2024-01-01T10:47", "90m", "1mo"}
	var entries []string
	for i, k := range keys {
		entries = append(entries, fmt.Sprintf("%s: %d", k, i))
	}
	src := "let m = {" + strings.Join(entries, ", ") + "}\n"
	f := parseOK(t, src)
	m := f.Decls[0].(*LetDecl).Value.(*MapExpr)
	require.Len(t, m.Keys, len(keys))
	for i, k := range m.Keys {
		require.Equal(t, keys[i], k.Span().Text())
		require.Equal(t, strconv.Itoa(i), m.Values[i].Span().Text())
	}
	out, diags := FormatSource("m.feat", src)
	require.Empty(t, diags)
	require.Equal(t, src, out)
	commented := "let m = {\n    1: 2,  # one\n    3: 4,\n}\n"
	out, diags = FormatSource("m.feat", "let m = {1: 2, # one\n 3: 4}\n")
	require.Empty(t, diags)
	require.Equal(t, commented, out)
}
