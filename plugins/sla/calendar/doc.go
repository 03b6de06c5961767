// Package calendar computes appeal deadlines in working time following
// China's official holiday calendar, including 调休 (weekend days that are
// declared working days to make up for a holiday bridge).
//
// The package is pure Go with no PocketBase dependency so that the deadline
// arithmetic can be unit-tested exhaustively and cheaply; the PocketBase layer
// stores the [Day] rows in an admin-editable collection and builds a
// [Calendar] from them.
//
// # Data
//
// [Seed] produces one [Day] per date from the statutory holiday tables of
// github.com/6tail/lunar-go. A date lunar-go lists is a holiday (Work=false)
// or a make-up working day (Work=true, Name suffixed with "调休"); any other
// date is a working day Monday–Friday and a rest day on weekends. Only years
// whose whole schedule lunar-go publishes can be seeded, see [CoveredYears]
// (2002–2027 for lunar-go v1.4.7).
//
// A [Calendar] knows exactly the dates it was given. Any computation that
// needs a date without an entry fails with a [*NotCoveredError] (matching
// [ErrNotCovered] with errors.Is) instead of guessing Monday–Friday, because a
// silently wrong statutory deadline is worse than a visible configuration
// error.
//
// Caveat for the last covered year: the make-up days of the following year's
// 元旦 sometimes fall in late December (e.g. 2018-12-29 was a working
// Saturday for 元旦 2019). Those are unknown until the State Council publishes
// the next year's schedule, so the seeded late-December days of the last
// covered year follow the weekday rule and admins must revisit them.
//
// # Time
//
// All wall-clock reasoning happens in China Standard Time (UTC+8, no DST,
// see [Location]); results are returned in that zone. Inputs in other zones are
// converted first, so 2026-03-04T02:00Z is treated as 10:00 in China.
//
// Working hours are a list of [Interval]s inside a day, by default
// 08:30–12:00 and 14:00–17:30 (7 hours, see [DefaultWorkingHours]). Intervals
// are half-open, [start, end), but a deadline that is reached exactly at the
// end of an interval is reported at that end (12:00), not at the start of the
// next one (14:00).
//
// # Units
//
// Time limits come in three [Unit]s:
//
//   - wall_hours: plain elapsed time, no calendar involved
//     (Wed 10:00 + 48 wall hours = Fri 10:00).
//   - working_hours: only time inside working hours of working days counts.
//     Starting outside working hours, counting begins at the next working
//     interval. Examples with default hours on an ordinary Wednesday:
//     11:00 + 2h = 15:00 (11:00–12:00, then 14:00–15:00);
//     12:30 + 1h = 15:00; 17:30 + 1h = Thursday 09:30;
//     08:30 + 7h = 17:30 the same day.
//   - working_days: the day of dispatch is not counted (as for statutory
//     periods, 民法典 第二百零一条: 开始的当日不计入). The deadline is the end
//     of the working day (17:30) of the n-th working day after the calendar
//     day of dispatch, whatever time of day the case arrived and whether or
//     not that day was itself a working day. Examples: Wednesday 10:00 + 1 =
//     Thursday 17:30; Wednesday 18:00 + 1 = Thursday 17:30; Saturday 10:00 + 1
//     = Monday 17:30; 2026-09-30 15:00 + 5 = 2026-10-13 17:30 (国庆节
//     10-01..10-07 off, Saturday 10-10 is a 调休 working day).
//     A fractional part is converted to working hours at the length of a
//     working day and added after the whole days: with 7-hour days,
//     Wednesday 10:00 + 1.5 = Thursday 17:30 + 3.5h = Friday 12:00, and
//     Wednesday 10:00 + 0.5 = Wednesday 17:30 + 3.5h = Thursday 12:00. This
//     keeps deadlines monotonic in n (0.5 < 1 < 1.5 days → Thu 12:00 <
//     Thu 17:30 < Fri 12:00). An amount of 0 returns the dispatch time itself.
//
// # Remaining time and pausing
//
// [Calendar.WorkingTimeBetween] returns the signed working time between two
// instants: positive means time left, negative means overdue by that much
// working time. To pause a case (e.g. waiting for the citizen), store
// left := WorkingTimeBetween(pausedAt, deadline); on resume the new deadline
// is AddWorkingTime(resumedAt, left). Because AddWorkingTime and
// WorkingTimeBetween are exact inverses, a pause that spans no working time
// (say, overnight) gives back the same deadline. A paused working_days case
// therefore resumes as working time, which may move its deadline off 17:30;
// that is intended, the case keeps exactly the working time it had left.
package calendar
