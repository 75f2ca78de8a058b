package main

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/featc/featc/stdlib"
)

// TestFunctionsDocUpToDate: docs/functions.md is what `make docs` writes from the stdlib table
// and the engines' support, so it cannot drift from the compiler.
func TestFunctionsDocUpToDate(t *testing.T) {
	var buf bytes.Buffer
	writeFunctionsMarkdown(&buf, stdlib.Standard())
	have, err := os.ReadFile("../../docs/functions.md")
	if err != nil {
		t.Fatal(err)
	}
	if buf.String() != string(have) {
		t.Fatal("docs/functions.md is stale: run `make docs` and review the diff")
	}
	// Every function of the table is documented with a support column per engine.
	for _, f := range stdlib.Standard().Funcs() {
		if f.Internal || len(f.Overloads) == 0 {
			continue
		}
		for _, o := range f.Overloads {
			row := "| `" + o.ID + "` |"
			if !strings.Contains(buf.String(), row) {
				t.Errorf("%s: no row for overload %s", f.Name, o.ID)
			}
		}
	}
}
