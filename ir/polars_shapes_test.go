package ir_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/featc/featc"
	"github.com/featc/featc/stdlib"
)

// TestPolarsFormsTakeAnyArguments walks every function the checker writes out itself (the
// standard library's special entries) and every frame method with argument shapes of every
// kind — none, constants of each type, columns, lists, mappings, names, too many — and
// requires a clear result: a program or diagnostics, never a panic, and never an error
// without a position.
func TestPolarsFormsTakeAnyArguments(t *testing.T) {
	shapes := []string{"", "1", "-2", "2.5", `"x"`, `"1w"`, "1w", "true", "null", "x", "s", "d", "[1, 2]", `["a", "b"]`, "[]",
		`{1: 2}`, `{"a": "b"}`, "{}", "x.sum()", "x.shift(1)", "a = 1", `keep = "last"`, "1, 2, 3, 4, 5", `strategy = "forward"`,
		`time_unit = "ms"`, `labels = ["a"]`, "subset = s"}
	var calls []string
	for _, f := range stdlib.Standard().Funcs() {
		if !f.Special {
			continue
		}
		for _, sh := range shapes {
			switch {
			case f.Method && strings.HasPrefix(f.Name, "dt."):
				calls = append(calls, fmt.Sprintf("select(r = d.%s(%s))", f.Name, sh), fmt.Sprintf("select(r = x.%s(%s))", f.Name, sh))
			case f.Method:
				calls = append(calls, fmt.Sprintf("select(r = x.%s(%s))", f.Name, sh), fmt.Sprintf("select(r = s.%s(%s))", f.Name, sh),
					fmt.Sprintf("with_columns(r = x.%s(%s).over(s, order_by = d))", f.Name, sh))
			case f.Function:
				calls = append(calls, fmt.Sprintf("select(r = %s(%s))", f.Name, sh))
			}
		}
	}
	for _, m := range []string{"head", "tail", "drop_nulls", "fill_null", "with_row_index", "rename", "unique", "group_by_dynamic"} {
		for _, sh := range shapes {
			calls = append(calls, fmt.Sprintf("%s(%s)", m, sh), fmt.Sprintf("sort(d).%s(%s)", m, sh))
		}
	}
	for _, call := range calls {
		src := "source t { x: float64, s: string, d: timestamp }\nframe f = t." + call + "\n"
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("%s: panic: %v", call, r)
				}
			}()
			for _, d := range featc.CheckSources([]featc.Source{{Name: "t.feat", Text: src}}) {
				if d.Span.Start == 0 && d.Span.End == 0 {
					t.Errorf("%s: a diagnostic without a position: %v", call, d)
				}
			}
		}()
	}
	if len(calls) < 500 {
		t.Fatalf("only %d calls generated", len(calls))
	}
}
