package analytics

import (
	"sort"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"siyang/hooks"
)

// Day cells. The current month changes all day, and recomputing it whole
// each job run read all its appeals once per metric (≈ 10 s of a core a
// minute at 1M appeals). So its cells are also kept per day: rows of
// metric_cells whose month column is a day ("2026-11-25"; no answer reads
// them), and a run recomputes only the month's dirty days
// (rollup_marks.go) and sums the month's cells from its day cells again.
// A month that is no longer the current one is recomputed whole at its
// next refresh, which drops its day cells (a full rebuild drops all).

// dayUnitsEnd bounds a month's day units: they sort after the month
// ("2026-11" < "2026-11-01") and before month+dayUnitsEnd ('~' > '-').
const dayUnitsEnd = "~"

// dayPeriod is the China-time day "2026-11-25" as a period.
func dayPeriod(day string) (Period, error) {
	t, err := time.ParseInLocation("2006-01-02", day, hooks.ChinaTime())
	if err != nil {
		return Period{}, err
	}
	return Period{Label: day, From: t, To: t.AddDate(0, 0, 1)}, nil
}

// spannedDays are the month's days from asOf's to now's (China time): a
// 签收 deadline that passed since the month's last refresh lies in them
// (响应率 counts only passed deadlines).
func spannedDays(month, asOf string, now time.Time) []string {
	from, err := time.Parse(dbDateLayout, asOf)
	if err != nil {
		return nil
	}
	cn := hooks.ChinaTime()
	var out []string
	for d := from.In(cn); ; d = d.AddDate(0, 0, 1) {
		day := d.Format("2006-01-02")
		if day[:7] == month {
			out = append(out, day)
		}
		if day >= now.In(cn).Format("2006-01-02") || len(out) > 31 {
			return out
		}
	}
}

func uniqueSorted(days []string) []string {
	sort.Strings(days)
	out := days[:0]
	for i, d := range days {
		if i == 0 || d != days[i-1] {
			out = append(out, d)
		}
	}
	return out
}

// refreshDays recomputes the month's given days as of now, replaces their
// day cells and sums the month's cells from all its day cells again, with
// the month's state, in one transaction.
func refreshDays(app core.App, month string, days []string, now time.Time, guard guardFunc) error {
	cells := map[cellID]*cellSums{}
	for _, d := range days {
		pr, err := dayPeriod(d)
		if err != nil {
			return err
		}
		got, err := periodCells(app, pr, now, "", true)
		if err != nil {
			return err
		}
		for id, c := range got {
			cells[id] = c
		}
	}
	return app.RunInTransaction(func(tx core.App) error {
		in := make([]any, len(days))
		for i, d := range days {
			in[i] = d
		}
		if len(in) > 0 {
			if _, err := tx.DB().Delete("metric_cells", dbx.In("month", in...)).Execute(); err != nil {
				return err
			}
		}
		if err := insertCells(tx, cells); err != nil {
			return err
		}
		params := dbx.Params{"month": month, "end": month + dayUnitsEnd}
		if _, err := tx.DB().NewQuery("DELETE FROM metric_cells WHERE month = {:month}").Bind(params).Execute(); err != nil {
			return err
		}
		// The month's cells are the sums of its days' (ids: 15 random
		// characters of PocketBase's alphabet, like GenerateDefaultRandomId).
		if _, err := tx.DB().NewQuery(`INSERT INTO metric_cells (id, metric, month, department, kind, key, base, hit1, hit2, sum)
			SELECT substr(lower(hex(randomblob(8))), 1, 15), metric, {:month}, department, kind, key,
				SUM(base), SUM(hit1), SUM(hit2), SUM(sum)
			FROM metric_cells WHERE month > {:month} AND month < {:end}
			GROUP BY metric, department, kind, key`).Bind(params).Execute(); err != nil {
			return err
		}
		save := func(dirty bool) error { return saveMonthState(tx, month, dirty, now) }
		if guard == nil {
			return save(false)
		}
		return guard(month, save)
	})
}
