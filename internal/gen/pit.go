package gen

import (
	"fmt"
	"math"
	"math/rand"
	"sort"

	"github.com/featc/featc/types"
)

// PIT configures a generated point-in-time data set: customers' daily account balances and
// their orders over a period, and a spine of observation times.
type PIT struct {
	Customers int
	Days      int
	// Observations is the number of spine rows (customer, t), t within the period.
	Observations int
	// OrdersPerDay is the mean number of orders per customer per day.
	OrdersPerDay float64
	Seed         int64
}

// PITData holds the generated rows, in the schemas of testdata/examples/customers.
type PITData struct {
	Balances, Orders, Spine [][]types.Value
}

// pitStart is the first day of every generated period: 2022-01-01.
const pitStart = 18993

// Generate returns the data set: balances (customer_id, day, balance, account_type,
// recorded_at), orders (order_id, customer_id, created_at, amount, status) and the spine
// (customer_id, t). About 2% of balances and amounts are null, some account types and statuses
// are null, and 5% of balances are recorded late (one to ten days after their day), so that a
// balance is known only from its recorded_at on. Timestamps have microseconds.
func (c PIT) Generate() PITData {
	r := rand.New(rand.NewSource(c.Seed))
	var d PITData
	types2 := []string{"checking", "savings", "credit"}
	statuses := []string{"paid", "paid", "paid", "refunded", "pending"}
	const day = int64(86_400_000_000)
	orderSeq := 0
	for cust := 1; cust <= c.Customers; cust++ {
		acct := types.StringValue(types2[r.Intn(len(types2))])
		if r.Intn(50) == 0 {
			acct = types.NullValue(types.StringT)
		}
		bal := float64(r.Intn(500000)) / 100
		for dd := 0; dd < c.Days; dd++ {
			bal += float64(r.Intn(20001)-10000) / 100
			date := int64(pitStart + dd)
			recorded := (date*day + 23*3_600_000_000 + int64(r.Intn(3_600_000_000)))
			if r.Intn(20) == 0 {
				recorded += int64(1+r.Intn(10)) * day
			}
			b := types.Float64Value(round2(bal))
			if r.Intn(50) == 0 {
				b = types.NullValue(types.Float64T)
			}
			d.Balances = append(d.Balances, []types.Value{types.Int64Value(int64(cust)), types.DateValue(date), b, acct, types.TimestampValue(recorded)})
			n := poisson(r, c.OrdersPerDay)
			for k := 0; k < n; k++ {
				orderSeq++
				at := date*day + int64(r.Int63n(day))
				amt := types.Float64Value(float64(r.Intn(100000)) / 100)
				if r.Intn(50) == 0 {
					amt = types.NullValue(types.Float64T)
				}
				st := types.StringValue(statuses[r.Intn(len(statuses))])
				if r.Intn(40) == 0 {
					st = types.NullValue(types.StringT)
				}
				d.Orders = append(d.Orders, []types.Value{types.StringValue(fmt.Sprintf("o%08d", orderSeq)), types.Int64Value(int64(cust)),
					types.TimestampValue(at), amt, st})
			}
		}
	}
	span := int64(c.Days) * day
	for i := 0; i < c.Observations; i++ {
		cust := 1 + r.Intn(c.Customers)
		t := int64(pitStart)*day + r.Int63n(span)
		d.Spine = append(d.Spine, []types.Value{types.Int64Value(int64(cust)), types.TimestampValue(t)})
	}
	sort.SliceStable(d.Spine, func(i, j int) bool {
		if d.Spine[i][0].I != d.Spine[j][0].I {
			return d.Spine[i][0].I < d.Spine[j][0].I
		}
		return d.Spine[i][1].I < d.Spine[j][1].I
	})
	return d
}

func round2(f float64) float64 { return float64(int64(f*100)) / 100 }

// poisson draws from a Poisson distribution of mean m (Knuth's method; m is small).
func poisson(r *rand.Rand, m float64) int {
	if m <= 0 {
		return 0
	}
	l, k, p := expNeg(m), 0, 1.0
	for {
		p *= r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

func expNeg(m float64) float64 { return math.Exp(-m) }
