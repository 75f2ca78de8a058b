package sqlgen

import (
	"fmt"
	"strconv"

	"github.com/featc/featc/types"
)

// temporalSQL writes the date, time and duration functions (stdlib/temporal.go). Parts are
// cast to featc's integer type; weeks and weekdays are ISO's.
var temporalSQL = Table{
	"dt.year":        {SQL: "CAST(EXTRACT(YEAR FROM {0}) AS {type})"},
	"dt.quarter":     {SQL: "CAST(EXTRACT(QUARTER FROM {0}) AS {type})"},
	"dt.month":       {SQL: "CAST(EXTRACT(MONTH FROM {0}) AS {type})"},
	"dt.day":         {SQL: "CAST(EXTRACT(DAY FROM {0}) AS {type})"},
	"dt.day_of_year": {SQL: "CAST(EXTRACT(DOY FROM {0}) AS {type})"},
	"dt.weekday":     {SQL: "CAST(EXTRACT(ISODOW FROM {0}) AS {type})"},
	"dt.week":        {SQL: "CAST(EXTRACT(WEEK FROM {0}) AS {type})"},
	"dt.hour":        {SQL: "CAST(EXTRACT(HOUR FROM {0}) AS {type})"},
	"dt.minute":      {SQL: "CAST(EXTRACT(MINUTE FROM {0}) AS {type})"},
	"dt.second":      {SQL: "CAST(FLOOR(EXTRACT(SECOND FROM {0})) AS {type})"},
	// Gregorian leap years, from the year part (null when x is).
	"dt.is_leap_year": {SQL: "CASE WHEN CAST(EXTRACT(YEAR FROM {0}) AS BIGINT) % 400 = 0 THEN TRUE WHEN CAST(EXTRACT(YEAR FROM {0}) AS BIGINT) % 100 = 0 THEN FALSE ELSE CAST(EXTRACT(YEAR FROM {0}) AS BIGINT) % 4 = 0 END"},
	"dt.millisecond":  {SQL: "CAST(FLOOR(EXTRACT(MICROSECONDS FROM {0}) / 1000) AS {type}) % 1000", Prec: PrecMul},
	"dt.microsecond":  {SQL: "CAST(EXTRACT(MICROSECONDS FROM {0}) AS {type}) % 1000000", Prec: PrecMul},
	"dt.date":         {Fn: func(c *Call) (Expr, error) { return c.D.CastTo(c.Args[0], types.DateT), nil }},
	"dt.truncate":     {Fn: truncate},

	"dt_offset_by_date_interval":      {Fn: addDateInterval},
	"dt_offset_by_date_duration":      {Fn: addDateDuration},
	"dt_offset_by_timestamp_interval": {Fn: addTimestampInterval},
	"dt_offset_by_timestamp_duration": {Fn: func(c *Call) (Expr, error) { return c.D.use(c.D.Helpers.TsAddUS(), c.Args[0], c.Args[1]), nil }},

	// Whole units of a duration (BIGINT microseconds), truncated toward zero.
	"dt.days":         {Fn: durationIn(types.Day)},
	"dt.hours":        {Fn: durationIn(types.Hour)},
	"dt.minutes":      {Fn: durationIn(types.Minute)},
	"dt.seconds":      {Fn: durationIn(types.Second)},
	"dt.milliseconds": {Fn: durationIn(types.Millisecond)},
	"dt.microseconds": {SQL: "{0}"},
}

// durationIn writes a duration in whole units of unit microseconds.
func durationIn(unit int64) func(c *Call) (Expr, error) {
	return func(c *Call) (Expr, error) {
		return c.D.use(c.D.Helpers.IDiv(), c.Args[0], atom("CAST("+strconv.FormatInt(unit, 10)+" AS BIGINT)")), nil
	}
}

// truncate writes dt.truncate(every): calendar months aligned to the year, fixed periods
// aligned to the epoch (whole weeks to Monday 1970-01-05).
func truncate(c *Call) (Expr, error) {
	every, err := c.Const(1)
	if err != nil {
		return Expr{}, err
	}
	d, x := c.D, c.Args[0]
	isDate := c.Types[0].Kind == types.Date
	if every.Type.Kind == types.Interval {
		date := x
		if !isDate {
			date = d.CastTo(x, types.DateT)
		}
		var out Expr
		switch every.I {
		case 1, 3, 12:
			unit := map[int64]string{1: "month", 3: "quarter", 12: "year"}[every.I]
			out = d.CastTo(d.use(d.Helpers.DateTrunc(), atom("'"+unit+"'"), d.CastTo(date, types.TimestampT)), types.DateT)
		default:
			months := fmt.Sprintf("CAST(EXTRACT(YEAR FROM %[1]s) AS BIGINT) * 12 + CAST(EXTRACT(MONTH FROM %[1]s) AS BIGINT) - 1", Paren(date))
			start := fmt.Sprintf("(%[1]s) - (%[1]s) %% %[2]d", months, every.I)
			out = d.use(d.Helpers.MakeDate(), d.use(d.Helpers.IDiv(), atom("("+start+")"), atom("12")), atom("("+start+") % 12 + 1"))
		}
		if isDate {
			return out, nil
		}
		return d.CastTo(out, types.TimestampT), nil
	}
	origin := int64(0)
	if every.I%types.Week == 0 {
		origin = 4 * types.Day
	}
	ts := x
	if isDate {
		ts = d.CastTo(x, types.TimestampT)
	}
	us := fmt.Sprintf("%s - %d", Paren(d.use(d.Helpers.EpochUS(), ts)), origin)
	q := d.use(d.Helpers.IDiv(), atom("("+us+")"), atom(strconv.FormatInt(every.I, 10)))
	floorQ := fmt.Sprintf("%s - CASE WHEN (%s) %% %d < 0 THEN 1 ELSE 0 END", Paren(q), us, every.I)
	start := Expr{SQL: fmt.Sprintf("(%s) * %d + %d", floorQ, every.I, origin), Prec: PrecAdd, Size: 1}
	out := d.use(d.Helpers.FromEpochUS(), start)
	if isDate {
		return d.CastTo(out, types.DateT), nil
	}
	return out, nil
}
