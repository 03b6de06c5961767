package analytics

import (
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"siyang/hooks"
)

// The roll-up: every metric but the 在办 snapshot, pre-aggregated per
// China-time month, department (and "*" for all departments together) and
// one further dimension (cellKinds), in the metric_cells table. A month's
// cells are filled by running the metric's own SQL (metricSQL) grouped by
// department, category, township, channel and day, so an answer summed
// from them equals the live one (rollup_test.go proves it). Freshness is
// in rollup_marks.go; reading in rollup_answer.go.

// allDepartments is the department of the cells that add up every department.
const allDepartments = "*"

// allMonths is the metric_months row that stands for every month: dirty
// means a full rebuild is due (data written by plain SQL, a region or
// calendar change); until it is done, every figure is computed live.
const allMonths = "*"

// cellKinds are the second dimensions a cell is broken down by ("" none).
var cellKinds = []string{"", "category", "township", "channel", "day"}

// cellSQL is a metric's query for one month's cells. The appeal is joined
// with LEFT JOIN so an assignment whose appeal is gone still counts for its
// department, as live; it has no category, township or channel (has_a 0).
func cellSQL(m metric) string {
	// has_a is a constant when the appeal is the metric's own table: a.id
	// is not in the covering indexes and would cost a row lookup each.
	join, hasA := "", "1"
	if m.join != "" {
		join, hasA = "LEFT "+m.join, "(a.id IS NOT NULL)"
	}
	// The region, not its township: monthCells maps regions to townships
	// by townshipExpr's rule (townships), sparing two region lookups a row.
	keys := m.dept + " AS dep, COALESCE(a.category, '') AS cat, COALESCE(a.region, '') AS town, " +
		"COALESCE(a.channel, '') AS chan, " + keyExpr(ByDay, m) + " AS day, " + hasA + " AS has_a"
	return metricSQL(m, keys, join, false, Scope{}, "dep, cat, town, chan, day, has_a")
}

// cellRow is one group of cellSQL's answer.
type cellRow struct {
	Dep   string  `db:"dep"`
	Cat   string  `db:"cat"`
	Town  string  `db:"town"`
	Chan  string  `db:"chan"`
	Day   string  `db:"day"`
	HasA  bool    `db:"has_a"`
	Base  int     `db:"base"`
	H1    int     `db:"h1"`
	H2    int     `db:"h2"`
	Total float64 `db:"total"`
}

// cellID is a cell: unit is its metric_cells.month, a month ("2026-11")
// or, for the current month's day cells, a day ("2026-11-25").
type cellID struct{ unit, metric, department, kind, key string }

type cellSums struct {
	base, hit1, hit2 int
	sum              float64
}

// monthBounds is the China-time month "2026-11" as a period.
func monthBounds(month string) (Period, error) {
	t, err := time.ParseInLocation("2006-01", month, hooks.ChinaTime())
	if err != nil {
		return Period{}, err
	}
	return MonthPeriod(t), nil
}

// periodCells computes the cells of pr as of now: under the unit month
// when it is not "", and under each row's day when withDays.
func periodCells(app core.App, pr Period, now time.Time, month string, withDays bool) (map[cellID]*cellSums, error) {
	until := pr.To
	if now.Before(until) {
		until = now
	}
	params := dbx.Params{"from": sqlTime(pr.From), "to": sqlTime(pr.To), "until": sqlTime(until)}
	cells := map[cellID]*cellSums{}
	add := func(id cellID, r cellRow) {
		c := cells[id]
		if c == nil {
			c = &cellSums{}
			cells[id] = c
		}
		c.base, c.hit1, c.hit2, c.sum = c.base+r.Base, c.hit1+r.H1, c.hit2+r.H2, c.sum+r.Total
	}
	towns, err := townships(app)
	if err != nil {
		return nil, err
	}
	for _, m := range metrics {
		if m.snapshot {
			continue
		}
		var got []cellRow
		if err := app.DB().NewQuery(cellSQL(m)).Bind(params).All(&got); err != nil {
			return nil, err
		}
		units := make([]string, 0, 2)
		for _, r := range got {
			r.Town = towns(r.Town)
			units = units[:0]
			if month != "" {
				units = append(units, month)
			}
			if withDays {
				units = append(units, r.Day)
			}
			for _, u := range units {
				for _, dep := range []string{r.Dep, allDepartments} {
					add(cellID{u, m.name, dep, "", ""}, r)
					add(cellID{u, m.name, dep, "day", r.Day}, r)
					if r.HasA {
						add(cellID{u, m.name, dep, "category", r.Cat}, r)
						add(cellID{u, m.name, dep, "township", r.Town}, r)
						add(cellID{u, m.name, dep, "channel", r.Chan}, r)
					}
				}
			}
		}
	}
	return cells, nil
}

// guardFunc saves a month's state (as of the refresh, dirty or not) under
// the marks' lock, dirty when the month changed since the refresh began
// (rollup_marks.go). nil saves it clean: nothing marks months meanwhile.
type guardFunc func(month string, save func(dirty bool) error) error

// refreshMonth recomputes one month's cells as of now and replaces them
// (and its day cells, written again when withDays: the current month),
// with the month's state, in one transaction.
func refreshMonth(app core.App, month string, now time.Time, guard guardFunc, withDays bool) error {
	pr, err := monthBounds(month)
	if err != nil {
		return err
	}
	cells, err := periodCells(app, pr, now, month, withDays)
	if err != nil {
		return err
	}
	return app.RunInTransaction(func(tx core.App) error {
		if _, err := tx.DB().NewQuery("DELETE FROM metric_cells WHERE month = {:month} OR (month > {:month} AND month < {:end})").
			Bind(dbx.Params{"month": month, "end": month + dayUnitsEnd}).Execute(); err != nil {
			return err
		}
		if err := insertCells(tx, cells); err != nil {
			return err
		}
		save := func(dirty bool) error { return saveMonthState(tx, month, dirty, now) }
		if guard == nil {
			return save(false)
		}
		return guard(month, save)
	})
}

// insertCells writes cells (their rows must be gone).
func insertCells(tx core.App, cells map[cellID]*cellSums) error {
	insert := tx.DB().NewQuery(`INSERT INTO metric_cells (id, metric, month, department, kind, key, base, hit1, hit2, sum)
		VALUES ({:id}, {:metric}, {:month}, {:department}, {:kind}, {:key}, {:base}, {:hit1}, {:hit2}, {:sum})`).Prepare()
	defer insert.Close()
	for id, c := range cells {
		if _, err := insert.Bind(dbx.Params{
			"id": core.GenerateDefaultRandomId(), "metric": id.metric, "month": id.unit, "department": id.department,
			"kind": id.kind, "key": id.key, "base": c.base, "hit1": c.hit1, "hit2": c.hit2, "sum": c.sum,
		}).Execute(); err != nil {
			return err
		}
	}
	return nil
}

// saveMonthState records a month's (or allMonths') refresh.
func saveMonthState(app core.App, month string, dirty bool, asOf time.Time) error {
	_, err := app.DB().NewQuery(`INSERT INTO metric_months (id, month, dirty, as_of) VALUES ({:id}, {:month}, {:dirty}, {:as_of})
		ON CONFLICT (month) DO UPDATE SET dirty = excluded.dirty, as_of = excluded.as_of`).
		Bind(dbx.Params{"id": core.GenerateDefaultRandomId(), "month": month, "dirty": dirty, "as_of": sqlTime(asOf)}).Execute()
	return err
}

// dataMonths are the China-time months from the earliest to the latest
// date any metric is anchored on.
func dataMonths(app core.App) ([]string, error) {
	var first, last string
	err := app.DB().NewQuery(`SELECT
		COALESCE(MIN((SELECT MIN(created) FROM appeals), (SELECT MIN(due_sign) FROM assignments WHERE due_sign != '')), '') AS first,
		COALESCE(MAX((SELECT MAX(created) FROM appeals), (SELECT MAX(replied_at) FROM appeals), (SELECT MAX(closed_at) FROM appeals),
			(SELECT MAX(due_sign) FROM assignments)), '') AS last`).Row(&first, &last)
	if err != nil || first == "" {
		return nil, err
	}
	from, err := time.Parse(dbDateLayout, first)
	if err != nil {
		return nil, err
	}
	to, err := time.Parse(dbDateLayout, last)
	if err != nil {
		return nil, err
	}
	var out []string
	for m := MonthPeriod(from); !m.From.After(to); m = MonthPeriod(m.To) {
		out = append(out, m.Label)
	}
	return out, nil
}

// dbDateLayout is how the database stores datetimes.
const dbDateLayout = "2006-01-02 15:04:05.000Z"

// Rebuild recomputes every month's cells as of now. The seeder
// (plugins/loadgen) calls it after writing appeals by plain SQL; the
// roll-up job calls it when allMonths is dirty.
func Rebuild(app core.App, now time.Time) error {
	_, err := rebuild(app, now, nil)
	return err
}

// rebuild recomputes every month of the data (the months it returns), the
// current month with its day cells.
func rebuild(app core.App, now time.Time, guard guardFunc) ([]string, error) {
	months, err := dataMonths(app)
	if err != nil {
		return nil, err
	}
	keep := make([]any, 0, len(months)+1)
	keep = append(keep, allMonths)
	for _, m := range months {
		keep = append(keep, m)
	}
	// Months outside the data have no cells (nor does any day but the
	// current month's, written again below); a dirty month (marked since
	// the range was read) stays for the next run.
	if _, err := app.DB().Delete("metric_cells", dbx.NotIn("month", keep...)).Execute(); err != nil {
		return nil, err
	}
	if _, err := app.DB().Delete("metric_months", dbx.And(dbx.NotIn("month", keep...), dbx.HashExp{"dirty": false})).Execute(); err != nil {
		return nil, err
	}
	current := MonthPeriod(now).Label
	for _, m := range months {
		if err := refreshMonth(app, m, now, guard, m == current); err != nil {
			return nil, err
		}
	}
	return months, app.RunInTransaction(func(tx core.App) error {
		save := func(dirty bool) error { return saveMonthState(tx, allMonths, dirty, now) }
		if guard == nil {
			return save(false)
		}
		return guard(allMonths, save)
	})
}
