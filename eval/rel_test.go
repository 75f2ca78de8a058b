package eval_test

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/featc/featc/eval"
)

// relCase is a program, its input rows per source, and the expected rows of one output
// (sorted unless ordered). Expected values were computed by hand from docs/semantics.md.
type relCase struct {
	name    string
	src     string
	inputs  map[string][][]any
	params  eval.Params
	output  string
	ordered bool
	want    []string
	wantErr string
}

func runCases(t *testing.T, cases []relCase) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := compile(t, c.src)
			inputs := eval.Inputs{}
			for src, data := range c.inputs {
				inputs[src] = record(t, inputSchema(p, src), data...)
			}
			ev, err := eval.New(p, eval.Outputs(c.output))
			require.NoError(t, err)
			res, err := ev.Run(context.Background(), inputs, c.params)
			if c.wantErr != "" {
				require.Error(t, err)
				require.Contains(t, err.Error(), c.wantErr)
				return
			}
			require.NoError(t, err)
			defer res.Release()
			require.Equal(t, c.want, rows(t, res, c.output, c.ordered))
		})
	}
}

const ordersSrc = `source orders { id: int64, customer: string, amount: float64, qty: int64, day: date }
`

var orders = map[string][][]any{"orders": {
	{1, "ann", 10.0, 1, "2024-01-31"},
	{2, "bob", nil, 2, "2024-02-29"},
	{3, "ann", 30.0, nil, "2024-03-01"},
	{4, nil, -5.0, 4, "2023-12-31"},
	{5, "cy", 0.0, 5, nil},
}}

func TestFilterProjectSortLimit(t *testing.T) {
	runCases(t, []relCase{
		{name: "filter drops null conditions", src: ordersSrc + `frame f = orders.filter(amount > 0)`, inputs: orders, output: "f",
			want: []string{`1 | "ann" | 10.0 | 1 | @2024-01-31`, `3 | "ann" | 30.0 | null | @2024-03-01`}},
		{name: "several conditions and three-valued logic", src: ordersSrc + `frame f = orders.filter(amount >= 0 or qty > 3, not (customer == "bob"))`,
			inputs: orders, output: "f",
			// id 2: customer bob → false; id 4: customer null → not null is null → dropped.
			want: []string{`1 | "ann" | 10.0 | 1 | @2024-01-31`, `3 | "ann" | 30.0 | null | @2024-03-01`, `5 | "cy" | 0.0 | 5 | null`}},
		{name: "select names and expressions", src: ordersSrc + `frame f = orders.select(id, double = amount * 2, amount.abs())`,
			inputs: orders, output: "f",
			want: []string{"1 | 20.0 | 10.0", "2 | null | null", "3 | 60.0 | 30.0", "4 | -10.0 | 5.0", "5 | 0.0 | 0.0"}},
		{name: "with_columns replaces in place and appends", src: ordersSrc + `frame f = orders.with_columns(amount = amount.fill_null(0.0), big = amount > 20).drop(customer, day).rename(n = qty)`,
			inputs: orders, output: "f",
			want: []string{"1 | 10.0 | 1 | false", "2 | 0.0 | 2 | null", "3 | 30.0 | null | true", "4 | -5.0 | 4 | false", "5 | 0.0 | 5 | false"}},
		{name: "sort with nulls first by default, descending, tie-break", ordered: true,
			src: ordersSrc + `frame f = orders.sort(customer, amount, descending = [false, true]).select(id)`, inputs: orders, output: "f",
			want: []string{"4", "3", "1", "2", "5"}},
		{name: "sort nulls last", ordered: true,
			src: ordersSrc + `frame f = orders.sort(amount, nulls_last = true).select(id)`, inputs: orders, output: "f",
			want: []string{"4", "5", "1", "3", "2"}},
		{name: "limit after sort", ordered: true,
			src: ordersSrc + `frame f = orders.sort(id, descending = true).limit(2, offset = 1).select(id)`, inputs: orders, output: "f",
			want: []string{"4", "3"}},
		{name: "unique treats nulls alike",
			src: ordersSrc + `frame f = orders.select(customer).unique()`, inputs: orders, output: "f",
			want: []string{`"ann"`, `"bob"`, `"cy"`, "null"}},
		{name: "empty input", src: ordersSrc + `frame f = orders.filter(amount > 1000).select(id)`, inputs: orders, output: "f", want: nil},
	})
}

func TestNaNOrderingAndEquality(t *testing.T) {
	src := `source v { x: float64 }
frame sorted = v.sort(x).select(x)
frame groups = v.group_by(x).agg(n = len())
frame big = v.filter(x > 1e308)
`
	data := map[string][][]any{"v": {{1.0}, {nanF()}, {nil}, {nanF()}, {math.Copysign(0, -1)}, {0.0}, {infF()}}}
	runCases(t, []relCase{
		{name: "NaN sorts after infinity, nulls first", src: src, inputs: data, output: "sorted", ordered: true,
			want: []string{"null", "-0.0", "0.0", "1.0", "Infinity", "NaN", "NaN"}},
		{name: "NaN groups with NaN and -0 with 0", src: src, inputs: data, output: "groups",
			want: []string{"-0.0 | 2", "1.0 | 1", "Infinity | 1", "NaN | 2", "null | 1"}},
		{name: "NaN is greater than every float", src: src, inputs: data, output: "big", want: []string{"Infinity", "NaN", "NaN"}},
	})
}

func nanF() float64 { z := 0.0; return z / z }
func infF() float64 { z := 0.0; return 1 / z }

func TestAggregation(t *testing.T) {
	runCases(t, []relCase{
		{name: "every aggregate, null keys group together", src: ordersSrc + `frame f = orders.group_by(customer).agg(
			n = len(), c = amount.count(), s = amount.sum(), m = amount.mean(), lo = amount.min(), hi = amount.max(),
			q = qty.sum(), u = id.n_unique(), first = id.first(order_by = day), last = id.last(order_by = day),
			any = (amount > 20).any(), all = (amount > 5).all())`, inputs: orders, output: "f",
			want: []string{
				`"ann" | 2 | 2 | 40.0 | 20.0 | 10.0 | 30.0 | 1 | 2 | 1 | 3 | true | true`,
				`"bob" | 1 | 0 | null | null | null | null | 2 | 1 | 2 | 2 | false | true`,
				`"cy" | 1 | 1 | 0.0 | 0.0 | 0.0 | 0.0 | 5 | 1 | null | null | false | false`,
				`null | 1 | 1 | -5.0 | -5.0 | -5.0 | -5.0 | 4 | 1 | 4 | 4 | false | false`,
			}},
		{name: "whole-frame aggregates of an empty frame", src: ordersSrc + `
let n = orders.filter(id > 100).len()
let s = orders.filter(id > 100).amount.sum()
frame f = orders.filter(id == 1).select(id, n = n, s = s)`, inputs: orders, output: "f",
			want: []string{"1 | 0 | null"}},
		{name: "std var median quantile", src: `source v { g: int64, x: float64 }
frame f = v.group_by(g).agg(sd = x.std(), pv = x.var(ddof = 0), med = x.median(),
    ql = x.quantile(0.3, interpolation = "linear"), qlo = x.quantile(0.3, interpolation = "lower"),
    qhi = x.quantile(0.3, interpolation = "higher"), qn = x.quantile(0.5, interpolation = "nearest"),
    qm = x.quantile(0.3, interpolation = "midpoint"))`,
			inputs: map[string][][]any{"v": {{1, 1.0}, {1, 2.0}, {1, 3.0}, {1, 4.0}, {1, nil}, {2, 5.0}}}, output: "f",
			// 1..4: sample sd sqrt(5/3); population var 1.25; median 2.5; h = 0.9 → 1.9, 1, 2;
			// nearest at h = 1.5 rounds to even 2 → 3; midpoint 1.5.
			want: []string{"1 | 1.2909944487358056 | 1.25 | 2.5 | 1.9 | 1.0 | 2.0 | 3.0 | 1.5",
				"2 | null | 0.0 | 5.0 | 5.0 | 5.0 | 5.0 | 5.0 | 5.0"}},
		{name: "first and last prefer non-null values among ties", src: `source v { g: int64, k: int64, x: string }
frame f = v.group_by(g).agg(first = x.first(order_by = k), last = x.last(order_by = k))`,
			inputs: map[string][][]any{"v": {{1, 1, nil}, {1, 1, "b"}, {1, 1, "a"}, {1, 3, "z"}, {1, 3, "y"}, {1, nil, "q"}}}, output: "f",
			want: []string{`1 | "a" | "z"`}},
		{name: "expressions over aggregates and keys", src: ordersSrc + `frame f = orders.group_by(big = amount > 5).agg(share = amount.sum() / orders.amount.sum(), key_again = big)`,
			inputs: orders, output: "f", want: []string{"false | -0.14285714285714285 | false", "null | null | null", "true | 1.1428571428571428 | true"}},
	})
}

func TestIntegerAndDecimalEdges(t *testing.T) {
	runCases(t, []relCase{
		{name: "sum overflow is an error", src: `source v { x: int64 }
frame f = v.group_by(g = 1).agg(s = x.sum())`, inputs: map[string][][]any{"v": {{9223372036854775807}, {1}}}, output: "f",
			wantErr: "integer overflow in sum"},
		{name: "add overflow names the expression", src: `source v { x: int64 }
frame f = v.select(y = x + 1)`, inputs: map[string][][]any{"v": {{9223372036854775807}}}, output: "f",
			wantErr: "test.feat:2:24: integer overflow in +"},
		{name: "overflow in a null row is not an error", src: `source v { x: int64, y: int64 }
frame f = v.select(z = x + y)`, inputs: map[string][][]any{"v": {{9223372036854775807, nil}, {1, 2}}}, output: "f",
			want: []string{"3", "null"}},
		{name: "int64 extremes", src: `source v { x: int64 }
frame f = v.select(a = x // -1, b = x % -1, c = (x + 1).abs())`, inputs: map[string][][]any{"v": {{-9223372036854775807}}}, output: "f",
			want: []string{"9223372036854775807 | 0 | 9223372036854775806"}},
		{name: "abs of the smallest int64 overflows", src: `source v { x: int64 }
frame f = v.select(a = (x - 1).abs())`, inputs: map[string][][]any{"v": {{-9223372036854775807}}}, output: "f",
			wantErr: "integer overflow in abs"},
		{name: "decimals are exact", src: `source v { g: int64, x: decimal(10,2) }
frame f = v.group_by(g).agg(s = x.sum(), m = x.max(), eq = x.sum() == 0.30)`,
			inputs: map[string][][]any{"v": {{1, "0.10"}, {1, "0.20"}, {1, nil}}}, output: "f",
			want: []string{"1 | 0.30 | 0.20 | true"}},
		{name: "decimal arithmetic and casts", src: `source v { x: decimal(10,2), y: decimal(5,4) }
frame f = v.select(s = x + y, p = x * y, r = x.cast(decimal(10,1)), i = x.cast(int64), fl = x.cast(float64))`,
			inputs: map[string][][]any{"v": {{"1.25", "0.5000"}, {"-1.25", "0.0001"}}}, output: "f",
			want: []string{"-1.2499 | -0.000125 | -1.3 | -1 | -1.25", "1.7500 | 0.625000 | 1.3 | 1 | 1.25"}},
		{name: "cast failure is an error", src: `source v { s: string }
frame f = v.select(n = s.cast(int64))`, inputs: map[string][][]any{"v": {{"12"}, {"1x"}}}, output: "f",
			wantErr: `cannot cast "1x" to int64`},
	})
}

func TestStringsAndDates(t *testing.T) {
	runCases(t, []relCase{
		{name: "unicode lengths and slices", src: `source v { s: string }
frame f = v.select(n = s.str.len(), up = s.str.upper(), sl = s.str.slice(1, 2), end = s.str.slice(-2))`,
			inputs: map[string][][]any{"v": {{"héllo"}, {"日本語"}, {""}}}, output: "f",
			want: []string{`0 | "" | "" | ""`, `3 | "日本語" | "本語" | "本語"`, `5 | "HÉLLO" | "él" | "lo"`}},
		{name: "byte order comparison", src: `source v { s: string }
frame f = v.sort(s).select(s)`, inputs: map[string][][]any{"v": {{"a"}, {"B"}, {"é"}, {"Z"}}}, output: "f", ordered: true,
			want: []string{`"B"`, `"Z"`, `"a"`, `"é"`}},
		{name: "calendar edges", src: `source v { d: date }
frame f = v.select(d, m = d + 1mo, y = d - 1y, w = d.dt.week(), wd = d.dt.weekday(), tw = d.dt.truncate("1w"), q = d.dt.truncate("1q"))`,
			inputs: map[string][][]any{"v": {{"2024-01-31"}, {"2024-02-29"}, {"2021-01-03"}, {"1969-12-31"}}}, output: "f",
			want: []string{
				"@1969-12-31 | @1970-01-31 | @1968-12-31 | 1 | 3 | @1969-12-29 | @1969-10-01",
				"@2021-01-03 | @2021-02-03 | @2020-01-03 | 53 | 7 | @2020-12-28 | @2021-01-01",
				"@2024-01-31 | @2024-02-29 | @2023-01-31 | 5 | 3 | @2024-01-29 | @2024-01-01",
				"@2024-02-29 | @2024-03-29 | @2023-02-28 | 9 | 4 | @2024-02-26 | @2024-01-01",
			}},
		{name: "timestamps and durations", src: `source v { t: timestamp }
param now: timestamp
frame f = v.select(age_days = (now - t).dt.days(), h = t.dt.hour(), tr = t.dt.truncate(15m), neg = (t - now).dt.days())`,
			inputs: map[string][][]any{"v": {{"2024-01-01T10:47:00.5"}, {"2023-12-31T23:59:59.999999"}}}, output: "f",
			params: eval.Params{"now": time.Date(2024, 1, 3, 0, 0, 0, 0, time.UTC)},
			want:   []string{"1 | 10 | @2024-01-01T10:45:00 | -1", "2 | 23 | @2023-12-31T23:45:00 | -2"}},
	})
}

func TestJoins(t *testing.T) {
	src := `source l { k: int64, a: string }
source r { k: int64, b: string }
frame inner = l.join(r, on = k)
frame left = l.join(r, on = k, how = "left")
frame full = l.join(r, on = k, how = "full")
frame semi = l.join(r, on = k, how = "semi")
frame anti = l.join(r, on = k, how = "anti")
frame cross = l.join(r, how = "cross").select(a, b)
`
	data := map[string][][]any{
		"l": {{1, "x"}, {2, "y"}, {nil, "z"}, {2, "w"}},
		"r": {{2, "p"}, {2, "q"}, {3, "s"}, {nil, "n"}},
	}
	runCases(t, []relCase{
		{name: "inner, null keys never match", src: src, inputs: data, output: "inner",
			want: []string{`2 | "w" | "p"`, `2 | "w" | "q"`, `2 | "y" | "p"`, `2 | "y" | "q"`}},
		{name: "left", src: src, inputs: data, output: "left",
			want: []string{`1 | "x" | null`, `2 | "w" | "p"`, `2 | "w" | "q"`, `2 | "y" | "p"`, `2 | "y" | "q"`, `null | "z" | null`}},
		{name: "full coalesces keys", src: src, inputs: data, output: "full",
			want: []string{`1 | "x" | null`, `2 | "w" | "p"`, `2 | "w" | "q"`, `2 | "y" | "p"`, `2 | "y" | "q"`, `3 | null | "s"`, `null | "z" | null`, `null | null | "n"`}},
		{name: "semi", src: src, inputs: data, output: "semi", want: []string{`2 | "w"`, `2 | "y"`}},
		{name: "anti keeps null keys", src: src, inputs: data, output: "anti", want: []string{`1 | "x"`, `null | "z"`}},
		{name: "cross", src: src, inputs: data, output: "cross", want: crossRows()},
	})
}

func crossRows() []string {
	var out []string
	for _, a := range []string{"x", "y", "z", "w"} {
		for _, b := range []string{"p", "q", "s", "n"} {
			out = append(out, `"`+a+`" | "`+b+`"`)
		}
	}
	sortStrings(out)
	return out
}

func TestAsOfJoin(t *testing.T) {
	src := `source trades { sym: string, t: timestamp, qty: int64 }
source quotes { sym: string, qt: timestamp, px: float64 }
frame back = trades.join_asof(quotes, left_on = t, right_on = qt, by = sym)
frame fwd = trades.join_asof(quotes, left_on = t, right_on = qt, by = sym, strategy = "forward", tolerance = 1m)
`
	data := map[string][][]any{
		"trades": {{"a", "2024-01-01T10:00:00", 1}, {"a", "2024-01-01T10:05:00", 2}, {"b", "2024-01-01T10:00:00", 3}, {"a", nil, 4}},
		"quotes": {{"a", "2024-01-01T09:59:00", 1.0}, {"a", "2024-01-01T10:00:00", 2.0}, {"a", "2024-01-01T10:00:00", 3.0}, {"a", "2024-01-01T10:06:00", 4.0}},
	}
	runCases(t, []relCase{
		// Ties in the quote time: backward takes the last by the other columns (px 3.0).
		{name: "backward", src: src, inputs: data, output: "back", want: []string{
			`"a" | @2024-01-01T10:00:00 | 1 | @2024-01-01T10:00:00 | 3.0`,
			`"a" | @2024-01-01T10:05:00 | 2 | @2024-01-01T10:00:00 | 3.0`,
			`"a" | null | 4 | null | null`,
			`"b" | @2024-01-01T10:00:00 | 3 | null | null`}},
		{name: "forward with tolerance", src: src, inputs: data, output: "fwd", want: []string{
			`"a" | @2024-01-01T10:00:00 | 1 | @2024-01-01T10:00:00 | 2.0`,
			`"a" | @2024-01-01T10:05:00 | 2 | @2024-01-01T10:06:00 | 4.0`,
			`"a" | null | 4 | null | null`,
			`"b" | @2024-01-01T10:00:00 | 3 | null | null`}},
	})
}

func TestUnion(t *testing.T) {
	runCases(t, []relCase{{name: "reorders and widens", src: `source a { x: int64, y: string }
source b { y: string, x: float64 }
frame u = a.union(b)`, inputs: map[string][][]any{"a": {{1, "p"}}, "b": {{"q", 2.5}, {nil, nil}}}, output: "u",
		want: []string{`1.0 | "p"`, `2.5 | "q"`, "null | null"}}})
}

func TestWindows(t *testing.T) {
	src := `source e { g: string, t: timestamp, x: int64 }
frame w = e.with_columns(
    prev = x.shift(1).over(g, order_by = t),
    next = x.lead().over(g, order_by = t),
    rn = row_number().over(g, order_by = t),
    rk = x.rank().over(g),
    drk = x.dense_rank(descending = true).over(g),
    cs = x.cum_sum().over(g, order_by = t),
    cmax = x.cum_max().over(g, order_by = t),
    total = x.sum().over(g),
    r2 = x.rolling_sum(window_size = 2).over(g, order_by = t),
    r1h = x.rolling_count(by = t, period = 1h).over(g),
    uniq = x.is_unique().over(g),
).sort(g, t).select(g, prev, next, rn, rk, drk, cs, cmax, total, r2, r1h, uniq)
`
	data := map[string][][]any{"e": {
		{"a", "2024-01-01T10:00:00", 5},
		{"a", "2024-01-01T10:30:00", nil},
		{"a", "2024-01-01T11:00:00", 5},
		{"a", "2024-01-01T11:00:00", 7},
		{"b", "2024-01-01T09:00:00", 1},
	}}
	runCases(t, []relCase{{name: "offsets, ranks, running and rolling", src: src, inputs: data, output: "w", ordered: true,
		// Group a in order (t, then x): 5@10:00, null@10:30, 5@11:00, 7@11:00. The 1h time
		// window (t-1h, t] excludes 10:00 from 11:00's window and includes both 11:00 rows; the
		// two-row window of 5@11:00 holds one non-null value, fewer than min_periods = 2.
		want: []string{
			`"a" | null | null | 1 | 1 | 2 | 5 | 5 | 17 | null | 1 | false`,
			`"a" | 5 | 5 | 2 | null | null | 5 | 5 | 17 | null | 1 | true`,
			`"a" | null | 7 | 3 | 1 | 2 | 10 | 5 | 17 | null | 2 | false`,
			`"a" | 5 | null | 4 | 3 | 1 | 17 | 7 | 17 | 12 | 2 | true`,
			`"b" | null | null | 1 | 1 | 1 | 1 | 1 | 1 | null | 1 | true`,
		}}})
}

func TestFeatureBlocksParamsModes(t *testing.T) {
	src := `source s { id: int64, age: float64, gender: string }
param execution_time: timestamp
mode backfill { let age_mean = s.age.mean() }
mode realtime { param age_mean: float64 }
features f from s {
    older = age_delta > 0
    age_delta = age - age_mean
    is_male = gender == "male"
    expect age_delta.is_not_null() else warn
}
`
	data := map[string][][]any{"s": {{1, 30.0, "male"}, {2, 50.0, "female"}}}
	for _, mode := range []string{"backfill", "realtime"} {
		p := compile(t, src, featcMode(mode))
		ev, err := eval.New(p)
		require.NoError(t, err)
		res, err := ev.Run(context.Background(), eval.Inputs{"s": record(t, schemaOf(p, "s"), data["s"]...)},
			eval.Params{"execution_time": time.Now(), "age_mean": 40.0})
		require.NoError(t, err)
		require.Equal(t, []string{`1 | 30.0 | "male" | false | -10.0 | true`, `2 | 50.0 | "female" | true | 10.0 | false`}, rows(t, res, "f", false), mode)
		res.Release()
	}
}

func TestEntityFeatures(t *testing.T) {
	src := `source orders { order_id: string, customer_id: int64, created_at: timestamp, amount: float64 }
entity customer { customer_id: int64 }
features order_history for customer at t {
    past                  = orders.filter(created_at < t)
    n_orders              = past.len()
    amount_90d            = past.filter(created_at >= t - 90d).amount.sum()
    days_since_last_order = (t - past.created_at.max()).dt.days()
    avg_recent            = recent.amount.mean()
    recent                = past.filter(amount > avg_all)
    avg_all               = past.amount.mean()
}
`
	data := map[string][][]any{
		"orders": {
			{"o1", 1, "2024-01-01T00:00:00", 10.0},
			{"o2", 1, "2024-03-01T00:00:00", 30.0},
			{"o3", 1, "2024-06-01T00:00:00", 50.0},
			{"o4", 2, "2024-01-15T00:00:00", 5.0},
		},
		"order_history": {{1, "2024-03-15T12:00:00"}, {2, "2024-01-10T00:00:00"}, {1, "2024-06-01T00:00:00"}},
	}
	runCases(t, []relCase{{name: "per spine row, no rows from after t", src: src, inputs: data, output: "order_history",
		// Customer 1 at 03-15: o1, o2 (o3 is later); 90 days back from 03-15 includes 01-01? 03-15 - 90d = 12-16 → yes: 40.
		// At 06-01: o3 is at t exactly, not < t: o1, o2 → 2 orders; 90 days back = 03-03: only o2 → 30.
		// Customer 2 at 01-10: no order yet.
		want: []string{
			"1 | @2024-03-15T12:00:00 | 2 | 40.0 | 14 | 30.0 | 20.0",
			"1 | @2024-06-01T00:00:00 | 2 | null | 92 | 30.0 | 20.0",
			"2 | @2024-01-10T00:00:00 | 0 | null | null | null | null",
		}}})
}

func TestBindErrors(t *testing.T) {
	p := compile(t, `source s { id: int64, name: string }
param k: int64
frame f = s.filter(id > k)`)
	ev, err := eval.New(p)
	require.NoError(t, err)
	ctx := context.Background()
	good := record(t, schemaOf(p, "s"), []any{1, "a"})
	_, err = ev.Run(ctx, eval.Inputs{}, eval.Params{"k": 1})
	require.EqualError(t, err, "input s: no data bound: pass it in eval.Inputs")
	_, err = ev.Run(ctx, eval.Inputs{"s": good}, nil)
	require.EqualError(t, err, "param k (int64) has no value: pass it in eval.Params")
	_, err = ev.Run(ctx, eval.Inputs{"s": good}, eval.Params{"k": "one"})
	require.EqualError(t, err, "param k: a string cannot be a int64")
	_, err = ev.Run(ctx, eval.Inputs{"s": good}, eval.Params{"k": 1, "kk": 2})
	require.EqualError(t, err, "unknown param kk: the program declares params k")
	q := compile(t, `source s { id: int64, name: float64 }
frame f = s.select(id)`)
	_, err = mustEval(t, q).Run(ctx, eval.Inputs{"s": good}, nil)
	require.EqualError(t, err, "input s, column name: is utf8 in the input, but declared float64")
	r := compile(t, `source s { id: int64, other: string }
frame f = s.select(id)`)
	_, err = mustEval(t, r).Run(ctx, eval.Inputs{"s": good}, nil)
	require.EqualError(t, err, "input s, column other: missing from the input, which has id, name")
}

func mustEval(t *testing.T, p interface{ IR() *irProgram }) *eval.Evaluator {
	t.Helper()
	ev, err := eval.NewFromIR(p.IR())
	require.NoError(t, err)
	return ev
}

func sortStrings(s []string) {
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if strings.Compare(s[j], s[i]) < 0 {
				s[i], s[j] = s[j], s[i]
			}
		}
	}
}
