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

// TestPolarsDocUpToDate: docs/polars.md is what `make docs` writes, and every Polars name it
// lists as featc's (same or alias) is one the standard library or the frames have.
func TestPolarsDocUpToDate(t *testing.T) {
	var buf bytes.Buffer
	writePolarsMarkdown(&buf, stdlib.Standard())
	have, err := os.ReadFile("../../docs/polars.md")
	if err != nil {
		t.Fatal(err)
	}
	if buf.String() != string(have) {
		t.Fatal("docs/polars.md is stale: run `make docs` and review the diff")
	}
	for _, sec := range polarsSections {
		for _, e := range sec.entries {
			if status, _ := polarsStatus(stdlib.Standard(), e); status == "missing" {
				t.Errorf("%s: listed as featc's, but featc has no such name (give its featc form)", e.name)
			}
		}
	}
}
