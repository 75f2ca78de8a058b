package stdlib

import "github.com/featc/featc/types"

// Temporal functions, called through the .dt namespace. Timestamps are UTC with microsecond
// precision; weeks start on Monday (ISO 8601).

func temporalFuncs() []*Func {
	part := func(name, doc string, dateToo bool, examples ...Example) *Func {
		o := []*Overload{ov("dt_"+name+"_timestamp", types.Int64T, tsp)}
		if dateToo {
			o = append([]*Overload{ov("dt_"+name+"_date", types.Int64T, dat)}, o...)
		}
		// A time part of a date would always be 0: dates are not promoted to timestamps here.
		return &Func{
			Name: "dt." + name, Method: true, Kind: Scalar, Family: "temporal", Params: []Param{{Name: "x", Exact: !dateToo}},
			Doc: doc, Overloads: o, Examples: examples,
		}
	}
	total := func(name, unit string, examples ...Example) *Func {
		return &Func{
			Name: "dt." + name, Method: true, Kind: Scalar, Family: "temporal", Params: []Param{param("x", "")},
			Doc:       "The whole number of " + unit + " in a duration, truncated toward zero.",
			Overloads: []*Overload{ov("dt_"+name, types.Int64T, dur)}, Examples: examples,
			Aliases: []string{"dt.total_" + name}, // Polars' names
		}
	}
	special := func(name, doc string, params []Param, examples ...Example) *Func {
		return &Func{Name: "dt." + name, Method: true, Kind: Scalar, Family: "temporal", Special: true,
			Params: append([]Param{param("x", "a date or timestamp")}, params...), Doc: doc, Examples: examples}
	}
	unit := func(choices ...string) []Param {
		return []Param{{Name: "time_unit", Kind: Const, Optional: true, Default: `"us"`, Choices: choices}}
	}
	return []*Func{
		part("year", "The year.", true, Example{Expr: "@2024-02-29.dt.year()", Want: "2024"}),
		part("quarter", "The quarter, 1 to 4.", true, Example{Expr: "@2024-05-01.dt.quarter()", Want: "2"}),
		part("month", "The month, 1 to 12.", true, Example{Expr: "@2024-02-29.dt.month()", Want: "2"}),
		part("week", "The ISO 8601 week number, 1 to 53 (weeks start on Monday; week 1 holds the year's first Thursday).", true,
			Example{Expr: "@2021-01-03.dt.week()", Want: "53"}),
		part("day", "The day of the month, 1 to 31.", true, Example{Expr: "@2024-02-29.dt.day()", Want: "29"}),
		withAliases(part("day_of_year", "The day of the year, 1 to 366.", true, Example{Expr: "@2024-12-31.dt.day_of_year()", Want: "366"},
			Example{Expr: "@2023-03-01.dt.ordinal_day()", Want: "60"}), "dt.ordinal_day"),
		part("weekday", "The ISO day of the week: Monday = 1 … Sunday = 7.", true,
			Example{Expr: "@2024-01-01.dt.weekday()", Want: "1"}, Example{Expr: "@2024-01-07.dt.weekday()", Want: "7"}),
		{
			Name: "dt.is_leap_year", Method: true, Kind: Scalar, Family: "temporal", Params: []Param{param("x", "")},
			Doc: "True where x falls in a leap year of the proleptic Gregorian calendar (divisible by 4, " +
				"and centuries only when divisible by 400).",
			Overloads: []*Overload{ov("dt_is_leap_year_date", types.BoolT, dat), ov("dt_is_leap_year_timestamp", types.BoolT, tsp)},
			Examples: []Example{
				{Expr: "@2024-06-01.dt.is_leap_year()", Want: "true"}, {Expr: "@1900-06-01.dt.is_leap_year()", Want: "false"},
				{Expr: "@2000-06-01T12:00:00.dt.is_leap_year()", Want: "true"}, {Expr: "@2023-06-01.dt.is_leap_year()", Want: "false"},
			},
		},
		part("hour", "The hour, 0 to 23.", false, Example{Expr: "@2024-01-01T13:45:00.dt.hour()", Want: "13"}),
		part("minute", "The minute, 0 to 59.", false, Example{Expr: "@2024-01-01T13:45:00.dt.minute()", Want: "45"}),
		part("second", "The second, 0 to 59 (the fraction is dropped).", false, Example{Expr: "@2024-01-01T13:45:07.5.dt.second()", Want: "7"}),
		part("millisecond", "The milliseconds within the second, 0 to 999 (the microseconds dropped).", false,
			Example{Expr: "@2024-01-01T00:00:07.123456.dt.millisecond()", Want: "123"}, Example{Expr: "@1969-12-31T23:59:59.9995.dt.millisecond()", Want: "999"}),
		part("microsecond", "The microseconds within the second, 0 to 999999.", false,
			Example{Expr: "@2024-01-01T00:00:00.000123.dt.microsecond()", Want: "123"}),
		{
			Name: "dt.date", Method: true, Kind: Scalar, Family: "temporal", Params: []Param{param("x", "")},
			Doc:       "The date of a timestamp (the time dropped).",
			Overloads: []*Overload{ov("dt_date_timestamp", types.DateT, tsp)},
			Examples:  []Example{{Expr: "@2024-01-01T23:59:59.dt.date()", Want: "@2024-01-01"}},
		},
		{
			Name: "dt.truncate", Method: true, Kind: Scalar, Family: "temporal",
			Params:   []Param{param("x", ""), constParam("every", `a unit: "1y", "1q", "1mo", "1w", "1d", "1h", "15m", … or a duration literal`)},
			Validate: validateTruncate,
			Doc: "The start of the period that holds x. Years, quarters and months align to the calendar " +
				"(every must divide 12 months or be whole years); weeks (and multiples of 7 days) start on Monday; " +
				"other fixed units align to 1970-01-01T00:00:00. A date stays a date (every must be whole days or calendar units).",
			Overloads: []*Overload{
				ov("dt_truncate_date_interval", types.DateT, dat, itv),
				ov("dt_truncate_date_duration", types.DateT, dat, dur),
				ov("dt_truncate_timestamp_interval", types.TimestampT, tsp, itv),
				ov("dt_truncate_timestamp_duration", types.TimestampT, tsp, dur),
			},
			Examples: []Example{
				{Expr: `@2024-02-29.dt.truncate("1mo")`, Want: "@2024-02-01"},
				{Expr: `@2024-01-03.dt.truncate("1w")`, Want: "@2024-01-01"},
				{Expr: "@2024-01-03T10:47:00.dt.truncate(15m)", Want: "@2024-01-03T10:45:00"},
			},
		},
		{
			Name: "dt.offset_by", Method: true, Kind: Scalar, Family: "temporal",
			Params: []Param{param("x", ""), param("by", "a duration or a calendar interval such as 1mo")},
			Doc: "x moved by a duration or calendar interval, the same as x + by. Adding months keeps the " +
				"day of the month, clamped to the month's last day (Jan 31 + 1mo = Feb 29 in 2024). Polars' text " +
				"offsets that mix months and a fixed part (\"1mo2d\", \"-1y3h\") move by the months first, then the rest; " +
				"a date moved by whole days stays a date.",
			Overloads: []*Overload{
				ov("dt_offset_by_date_interval", types.DateT, dat, itv),
				ov("dt_offset_by_date_duration", types.TimestampT, dat, dur),
				ov("dt_offset_by_timestamp_interval", types.TimestampT, tsp, itv),
				ov("dt_offset_by_timestamp_duration", types.TimestampT, tsp, dur),
			},
			Examples: []Example{{Expr: "@2024-01-31.dt.offset_by(1mo)", Want: "@2024-02-29"},
				{Expr: `@2024-01-31.dt.offset_by("1mo2d")`, Want: "@2024-03-02"},
				{Expr: `@2024-03-31T10:00:00.dt.offset_by("-1mo1h")`, Want: "@2024-02-29T09:00:00"}},
		},
		total("days", "days", Example{Expr: "(@2024-03-01T12:00:00 - @2024-02-01).dt.days()", Want: "29"}),
		total("hours", "hours", Example{Expr: "90m.dt.hours()", Want: "1"}, Example{Expr: "(-90m).dt.total_hours()", Want: "-1"}),
		total("minutes", "minutes", Example{Expr: "90s.dt.minutes()", Want: "1"}),
		total("seconds", "seconds", Example{Expr: "1500ms.dt.seconds()", Want: "1"}),
		total("milliseconds", "milliseconds", Example{Expr: "1s.dt.milliseconds()", Want: "1000"}),
		total("microseconds", "microseconds", Example{Expr: "1ms.dt.microseconds()", Want: "1000"}),
		special("epoch", "The time since 1970-01-01T00:00:00 in whole units, as Polars' dt.epoch: \"ns\", \"us\" (the default), \"ms\", \"s\" or \"d\"; "+
			"rounded down (floor), so the second before the epoch is -1 s. A date counts from its midnight.", unit("ns", "us", "ms", "s", "d"),
			Example{Expr: `@1970-01-02T00:00:01.dt.epoch("s")`, Want: "86401"}, Example{Expr: `@1969-12-31T23:59:59.5.dt.epoch("s")`, Want: "-1"},
			Example{Expr: `@2024-01-01.dt.epoch("d")`, Want: "19723"}, Example{Expr: `@1970-01-01T00:00:00.001.dt.epoch()`, Want: "1000"}),
		special("timestamp", "The time since 1970-01-01T00:00:00 in whole \"ns\", \"us\" (the default) or \"ms\", as Polars' dt.timestamp (dt.epoch's units of time).", unit("ns", "us", "ms"),
			Example{Expr: `@1970-01-01T00:00:01.dt.timestamp("ms")`, Want: "1000"}, Example{Expr: `@1970-01-01T00:00:00.000001.dt.timestamp("ns")`, Want: "1000"}),
		special("month_start", "The first day of x's month; a timestamp keeps its time of day, as in Polars.", nil,
			Example{Expr: "@2024-02-29.dt.month_start()", Want: "@2024-02-01"}, Example{Expr: "@2024-03-15T10:30:00.dt.month_start()", Want: "@2024-03-01T10:30:00"}),
		special("month_end", "The last day of x's month; a timestamp keeps its time of day, as in Polars.", nil,
			Example{Expr: "@2024-02-10.dt.month_end()", Want: "@2024-02-29"}, Example{Expr: "@2023-12-31T23:00:00.dt.month_end()", Want: "@2023-12-31T23:00:00"}),
	}
}
