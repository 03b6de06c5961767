package analytics_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/xuri/excelize/v2"

	"siyang/internal/testenv"
	"siyang/plugins/workflow"
)

// workbook opens a downloaded .xlsx.
func workbook(t *testing.T, body string) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatalf("not a workbook: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func cell(t *testing.T, f *excelize.File, sheet, at string) string {
	t.Helper()
	v, err := f.GetCellValue(sheet, at)
	if err != nil {
		t.Fatalf("%s!%s: %v", sheet, at, err)
	}
	return v
}

// rowWith answers the cells of the first row of sheet whose first cell is first.
func rowWith(t *testing.T, f *excelize.File, sheet, first string) []string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if len(r) > 0 && r[0] == first {
			return r
		}
	}
	t.Fatalf("no row %q in sheet %s: %q", first, sheet, rows)
	return nil
}

// audits answers the audit rows of an action.
func audits(t *testing.T, m *metricsEnv, action string) []*core.Record {
	t.Helper()
	rs, err := m.App.FindRecordsByFilter("audit_log", "action = {:a}", "created", 0, 0, map[string]any{"a": action})
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func TestCountyMonthlyReportWorkbook(t *testing.T) {
	m := newMetricsEnv(t)
	// a hotspot made of A's two 桃园村 cases
	var ids []string
	for _, title := range []string{"桃园村路灯不亮", "桃园村污水横流"} {
		a, err := m.App.FindFirstRecordByFilter("appeals", "title = {:t}", map[string]any{"t": title})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.Id)
	}
	m.Save(t, "hotspots", map[string]any{"title": "测试桃园村：路灯和污水", "appeals": ids, "count": 2, "residents": 2,
		"heat": 27.25, "recent": 1, "first_at": at(2, 9, 0), "last_at": at(2, 9, 0), "status": "active"})

	res := m.Call(t, http.MethodGet, "/api/analytics/reports/monthly.xlsx?month=2026-11", nil, m.Supervisor)
	if res.Status != http.StatusOK {
		t.Fatalf("status %d: %s", res.Status, res.Body)
	}
	req := httptest.NewRequest(http.MethodGet, "/api/analytics/reports/monthly.xlsx?month=2026-11", nil)
	req.Header.Set("Authorization", testenv.Token(t, m.Supervisor))
	rec := httptest.NewRecorder()
	m.Handler(t).ServeHTTP(rec, req)
	if ct := rec.Header().Get("Content-Type"); !strings.Contains(ct, "spreadsheetml") {
		t.Errorf("content type %q", ct)
	}
	if cd := rec.Header().Get("Content-Disposition"); !strings.Contains(cd, "attachment") || !strings.Contains(cd, url.PathEscape("月度报告")) {
		t.Errorf("disposition %q", cd)
	}
	f := workbook(t, res.Body)
	if got := f.GetSheetList(); strings.Join(got, ",") != "概况,分单位,分类,乡镇街道,热点问题,超期工单" {
		t.Errorf("sheets %v", got)
	}
	if title := cell(t, f, "概况", "A1"); !strings.Contains(title, "2026-11") || !strings.Contains(title, "全县") {
		t.Errorf("title %q", title)
	}
	// the known answers of newMetricsEnv (metrics_test.go)
	checkRow := func(sheet, first string, want ...string) {
		t.Helper()
		r := rowWith(t, f, sheet, first)
		for i, w := range want {
			if i+1 >= len(r) || r[i+1] != w {
				t.Errorf("%s / %s: got %q, want %q from column 2", sheet, first, r, want)
				return
			}
		}
	}
	checkRow("概况", "来件量", "8")
	checkRow("概况", "办结量", "4")
	checkRow("概况", "满意率（%）", "66.7", "2", "3")
	checkRow("概况", "重复诉求率（%）", "25", "2", "8")
	checkRow("分单位", "测试住建局", "5", "4")
	a := rowWith(t, f, "分单位", "测试住建局")
	if a[7] != "66.7" || a[8] != "75" || a[11] != "6" { // 满意率, 按时办结率, working days
		t.Errorf("A's row %q", a)
	}
	checkRow("乡镇街道", "测试众兴镇", "5") // c1, c2, c5, c6 in its village 桃园村, c3
	checkRow("热点问题", "测试桃园村：路灯和污水", "2", "2", "2")

	// worst overdue: c2 answered 10.7 days late (due 9 Nov, answered 20 Nov);
	// c8 still unsigned, past its 签收 deadline
	late := rowWith(t, f, "超期工单", ticketOf(t, m, "桃园村污水横流"))
	if late[2] != "测试住建局" || late[4] != "办结" || late[7] != "10.7" { // 9 Nov 17:30 → 20 Nov 10:00
		t.Errorf("c2's row %q", late)
	}
	c8 := rowWith(t, f, "超期工单", ticketOf(t, m, "爱园镇公交站牌倒了"))
	if c8[2] != "测试交通局" || c8[4] != "签收" || c8[6] != "尚未答复" {
		t.Errorf("c8's row %q", c8)
	}

	if rows := audits(t, m, "report.export"); len(rows) != 2 || rows[0].GetString("actor_id") != m.Supervisor.Id {
		t.Errorf("report export audit rows: %d", len(rows))
	}
}

func ticketOf(t *testing.T, m *metricsEnv, title string) string {
	t.Helper()
	a, err := m.App.FindFirstRecordByFilter("appeals", "title = {:t}", map[string]any{"t": title})
	if err != nil {
		t.Fatal(err)
	}
	return a.GetString("ticket")
}

func TestDepartmentReportAccess(t *testing.T) {
	m := newMetricsEnv(t)
	// A's handler: their own report, by default and by name.
	for _, q := range []string{"month=2026-11", "month=2026-11&department=" + m.DeptA.Id} {
		res := m.Call(t, http.MethodGet, "/api/analytics/reports/monthly.xlsx?"+q, nil, m.HandlerA)
		if res.Status != http.StatusOK {
			t.Fatalf("%s: %d %s", q, res.Status, res.Body)
		}
		f := workbook(t, res.Body)
		if title := cell(t, f, "概况", "A1"); !strings.Contains(title, "测试住建局") {
			t.Errorf("%s: title %q", q, title)
		}
		if v := rowWith(t, f, "概况", "来件量"); v[1] != "5" {
			t.Errorf("A's 来件量 %q", v)
		}
		if _, err := f.GetSheetIndex("分单位"); err == nil {
			if i, _ := f.GetSheetIndex("分单位"); i >= 0 {
				t.Error("a department's report lists every department")
			}
		}
	}
	// B's handler may not read A's report, in either form.
	for _, path := range []string{"/api/analytics/reports/monthly.xlsx", "/api/analytics/reports/monthly"} {
		res := m.Call(t, http.MethodGet, path+"?month=2026-11&department="+m.DeptA.Id, nil, m.HandlerB)
		if res.Status != http.StatusForbidden || !strings.Contains(res.Body, "本单位") {
			t.Errorf("%s for B's handler: %d %s", path, res.Status, res.Body)
		}
	}
	if rows := audits(t, m, "report.export"); len(rows) != 2 {
		t.Errorf("audit rows %d, want the two downloads only", len(rows))
	}
	// Bad input: a clear answer per field.
	for q, field := range map[string]string{"month=2026-13": "month", "year=2026": "month", "month=2026-11&department=nope": "department"} {
		res := m.Call(t, http.MethodGet, "/api/analytics/reports/monthly?"+q, nil, m.Supervisor)
		if res.Status != http.StatusBadRequest || !strings.Contains(res.Body, `"`+field+`"`) {
			t.Errorf("%s: %d %s", q, res.Status, res.Body)
		}
	}
	// The JSON form for report.html.
	res := m.Call(t, http.MethodGet, "/api/analytics/reports/monthly?month=2026-11&department="+m.DeptB.Id, nil, m.Operator)
	var r struct {
		Title   string `json:"title"`
		Total   struct{ Received, Open, Overdue int }
		Overdue []struct{ Ticket string }
	}
	if err := json.Unmarshal([]byte(res.Body), &r); err != nil || res.Status != http.StatusOK {
		t.Fatalf("%d %s", res.Status, res.Body)
	}
	if !strings.Contains(r.Title, "测试交通局") || r.Total.Received != 1 || r.Total.Overdue != 1 || len(r.Overdue) != 1 {
		t.Errorf("B's report %+v", r)
	}
}

func TestCaseExport(t *testing.T) {
	m := newMetricsEnv(t)
	inHand := m.Reach(t, workflow.Handling) // A's, the resident not anonymous
	closedFilter := url.QueryEscape(`status = "closed"`)

	// Default export: the list, no contact data.
	res := m.Call(t, http.MethodGet, "/api/analytics/exports/cases.xlsx?title=%E6%9F%A5%E8%AF%A2&sort=created&filter="+closedFilter, nil, m.Operator)
	if res.Status != http.StatusOK {
		t.Fatalf("%d %s", res.Status, res.Body)
	}
	f := workbook(t, res.Body)
	rows, _ := f.GetRows("工单")
	if len(rows) != 3+4 || !strings.Contains(rows[0][0], "共 4 件") {
		t.Fatalf("rows %q", rows)
	}
	header := strings.Join(rows[2], ",")
	if strings.Contains(header, "联系电话") || strings.Contains(res.Body, "13912345678") {
		t.Error("a default export carries contact data")
	}
	if rows[3][1] != "桃园村路灯不亮" || rows[3][3] != "已办结" || rows[3][8] != "测试住建局" {
		t.Errorf("first row %q", rows[3])
	}

	// With contact data: the operator gets it, audited with the tickets.
	res = m.Call(t, http.MethodGet, "/api/analytics/exports/cases.xlsx?contact=1&filter="+closedFilter, nil, m.Operator)
	f = workbook(t, res.Body)
	rows, _ = f.GetRows("工单")
	if last := rows[3]; last[len(last)-1] != "13912345678" {
		t.Errorf("operator's contact export row %q", last)
	}
	ex := audits(t, m, "cases.export")
	if len(ex) != 2 {
		t.Fatalf("export audit rows %d, want 2", len(ex))
	}
	var d struct {
		Filter  string   `json:"filter"`
		Count   int      `json:"count"`
		Contact bool     `json:"contact_requested"`
		N       int      `json:"contact_count"`
		Tickets []string `json:"contact_tickets"`
	}
	if err := json.Unmarshal([]byte(ex[1].GetString("detail")), &d); err != nil {
		t.Fatal(err)
	}
	if ex[1].GetString("actor_id") != m.Operator.Id || d.Filter != `status = "closed"` || d.Count != 4 || !d.Contact || d.N != 4 || len(d.Tickets) != 4 {
		t.Errorf("audit %s", ex[1].GetString("detail"))
	}
	if ex[0].GetString("detail") == "" || strings.Contains(ex[0].GetString("detail"), "contact_tickets") {
		t.Errorf("the plain export's audit %s", ex[0].GetString("detail"))
	}

	// A's handler: only A's cases (the list rule), contact only for the
	// case in hand.
	res = m.Call(t, http.MethodGet, "/api/analytics/exports/cases.xlsx?contact=1", nil, m.HandlerA)
	if res.Status != http.StatusOK {
		t.Fatalf("%d %s", res.Status, res.Body)
	}
	f = workbook(t, res.Body)
	rows, _ = f.GetRows("工单")
	phones := 0
	for _, r := range rows[3:] {
		if r[8] != "测试住建局" {
			t.Errorf("handler A exported %q", r)
		}
		switch r[len(r)-1] {
		case "13912345678":
			phones++
			if r[0] != inHand.GetString("ticket") {
				t.Errorf("contact of a case not in hand: %q", r)
			}
		case "（无权查看）":
		default:
			t.Errorf("contact cell %q", r[len(r)-1])
		}
	}
	if phones != 1 {
		t.Errorf("handler A got %d phones, want 1 (the case in hand)", phones)
	}
	// B's handler asking for A's cases gets only the one B assists with,
	// and as an assisting department no contact data.
	res = m.Call(t, http.MethodGet, "/api/analytics/exports/cases.xlsx?contact=1&filter="+url.QueryEscape(`lead_department = "`+m.DeptA.Id+`"`), nil, m.HandlerB)
	f = workbook(t, res.Body)
	if rows, _ = f.GetRows("工单"); len(rows) != 4 || rows[3][0] != inHand.GetString("ticket") || rows[3][len(rows[3])-1] != "（无权查看）" {
		t.Errorf("B's export of A's cases: %q", rows)
	}
	// Hidden fields cannot be searched, a broken filter is a clear 400.
	for _, filter := range []string{`contact_phone = "13912345678"`, `status = `} {
		res = m.Call(t, http.MethodGet, "/api/analytics/exports/cases.xlsx?filter="+url.QueryEscape(filter), nil, m.Operator)
		if res.Status != http.StatusBadRequest || !strings.Contains(res.Body, "筛选条件无效") {
			t.Errorf("%s: %d %s", filter, res.Status, res.Body)
		}
	}
	if r := m.Call(t, http.MethodGet, "/api/analytics/exports/cases.xlsx", nil, m.Resident); r.Status != http.StatusForbidden && r.Status != http.StatusUnauthorized {
		t.Errorf("a resident exporting: %d", r.Status)
	}
}
