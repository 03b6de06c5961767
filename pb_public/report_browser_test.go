package pbpublic_test

import (
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"siyang/internal/browser"
	"siyang/internal/testenv"
)

// TestMonthlyReportPage: a supervisor reads the county's November report
// (the fixture's figures, the hotspot, the overdue case), switches to a
// department and downloads the workbook (audited). A department's handler
// gets their own department's report only, whatever the address asks for.
func TestMonthlyReportPage(t *testing.T) {
	s := newSite(t)
	f := s.figures(t)

	p := s.signInStaff(t, browser.Desktop, "report.html?month=2026-11", s.Supervisor)
	p.WaitText("#report-title", "2026-11 月度报告（全县）")
	p.WaitText("#report", "测试住建局")
	p.WaitText("#report", "100.0%（2/2）")
	p.WaitText("#as-of", "数据截至 "+testenv.DefaultNow.In(testenv.China).Format("15:04"))
	p.WaitText("#report", "众兴街道幸福小区：路灯不亮")
	p.WaitText("#report", f.late.GetString("ticket"))
	p.Screenshot("1-county-report")
	// Printing shows the report alone.
	if p.Eval(`[...document.styleSheets].some(s => { try { return [...s.cssRules].some(r => r.media && r.media.mediaText === "print") } catch (e) { return false } })`) != true {
		t.Error("no print styles")
	}

	p.Select("#department", s.DeptB.Id)
	p.Click(`#report-form button[type=submit]`)
	p.WaitText("#report-title", "测试交通局")
	p.Click("#xlsx")
	p.WaitText("#report-status", "已下载")
	if n := s.count(t, "audit_log", "action = 'report.export' && target_id = '"+s.DeptB.Id+"'"); n != 1 {
		t.Errorf("report download audit rows: %d", n)
	}
	checkPage(t, p, "report")

	h := s.signInStaff(t, browser.Phone, "report.html?month=2026-11&department="+s.DeptA.Id, s.HandlerB)
	h.WaitText("#report-title", "（测试交通局）")
	if h.Exists("#department") && h.Eval(`document.getElementById("dept-field").hidden`) != true {
		t.Error("a handler may choose another department")
	}
	if containsAny(h.Text("#report"), "测试住建局") {
		t.Error("B's handler reads A's figures")
	}
	checkPage(t, h, "report (handler)")
}

// TestConsoleExport: the operator exports the 答复审核 queue and a search
// to Excel; the default export carries no contact data; ticking 含联系方式
// is recorded in the audit log with the tickets.
func TestConsoleExport(t *testing.T) {
	s := newSite(t)
	f := s.figures(t)

	op := s.signIn(t, browser.Desktop, "console.html", s.Operator)
	op.Click(`#tabs button[data-tab="inhand"]`)
	op.WaitText("#queue", f.inHand.GetString("ticket"))
	op.Click("#export-xlsx")
	op.WaitText("#export-status", "已导出「在办催办」")
	rows := s.exports(t)
	if len(rows) != 1 || rows[0]["contact_requested"] != false || rows[0]["count"] != float64(2) {
		t.Fatalf("audit after the plain export: %v", rows)
	}

	op.Click(`#tabs button[data-tab="search"]`)
	op.Fill(`#search-form input[name="q"]`, "幸福小区")
	op.Click(`#search-form button[type=submit]`)
	op.WaitText("#queue-note", "共找到 4 件") // the sample content names 幸福小区
	op.Click("#export-contact")
	op.Click("#export-xlsx")
	op.WaitText("#export-status", "含联系方式，已记入审计日志")
	rows = s.exports(t)
	if len(rows) != 2 || rows[1]["list"] != "查询结果" || rows[1]["contact_count"] != float64(4) {
		t.Fatalf("audit after the contact export: %v", rows)
	}
	op.Click(`#tabs button[data-tab="register"]`)
	if op.Eval(`document.getElementById("export-box").hidden`) != true {
		t.Error("the 代录 form offers an export")
	}
	checkPage(t, op, "console export")
}

// signInStaff opens a staff page without realtime (the dashboard and the
// report have none) and signs in.
func (s *site) signInStaff(t *testing.T, vp browser.Viewport, page string, who *core.Record) *browser.Page {
	t.Helper()
	p := s.open(t, vp, page)
	p.Fill("#email", who.GetString("email"))
	p.Fill("#password", staffPassword)
	p.Click("#login-form button[type=submit]")
	p.WaitVisible("#app")
	return p
}

// exports answers the details of the case export audit rows, oldest first.
func (s *site) exports(t *testing.T) []map[string]any {
	t.Helper()
	recs, err := s.App.FindRecordsByFilter("audit_log", "action = 'cases.export'", "created", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	for _, r := range recs {
		var d map[string]any
		if err := r.UnmarshalJSONField("detail", &d); err != nil {
			t.Fatal(err)
		}
		out = append(out, d)
	}
	return out
}
