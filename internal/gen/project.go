// Package gen generates .feat projects of a given size for benchmarks: a realistic mix of
// arithmetic, conditionals, string and date functions, aggregations and features that read
// other features.
package gen

import (
	"fmt"
	"math/rand"
	"strings"
)

// Schema is the source every generated feature reads.
const Schema = `source events {
    customer_id: int64
    amount: float64
    fee: float64
    qty: int64
    status: string
    name: string
    created_at: timestamp
    day: date
}

param now: timestamp
`

// Project returns the text of a project with n features, 100 per block, one block in ten an
// aggregation, as a single file.
func Project(n int, seed int64) string {
	r := rand.New(rand.NewSource(seed))
	var b strings.Builder
	b.WriteString(Schema)
	for block := 0; block*100 < n; block++ {
		count := min(100, n-block*100)
		if block%10 == 9 {
			fmt.Fprintf(&b, "\nframe agg_%d = events\n    .group_by(customer_id, month = day.dt.truncate(\"1mo\"))\n    .agg(\n", block)
			for i := 0; i < count; i++ {
				fmt.Fprintf(&b, "        a%d = %s,\n", i, aggExpr(r, i))
			}
			b.WriteString("    )\n")
			continue
		}
		fmt.Fprintf(&b, "\nfeatures block_%d from events.filter(amount > %d) {\n", block, block)
		for i := 0; i < count; i++ {
			fmt.Fprintf(&b, "    f%d = %s\n", i, rowExpr(r, i))
		}
		b.WriteString("}\n")
	}
	return b.String()
}

func aggExpr(r *rand.Rand, i int) string {
	switch r.Intn(6) {
	case 0:
		return "amount.sum()"
	case 1:
		return fmt.Sprintf("(amount * %d.5).mean()", r.Intn(9))
	case 2:
		return "qty.max() - qty.min()"
	case 3:
		return `when(status == "paid").then(amount).otherwise(0.0).sum()`
	case 4:
		return "name.n_unique()"
	default:
		return "amount.std() / (amount.mean() + 1.0)"
	}
}

func rowExpr(r *rand.Rand, i int) string {
	prev := ""
	if i > 0 {
		prev = fmt.Sprintf("f%d", r.Intn(i))
	}
	switch r.Intn(9) {
	case 0:
		return fmt.Sprintf("amount * %d.5 + fee", r.Intn(9))
	case 1:
		return fmt.Sprintf("(amount - fee) / (qty + %d)", r.Intn(5)+1)
	case 2:
		return fmt.Sprintf(`when(status == "paid").then(amount).when(qty > %d).then(fee).otherwise(0.0)`, r.Intn(10))
	case 3:
		return `name.str.lower().str.contains("vip")`
	case 4:
		return "(now - created_at).dt.days()"
	case 5:
		return "created_at.dt.hour() >= 18 or day.dt.weekday() >= 6"
	case 6:
		return `day.dt.truncate("1mo")`
	case 7:
		if prev != "" {
			return fmt.Sprintf("%s.is_null() and amount > %d", prev, r.Intn(100))
		}
		return "amount.is_null()"
	default:
		return fmt.Sprintf("round(amount.clip(0, %d) * 1.1, 2)", r.Intn(1000)+1)
	}
}

// Block returns the text of a project with one features block of n features over events,
// features reading earlier features as in Project.
func Block(n int, seed int64) string {
	r := rand.New(rand.NewSource(seed))
	var b strings.Builder
	b.WriteString(Schema)
	b.WriteString("\nfeatures wide from events {\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "    f%d = %s\n", i, rowExpr(r, i))
	}
	b.WriteString("}\n")
	return b.String()
}

// Chain returns a project of n features each reading the one before: the deepest dependencies.
func Chain(n int) string {
	var b strings.Builder
	b.WriteString(Schema)
	b.WriteString("\nfeatures chain from events {\n    f0 = amount\n")
	for i := 1; i < n; i++ {
		fmt.Fprintf(&b, "    f%d = f%d * 1.5 + fee\n", i, i-1)
	}
	b.WriteString("}\n")
	return b.String()
}

// Rows returns n rows of the events source, seeded, with nulls, as Go values (nil for null,
// timestamps and dates as text).
func Rows(n int, seed int64) [][]any {
	r := rand.New(rand.NewSource(seed))
	statuses := []string{"paid", "open", "void", "PAID"}
	names := []string{"ann", "VIP bob", "cy-vip", "dé", ""}
	out := make([][]any, n)
	for i := range out {
		row := []any{int(r.Intn(100)), float64(r.Intn(20000))/100 - 50, float64(r.Intn(500)) / 100, int(r.Intn(10)),
			statuses[r.Intn(len(statuses))], names[r.Intn(len(names))],
			fmt.Sprintf("2024-%02d-%02dT%02d:%02d:00", 1+r.Intn(12), 1+r.Intn(28), r.Intn(24), r.Intn(60)),
			fmt.Sprintf("2024-%02d-%02d", 1+r.Intn(12), 1+r.Intn(28))}
		for c := 1; c < len(row); c++ {
			if r.Intn(20) == 0 {
				row[c] = nil
			}
		}
		out[i] = row
	}
	return out
}
