// Package cases holds the relational test cases of featc's semantics: programs, input rows and
// the rows each output must hold, computed by hand from docs/semantics.md. The evaluator's tests
// and the conformance tests of every SQL engine run the same cases, so that an engine agreeing
// with the evaluator is checked against an independent answer, not only against the evaluator.
package cases

import (
	"fmt"
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/featc/featc/types"
)

// Case is a program, its input rows per source (or spine), and the rows one output must hold
// (compared as a set of rows unless Ordered). A Case with WantErr must fail; the evaluator's
// message must contain WantErr, other engines' messages are their own.
//
// Input rows hold Go values: nil for null, int, float64, string (also for dates, timestamps
// as "2024-01-31T08:00:00", and decimals), bool, and time.Duration.
type Case struct {
	Group   string
	Name    string
	Src     string
	Mode    string
	Inputs  map[string][][]any
	Params  map[string]any
	Output  string
	Ordered bool
	Want    []string
	WantErr string
}

// Rel returns every relational case.
func Rel() []Case {
	var out []Case
	for _, g := range []struct {
		name  string
		cases func() []Case
	}{
		{"FilterProjectSortLimit", filterProjectSortLimit},
		{"NaNOrderingAndEquality", naNOrderingAndEquality},
		{"Aggregation", aggregation},
		{"IntegerAndDecimalEdges", integerAndDecimalEdges},
		{"StringsAndDates", stringsAndDates},
		{"Joins", joins},
		{"AsOfJoin", asOfJoin},
		{"Union", union},
		{"Windows", windows},
		{"PartitionAggregates", partitionAggregates},
		{"PolarsFrames", polarsFrames},
		{"EntityFeatures", entityFeatures},
	} {
		for _, c := range g.cases() {
			c.Group = g.name
			out = append(out, c)
		}
	}
	return out
}

func sortStrings(s []string) { sort.Strings(s) }

var _ = math.Pi
var _ = time.Second

const ordersSrc = `source orders { id: int64, customer: string, amount: float64, qty: int64, day: date }
`

var orders = map[string][][]any{"orders": {
	{1, "ann", 10.0, 1, "2024-01-31"},
	{2, "bob", nil, 2, "2024-02-29"},
	{3, "ann", 30.0, nil, "2024-03-01"},
	{4, nil, -5.0, 4, "2023-12-31"},
	{5, "cy", 0.0, 5, nil},
}}

func nanF() float64 { z := 0.0; return z / z }

func infF() float64 { z := 0.0; return 1 / z }

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

func filterProjectSortLimit() []Case {
	return []Case{
		{Name: "filter drops null conditions", Src: ordersSrc + `frame f = orders.filter(amount > 0)`, Inputs: orders, Output: "f",
			Want: []string{`1 | "ann" | 10.0 | 1 | @2024-01-31`, `3 | "ann" | 30.0 | null | @2024-03-01`}},
		{Name: "several conditions and three-valued logic", Src: ordersSrc + `frame f = orders.filter(amount >= 0 or qty > 3, not (customer == "bob"))`,
			Inputs: orders, Output: "f",
			// id 2: customer bob → false; id 4: customer null → not null is null → dropped.
			Want: []string{`1 | "ann" | 10.0 | 1 | @2024-01-31`, `3 | "ann" | 30.0 | null | @2024-03-01`, `5 | "cy" | 0.0 | 5 | null`}},
		{Name: "select names and expressions", Src: ordersSrc + `frame f = orders.select(id, double = amount * 2, amount.abs())`,
			Inputs: orders, Output: "f",
			Want: []string{"1 | 20.0 | 10.0", "2 | null | null", "3 | 60.0 | 30.0", "4 | -10.0 | 5.0", "5 | 0.0 | 0.0"}},
		{Name: "with_columns replaces in place and appends", Src: ordersSrc + `frame f = orders.with_columns(amount = amount.fill_null(0.0), big = amount > 20).drop(customer, day).rename(n = qty)`,
			Inputs: orders, Output: "f",
			Want: []string{"1 | 10.0 | 1 | false", "2 | 0.0 | 2 | null", "3 | 30.0 | null | true", "4 | -5.0 | 4 | false", "5 | 0.0 | 5 | false"}},
		{Name: "sort with nulls first by default, descending, tie-break", Ordered: true,
			Src: ordersSrc + `frame f = orders.sort(customer, amount, descending = [false, true]).select(id)`, Inputs: orders, Output: "f",
			Want: []string{"4", "3", "1", "2", "5"}},
		{Name: "sort nulls last", Ordered: true,
			Src: ordersSrc + `frame f = orders.sort(amount, nulls_last = true).select(id)`, Inputs: orders, Output: "f",
			Want: []string{"4", "5", "1", "3", "2"}},
		{Name: "limit after sort", Ordered: true,
			Src: ordersSrc + `frame f = orders.sort(id, descending = true).limit(2, offset = 1).select(id)`, Inputs: orders, Output: "f",
			Want: []string{"4", "3"}},
		{Name: "limit after sort breaks ties by every column, also those not read after", Ordered: true,
			// Equal amounts (0.0, 0.0 after fill_null) tie; the tie-break orders by the frame's
			// other columns in schema order (id first), whatever the select keeps.
			Src:    ordersSrc + `frame f = orders.with_columns(amount = amount.fill_null(0.0)).sort(amount).limit(1, offset = 1).select(day)`,
			Inputs: orders, Output: "f",
			// Sorted: -5.0 (id 4), 0.0 (id 2), 0.0 (id 5), 10.0, 30.0: the second is id 2 (by id,
			// although its day sorts after id 5's null day).
			Want: []string{"@2024-02-29"}},
		{Name: "limit after sort and a select breaks ties by the sorted frame's columns", Ordered: true,
			Src:    ordersSrc + `frame f = orders.with_columns(amount = amount.fill_null(0.0)).sort(amount).select(amount, day).filter(amount < 20).limit(1, offset = 1).select(day)`,
			Inputs: orders, Output: "f",
			// As above: the tie between ids 2 and 5 is broken by id, which the select drops.
			Want: []string{"@2024-02-29"}},
		{Name: "unique treats nulls alike",
			Src: ordersSrc + `frame f = orders.select(customer).unique()`, Inputs: orders, Output: "f",
			Want: []string{`"ann"`, `"bob"`, `"cy"`, "null"}},
		{Name: "empty input", Src: ordersSrc + `frame f = orders.filter(amount > 1000).select(id)`, Inputs: orders, Output: "f", Want: nil},
	}
}

func naNOrderingAndEquality() []Case {
	src := `source v { x: float64 }
frame sorted = v.sort(x).select(x)
frame groups = v.group_by(x).agg(n = len())
frame big = v.filter(x > 1e308)
`
	data := map[string][][]any{"v": {{1.0}, {nanF()}, {nil}, {nanF()}, {math.Copysign(0, -1)}, {0.0}, {infF()}}}
	return []Case{
		{Name: "NaN sorts after infinity, nulls first", Src: src, Inputs: data, Output: "sorted", Ordered: true,
			Want: []string{"null", "-0.0", "0.0", "1.0", "Infinity", "NaN", "NaN"}},
		{Name: "NaN groups with NaN and -0 with 0", Src: src, Inputs: data, Output: "groups",
			Want: []string{"-0.0 | 2", "1.0 | 1", "Infinity | 1", "NaN | 2", "null | 1"}},
		{Name: "NaN is greater than every float", Src: src, Inputs: data, Output: "big", Want: []string{"Infinity", "NaN", "NaN"}},
	}
}

func aggregation() []Case {
	return []Case{
		{Name: "every aggregate, null keys group together", Src: ordersSrc + `frame f = orders.group_by(customer).agg(
			n = len(), c = amount.count(), s = amount.sum(), m = amount.mean(), lo = amount.min(), hi = amount.max(),
			q = qty.sum(), u = id.n_unique(), first = id.first(order_by = day), last = id.last(order_by = day),
			any = (amount > 20).any(), all = (amount > 5).all())`, Inputs: orders, Output: "f",
			Want: []string{
				`"ann" | 2 | 2 | 40.0 | 20.0 | 10.0 | 30.0 | 1 | 2 | 1 | 3 | true | true`,
				// bob's amounts are all null: their sum is 0, as in Polars; the mean, min and max null.
				`"bob" | 1 | 0 | 0.0 | null | null | null | 2 | 1 | 2 | 2 | false | true`,
				`"cy" | 1 | 1 | 0.0 | 0.0 | 0.0 | 0.0 | 5 | 1 | null | null | false | false`,
				`null | 1 | 1 | -5.0 | -5.0 | -5.0 | -5.0 | 4 | 1 | 4 | 4 | false | false`,
			}},
		{Name: "whole-frame aggregates of an empty frame", Src: ordersSrc + `
let n = orders.filter(id > 100).len()
let s = orders.filter(id > 100).amount.sum()
frame f = orders.filter(id == 1).select(id, n = n, s = s)`, Inputs: orders, Output: "f",
			// The sum of no values is 0, as in Polars.
			Want: []string{"1 | 0 | 0.0"}},
		{Name: "std var median quantile", Src: `source v { g: int64, x: float64 }
frame f = v.group_by(g).agg(sd = x.std(), pv = x.var(ddof = 0), med = x.median(),
    ql = x.quantile(0.3, interpolation = "linear"), qlo = x.quantile(0.3, interpolation = "lower"),
    qhi = x.quantile(0.3, interpolation = "higher"), qn = x.quantile(0.5, interpolation = "nearest"),
    qm = x.quantile(0.3, interpolation = "midpoint"))`,
			Inputs: map[string][][]any{"v": {{1, 1.0}, {1, 2.0}, {1, 3.0}, {1, 4.0}, {1, nil}, {2, 5.0}}}, Output: "f",
			// 1..4: sample sd sqrt(5/3); population var 1.25; median 2.5; h = 0.9 → 1.9, 1, 2;
			// nearest at h = 1.5 rounds to even 2 → 3; midpoint 1.5.
			Want: []string{"1 | 1.2909944487358056 | 1.25 | 2.5 | 1.9 | 1.0 | 2.0 | 3.0 | 1.5",
				"2 | null | 0.0 | 5.0 | 5.0 | 5.0 | 5.0 | 5.0 | 5.0"}},
		{Name: "first and last prefer non-null values among ties", Src: `source v { g: int64, k: int64, x: string }
frame f = v.group_by(g).agg(first = x.first(order_by = k), last = x.last(order_by = k))`,
			Inputs: map[string][][]any{"v": {{1, 1, nil}, {1, 1, "b"}, {1, 1, "a"}, {1, 3, "z"}, {1, 3, "y"}, {1, nil, "q"}}}, Output: "f",
			Want: []string{`1 | "a" | "z"`}},
		{Name: "expressions over aggregates and keys", Src: ordersSrc + `frame f = orders.group_by(big = amount > 5).agg(share = amount.sum() / orders.amount.sum(), key_again = big)`,
			Inputs: orders, Output: "f", Want: []string{"false | -0.14285714285714285 | false", "null | 0.0 | null", "true | 1.1428571428571428 | true"}},
	}
}

func integerAndDecimalEdges() []Case {
	return []Case{
		{Name: "sum overflow is an error", Src: `source v { x: int64 }
frame f = v.group_by(g = 1).agg(s = x.sum())`, Inputs: map[string][][]any{"v": {{9223372036854775807}, {1}}}, Output: "f",
			WantErr: "integer overflow in sum"},
		{Name: "add overflow names the expression", Src: `source v { x: int64 }
frame f = v.select(y = x + 1)`, Inputs: map[string][][]any{"v": {{9223372036854775807}}}, Output: "f",
			WantErr: "test.feat:2:24: integer overflow in +"},
		{Name: "overflow in a null row is not an error", Src: `source v { x: int64, y: int64 }
frame f = v.select(z = x + y)`, Inputs: map[string][][]any{"v": {{9223372036854775807, nil}, {1, 2}}}, Output: "f",
			Want: []string{"3", "null"}},
		{Name: "int64 extremes", Src: `source v { x: int64 }
frame f = v.select(a = x // -1, b = x % -1, c = (x + 1).abs())`, Inputs: map[string][][]any{"v": {{-9223372036854775807}}}, Output: "f",
			Want: []string{"9223372036854775807 | 0 | 9223372036854775806"}},
		{Name: "abs of the smallest int64 overflows", Src: `source v { x: int64 }
frame f = v.select(a = (x - 1).abs())`, Inputs: map[string][][]any{"v": {{-9223372036854775807}}}, Output: "f",
			WantErr: "integer overflow in abs"},
		{Name: "decimals are exact", Src: `source v { g: int64, x: decimal(10,2) }
frame f = v.group_by(g).agg(s = x.sum(), m = x.max(), eq = x.sum() == 0.30)`,
			Inputs: map[string][][]any{"v": {{1, "0.10"}, {1, "0.20"}, {1, nil}}}, Output: "f",
			Want: []string{"1 | 0.30 | 0.20 | true"}},
		{Name: "decimal arithmetic and casts", Src: `source v { x: decimal(10,2), y: decimal(5,4) }
frame f = v.select(s = x + y, p = x * y, r = x.cast(decimal(10,1)), i = x.cast(int64), fl = x.cast(float64))`,
			Inputs: map[string][][]any{"v": {{"1.25", "0.5000"}, {"-1.25", "0.0001"}}}, Output: "f",
			Want: []string{"-1.2499 | -0.000125 | -1.3 | -1 | -1.25", "1.7500 | 0.625000 | 1.3 | 1 | 1.25"}},
		{Name: "cast failure is an error", Src: `source v { s: string }
frame f = v.select(n = s.cast(int64))`, Inputs: map[string][][]any{"v": {{"12"}, {"1x"}}}, Output: "f",
			WantErr: `cannot cast "1x" to int64`},
	}
}

func stringsAndDates() []Case {
	return []Case{
		{Name: "unicode lengths and slices", Src: `source v { s: string }
frame f = v.select(n = s.str.len(), up = s.str.upper(), sl = s.str.slice(1, 2), end = s.str.slice(-2))`,
			Inputs: map[string][][]any{"v": {{"héllo"}, {"日本語"}, {""}}}, Output: "f",
			Want: []string{`0 | "" | "" | ""`, `3 | "日本語" | "本語" | "本語"`, `5 | "HÉLLO" | "él" | "lo"`}},
		{Name: "byte order comparison", Src: `source v { s: string }
frame f = v.sort(s).select(s)`, Inputs: map[string][][]any{"v": {{"a"}, {"B"}, {"é"}, {"Z"}}}, Output: "f", Ordered: true,
			Want: []string{`"B"`, `"Z"`, `"a"`, `"é"`}},
		{Name: "calendar edges", Src: `source v { d: date }
frame f = v.select(d, m = d + 1mo, y = d - 1y, w = d.dt.week(), wd = d.dt.weekday(), tw = d.dt.truncate("1w"), q = d.dt.truncate("1q"))`,
			Inputs: map[string][][]any{"v": {{"2024-01-31"}, {"2024-02-29"}, {"2021-01-03"}, {"1969-12-31"}}}, Output: "f",
			Want: []string{
				"@1969-12-31 | @1970-01-31 | @1968-12-31 | 1 | 3 | @1969-12-29 | @1969-10-01",
				"@2021-01-03 | @2021-02-03 | @2020-01-03 | 53 | 7 | @2020-12-28 | @2021-01-01",
				"@2024-01-31 | @2024-02-29 | @2023-01-31 | 5 | 3 | @2024-01-29 | @2024-01-01",
				"@2024-02-29 | @2024-03-29 | @2023-02-28 | 9 | 4 | @2024-02-26 | @2024-01-01",
			}},
		{Name: "timestamps and durations", Src: `source v { t: timestamp }
param now: timestamp
frame f = v.select(age_days = (now - t).dt.days(), h = t.dt.hour(), tr = t.dt.truncate(15m), neg = (t - now).dt.days())`,
			Inputs: map[string][][]any{"v": {{"2024-01-01T10:47:00.5"}, {"2023-12-31T23:59:59.999999"}}}, Output: "f",
			Params: map[string]any{"now": time.Date(2024, 1, 3, 0, 0, 0, 0, time.UTC)},
			Want:   []string{"1 | 10 | @2024-01-01T10:45:00 | -1", "2 | 23 | @2023-12-31T23:45:00 | -2"}},
	}
}

func joins() []Case {
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
	return []Case{
		{Name: "inner, null keys never match", Src: src, Inputs: data, Output: "inner",
			Want: []string{`2 | "w" | "p"`, `2 | "w" | "q"`, `2 | "y" | "p"`, `2 | "y" | "q"`}},
		{Name: "left", Src: src, Inputs: data, Output: "left",
			Want: []string{`1 | "x" | null`, `2 | "w" | "p"`, `2 | "w" | "q"`, `2 | "y" | "p"`, `2 | "y" | "q"`, `null | "z" | null`}},
		{Name: "full coalesces keys", Src: src, Inputs: data, Output: "full",
			Want: []string{`1 | "x" | null`, `2 | "w" | "p"`, `2 | "w" | "q"`, `2 | "y" | "p"`, `2 | "y" | "q"`, `3 | null | "s"`, `null | "z" | null`, `null | null | "n"`}},
		{Name: "semi", Src: src, Inputs: data, Output: "semi", Want: []string{`2 | "w"`, `2 | "y"`}},
		{Name: "anti keeps null keys", Src: src, Inputs: data, Output: "anti", Want: []string{`1 | "x"`, `null | "z"`}},
		{Name: "cross", Src: src, Inputs: data, Output: "cross", Want: crossRows()},
	}
}

func asOfJoin() []Case {
	src := `source trades { sym: string, t: timestamp, qty: int64 }
source quotes { sym: string, qt: timestamp, px: float64 }
frame back = trades.join_asof(quotes, left_on = t, right_on = qt, by = sym)
frame fwd = trades.join_asof(quotes, left_on = t, right_on = qt, by = sym, strategy = "forward", tolerance = 1m)
`
	data := map[string][][]any{
		"trades": {{"a", "2024-01-01T10:00:00", 1}, {"a", "2024-01-01T10:05:00", 2}, {"b", "2024-01-01T10:00:00", 3}, {"a", nil, 4}},
		"quotes": {{"a", "2024-01-01T09:59:00", 1.0}, {"a", "2024-01-01T10:00:00", 2.0}, {"a", "2024-01-01T10:00:00", 3.0}, {"a", "2024-01-01T10:06:00", 4.0}},
	}
	return []Case{
		// Ties in the quote time: backward takes the last by the other columns (px 3.0).
		{Name: "backward", Src: src, Inputs: data, Output: "back", Want: []string{
			`"a" | @2024-01-01T10:00:00 | 1 | @2024-01-01T10:00:00 | 3.0`,
			`"a" | @2024-01-01T10:05:00 | 2 | @2024-01-01T10:00:00 | 3.0`,
			`"a" | null | 4 | null | null`,
			`"b" | @2024-01-01T10:00:00 | 3 | null | null`}},
		{Name: "forward with tolerance", Src: src, Inputs: data, Output: "fwd", Want: []string{
			`"a" | @2024-01-01T10:00:00 | 1 | @2024-01-01T10:00:00 | 2.0`,
			`"a" | @2024-01-01T10:05:00 | 2 | @2024-01-01T10:06:00 | 4.0`,
			`"a" | null | 4 | null | null`,
			`"b" | @2024-01-01T10:00:00 | 3 | null | null`}},
	}
}

func union() []Case {
	return []Case{{Name: "reorders and widens", Src: `source a { x: int64, y: string }
source b { y: string, x: float64 }
frame u = a.union(b)`, Inputs: map[string][][]any{"a": {{1, "p"}}, "b": {{"q", 2.5}, {nil, nil}}}, Output: "u",
		Want: []string{`1.0 | "p"`, `2.5 | "q"`, "null | null"}}}
}

func windows() []Case {
	src := `source e { g: string, t: timestamp, x: int64 }
frame w = e.with_columns(
    prev = x.shift(1).over(g, order_by = t),
    next = x.lead().over(g, order_by = t),
    rn = row_number().over(g, order_by = t),
    rk = x.rank("min").over(g),
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
	pruned := `source r { t: int64, z: int64, v: int64 }
frame w = r.with_columns(rn = row_number().over(order_by = t)).select(rn, v)
`
	ties := map[string][][]any{"r": {{1, 1, 5}, {1, 0, 7}, {0, 5, 1}}}
	filtered := `source r { t: int64, z: int64, v: int64 }
frame w = r.with_columns(prev = v.shift(1).over(order_by = t), n = len().over()).filter(z > 0).select(t, prev, n)
`
	return []Case{{Name: "a filter after window functions sees their values over every row", Src: filtered, Inputs: ties, Output: "w",
		// Ordered (t, z, v): (0,5,1), (1,0,7), (1,1,5): prev of (1,1,5) is 7, from a row the
		// filter drops afterwards; len() counts the 3 rows before the filter.
		Want: []string{"0 | null | 3", "1 | 7 | 3"}}, {Name: "ordered windows break ties by every column, also those not read after", Src: pruned, Inputs: ties, Output: "w",
		// Rows tied on t are numbered by z (schema order: t, z, v), which is not selected: the
		// row with z = 0 (v = 7) comes before the one with z = 1 (v = 5).
		Want: []string{"1 | 1", "2 | 7", "3 | 5"}}, {Name: "offsets, ranks, running and rolling", Src: src, Inputs: data, Output: "w", Ordered: true,
		// Group a in order (t, then x): 5@10:00, null@10:30, 5@11:00, 7@11:00. The 1h time
		// window (t-1h, t] excludes 10:00 from 11:00's window and includes both 11:00 rows; the
		// two-row window of 5@11:00 holds one non-null value, fewer than min_periods = 2.
		Want: []string{
			`"a" | null | null | 1 | 1 | 2 | 5 | 5 | 17 | null | 1 | false`,
			// x is null here: its running sum and maximum are null, as in Polars.
			`"a" | 5 | 5 | 2 | null | null | null | null | 17 | null | 1 | true`,
			`"a" | null | 7 | 3 | 1 | 2 | 10 | 5 | 17 | null | 2 | false`,
			`"a" | 5 | null | 4 | 3 | 1 | 17 | 7 | 17 | 12 | 2 | true`,
			`"b" | null | null | 1 | 1 | 1 | 1 | 1 | 1 | null | 1 | true`,
		}}}
}

func entityFeatures() []Case {
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
	return []Case{{Name: "per spine row, no rows from after t", Src: src, Inputs: data, Output: "order_history",
		// Customer 1 at 03-15: o1, o2 (o3 is later); 90 days back from 03-15 includes 01-01? 03-15 - 90d = 12-16 → yes: 40.
		// At 06-01: o3 is at t exactly, not < t: o1, o2 → 2 orders; 90 days back = 03-03: only o2 → 30.
		// Customer 2 at 01-10: no order yet.
		Want: []string{
			"1 | @2024-03-15T12:00:00 | 2 | 40.0 | 14 | 30.0 | 20.0",
			"1 | @2024-06-01T00:00:00 | 2 | 0.0 | 92 | 30.0 | 20.0",
			"2 | @2024-01-10T00:00:00 | 0 | 0.0 | null | null | null",
		}}}
}

// Value converts an input cell of a case to a featc value of type t.
func Value(x any, t types.Type) (types.Value, error) {
	if x == nil {
		return types.NullValue(t), nil
	}
	switch v := x.(type) {
	case bool:
		return types.BoolValue(v), nil
	case int:
		switch t.Kind {
		case types.Float64:
			return types.Float64Value(float64(v)), nil
		case types.Int32, types.Int64, types.Duration:
			return types.Value{Type: t, I: int64(v)}, nil
		}
	case float64:
		if t.Kind == types.Float64 {
			return types.Float64Value(v), nil
		}
	case time.Duration:
		if t.Kind == types.Duration {
			return types.DurationValue(v.Microseconds()), nil
		}
	case time.Time:
		if t.Kind == types.Timestamp {
			return types.TimestampValue(v.UnixMicro()), nil
		}
	case string:
		switch t.Kind {
		case types.String:
			return types.StringValue(v), nil
		case types.Date:
			d, err := types.ParseDate(v)
			return types.DateValue(d), err
		case types.Timestamp:
			us, err := types.ParseTimestamp(v)
			return types.TimestampValue(us), err
		case types.Decimal:
			r, ok := new(big.Rat).SetString(v)
			if !ok {
				return types.Value{}, fmt.Errorf("%q is not a decimal", v)
			}
			r.Mul(r, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(t.Scale)), nil)))
			if !r.IsInt() {
				return types.Value{}, fmt.Errorf("%q has more than %d decimals", v, t.Scale)
			}
			return types.DecimalValue(r.Num(), t), nil
		}
	}
	return types.Value{}, fmt.Errorf("cannot use %T %v as a %s", x, x, t)
}

// SameRow compares rows rendered as "a | b | c": floats within a relative 1e-12 (engines sum
// and divide in their own order), and -0.0 equal to 0.0.
func SameRow(got, want string) bool {
	if got == want {
		return true
	}
	g, w := strings.Split(got, " | "), strings.Split(want, " | ")
	if len(g) != len(w) {
		return false
	}
	for i := range g {
		if !SameCell(g[i], w[i]) {
			return false
		}
	}
	return true
}

// SameCell compares one rendered value as SameRow does.
func SameCell(got, want string) bool {
	if got == want {
		return true
	}
	gf, err1 := strconv.ParseFloat(got, 64)
	wf, err2 := strconv.ParseFloat(want, 64)
	if err1 != nil || err2 != nil || !strings.ContainsAny(got+want, ".eEnN") {
		return false
	}
	if gf == wf || (math.IsNaN(gf) && math.IsNaN(wf)) {
		return true
	}
	return math.Abs(gf-wf) <= 1e-12*math.Max(math.Abs(gf), math.Abs(wf))
}

func partitionAggregates() []Case {
	return []Case{{Name: "aggregates without a SQL window form, over partitions",
		Src: `source e { g: string, t: int64, x: float64 }
frame w = e.with_columns(
    f = x.first(order_by = t).over(g),
    l = x.last(order_by = t).over(g),
    med = x.median().over(g),
    q = x.quantile(0.5, interpolation = "lower").over(g),
    u = x.n_unique().over(g),
).select(g, t, f, l, med, q, u)
`,
		Inputs: map[string][][]any{"e": {{"a", 1, 5.0}, {"a", 2, nil}, {"a", 3, 1.0}, {"a", 3, 7.0}, {nil, 1, 2.0}, {"b", 1, nil}}},
		Output: "w",
		// a: first at t = 1 is 5; last among the t = 3 rows is the largest, 7; {1, 5, 7} has
		// median 5 and lower quantile (h = 1) 5; four distinct values, null counting as one (as
		// in Polars). Nulls form a partition.
		Want: []string{
			`"a" | 1 | 5.0 | 7.0 | 5.0 | 5.0 | 4`,
			`"a" | 2 | 5.0 | 7.0 | 5.0 | 5.0 | 4`,
			`"a" | 3 | 5.0 | 7.0 | 5.0 | 5.0 | 4`,
			`"a" | 3 | 5.0 | 7.0 | 5.0 | 5.0 | 4`,
			`"b" | 1 | null | null | null | null | 1`,
			`null | 1 | 2.0 | 2.0 | 2.0 | 2.0 | 1`,
		}}}
}

// SameRowSummed compares rows of features that sum many floats (sum, mean, std, var over an
// entity's history): engines add in their own order, so where the terms cancel the results
// agree to about n·2⁻⁵³ of the sum of the terms' magnitudes, not relative to the (small)
// result (docs/semantics.md). Floats are equal within a relative 1e-12 or an absolute abs.
func SameRowSummed(got, want string, abs float64) bool {
	if SameRow(got, want) {
		return true
	}
	g, w := strings.Split(got, " | "), strings.Split(want, " | ")
	if len(g) != len(w) {
		return false
	}
	for i := range g {
		if SameCell(g[i], w[i]) {
			continue
		}
		gf, err1 := strconv.ParseFloat(g[i], 64)
		wf, err2 := strconv.ParseFloat(w[i], 64)
		if err1 != nil || err2 != nil || math.Abs(gf-wf) > abs {
			return false
		}
	}
	return true
}

// polarsFrames are Polars' frame methods that stand for featc's: head, drop_nulls, fill_null,
// rename with a mapping, with_row_index, and one .over(…) around several windows.
func polarsFrames() []Case {
	src := `source e { g: string, t: int64, x: float64 }
frame dropped = e.drop_nulls()
frame dropped_x = e.drop_nulls("x")
frame filled = e.fill_null(0.0)
frame renamed = e.rename({"x": "value", t: "time"}).select(time, value)
frame first2 = e.sort(t, g).head(2)
frame last2 = e.sort(t).tail(2)
frame last4 = e.sort(t).tail(4)
frame indexed = e.sort(t, g, descending = true).with_row_index("n", offset = 1).select(n, t, g)
frame aliased = e.select(t.alias("time"), (x * 2).alias("double"), "g")
frame shares = e.with_columns(share = (x / x.sum()).over(g), delta = x.diff().over(g, order_by = t)).select(g, t, share, delta)
`
	in := map[string][][]any{"e": {{"a", 1, 1.0}, {"a", 2, nil}, {nil, 3, 7.0}, {"b", 1, 2.0}, {"a", 4, 3.0}}}
	c := func(name, out string, ordered bool, want ...string) Case {
		if !ordered {
			sortStrings(want) // compared as a set: in the order rows are compared in
		}
		return Case{Name: name, Src: src, Inputs: in, Output: out, Ordered: ordered, Want: want}
	}
	return []Case{
		c("drop_nulls keeps the rows without a null", "dropped", false, `"a" | 1 | 1.0`, `"b" | 1 | 2.0`, `"a" | 4 | 3.0`),
		c("drop_nulls of a subset", "dropped_x", false, `"a" | 1 | 1.0`, `null | 3 | 7.0`, `"b" | 1 | 2.0`, `"a" | 4 | 3.0`),
		// 0.0 converts to x only: g (string) and t (int64) keep their nulls.
		c("fill_null fills the columns of the value's type", "filled", false,
			`"a" | 1 | 1.0`, `"a" | 2 | 0.0`, `null | 3 | 7.0`, `"b" | 1 | 2.0`, `"a" | 4 | 3.0`),
		c("rename with a mapping from old to new names", "renamed", false, "1 | 1.0", "2 | null", "3 | 7.0", "1 | 2.0", "4 | 3.0"),
		c("head after a sort", "first2", true, `"a" | 1 | 1.0`, `"b" | 1 | 2.0`),
		c("tail after a sort", "last2", true, `null | 3 | 7.0`, `"a" | 4 | 3.0`),
		// t = 1 is tied between ("a", 1.0) and ("b", 2.0); the tie-break (every column ascending)
		// puts "a" first, so the last four rows start with "b"'s.
		c("tail keeps the last of tied rows by the tie-break", "last4", true, `"b" | 1 | 2.0`, `"a" | 2 | null`, `null | 3 | 7.0`, `"a" | 4 | 3.0`),
		c("with_row_index numbers the sorted rows from offset", "indexed", true,
			`1 | 4 | "a"`, `2 | 3 | null`, `3 | 2 | "a"`, `4 | 1 | "b"`, `5 | 1 | "a"`),
		// a: x sums to 4 (1 + 3; the null skipped); the null group holds 7; b holds 2. diff over t
		// in each group: a's second row is null, so both of its neighbours' differences are null.
		c("alias names a column", "aliased", false, `1 | 2.0 | "a"`, `2 | null | "a"`, `3 | 14.0 | null`, `1 | 4.0 | "b"`, `4 | 6.0 | "a"`),
		{Name: "group_by_dynamic buckets time by every, from Monday for weeks", Output: "weekly",
			Src: `source ev { customer_id: int64, t: timestamp, amount: float64 }
frame weekly = ev.group_by_dynamic("t", every = "1w", group_by = "customer_id").agg(n = len(), total = amount.sum())
`,
			// 2024-01-01 is a Monday: the Sunday night of the 7th is in its week, the 8th starts the next;
			// 2024-02-29 (a Thursday) is in the week of Monday the 26th.
			Inputs: map[string][][]any{"ev": {{1, "2024-01-01T10:00:00", 5.0}, {1, "2024-01-07T23:00:00", 1.0}, {1, "2024-01-08T00:00:00", 2.0}, {2, "2024-02-29T12:00:00", 3.0}}},
			Want:   sorted("1 | @2024-01-01T00:00:00 | 2 | 6.0", "1 | @2024-01-08T00:00:00 | 1 | 2.0", "2 | @2024-02-26T00:00:00 | 1 | 3.0")},
		{Name: "unique of a subset keeps the first, the last or none of each value's rows", Output: "kept",
			Src: `source e { g: string, t: int64, x: float64 }
frame last = e.sort(t).unique(subset = "g", keep = "last")
frame first = e.sort(t, descending = true).unique("g", keep = "first")
frame none = e.unique(subset = ["g"], keep = "none")
frame kept = last.with_columns(k = "last").union(first.with_columns(k = "first"), none.with_columns(k = "none"))
`,
			// a's rows at t = 1, 2, 4: the last by t is t = 4, the first by t descending too; b and
			// the null group hold one row each, so keep = "none" keeps only them.
			Inputs: in,
			Want: sorted(`"a" | 4 | 3.0 | "last"`, `"b" | 1 | 2.0 | "last"`, `null | 3 | 7.0 | "last"`,
				`"a" | 4 | 3.0 | "first"`, `"b" | 1 | 2.0 | "first"`, `null | 3 | 7.0 | "first"`,
				`"b" | 1 | 2.0 | "none"`, `null | 3 | 7.0 | "none"`)},
		c("one .over(…) around several windows", "shares", false,
			`"a" | 1 | 0.25 | null`, `"a" | 2 | null | null`, `null | 3 | 1.0 | null`, `"b" | 1 | 1.0 | null`, `"a" | 4 | 0.75 | null`),
	}
}

func sorted(rows ...string) []string {
	sortStrings(rows)
	return rows
}
