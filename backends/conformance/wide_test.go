package conformance_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/featc/featc"
	"github.com/featc/featc/backends/sqlgen"
	"github.com/featc/featc/internal/cases"
	"github.com/featc/featc/internal/gen"
)

// TestWideBlocks runs a features block of 2,000 features (features reading features) and a
// chain of 2,000 features each reading the one before, on the evaluator and every engine over
// the same generated rows: every value must agree, and the SQL must nest a few levels, not
// one per feature (DuckDB refuses expressions deeper than 1,000).
func TestWideBlocks(t *testing.T) {
	now := time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC)
	rows := gen.Rows(300, 3)
	for _, e := range engines(t) {
		t.Run(e.name, func(t *testing.T) {
			n := 2000
			if max := e.d.Caps.MaxColumns; max > 0 && max < n+8 {
				// The engine cannot return so many columns: featc refuses, naming the limit.
				p, err := featc.CompileSources([]featc.Source{{Name: "test.feat", Text: gen.Block(n, 7)}})
				if err != nil {
					t.Fatal(err)
				}
				_, err = sqlgen.CompileOutput(p.IR(), e.d, "wide", sqlgen.Options{})
				if _, ok := err.(*sqlgen.Error); !ok || !strings.Contains(err.Error(), "at most") {
					t.Fatalf("want a refusal naming the column limit, got %v", err)
				}
				n = max - 100
			}
			for _, tc := range []struct {
				name, src, output string
				maxDepth          int
			}{
				{"wide", gen.Block(n, 7), "wide", 8},
				// A chain of features each reading the one before nests a level per ~40 links (engines plan long chains slowly: 150 links here).
				{"chain", gen.Chain(150), "chain", 6},
			} {
				t.Run(tc.name, func(t *testing.T) {
					c := cases.Case{Name: tc.name, Src: tc.src, Output: tc.output,
						Inputs: map[string][][]any{"events": rows}, Params: map[string]any{"now": now}}
					c.Want = evalRows(t, c)
					st := runCase(t, e, c)
					if d := nesting(st); d > tc.maxDepth {
						t.Errorf("the SQL nests %d subqueries deep; want at most %d", d, tc.maxDepth)
					}
				})
			}
		})
	}
}

var subquery = regexp.MustCompile(`\(\s*(SELECT|WITH)\b`)

// nesting returns the depth of nested subqueries of a statement.
func nesting(st *sqlgen.Statement) int {
	var stack []bool
	depth, most := 0, 0
	sql := st.SQL
	for i := 0; i < len(sql); i++ {
		switch sql[i] {
		case '(':
			sub := subquery.MatchString(sql[i:min(len(sql), i+12)])
			if sub {
				depth++
				most = max(most, depth)
			}
			stack = append(stack, sub)
		case ')':
			if n := len(stack); n > 0 {
				if stack[n-1] {
					depth--
				}
				stack = stack[:n-1]
			}
		case '\'':
			if j := strings.IndexByte(sql[i+1:], '\''); j >= 0 {
				i += j + 1
			}
		}
	}
	return most
}
