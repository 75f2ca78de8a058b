package eval_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestPureGo proves that a service embedding the evaluator builds without cgo and links no
// database driver: the core packages and the Go API must stay pure Go.
func TestPureGo(t *testing.T) {
	pkgs := []string{"github.com/featc/featc", "github.com/featc/featc/eval", "github.com/featc/featc/lang",
		"github.com/featc/featc/ir", "github.com/featc/featc/stdlib"}
	env := append(os.Environ(), "CGO_ENABLED=0")
	build := exec.Command("go", append([]string{"build", "-o", os.DevNull}, pkgs...)...)
	build.Env = env
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("CGO_ENABLED=0 go build failed: %v\n%s", err, out)
	}
	list := exec.Command("go", append([]string{"list", "-deps"}, pkgs...)...)
	list.Env = env
	out, err := list.Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, banned := range []string{"duckdb", "jackc/pgx", "gosnowflake", "database/sql"} {
			if strings.Contains(dep, banned) || dep == banned {
				t.Errorf("the evaluator links %s", dep)
			}
		}
	}
}

// TestEvalSitsBelowTheFacade keeps the layering lang → ir → eval/sqlgen → featc: eval takes the
// typed *ir.Program, as sqlgen does, and never imports the root package that wraps them.
func TestEvalSitsBelowTheFacade(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/featc/featc/eval").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if dep == "github.com/featc/featc" {
			t.Errorf("eval imports the featc facade; take *ir.Program instead")
		}
	}
}
