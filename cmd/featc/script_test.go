package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/featc/featc/internal/cases"
	"github.com/featc/featc/internal/pgtest"
)

// TestScripts runs the CLI scripts of testdata/script, in the style of Go's cmd/go script tests.
// Each archive's comment is the script; its files are written to a fresh directory the script
// runs in. Commands:
//
//	featc ARGS...         run featc in-process; it must exit 0
//	! featc ARGS...       it must exit non-zero
//	exit N featc ARGS...  it must exit with status N
//	stdout REGEXP         the last command's stdout must match (! stdout: must not)
//	stderr REGEXP         the same for stderr
//	cmp FILE1 FILE2       the two files (or stdout/stderr) must be equal
//	cmpvalues FILE1 FILE2 compare CSV files value by value (floats within 1e-12, -0.0 = 0.0)
//	cp FROM TO            copy a file
//
// $PGDSN stands for the DSN of a real PostgreSQL server (internal/pgtest); a script using it
// is skipped, loudly, where there is none, unless FEATC_REQUIRE_POSTGRES=1 makes that a failure.
// Arguments are split on spaces; 'single quotes' group words.
func TestScripts(t *testing.T) {
	paths, err := filepath.Glob("../../testdata/script/*.txtar")
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatal("no scripts in testdata/script")
	}
	for _, p := range paths {
		t.Run(strings.TrimSuffix(filepath.Base(p), ".txtar"), func(t *testing.T) {
			runScript(t, p)
		})
	}
}

func runScript(t *testing.T, path string) {
	ar, err := txtar.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range ar.Files {
		p := filepath.Join(dir, f.Name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	wd, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)

	var stdout, stderr string
	read := func(name string) string {
		switch name {
		case "stdout":
			return stdout
		case "stderr":
			return stderr
		}
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatalf("%v", err)
		}
		return string(b)
	}
	if strings.Contains(string(ar.Comment), "$PGDSN") {
		dsn := postgresDSN(t)
		ar.Comment = []byte(strings.ReplaceAll(string(ar.Comment), "$PGDSN", dsn))
	}
	for n, line := range strings.Split(string(ar.Comment), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		where := filepath.Base(path) + ":" + itoa(n+1)
		neg := false
		if strings.HasPrefix(line, "! ") {
			neg, line = true, strings.TrimSpace(line[2:])
		}
		args := splitArgs(line)
		wantExit := -1
		if args[0] == "exit" && len(args) > 2 {
			wantExit = atoi(args[1])
			args = args[2:]
		}
		switch args[0] {
		case "featc":
			var o, e bytes.Buffer
			code := run(args[1:], strings.NewReader(""), &o, &e)
			stdout, stderr = o.String(), e.String()
			switch {
			case wantExit >= 0 && code != wantExit:
				t.Fatalf("%s: %s exited %d, want %d\nstdout:\n%s\nstderr:\n%s", where, line, code, wantExit, stdout, stderr)
			case wantExit < 0 && neg && code == 0:
				t.Fatalf("%s: %s succeeded, want failure\nstdout:\n%s", where, line, stdout)
			case wantExit < 0 && !neg && code != 0:
				t.Fatalf("%s: %s exited %d\nstdout:\n%s\nstderr:\n%s", where, line, code, stdout, stderr)
			}
		case "stdout", "stderr":
			text := stdout
			if args[0] == "stderr" {
				text = stderr
			}
			re, err := regexp.Compile(`(?m)` + strings.Join(args[1:], " "))
			if err != nil {
				t.Fatalf("%s: %v", where, err)
			}
			if re.MatchString(text) == neg {
				t.Fatalf("%s: %s %s: no match=%v in:\n%s", where, args[0], re, !neg, text)
			}
		case "cmp":
			a, b := read(args[1]), read(args[2])
			if a != b {
				t.Fatalf("%s: %s and %s differ\n--- %s\n%s--- %s\n%s", where, args[1], args[2], args[1], a, args[2], b)
			}
		case "cmpvalues":
			// Like cmp, for CSV: floats equal within a relative 1e-12 and -0.0 equal to 0.0
			// (docs/semantics.md), other cells exactly.
			a, b := strings.Split(read(args[1]), "\n"), strings.Split(read(args[2]), "\n")
			if len(a) != len(b) {
				t.Fatalf("%s: %s and %s have %d and %d lines\n%s\n---\n%s", where, args[1], args[2], len(a), len(b), read(args[1]), read(args[2]))
			}
			for i := range a {
				ca, cb := strings.Split(a[i], ","), strings.Split(b[i], ",")
				same := len(ca) == len(cb)
				for j := 0; same && j < len(ca); j++ {
					same = cases.SameCell(ca[j], cb[j])
				}
				if !same {
					t.Fatalf("%s: line %d differs:\n%s\n%s", where, i+1, a[i], b[i])
				}
			}
		case "cp":
			if err := os.WriteFile(args[2], []byte(read(args[1])), 0o644); err != nil {
				t.Fatal(err)
			}
		default:
			t.Fatalf("%s: unknown command %q", where, args[0])
		}
	}
}

// splitArgs splits on spaces, keeping 'quoted words' together.
func splitArgs(s string) []string {
	var out []string
	var cur strings.Builder
	quoted, have := false, false
	for _, r := range s {
		switch {
		case r == '\'':
			quoted = !quoted
			have = true
		case r == ' ' && !quoted:
			if have {
				out = append(out, cur.String())
				cur.Reset()
				have = false
			}
		default:
			cur.WriteRune(r)
			have = true
		}
	}
	if have {
		out = append(out, cur.String())
	}
	return out
}

func itoa(i int) string { return strconv.Itoa(i) }

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

var pgOnce sync.Once
var pgServer *pgtest.Server
var pgErr error

// postgresDSN starts one server for the package's scripts (stopped by TestMain).
func postgresDSN(t *testing.T) string {
	pgOnce.Do(func() { pgServer, pgErr = pgtest.Start() })
	if pgErr != nil {
		if pgtest.Required() {
			t.Fatalf("FEATC_REQUIRE_POSTGRES=1 but there is no PostgreSQL: %v", pgErr)
		}
		t.Skipf("*** SKIPPING: no PostgreSQL: %v ***", pgErr)
	}
	return pgServer.DSN
}

func TestMain(m *testing.M) {
	code := m.Run()
	pgServer.Stop()
	os.Exit(code)
}
