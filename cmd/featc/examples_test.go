package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/featc/featc/internal/cases"
)

// TestExamplesRun runs each acceptance example over its data (testdata/examples/*/featc.toml)
// and checks values computed by hand from the data files.
func TestExamplesRun(t *testing.T) {
	cases := []struct {
		dir  string
		args []string
		want []string
	}{
		// Customer 1: January (100 + 300) / 2 = 200, February 50.5 (the null skipped): 125.25.
		{"accounts", []string{"--output", "account_features", "--format", "csv"}, []string{"1,125.25,2", "2,579.875,2", "3,7.875,2"}},
		// age_mean over 34, 29, 52, 61, 41 = 43.4; client 1's login is 1h45m before execution_time.
		{"onboarding", []string{"--output", "client_features.time_since_last_login", "--output", "client_features.is_male", "--format", "csv"},
			[]string{"1h45m,true", "11d16h,false"}},
		// The 3h window of the 11:00 trips holds 12.0 (09:30), null (10:59:59) and both 11:00 trips.
		{"trips", []string{"--output", "trip_stats_3h.trips_3h", "--format", "csv"}, []string{"1", "2", "2", "3", "3", "1", "2"}},
		// o2's history: one earlier order, 60 days before; the spine's order_id passes through; o4
		// and o5 (two orders at one instant) have no earlier order: their amount sum is 0.0.
		{"orders", []string{"--output", "order_history", "--format", "csv"}, []string{"1,2024-03-01T10:00:00,o2,1,10.0,60", "2,2024-01-15T09:00:00,o4,0,0.0,", "2,2024-01-15T09:00:00,o5,0,0.0,"}},
		// The generated sample (internal/gen.PIT): customer 1 at 2022-01-07T15:43 sees two orders
		// (339.74 and 93.87 on 01-06: sum 433.61, mean 216.805, sample std 245.87/√2 = 173.856…)
		// and the six balances recorded by then (01-01 … 01-06: last 2662.39, min 2612.39, mean
		// 16234.14 / 6 = 2705.69).
		{"customers", []string{"--output", "customer_at", "--format", "csv"}, []string{
			"1,2022-01-07T15:43:10.795916,2,2,2,433.61,433.61,216.805,339.74,173.85634429033644,2,0,1,paid,0,1,2662.39,2612.39,2705.69,credit,6,1.0"}},
	}
	for _, c := range cases {
		t.Run(c.dir, func(t *testing.T) {
			// Every engine prints the hand-checked values, and exactly the evaluator's rows.
			var evalOut string
			for _, engine := range []string{"eval", "duckdb", "postgres"} {
				args := append([]string{"run", "../../testdata/examples/" + c.dir, "--engine", engine}, c.args...)
				if engine == "postgres" {
					args = append(args, "--target", postgresDSN(t))
				}
				var out, errb bytes.Buffer
				code := run(args, nil, &out, &errb)
				if code != 0 {
					t.Fatalf("%s: exit %d: %s", engine, code, errb.String())
				}
				for _, w := range c.want {
					if !strings.Contains(out.String(), w+"\n") {
						t.Errorf("%s: missing %q in:\n%s", engine, w, out.String())
					}
				}
				if engine == "eval" {
					evalOut = out.String()
				} else if !sameCSV(out.String(), evalOut) {
					t.Errorf("%s differs from the evaluator:\n%s\n--- eval\n%s", engine, out.String(), evalOut)
				}
			}
		})
	}
}

// sameCSV compares CSV outputs value by value (floats within 1e-12, -0.0 equal to 0.0).
func sameCSV(a, b string) bool {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	if len(la) != len(lb) {
		return false
	}
	for i := range la {
		ca, cb := strings.Split(la[i], ","), strings.Split(lb[i], ",")
		if len(ca) != len(cb) {
			return false
		}
		for j := range ca {
			if !cases.SameCell(ca[j], cb[j]) {
				return false
			}
		}
	}
	return true
}
