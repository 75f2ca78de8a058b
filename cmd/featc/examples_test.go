package main

import (
	"bytes"
	"strings"
	"testing"
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
		// o2's history: one earlier order, 60 days before.
		{"orders", []string{"--output", "order_history", "--format", "csv"}, []string{"1,2024-03-01T10:00:00,1,10.0,60"}},
	}
	for _, c := range cases {
		t.Run(c.dir, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(append([]string{"run", "../../testdata/examples/" + c.dir}, c.args...), nil, &out, &errb)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errb.String())
			}
			for _, w := range c.want {
				if !strings.Contains(out.String(), w+"\n") {
					t.Errorf("missing %q in:\n%s", w, out.String())
				}
			}
		})
	}
}
