package gen

import (
	"fmt"
	"strings"
)

// NewPipeline returns a generator reading its choices from data.
func NewPipeline(data []byte) *Pipeline { return &Pipeline{data: data} }

// PipelineSchema is the source of the generated pipelines (the differential fuzzer's and the Go
// API's): one column of each type, edge values in every row.
const PipelineSchema = `source t { k: int64, i: int64, j: int64, f: float64, g: float64, s: string, u: string, b: bool, d: date, ts: timestamp, du: duration, m: decimal(10, 2) }
`

// Pipeline writes random well-typed pipelines over PipelineSchema from the bytes of a fuzz
// input.
type Pipeline struct {
	data []byte
	pos  int
	// win lets expressions hold window functions (not inside another window, and not where
	// the checker refuses them: aggregates).
	win bool
	// Lifted records that the program holds a window function in a filter, a sort or a join's
	// input: windows computed below the operator reading them.
	Lifted bool
}

func (g *Pipeline) next(n int) int {
	if n <= 1 {
		return 0
	}
	if g.pos >= len(g.data) {
		return 0
	}
	b := int(g.data[g.pos])
	g.pos++
	return b % n
}

func (g *Pipeline) pick(opts ...string) string { return opts[g.next(len(opts))] }

// expr returns an expression of the kind ("int", "float", "bool", "str", "date", "ts", "dur",
// "dec") at most depth deep.
func (g *Pipeline) expr(kind string, depth int) string {
	if g.win && (kind == "int" || kind == "float" || kind == "bool") && g.next(4) == 0 {
		return g.window(kind)
	}
	if depth <= 0 || g.next(4) == 0 {
		return g.leaf(kind)
	}
	d := depth - 1
	switch kind {
	case "int":
		switch g.next(12) {
		case 0:
			return "(" + g.expr("int", d) + " " + g.pick("+", "-", "*", "//", "%") + " " + g.expr("int", d) + ")"
		case 1:
			return "abs(" + g.expr("int", d) + ")"
		case 2:
			return g.expr("str", d) + ".str.len()"
		case 3:
			return g.expr("date", d) + ".dt." + g.pick("year", "month", "day", "weekday", "week", "quarter", "day_of_year") + "()"
		case 4:
			return "when(" + g.expr("bool", d) + ").then(" + g.expr("int", d) + ").otherwise(" + g.expr("int", d) + ")"
		case 5:
			return "coalesce(" + g.expr("int", d) + ", " + g.expr("int", d) + ")"
		case 6:
			return "round(" + g.expr("int", d) + ", " + g.pick("-1", "-2", "0") + ")"
		case 7:
			return g.expr("dur", d) + ".dt." + g.pick("days", "hours", "minutes", "seconds") + "()"
		case 8:
			return "sign(" + g.expr("float", d) + ")"
		case 9:
			return g.expr("ts", d) + ".dt." + g.pick("hour", "minute", "second", "microsecond") + "()"
		case 10:
			return "clip(" + g.expr("int", d) + ", " + g.leaf("int") + ", " + g.leaf("int") + ")"
		default:
			return g.expr("float", d) + ".cast(int64)"
		}
	case "float":
		switch g.next(10) {
		case 0:
			return "(" + g.expr("float", d) + " " + g.pick("+", "-", "*", "/", "//", "%") + " " + g.expr("float", d) + ")"
		case 1:
			return "(" + g.expr("int", d) + " / " + g.expr("int", d) + ")"
		case 2:
			return g.pick("floor", "ceil", "trunc", "abs", "sqrt") + "(" + g.expr("float", d) + ")"
		case 3:
			return "round(" + g.expr("float", d) + ", " + g.pick("0", "1", "2", "-1") + ")"
		case 4:
			return g.expr("float", d) + ".fill_null(" + g.expr("float", d) + ")"
		case 5:
			return g.expr("float", d) + ".fill_nan(" + g.expr("float", d) + ")"
		case 6:
			return g.expr("int", d) + ".cast(float64)"
		case 7:
			return "when(" + g.expr("bool", d) + ").then(" + g.expr("float", d) + ").otherwise(" + g.expr("float", d) + ")"
		case 8:
			return g.expr("dec", d) + ".cast(float64)"
		default:
			return "clip(" + g.expr("float", d) + ", " + g.leaf("float") + ", " + g.leaf("float") + ")"
		}
	case "bool":
		switch g.next(9) {
		case 0:
			k := g.pick("int", "float", "str", "date", "ts", "dur", "dec", "bool")
			return "(" + g.expr(k, d) + " " + g.pick("==", "!=", "<", "<=", ">", ">=") + " " + g.expr(k, d) + ")"
		case 1:
			return "(" + g.expr("bool", d) + " " + g.pick("and", "or") + " " + g.expr("bool", d) + ")"
		case 2:
			return "not " + g.expr("bool", d)
		case 3:
			return g.expr(g.pick("int", "str", "float", "date"), d) + "." + g.pick("is_null", "is_not_null") + "()"
		case 4:
			return g.expr("int", d) + ".between(" + g.leaf("int") + ", " + g.leaf("int") + ", closed = \"" + g.pick("both", "left", "right", "none") + "\")"
		case 5:
			if g.next(3) == 0 {
				return g.expr("str", d) + ".str.like(" + g.pick(`"%a%"`, `"_"`, `"a%b%"`, `"%\\%%"`, `"__%"`, `""`, `"%"`) + ")"
			}
			return g.expr("str", d) + ".str." + g.pick("contains", "starts_with", "ends_with") + "(" + g.expr("str", d) + ")"
		case 6:
			return g.expr("int", d) + ".is_in([1, 2, null, -3])"
		case 7:
			return g.expr("float", d) + ".is_nan()"
		default:
			return g.expr("str", d) + ".is_in([\"a\", \"é\", \"\"])"
		}
	case "str":
		switch g.next(9) {
		case 0:
			return g.expr("str", d) + ".str." + g.pick("lower", "upper", "strip") + "()"
		case 1:
			return "concat(" + g.expr("str", d) + ", " + g.expr("str", d) + ")"
		case 2:
			return g.expr("str", d) + ".str.slice(" + g.expr("int", d) + ", " + g.leaf("int") + ")"
		case 3:
			return g.expr("str", d) + ".str.replace(" + g.leaf("str") + ", " + g.leaf("str") + ")"
		case 4:
			return g.expr(g.pick("int", "float", "date", "ts", "bool", "dec"), d) + ".cast(string)"
		case 5:
			return g.expr("str", d) + ".str.split_part(\"-\", " + g.pick("1", "2", "3") + ")"
		case 6:
			return "when(" + g.expr("bool", d) + ").then(" + g.expr("str", d) + ").otherwise(" + g.expr("str", d) + ")"
		case 7:
			return "(" + g.expr("str", d) + " + " + g.expr("str", d) + ")"
		default:
			return g.expr("str", d) + ".fill_null(\"?\")"
		}
	case "date":
		switch g.next(5) {
		case 0:
			return "(" + g.expr("date", d) + " " + g.pick("+", "-") + " " + g.pick("1mo", "1y", "3mo") + ")"
		case 1:
			return g.expr("date", d) + ".dt.truncate(\"" + g.pick("1mo", "3mo", "1y", "2mo") + "\")"
		case 2:
			return g.expr("ts", d) + ".dt.date()"
		case 3:
			return g.expr("date", d) + ".dt.truncate(" + g.pick("1w", "1d", "2w") + ")"
		default:
			return "coalesce(" + g.expr("date", d) + ", @2000-01-01)"
		}
	case "ts":
		switch g.next(5) {
		case 0:
			return "(" + g.expr("ts", d) + " " + g.pick("+", "-") + " " + g.expr("dur", d) + ")"
		case 1:
			return g.expr("ts", d) + ".dt.truncate(" + g.pick("1h", "15m", "1d", "1w") + ")"
		case 2:
			return g.expr("date", d) + ".cast(timestamp)"
		case 3:
			return "(" + g.expr("ts", d) + " + " + g.pick("1mo", "1y") + ")"
		default:
			return g.expr("ts", d) + ".dt.truncate(\"1mo\")"
		}
	case "dur":
		switch g.next(4) {
		case 0:
			return "(" + g.expr("ts", d) + " - " + g.expr("ts", d) + ")"
		case 1:
			return "(" + g.expr("dur", d) + " " + g.pick("+", "-") + " " + g.expr("dur", d) + ")"
		case 2:
			return "(" + g.expr("date", d) + " - " + g.expr("date", d) + ")"
		default:
			return "abs(" + g.expr("dur", d) + ")"
		}
	case "dec":
		switch g.next(4) {
		case 0:
			return "(" + g.expr("dec", d) + " " + g.pick("+", "-") + " " + g.leaf("dec") + ")"
		case 1:
			return "round(" + g.expr("dec", d) + ", " + g.pick("0", "1") + ")"
		case 2:
			return g.expr("dec", d) + ".fill_null(0.5)"
		default:
			return "abs(" + g.expr("dec", d) + ")"
		}
	}
	return g.leaf(kind)
}

// window returns a window function of the kind: int, float, or a comparison of one (bool).
func (g *Pipeline) window(kind string) string {
	g.Lifted = true
	g.win = false
	defer func() { g.win = true }()
	part := g.pick("", "b", "s", "k % 3")
	switch kind {
	case "int":
		switch g.next(5) {
		case 0:
			return "len().over(" + part + ")"
		case 1:
			return "row_number().over(" + part + sep(part) + "order_by = k)"
		case 2:
			return g.expr("int", 2) + ".shift(" + g.pick("1", "-1", "2") + ").over(" + part + sep(part) + "order_by = k)"
		case 3:
			return g.expr("int", 1) + "." + g.pick("min", "max", "count", "n_unique") + "().over(" + part + ")"
		default:
			return g.expr("int", 1) + ".cum_count().over(" + part + sep(part) + "order_by = [j, k])"
		}
	case "float":
		switch g.next(6) {
		case 0:
			return g.expr("float", 1) + "." + g.pick("sum", "mean", "max") + "().over(" + part + ")"
		case 1:
			return g.expr("float", 1) + ".cum_" + g.pick("max", "min", "sum") + "().over(" + part + sep(part) + "order_by = k)"
		case 2:
			// One .over(…) around an expression of several windows, as Polars applies it.
			x := g.expr("float", 1)
			return "(" + x + " - " + x + ".shift(" + g.pick("1", "2") + ")).over(" + part + sep(part) + "order_by = k)"
		case 3:
			return "(" + g.expr("float", 1) + " / " + g.expr("float", 1) + "." + g.pick("sum", "max", "mean") + "()).over(" + part + ")"
		case 4:
			return g.expr("float", 1) + ".shift(1).fill_null(" + g.leaf("float") + ").abs().over(" + part + sep(part) + "order_by = [f, k])"
		default:
			return g.expr("float", 1) + ".shift(1).over(" + part + sep(part) + "order_by = [f, k])"
		}
	}
	g.win = true
	w := g.window(g.pick("int", "float"))
	g.win = false
	return "(" + w + " " + g.pick(">", "==", "<=", "!=") + " " + g.leaf(g.pick("int", "float")) + ")"
}

func sep(part string) string {
	if part == "" {
		return ""
	}
	return ", "
}

func (g *Pipeline) leaf(kind string) string {
	switch kind {
	case "int":
		return g.pick("i", "j", "k", "2", "-3", "0", "9223372036854775807")
	case "float":
		return g.pick("f", "g", "1.5", "-0.5", "0.0")
	case "bool":
		return g.pick("b", "true", "false")
	case "str":
		return g.pick("s", "u", `"a-b"`, `""`, `"é"`)
	case "date":
		return g.pick("d", "@2024-02-29", "@1969-12-31")
	case "ts":
		return g.pick("ts", "@2024-01-01T10:47:00.5")
	case "dur":
		return g.pick("du", "90m", "-1us")
	case "dec":
		return g.pick("m", "1.25", "-0.05")
	}
	return "null"
}

// Program writes a small pipeline: a filter, then columns computed by random expressions, and
// sometimes an aggregation, a sort with a limit, or window functions followed by a filter.
func (g *Pipeline) Program() string {
	var b strings.Builder
	b.WriteString(PipelineSchema)
	b.WriteString("frame out = t")
	if g.next(3) == 0 {
		// A filter, its condition sometimes reading window functions (computed over every
		// row of t, before the filter drops any).
		g.win = g.next(2) == 0
		b.WriteString(".filter(" + g.expr("bool", 3) + ")")
		g.win = false
	}
	kinds := []string{"int", "float", "bool", "str", "date", "ts", "dur", "dec"}
	var cols []string
	for n := 0; n < 1+g.next(3); n++ {
		cols = append(cols, fmt.Sprintf("e%d = %s", n, g.expr(kinds[g.next(len(kinds))], 4)))
	}
	switch g.next(6) {
	case 5:
		// Window functions, then a filter and sometimes a sort with a limit: the windows see
		// every row of the frame, the filter drops rows after them.
		wins := []string{"i.shift(1).over(order_by = k)", "f.cum_max().over(b, order_by = k)", "row_number().over(s, order_by = [j, k])",
			"g.sum().over(b)", "j.rank(descending = true).over()", "i.lead(2).over(s, order_by = k)", "len().over(b)"}
		w := fmt.Sprintf("w0 = %s", wins[g.next(len(wins))])
		g.win = true
		pred := g.expr("bool", 2)
		g.win = false
		b.WriteString(".with_columns(" + w + ", " + strings.Join(cols, ", ") + ").filter(" + pred + ")")
		if g.next(2) == 0 {
			b.WriteString(".sort(w0, k).limit(5, offset = 1)")
		}
		b.WriteString(".select(k, w0, e0)")
	case 4:
		// A select of aggregates: one row over the whole (filtered) frame.
		aggs := []string{"count", "n_unique", "min", "max"}
		var as []string
		for n := range cols {
			as = append(as, fmt.Sprintf("a%d = (%s).%s()", n, strings.SplitN(cols[n], " = ", 2)[1], aggs[g.next(len(aggs))]))
		}
		b.WriteString(".select(" + strings.Join(as, ", ") + ")")
	case 0:
		aggs := []string{"count", "n_unique", "min", "max"}
		var as []string
		for n := range cols {
			as = append(as, fmt.Sprintf("a%d = e%d.%s()", n, n, aggs[g.next(len(aggs))]))
		}
		b.WriteString(".with_columns(k3 = k % 3, " + strings.Join(cols, ", ") + ").group_by(k3).agg(" + strings.Join(as, ", ") + ")")
	case 1:
		// The first or last rows of a sort whose key ties: every engine must keep the same ones.
		b.WriteString(".select(k, " + strings.Join(cols, ", ") + ").sort(e0, descending = true)" + g.pick(".limit(7)", ".head(7)", ".tail(7)"))
	default:
		switch g.next(3) {
		case 1:
			// Sorted by a window function (computed before the sort), then cut.
			g.win = true
			key := g.window(g.pick("int", "float"))
			g.win = false
			b.WriteString(".sort(" + key + ", k, descending = " + g.pick("true", "false") + ").limit(9).select(k, " + strings.Join(cols, ", ") + ")")
		case 2:
			// Joined to the rows of t kept by a window condition.
			g.win = true
			pred := g.window("bool")
			g.win = false
			b.WriteString(".select(k, " + strings.Join(cols, ", ") + ").join(t.filter(" + pred + ").select(k, jf = f), on = k, how = \"" + g.pick("inner", "left", "anti", "semi") + "\")")
		default:
			b.WriteString(".select(k, " + strings.Join(cols, ", ") + ")")
		}
	}
	b.WriteString("\n")
	return b.String()
}
