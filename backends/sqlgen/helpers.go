package sqlgen

import "github.com/featc/featc/stdlib"

// Helpers are the small pieces of SQL that differ between engines and that several templates
// use: epoch microseconds, truncating integer division, calendar arithmetic, NaN tests, regular
// expression matches. Every dialect implements each of them, so that a dialect lacking one,
// or a template asking for one that does not exist, does not compile. A helper's template
// takes its arguments as {0}, {1}, …
type Helpers interface {
	// IDiv is integer division truncating toward zero: {0} / {1}.
	IDiv() Template
	// EpochUS is the microseconds since 1970-01-01 of a timestamp {0}, as a BIGINT.
	EpochUS() Template
	// FromEpochUS is the timestamp {0} microseconds after 1970-01-01.
	FromEpochUS() Template
	// TsAddUS adds {1} microseconds to the timestamp {0}.
	TsAddUS() Template
	// DateAddMonths adds {1} months to the date {0}, clamping to the month's last day.
	DateAddMonths() Template
	// TsAddMonths adds {1} months to the timestamp {0}, clamping to the month's last day.
	TsAddMonths() Template
	// DateDiffDays is the days from the date {1} to the date {0}, as a BIGINT.
	DateDiffDays() Template
	// IsNaN tests a float {0} for NaN.
	IsNaN() Template
	// IsNaNOrInf tests a float {0} for NaN or an infinity.
	IsNaNOrInf() Template
	// DateTrunc truncates the timestamp {1} to the unit named by the text {0} (weeks start on Monday).
	DateTrunc() Template
	// MakeDate is the first day of the year {0} and month {1}.
	MakeDate() Template
	// First is the first value {0} in the order {1} (an ORDER BY list), over the rows where
	// {2} holds (a condition, or empty), keeping nulls; {3} is the result's SQL type.
	First() Template
	// NthSorted is the {1}-th (0-based) of the non-null values of {0} in ascending order.
	NthSorted() Template
	// RoundEven rounds a float {0} half to even.
	RoundEven() Template
	// Matches tests whether the text {0} matches the anchored regular expression {1}.
	Matches() Template
	// RegexFlavor is the syntax of the engine's regular expressions (stdlib/regex.go writes
	// featc's patterns in it).
	RegexFlavor() stdlib.RegexFlavor
	// RegexSearch tests whether the text {0} holds a match of the regular expression {1}.
	RegexSearch() Template
	// RegexCount is the number of non-overlapping matches of {1} in {0}, as a BIGINT.
	RegexCount() Template
	// RegexExtract is the text of group {2} (a constant ≥ 1) of the first match of {1} in {0},
	// null where there is none.
	RegexExtract() Template
	// RegexReplaceFirst and RegexReplaceAll replace the first or every match of {1} in {0} by
	// {2}, where \N stands for group N.
	RegexReplaceFirst() Template
	RegexReplaceAll() Template
	// Position is the 1-based position, in characters, of the first occurrence of the text {0}
	// in the text {1}; 0 where there is none.
	Position() Template
	// TsTextUTC reads text {0} holding a timestamp with a UTC offset as its UTC wall time.
	TsTextUTC() Template
	// NonFinite, where the engine's STDDEV and VAR fail on infinities and NaN rather than
	// return them, writes the aggregate {1} of {0} with its OVER clause {2} (or none), for
	// which a group with at most {3} values (ddof) is null; ok is false where the engine's
	// own aggregates follow IEEE arithmetic.
	NonFinite() (t Template, ok bool)
}

// helperTemplates names each helper of a dialect as docs/functions.md lists it.
func helperTemplates(h Helpers) map[string]Template {
	out := map[string]Template{
		"@idiv": h.IDiv(), "@epoch_us": h.EpochUS(), "@from_epoch_us": h.FromEpochUS(), "@ts_add_us": h.TsAddUS(),
		"@date_add_months": h.DateAddMonths(), "@ts_add_months": h.TsAddMonths(), "@date_diff_days": h.DateDiffDays(),
		"@isnan": h.IsNaN(), "@isnan_or_inf": h.IsNaNOrInf(), "@date_trunc": h.DateTrunc(), "@make_date": h.MakeDate(),
		"@first": h.First(), "@nth_sorted": h.NthSorted(), "@round_even": h.RoundEven(), "@matches": h.Matches(), "@position": h.Position(),
		"@ts_text_utc": h.TsTextUTC(), "@regex_search": h.RegexSearch(), "@regex_count": h.RegexCount(), "@regex_extract": h.RegexExtract(),
		"@regex_replace_first": h.RegexReplaceFirst(), "@regex_replace_all": h.RegexReplaceAll(),
	}
	if t, ok := h.NonFinite(); ok {
		out["@nonfinite"] = t
	}
	return out
}

// use writes a helper's template with arguments.
func (d *Dialect) use(t Template, args ...Expr) Expr {
	return (&Call{D: d}).use(t, args...)
}

// use writes a helper from within a call, passing its window clause on (Call.Over).
func (c *Call) use(t Template, args ...Expr) Expr {
	h := &Call{D: c.D, Args: args, Over: c.Over}
	if t.Fn != nil {
		out, err := t.Fn(h)
		if err != nil {
			// Helpers take written arguments and decode no constants: they cannot fail.
			panic("sqlgen: a helper failed: " + err.Error())
		}
		return out
	}
	return h.Fill(t.SQL, t.Prec)
}

// Overrides returns every template the dialect writes its own way, by key: its Funcs and its
// helpers (named "@…"), for docs/functions.md's notes per engine.
func (d *Dialect) Overrides() map[string]Template {
	out := helperTemplates(d.Helpers)
	for k, t := range d.Funcs {
		out[k] = t
	}
	return out
}
