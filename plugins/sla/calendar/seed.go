package calendar

import (
	"fmt"
	"sync"
	"time"

	"github.com/6tail/lunar-go/HolidayUtil"
)

// DateLayout is the format of [Day.Date].
const DateLayout = "2006-01-02"

// Day is one calendar date as stored in the admin-editable collection.
type Day struct {
	// Date is the date in China, formatted as [DateLayout] ("2006-01-02").
	Date string
	// Work reports whether the date is a working day.
	Work bool
	// Name is the holiday ("国庆节") or make-up working day ("国庆节调休")
	// the date belongs to; empty for ordinary weekdays and weekends.
	Name string
}

// makeUpSuffix marks a make-up working day in [Day.Name]; lunar-go only
// reports the holiday name plus a work flag.
const makeUpSuffix = "调休"

// Seed returns one [Day] for every date of the years fromYear..toYear
// (inclusive), in date order, taken from lunar-go's statutory holiday data.
// Dates lunar-go does not list are working days Monday–Friday and rest days
// on weekends. Every year must lie within [CoveredYears]; otherwise Seed
// returns a [*NotCoveredError] rather than a Monday–Friday guess.
func Seed(fromYear, toYear int) ([]Day, error) {
	if fromYear > toYear {
		return nil, fmt.Errorf("calendar: seed years %d..%d: from after to", fromYear, toYear)
	}
	first, last := CoveredYears()
	for y := fromYear; y <= toYear; y++ {
		// yearComplete also catches a gap inside first..last, should a
		// future lunar-go release ever have one.
		if y < first || y > last || !yearComplete(y) {
			return nil, &NotCoveredError{Year: y}
		}
	}
	var days []Day
	for y := fromYear; y <= toYear; y++ {
		listed := holidaysOfYear(y)
		start := time.Date(y, time.January, 1, 0, 0, 0, 0, time.UTC)
		for d := start; d.Year() == y; d = d.AddDate(0, 0, 1) {
			date := d.Format(DateLayout)
			if day, ok := listed[date]; ok {
				days = append(days, day)
				continue
			}
			wd := d.Weekday()
			days = append(days, Day{Date: date, Work: wd != time.Saturday && wd != time.Sunday})
		}
	}
	return days, nil
}

// holidaysOfYear returns lunar-go's entries dated in year y, keyed by date.
// The first entry for a date wins, matching HolidayUtil.GetHoliday.
func holidaysOfYear(y int) map[string]Day {
	out := make(map[string]Day)
	l := HolidayUtil.GetHolidaysByYear(y)
	for e := l.Front(); e != nil; e = e.Next() {
		h := e.Value.(*HolidayUtil.Holiday)
		if _, dup := out[h.GetDay()]; dup {
			continue
		}
		name := h.GetName()
		if h.IsWork() {
			name += makeUpSuffix
		}
		out[h.GetDay()] = Day{Date: h.GetDay(), Work: h.IsWork(), Name: name}
	}
	return out
}

var coverage struct {
	once        sync.Once
	first, last int
}

// CoveredYears returns the first and last year for which lunar-go carries a
// complete statutory schedule: 2002 and 2027 for lunar-go v1.4.7.
//
// A year counts as covered when lunar-go lists both its 春节 and its 国庆
// arrangement, dated within that year. 国庆 is the last arrangement of every
// year, so this excludes years whose schedule is only partly known, e.g.
// 2001, for which lunar-go only has the two make-up days of 元旦 2002. The
// result is derived from the data rather than hard-coded so that a lunar-go
// upgrade extends the coverage automatically.
func CoveredYears() (first, last int) {
	coverage.once.Do(func() {
		// lunar-go's data starts in 2001; the upper bound leaves room for
		// many future releases while keeping the scan cheap.
		for y := 1990; y <= 2200; y++ {
			if !yearComplete(y) {
				continue
			}
			if coverage.first == 0 {
				coverage.first = y
			}
			coverage.last = y
		}
	})
	return coverage.first, coverage.last
}

func yearComplete(y int) bool {
	var spring, national bool
	l := HolidayUtil.GetHolidaysByYear(y)
	for e := l.Front(); e != nil; e = e.Next() {
		switch e.Value.(*HolidayUtil.Holiday).GetName() {
		case "春节":
			spring = true
		case "国庆节", "国庆中秋":
			national = true
		}
	}
	return spring && national
}
