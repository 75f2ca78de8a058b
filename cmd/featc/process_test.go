package main

import (
	"bytes"
	"database/sql"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/featc/featc/backends/postgres"
)

// testVersion is linked into the binary the process tests build, through main.version.
const testVersion = "v0.0.0-processtest"

var binOnce sync.Once
var binPath string
var binErr error

// featcBinary builds featc once for the tests that need a real process (signals, kill -9,
// --version from the linker).
func featcBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "featc-bin-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "featc")
		cmd := exec.Command("go", "build", "-tags=duckdb_arrow", "-ldflags=-X main.version="+testVersion, "-o", binPath, ".")
		out, err := cmd.CombinedOutput()
		if err != nil {
			binErr = errors.New(err.Error() + "\n" + string(out))
		}
	})
	if binErr != nil {
		t.Fatalf("building featc: %v", binErr)
	}
	return binPath
}

// TestVersion: --version prints the version the linker set, and exits 0.
func TestVersion(t *testing.T) {
	out, err := exec.Command(featcBinary(t), "--version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(out), "featc "+testVersion+" ") {
		t.Fatalf("featc --version printed %q", out)
	}
	// In-process (no linker flag): the version comes from the build information.
	var o, e bytes.Buffer
	if code := run([]string{"--version"}, nil, &o, &e); code != 0 || !strings.HasPrefix(o.String(), "featc ") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, o.String(), e.String())
	}
}

// slowProject is a project whose one output reads a query that sleeps on the server for ten
// minutes: a statement that is still running long after any test would end.
func slowProject(t *testing.T) (dir string, args func(dsn, marker string) []string) {
	dir = t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "slow.feat"), []byte("source slow { a: int64 }\nframe out = slow.select(a)\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, func(dsn, marker string) []string {
		// The marker tells this test's statement from every other one on the server.
		q := "SELECT CAST(1 AS BIGINT) AS a FROM pg_sleep(600) WHERE '" + marker + "' <> ''"
		return []string{"run", dir, "--engine", "postgres", "--target", dsn, "--table", "slow=" + q}
	}
}

// backendsRunning counts the server's backends running a statement that holds the marker.
func backendsRunning(t *testing.T, db *sql.DB, marker string) int {
	t.Helper()
	var n int
	err := db.QueryRow("SELECT COUNT(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND state = 'active' AND strpos(query, $1) > 0", marker).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// waitFor polls cond every 100 ms until it holds or the time is up.
func waitFor(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if cond() {
			return true
		}
		time.Sleep(100 * time.Millisecond)
	}
	return cond()
}

// TestSignalsEndServerStatements runs featc on a statement that sleeps for ten minutes on a
// real Postgres server and stops featc the ways schedulers and people do: SIGTERM (timeout,
// Kubernetes, systemd, Airflow) must exit 143 and SIGINT (Ctrl-C) 130, each after the
// server's statement is canceled; SIGKILL cannot be caught, so the server must notice the
// vanished client itself and end the statement (client_connection_check_interval) within a
// few seconds.
func TestSignalsEndServerStatements(t *testing.T) {
	dsn := postgresDSN(t)
	bin := featcBinary(t)
	db, err := postgres.Open(dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, args := slowProject(t)
	for _, tc := range []struct {
		sig      syscall.Signal
		wantExit int // -1: killed by the signal
		within   time.Duration
	}{
		{syscall.SIGTERM, 143, 5 * time.Second},
		{syscall.SIGINT, 130, 5 * time.Second},
		{syscall.SIGKILL, -1, 8 * time.Second},
	} {
		t.Run(tc.sig.String(), func(t *testing.T) {
			marker := "featc_signal_test_" + strings.ReplaceAll(tc.sig.String(), " ", "_")
			cmd := exec.Command(bin, args(dsn, marker)...)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			defer func() {
				cmd.Process.Kill()
				// Whatever happened, end the statement so that it does not outlive the test.
				db.Exec("SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND strpos(query, $1) > 0", marker)
			}()
			if !waitFor(20*time.Second, func() bool { return backendsRunning(t, db, marker) == 1 }) {
				t.Fatalf("the statement never started on the server; featc's stderr:\n%s", stderr.String())
			}
			sent := time.Now()
			if err := cmd.Process.Signal(tc.sig); err != nil {
				t.Fatal(err)
			}
			var waitErr error
			select {
			case waitErr = <-done:
			case <-time.After(tc.within + 10*time.Second):
				t.Fatalf("featc still running %s after %s; stderr:\n%s", time.Since(sent).Round(time.Millisecond), tc.sig, stderr.String())
			}
			code := cmd.ProcessState.ExitCode()
			if code != tc.wantExit {
				t.Fatalf("exit %d (%v), want %d; stderr:\n%s", code, waitErr, tc.wantExit, stderr.String())
			}
			if !waitFor(tc.within, func() bool { return backendsRunning(t, db, marker) == 0 }) {
				t.Fatalf("the statement still runs on the server %s after %s", time.Since(sent).Round(time.Millisecond), tc.sig)
			}
			t.Logf("%s: exit %d, statement gone after %s", tc.sig, code, time.Since(sent).Round(time.Millisecond))
		})
	}
}
