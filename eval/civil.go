package eval

import "github.com/featc/featc/types"

// Calendar arithmetic on days since 1970-01-01 (proleptic Gregorian, UTC), without time.Time,
// after Howard Hinnant's civil_from_days and days_from_civil.

// The range featc accepts: 0001-01-01 through 9999-12-31.
const (
	minDay = -719162
	maxDay = 2932896
	minTS  = minDay * types.Day
	maxTS  = (maxDay+1)*types.Day - 1
)

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }

// civil returns the year, month (1–12) and day of days since the epoch.
func civil(z int64) (y, m, d int64) {
	z += 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	if mp < 10 {
		m = mp + 3
	} else {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return
}

// daysOf returns days since the epoch of a civil date.
func daysOf(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := m - 3
	if m <= 2 {
		mp = m + 9
	}
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func isLeap(y int64) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func daysInMonth(y, m int64) int64 {
	switch m {
	case 2:
		if isLeap(y) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// weekdayOf returns the ISO day of the week (Monday = 1) of days since the epoch (a Thursday).
func weekdayOf(z int64) int64 { return floorMod(z+3, 7) + 1 }

// dayOfYear returns 1–366.
func dayOfYear(z int64) int64 {
	y, _, _ := civil(z)
	return z - daysOf(y, 1, 1) + 1
}

// isoWeek returns the ISO 8601 week number of days since the epoch.
func isoWeek(z int64) int64 {
	// The week's Thursday decides the year; the week number counts Thursdays of that year.
	thursday := z - weekdayOf(z) + 4
	y, _, _ := civil(thursday)
	return (thursday-daysOf(y, 1, 1))/7 + 1
}

// addMonths moves a date by n months, clamping the day to the month's last day.
func addMonths(z, n int64) int64 {
	y, m, d := civil(z)
	total := y*12 + (m - 1) + n
	ny, nm := floorDiv(total, 12), floorMod(total, 12)+1
	if dim := daysInMonth(ny, nm); d > dim {
		d = dim
	}
	return daysOf(ny, nm, d)
}

// splitTS splits a timestamp into its day and the microseconds into that day.
func splitTS(ts int64) (day, us int64) {
	day = floorDiv(ts, types.Day)
	return day, ts - day*types.Day
}

func dayInRange(z int64) bool { return z >= minDay && z <= maxDay }
func tsInRange(t int64) bool  { return t >= minTS && t <= maxTS }

// truncMonths returns the first day of the period of `every` months that holds day z, periods
// aligned to year starts.
func truncMonths(z, every int64) int64 {
	y, m, _ := civil(z)
	total := y*12 + (m - 1)
	total = floorDiv(total, every) * every
	return daysOf(floorDiv(total, 12), floorMod(total, 12)+1, 1)
}

// truncFixed returns the start of the period of `every` microseconds that holds t; periods of
// whole weeks align to Monday 1970-01-05, others to the epoch.
func truncFixed(t, every int64) int64 {
	origin := int64(0)
	if every%types.Week == 0 {
		origin = 4 * types.Day
	}
	return floorDiv(t-origin, every)*every + origin
}
