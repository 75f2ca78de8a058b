package eval_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/featc/featc/eval"
)

func TestAccountsExample(t *testing.T) {
	p := compile(t, `
source customer_accounts { customer_id: int64, date: date, balance: float64, account_type: string }

frame monthly_balances = customer_accounts
    .group_by(customer_id, month = date.dt.truncate("1mo"))
    .agg(monthly_avg_balance = balance.mean())

frame account_features = monthly_balances
    .group_by(customer_id)
    .agg(avg_monthly_balance = monthly_avg_balance.mean(), months_seen = len())
`)
	rec := record(t, schemaOf(p, "customer_accounts"),
		[]any{1, "2024-01-05", 100.0, "checking"},
		[]any{1, "2024-01-20", 300.0, "checking"},
		[]any{1, "2024-02-03", 50.0, "savings"},
		[]any{2, "2024-01-31", nil, "checking"},
		[]any{2, "2024-03-01", 10.0, "checking"},
	)
	res := run(t, p, eval.Inputs{"customer_accounts": rec}, nil)
	defer res.Release()
	require.Equal(t, []string{
		"1 | @2024-01-01 | 200.0",
		"1 | @2024-02-01 | 50.0",
		"2 | @2024-01-01 | null",
		"2 | @2024-03-01 | 10.0",
	}, rows(t, res, "monthly_balances", false))
	// Customer 1: months 200 and 50 → 125; customer 2: null is skipped → 10, two months.
	require.Equal(t, []string{
		"1 | 125.0 | 2",
		"2 | 10.0 | 2",
	}, rows(t, res, "account_features", false))
}
