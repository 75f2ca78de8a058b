package ir_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/featc/featc"
	"github.com/featc/featc/ir"
	"github.com/featc/featc/lang"
)

// FuzzCheck checks that no input makes the checker panic, in any mode, and that a program that
// checks also prunes to each of its outputs and prints.
func FuzzCheck(f *testing.F) {
	for _, pattern := range []string{"../testdata/examples/*/*.feat", "../testdata/errors/*.feat"} {
		paths, _ := filepath.Glob(pattern)
		for _, p := range paths {
			b, _ := os.ReadFile(p)
			f.Add(string(b))
		}
	}
	cases, _ := filepath.Glob("../testdata/golden/*.txtar")
	for _, p := range cases {
		b, _ := os.ReadFile(p)
		// The first input file of each case is enough of a seed.
		s := string(b)
		if i := strings.Index(s, ".feat --\n"); i >= 0 {
			s = s[i+len(".feat --\n"):]
			if j := strings.Index(s, "\n-- "); j >= 0 {
				s = s[:j]
			}
			f.Add(s)
		}
	}
	f.Fuzz(func(t *testing.T, src string) {
		srcs := []featc.Source{{Name: "fuzz.feat", Text: src}}
		diags := featc.CheckSources(srcs)
		for _, d := range diags {
			var b strings.Builder
			d.Render(&b)
		}
		if diags.HasErrors() {
			return
		}
		files, _ := featc.Parse(srcs)
		prog, _ := ir.Check(files)
		if prog == nil {
			return // a program with modes needs one
		}
		_ = prog.String()
		for _, out := range prog.Outputs() {
			pruned, pd := ir.Prune(prog, []ir.Output{{Def: out}})
			if pruned == nil {
				t.Fatalf("pruning to %s failed: %v", out, pd.Err())
			}
			_ = pruned.String()
		}
		_ = lang.Format
	})
}
