package eval

import (
	"github.com/featc/featc/types"
)

func temporalKernels(m map[string]kernel) {
	// Parts of dates (days) and timestamps (microseconds).
	dateParts := map[string]func(z int64) int64{
		"year":        func(z int64) int64 { y, _, _ := civil(z); return y },
		"quarter":     func(z int64) int64 { _, mo, _ := civil(z); return (mo-1)/3 + 1 },
		"month":       func(z int64) int64 { _, mo, _ := civil(z); return mo },
		"week":        isoWeek,
		"day":         func(z int64) int64 { _, _, d := civil(z); return d },
		"day_of_year": dayOfYear,
		"weekday":     weekdayOf,
	}
	for name, f := range dateParts {
		f := f
		m["dt_"+name+"_date"] = intUnary(types.Int64T, f)
		m["dt_"+name+"_timestamp"] = intUnary(types.Int64T, func(t int64) int64 { return f(floorDiv(t, types.Day)) })
	}
	m["dt_is_leap_year_date"] = leapYear(1)
	m["dt_is_leap_year_timestamp"] = leapYear(types.Day)
	m["dt_hour_timestamp"] = intUnary(types.Int64T, func(t int64) int64 { return floorMod(t, types.Day) / types.Hour })
	m["dt_minute_timestamp"] = intUnary(types.Int64T, func(t int64) int64 { return floorMod(t, types.Hour) / types.Minute })
	m["dt_second_timestamp"] = intUnary(types.Int64T, func(t int64) int64 { return floorMod(t, types.Minute) / types.Second })
	m["dt_millisecond_timestamp"] = intUnary(types.Int64T, func(t int64) int64 { return floorMod(t, types.Second) / 1000 })
	m["dt_microsecond_timestamp"] = intUnary(types.Int64T, func(t int64) int64 { return floorMod(t, types.Second) })
	m["dt_date_timestamp"] = intUnary(types.DateT, func(t int64) int64 { return floorDiv(t, types.Day) })

	m["dt_truncate_date_interval"] = intBinaryPlain(types.DateT, truncMonths)
	m["dt_truncate_date_duration"] = intBinaryPlain(types.DateT, func(z, every int64) int64 {
		return truncFixed(z*types.Day, every) / types.Day
	})
	m["dt_truncate_timestamp_interval"] = intBinaryPlain(types.TimestampT, func(t, every int64) int64 {
		return truncMonths(floorDiv(t, types.Day), every) * types.Day
	})
	m["dt_truncate_timestamp_duration"] = intBinaryPlain(types.TimestampT, truncFixed)

	m["dt_offset_by_date_interval"] = m["add_date_interval"]
	m["dt_offset_by_date_duration"] = m["add_date_duration"]
	m["dt_offset_by_timestamp_interval"] = m["add_timestamp_interval"]
	m["dt_offset_by_timestamp_duration"] = m["add_timestamp_duration"]

	for name, unit := range map[string]int64{
		"days": types.Day, "hours": types.Hour, "minutes": types.Minute, "seconds": types.Second,
		"milliseconds": types.Millisecond, "microseconds": types.Microsecond,
	} {
		unit := unit
		m["dt_"+name] = intUnary(types.Int64T, func(d int64) int64 { return d / unit })
	}
}

// leapYear is dt.is_leap_year of dates (per = 1) or timestamps (per = types.Day).
func leapYear(per int64) kernel {
	return func(k *kctx, out *Vec, a []*Vec) error {
		x := a[0]
		out.resize(types.BoolT, k.n)
		mergeNulls(out, x)
		for i := range out.B {
			y, _, _ := civil(floorDiv(x.I[x.idx(i)], per))
			out.B[i] = isLeap(y)
		}
		return nil
	}
}

// intUnary maps each int row with f (no failure).
func intUnary(t types.Type, f func(int64) int64) kernel {
	return func(k *kctx, out *Vec, a []*Vec) error {
		x := a[0]
		out.resize(t, k.n)
		mergeNulls(out, x)
		if x.Const {
			out.I[0] = f(x.I[0])
			return nil
		}
		for i, v := range x.I[:k.n] {
			out.I[i] = f(v)
		}
		return nil
	}
}

// intBinaryPlain maps two int columns with f (no failure).
func intBinaryPlain(t types.Type, f func(x, y int64) int64) kernel {
	return func(k *kctx, out *Vec, a []*Vec) error {
		x, y := a[0], a[1]
		out.resize(t, k.n)
		mergeNulls(out, x, y)
		for i := range out.I {
			out.I[i] = f(x.I[x.idx(i)], y.I[y.idx(i)])
		}
		return nil
	}
}
