package analytics_test

import (
	"net/http"
	"testing"

	"siyang/internal/testenv"
	"siyang/plugins/analytics"
	"siyang/plugins/workflow"
)

// metricsEnv is November 2026 on a small county: two townships (T1 with a
// village V1), departments A and B, and eight appeals with known figures
// (listed in newMetricsEnv). The clock stands at Wednesday 25 November.
type metricsEnv struct {
	*testenv.Env
	T1, T2, V1 string
}

func newMetricsEnv(t *testing.T) *metricsEnv {
	t.Helper()
	env := testenv.New(t)
	m := &metricsEnv{Env: env}
	m.T1 = env.Save(t, "regions", map[string]any{"name": "测试众兴镇", "code": "t1", "kind": "乡镇"}).Id
	m.T2 = env.Save(t, "regions", map[string]any{"name": "测试爱园镇", "code": "t2", "kind": "乡镇"}).Id
	m.V1 = env.Save(t, "regions", map[string]any{"name": "测试桃园村", "code": "v1", "kind": "村", "parent": m.T1}).Id
	A, B := env.DeptA, env.DeptB
	hA := env.HandlerA

	// c1: A signs and replies on time, 满意 and resolved; 2 working days.
	c1 := submitAt(t, env, at(2, 9, 0), submission("桃园村路灯不亮", m.V1)).dispatchTo(at(2, 9, 0), A).
		do(at(2, 10, 0), "sign", hA, workflow.Input{}).replyAt(at(4, 10, 0), hA).rate(at(5, 9, 0), "satisfied", yes())
	// c2: A signs late (due 3 Nov) and replies late (due 9 Nov), 基本满意
	// and not resolved; 14 working days.
	submitAt(t, env, at(2, 9, 0), submission("桃园村污水横流", m.V1)).dispatchTo(at(2, 9, 0), A).
		do(at(6, 10, 0), "sign", hA, workflow.Input{}).replyAt(at(20, 10, 0), hA).rate(at(23, 9, 0), "basically_satisfied", no())
	// c3: on time, 不满意 (重办), replied again on time, then 非常满意:
	// closed but not at the first attempt; 3 working days to the last reply.
	submitAt(t, env, at(9, 9, 0), submission("众兴镇菜市场噪音", m.T1)).dispatchTo(at(9, 9, 0), A).
		do(at(9, 10, 0), "sign", hA, workflow.Input{}).replyAt(at(10, 10, 0), hA).rate(at(11, 9, 0), "dissatisfied", no()).
		replyAt(at(12, 10, 0), hA).rate(at(13, 9, 0), "very_satisfied", yes())
	// c4: like c3 but the second rating is 非常不满意 again and the
	// platform closes it as 告知法定途径: out of 满意率, 解决率 and 一次办结率.
	c4 := submitAt(t, env, at(9, 9, 0), submission("爱园镇土地承包纠纷", m.T2)).dispatchTo(at(9, 9, 0), A).
		do(at(9, 10, 0), "sign", hA, workflow.Input{}).replyAt(at(10, 10, 0), hA).rate(at(11, 9, 0), "very_dissatisfied", no()).
		replyAt(at(12, 10, 0), hA)
	c4.do(at(13, 9, 0), "rate", env.Operator, workflow.Input{Satisfaction: "very_dissatisfied", Resolved: no()})
	c4.replyAt(at(16, 10, 0), hA).do(at(17, 9, 0), "archive", env.Operator, workflow.Input{Reason: "legal_channel"})
	// c5: 不予受理 as a repeat (重复诉求); no department.
	submitAt(t, env, at(16, 9, 0), submission("桃园村路灯还是不亮", m.V1)).
		do(at(16, 9, 30), "reject", env.Operator, workflow.Input{Reason: "duplicate"})
	// c6: 并单 into c1: a repeat, counted for c1's department A.
	submitAt(t, env, at(2, 9, 5), submission("桃园村路灯坏了", m.V1)).
		do(at(2, 9, 30), "merge", env.Operator, workflow.Input{Target: c1.appeal.GetString("ticket")})
	// c7: 转紧急热线 (不予受理): received, nothing else.
	submitAt(t, env, at(18, 9, 0), submission("家中燃气泄漏", m.T2)).
		do(at(18, 9, 5), "reject", env.Operator, workflow.Input{Reason: "emergency_hotline"})
	// c8: dispatched to B on 23 Nov, not signed by its deadline (24 Nov).
	submitAt(t, env, at(23, 9, 0), submission("爱园镇公交站牌倒了", m.T2)).dispatchTo(at(23, 9, 0), B)

	env.SetNow(at(25, 9, 0))
	if _, err := env.SLA.Sweep(); err != nil {
		t.Fatal(err)
	}
	return m
}

func figures(t *testing.T, m *metricsEnv, by analytics.Dimension) *analytics.Figures {
	t.Helper()
	f, err := analytics.Compute(m.App, analytics.MonthPeriod(at(1, 0, 0)), by, analytics.Scope{}, at(25, 9, 0))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func rowOf(t *testing.T, f *analytics.Figures, key string) *analytics.Row {
	t.Helper()
	for _, r := range f.Rows {
		if r.Key == key {
			return r
		}
	}
	t.Fatalf("no row %q in %+v", key, f.Rows)
	return nil
}

func checkRate(t *testing.T, name string, got analytics.Rate, count, base int) {
	t.Helper()
	if got.Count != count || got.Base != base {
		t.Errorf("%s = %d/%d, want %d/%d", name, got.Count, got.Base, count, base)
	}
	if base == 0 && got.Rate != nil {
		t.Errorf("%s: rate %v without base, want none", name, *got.Rate)
	}
}

func TestDepartmentFiguresHaveKnownAnswers(t *testing.T) {
	m := newMetricsEnv(t)
	f := figures(t, m, analytics.ByDepartment)

	a := rowOf(t, f, m.DeptA.Id)
	if a.Label != "测试住建局" {
		t.Errorf("label %q", a.Label)
	}
	if a.Received != 5 || a.Closed != 4 {
		t.Errorf("A received %d closed %d, want 5 and 4", a.Received, a.Closed)
	}
	checkRate(t, "A 重复诉求率", a.Repeat, 1, 5)
	checkRate(t, "A 响应率", a.Response, 3, 4)
	checkRate(t, "A 按时办结率", a.OnTime, 3, 4)
	checkRate(t, "A 一次办结率", a.FirstTime, 2, 3)
	// the 告知法定途径 closure (非常不满意) is left out: 2 of 3, not 2 of 4
	checkRate(t, "A 满意率", a.Satisfaction, 2, 3)
	checkRate(t, "A 解决率", a.Resolution, 2, 3)
	if a.Satisfaction.Rate == nil || *a.Satisfaction.Rate != 66.7 {
		t.Errorf("A 满意率 = %v, want 66.7", a.Satisfaction.Rate)
	}
	// 2 + 14 + 3 + 5 working days (c4's last reply on Monday 16 Nov) over 4 cases
	if a.Handled != 4 || a.HandlingDays == nil || *a.HandlingDays != 6 {
		t.Errorf("A handling %v over %d, want 6 over 4", *a.HandlingDays, a.Handled)
	}

	b := rowOf(t, f, m.DeptB.Id)
	checkRate(t, "B 响应率", b.Response, 0, 1)
	if b.Open != 1 || b.Overdue != 1 {
		t.Errorf("B open %d overdue %d, want 1 and 1", b.Open, b.Overdue)
	}
	checkRate(t, "B 满意率", b.Satisfaction, 0, 0)

	none := rowOf(t, f, "")
	if none.Received != 2 {
		t.Errorf("no department received %d, want 2 (the two rejections)", none.Received)
	}
	if f.Total.Received != 8 || f.Total.Repeat.Count != 2 || f.Total.Closed != 4 {
		t.Errorf("total received %d repeats %d closed %d, want 8, 2, 4", f.Total.Received, f.Total.Repeat.Count, f.Total.Closed)
	}
	if f.Total.Repeat.Rate == nil || *f.Total.Repeat.Rate != 25 {
		t.Errorf("total 重复诉求率 %v, want 25", f.Total.Repeat.Rate)
	}
}

func TestTownshipFiguresCountVillagesForTheirTownship(t *testing.T) {
	m := newMetricsEnv(t)
	f := figures(t, m, analytics.ByTownship)
	t1, t2 := rowOf(t, f, m.T1), rowOf(t, f, m.T2)
	// T1: c1, c2, c5, c6 in its village and c3 in the township itself
	if t1.Received != 5 || t1.Label != "测试众兴镇" {
		t.Errorf("T1 %q received %d, want 5", t1.Label, t1.Received)
	}
	if t2.Received != 3 {
		t.Errorf("T2 received %d, want 3 (c4, c7, c8)", t2.Received)
	}
	checkRate(t, "T1 满意率", t1.Satisfaction, 2, 3)
	checkRate(t, "T2 满意率", t2.Satisfaction, 0, 0)
	if t2.Open != 1 || t2.Overdue != 1 || t1.Open != 0 {
		t.Errorf("在办/超期: T2 %d/%d, T1 %d; want 1/1 (c8) and 0", t2.Open, t2.Overdue, t1.Open)
	}
}

func TestMonthAndDayBreakdowns(t *testing.T) {
	m := newMetricsEnv(t)
	f := figures(t, m, analytics.ByMonth)
	if len(f.Rows) != 1 || f.Rows[0].Key != "2026-11" || f.Rows[0].Received != 8 {
		t.Fatalf("months %+v", f.Rows)
	}
	days := figures(t, m, analytics.ByDay)
	if r := rowOf(t, days, "2026-11-02"); r.Received != 3 {
		t.Errorf("2 Nov received %d, want 3", r.Received)
	}
	// closures are counted on their own day: c1 on 5 Nov
	if r := rowOf(t, days, "2026-11-05"); r.Closed != 1 {
		t.Errorf("5 Nov closed %d, want 1", r.Closed)
	}
	// an earlier month has nothing
	empty, err := analytics.Compute(m.App, analytics.MonthPeriod(at(1, 0, 0).AddDate(0, -1, 0)), analytics.ByTotal, analytics.Scope{}, at(25, 9, 0))
	if err != nil {
		t.Fatal(err)
	}
	if empty.Total.Received != 0 || empty.Total.Satisfaction.Rate != nil {
		t.Errorf("October: %+v", empty.Total)
	}
}

func TestMetricsEndpointScopesHandlersToTheirDepartment(t *testing.T) {
	m := newMetricsEnv(t)
	var f analytics.Figures
	res := m.Call(t, http.MethodGet, "/api/analytics/metrics?by=department&month=2026-11", nil, m.Supervisor)
	if res.Status != http.StatusOK {
		t.Fatalf("supervisor: %d %s", res.Status, res.Body)
	}
	res.JSON(t, &f)
	if len(f.Rows) != 3 {
		t.Errorf("supervisor sees %d departments, want 3 (A, B, none)", len(f.Rows))
	}

	res = m.Call(t, http.MethodGet, "/api/analytics/metrics?by=department&month=2026-11", nil, m.HandlerB)
	if res.Status != http.StatusOK {
		t.Fatalf("handler: %d %s", res.Status, res.Body)
	}
	f = analytics.Figures{}
	res.JSON(t, &f)
	if len(f.Rows) != 1 || f.Rows[0].Key != m.DeptB.Id || f.Scope.Department != m.DeptB.Id {
		t.Errorf("handler B sees %+v", f.Rows)
	}

	for _, c := range []struct {
		name, url string
		as        bool
		status    int
	}{
		{"other department", "/api/analytics/metrics?department=" + m.DeptA.Id, true, http.StatusForbidden},
		{"bad month", "/api/analytics/metrics?month=2026-13", true, http.StatusBadRequest},
		{"bad breakdown", "/api/analytics/metrics?by=weather", true, http.StatusBadRequest},
		{"guest", "/api/analytics/metrics", false, http.StatusUnauthorized},
	} {
		var as = m.HandlerB
		if !c.as {
			as = nil
		}
		if res := m.Call(t, http.MethodGet, c.url, nil, as); res.Status != c.status {
			t.Errorf("%s: %d %s, want %d", c.name, res.Status, res.Body, c.status)
		}
	}
	if res := m.Call(t, http.MethodGet, "/api/analytics/metrics", nil, m.Resident); res.Status != http.StatusForbidden {
		t.Errorf("resident: %d", res.Status)
	}
}
