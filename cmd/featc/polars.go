package main

import (
	_ "embed"
	"fmt"
	"io"
	"strings"

	"github.com/featc/featc/ir"
	"github.com/featc/featc/stdlib"
)

// The "Coming from Polars" page (docs/polars.md): the Polars expressions and frame methods that
// feature engineering uses, each with featc's form. Whether featc has a name, and under which,
// is computed from the standard library and the checker's frame methods, so the page cannot
// claim what the compiler does not accept; the table only says which Polars names to list and,
// where featc differs, how to write them.

// polarsEntry is one Polars name: "col.rank" (an expression method), "col.str.len_chars",
// "pl.concat_str" (a function), "df.head" (a frame method).
type polarsEntry struct {
	name string
	// featc is featc's spelling where it differs from Polars' (a form, not a name), and why
	// where it is refused; "" when featc has the name (or an alias of it).
	featc string
}

var polarsSections = []struct {
	title   string
	entries []polarsEntry
}{
	{"Expressions", []polarsEntry{
		{"pl.col", "`col(\"x\")`, or the bare name `x`"}, {"pl.lit", ""}, {"col.alias", ""}, {"col.cast", "`x.cast(int64)`: featc's type names (`pl.Int64` is `int64`, `pl.Utf8` is `string`)"},
		{"pl.when", ""}, {"col.is_null", ""}, {"col.is_not_null", ""}, {"col.fill_null", ""}, {"col.fill_nan", ""},
		{"col.is_nan", ""}, {"col.is_not_nan", ""}, {"col.is_in", ""}, {"col.is_between", ""}, {"col.clip", ""},
		{"col.abs", ""}, {"col.round", ""}, {"col.floor", ""}, {"col.ceil", ""}, {"col.sqrt", ""}, {"col.cbrt", ""},
		{"col.exp", ""}, {"col.log", ""}, {"col.log10", ""}, {"col.log1p", ""}, {"col.sign", ""}, {"col.pow", ""},
		{"col.replace", ""}, {"col.replace_strict", ""}, {"pl.coalesce", ""}, {"pl.concat_str", ""},
		{"pl.sum_horizontal", ""}, {"pl.mean_horizontal", ""}, {"pl.min_horizontal", ""}, {"pl.max_horizontal", ""},
		{"pl.any_horizontal", ""}, {"pl.all_horizontal", ""}, {"pl.len", ""},
		{"col.cut", ""},
		{"col.qcut", "not yet: rank the value over its window, `x.rank(\"max\").over(g) / x.count().over(g)`, and bucket that"},
		{"col.hash", "refused: every engine hashes differently, so the same row would get different values"},
	}},
	{"Aggregates", []polarsEntry{
		{"col.sum", ""}, {"col.mean", ""}, {"col.min", ""}, {"col.max", ""}, {"col.count", ""}, {"col.len", ""},
		{"col.std", ""}, {"col.var", ""}, {"col.median", ""}, {"col.quantile", "`x.quantile(0.9, interpolation = \"linear\")`: the interpolation is required, as engines default differently"},
		{"col.n_unique", ""}, {"col.first", "`x.first(order_by = t)`: an order is required, as engines read rows in no fixed order"},
		{"col.last", "`x.last(order_by = t)`, as first"}, {"col.any", ""}, {"col.all", ""},
	}},
	{"Windows and order", []polarsEntry{
		{"col.over", ""}, {"col.shift", ""}, {"col.diff", ""}, {"col.rank", ""}, {"col.cum_sum", ""}, {"col.cum_count", ""},
		{"col.cum_min", ""}, {"col.cum_max", ""}, {"col.is_unique", ""}, {"col.is_duplicated", ""},
		{"col.rolling_mean", ""}, {"col.rolling_sum", ""}, {"col.rolling_min", ""}, {"col.rolling_max", ""}, {"col.rolling_std", ""}, {"col.rolling_var", ""},
		{"col.rolling_mean(center)", "`x.rolling_mean(window_size = 5, center = true)`: row windows only"},
		{"col.rolling_mean_by", "`x.rolling_mean(by = t, period = 3h)`: the time window is rolling_mean's by and period"},
		{"col.cum_prod", "not yet"}, {"col.pct_change", ""},
		{"col.forward_fill", ""}, {"col.backward_fill", ""}, {"col.rolling_median", "not yet"}, {"col.rolling_quantile", "not yet"},
		{"col.ewm_mean", "not yet"},
	}},
	{"Strings", []polarsEntry{
		{"col.str.len_chars", ""}, {"col.str.len_bytes", ""}, {"col.str.to_lowercase", ""}, {"col.str.to_uppercase", ""},
		{"col.str.strip_chars", ""}, {"col.str.strip_chars_start", ""}, {"col.str.strip_chars_end", ""},
		{"col.str.pad_start", ""}, {"col.str.pad_end", ""}, {"col.str.zfill", ""}, {"col.str.head", ""}, {"col.str.tail", ""},
		{"col.str.slice", ""}, {"col.str.reverse", ""}, {"col.str.starts_with", ""}, {"col.str.ends_with", ""},
		{"col.str.contains", ""},
		{"col.str.replace", "`x.str.replace(pattern, value, n = 1)` for Polars' default (the first match); featc's default, n = -1, replaces every one"},
		{"col.str.replace_all", ""},
		{"col.str.split", "`x.str.split_part(\",\", 2)` for one part (featc has no lists)"},
		{"col.str.to_titlecase", "not yet: engines' title casing differs (DuckDB has none)"},
		{"col.str.count_matches", ""}, {"col.str.extract", ""},
		{"col.str.to_date", "`x.cast(date)` for ISO 8601 text; other formats not yet"},
		{"col.str.to_datetime", "`x.cast(timestamp)` for ISO 8601 text; other formats not yet"},
	}},
	{"Dates and times", []polarsEntry{
		{"col.dt.year", ""}, {"col.dt.quarter", ""}, {"col.dt.month", ""}, {"col.dt.week", ""}, {"col.dt.day", ""},
		{"col.dt.ordinal_day", ""}, {"col.dt.weekday", ""}, {"col.dt.hour", ""}, {"col.dt.minute", ""}, {"col.dt.second", ""},
		{"col.dt.millisecond", ""}, {"col.dt.microsecond", ""}, {"col.dt.date", ""}, {"col.dt.truncate", ""},
		{"col.dt.offset_by", ""},
		{"col.dt.epoch", ""}, {"col.dt.timestamp", ""}, {"col.dt.month_start", ""}, {"col.dt.month_end", ""}, {"col.dt.is_leap_year", ""},
		{"col.dt.total_days", ""}, {"col.dt.total_hours", ""}, {"col.dt.total_minutes", ""}, {"col.dt.total_seconds", ""},
		{"col.dt.total_milliseconds", ""}, {"col.dt.total_microseconds", ""},
		{"col.dt.strftime", "not yet: `x.cast(string)` writes ISO 8601"},
		{"col.dt.replace_time_zone", "not yet: timestamps are UTC"}, {"col.dt.convert_time_zone", "not yet: timestamps are UTC"},
	}},
	{"Frames", []polarsEntry{
		{"df.filter", ""}, {"df.select", ""}, {"df.with_columns", ""}, {"df.drop", ""}, {"df.rename", ""}, {"df.sort", ""},
		{"df.head", ""}, {"df.limit", ""}, {"df.unique", "`unique()` of whole rows; `unique(subset, keep = \"first\" | \"last\")` after a sort, or `keep = \"none\"` (Polars' default `keep = \"any\"` leaves the row to the engine)"},
		{"df.drop_nulls", ""}, {"df.fill_null", ""}, {"df.with_row_index", "after a sort: `df.sort(t).with_row_index()` (featc frames have no order otherwise)"},
		{"df.group_by", ""}, {"df.join", ""}, {"df.join_asof", ""}, {"pl.concat", "`a.union(b)`"}, {"df.len", ""},
		{"df.tail", "after a sort: `df.sort(t).tail(5)` (featc frames have no order otherwise)"},
		{"df.group_by_dynamic", ""},
		{"df.rolling", "not yet: the rolling functions with by and period, over the partition"},
	}},
}

// polarsStatus says how featc takes a Polars name: the same name, an alias, another form, or
// not yet. It looks the name up in the standard library and the checker's frame methods.
func polarsStatus(lib *stdlib.Library, e polarsEntry) (status, form string) {
	kind, name, _ := strings.Cut(e.name, ".")
	switch kind {
	case "df":
		if ir.IsFrameMethod(name) && e.featc == "" {
			return "same", "`frame." + name + "(…)`"
		}
	default:
		switch name {
		case "col", "when", "over", "cast", "alias":
			if e.featc == "" {
				return "same", "`" + callSpelling(kind, name) + "`"
			}
		}
		if f := lib.Lookup(name); f != nil && !f.Internal && e.featc == "" {
			if f.Name == name {
				return "same", "`" + callSpelling(kind, name) + "`"
			}
			return "alias", "`" + callSpelling(kind, name) + "`, also `" + callSpelling(kind, f.Name) + "`"
		}
	}
	switch {
	case e.featc == "":
		return "missing", "" // reported by the test: the table says featc has it, the library does not
	case strings.HasPrefix(e.featc, "not yet"):
		return "not yet", strings.TrimPrefix(strings.TrimPrefix(e.featc, "not yet"), ": ")
	case strings.HasPrefix(e.featc, "refused"):
		return "refused", strings.TrimPrefix(e.featc, "refused: ")
	}
	return "different", e.featc
}

func callSpelling(kind, name string) string {
	if kind == "pl" {
		return name + "(…)"
	}
	return "x." + name + "(…)"
}

const polarsIntro = `# Coming from Polars

<!-- Generated by ` + "`make docs`" + ` (featc explain --polars --markdown) from the stdlib table; do not edit. -->

featc's language is meant to feel like Polars (and so like Narwhals, a subset of Polars' API):
a frame is a lazy chain of methods, columns are expressions, and most names are Polars' own.
The differences come from what featc promises — the same value on every engine, every time:

- **No ` + "`pl.`" + ` prefix.** ` + "`pl.col(\"x\")`" + ` is ` + "`col(\"x\")`" + ` or just ` + "`x`" + `; ` + "`pl.lit(1)`" + ` is ` + "`1`" + `;
  ` + "`pl.when`" + ` is ` + "`when`" + `. Types are featc's: ` + "`x.cast(int64)`" + `, not ` + "`pl.Int64`" + `.
- **Order is stated.** A frame has no row order until it is sorted; order-dependent functions
  take ` + "`order_by`" + ` (` + "`x.first(order_by = t)`" + `, ` + "`x.shift(1).over(g, order_by = t)`" + `).
- **Choices engines disagree on are required** (` + "`quantile`" + `'s interpolation) or fixed and
  documented in [semantics.md](semantics.md).
- **Names are columns' names** where Polars takes them: ` + "`select(\"a\")`" + `, ` + "`over(\"g\")`" + `.

The rules themselves are in [semantics.md](semantics.md).
`

const polarsNamesIntro = `
## Polars' names in featc

Each table row is one Polars name: **same** (featc has it, same meaning), **alias** (featc
takes Polars' name and has its own too), **different** (how to write it in featc), **not yet**,
or **refused** (why). The status is computed from featc's standard library and frame methods.
`

// polarsAnswers is the written part of the page: where featc's answer agrees with Polars' although
// SQL's would differ, and where it differs, with the rewrite.
//
//go:embed polars_answers.md
var polarsAnswers string

// writePolarsMarkdown renders docs/polars.md.
func writePolarsMarkdown(w io.Writer, lib *stdlib.Library) {
	fmt.Fprint(w, polarsIntro)
	fmt.Fprint(w, "\n"+polarsAnswers)
	fmt.Fprint(w, polarsNamesIntro)
	for _, sec := range polarsSections {
		fmt.Fprintf(w, "\n### %s\n\n| Polars | featc | status |\n|---|---|---|\n", sec.title)
		for _, e := range sec.entries {
			status, form := polarsStatus(lib, e)
			fmt.Fprintf(w, "| `%s` | %s | %s |\n", polarsDisplay(e.name), form, status)
		}
	}
}

// polarsDisplay writes a name as Polars users write it: pl.col("x").rank, df.head.
func polarsDisplay(name string) string {
	if rest, ok := strings.CutPrefix(name, "col."); ok {
		return "pl.col(…)." + rest
	}
	return name
}
