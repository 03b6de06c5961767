package loadgen

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"siyang/plugins/workflow"
)

// request is one kind of request the load test sends: the hot requests of
// BenchmarkAtScale (plugins/loadgen/bench_http_test.go) without the bare
// PocketBase counterparts and the old ways kept there for comparison.
type request struct {
	Name   string
	Method string
	Path   func(i int64) string
	Body   func(i int64) []byte // nil: none
	Token  string
}

// hotRequests lists the requests against target t, in the order of the
// benchmark.
func hotRequests(t *Target) []request {
	get := func(name, path, token string) request {
		return request{Name: name, Method: "GET", Path: func(int64) string { return path }, Token: token}
	}
	sub := workflow.Submission{
		Kind: "complaint", Title: "幸福小区门口路灯不亮", Address: "众兴街道幸福小区北门",
		Content:     "幸福小区北门路灯已经坏了一个月，晚上出行很不安全，我是李四，电话13912345678。",
		ContactName: "李四", ContactPhone: "13912345678", PublicConsent: true,
	}
	cat := url.QueryEscape(fmt.Sprintf(`category = "%s"`, t.Category))
	const public = "/api/collections/public_appeals/records?page=1&perPage=10&skipTotal=1&sort=-created&expand=category,region"
	month, year := t.Last.Format("2006-01"), t.Last.Format("2006")
	from := t.Last.AddDate(0, -11, 0).Format("2006-01") + "-01"
	to := t.Last.AddDate(0, 1, -t.Last.Day()).Format("2006-01-02") // the month's last day
	list := []request{
		{Name: "intake", Method: "POST", Path: func(int64) string { return "/api/appeals" }, Body: func(i int64) []byte {
			s := sub
			s.Title = fmt.Sprintf("%s（%d 号楼）", sub.Title, i%500)
			s.Content = fmt.Sprintf("%s 第 %d 栋楼附近。", sub.Content, i%500)
			data, _ := json.Marshal(s)
			return data
		}},
		get("queue/100", "/api/workbench/queue?view=todo&perPage=100", t.HandlerToken),
		get("queue/30", "/api/workbench/queue?view=todo&perPage=30", t.HandlerToken),
		get("public", public, ""),
		get("public/count", "/api/portal/public-appeals/count?filter=", ""),
		get("public/category", public+"&filter="+cat, ""),
		get("public/category/count", "/api/portal/public-appeals/count?filter="+cat, ""),
		get("public/home-replies", "/api/portal/latest-replies?perPage=5&expand=category,region", ""),
		// keyword search as search.js asks: a common word again and again,
		// and a new word each time (found nowhere: no kept page helps)
		get("public/search/hit", "/api/portal/public-appeals/search?q="+url.QueryEscape("路灯"), ""),
		{Name: "public/search/miss", Method: "GET", Path: func(i int64) string {
			return "/api/portal/public-appeals/search?q=" + url.QueryEscape(fmt.Sprintf("无此词%d", i))
		}},
		{Name: "track", Method: "POST", Path: func(int64) string { return "/api/track" }, Body: func(i int64) []byte {
			tk := t.Tickets[i%int64(len(t.Tickets))]
			data, _ := json.Marshal(map[string]string{"ticket": tk, "query_code": QueryCode(t.Seed, tk)})
			return data
		}},
		get("mine", "/api/residents/appeals", t.ResidentToken),
	}
	for _, period := range []string{"month=" + month, "year=" + year} {
		for _, by := range []string{"department", "township", "category"} {
			list = append(list, get("metrics/"+strings.SplitN(period, "=", 2)[0]+"/"+by,
				"/api/analytics/metrics?by="+by+"&"+period, t.SupervisorToken))
		}
	}
	return append(list,
		get("dashboard/day", "/api/analytics/metrics?by=day&month="+month, t.SupervisorToken),
		get("dashboard/12-months", "/api/analytics/metrics?by=month&from="+from+"&to="+to, t.SupervisorToken),
		get("dashboard/sla-board", "/api/sla/board", t.SupervisorToken),
		get("dashboard/hotspots", "/api/analytics/hotspots?limit=20", t.SupervisorToken),
		get("report/monthly", "/api/analytics/reports/monthly?month="+month, t.SupervisorToken),
	)
}
