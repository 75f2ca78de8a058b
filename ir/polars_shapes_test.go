package ir_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/featc/featc"
	"github.com/featc/featc/lang"
	"github.com/featc/featc/stdlib"
	"github.com/featc/featc/types"
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

// TestPendingWindowsStayPending walks every scalar method that takes only its receiver, and a
// cast to every type, applied to a window function without its .over(…): the window must stay
// pending through it — an error without .over(…), a program with it (found on a cast to the
// value's own type, which dropped the pending window and let the program through unordered).
func TestPendingWindowsStayPending(t *testing.T) {
	cols := map[types.Kind]string{types.Int64: "i", types.Float64: "x", types.Decimal: "m", types.String: "s",
		types.Bool: "b", types.Date: "a", types.Timestamp: "d", types.Duration: "u"}
	var exprs []string
	for _, f := range stdlib.Standard().Funcs() {
		if f.Kind != stdlib.Scalar || !f.Method || f.Internal || f.RequiredParams() != 1 || len(f.Overloads) == 0 && !f.Special {
			continue
		}
		kinds := []types.Kind{types.Float64, types.String, types.Timestamp, types.Date}
		if len(f.Overloads) > 0 {
			kinds = []types.Kind{f.Overloads[0].Args[0]}
		}
		for _, k := range kinds {
			if col, ok := cols[k]; ok {
				exprs = append(exprs, col+".shift(1)."+f.Name+"()")
			}
		}
	}
	for k, col := range cols {
		for _, to := range []string{"int64", "float64", "string", k.String()} {
			if k == types.Decimal {
				to = "string"
			}
			exprs = append(exprs, col+".shift(1).cast("+to+")")
		}
	}
	head := "source t { i: int64, x: float64, m: decimal(10, 2), s: string, b: bool, a: date, d: timestamp, u: duration }\nframe f = t.with_columns(r = "
	compiled := 0
	for _, e := range exprs {
		plain := featc.CheckSources([]featc.Source{{Name: "t.feat", Text: head + strings.Replace(e, ".shift(1)", "", 1) + ")\n"}})
		if hasError(plain) {
			continue // the method does not apply to the column's type
		}
		compiled++
		over := featc.CheckSources([]featc.Source{{Name: "t.feat", Text: head + e + ".over(order_by = i))\n"}})
		if hasError(over) {
			t.Errorf("%s.over(…): the method applies to the column, so it applies to its window: %v", e, over)
		}
		bare := featc.CheckSources([]featc.Source{{Name: "t.feat", Text: head + e + ")\n"}})
		if !hasCode(bare, "E0503") {
			t.Errorf("%s without .over(…): want E0503 (the window is pending), got %v", e, bare)
		}
	}
	if compiled < 60 {
		t.Fatalf("only %d of %d methods apply to their column", compiled, len(exprs))
	}
}

func hasError(ds lang.Diagnostics) bool {
	for _, d := range ds {
		if d.Severity == lang.Error {
			return true
		}
	}
	return false
}

func hasCode(ds lang.Diagnostics, code string) bool {
	for _, d := range ds {
		if string(d.Code) == code {
			return true
		}
	}
	return false
}
