package conformance_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/featc/featc/internal/cases"
	"github.com/featc/featc/types"
)

// TestCaseMappingEveryCodePoint upper- and lower-cases every code point below U+30000 on every
// engine: each must apply Unicode's simple case mapping (Go's unicode.ToUpper and ToLower), as
// docs/semantics.md says.
func TestCaseMappingEveryCodePoint(t *testing.T) {
	var rows [][]any
	var want []string
	var sb strings.Builder
	flush := func() {
		s := sb.String()
		rows = append(rows, []any{len(rows), s})
		up := strings.Map(unicode.ToUpper, s)
		lo := strings.Map(unicode.ToLower, s)
		want = append(want, fmt.Sprintf("%d | %s | %s", len(rows)-1, types.Quote(up), types.Quote(lo)))
		sb.Reset()
	}
	n := 0
	for r := rune(1); r < 0x30000; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		sb.WriteRune(r)
		if n++; n%4000 == 0 {
			flush()
		}
	}
	flush()
	c := cases.Case{Name: "case mapping", Src: `source s { i: int64, s: string }
frame f = s.select(i, u = s.str.upper(), l = s.str.lower())`, Inputs: map[string][][]any{"s": rows}, Output: "f", Ordered: false, Want: sortedCopy(want)}
	runEval(t, c)
	for _, e := range engines(t) {
		t.Run(e.name, func(t *testing.T) { _ = runCase(t, e, c) })
	}
}

func sortedCopy(s []string) []string {
	out := append([]string{}, s...)
	sortStrings(out)
	return out
}

func sortStrings(s []string) { sort.Strings(s) }
