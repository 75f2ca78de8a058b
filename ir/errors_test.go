package ir_test

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/featc/featc"
	"github.com/featc/featc/lang"
	"github.com/featc/featc/stdlib"
)

// markerRE finds the expectations written in the error corpus, go/types style: a comment on
// the line of the diagnostic, holding one or more `ERROR CODE "text"` (or WARN) entries; the
// text must occur in the message.
var markerRE = regexp.MustCompile(`(ERROR|WARN) ([EW]\d{4})(?: "((?:[^"\\]|\\.)*)")?`)

type expectation struct {
	line     int
	severity string
	code     string
	text     string
	matched  bool
}

// TestErrorCorpus checks that every file of testdata/errors produces exactly the diagnostics
// its comments announce, at the lines they sit on.
func TestErrorCorpus(t *testing.T) {
	paths, err := filepath.Glob("../testdata/errors/*.feat")
	if err != nil {
		t.Fatal(err)
	}
	covered := map[lang.Code]bool{}
	for _, p := range paths {
		t.Run(filepath.Base(p), func(t *testing.T) {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			name := filepath.Base(p)
			var want []*expectation
			for i, line := range strings.Split(string(b), "\n") {
				_, comment, ok := strings.Cut(line, "#")
				if !ok {
					continue
				}
				for _, m := range markerRE.FindAllStringSubmatch(comment, -1) {
					want = append(want, &expectation{line: i + 1, severity: m[1], code: m[2], text: strings.ReplaceAll(m[3], `\"`, `"`)})
				}
			}
			if len(want) == 0 {
				t.Fatalf("%s announces no diagnostic", name)
			}
			diags := featc.CheckSources([]featc.Source{{Name: name, Text: string(b)}})
			for _, d := range diags {
				_, line, _ := d.Span.Pos()
				found := false
				for _, w := range want {
					sev := "ERROR"
					if d.Severity == lang.Warning {
						sev = "WARN"
					}
					if !w.matched && w.line == line && w.code == string(d.Code) && w.severity == sev && strings.Contains(d.Message, w.text) {
						w.matched = true
						found = true
						covered[d.Code] = true
						break
					}
				}
				if !found {
					t.Errorf("unexpected diagnostic %s", d.Error())
				}
			}
			for _, w := range want {
				if !w.matched {
					t.Errorf("%s:%d: expected %s %s %q, not reported", name, w.line, w.severity, w.code, w.text)
				}
			}
		})
	}
	// Every code a .feat file can cause is exercised by the corpus; the others are reported
	// for command-line input, and tested where that input is.
	notFromSource := map[lang.Code]string{
		lang.EUnknownMode:     "reported for --mode / featc.Mode; tested in featc_test.go",
		lang.EUnknownOutput:   "reported for --output / featc.Outputs; tested in featc_test.go",
		lang.ENestedTooDeeply: "needs input nested 200 deep; tested in lang/parse_test.go",
		lang.EUnsupported:     "reported by the SQL generator for a target engine; tested in testdata/script/compile.txtar and the golden SQL",
		lang.ERefusedPlan:     "an IR constructor refusing what the checker accepted: the checker reports every such case first; tested in ir/refused_test.go",
	}
	var missing []string
	for code := range lang.CodeInfo {
		if !covered[code] && notFromSource[code] == "" {
			missing = append(missing, string(code))
		}
	}
	sort.Strings(missing)
	if len(paths) > 0 && len(missing) > 0 {
		t.Errorf("no case of testdata/errors reports %s", strings.Join(missing, ", "))
	}
	if n := len(covered); n < 30 {
		t.Errorf("the error corpus exercises %d codes; it should exercise at least 30", n)
	}
}

// noHint lists the diagnostics of the corpus that carry no hint, by a pattern of their message,
// each with the reason: the message itself shows the form to write, or states the only rule
// there is (the accepted range or values), so that a hint would repeat it. Every other
// diagnostic of the corpus must show the fix in its hint.
var noHint = []struct{ pattern, reason string }{
	{`^str.replace: n of str.replace is -1`, "the message names the two values allowed"},
	{`center applies to row windows \(window_size\)`, "the message says where center applies"},
	{`^unexpected character`, "the caret points at the character to delete; E0101 hints where a replacement exists (quotes)"},
	{`^invalid unicode escape: write`, "the message shows the form to write"},
	{`^malformed number .*: an underscore must sit between digits`, "the message states the rule"},
	{`^number .* does not fit in`, "the message names the type's range as the rule"},
	{`^invalid (date|timestamp|time zone offset) .*: want`, "the message shows the form wanted"},
	{`^timestamp .* has more than microsecond precision`, "the rule is in the message: drop the digits past six"},
	{`^unexpected end of declaration after`, "the declaration is cut short: what is missing is what follows the token named"},
	{`^duration .* (mixes calendar units|is out of range)`, "the message states the rule and shows the form to write"},
	{`^decimal (needs a precision|precision must be|scale must be)`, "the message shows the form and range"},
	{`^the default of param .* (must be a constant|has type)`, "the message states the type or constancy required"},
	{`^let .* is declared .* but its value has type`, "the two types are named: change one of them"},
	{`^the time .* has the name of a key of entity`, "the message says the time and the key need different names"},
	{`^mode .* is inside mode .*; modes do not nest`, "the message states the rule"},
	{`^source .* has no columns`, "a source needs its columns declared; the message says which is empty"},
	{`is a method: call it as`, "the message shows the call to write"},
	{`^group_by\(…\) is followed by \.agg\(…\) or \.len\(\), not`, "the message names the methods to use"},
	{`^col\(\) (needs a constant string|takes one column name)`, "the message shows the form to write"},
	{`^when needs a bool condition, not`, "the message names the type needed"},
	{`^limit has no parameter`, "limit's parameters are n and offset, named in its own message set (E0405)"},
	{`^dt\.truncate: a date truncates by whole days`, "the message says to cast to a timestamp first"},
	{`^(invalid duration|unknown duration unit)`, "the message shows the units and the form"},
	{`^drop removes every column of`, "the message states the rule: keep at least one column"},
	{`must be followed by \.agg`, "the message shows the method to write"},
	{`^\.str needs a method: x\.str\.name`, "the message shows the form to write"},
	{`is not a column of .*$`, "E0411 is a computed expression where a column name is wanted: the message says so"},
	{`^join keys are column names: on =`, "the message shows the forms to write"},
	{`define no feature \(only frames\)`, "the message states the rule: a block needs a feature"},
	{`^column .* is .* in one frame and .* in another`, "the two types are named: cast one"},
	{`^join_asof matches a number, date or timestamp, not`, "the message states the types accepted"},
	{`needs \.then\(value\)`, "the message shows the method to write"},
	{`needs the rows of a frame`, "the message states the rule"},
	{`^(cast|len|then|when|join) takes `, "the message shows the arguments accepted"},
	{`needs (a condition|both left_on and right_on|the frame to join with|on \(or left_on and right_on\)|the number of rows|at least one)`, "the message names what to add"},
	{`must be (true or false|a constant string|a constant|a positive)`, "the message states the value accepted"},
	{`needs a constant integer, not`, "the message states the value accepted"},
	{`must be one of`, "the message lists the accepted values"},
	{`must be between|must be at least|cannot be negative|must divide 12 months|cannot end with the escape`, "the message states the range accepted"},
	{`^order_by does nothing for`, "the message says why and what to use instead"},
	{`^(join_asof matches on one column|left_on has \d+ columns but right_on has|a cross join has no keys|give on or left_on with right_on, not both|descending and nulls_last need order_by|descending has \d+ values for \d+ keys|tolerance must be)`, "the message states the rule"},
	{`^rolling_\w+: (give|a time window needs)`, "the message names the arguments to give"},
}

// TestDiagnosticsShowTheFix walks the error corpus and asserts that every diagnostic has a
// hint, unless its message is listed in noHint with the reason it needs none; a listed
// pattern that matches nothing any more must be removed.
func TestDiagnosticsShowTheFix(t *testing.T) {
	paths, err := filepath.Glob("../testdata/errors/*.feat")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no corpus: %v", err)
	}
	res := make([]*regexp.Regexp, len(noHint))
	used := make([]bool, len(noHint))
	for i, n := range noHint {
		res[i] = regexp.MustCompile(n.pattern)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range featc.CheckSources([]featc.Source{{Name: filepath.Base(p), Text: string(b)}}) {
			if d.Hint != "" {
				continue
			}
			listed := false
			for i, re := range res {
				if re.MatchString(d.Message) {
					listed, used[i] = true, true
					break
				}
			}
			if !listed {
				t.Errorf("%s: no hint shows the fix (give one, or list the message in noHint with the reason it needs none)", d.Error())
			}
		}
	}
	for i, u := range used {
		if !u {
			t.Errorf("noHint pattern %q matches no diagnostic of the corpus: remove it", noHint[i].pattern)
		}
	}
}

// TestHintsShowTheFix checks the hints of diagnostics that once led nowhere: each must show
// what to write.
func TestHintsShowTheFix(t *testing.T) {
	for _, tc := range []struct{ expr, code, hint string }{
		{"x.suum()", "E0304", "did you mean sum?"},
		{"x.first(order_by = a, b)", "E0403", "order_by = [a, b]"},
		{"x.quantile(0.9)", "E0405", `interpolation = one of "linear", "lower", "higher", "nearest", "midpoint"`},
		{"f.abs().sum()", "E0401", "f.cast(int64)"},
		{"x.first()", "E0506", "order_by = column"},
	} {
		src := "source t { a: int64, b: int64, x: float64, f: bool }\nframe g = t.group_by(a).agg(m = " + tc.expr + ")\n"
		diags := featc.CheckSources([]featc.Source{{Name: "t.feat", Text: src}})
		if len(diags) != 1 || string(diags[0].Code) != tc.code || !strings.Contains(diags[0].Hint, tc.hint) {
			t.Errorf("%s: want one %s with a hint holding %q, got %v", tc.expr, tc.code, tc.hint, diags)
		}
	}
}

// TestMisspeltMethodsSuggestTheName walks every method of the standard library and each of its
// aliases (Polars' spellings among them): the name with its last letter dropped is unknown, and
// the hint names a method as it is written after the dot (str.len_chars, not str.str.len_chars).
func TestMisspeltMethodsSuggestTheName(t *testing.T) {
	lib := stdlib.Standard()
	known := map[string]bool{}
	for _, f := range lib.Funcs() {
		if f.Method && !f.Internal {
			known[f.Name] = true
			for _, a := range f.Aliases {
				known[a] = true
			}
		}
	}
	for name := range known {
		ns, short := "", name
		if i := strings.LastIndex(name, "."); i >= 0 {
			ns, short = name[:i+1], name[i+1:]
		}
		typo := ns + short[:len(short)-1]
		if len(short) < 4 || known[typo] {
			continue // too short to suggest from, or itself a name
		}
		src := "source t { a: int64 }\nframe g = t.select(m = a." + typo + "())\n"
		diags := featc.CheckSources([]featc.Source{{Name: "t.feat", Text: src}})
		if len(diags) != 1 || string(diags[0].Code) != "E0304" {
			t.Errorf("a.%s(): want one E0304, got %v", typo, diags)
			continue
		}
		if strings.Contains(diags[0].Hint, ns+ns) && ns != "" || !strings.Contains(diags[0].Hint, "did you mean") {
			t.Errorf("a.%s(): hint %q", typo, diags[0].Hint)
		}
	}
}
