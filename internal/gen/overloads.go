package gen

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/featc/featc/stdlib"
	"github.com/featc/featc/types"
)

// Probe is one generated expression over columns a0, a1, … of the given types (and an int64
// featc_row numbering the rows).
type Probe struct {
	Expr  string
	Types []types.Type
	// Key names the probe among its overload's (its index when empty): "2g" is probe 2 with its
	// first argument grouped.
	Key string
}

// TypeOfKind is the column type the probes use for an overload's argument kind.
func TypeOfKind(k types.Kind) types.Type {
	switch k {
	case types.Decimal:
		return types.DecimalType(10, 2)
	case types.Bool:
		return types.BoolT
	case types.Int32, types.Int64:
		return types.Int64T
	case types.Float64:
		return types.Float64T
	case types.String:
		return types.StringT
	case types.Date:
		return types.DateT
	case types.Timestamp:
		return types.TimestampT
	case types.Duration:
		return types.DurationT
	case types.Interval:
		return types.IntervalT
	}
	return types.Type{}
}

// literals are constants of each type for is_in lists.
var literals = map[types.Kind][]string{
	types.Bool:      {"true"},
	types.Int64:     {"2", "-1", "9223372036854775807"},
	types.Float64:   {"1.5", "0.0", "-2.5"},
	types.Decimal:   {"1.25", "0.00"},
	types.String:    {`"a"`, `"é"`, `""`},
	types.Date:      {"@2024-02-29", "@1970-01-01"},
	types.Timestamp: {"@2024-01-01T10:47:00.5", "@1970-01-01T00:00:00"},
	types.Duration:  {"90m", "1us"},
}

// compoundSame is, per type, an expression equal to a0 in value and type whose SQL binds
// loosely (a binary operator), for probing how templates group their arguments.
var compoundSame = map[types.Kind]string{
	types.Int64: "a0 - 0", types.Float64: "a0 - 0.0", types.String: `a0 + ""`, types.Bool: "a0 and true",
	types.Timestamp: "a0 - 0s", types.Duration: "a0 - 0s",
}

var a0 = regexp.MustCompile(`\ba0\b`)

var binaryOps = map[string]string{"add": "+", "sub": "-", "mul": "*", "div": "/", "floordiv": "//", "mod": "%", "pow": "**",
	"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">=", "and": "and", "or": "or"}

// OverloadProbes returns expressions that exercise one overload: every argument a column,
// constants in their usual and edge settings. The conformance matrix runs them over edge
// values on every engine; docs/functions.md compiles them to tell which engines support what.
func OverloadProbes(f *stdlib.Func, o *stdlib.Overload) []Probe {
	probes := overloadProbes(f, o)
	if f.Kind == stdlib.Scalar {
		// The first argument as a compound expression of the same value: templates must keep
		// an argument's grouping (found on dt.microseconds, whose template is the argument
		// itself: (t - epoch).dt.microseconds() * 1000 lost its parentheses).
		// The result goes under an operator that binds tighter than the grouped argument, so that
		// a template passing its argument through without parentheses changes the value.
		for i, p := range probes[:len(probes):len(probes)] {
			if len(p.Types) == 0 {
				continue
			}
			same, ok := compoundSame[p.Types[0].Kind]
			if !ok || !a0.MatchString(p.Expr) {
				continue
			}
			e := a0.ReplaceAllString(p.Expr, "("+same+")")
			if res, ok := f.Resolve(p.Types); ok {
				switch res.Result.Kind {
				case types.Int64:
					e = "(" + e + ") % 7"
				case types.Float64:
					e = "(" + e + ") * 2.0"
				}
			}
			probes = append(probes, Probe{Expr: e, Types: p.Types, Key: fmt.Sprintf("%dg", i)})
		}
	}
	if len(f.Params) > 0 && f.Params[0].BoolCounts {
		// A boolean counted as 0/1 resolves to one overload: probe it with booleans too.
		for _, p := range probes {
			ts := append([]types.Type{types.BoolT}, p.Types[1:]...)
			if res, ok := f.Resolve(ts); ok && res.Overload == o {
				probes = append(probes, Probe{p.Expr, ts, ""})
			}
		}
	}
	return probes
}

func overloadProbes(f *stdlib.Func, o *stdlib.Overload) []Probe {
	var ts []types.Type
	for _, k := range o.Args {
		ts = append(ts, TypeOfKind(k))
	}
	one := func(expr string, ts ...types.Type) []Probe { return []Probe{{Expr: expr, Types: ts}} }
	t0 := func() types.Type {
		if len(ts) > 0 {
			return ts[0]
		}
		return types.Int64T
	}
	if len(ts) > 0 && ts[len(ts)-1].Kind == types.Interval {
		// Intervals are constants.
		var out []Probe
		for _, iv := range []string{"1mo", "1y", "13mo"} {
			var e string
			switch f.Name {
			case "add":
				e = "a0 + " + iv
			case "sub":
				e = "a0 - " + iv
			case "dt.offset_by":
				e = "a0.dt.offset_by(" + iv + ")"
			case "dt.truncate":
				continue
			}
			out = append(out, Probe{e, ts[:1], ""})
		}
		if f.Name == "dt.offset_by" {
			// Polars' text offsets of months and a fixed part.
			for _, off := range []string{"1mo2d", "-13mo36h", "1y1w"} {
				out = append(out, Probe{`a0.dt.offset_by("` + off + `")`, ts[:1], ""})
			}
		}
		if f.Name == "dt.truncate" {
			for _, every := range []string{"1mo", "3mo", "1y", "2mo", "6mo"} {
				out = append(out, Probe{`a0.dt.truncate("` + every + `")`, ts[:1], ""})
			}
		}
		return out
	}
	if op, ok := binaryOps[f.Name]; ok && len(ts) == 2 {
		out := one("a0 "+op+" a1", ts...)
		if ts[0].Kind == types.Float64 && ts[1].Kind == types.Float64 {
			// Compound operands: the SQL templates must keep their grouping (found on
			// Snowflake's TRUNC({0} / {1}) and the shared FLOOR({0} / NULLIF({1}, 0))).
			out = append(out, Probe{"(a0 - a1) " + op + " (a1 + a0)", ts, ""})
		}
		return out
	}
	name := f.Name
	switch {
	case name == "neg":
		return one("-a0", ts...)
	case name == "not":
		return one("not a0", ts...)
	case name == "is_null", name == "is_not_null", name == "is_nan":
		if len(ts) == 0 || ts[0].Kind == types.InvalidKind {
			var out []Probe
			for _, t := range []types.Type{types.Float64T, types.StringT, types.DateT} {
				out = append(out, Probe{"a0." + name + "()", []types.Type{t}, ""})
			}
			return out
		}
		return one("a0."+name+"()", ts...)
	case name == "fill_null", name == "fill_nan":
		return one("a0."+name+"(a1)", t0(), t0())
	case name == "coalesce":
		return one("coalesce(a0, a1, a2)", t0(), t0(), t0())
	case name == "min_horizontal", name == "max_horizontal":
		return []Probe{{name + "(a0, a1, a2)", []types.Type{t0(), t0(), t0()}, ""}, {name + "(a0, a1)", []types.Type{t0(), t0()}, ""}}
	case name == "concat":
		return one("concat(a0, a1, a2)", types.StringT, types.StringT, types.StringT)
	case name == "case":
		return one("when(a0).then(a1).when(a2).then(a3).otherwise(a1)", types.BoolT, t0(), types.BoolT, t0())
	case name == "is_in":
		lits := append(append([]string{}, literals[t0().Kind]...), "null")
		return one("a0.is_in(["+strings.Join(lits, ", ")+"])", t0())
	case name == "between":
		var out []Probe
		for _, c := range []string{"both", "left", "right", "none"} {
			out = append(out, Probe{`a0.between(a1, a2, closed = "` + c + `")`, []types.Type{t0(), t0(), t0()}, ""})
		}
		return append(out, Probe{`a0.is_between(lower_bound = a1, upper_bound = a2)`, []types.Type{t0(), t0(), t0()}, ""})
	case name == "round":
		if t0().Kind == types.Int64 {
			return []Probe{{"round(a0, -1)", ts[:1], ""}, {"round(a0, 0)", ts[:1], ""}, {"round(a0, -18)", ts[:1], ""}}
		}
		return []Probe{{"round(a0)", ts[:1], ""}, {"round(a0, 1)", ts[:1], ""}, {"round(a0, 2)", ts[:1], ""}, {"round(a0, -1)", ts[:1], ""}}
	case name == "clip":
		return []Probe{{"clip(a0, a1, a2)", []types.Type{t0(), t0(), t0()}, ""},
			{"a0.clip(lower_bound = a1)", []types.Type{t0(), t0()}, ""}, {"a0.clip(upper_bound = a1)", []types.Type{t0(), t0()}, ""}}
	case name == "abs", name == "floor", name == "ceil", name == "trunc", name == "sqrt", name == "log", name == "log10", name == "exp", name == "sign":
		return one(name+"(a0)", ts...)
	case name == "str.slice":
		return []Probe{{"a0.str.slice(a1, a2)", []types.Type{types.StringT, types.Int64T, types.Int64T}, ""},
			{"a0.str.slice(a1)", []types.Type{types.StringT, types.Int64T}, ""},
			// An offset that folds to a constant near the int64 limit (found by differential
			// testing: Postgres folds constants in branches not taken).
			{"a0.str.slice(when(true).then(9223372036854775807).otherwise(a1), 0)", []types.Type{types.StringT, types.Int64T}, ""},
			{"a0.str.slice(when(true).then(-9223372036854775807).otherwise(a1), 9223372036854775807)", []types.Type{types.StringT, types.Int64T}, ""},
			{"a0.str.slice(1, 2)", []types.Type{types.StringT}, ""},
			{"a0.str.slice(0, 1)", []types.Type{types.StringT}, ""},
			{"a0.str.slice(2)", []types.Type{types.StringT}, ""},
			{"a0.str.slice(-2)", []types.Type{types.StringT}, ""},
			{"a0.str.slice(-2, 1)", []types.Type{types.StringT}, ""},
			{"a0.str.slice(3, 0)", []types.Type{types.StringT}, ""},
			{"a0.str.slice(0, -1)", []types.Type{types.StringT}, ""},
			{"a0.str.slice(9223372036854775807, 1)", []types.Type{types.StringT}, ""},
			{"a0.str.slice(0, 9223372036854775807)", []types.Type{types.StringT}, ""},
			{"a0.str.slice(-9223372036854775807, 3)", []types.Type{types.StringT}, ""}}
	case name == "str.strip_chars", name == "str.strip_chars_start", name == "str.strip_chars_end":
		var out []Probe
		for _, set := range []string{"", `"a"`, `" "`, `"é1"`, `""`} {
			out = append(out, Probe{"a0." + name + "(" + set + ")", []types.Type{types.StringT}, ""})
		}
		return out
	case name == "str.pad_start", name == "str.pad_end":
		var out []Probe
		for _, args := range []string{"0", "3", "5, \"*\"", "4, \"é\""} {
			out = append(out, Probe{"a0." + name + "(" + args + ")", []types.Type{types.StringT}, ""})
		}
		return out
	case name == "str.zfill":
		var out []Probe
		for _, n := range []string{"0", "1", "3", "6"} {
			out = append(out, Probe{"a0.str.zfill(" + n + ")", []types.Type{types.StringT}, ""},
				Probe{"a0.cast(string).str.zfill(" + n + ")", []types.Type{types.Int64T}, ""})
		}
		return out
	case name == "str.split_part":
		var out []Probe
		for _, c := range []string{`"-", 1`, `"-", 2`, `"-", 3`, `"", 1`, `"--", 2`} {
			out = append(out, Probe{"a0.str.split_part(" + c + ")", []types.Type{types.StringT}, ""})
		}
		return out
	case name == "str.like":
		var out []Probe
		for _, pat := range []string{`"%"`, `""`, `"a%"`, `"%a"`, `"%a%"`, `"_"`, `"__%"`, `"%é%"`, `"a%b%c"`, `"%\\%%"`, `"\\_%"`, `"%a_"`} {
			out = append(out, Probe{"a0.str.like(" + pat + ")", []types.Type{types.StringT}, ""})
		}
		return out
	case name == "str.contains", name == "str.count_matches", name == "str.extract", name == "str.replace", name == "str.replace_all":
		return regexProbes(name)
	case strings.HasPrefix(name, "str."):
		// Value arguments are columns; constant options keep their defaults.
		args := []string{}
		vts := ts[:1]
		for i := 1; i < len(ts) && i < len(f.Params); i++ {
			if f.Params[i].Kind == stdlib.Const {
				continue
			}
			args = append(args, fmt.Sprintf("a%d", len(vts)))
			vts = append(vts, ts[i])
		}
		out := one("a0."+name+"("+strings.Join(args, ", ")+")", vts...)
		if name == "str.replace" {
			out = append(out, Probe{"a0.str.replace(a1, a2, n = 1)", vts, ""})
		}
		return out
	case name == "dt.truncate":
		var out []Probe
		for _, every := range []string{"1w", "2w", "1d", "15m", "1h", "7d"} {
			if ts[0].Kind == types.Date && (every == "15m" || every == "1h") {
				continue
			}
			out = append(out, Probe{`a0.dt.truncate(` + every + `)`, ts[:1], ""})
		}
		return out
	case name == "dt.offset_by":
		return one("a0.dt.offset_by(a1)", ts...)
	case strings.HasPrefix(name, "dt."):
		return one("a0."+name+"()", ts...)
	}
	switch f.Kind {
	case stdlib.Aggregate:
		switch name {
		case "len":
			if len(ts) == 0 {
				return one("len()", types.Int64T)
			}
			return one("a0.len()", types.StringT)
		case "std", "var":
			return []Probe{{"a0." + name + "()", ts, ""}, {"a0." + name + "(ddof = 0)", ts, ""}, {"a0." + name + "(ddof = 2)", ts, ""}, {"a0." + name + "(ddof = 40)", ts, ""}}
		case "quantile":
			var out []Probe
			for _, in := range []string{"linear", "lower", "higher", "nearest", "midpoint"} {
				for _, q := range []string{"0.3", "0.5", "1.0"} {
					out = append(out, Probe{`a0.quantile(` + q + `, interpolation = "` + in + `")`, ts, ""})
				}
			}
			return out
		case "first", "last":
			return one("a0."+name+"(order_by = a1)", ts[0], types.Int64T)
		}
		if len(ts) == 0 || ts[0].Kind == types.InvalidKind {
			return one("a0."+name+"()", types.StringT)
		}
		return one("a0."+name+"()", ts...)
	case stdlib.Window:
		over := ".over(featc_row % 3, order_by = a1)"
		switch name {
		case "row_number":
			return one("row_number()"+over, types.Int64T, types.Int64T)
		case "rank":
			var out []Probe
			for _, m := range stdlib.RankMethods {
				out = append(out, Probe{"a0.rank(\"" + m + "\").over(featc_row % 3)", ts[:1], ""},
					Probe{"a0.rank(\"" + m + "\", descending = true).over(featc_row % 3)", ts[:1], ""})
			}
			return append(out, Probe{"a0.rank().over(featc_row % 3)", ts[:1], ""})
		case "dense_rank":
			return []Probe{{"a0." + name + "().over(featc_row % 3)", ts, ""}, {"a0." + name + "(descending = true).over(featc_row % 3)", ts, ""}}
		case "is_unique", "is_duplicated":
			return one("a0."+name+"().over(featc_row % 3)", ts...)
		case "shift":
			return []Probe{{"a0.shift(1)" + over, []types.Type{ts[0], types.Int64T}, ""}, {"a0.shift(-2)" + over, []types.Type{ts[0], types.Int64T}, ""},
				{"a0.shift(2, fill_value = a2)" + over, []types.Type{ts[0], types.Int64T, ts[0]}, ""}, {"a0.shift(-1, fill_value = a2)" + over, []types.Type{ts[0], types.Int64T, ts[0]}, ""}}
		case "pct_change":
			var out []Probe
			for _, n := range []string{"", "2", "-1", "0"} {
				out = append(out, Probe{"a0.pct_change(" + n + ")" + over, []types.Type{ts[0], types.Int64T}, ""})
			}
			return out
		case "forward_fill", "backward_fill":
			var out []Probe
			for _, l := range []string{"", "limit = 0", "limit = 1", "limit = 2"} {
				out = append(out, Probe{"a0." + name + "(" + l + ")" + over, []types.Type{ts[0], types.Int64T}, ""})
			}
			return out
		case "lead":
			return []Probe{{"a0.lead()" + over, []types.Type{ts[0], types.Int64T}, ""}, {"a0.lead(fill_value = a2)" + over, []types.Type{ts[0], types.Int64T, ts[0]}, ""}}
		}
		if strings.HasPrefix(name, "rolling_") {
			t := ts[0]
			if t.Kind == types.InvalidKind {
				t = types.StringT
			}
			return []Probe{
				{"a0." + name + "(window_size = 2)" + over, []types.Type{t, types.Int64T}, ""},
				{"a0." + name + "(window_size = 3, min_periods = 1)" + over, []types.Type{t, types.Int64T}, ""},
				{"a0." + name + "(window_size = 3, center = true)" + over, []types.Type{t, types.Int64T}, ""},
				{"a0." + name + "(window_size = 4, min_periods = 1, center = true)" + over, []types.Type{t, types.Int64T}, ""},
				{"a0." + name + "(by = a1, period = 1h).over(featc_row % 3)", []types.Type{t, types.TimestampT}, ""},
				{"a0." + name + "(by = a1, period = 2d, min_periods = 2).over(featc_row % 3)", []types.Type{t, types.DateT}, ""},
			}
		}
		t := ts[0]
		if t.Kind == types.InvalidKind {
			t = types.StringT
		}
		if strings.HasPrefix(name, "cum_") {
			return []Probe{{"a0." + name + "()" + over, []types.Type{t, types.Int64T}, ""}, {"a0." + name + "(reverse = true)" + over, []types.Type{t, types.Int64T}, ""}}
		}
		return one("a0."+name+"()"+over, t, types.Int64T)
	}
	return declaredCall(f, ts)
}

// SpecialProbes returns expressions that exercise a function the checker writes out itself
// (it has no overloads): Polars' horizontal reductions and replacements over every type they
// take.
func SpecialProbes(f *stdlib.Func) []Probe {
	var out []Probe
	switch f.Name {
	case "sum_horizontal", "mean_horizontal":
		for _, t := range []types.Type{types.Int64T, types.Float64T, types.DecimalType(15, 2), types.BoolT} {
			out = append(out, Probe{f.Name + "(a0, a1, a2)", []types.Type{t, t, t}, ""},
				Probe{f.Name + "(a0, a1, ignore_nulls = false)", []types.Type{t, t}, ""})
		}
		out = append(out, Probe{f.Name + "([a0, a1])", []types.Type{types.Int64T, types.Float64T}, ""})
	case "replace", "replace_strict":
		for _, k := range []types.Kind{types.Bool, types.Int64, types.Float64, types.Decimal, types.String, types.Date, types.Timestamp, types.Duration} {
			t := TypeOfKind(k)
			keys := "[" + strings.Join(append(append([]string{}, literals[k]...), "null"), ", ") + "]"
			out = append(out, Probe{"a0." + f.Name + "(" + keys + ", a1)", []types.Type{t, t}, ""},
				Probe{"a0." + f.Name + "({" + literals[k][0] + ": a1})", []types.Type{t, t}, ""})
			if f.Name == "replace_strict" {
				out = append(out, Probe{"a0.replace_strict(" + keys + ", featc_row, default = -1)", []types.Type{t}, ""},
					Probe{"a0.replace_strict(" + literals[k][0] + ", " + literals[types.String][0] + ")", []types.Type{t}, ""})
			}
		}
	case "diff":
		for _, k := range []types.Kind{types.Int64, types.Float64, types.Decimal, types.Date, types.Timestamp, types.Duration} {
			t := TypeOfKind(k)
			for _, n := range []string{"", "2", "-1"} {
				out = append(out, Probe{"a0.diff(" + n + ").over(featc_row % 3, order_by = a1)", []types.Type{t, types.Int64T}, ""})
			}
		}
	case "cut":
		for _, t := range []types.Type{types.Int64T, types.Float64T, types.DecimalType(15, 2)} {
			out = append(out, Probe{"a0.cut([-1, 0, 2.5])", []types.Type{t}, ""},
				Probe{"a0.cut([0], labels = [\"neg\", \"pos\"], left_closed = true)", []types.Type{t}, ""})
		}
	case "any_horizontal", "all_horizontal":
		out = append(out, Probe{f.Name + "(a0, a1, a2)", []types.Type{types.BoolT, types.BoolT, types.BoolT}, ""},
			Probe{f.Name + "(a0, a1 > 0)", []types.Type{types.BoolT, types.Int64T}, ""})
	}
	return out
}

// declaredCall probes a scalar function of value parameters that no case above shapes: one
// call as its declaration reads (a0.f(a1, …) for a method, f(a0, …) for a function), so that
// a new function of the kind is probed without an entry here.
func declaredCall(f *stdlib.Func, ts []types.Type) []Probe {
	if f.Kind != stdlib.Scalar || f.Special || f.Internal || f.Operator != "" || len(ts) == 0 {
		return nil
	}
	for _, p := range f.Params {
		if p.Kind != stdlib.Value {
			return nil
		}
	}
	args := make([]string, len(ts))
	for i := range ts {
		args[i] = fmt.Sprintf("a%d", i)
	}
	switch {
	case f.Method:
		return []Probe{{"a0." + f.Name + "(" + strings.Join(args[1:], ", ") + ")", ts, ""}}
	case f.Function:
		return []Probe{{f.Name + "(" + strings.Join(args, ", ") + ")", ts, ""}}
	}
	return nil
}

// Program is the text of a program computing a probe as frame result: per row (featc_row,
// result) for scalar and window functions, per group of featc_row % 5 for aggregates, and per
// row over partitions of featc_row % 3 when over is set (aggregates only).
func (p Probe) Program(f *stdlib.Func, over bool) string {
	decl := []string{"featc_row: int64"}
	for i, ty := range p.Types {
		decl = append(decl, fmt.Sprintf("a%d: %s", i, ty))
	}
	src := "source input { " + strings.Join(decl, ", ") + " }\n"
	switch {
	case f.Kind == stdlib.Aggregate && over:
		src += "frame result = input.with_columns(result = (" + p.Expr + ").over(featc_row % 3)).select(featc_row, result)\n"
	case f.Kind == stdlib.Aggregate:
		src += "frame result = input.with_columns(featc_g = featc_row % 5).group_by(featc_g).agg(result = " + p.Expr + ")\n"
	default:
		src += "frame result = input.with_columns(result = " + p.Expr + ").select(featc_row, result)\n"
	}
	return src
}

// CastTarget names the type written in .feat for a cast's target kind.
func CastTarget(k types.Kind) string {
	switch k {
	case types.Decimal:
		return "decimal(12, 3)"
	case types.Int32:
		return "int32"
	}
	return TypeOfKind(k).String()
}

// CastProgram is the text of a program casting a column of c.From to c.To, per row.
func CastProgram(c stdlib.CastRule) string {
	from := TypeOfKind(c.From)
	if c.From == types.Int32 {
		from = types.Int32T
	}
	return fmt.Sprintf("source input { featc_row: int64, a0: %s }\nframe result = input.select(featc_row, result = a0.cast(%s))\n", from, CastTarget(c.To))
}
