package conformance_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/featc/featc"
	"github.com/featc/featc/backends/snowflake"
	"github.com/featc/featc/backends/sqlgen"
	"github.com/featc/featc/backends/sqlrun"
	"github.com/featc/featc/eval"
	"github.com/featc/featc/internal/cases"
	"github.com/featc/featc/internal/gen"
	"github.com/featc/featc/ir"
	"github.com/featc/featc/types"
)

const customersDir = "../../testdata/examples/customers"

func customersProgram(tb testing.TB) *featc.Program {
	p, err := featc.Compile(os.DirFS(customersDir), featc.Outputs("customer_at"))
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// spineSchema is the schema of customer_at's spine rows.
func spineSchema(p *featc.Program) ir.Schema {
	return ir.ApplyOf(p.IR().Def("customer_at").Rel).Spine.Schema()
}

// pitInputs are the rows of one point-in-time computation.
type pitInputs struct {
	balances, orders, spine [][]types.Value
}

// records makes the evaluator's inputs of customer_at.
func (in pitInputs) records(p *featc.Program) eval.Inputs {
	mem := memory.DefaultAllocator
	return eval.Inputs{
		"balances":    eval.ValuesRecord(mem, p.IR().Def("balances").Schema, in.balances),
		"orders":      eval.ValuesRecord(mem, p.IR().Def("orders").Schema, in.orders),
		"customer_at": eval.ValuesRecord(mem, spineSchema(p), in.spine),
	}
}

// pitEval computes customer_at on the evaluator, rows rendered and sorted.
func pitEval(tb testing.TB, p *featc.Program, in pitInputs) []string {
	ev, err := eval.New(p.IR(), eval.Outputs("customer_at"))
	if err != nil {
		tb.Fatal(err)
	}
	recs := in.records(p)
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	res, err := ev.Run(context.Background(), recs, nil)
	if err != nil {
		tb.Fatal(err)
	}
	defer res.Release()
	return render(res.Table("customer_at").Rows(), false)
}

// pitEngine computes customer_at on an engine, the inputs loaded into tables.
func pitEngine(t *testing.T, e engine, p *featc.Program, in pitInputs) []string {
	return pitEngineOpts(t, e, p, in, sqlgen.Options{})
}

// pitEngineOpts is pitEngine with options (the strategy).
func pitEngineOpts(t *testing.T, e engine, p *featc.Program, in pitInputs, opts sqlgen.Options) []string {
	ctx := context.Background()
	conn, done := e.open(t)
	defer done()
	for _, tb := range []struct {
		name   string
		schema ir.Schema
		rows   [][]types.Value
	}{{"balances", p.IR().Def("balances").Schema, in.balances}, {"orders", p.IR().Def("orders").Schema, in.orders}, {"observations", spineSchema(p), in.spine}} {
		loadFast(t, ctx, conn, e, tb.name, tb.schema, tb.rows)
	}
	opts.Spines = map[string]sqlgen.Relation{"customer_at": {Table: "observations"}}
	st, err := sqlgen.CompileOutput(p.IR(), e.d, "customer_at", opts)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := sqlrun.Query(ctx, conn, st)
	if err != nil {
		t.Fatalf("%v\n%s", err, firstLines(st.SQL, 80))
	}
	return render(rows, false)
}

// TestPointInTime computes the realistic example's entity features for a generated spine on the
// evaluator and every engine: the same rows, row by row.
func TestPointInTime(t *testing.T) {
	p := customersProgram(t)
	d := gen.PIT{Customers: 25, Days: 150, Observations: 300, OrdersPerDay: 0.4, Seed: 1}.Generate()
	in := pitInputs{d.Balances, d.Orders, d.Spine}
	want := pitEval(t, p, in)
	if len(want) != len(d.Spine) {
		t.Fatalf("%d rows for %d spine rows", len(want), len(d.Spine))
	}
	for _, e := range engines(t) {
		t.Run(e.name, func(t *testing.T) {
			got := pitEngine(t, e, p, in)
			diffRows(t, e.name, got, want)
		})
	}
}

// TestNoLeakage is the point-in-time property: rows stamped after an observation's time
// (orders created later, balances recorded later, whatever day they are for) never change the
// features at that time, on the evaluator and on every engine.
func TestNoLeakage(t *testing.T) {
	p := customersProgram(t)
	const day = int64(86_400_000_000)
	for seed := int64(1); seed <= 3; seed++ {
		d := gen.PIT{Customers: 15, Days: 120, Observations: 200, OrdersPerDay: 0.5, Seed: seed}.Generate()
		// The cutoff: observations up to it; the rows of another data set stamped after it.
		cutoff := int64(18993)*day + int64(40+20*seed)*day + 12*3_600_000_000
		var spine [][]types.Value
		for _, r := range d.Spine {
			if r[1].I <= cutoff {
				spine = append(spine, r)
			}
		}
		future := gen.PIT{Customers: 15, Days: 120, Observations: 0, OrdersPerDay: 0.5, Seed: seed + 100}.Generate()
		balances, orders := append([][]types.Value{}, d.Balances...), append([][]types.Value{}, d.Orders...)
		added := 0
		for _, r := range future.Balances {
			if r[4].I > cutoff { // recorded after the cutoff, possibly for a day before it
				balances = append(balances, r)
				added++
			}
		}
		for _, r := range future.Orders {
			if r[2].I > cutoff {
				r = append([]types.Value{types.StringValue("f" + r[0].S)}, r[1:]...)
				orders = append(orders, r)
				added++
			}
		}
		if added == 0 || len(spine) < 20 {
			t.Fatalf("seed %d: %d future rows, %d observations: the test would prove nothing", seed, added, len(spine))
		}
		before := pitInputs{d.Balances, d.Orders, spine}
		after := pitInputs{balances, orders, spine}
		want := pitEval(t, p, before)
		diffRows(t, fmt.Sprintf("seed %d: the evaluator with future rows", seed), pitEval(t, p, after), want)
		for _, e := range engines(t) {
			t.Run(fmt.Sprintf("%s/seed%d", e.name, seed), func(t *testing.T) {
				diffRows(t, e.name+" without future rows", pitEngine(t, e, p, before), want)
				for _, strategy := range []string{sqlgen.StrategyCorrelated, sqlgen.StrategyJoin} {
					o := sqlgen.Options{EntityStrategy: strategy}
					diffRows(t, e.name+" "+strategy+", with future rows", pitEngineOpts(t, e, p, after, o), want)
				}
			})
		}
	}
}

func diffRows(t *testing.T, who string, got, want []string) {
	t.Helper()
	diffRowsAbs(t, who, got, want, 0)
}

// diffRowsAbs is diffRows accepting float differences up to abs (cases.SameRowSummed).
func diffRowsAbs(t *testing.T, who string, got, want []string, abs float64) {
	t.Helper()
	sort.Strings(got)
	sort.Strings(want)
	if len(got) != len(want) {
		t.Fatalf("%s: %d rows, want %d", who, len(got), len(want))
	}
	n := 0
	for i := range want {
		if !cases.SameRowSummed(got[i], want[i], abs) {
			t.Errorf("%s row %d:\n got  %s\n want %s", who, i, got[i], want[i])
			if n++; n == 5 {
				t.FailNow()
			}
		}
	}
}

// TestPointInTimeJoinStrategy computes the example's features by the join strategy Snowflake
// uses, on DuckDB and Postgres, against the evaluator.
func TestPointInTimeJoinStrategy(t *testing.T) {
	p := customersProgram(t)
	d := gen.PIT{Customers: 20, Days: 120, Observations: 250, OrdersPerDay: 0.4, Seed: 5}.Generate()
	in := pitInputs{d.Balances, d.Orders, d.Spine}
	want := pitEval(t, p, in)
	for _, e := range engines(t) {
		t.Run(e.name, func(t *testing.T) {
			diffRows(t, e.name+" (join strategy)", pitEngineOpts(t, e, p, in, sqlgen.Options{EntityStrategy: sqlgen.StrategyJoin}), want)
		})
	}
	// The strategy refuses what it does not write, naming the feature.
	src := `source orders { customer_id: int64, created_at: timestamp, amount: float64 }
entity customer { customer_id: int64 }
features f for customer at t {
    past    = orders.filter(created_at < t).with_columns(rk = amount.rank().over(customer_id))
    again   = past.with_columns(prev = rk.shift(1).over(order_by = created_at))
    n_big   = again.filter(prev <= 3).len()
}
`
	q, err := featc.CompileSources([]featc.Source{{Name: "f.feat", Text: src}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = sqlgen.CompileOutput(q.IR(), snowflake.Dialect, "f", sqlgen.Options{Spines: map[string]sqlgen.Relation{"f": {Table: "obs"}}})
	if err == nil || !strings.Contains(err.Error(), "feature n_big of f cannot be computed on snowflake: one of its frames computes window functions over the results of window functions") {
		t.Fatalf("Snowflake: %v, want a refusal of n_big", err)
	}
}

// TestJoinStrategyMultiKey: an entity of two keys, by both strategies, against the evaluator,
// over generated messages with nulls, ties and rows after the spine times; frames compute
// columns (over the source and the spine's time), filter and rename them, join a table of
// people (inner and left, with duplicate, missing and null keys), filter by other features
// (of the spine only, of aggregates two levels deep, and aggregates written inline), and
// aggregate frames of every entity (without the key) and the first rows of sorted frames (ties
// broken by the other columns, an offset, nulls last).
func TestJoinStrategyMultiKey(t *testing.T) {
	defer logCells(t)
	src := conversationSources + `features conversation_history for conversation at asked_at {
    history       = messages.filter(sent_at < asked_at)
    recent        = history.filter(sent_at >= asked_at - 2d, flagged.is_not_null())
    n_messages    = history.len()
    avg_length    = history.length.mean()
    first_message = history.sent_at.min()
    any_flagged   = history.flagged.any()
    all_flagged   = recent.flagged.all()
    n_lengths     = recent.length.n_unique()
    age_days      = (asked_at - first_message).dt.days()
    per_day       = n_messages / (age_days + 1)
    scored        = history.with_columns(weight = length * 2 + 1, long = length > 20, hours = (asked_at - sent_at).dt.hours())
    long_ones     = scored.filter(long).select(sender_id, recipient_id, sent_at, w = weight)
    weight_sum    = scored.weight.sum()
    n_long        = long_ones.len()
    last_weight   = long_ones.w.last(order_by = sent_at)
    mean_hours    = scored.filter(hours < 48).hours.mean()
    rated         = history.join(people, on = sender_id).filter(score > 0.5)
    n_rated       = rated.len()
    matched       = history.join(people, on = sender_id)
    n_matched     = matched.len()
    matched_len   = matched.length.sum()
    mean_score    = rated.score.mean()
    tiered        = scored.join(people, on = sender_id, how = "left")
    n_tiered      = tiered.len()
    n_untiered    = tiered.filter(tier.is_null()).len()
    heavy_tiers   = tiered.filter(weight > 30).tier.n_unique()
    cutoff        = asked_at - 1d
    n_recent      = history.filter(sent_at >= cutoff).len()
    n_long_avg    = history.filter(length > avg_length).len()
    n_long_inline = recent.filter(length > history.length.mean() - 5).length.sum()
    all_recent    = messages.filter(sent_at < asked_at, sent_at >= asked_at - 1d).len()
    rated_people  = people.filter(score > 0.5).tier.n_unique()
    last_anyone   = messages.filter(sent_at < asked_at).length.last(order_by = sent_at)
    n_holidays    = holidays.len()
    devs          = history.with_columns(d = (length.cast(float64) - avg_length).cum_sum().over(order_by = sent_at))
    dev_sum       = devs.d.sum()
    twice         = history.join(people, on = sender_id, how = "left").join(people, on = tier)
    n_twice       = twice.len()
    earlier       = messages.filter(sent_at < asked_at - 1d, length.is_not_null())
    pairs         = history.join(earlier, on = length)
    n_pairs       = pairs.len()
    pair_flags    = pairs.filter(flagged_right).len()
    n_left_pairs  = recent.join(earlier, on = length, how = "left").filter(sent_at_right.is_null()).len()
    last3         = history.sort(sent_at, descending = true).limit(3)
    mean_last3    = last3.length.mean()
    n_flag_last3  = last3.filter(flagged).len()
    second_third  = history.filter(flagged.is_not_null()).sort(length, sent_at).limit(2, offset = 1).length.sum()
    heavy_last    = scored.sort(weight, descending = true, nulls_last = true).limit(2).hours.max()
    n_heavier     = scored.filter(weight > n_long_avg * 3).len()
    heavier_share = n_heavier / (n_messages + 1)
}
`
	checkConversations(t, src, "conversation_history", 9, []string{"", sqlgen.StrategyCorrelated, sqlgen.StrategyJoin})
}

// conversationSources are the sources of the conversation tests; conversationData their rows:
// messages with nulls, ties and rows after the spine times, people with duplicate, missing and
// null sender keys, an empty holidays table, and a spine of two keys and a time.
const conversationSources = `source messages { sender_id: int64, recipient_id: int64, sent_at: timestamp, length: int64, flagged: bool }
source people { sender_id: int64, tier: string, score: float64 }
source holidays { day: date }
entity conversation { sender_id: int64, recipient_id: int64 }
`

func conversationData(seed int64) (msgs, people, spine [][]types.Value) {
	r := rand.New(rand.NewSource(seed))
	const day = int64(86_400_000_000)
	maybe := func(v types.Value) types.Value {
		if r.Intn(15) == 0 {
			return types.NullValue(v.Type)
		}
		return v
	}
	for i := 0; i < 400; i++ {
		msgs = append(msgs, []types.Value{maybe(types.Int64Value(int64(r.Intn(4)))), maybe(types.Int64Value(int64(r.Intn(4)))),
			types.TimestampValue(int64(r.Intn(10))*day + int64(r.Intn(4))*3_600_000_000), maybe(types.Int64Value(int64(r.Intn(50)))),
			maybe(types.BoolValue(r.Intn(3) == 0))})
	}
	for i := 0; i < 6; i++ {
		people = append(people, []types.Value{maybe(types.Int64Value(int64(r.Intn(5)))),
			maybe(types.StringValue([]string{"gold", "silver", "bronze"}[r.Intn(3)])), maybe(types.Float64Value(r.Float64()))})
	}
	for i := 0; i < 60; i++ {
		spine = append(spine, []types.Value{maybe(types.Int64Value(int64(r.Intn(5)))), types.Int64Value(int64(r.Intn(4))),
			types.TimestampValue(int64(r.Intn(12))*day + int64(r.Intn(24))*3_600_000_000)})
	}
	return msgs, people, spine
}

// checkConversations computes entity features block over the conversation data on the
// evaluator and, by each strategy, on every engine, and requires the same rows.
func checkConversations(t *testing.T, src, block string, seed int64, strategies []string) {
	t.Helper()
	p, err := featc.CompileSources([]featc.Source{{Name: "pairs.feat", Text: src}})
	if err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	msgs, people, spine := conversationData(seed)
	spineSchema := ir.ApplyOf(p.IR().Def(block).Rel).Spine.Schema()
	mem := memory.DefaultAllocator
	ev, err := eval.New(p.IR(), eval.Outputs(block))
	if err != nil {
		t.Fatal(err)
	}
	res, err := ev.Run(context.Background(), eval.Inputs{
		"messages": eval.ValuesRecord(mem, p.IR().Def("messages").Schema, msgs),
		"people":   eval.ValuesRecord(mem, p.IR().Def("people").Schema, people),
		"holidays": eval.ValuesRecord(mem, p.IR().Def("holidays").Schema, nil), // empty
		block:      eval.ValuesRecord(mem, spineSchema, spine)}, nil)
	if err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	want := render(res.Table(block).Rows(), false)
	res.Release()
	ctx := context.Background()
	for _, e := range engines(t) {
		for _, strategy := range strategies {
			t.Run(e.name+"/"+strategy, func(t *testing.T) {
				conn, done := e.open(t)
				defer done()
				load(t, ctx, conn, e.d, "messages", p.IR().Def("messages").Schema, msgs)
				load(t, ctx, conn, e.d, "people", p.IR().Def("people").Schema, people)
				load(t, ctx, conn, e.d, "holidays", p.IR().Def("holidays").Schema, nil)
				load(t, ctx, conn, e.d, "asks", spineSchema, spine)
				st, err := sqlgen.CompileOutput(p.IR(), e.d, block, sqlgen.Options{EntityStrategy: strategy,
					Spines: map[string]sqlgen.Relation{block: {Table: "asks"}}})
				if why := declaredRefusal(e.d, err, capCorrelatedWindow); strategy == sqlgen.StrategyCorrelated && why != "" {
					// Declared: DuckDB cannot compute such windows in correlated subqueries; its
					// default strategy takes the range join for them (checked below).
					cellRefused(t, e.name, why, err)
					return
				}
				if err != nil {
					t.Fatalf("%v\n%s", err, src)
				}
				cellRan(t, e.name)
				rows, err := sqlrun.Query(ctx, conn, st)
				if err != nil {
					t.Fatalf("%v\n%s\n%s", err, src, firstLines(st.SQL, 60))
				}
				diffRows(t, e.name, render(rows, false), append([]string{}, want...))
				if t.Failed() {
					t.Log(src)
				}
			})
		}
	}
}

// TestPointInTimeFullSize is TestPointInTime at the size (10,000 customers × 3 years,
// 14M events, 100,000 observations) on the evaluator, DuckDB and Postgres, row by row. It takes minutes
// and gigabytes, so it runs when FEATC_PIT_FULL=1 (make bench does not run tests; run it by
// hand: FEATC_PIT_FULL=1 go test ./backends/conformance -run FullSize -timeout 30m).
func TestPointInTimeFullSize(t *testing.T) {
	if os.Getenv("FEATC_PIT_FULL") != "1" {
		t.Skip("FEATC_PIT_FULL=1 runs the full-size comparison (minutes, gigabytes)")
	}
	p := customersProgram(t)
	d := gen.PIT{Customers: 10_000, Days: 1095, Observations: 100_000, OrdersPerDay: 0.3, Seed: 7}.Generate()
	in := pitInputs{d.Balances, d.Orders, d.Spine}
	want := pitEval(t, p, in)
	for _, e := range engines(t) {
		start := time.Now()
		// Each engine's default strategy (correlated subqueries would rescan 14M rows per
		// observation on Postgres, which takes the range join). Balances of thousands average
		// to near zero over some windows: an engine may add them in another order (on
		// Postgres 1 row in 100,000 differed by 2e-14).
		diffRowsAbs(t, e.name, pitEngine(t, e, p, in), want, 1e-9)
		if e.d.Caps.EntityJoin == sqlgen.JoinNever {
			diffRowsAbs(t, e.name+" by the join strategy", pitEngineOpts(t, e, p, in, sqlgen.Options{EntityStrategy: sqlgen.StrategyJoin}), want, 1e-9)
		}
		t.Logf("%s: %d observations over %d events equal to the evaluator (%s, loading included)", e.name, len(d.Spine), len(d.Balances)+len(d.Orders), time.Since(start).Round(time.Second))
	}
}

// loadFast loads rows into a temporary table by the engine's bulk path (DuckDB's appender,
// Postgres' COPY), or by INSERTs where it has none.
func loadFast(t *testing.T, ctx context.Context, conn *sql.Conn, e engine, name string, schema ir.Schema, rows [][]types.Value) {
	t.Helper()
	if err := e.eng.LoadTemp(ctx, conn, name, schema, rows); err != nil {
		t.Fatalf("load %s: %v", name, err)
	}
}
