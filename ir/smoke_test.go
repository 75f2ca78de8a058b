package ir

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/featc/featc/lang"
)

func TestSmoke(t *testing.T) {
	dirs, _ := filepath.Glob("../testdata/examples/*")
	for _, d := range dirs {
		files, diags, err := lang.ParseDir(os.DirFS(d), ".")
		if err != nil {
			t.Fatal(err)
		}
		diags.Render(os.Stdout)
		all := CheckAll(files)
		all.Render(os.Stdout)
		mode := ""
		if d == "../testdata/examples/onboarding" {
			mode = "backfill"
		}
		p, ds := Check(files, WithMode(mode))
		ds.Render(os.Stdout)
		if p != nil {
			os.Stdout.WriteString("==== " + d + "\n" + p.String())
		}
	}
}
