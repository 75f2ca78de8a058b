package sqlgen

import (
	"fmt"
	"strings"

	"github.com/featc/featc/types"
)

// aggSQL writes the aggregates (stdlib/agg.go). Each template writes {over} (or uses
// Call.Over) after every aggregate call it makes, so that the same entry computes the
// aggregate over a window partition where it is Windowed; the others are computed over a
// partition by a correlated subquery (partitionAgg) on engines with LATERAL.
var aggSQL = Table{
	"count": {SQL: "COUNT({0}){over}", Windowed: true, OverSQL: "CAST(COUNT({0}){over} AS BIGINT)"},
	"len":   {SQL: "COUNT(*){over}", Windowed: true, OverSQL: "CAST(COUNT(*){over} AS BIGINT)"},
	// The sum of no values is 0, as in Polars.
	"sum_int64":    {SQL: "COALESCE(CAST(SUM({0}){over} AS {type}), CAST(0 AS {type}))", Windowed: true},
	"sum_duration": {SQL: "COALESCE(CAST(SUM({0}){over} AS {type}), CAST(0 AS {type}))", Windowed: true},
	"sum_decimal":  {SQL: "COALESCE(CAST(SUM({0}){over} AS {type}), CAST(0 AS {type}))", Windowed: true},
	"sum_float64":  {SQL: "COALESCE(SUM({0}){over}, CAST(0 AS {type}))", Windowed: true},
	"mean":         {SQL: "AVG({0}){over}", Windowed: true},
	"min":          {SQL: "MIN({0}){over}", Windowed: true},
	"max":          {SQL: "MAX({0}){over}", Windowed: true},
	"min_string":   {Fn: func(c *Call) (Expr, error) { return c.D.Expr("MIN(%s)%s", c.D.collate(c.Args[0]), c.Over), nil }, Windowed: true},
	"max_string":   {Fn: func(c *Call) (Expr, error) { return c.D.Expr("MAX(%s)%s", c.D.collate(c.Args[0]), c.Over), nil }, Windowed: true},
	"std":          {Fn: func(c *Call) (Expr, error) { return deviation(c, "STDDEV") }, Windowed: true},
	"var":          {Fn: func(c *Call) (Expr, error) { return deviation(c, "VAR") }, Windowed: true},
	"first":        {Fn: first},
	"last":         {Fn: last},
	"median":       {SQL: "PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY {0})"},
	"quantile":     {Fn: quantile},
	"n_unique":     {Fn: nUnique},
	"any":          {SQL: "COALESCE(BOOL_OR({0}){over}, FALSE)", Windowed: true},
	"all":          {SQL: "COALESCE(BOOL_AND({0}){over}, TRUE)", Windowed: true},
}

func first(c *Call) (Expr, error) { return c.use(c.D.Helpers.First(), firstArgs(c, false)...), nil }
func last(c *Call) (Expr, error)  { return c.use(c.D.Helpers.First(), firstArgs(c, true)...), nil }

// nUnique writes n_unique: null counts as one more distinct value, as in Polars. The range
// join passes whether each of the frame's rows holds a null as a second argument (its other
// rows are null too).
func nUnique(c *Call) (Expr, error) {
	if len(c.Args) == 2 {
		return c.Fill("CAST(COUNT(DISTINCT {0}){over} + COALESCE(MAX({1}){over}, 0) AS {type})", PrecAtom), nil
	}
	return c.Fill("CAST(COUNT(DISTINCT {0}){over} + COALESCE(MAX(CASE WHEN {0} IS NULL THEN 1 ELSE 0 END){over}, 0) AS {type})", PrecAtom), nil
}

// deviation writes std or var with the sample or population form, or the general ddof formula.
func deviation(c *Call, base string) (Expr, error) {
	ddof, err := c.Const(1)
	if err != nil {
		return Expr{}, err
	}
	x := c.Args[0].SQL
	switch ddof.I {
	case 1:
		return c.D.deviation(base+"_SAMP", x, c.Over), nil
	case 0:
		return c.D.deviation(base+"_POP", x, c.Over), nil
	}
	// var with ddof d: population variance · n / (n − d), null with n ≤ d.
	v := fmt.Sprintf("CASE WHEN COUNT(%[1]s)%[3]s <= %[2]d THEN NULL ELSE %[4]s * COUNT(%[1]s)%[3]s / (COUNT(%[1]s)%[3]s - %[2]d) END", x, ddof.I, c.Over, Paren(c.D.deviation("VAR_POP", x, c.Over)))
	if base == "STDDEV" {
		return c.D.Expr("SQRT(%s)", v), nil
	}
	return c.D.Expr("%s", v), nil
}

// quantile writes x.quantile(q, interpolation): linear as PERCENTILE_CONT; the others pick
// elements of the sorted non-null values at h = q·(n − 1), computed in float64 as the evaluator
// does (docs/semantics.md).
func quantile(c *Call) (Expr, error) {
	interp, err := c.Const(2)
	if err != nil {
		return Expr{}, err
	}
	if _, err := c.Const(1); err != nil {
		return Expr{}, err
	}
	x, q := c.Args[0], c.Args[1]
	if interp.S == "linear" {
		return c.D.Expr("PERCENTILE_CONT(%s) WITHIN GROUP (ORDER BY %s)%s", q.SQL, x.SQL, c.Over), nil
	}
	h := fmt.Sprintf("%s * (COUNT(%s)%s - 1)", Paren(q), x.SQL, c.Over)
	at := func(index string) string {
		return c.use(c.D.Helpers.NthSorted(), x, atom("CAST("+index+" AS INTEGER)")).SQL
	}
	lo, hi := at("FLOOR("+h+")"), at("CEILING("+h+")")
	switch interp.S {
	case "lower":
		return c.D.Expr("%s", lo), nil
	case "higher":
		return c.D.Expr("%s", hi), nil
	case "nearest":
		return c.D.Expr("%s", at(c.D.use(c.D.Helpers.RoundEven(), atom(h)).SQL)), nil
	case "midpoint":
		return c.D.Expr("(%s + %s) / 2", lo, hi).withPrec(PrecMul), nil
	}
	return Expr{}, fmt.Errorf("unknown interpolation %q", interp.S)
}

// firstArgs prepares first and last for the dialect's @first helper, which takes the value
// and an ORDER BY list and a FILTER condition written out, and the result's SQL type: first is the smallest non-null value
// among the rows first in the order (last: the largest among the rows last in it), skipping
// rows with a null order key (docs/semantics.md).
func firstArgs(c *Call, last bool) []Expr {
	var order, filter []string
	for _, k := range c.Order {
		desc := k.Descending != last
		item := Paren(k.Expr)
		if k.IsString {
			item = c.D.collate(k.Expr)
		}
		if desc {
			item += " DESC"
		}
		order = append(order, item)
		filter = append(filter, Paren(k.Expr)+" IS NOT NULL")
	}
	x := Paren(c.Args[0])
	if c.Types[0].Kind == types.String {
		x = c.D.collate(c.Args[0])
	}
	if last {
		x += " DESC"
	}
	order = append(order, x+" NULLS LAST")
	return []Expr{c.Args[0], atom(strings.Join(order, ", ")), atom(strings.Join(filter, " AND ")), atom(c.D.TypeName(c.Result))}
}

// deviation writes a variance or standard deviation aggregate (over a window when over is
// set). Where the engine refuses non-finite results (DuckDB raises an error), a group holding
// an infinity or NaN gives NaN, as IEEE arithmetic (and the evaluator) does.
func (d *Dialect) deviation(fn, x, over string) Expr {
	if t, ok := d.Helpers.NonFinite(); ok {
		ddof := "1"
		if strings.HasSuffix(fn, "_POP") {
			ddof = "0"
		}
		return fill(d, t.SQL, t.Prec, []Expr{atom(x), atom(fn), atom(over), atom(ddof)}, nil, types.Type{})
	}
	return d.Expr("%s(%s)%s", fn, x, over)
}
