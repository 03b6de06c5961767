package portal

import (
	"math"
	"net/url"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/tools/types"

	"siyang/hooks"
	"siyang/plugins/workflow"
)

// period is a span of whole calendar months in China time, [from, to):
// "this month" for the county is the month on a Chinese calendar, not UTC.
type period struct {
	label    string // "2026-11" or "2026"
	kind     string // "month" or "year"
	from, to time.Time
}

// monthOf is the China-time month that contains t.
func monthOf(t time.Time) period {
	t = t.In(hooks.ChinaTime())
	from := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, hooks.ChinaTime())
	return period{label: from.Format("2006-01"), kind: "month", from: from, to: from.AddDate(0, 1, 0)}
}

// previous is the month before a month.
func (pr period) previous() period { return monthOf(pr.from.AddDate(0, 0, -1)) }

// sqlFrom and sqlTo are the bounds as the database stores datetimes (UTC
// text that sorts as it compares), so the queries compare strings.
func (pr period) sqlFrom() string { return sqlTime(pr.from) }
func (pr period) sqlTo() string   { return sqlTime(pr.to) }

func sqlTime(t time.Time) string { return t.UTC().Format(types.DefaultDateLayout) }

// parsePeriod reads ?period=2026-11 (a month) or ?year=2026; neither is the
// current month.
func parsePeriod(q url.Values, now time.Time) (period, error) {
	month, year := strings.TrimSpace(q.Get("period")), strings.TrimSpace(q.Get("year"))
	switch {
	case month != "" && year != "":
		return period{}, workflow.FieldError("period", "请只选择月份（period）或年份（year）其中之一")
	case month != "":
		t, err := time.ParseInLocation("2006-01", month, hooks.ChinaTime())
		if err != nil || t.Year() < 2000 || t.Year() > 2100 {
			return period{}, workflow.FieldError("period", "月份格式应为 2026-11")
		}
		return monthOf(t), nil
	case year != "":
		t, err := time.ParseInLocation("2006", year, hooks.ChinaTime())
		if err != nil || t.Year() < 2000 || t.Year() > 2100 {
			return period{}, workflow.FieldError("year", "年份格式应为 2026")
		}
		return period{label: year, kind: "year", from: t, to: t.AddDate(1, 0, 0)}, nil
	}
	return monthOf(now), nil
}

// percent turns a ratio into a percentage with one decimal, or nil when
// there is nothing to divide by (no rate rather than a made-up 0 or 100).
func percent(num, den int) *float64 {
	if den == 0 {
		return nil
	}
	v := math.Round(float64(num)*1000/float64(den)) / 10
	return &v
}
