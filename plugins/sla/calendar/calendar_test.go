package calendar

import (
	"errors"
	"math/rand/v2"
	"testing"
	"time"
)

// The holiday facts below are what lunar-go v1.4.7 reports (and, for 2026,
// what the State Council notice says):
//
//	2026 元旦 01-01..01-03 off, Sun 01-04 works
//	2026 春节 02-15..02-23 off, Sat 02-14 and Sat 02-28 work
//	2026 清明 04-04..04-06 off
//	2026 劳动节 05-01..05-05 off, Sat 05-09 works
//	2026 端午 06-19..06-21 off
//	2026 中秋 09-25..09-27 off
//	2026 国庆 10-01..10-07 off, Sun 09-20 and Sat 10-10 work
//	2027 元旦 01-01..01-03 off
//	2027 春节 02-05..02-13 off, Sun 01-31 and Sun 02-14 work
//	2027 清明 04-03..04-05 off
//	2027 劳动节 05-01..05-05 off, Sat 05-08 works
//	2027 端午 06-09 off, 中秋 09-15 off
//	2027 国庆 10-01..10-07 off, Sun 09-26 and Sat 10-09 work
//	2028: no data (first uncovered year)

const clock = "2006-01-02 15:04"

// at parses a China wall-clock time; tests never use time.Now.
func at(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation(clock, s, Location())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func seeded(t testing.TB) *Calendar {
	t.Helper()
	days, err := Seed(2026, 2027)
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(days, nil)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCoveredYears(t *testing.T) {
	first, last := CoveredYears()
	if first != 2002 || last != 2027 {
		t.Fatalf("CoveredYears() = %d, %d; want 2002, 2027 for lunar-go v1.4.7", first, last)
	}
	// Seeding the whole coverage (as the migration does) works: 26 years,
	// six of them leap years.
	days, err := Seed(first, last)
	if err != nil || len(days) != 26*365+6 {
		t.Fatalf("Seed(%d, %d) = %d days, %v", first, last, len(days), err)
	}
	if _, err := New(days, nil); err != nil {
		t.Fatal(err)
	}
}

func TestSeed(t *testing.T) {
	days, err := Seed(2026, 2027)
	if err != nil {
		t.Fatal(err)
	}
	if len(days) != 365+365 {
		t.Fatalf("len = %d, want 730", len(days))
	}
	if days[0].Date != "2026-01-01" || days[len(days)-1].Date != "2027-12-31" {
		t.Fatalf("range %s..%s", days[0].Date, days[len(days)-1].Date)
	}
	byDate := make(map[string]Day, len(days))
	for i, d := range days {
		if i > 0 && d.Date <= days[i-1].Date {
			t.Fatalf("not in date order at %s", d.Date)
		}
		byDate[d.Date] = d
	}
	want := []Day{
		{"2026-01-01", false, "元旦节"},
		{"2026-01-04", true, "元旦节调休"},
		{"2026-02-14", true, "春节调休"},
		{"2026-02-17", false, "春节"},
		{"2026-02-23", false, "春节"},
		{"2026-02-28", true, "春节调休"},
		{"2026-05-05", false, "劳动节"},
		{"2026-05-09", true, "劳动节调休"},
		{"2026-09-20", true, "国庆节调休"},
		{"2026-09-25", false, "中秋节"},
		{"2026-10-07", false, "国庆节"},
		{"2026-10-10", true, "国庆节调休"},
		{"2026-03-04", true, ""},  // ordinary Wednesday
		{"2026-03-07", false, ""}, // ordinary Saturday
		{"2027-01-31", true, "春节调休"},
		{"2027-02-05", false, "春节"},
		{"2027-02-13", false, "春节"},
		{"2027-02-14", true, "春节调休"},
		{"2027-05-08", true, "劳动节调休"},
		{"2027-06-09", false, "端午节"},
		{"2027-09-15", false, "中秋节"},
		{"2027-09-26", true, "国庆节调休"},
		{"2027-10-09", true, "国庆节调休"},
		{"2027-12-31", true, ""},
	}
	for _, w := range want {
		if got := byDate[w.Date]; got != w {
			t.Errorf("%s: got %+v, want %+v", w.Date, got, w)
		}
	}
	// Net effect of 13 statutory holiday days a year, independently of the
	// individual arrangements: 365 - 104 weekend days - 13 = 248.
	for _, y := range []string{"2026", "2027"} {
		n := 0
		for _, d := range days {
			if d.Date[:4] == y && d.Work {
				n++
			}
		}
		if n != 248 {
			t.Errorf("%s has %d working days, want 248", y, n)
		}
	}
}

func TestSeedRefusesUncoveredYears(t *testing.T) {
	for _, r := range [][2]int{{2028, 2028}, {2027, 2028}, {2001, 2002}, {1999, 1999}} {
		_, err := Seed(r[0], r[1])
		var nc *NotCoveredError
		if !errors.Is(err, ErrNotCovered) || !errors.As(err, &nc) {
			t.Errorf("Seed(%d, %d) err = %v, want NotCoveredError", r[0], r[1], err)
			continue
		}
		if nc.Year != 2028 && nc.Year != 2001 && nc.Year != 1999 {
			t.Errorf("Seed(%d, %d) reported year %d", r[0], r[1], nc.Year)
		}
	}
	if _, err := Seed(2027, 2026); err == nil || errors.Is(err, ErrNotCovered) {
		t.Errorf("Seed(2027, 2026) err = %v, want argument error", err)
	}
	// The oldest year has data too.
	if _, err := Seed(2002, 2002); err != nil {
		t.Errorf("Seed(2002, 2002): %v", err)
	}
}

func TestIsWorkdayAndLookup(t *testing.T) {
	c := seeded(t)
	cases := []struct {
		when string
		work bool
		name string
	}{
		{"2026-09-30 23:59", true, ""},
		{"2026-10-01 00:00", false, "国庆节"},
		{"2026-10-10 09:00", true, "国庆节调休"}, // Saturday
		{"2026-10-11 09:00", false, ""},     // Sunday
		{"2027-02-14 09:00", true, "春节调休"},  // Sunday
	}
	for _, tc := range cases {
		got, err := c.IsWorkday(at(t, tc.when))
		if err != nil || got != tc.work {
			t.Errorf("IsWorkday(%s) = %v, %v; want %v", tc.when, got, err, tc.work)
		}
		d, err := c.Lookup(at(t, tc.when))
		if err != nil || d.Work != tc.work || d.Name != tc.name || d.Date != tc.when[:10] {
			t.Errorf("Lookup(%s) = %+v, %v", tc.when, d, err)
		}
	}
	// 2026-09-30 16:30 UTC is already 10-01 00:30 in China.
	if w, err := c.IsWorkday(time.Date(2026, 9, 30, 16, 30, 0, 0, time.UTC)); err != nil || w {
		t.Errorf("IsWorkday must use the China date: %v, %v", w, err)
	}
	if _, err := c.IsWorkday(at(t, "2028-01-03 09:00")); !errors.Is(err, ErrNotCovered) {
		t.Errorf("IsWorkday(2028) err = %v", err)
	}
	if _, err := c.IsWorkday(at(t, "2025-12-31 09:00")); !errors.Is(err, ErrNotCovered) {
		t.Errorf("IsWorkday(2025) err = %v", err)
	}
}

func TestAddWorkingDays(t *testing.T) {
	c := seeded(t)
	cases := []struct {
		name string
		from string
		n    float64
		want string
	}{
		{"ordinary next day", "2026-03-04 10:00", 1, "2026-03-05 17:30"},
		{"after close still next day", "2026-03-04 18:00", 1, "2026-03-05 17:30"},
		{"before opening", "2026-03-04 07:00", 1, "2026-03-05 17:30"},
		{"dispatched at midnight", "2026-03-04 00:00", 1, "2026-03-05 17:30"},
		{"dispatched on Saturday", "2026-03-07 10:00", 1, "2026-03-09 17:30"},
		{"over a weekend", "2026-03-05 10:00", 3, "2026-03-10 17:30"},
		{"zero is from", "2026-03-04 10:00", 0, "2026-03-04 10:00"},

		// 国庆 2026: 10-01..10-07 off, Sat 10-10 works: 10-08, 10-09, 10-10,
		// (Sun off) 10-12, 10-13.
		{"afternoon before 国庆 2026", "2026-09-30 15:00", 5, "2026-10-13 17:30"},
		{"国庆 2026 make-up Saturday", "2026-09-30 15:00", 3, "2026-10-10 17:30"},
		{"dispatched during 国庆 2026", "2026-10-03 10:00", 1, "2026-10-08 17:30"},
		{"中秋 2026", "2026-09-24 16:00", 1, "2026-09-28 17:30"},
		{"make-up Sunday 09-20", "2026-09-18 10:00", 1, "2026-09-20 17:30"},
		{"春节 2026 make-up Saturday", "2026-02-13 10:00", 1, "2026-02-14 17:30"},
		{"春节 2026 holiday", "2026-02-13 10:00", 2, "2026-02-24 17:30"},
		{"春节 2026 second make-up", "2026-02-26 10:00", 2, "2026-02-28 17:30"},
		{"劳动节 2026", "2026-04-30 14:00", 3, "2026-05-08 17:30"},
		{"劳动节 2026 make-up", "2026-04-30 14:00", 4, "2026-05-09 17:30"},
		{"元旦 2026 make-up Sunday", "2026-01-02 10:00", 1, "2026-01-04 17:30"},
		{"春节 2027 make-up Sunday", "2027-01-29 10:00", 1, "2027-01-31 17:30"},
		{"春节 2027", "2027-02-04 10:00", 1, "2027-02-14 17:30"},
		{"春节 2027 after make-up", "2027-02-04 10:00", 2, "2027-02-15 17:30"},
		{"劳动节 2027", "2027-04-30 10:00", 1, "2027-05-06 17:30"},
		{"劳动节 2027 make-up", "2027-04-30 10:00", 3, "2027-05-08 17:30"},
		{"国庆 2027", "2027-09-30 10:00", 1, "2027-10-08 17:30"},
		{"国庆 2027 make-up", "2027-09-30 10:00", 2, "2027-10-09 17:30"},
		{"across the year", "2026-12-30 10:00", 2, "2027-01-04 17:30"},
		{"last covered day", "2027-12-30 10:00", 1, "2027-12-31 17:30"},

		// Fractions: whole days, then the fraction of a 7h day.
		{"half day", "2026-03-04 10:00", 0.5, "2026-03-05 12:00"},
		{"one and a half", "2026-03-04 10:00", 1.5, "2026-03-06 12:00"},
		{"half day after close", "2026-03-04 18:00", 0.5, "2026-03-05 12:00"},
		{"half day before 国庆", "2026-09-30 15:00", 0.5, "2026-10-08 12:00"},
		{"fraction into make-up Sat", "2026-10-09 10:00", 0.25, "2026-10-10 10:15"},
	}
	for _, tc := range cases {
		got, err := c.AddWorkingDays(at(t, tc.from), tc.n)
		if err != nil {
			t.Errorf("%s: AddWorkingDays(%s, %v): %v", tc.name, tc.from, tc.n, err)
			continue
		}
		if want := at(t, tc.want); !got.Equal(want) || got.Location() != Location() {
			t.Errorf("%s: AddWorkingDays(%s, %v) = %s, want %s", tc.name, tc.from, tc.n, got.Format(clock), tc.want)
		}
	}
}

func TestAddWorkingHours(t *testing.T) {
	c := seeded(t)
	cases := []struct {
		name string
		from string
		h    float64
		want string
	}{
		{"example from the design", "2026-03-04 11:00", 2, "2026-03-04 15:00"},
		{"11:59 + 1min ends at noon", "2026-03-04 11:59", 1.0 / 60, "2026-03-04 12:00"},
		{"11:59 + 2min skips lunch", "2026-03-04 11:59", 2.0 / 60, "2026-03-04 14:01"},
		{"at 12:00", "2026-03-04 12:00", 1, "2026-03-04 15:00"},
		{"at 13:59", "2026-03-04 13:59", 1, "2026-03-04 15:00"},
		{"at 14:00", "2026-03-04 14:00", 1, "2026-03-04 15:00"},
		{"at 17:29", "2026-03-04 17:29", 1, "2026-03-05 09:29"},
		{"at 17:30", "2026-03-04 17:30", 1, "2026-03-05 09:30"},
		{"at 17:31", "2026-03-04 17:31", 1, "2026-03-05 09:30"},
		{"at midnight", "2026-03-04 00:00", 1, "2026-03-04 09:30"},
		{"full day ends at close", "2026-03-04 08:30", 7, "2026-03-04 17:30"},
		{"full day and a minute", "2026-03-04 08:30", 7 + 1.0/60, "2026-03-05 08:31"},
		{"morning exactly", "2026-03-04 08:30", 3.5, "2026-03-04 12:00"},
		{"zero", "2026-03-07 10:00", 0, "2026-03-07 10:00"},
		{"Friday to Monday", "2026-03-06 17:00", 1, "2026-03-09 09:00"},
		{"into make-up Sunday", "2026-09-18 17:00", 1, "2026-09-20 09:00"},
		{"over 国庆 2026", "2026-09-30 15:00", 8, "2026-10-08 16:00"},
		{"from inside 国庆 2026", "2026-10-02 10:00", 1, "2026-10-08 09:30"},
		{"over 春节 2027", "2027-02-04 17:00", 1, "2027-02-14 09:00"},
		{"72 working hours", "2026-03-02 08:30", 72, "2026-03-16 10:30"},
	}
	for _, tc := range cases {
		got, err := c.AddWorkingHours(at(t, tc.from), tc.h)
		if err != nil {
			t.Errorf("%s: AddWorkingHours(%s, %v): %v", tc.name, tc.from, tc.h, err)
			continue
		}
		if want := at(t, tc.want); !got.Equal(want) {
			t.Errorf("%s: AddWorkingHours(%s, %v) = %s, want %s", tc.name, tc.from, tc.h, got.Format(clock), tc.want)
		}
	}
}

func TestWorkingTimeBetween(t *testing.T) {
	c := seeded(t)
	cases := []struct {
		name string
		a, b string
		want time.Duration
	}{
		{"same morning", "2026-03-04 09:00", "2026-03-04 11:00", 2 * time.Hour},
		{"over lunch", "2026-03-04 10:00", "2026-03-04 15:00", 3 * time.Hour},
		{"inside lunch", "2026-03-04 12:30", "2026-03-04 13:30", 0},
		{"11:59 to 14:01", "2026-03-04 11:59", "2026-03-04 14:01", 2 * time.Minute},
		{"17:30 to 17:31", "2026-03-04 17:30", "2026-03-04 17:31", 0},
		{"overnight", "2026-03-04 17:00", "2026-03-05 09:00", time.Hour},
		{"over 国庆 2026", "2026-09-30 15:00", "2026-10-08 10:00", 4 * time.Hour},
		{"overdue is negative", "2026-10-08 10:00", "2026-09-30 15:00", -4 * time.Hour},
		{"one week", "2026-03-02 00:00", "2026-03-09 00:00", 35 * time.Hour},
		{"rest day only", "2026-10-03 00:00", "2026-10-04 00:00", 0},
		{"make-up Saturday", "2026-10-10 00:00", "2026-10-11 00:00", 7 * time.Hour},
		{"all of 2026", "2026-01-01 00:00", "2027-01-01 00:00", 248 * 7 * time.Hour},
		{"all of 2027, ends at uncovered midnight", "2027-01-01 00:00", "2028-01-01 00:00", 248 * 7 * time.Hour},
	}
	for _, tc := range cases {
		got, err := c.WorkingTimeBetween(at(t, tc.a), at(t, tc.b))
		if err != nil || got != tc.want {
			t.Errorf("%s: WorkingTimeBetween(%s, %s) = %v, %v; want %v", tc.name, tc.a, tc.b, got, err, tc.want)
		}
	}
}

// TestPause shows the pause/resume recipe from the package documentation.
func TestPause(t *testing.T) {
	c := seeded(t)
	// Mon 09-28 + 3 working days: Tue 09-29, Wed 09-30, (国庆) Thu 10-08.
	deadline, err := c.AddWorkingDays(at(t, "2026-09-28 10:00"), 3)
	if err != nil {
		t.Fatal(err)
	}
	if want := at(t, "2026-10-08 17:30"); !deadline.Equal(want) {
		t.Fatalf("deadline %s", deadline.Format(clock))
	}
	left, err := c.WorkingTimeBetween(at(t, "2026-09-30 10:00"), deadline) // paused
	if err != nil {
		t.Fatal(err)
	}
	if left != 5*time.Hour+30*time.Minute+7*time.Hour { // rest of 09-30 + 10-08
		t.Fatalf("left = %v", left)
	}
	resumed, err := c.AddWorkingTime(at(t, "2026-10-12 08:00"), left)
	if err != nil {
		t.Fatal(err)
	}
	// 7h on Mon 10-12, then 5.5h of Tue 10-13.
	if want := at(t, "2026-10-13 16:00"); !resumed.Equal(want) {
		t.Errorf("resumed deadline %s, want 2026-10-13 16:00", resumed.Format(clock))
	}
	// A pause that spans no working time gives back the same deadline.
	left, _ = c.WorkingTimeBetween(at(t, "2026-09-30 18:00"), deadline)
	same, err := c.AddWorkingTime(at(t, "2026-10-08 07:00"), left)
	if err != nil || !same.Equal(deadline) {
		t.Errorf("overnight pause moved deadline to %s (%v)", same.Format(clock), err)
	}
}

func TestNotCovered(t *testing.T) {
	c := seeded(t)
	check := func(name string, err error, date string) {
		t.Helper()
		var nc *NotCoveredError
		if !errors.As(err, &nc) || !errors.Is(err, ErrNotCovered) {
			t.Errorf("%s: err = %v, want NotCoveredError", name, err)
			return
		}
		if nc.Date != date || nc.Year != atYear(date) {
			t.Errorf("%s: reported %s/%d, want %s", name, nc.Date, nc.Year, date)
		}
	}
	_, err := c.AddWorkingDays(at(t, "2027-12-30 10:00"), 2)
	check("AddWorkingDays into 2028", err, "2028-01-01")
	_, err = c.AddWorkingDays(at(t, "2027-12-31 10:00"), 0.5)
	check("half a day into 2028", err, "2028-01-01")
	_, err = c.AddWorkingDays(at(t, "2028-01-03 10:00"), 1)
	check("dispatched in 2028", err, "2028-01-03")
	_, err = c.AddWorkingDays(at(t, "2025-12-31 10:00"), 1)
	check("dispatched in 2025", err, "2025-12-31")
	_, err = c.AddWorkingHours(at(t, "2027-12-31 16:00"), 2)
	check("AddWorkingHours into 2028", err, "2028-01-01")
	_, err = c.Add(at(t, "2027-12-31 16:00"), 2, UnitWorkingHours)
	check("Add working hours into 2028", err, "2028-01-01")
	_, err = c.WorkingTimeBetween(at(t, "2027-12-31 16:00"), at(t, "2028-01-01 00:01"))
	check("WorkingTimeBetween into 2028", err, "2028-01-01")
	_, err = c.WorkingTimeBetween(at(t, "2028-01-02 16:00"), at(t, "2027-12-01 00:00"))
	check("WorkingTimeBetween reversed", err, "2028-01-01")

	// A hole in the middle (an admin deleted a row) is not papered over.
	days, _ := Seed(2026, 2026)
	var holed []Day
	for _, d := range days {
		if d.Date != "2026-06-01" {
			holed = append(holed, d)
		}
	}
	h, err := New(holed, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = h.AddWorkingDays(at(t, "2026-05-29 10:00"), 1) // Fri → Mon 06-01 missing
	check("hole", err, "2026-06-01")
	_, err = h.WorkingTimeBetween(at(t, "2026-05-20 10:00"), at(t, "2026-06-20 10:00"))
	check("hole in range", err, "2026-06-01")
	if _, err = h.AddWorkingDays(at(t, "2026-05-27 10:00"), 2); err != nil {
		t.Errorf("days before the hole: %v", err)
	}

	empty, err := New(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = empty.AddWorkingDays(at(t, "2026-03-04 10:00"), 1)
	check("empty calendar", err, "2026-03-04")
	if f, l := empty.Range(); f != "" || l != "" {
		t.Errorf("empty Range() = %q, %q", f, l)
	}
}

func atYear(date string) int {
	t, _ := time.Parse(DateLayout, date)
	return t.Year()
}

func TestAddUnits(t *testing.T) {
	c := seeded(t)
	from := at(t, "2026-09-30 15:00")
	cases := []struct {
		unit   Unit
		amount float64
		want   string
	}{
		{UnitWallHours, 48, "2026-10-02 15:00"},
		{UnitWorkingHours, 8, "2026-10-08 16:00"},
		{UnitWorkingDays, 5, "2026-10-13 17:30"},
	}
	for _, tc := range cases {
		if !tc.unit.Valid() {
			t.Errorf("%s not valid", tc.unit)
		}
		got, err := c.Add(from, tc.amount, tc.unit)
		if err != nil || !got.Equal(at(t, tc.want)) {
			t.Errorf("Add(%v %s) = %s, %v; want %s", tc.amount, tc.unit, got.Format(clock), err, tc.want)
		}
	}
	// Wall hours need no calendar, and work beyond it.
	var none *Calendar
	if got, err := none.Add(at(t, "2030-01-01 10:00"), 1.5, UnitWallHours); err != nil || !got.Equal(at(t, "2030-01-01 11:30")) {
		t.Errorf("nil calendar wall hours = %s, %v", got, err)
	}
	if _, err := none.Add(from, 1, UnitWorkingDays); err == nil {
		t.Error("nil calendar working days: want error")
	}
	if _, err := c.Add(from, 1, Unit("months")); err == nil || Unit("months").Valid() {
		t.Error("unknown unit accepted")
	}
	for _, bad := range []float64{-1, 1e12} {
		for _, u := range []Unit{UnitWallHours, UnitWorkingHours, UnitWorkingDays} {
			if _, err := c.Add(from, bad, u); err == nil {
				t.Errorf("Add(%v %s): want error", bad, u)
			}
		}
	}
	if _, err := c.AddWorkingTime(from, -time.Minute); err == nil {
		t.Error("negative working time accepted")
	}
}

func TestCustomWorkingHours(t *testing.T) {
	hours, err := ParseWorkingHours("09:00-17:00")
	if err != nil {
		t.Fatal(err)
	}
	days, _ := Seed(2026, 2026)
	c, err := New(days, hours)
	if err != nil {
		t.Fatal(err)
	}
	if c.DayLength() != 8*time.Hour {
		t.Errorf("DayLength = %v", c.DayLength())
	}
	got, err := c.AddWorkingDays(at(t, "2026-03-04 10:00"), 1.5)
	if err != nil || !got.Equal(at(t, "2026-03-06 13:00")) {
		t.Errorf("1.5 days = %s, %v", got.Format(clock), err)
	}
	got, err = c.AddWorkingHours(at(t, "2026-03-04 12:00"), 6)
	if err != nil || !got.Equal(at(t, "2026-03-05 10:00")) {
		t.Errorf("6 hours = %s, %v", got.Format(clock), err)
	}
}

func TestParseWorkingHours(t *testing.T) {
	got, err := ParseWorkingHours(" 14:00-17:30, 08:30-12:00 ")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0] != (Interval{840, 1050}) || got[1] != (Interval{510, 720}) {
		t.Errorf("got %v", got)
	}
	c, err := New(nil, got)
	if err != nil {
		t.Fatal(err)
	}
	if w := c.WorkingHours(); len(w) != 2 || w[0].String() != "08:30-12:00" || w[1].String() != "14:00-17:30" {
		t.Errorf("WorkingHours() = %v, want sorted default", w)
	}
	for _, bad := range []string{"", "8-12", "08:30-12:00,11:00-13:00", "12:00-08:30", "08:60-09:00", "23:00-24:01", "x"} {
		if _, err := ParseWorkingHours(bad); err == nil {
			t.Errorf("ParseWorkingHours(%q): want error", bad)
		}
	}
	if _, err := ParseWorkingHours("00:00-24:00"); err != nil {
		t.Errorf("whole day: %v", err)
	}
}

func TestNewValidation(t *testing.T) {
	if _, err := New([]Day{{Date: "2026-03-04", Work: true}, {Date: "2026-03-04"}}, nil); err == nil {
		t.Error("duplicate date accepted")
	}
	if _, err := New([]Day{{Date: "2026-3-4"}}, nil); err == nil {
		t.Error("malformed date accepted")
	}
	if _, err := New([]Day{{Date: "0202-01-01"}, {Date: "2026-01-01"}}, nil); err == nil {
		t.Error("absurd span accepted")
	}
	if _, err := New(nil, []Interval{}); err == nil {
		t.Error("no working hours accepted")
	}
	if _, err := New(nil, []Interval{{600, 500}}); err == nil {
		t.Error("inverted interval accepted")
	}
	c, err := New([]Day{{Date: "2026-03-05", Work: true}, {Date: "2026-03-04", Work: true}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if f, l := c.Range(); f != "2026-03-04" || l != "2026-03-05" {
		t.Errorf("Range() = %s, %s", f, l)
	}
}

// TestAgainstReference cross-checks the prefix-sum implementation against a
// plain per-day walk over the seeded days, and AddWorkingTime against
// WorkingTimeBetween, on deterministic pseudo-random inputs.
func TestAgainstReference(t *testing.T) {
	days, _ := Seed(2026, 2027)
	c, _ := New(days, nil)
	work := make(map[string]bool, len(days))
	for _, d := range days {
		work[d.Date] = d.Work
	}
	refDays := func(from time.Time, n int) (time.Time, bool) {
		d := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, Location())
		for n > 0 {
			d = d.AddDate(0, 0, 1)
			w, ok := work[d.Format(DateLayout)]
			if !ok {
				return time.Time{}, false
			}
			if w {
				n--
			}
		}
		return d.Add(17*time.Hour + 30*time.Minute), true
	}
	start := at(t, "2026-01-01 00:00")
	rng := rand.New(rand.NewPCG(2026, 2027))
	for i := 0; i < 5000; i++ {
		from := start.Add(time.Duration(rng.Int64N(int64(730 * day))))
		n := rng.IntN(40)
		want, ok := refDays(from, n)
		got, err := c.AddWorkingDays(from, float64(n))
		switch {
		case n == 0:
			if err != nil || !got.Equal(from) {
				t.Fatalf("AddWorkingDays(%s, 0) = %s, %v", from, got, err)
			}
		case !ok:
			if !errors.Is(err, ErrNotCovered) {
				t.Fatalf("AddWorkingDays(%s, %d) = %s, %v; want NotCovered", from, n, got, err)
			}
		case err != nil || !got.Equal(want):
			t.Fatalf("AddWorkingDays(%s, %d) = %s, %v; want %s", from, n, got, err, want)
		}

		d := time.Duration(rng.Int64N(int64(60 * time.Hour)))
		end, err := c.AddWorkingTime(from, d)
		if errors.Is(err, ErrNotCovered) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		back, err := c.WorkingTimeBetween(from, end)
		if err != nil || back != d {
			t.Fatalf("WorkingTimeBetween(%s, AddWorkingTime(+%v) = %s) = %v, %v", from, d, end, back, err)
		}
		// Earliest such instant: one nanosecond earlier is not enough.
		if d > 0 {
			short, err := c.WorkingTimeBetween(from, end.Add(-time.Nanosecond))
			if err != nil || short >= d {
				t.Fatalf("AddWorkingTime(%s, %v) = %s is not the earliest instant", from, d, end)
			}
		}
	}
}

func BenchmarkAddWorkingDays(b *testing.B) {
	c := seeded(b)
	from := at(b, "2026-09-30 15:00")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := c.AddWorkingDays(from, 15); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAddWorkingHours(b *testing.B) {
	c := seeded(b)
	from := at(b, "2026-09-30 15:00")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := c.AddWorkingHours(from, 72); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWorkingTimeBetween(b *testing.B) {
	c := seeded(b)
	from, to := at(b, "2026-09-30 15:00"), at(b, "2027-09-30 10:00")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := c.WorkingTimeBetween(from, to); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSeedAndNew(b *testing.B) {
	for i := 0; i < b.N; i++ {
		days, err := Seed(2026, 2027)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := New(days, nil); err != nil {
			b.Fatal(err)
		}
	}
}
