package calendar

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"time"
)

// ErrNotCovered is matched (via errors.Is) by every [*NotCoveredError].
var ErrNotCovered = errors.New("calendar: date not covered by the holiday calendar")

// NotCoveredError reports that a computation needed a date the calendar has
// no entry for, typically because its year's holiday schedule is not known
// yet. Callers should surface it to admins rather than fall back to
// Monday–Friday.
type NotCoveredError struct {
	// Year is the year of Date, or the year Seed was asked for.
	Year int
	// Date is the first missing date ("2006-01-02"); empty from [Seed].
	Date string
}

func (e *NotCoveredError) Error() string {
	if e.Date == "" {
		return fmt.Sprintf("calendar: year %d is not covered by the holiday calendar", e.Year)
	}
	return fmt.Sprintf("calendar: %s is not covered by the holiday calendar (year %d)", e.Date, e.Year)
}

// Is makes errors.Is(err, ErrNotCovered) true for a *NotCoveredError.
func (e *NotCoveredError) Is(target error) bool { return target == ErrNotCovered }

// Unit is the unit a time limit is expressed in.
type Unit string

// Units of a time limit; see the package documentation for their semantics.
const (
	UnitWallHours    Unit = "wall_hours"
	UnitWorkingHours Unit = "working_hours"
	UnitWorkingDays  Unit = "working_days"
)

// Valid reports whether u is one of the known units.
func (u Unit) Valid() bool {
	return u == UnitWallHours || u == UnitWorkingHours || u == UnitWorkingDays
}

type dayState uint8

const (
	unknown dayState = iota // no entry: any computation touching it fails
	work
	rest
)

const (
	secondsPerDay = 24 * 3600
	cstOffset     = 8 * 3600
	day           = 24 * time.Hour
	// maxSpanDays bounds the table so a typo such as year 0202 in the admin
	// collection is an error, not a multi-megabyte allocation.
	maxSpanDays = 100_000
	// maxAmount bounds amounts (in hours or days) so conversions to
	// time.Duration cannot overflow.
	maxAmount = 1_000_000
)

// Calendar answers working-time questions for the dates it was built from.
// It is immutable and safe for concurrent use.
type Calendar struct {
	base  int64 // day number (days since 1970-01-01 in China) of state[0]
	state []dayState
	names []string
	// cumWork[i] and cumGap[i] count working and unknown days in state[:i],
	// so range questions are O(1) and "n-th working day" a binary search.
	cumWork []int
	cumGap  []int

	spans   []span
	perDay  time.Duration // working time of one working day
	closeAt time.Duration // end of the last working interval, e.g. 17:30
}

// New builds a Calendar from days (any order; dates need not be contiguous,
// missing dates are simply not covered) and working hours (nil means
// [DefaultWorkingHours]). Malformed or duplicate dates and invalid or
// overlapping intervals are errors.
func New(days []Day, hours []Interval) (*Calendar, error) {
	if hours == nil {
		hours = DefaultWorkingHours()
	}
	spans, err := normalizeHours(hours)
	if err != nil {
		return nil, err
	}
	last := spans[len(spans)-1]
	c := &Calendar{
		spans:   spans,
		perDay:  last.before + last.end - last.start,
		closeAt: last.end,
	}

	nums := make([]int64, len(days))
	for i, d := range days {
		t, err := time.Parse(DateLayout, d.Date)
		if err != nil {
			return nil, fmt.Errorf("calendar: day %d: invalid date %q", i, d.Date)
		}
		nums[i] = t.Unix() / secondsPerDay // t is UTC midnight: exact division
	}
	if len(days) == 0 {
		return c, nil
	}
	lo, hi := nums[0], nums[0]
	for _, n := range nums {
		lo, hi = min(lo, n), max(hi, n)
	}
	if hi-lo >= maxSpanDays {
		return nil, fmt.Errorf("calendar: dates %s..%s span too many years", dateOf(lo), dateOf(hi))
	}
	size := int(hi - lo + 1)
	c.base = lo
	c.state = make([]dayState, size)
	c.names = make([]string, size)
	for i, d := range days {
		k := nums[i] - lo
		if c.state[k] != unknown {
			return nil, fmt.Errorf("calendar: duplicate date %s", d.Date)
		}
		c.state[k] = rest
		if d.Work {
			c.state[k] = work
		}
		c.names[k] = d.Name
	}
	c.cumWork = make([]int, size+1)
	c.cumGap = make([]int, size+1)
	for i, s := range c.state {
		c.cumWork[i+1] = c.cumWork[i]
		c.cumGap[i+1] = c.cumGap[i]
		switch s {
		case work:
			c.cumWork[i+1]++
		case unknown:
			c.cumGap[i+1]++
		}
	}
	return c, nil
}

// WorkingHours returns a copy of the working intervals, sorted.
func (c *Calendar) WorkingHours() []Interval {
	out := make([]Interval, len(c.spans))
	for i, s := range c.spans {
		out[i] = Interval{int(s.start / time.Minute), int(s.end / time.Minute)}
	}
	return out
}

// DayLength returns the working time of one working day (7h by default).
func (c *Calendar) DayLength() time.Duration { return c.perDay }

// Range returns the first and last date the calendar has an entry for, or
// two empty strings for an empty calendar. Dates in between may still be
// missing if the calendar was built from non-contiguous days.
func (c *Calendar) Range() (first, last string) {
	if len(c.state) == 0 {
		return "", ""
	}
	return dateOf(c.base), dateOf(c.base + int64(len(c.state)) - 1)
}

// Lookup returns the entry for the date of t in China.
func (c *Calendar) Lookup(t time.Time) (Day, error) {
	n, _ := split(t)
	k, err := c.index(n)
	if err != nil {
		return Day{}, err
	}
	return Day{Date: dateOf(n), Work: c.state[k] == work, Name: c.names[k]}, nil
}

// IsWorkday reports whether the date of t in China is a working day.
func (c *Calendar) IsWorkday(t time.Time) (bool, error) {
	n, _ := split(t)
	k, err := c.index(n)
	if err != nil {
		return false, err
	}
	return c.state[k] == work, nil
}

// Add returns the deadline amount units after from. UnitWallHours needs no
// calendar, so it also works on a nil *Calendar.
func (c *Calendar) Add(from time.Time, amount float64, unit Unit) (time.Time, error) {
	switch unit {
	case UnitWallHours:
		if err := checkAmount(amount, "hours"); err != nil {
			return time.Time{}, err
		}
		return from.Add(hoursToDuration(amount)).In(cst), nil
	case UnitWorkingHours, UnitWorkingDays:
		if c == nil {
			return time.Time{}, fmt.Errorf("calendar: %s needs a holiday calendar", unit)
		}
		if unit == UnitWorkingHours {
			return c.AddWorkingHours(from, amount)
		}
		return c.AddWorkingDays(from, amount)
	default:
		return time.Time{}, fmt.Errorf("calendar: unknown unit %q", unit)
	}
}

// AddWorkingHours returns the instant at which h working hours have elapsed
// after from; see [Calendar.AddWorkingTime].
func (c *Calendar) AddWorkingHours(from time.Time, h float64) (time.Time, error) {
	if err := checkAmount(h, "hours"); err != nil {
		return time.Time{}, err
	}
	return c.AddWorkingTime(from, hoursToDuration(h))
}

// AddWorkingTime returns the earliest instant at which d of working time has
// elapsed after from. Time outside working hours or on rest days does not
// count; from outside working hours effectively starts at the next working
// interval. A deadline reached exactly at the end of an interval is reported
// at that end (12:00, 17:30). d == 0 returns from. The cost is O(log days),
// independent of d.
func (c *Calendar) AddWorkingTime(from time.Time, d time.Duration) (time.Time, error) {
	if d < 0 {
		return time.Time{}, fmt.Errorf("calendar: negative working time %v", d)
	}
	if d == 0 {
		return from.In(cst), nil
	}
	n, off := split(from)
	k, err := c.index(n)
	if err != nil {
		return time.Time{}, err
	}
	if c.state[k] == work {
		done := c.workedBefore(off)
		if d <= c.perDay-done {
			return midnight(n).Add(c.offsetAt(done + d)), nil
		}
		d -= c.perDay - done
	}
	// The rest finishes on the m-th following working day, within is how
	// much of that day it uses (0 < within <= perDay).
	m := int64((d + c.perDay - 1) / c.perDay)
	within := d - time.Duration(m-1)*c.perDay
	target, err := c.nthWorkday(n, m)
	if err != nil {
		return time.Time{}, err
	}
	return midnight(target).Add(c.offsetAt(within)), nil
}

// AddWorkingDays returns the deadline n working days after from: the close
// of business (end of the last working interval, 17:30 by default) of the
// n-th working day after the calendar day of from. The day of from itself
// never counts. A fractional part is added as that fraction of a working
// day's working time after the whole days (1.5 days from Wednesday = Friday
// 12:00 with default hours). n == 0 returns from.
func (c *Calendar) AddWorkingDays(from time.Time, n float64) (time.Time, error) {
	if err := checkAmount(n, "days"); err != nil {
		return time.Time{}, err
	}
	if n == 0 {
		return from.In(cst), nil
	}
	start, _ := split(from)
	if _, err := c.index(start); err != nil {
		return time.Time{}, err
	}
	whole := math.Floor(n)
	target := start
	if whole > 0 {
		var err error
		if target, err = c.nthWorkday(start, int64(whole)); err != nil {
			return time.Time{}, err
		}
	}
	deadline := midnight(target).Add(c.closeAt)
	frac := time.Duration(math.Round((n - whole) * float64(c.perDay)))
	if frac == 0 {
		return deadline, nil
	}
	// With whole == 0 the close of business may precede from (dispatched
	// at 18:00); no working time lies in between, so the result is the same.
	return c.AddWorkingTime(deadline, frac)
}

// WorkingTimeBetween returns the working time between a and b, negative if b
// is before a (so WorkingTimeBetween(now, deadline) < 0 means overdue by that
// much). Every date from a's to b's must be covered; b at midnight does not
// require b's date. It is the inverse of [Calendar.AddWorkingTime] and runs
// in O(1).
func (c *Calendar) WorkingTimeBetween(a, b time.Time) (time.Duration, error) {
	if b.Before(a) {
		d, err := c.WorkingTimeBetween(b, a)
		return -d, err
	}
	i, oa := split(a)
	j, ob := split(b)
	if j > i && ob == 0 {
		// b is the end of the previous day; its own date plays no part.
		j, ob = j-1, day
	}
	if err := c.checkRange(i, j); err != nil {
		return 0, err
	}
	ki, kj := int(i-c.base), int(j-c.base)
	if i == j {
		if c.state[ki] != work {
			return 0, nil
		}
		return c.workedBefore(ob) - c.workedBefore(oa), nil
	}
	var total time.Duration
	if c.state[ki] == work {
		total += c.perDay - c.workedBefore(oa)
	}
	total += time.Duration(c.cumWork[kj]-c.cumWork[ki+1]) * c.perDay
	if c.state[kj] == work {
		total += c.workedBefore(ob)
	}
	return total, nil
}

// index returns the table index of day number n, or a NotCoveredError.
func (c *Calendar) index(n int64) (int, error) {
	k := n - c.base
	if k < 0 || k >= int64(len(c.state)) || c.state[k] == unknown {
		return 0, notCovered(n)
	}
	return int(k), nil
}

// checkRange reports the first uncovered day in the day numbers from..to.
func (c *Calendar) checkRange(from, to int64) error {
	lo, hi, size := from-c.base, to-c.base, int64(len(c.state))
	if lo < 0 {
		return notCovered(from)
	}
	if end := min(hi, size-1); lo <= end && c.cumGap[end+1] > c.cumGap[lo] {
		for k := lo; k <= end; k++ { // error path only
			if c.state[k] == unknown {
				return notCovered(c.base + k)
			}
		}
	}
	if hi >= size {
		return notCovered(c.base + max(lo, size))
	}
	return nil
}

// nthWorkday returns the day number of the m-th (m >= 1) working day after
// day number n, which must be covered. Every day on the way must be covered.
func (c *Calendar) nthWorkday(n, m int64) (int64, error) {
	k := int(n - c.base)
	size := len(c.state)
	want := int64(c.cumWork[k+1]) + m
	// Smallest index j > k with cumWork[j+1] >= want.
	j := k + 1 + sort.Search(size-k-1, func(x int) bool {
		return int64(c.cumWork[k+2+x]) >= want
	})
	if err := c.checkRange(n+1, c.base+int64(j)); err != nil {
		return 0, err // j == size: ran off the table
	}
	return c.base + int64(j), nil
}

// workedBefore returns the working time of a working day before offset off.
func (c *Calendar) workedBefore(off time.Duration) time.Duration {
	var done time.Duration
	for _, s := range c.spans {
		if off <= s.start {
			break
		}
		if off < s.end {
			return s.before + off - s.start
		}
		done = s.before + s.end - s.start
	}
	return done
}

// offsetAt is the inverse of workedBefore for 0 < w <= perDay, choosing the
// end of an interval over the start of the next one.
func (c *Calendar) offsetAt(w time.Duration) time.Duration {
	for _, s := range c.spans {
		if w <= s.before+s.end-s.start {
			return s.start + w - s.before
		}
	}
	return c.closeAt
}

// split returns the day number of t in China and the time since midnight.
func split(t time.Time) (int64, time.Duration) {
	secs := t.Unix() + cstOffset
	n := secs / secondsPerDay
	if secs%secondsPerDay < 0 {
		n-- // floor division for instants before 1970
	}
	return n, time.Duration(secs-n*secondsPerDay)*time.Second + time.Duration(t.Nanosecond())
}

func midnight(n int64) time.Time { return time.Unix(n*secondsPerDay-cstOffset, 0).In(cst) }

func dateOf(n int64) string { return time.Unix(n*secondsPerDay, 0).UTC().Format(DateLayout) }

func notCovered(n int64) error {
	t := time.Unix(n*secondsPerDay, 0).UTC()
	return &NotCoveredError{Year: t.Year(), Date: t.Format(DateLayout)}
}

func checkAmount(v float64, what string) error {
	if math.IsNaN(v) || v < 0 || v > maxAmount {
		return fmt.Errorf("calendar: invalid amount %v %s", v, what)
	}
	return nil
}

func hoursToDuration(h float64) time.Duration {
	return time.Duration(math.Round(h * float64(time.Hour)))
}
