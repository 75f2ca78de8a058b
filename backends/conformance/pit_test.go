package conformance_test

import (
	"context"
	"fmt"
	"os"
	"sort"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/featc/featc"
	"github.com/featc/featc/backends/sqlgen"
	"github.com/featc/featc/backends/sqlrun"
	"github.com/featc/featc/eval"
	"github.com/featc/featc/internal/cases"
	"github.com/featc/featc/internal/gen"
	"github.com/featc/featc/ir"
	"github.com/featc/featc/ir/types"
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

// pitEval computes customer_at on the evaluator, rows rendered and sorted.
func pitEval(tb testing.TB, p *featc.Program, in pitInputs) []string {
	mem := memory.DefaultAllocator
	ev, err := eval.New(p, eval.Outputs("customer_at"))
	if err != nil {
		tb.Fatal(err)
	}
	recs := eval.Inputs{
		"balances":    eval.ValuesRecord(mem, p.IR().Def("balances").Schema, in.balances),
		"orders":      eval.ValuesRecord(mem, p.IR().Def("orders").Schema, in.orders),
		"customer_at": eval.ValuesRecord(mem, spineSchema(p), in.spine),
	}
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
	ctx := context.Background()
	conn, done := e.open(t)
	defer done()
	for name, rows := range map[string][][]types.Value{"balances": in.balances, "orders": in.orders} {
		load(t, ctx, conn, e.d, name, p.IR().Def(name).Schema, rows)
	}
	load(t, ctx, conn, e.d, "observations", spineSchema(p), in.spine)
	st, err := sqlgen.CompileOutput(p.IR(), e.d, "customer_at", sqlgen.Options{Spines: map[string]sqlgen.Relation{"customer_at": {Table: "observations"}}})
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
				diffRows(t, e.name+" with future rows", pitEngine(t, e, p, after), want)
			})
		}
	}
}

func diffRows(t *testing.T, who string, got, want []string) {
	t.Helper()
	sort.Strings(got)
	sort.Strings(want)
	if len(got) != len(want) {
		t.Fatalf("%s: %d rows, want %d", who, len(got), len(want))
	}
	n := 0
	for i := range want {
		if !cases.SameRow(got[i], want[i]) {
			t.Errorf("%s row %d:\n got  %s\n want %s", who, i, got[i], want[i])
			if n++; n == 5 {
				t.FailNow()
			}
		}
	}
}
