package analytics

import (
	"net/url"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/tools/types"

	"siyang/hooks"
	"siyang/plugins/workflow"
)

// Period is a span of China-time days, [From, To): "November" for the
// county is the month on a Chinese calendar, not UTC.
type Period struct {
	Label    string    // 2026-11, 2026, or 2026-11-01~2026-11-15
	From, To time.Time // first instant, first instant after
}

// MonthPeriod is the China-time month that contains t.
func MonthPeriod(t time.Time) Period {
	t = t.In(hooks.ChinaTime())
	from := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, hooks.ChinaTime())
	return Period{Label: from.Format("2006-01"), From: from, To: from.AddDate(0, 1, 0)}
}

// sqlTime is a time as the database stores datetimes (UTC text that sorts
// as it compares), so the queries compare strings and use the indexes.
func sqlTime(t time.Time) string { return t.UTC().Format(types.DefaultDateLayout) }

// parsePeriod reads ?month=2026-11, ?year=2026 or ?from=2026-11-01&to=2026-11-30
// (both days included); none of them is the current month.
func parsePeriod(q url.Values, now time.Time) (Period, error) {
	month, year := strings.TrimSpace(q.Get("month")), strings.TrimSpace(q.Get("year"))
	from, to := strings.TrimSpace(q.Get("from")), strings.TrimSpace(q.Get("to"))
	given := 0
	for _, s := range []string{month, year, from + to} {
		if s != "" {
			given++
		}
	}
	if given > 1 {
		return Period{}, workflow.FieldError("month", "请只选择月份（month）、年份（year）或起止日期（from/to）其中之一")
	}
	cn := hooks.ChinaTime()
	switch {
	case month != "":
		t, err := time.ParseInLocation("2006-01", month, cn)
		if err != nil || t.Year() < 2000 || t.Year() > 2100 {
			return Period{}, workflow.FieldError("month", "月份格式应为 2026-11")
		}
		return MonthPeriod(t), nil
	case year != "":
		t, err := time.ParseInLocation("2006", year, cn)
		if err != nil || t.Year() < 2000 || t.Year() > 2100 {
			return Period{}, workflow.FieldError("year", "年份格式应为 2026")
		}
		return Period{Label: year, From: t, To: t.AddDate(1, 0, 0)}, nil
	case from != "" || to != "":
		f, err := time.ParseInLocation("2006-01-02", from, cn)
		if err != nil {
			return Period{}, workflow.FieldError("from", "开始日期格式应为 2026-11-01")
		}
		l, err := time.ParseInLocation("2006-01-02", to, cn)
		if err != nil {
			return Period{}, workflow.FieldError("to", "结束日期格式应为 2026-11-30")
		}
		if l.Before(f) {
			return Period{}, workflow.FieldError("to", "结束日期不能早于开始日期")
		}
		if l.Sub(f) > 3700*24*time.Hour {
			return Period{}, workflow.FieldError("to", "统计区间最长十年")
		}
		return Period{Label: from + "~" + to, From: f, To: l.AddDate(0, 0, 1)}, nil
	}
	return MonthPeriod(now), nil
}
