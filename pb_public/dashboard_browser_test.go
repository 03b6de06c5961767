package pbpublic_test

import (
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"siyang/internal/browser"
	"siyang/internal/testenv"
	"siyang/plugins/workflow"
)

// figuresFixture is November 2026 with known figures (the platform's clock
// at Wednesday 25 November): department A has two closed cases rated 满意
// and one in hand, all in 众兴街道; department B has one case dispatched
// on 2 November and never signed (overdue), in 爱园镇; a hotspot groups
// A's two closed cases.
type figuresFixture struct {
	closed1, closed2, inHand, late *core.Record
	hotspot                        *core.Record
}

func (s *site) figures(t *testing.T) figuresFixture {
	t.Helper()
	street, town := s.regions(t)
	in := func(title string, region *core.Record) workflow.Submission {
		sub := testenv.SampleSubmission()
		sub.Title, sub.Region = title, region.Id
		return sub
	}
	var f figuresFixture
	// B's case first, on 2 November: its 签收 deadline is long past.
	s.SetNow(time.Date(2026, 11, 2, 9, 0, 0, 0, testenv.China))
	f.late, _ = s.Submit(t, in("爱园镇公交站牌倒了", town))
	f.late = s.Do(t, f.late, "accept", s.Operator, workflow.Input{})
	f.late = s.Do(t, f.late, "dispatch", s.Operator, workflow.Input{Department: s.DeptB.Id})
	s.backdate(t, f.late)

	s.SetNow(testenv.DefaultNow)
	f.closed1 = s.ReachWith(t, workflow.Closed, in("幸福小区北门路灯不亮", street))
	f.closed2 = s.ReachWith(t, workflow.Closed, in("幸福小区南门路灯也不亮", street))
	f.inHand = s.ReachWith(t, workflow.Handling, in("众兴街道人民路积水", street))
	for _, a := range []*core.Record{f.closed1, f.closed2, f.inHand} {
		s.backdate(t, a)
	}
	if _, err := s.SLA.Sweep(); err != nil {
		t.Fatal(err)
	}
	f.hotspot = s.Save(t, "hotspots", map[string]any{
		"title": "众兴街道幸福小区：路灯不亮", "place": "幸福小区", "problem": "路灯不亮",
		"appeals": []string{f.closed1.Id, f.closed2.Id}, "count": 2, "residents": 2, "heat": 31.5, "recent": 2,
		"usual_weekly": 0, "first_at": testenv.DefaultNow, "last_at": testenv.DefaultNow, "status": "active",
	})
	return f
}

// backdate sets the appeal's created stamp (PocketBase's wall clock) to the
// platform's clock, as if it had come in then.
func (s *site) backdate(t *testing.T, a *core.Record) {
	t.Helper()
	created := s.Now.UTC().Format(types.DefaultDateLayout)
	if _, err := s.App.DB().Update("appeals", dbx.Params{"created": created}, dbx.HashExp{"id": a.Id}).Execute(); err != nil {
		t.Fatal(err)
	}
}

// TestDashboard: a supervisor opens the dashboard and reads the fixture's
// figures (totals, 三率 by department, overdue by department, cases by
// township), every chart with its table; drills into the hotspot's cases;
// picks another month. A department handler is refused the page, and the
// figures endpoint refuses them another department.
func TestDashboard(t *testing.T) {
	s := newSite(t)
	f := s.figures(t)
	// the figures come from the metric roll-up, as in service (its job
	// runs every minute there)
	if _, err := s.Analytics.RefreshRollup(); err != nil {
		t.Fatal(err)
	}

	p := s.open(t, browser.Desktop, "dashboard.html")
	p.Fill("#email", s.Supervisor.GetString("email"))
	p.Fill("#password", staffPassword)
	p.Click("#login-form button[type=submit]")
	p.WaitVisible("#app")

	// The platform's month by default (its clock, not the browser's).
	p.WaitFor(`document.getElementById("month").value === "2026-11"`)
	p.WaitText("#summary", "4 件") // 来件量
	p.WaitText("#as-of", "数据截至 "+testenv.DefaultNow.In(testenv.China).Format("15:04"))
	p.WaitText("#summary", "100.0%（2/2）")
	p.WaitText("#depts-table", "测试住建局")
	rowA := p.WaitText(`#depts-table tbody tr:first-child`, "测试住建局")
	for _, want := range []string{"3", "100.0%（2/2）"} {
		if !containsAny(rowA, want) {
			t.Errorf("department A's row %q lacks %q", rowA, want)
		}
	}
	p.WaitText("#depts-table", "测试交通局")
	p.WaitText("#depts-table", "0.0%（0/1）") // B never signed: 响应率
	p.WaitText("#risk-table", "测试交通局")
	p.WaitText("#risk-table", f.late.GetString("ticket"))
	p.WaitText("#town-table", "众兴街道")
	town := p.WaitText(`#town-table tbody tr:first-child`, "众兴街道")
	if !containsAny(town, "3") {
		t.Errorf("众兴街道 row: %q", town)
	}
	p.WaitText("#town-table", "爱园镇")
	p.WaitText("#monthly-table", "2026-11")
	p.WaitText("#monthly-table", "2025-12") // twelve months back

	// Every chart is drawn and described; its numbers are in a table.
	for _, id := range []string{"monthly-chart", "daily-chart", "depts-chart", "risk-chart", "town-chart"} {
		p.WaitFor(`Chart.getChart(document.getElementById("` + id + `")) !== undefined`)
		if p.Eval(`document.getElementById("`+id+`").getAttribute("aria-label").length > 10`) != true {
			t.Errorf("%s has no text description", id)
		}
	}
	p.Screenshot("1-dashboard")

	// Hotspot drill-down: its cases.
	p.WaitText("#hot-table", "众兴街道幸福小区：路灯不亮")
	p.Click(`button[data-hotspot="` + f.hotspot.Id + `"]`)
	p.WaitText("#hot-detail", "2 件工单")
	p.WaitText("#hot-detail", f.closed1.GetString("ticket"))
	p.WaitText("#hot-detail", f.closed2.GetString("ticket"))
	if containsAny(p.Text("#hot-detail"), f.inHand.GetString("ticket")) {
		t.Error("the drill-down lists a case outside the hotspot")
	}
	p.Screenshot("2-hotspot-cases")

	// Another month: nothing came in in October; the cases in hand now
	// (在办, 超期) are a snapshot and stay.
	p.Fill("#month", "2026-10")
	p.Click("#period-form button[type=submit]")
	p.WaitFor(`document.querySelector("#summary .stat dd").textContent === "0 件"`)
	p.WaitText("#monthly-caption", "2025-11 至 2026-10")
	checkPage(t, p, "dashboard")

	// A department handler is refused the page …
	h := s.open(t, browser.Phone, "dashboard.html")
	h.Fill("#email", s.HandlerA.GetString("email"))
	h.Fill("#password", staffPassword)
	h.Click("#login-form button[type=submit]")
	h.WaitText("#login .form-error", "数据看板仅供平台和督办人员使用")
	if h.Eval(`document.getElementById("app").hidden`) != true {
		t.Error("the handler sees the dashboard")
	}
	// … and the endpoints behind it give them their own department only.
	if r := s.Call(t, "GET", "/api/analytics/metrics?by=department&month=2026-11&department="+s.DeptB.Id, nil, s.HandlerA); r.Status != 403 {
		t.Errorf("handler A reading B's figures: %d", r.Status)
	}
	if r := s.Call(t, "GET", "/api/analytics/hotspots", nil, s.HandlerA); r.Status != 403 {
		t.Errorf("handler A reading hotspots: %d", r.Status)
	}
	checkPage(t, h, "dashboard refused")
}
