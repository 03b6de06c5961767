package analytics

import "fmt"

// Dimension is what the figures are broken down by.
type Dimension string

const (
	ByTotal      Dimension = "total"      // one row for everything in scope
	ByDepartment Dimension = "department" // the lead (主办) department
	ByCategory   Dimension = "category"
	ByTownship   Dimension = "township" // 乡镇/街道 of the case's region (a 村/社区 counts for its township)
	ByChannel    Dimension = "channel"
	ByMonth      Dimension = "month" // China-time month of the metric's own date
	ByDay        Dimension = "day"   // China-time day of the metric's own date
)

// Dimensions lists the breakdowns the endpoint accepts.
var Dimensions = []Dimension{ByTotal, ByDepartment, ByCategory, ByTownship, ByChannel, ByMonth, ByDay}

// DimensionLabels are the Chinese names shown on the dashboard.
var DimensionLabels = map[Dimension]string{
	ByTotal: "合计", ByDepartment: "承办单位", ByCategory: "诉求分类", ByTownship: "乡镇街道",
	ByChannel: "来源渠道", ByMonth: "月份", ByDay: "日期",
}

func validDimension(d Dimension) bool {
	for _, x := range Dimensions {
		if x == d {
			return true
		}
	}
	return false
}

// townshipJoin and townshipExpr map a case's region to its township: a
// region that is a 乡镇/街道 is its own township; a 村/社区 belongs to its
// parent's (and, one level further, to the grandparent). Both joins are
// primary-key lookups.
const (
	townshipJoin = `
  LEFT JOIN regions r ON r.id = a.region
  LEFT JOIN regions p ON p.id = r.parent`
	townshipExpr = `(CASE WHEN r.kind IN ('乡镇','街道') THEN r.id
       WHEN p.kind IN ('乡镇','街道') THEN p.id
       ELSE COALESCE(p.parent, '') END)`
)

// keyExpr is the SQL expression of a dimension for a metric. Every metric
// query names the appeal "a"; m.dept is its department expression and
// m.anchor the date the metric is counted on.
func keyExpr(d Dimension, m metric) string {
	switch d {
	case ByDepartment:
		return m.dept
	case ByCategory:
		return "a.category"
	case ByTownship:
		return townshipExpr
	case ByChannel:
		return "a.channel"
	case ByMonth:
		return fmt.Sprintf("strftime('%%Y-%%m', %s, '+8 hours')", m.anchor)
	case ByDay:
		return fmt.Sprintf("date(%s, '+8 hours')", m.anchor)
	}
	return "''"
}

// channelLabels are the Chinese names of the intake channels.
var channelLabels = map[string]string{
	"web": "网站", "phone": "电话", "letter": "信件", "window": "窗口", "open311": "Open311", "api": "单位系统接口",
}
