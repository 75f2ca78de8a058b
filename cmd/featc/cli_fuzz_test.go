package main

import (
	"bytes"
	"fmt"
	"math/rand"
	"path/filepath"
	"strings"
	"testing"
)

// cliDriver writes featc command lines from the bytes of a fuzz input: a command, an example
// project (or a missing path), and flags with values right, wrong and missing, over the
// evaluator and embedded DuckDB (no server). Every command line must end with an exit code and
// never a panic.
type cliDriver struct {
	data []byte
	pos  int
	dir  string
}

func (d *cliDriver) next(n int) int {
	if n <= 1 || d.pos >= len(d.data) {
		return 0
	}
	b := int(d.data[d.pos])
	d.pos++
	return b % n
}

func (d *cliDriver) pick(opts ...string) string { return opts[d.next(len(opts))] }

var cliExamples, _ = filepath.Glob("../../testdata/examples/*")

func (d *cliDriver) args() []string {
	cmd := d.pick("check", "explain", "fmt", "compile", "run", "verify", "backfill", "help", "nope", "--help", "-h", "")
	args := []string{cmd}
	if cmd == "" {
		return nil
	}
	args = append(args, d.pick(append(cliExamples, "missing_dir", "../../testdata/examples/orders/orders.feat", "")...))
	for n := d.next(6); n > 0; n-- {
		flag := d.pick("--output", "--input", "--param", "--table", "--mode", "--engine", "--format", "--target",
			"--out", "--check", "--graph", "--downstream", "--modes", "--functions", "--spine", "--into", "--max", "--no-duckdb", "--bogus")
		args = append(args, flag)
		if d.next(5) == 0 {
			continue // the value left out
		}
		switch flag {
		case "--output", "--downstream":
			args = append(args, d.pick("order_history", "order_history.n_orders", "order_spine.order_id", "client_features.is_male",
				"trip_stats_3h", "customer_at", "account_features.nope", "nope", "age_mean", "", "."))
		case "--input":
			args = append(args, d.pick("orders=nope.csv", "orders=../../testdata/examples/orders/data/orders.csv", "order_history=order_spine",
				"order_history=orders", "=x", "x", "orders=../../testdata/examples/accounts/data/customer_accounts.csv"))
		case "--param":
			args = append(args, d.pick("execution_time=2024-01-01T00:00:00", "execution_time=yesterday", "nope=1", "=", "age_mean=1.5"))
		case "--table":
			args = append(args, d.pick("orders=orders", "orders=SELECT 1", "x"))
		case "--mode":
			args = append(args, d.pick("backfill", "realtime", "nope", ""))
		case "--engine":
			args = append(args, d.pick("eval", "duckdb", "nope", "postgres"))
		case "--format":
			args = append(args, d.pick("table", "csv", "json", "parquet", "nope"))
		case "--target":
			args = append(args, d.pick("duckdb", "postgres", "snowflake", "nope", ""))
		case "--out", "--into", "--spine":
			args = append(args, filepath.Join(d.dir, d.pick("o", "o.csv", "o.parquet", "sub/dir/o")))
		case "--graph":
			args = append(args, d.pick("dot", "mermaid", "svg"))
		case "--max":
			args = append(args, d.pick("0", "-1", "x", "3"))
		}
	}
	return args
}

func runCLIOnce(t *testing.T, data []byte) (code int) {
	d := &cliDriver{data: data, dir: t.TempDir()}
	args := d.args()
	var out, errb bytes.Buffer
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("featc %s panicked: %v", strings.Join(args, " "), r)
			}
		}()
		code = run(args, strings.NewReader(""), &out, &errb)
		if code != 0 && errb.Len() == 0 && out.Len() == 0 {
			t.Errorf("featc %s: exit %d with nothing said", strings.Join(args, " "), code)
		}
	}()
	return code
}

// FuzzCLI drives the command line (see cliDriver).
func FuzzCLI(f *testing.F) {
	for _, s := range []string{"\x04\x05\x01", "\x03\x01\x02\x05\x00\x02\x03", "\x04\x02\x03\x00\x01\x03\x05"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { _ = runCLIOnce(t, data) })
}

// TestCLIDriver runs the command-line driver over a fixed set of inputs with every go test.
func TestCLIDriver(t *testing.T) {
	r := rand.New(rand.NewSource(5))
	ok := 0
	for i := 0; i < 300; i++ {
		b := make([]byte, 4+r.Intn(20))
		r.Read(b)
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			if runCLIOnce(t, b) == 0 {
				ok++
			}
		})
	}
	t.Logf("%d of 300 command lines succeeded", ok)
}
