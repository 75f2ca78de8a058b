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
