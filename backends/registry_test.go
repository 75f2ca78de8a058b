package backends

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/featc/featc/internal/golden"
)

// TestEnginesComplete: every engine has each of its fields set, a name that is its dialect's
// and unique, and the registry has an embedded engine (the default, and ForTarget's fallback).
func TestEnginesComplete(t *testing.T) {
	seen := map[string]bool{Evaluator: true}
	embedded := 0
	for _, e := range Engines() {
		for field, missing := range map[string]bool{
			"Name": e.Name == "", "Title": e.Title == "", "Noun": e.Noun == "", "Dialect": e.Dialect == nil,
			"TargetHelp": e.TargetHelp == "", "DSNForm": e.DSNForm == "", "Open": e.Open == nil,
			"Replace": e.Replace == nil, "Redact": e.Redact == nil, "Recognizes": e.Recognizes == nil,
		} {
			if missing {
				t.Errorf("engine %q: %s is not set", e.Name, field)
			}
		}
		if e.Dialect != nil && e.Dialect.Name != e.Name {
			t.Errorf("engine %q writes the dialect %q", e.Name, e.Dialect.Name)
		}
		if seen[e.Name] {
			t.Errorf("the name %q is taken twice (the evaluator is %q)", e.Name, Evaluator)
		}
		seen[e.Name] = true
		if e.Embedded {
			embedded++
		}
		if got, err := Lookup(e.Name); got != e || err != nil {
			t.Errorf("Lookup(%q) = %v, %v", e.Name, got, err)
		}
	}
	if embedded == 0 {
		t.Error("no embedded engine: featc run has no default and ForTarget no fallback")
	}
	if _, err := Lookup("oracle"); err == nil || !strings.Contains(err.Error(), list(Names(), "and")) {
		t.Errorf("Lookup(oracle): %v, want an error listing %v", err, Names())
	}
}

// TestTargets: each engine's SampleDSNs name it (ForTarget, Recognizes), and its Redact
// removes the secret from a message quoting one; "" names the embedded engine, in memory;
// an engine that is not embedded refuses to open "", naming the form of its DSN.
func TestTargets(t *testing.T) {
	for _, e := range Engines() {
		if len(e.SampleDSNs) == 0 {
			t.Errorf("engine %s: no SampleDSNs", e.Name)
		}
		for _, dsn := range e.SampleDSNs {
			if got, err := ForTarget(dsn); got != e || err != nil || !e.Recognizes(dsn) {
				t.Errorf("ForTarget(%q) = %s, %v, want %s (Recognizes: %v)", dsn, got, err, e, e.Recognizes(dsn))
			}
			for _, other := range Engines() {
				if other != e && other.Recognizes(dsn) {
					t.Errorf("%s's target %q is recognized by %s too", e, dsn, other)
				}
			}
			msg := "cannot connect to " + dsn + ": no such host"
			if got := e.Redact(msg, dsn); strings.Contains(got, "Sx9Secret") {
				t.Errorf("%s: Redact(%q) = %q", e, msg, got)
			}
			if err := e.Err(dsn, errors.New(msg)); strings.Contains(err.Error(), "Sx9Secret") || !strings.HasPrefix(err.Error(), e.Name+": ") {
				t.Errorf("%s: Err = %v", e, err)
			}
		}
		if e.Embedded {
			continue
		}
		if _, err := e.Open(""); err == nil || !strings.Contains(err.Error(), e.DSNForm) {
			t.Errorf("%s: Open(\"\") = %v, want an error naming %s", e, err, e.DSNForm)
		}
	}
	mem, err := ForTarget("")
	if err != nil || mem != Default() || !mem.Embedded || !mem.InMemory("") || mem.InMemory("features.duckdb") {
		t.Errorf("ForTarget(\"\") = %s, %v", mem, err)
	}
	// A file name of no engine's form is the default engine's database; a URL of no engine's
	// scheme is refused, naming the scheme but no secret.
	if e, err := ForTarget("data/features"); e != Default() || err != nil {
		t.Errorf("ForTarget(data/features) = %s, %v", e, err)
	}
	if e, err := ForTarget("mysql://featc:Sx9Secret@db/features"); e != nil || err == nil || !strings.Contains(err.Error(), "mysql://") || strings.Contains(err.Error(), "Sx9Secret") {
		t.Errorf("ForTarget(mysql://…) = %s, %v", e, err)
	}
	db, err := mem.Open("")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Ping(); err != nil {
		t.Errorf("%s in memory: %v", mem, err)
	}
	db.Close()
}

// TestGoldenSections: a golden case with the SQL of one engine has that of every engine, so
// that an engine added to the registry without make golden is noticed here too.
func TestGoldenSections(t *testing.T) {
	cases, err := golden.Load("../testdata/golden/*.txtar")
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) == 0 {
		t.Fatal("no golden cases")
	}
	withSQL := 0
	for _, c := range cases {
		var missing []string
		for _, name := range Names() {
			if _, ok := c.Section("out/sql/" + name); !ok {
				missing = append(missing, name)
			}
		}
		if len(missing) < len(Names()) {
			withSQL++
			if len(missing) > 0 {
				t.Errorf("%s has no SQL for %s: run make golden (the golden test writes every registry engine)", c.Name(), strings.Join(missing, ", "))
			}
		}
	}
	if withSQL == 0 {
		t.Error("no golden case holds SQL")
	}
}

// allowed are the files, besides each engine's own package and the registry, that may name
// an engine, with the reason.
var allowed = map[string]string{
	"internal/pgtest/pgtest.go": "the postgres operating-system user, which runs the tests' server",
}

// TestRegistryIsTheOnlyList: no Go file outside the engines' packages and the registry (and
// the allowed files) names an engine as a value (a string literal equal to an engine's name or
// to the evaluator's, or holding a per-engine flag such as --no-duckdb), refers to a dialect
// (sqlgen.Dialect{…}: the dialects live in their engines' packages) or imports an engine's
// package: they iterate Engines() instead.
// Tests may name engines; prose may too (only whole names and flags are looked for).
func TestRegistryIsTheOnlyList(t *testing.T) {
	root := ".."
	names := map[string]bool{Evaluator: true}
	var flags []string
	ownDirs := map[string]bool{}
	enginePkgs := map[string]bool{}
	for _, e := range Engines() {
		names[e.Name] = true
		flags = append(flags, regexp.QuoteMeta("--"+e.Name), regexp.QuoteMeta("--no-"+e.Name))
		ownDirs["backends/"+e.Name] = true
		enginePkgs["github.com/featc/featc/backends/"+e.Name] = true
	}
	flagRE := regexp.MustCompile(`(` + strings.Join(flags, "|") + `)\b`)
	var found []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || ownDirs[rel]) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(rel, ".go") || strings.HasSuffix(rel, "_test.go") || rel == "backends/registry.go" || allowed[rel] != "" {
			return nil
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); enginePkgs[p] {
				found = append(found, fset.Position(imp.Pos()).String()+": imports "+p)
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.BasicLit:
				if n.Kind != token.STRING {
					break
				}
				s, err := strconv.Unquote(n.Value)
				if err != nil {
					break
				}
				if names[s] || flagRE.MatchString(s) {
					found = append(found, fset.Position(n.Pos()).String()+": "+n.Value)
				}
			case *ast.CompositeLit:
				if isDialectType(n.Type) {
					found = append(found, fset.Position(n.Pos()).String()+": a sqlgen.Dialect value")
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(found)
	if len(found) > 0 {
		t.Errorf("engines named outside the registry (iterate backends.Engines(), or use an Engine's fields):\n%s", strings.Join(found, "\n"))
	}
}

// isDialectType reports whether a composite literal's type is sqlgen's Dialect.
func isDialectType(t ast.Expr) bool {
	switch t := t.(type) {
	case *ast.Ident:
		return t.Name == "Dialect"
	case *ast.SelectorExpr:
		x, ok := t.X.(*ast.Ident)
		return ok && x.Name == "sqlgen" && t.Sel.Name == "Dialect"
	}
	return false
}
