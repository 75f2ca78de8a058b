package dataio

import (
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/featc/featc/eval"
	"github.com/featc/featc/ir"
	"github.com/featc/featc/types"
)

// TestTableTellsNullFromText: in the table format a null and the string "null" (or an empty
// string, or strings differing by spaces or a newline) print differently, so that every cell
// reads back as one value.
func TestTableTellsNullFromText(t *testing.T) {
	schema := ir.Schema{{Name: "s", Type: types.StringT}}
	texts := []string{"null", "", " x", "x ", "a\nb", `a\nb`, `"q"`, "plain", "héllo wörld"}
	rows := [][]types.Value{{types.NullValue(types.StringT)}}
	for _, s := range texts {
		rows = append(rows, []types.Value{types.StringValue(s)})
	}
	rec := eval.ValuesRecord(memory.DefaultAllocator, schema, rows)
	defer rec.Release()
	var b strings.Builder
	if err := WriteTable(&b, rec); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	// header, rule, one line per row, the count.
	if len(lines) != len(rows)+3 {
		t.Fatalf("%d lines:\n%s", len(lines), b.String())
	}
	want := []string{"null", `"null"`, `""`, `" x"`, `"x "`, `"a\nb"`, `a\nb`, `"\"q\""`, "plain", "héllo wörld"}
	seen := map[string]bool{}
	for i, w := range want {
		got := strings.TrimRight(lines[i+2], " ")
		if got != w {
			t.Errorf("row %d: got %q, want %q", i, got, w)
		}
		if seen[got] {
			t.Errorf("row %d: %q printed like another value", i, got)
		}
		seen[got] = true
	}
}
