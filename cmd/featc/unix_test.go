package main

import (
	"fmt"
	"net"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/featc/featc/backends"
)

// TestHelp: `featc help CMD` and `featc CMD --help` print the same text on stdout and exit 0:
// the synopsis, and every flag the command defines, each also named in the synopsis (and
// nothing in the synopsis that is not a flag).
func TestHelp(t *testing.T) {
	flagLine := regexp.MustCompile(`(?m)^  -(\S+)`)
	synopsisFlag := regexp.MustCompile(`--([a-z][a-z0-9-]*)`)
	for _, cmd := range commands() {
		t.Run(cmd.name, func(t *testing.T) {
			code, viaHelp, errs := runFeatc("help", cmd.name)
			if code != 0 || errs != "" {
				t.Fatalf("featc help %s: exit %d, stderr %q", cmd.name, code, errs)
			}
			code, viaFlag, errs := runFeatc(cmd.name, "--help")
			if code != 0 || errs != "" {
				t.Fatalf("featc %s --help: exit %d, stderr %q", cmd.name, code, errs)
			}
			if viaHelp != viaFlag {
				t.Fatalf("help %s and %s --help differ:\n%s\n---\n%s", cmd.name, cmd.name, viaHelp, viaFlag)
			}
			synopsis, _, _ := strings.Cut(viaHelp, "\n")
			if !strings.HasPrefix(synopsis, "usage: featc "+cmd.name) {
				t.Fatalf("no synopsis: %q", viaHelp)
			}
			defined := map[string]bool{}
			for _, m := range flagLine.FindAllStringSubmatch(viaHelp, -1) {
				defined[m[1]] = true
				if !strings.Contains(synopsis, "--"+m[1]) {
					t.Errorf("flag --%s is not in the synopsis %q", m[1], synopsis)
				}
			}
			for _, m := range synopsisFlag.FindAllStringSubmatch(synopsis, -1) {
				if !defined[m[1]] {
					t.Errorf("the synopsis names --%s, which is not a flag of %s", m[1], cmd.name)
				}
			}
		})
	}
	if code, out, _ := runFeatc("help"); code != 0 || !strings.Contains(out, "Commands:") {
		t.Errorf("featc help: exit %d\n%s", code, out)
	}
	if code, _, errs := runFeatc("help", "nosuch"); code != exitUsage || !strings.Contains(errs, `unknown command "nosuch"`) {
		t.Errorf("featc help nosuch: exit %d, stderr %q", code, errs)
	}
	if code, _, errs := runFeatc("run", "--nosuch"); code != exitUsage || !strings.Contains(errs, "featc help run") {
		t.Errorf("featc run --nosuch: exit %d, stderr %q", code, errs)
	}
}

// TestEnginesListed: every engine run accepts is listed in run's help and in docs/cli.md,
// every dialect compile accepts in compile's, and an engine outside the list is refused with
// the list.
func TestEnginesListed(t *testing.T) {
	docs, err := os.ReadFile("../../docs/cli.md")
	if err != nil {
		t.Fatal(err)
	}
	dir := writeFiles(t, map[string]string{"a.feat": "source t { a: int64 }\nframe f = t.select(a)\n", "t.csv": "a\n1\n"})
	_, runHelp, _ := runFeatc("help", "run")
	for _, e := range engineNames() {
		if !strings.Contains(runHelp, "--engine "+strings.Join(engineNames(), "|")) || !regexp.MustCompile(`(?m)^\s+the engine:.*\b`+e+`\b`).MatchString(runHelp) {
			t.Errorf("featc help run does not list the engine %s:\n%s", e, runHelp)
		}
		if !strings.Contains(string(docs), "--engine "+strings.Join(engineNames(), "|")) || !strings.Contains(string(docs), "`--engine "+e) {
			t.Errorf("docs/cli.md does not describe --engine %s", e)
		}
		_, _, errs := runFeatc("run", dir, "--input", "t="+dir+"/t.csv", "--engine", e, "--target", "")
		if strings.Contains(errs, "unknown engine") {
			t.Errorf("run --engine %s: %s", e, errs)
		}
	}
	if code, _, errs := runFeatc("run", dir, "--engine", "nosuch"); code != exitUsage || !strings.Contains(errs, strings.Join(engineNames(), ", ")) {
		t.Errorf("run --engine nosuch: exit %d, %q", code, errs)
	}
	_, compileHelp, _ := runFeatc("help", "compile")
	for _, name := range backends.Names() {
		if !strings.Contains(compileHelp, name) || !strings.Contains(string(docs), "--target "+strings.Join(backends.Names(), "|")) {
			t.Errorf("compile's help or docs/cli.md does not list the target %s", name)
		}
	}
	// The engines a --target names.
	for _, cmd := range []string{"run", "backfill"} {
		_, help, _ := runFeatc("help", cmd)
		for _, form := range []string{"DuckDB", "postgres://", "snowflake://"} {
			if !strings.Contains(help, form) {
				t.Errorf("featc help %s does not say --target may be %s", cmd, form)
			}
		}
	}
}

// TestExplainHonoursConfigMode: explain compiles in featc.toml's mode, as run does; a flag
// still wins.
func TestExplainHonoursConfigMode(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a.feat": `source t { a: float64 }
mode backfill {
    let m = t.a.mean()
}
mode realtime {
    param m: float64
}
frame f = t.select(x = a - m)
`,
		"featc.toml": "mode = \"realtime\"\n",
	})
	code, out, errs := runFeatc("explain", dir)
	if code != 0 || !strings.Contains(out, "param.m") {
		t.Fatalf("explain in featc.toml's mode realtime: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs = runFeatc("explain", dir, "--mode", "backfill")
	if code != 0 || strings.Contains(out, "param.m") || !strings.Contains(out, "== f") {
		t.Fatalf("explain --mode backfill: exit %d\n%s%s", code, out, errs)
	}
}

// TestVerifyWarnsOnce: a warning is printed once, however many outputs and engines verify
// compiles the program for.
func TestVerifyWarnsOnce(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a.feat": "source t { a: int64 }\nframe f = t.select(a)\nframe g = t.select(b = a + 1)\nframe h = t.sort(a).limit(1)\nframe u = t.limit(5)\n",
		"t.csv":  "a\n1\n2\n",
	})
	code, out, errs := runFeatc("verify", dir, "--input", "t="+dir+"/t.csv", "--postgres", postgresDSN(t))
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	if n := strings.Count(errs, "warning["); n != 1 {
		t.Fatalf("%d warnings printed, want 1:\n%s", n, errs)
	}
	// Every embedded engine, and Postgres (the one server given).
	engines := 1
	for _, e := range backends.Engines() {
		if e.Embedded {
			engines++
		}
	}
	if n := strings.Count(out, "agrees with the evaluator"); n != 4*engines {
		t.Fatalf("%d outputs × engines agree, want 4 × %d:\n%s", n, engines, out)
	}
}

// TestMissingParamSaysFlag: a param without a value is reported in the command line's terms
// on every engine.
func TestMissingParamSaysFlag(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a.feat": "source t { a: int64 }\nparam p: int64\nframe f = t.select(b = a + p)\n",
		"t.csv":  "a\n1\n",
	})
	for _, e := range []string{"eval", "duckdb"} {
		code, _, errs := runFeatc("run", dir, "--input", "t="+dir+"/t.csv", "--engine", e)
		if code != exitFail || !strings.Contains(errs, "give --param p=VALUE") || strings.Contains(errs, "eval.Params") {
			t.Errorf("--engine %s: exit %d, stderr %q", e, code, errs)
		}
	}
	code, _, errs := runFeatc("verify", dir, "--input", "t="+dir+"/t.csv")
	if code != exitFail || !strings.Contains(errs, "give --param p=VALUE") {
		t.Errorf("verify: exit %d, stderr %q", code, errs)
	}
}

// TestDSNSecretsNeverPrinted: whatever shape a DSN has, malformed or not, no message of
// run or verify repeats its password or token. The cases are generated: each DSN shape with
// the secret in each place a password can be.
func TestDSNSecretsNeverPrinted(t *testing.T) {
	dir := writeFiles(t, map[string]string{"a.feat": "source t { a: int64 }\nframe f = t.select(a)\n", "t.csv": "a\n1\n"})
	const secret = "Sx9Secret"
	shapes := []string{
		"user:%s", "user:%s@", "user:%s@acct?loginTimeout=1", "user:Se@%s@acct?loginTimeout=1", "snowflake://user:%s", "user:%s@acct:notaport/db",
		"user:%s@acct/db?authenticator=bogus", "user:%s@acct/db?loginTimeout=x", "acct/db?user=u&password=%s&loginTimeout=1",
		"user:x@acct/db?token=%s&loginTimeout=oops", "user:%s%%zz@acct/db", "postgres://user:%s", "postgres://user:%s@/db?sslmode=bogus",
		"host=h password=%s port=notaport", "user:%s@127.0.0.1:1/db?account=a&protocol=http&loginTimeout=1",
	}
	for _, shape := range shapes {
		dsn := fmt.Sprintf(shape, secret)
		runs := [][]string{
			{"verify", dir, "--input", "t=" + dir + "/t.csv", "--no-duckdb", "--snowflake", dsn},
			{"run", dir, "--input", "t=" + dir + "/t.csv", "--engine", "snowflake", "--target", dsn},
			{"run", dir, "--input", "t=" + dir + "/t.csv", "--engine", "postgres", "--target", dsn},
		}
		if e, err := backends.ForTarget(dsn); err == nil && !e.Embedded { // else the DSN would name a DuckDB file to create
			runs = append(runs, []string{"backfill", dir, "--input", "t=" + dir + "/t.csv", "--target", dsn, "--output", "f", "--into", "x"})
		}
		for _, args := range runs {
			code, out, errs := runFeatc(args...)
			if code == 0 {
				t.Errorf("%q: %s succeeded", dsn, args[0])
			}
			if strings.Contains(out+errs, "Sx9") {
				t.Errorf("%s with DSN %q printed its secret:\n%s%s", args[0], dsn, out, errs)
			}
		}
	}
}

// TestSnowflakeLoginBounded: an account that accepts connections and never answers fails
// within the login timeout (gosnowflake alone waits up to 900 s per request).
func TestSnowflakeLoginBounded(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var held []net.Conn
	defer func() {
		for _, c := range held {
			c.Close()
		}
	}()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			held = append(held, c) // accepted, never answered
		}
	}()
	dir := writeFiles(t, map[string]string{"a.feat": "source t { a: int64 }\nframe f = t.select(a)\n", "t.csv": "a\n1\n"})
	dsn := fmt.Sprintf("user:pw@127.0.0.1:%d/db/sch?account=acct&protocol=http&loginTimeout=2", l.Addr().(*net.TCPAddr).Port)
	start := time.Now()
	code, _, errs := runFeatc("run", dir, "--input", "t="+dir+"/t.csv", "--engine", "snowflake", "--target", dsn)
	took := time.Since(start)
	if code != exitFail || !strings.Contains(errs, "login timeout") {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	if took > 10*time.Second {
		t.Fatalf("took %s with loginTimeout=2", took)
	}
}
