package sla_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"siyang/internal/testenv"
	"siyang/plugins/workflow"
)

var china = testenv.China

func at(y int, m time.Month, d, hh, mm int) time.Time { return time.Date(y, m, d, hh, mm, 0, 0, china) }

func due(t *testing.T, r *core.Record, field string) time.Time {
	t.Helper()
	dt := r.GetDateTime(field)
	if dt.IsZero() {
		t.Fatalf("%s is empty", field)
	}
	return dt.Time().In(china)
}

func reload(t *testing.T, env *testenv.Env, r *core.Record) *core.Record {
	t.Helper()
	fresh, err := env.App.FindRecordById(r.Collection().Name, r.Id)
	if err != nil {
		t.Fatal(err)
	}
	return fresh
}

// dispatchAt submits, accepts and dispatches a sample case at the given time.
func dispatchAt(t *testing.T, env *testenv.Env, when time.Time, sub workflow.Submission) *core.Record {
	t.Helper()
	env.SetNow(when)
	a, _ := env.Submit(t, sub)
	env.Do(t, a, "accept", env.Operator, workflow.Input{})
	return env.Do(t, a, "dispatch", env.Operator, workflow.Input{Department: env.DeptA.Id})
}

// TestDeadlinesFollowTheHolidayCalendar: deadlines computed by the workflow
// across real 2026 holidays and 调休 weekends, at working-hour boundaries.
func TestDeadlinesFollowTheHolidayCalendar(t *testing.T) {
	env := testenv.New(t)
	cases := []struct {
		name              string
		dispatched        time.Time
		sign, ret, finish time.Time
	}{
		{"the afternoon before 国庆 2026, 5 working days", at(2026, 9, 30, 15, 0),
			at(2026, 10, 8, 17, 30), at(2026, 10, 9, 17, 30), at(2026, 10, 13, 17, 30)},
		{"an ordinary Wednesday morning", at(2026, 11, 25, 9, 0),
			at(2026, 11, 26, 17, 30), at(2026, 11, 27, 17, 30), at(2026, 12, 2, 17, 30)},
		{"Friday evening, over the weekend", at(2026, 11, 27, 19, 0),
			at(2026, 11, 30, 17, 30), at(2026, 12, 1, 17, 30), at(2026, 12, 4, 17, 30)},
		{"the Friday before the 调休 Saturday after 国庆 counts 10-10", at(2026, 10, 9, 10, 0),
			at(2026, 10, 10, 17, 30), at(2026, 10, 12, 17, 30), at(2026, 10, 15, 17, 30)},
		{"before 春节 2026 (02-15..23 off, 02-14 and 02-28 worked)", at(2026, 2, 13, 10, 0),
			at(2026, 2, 14, 17, 30), at(2026, 2, 24, 17, 30), at(2026, 2, 27, 17, 30)},
	}
	for _, c := range cases {
		a := dispatchAt(t, env, c.dispatched, testenv.SampleSubmission())
		lead, err := env.App.FindFirstRecordByFilter("assignments", "appeal = {:a} && role = 'lead'", dbx.Params{"a": a.Id})
		if err != nil {
			t.Fatal(err)
		}
		for _, check := range []struct {
			what      string
			got, want time.Time
		}{
			{"签收", due(t, a, "due_sign"), c.sign},
			{"退单", due(t, lead, "due_return"), c.ret},
			{"办结", due(t, a, "due_finish"), c.finish},
		} {
			if !check.got.Equal(check.want) {
				t.Errorf("%s: %s deadline %s, want %s", c.name, check.what, check.got, check.want)
			}
		}
	}
}

// TestAcceptDeadlineInWorkingHours: 受理 within 2 working hours.
func TestAcceptDeadlineInWorkingHours(t *testing.T) {
	env := testenv.New(t)
	for _, c := range []struct{ submitted, want time.Time }{
		{at(2026, 11, 25, 11, 0), at(2026, 11, 25, 15, 0)},  // 11:00–12:00, 14:00–15:00
		{at(2026, 11, 27, 17, 0), at(2026, 11, 30, 10, 0)},  // Friday 17:00 → Monday 10:00
		{at(2026, 9, 30, 16, 30), at(2026, 10, 8, 9, 30)},   // into 国庆
		{at(2026, 11, 25, 12, 30), at(2026, 11, 25, 16, 0)}, // lunch break does not count
	} {
		env.SetNow(c.submitted)
		a, _ := env.Submit(t, testenv.SampleSubmission())
		if got := due(t, a, "due_accept"); !got.Equal(c.want) {
			t.Errorf("submitted %s: 受理 due %s, want %s", c.submitted, got, c.want)
		}
	}
}

// TestExtensionAndSuspension: an approved 延期 adds working days; a
// suspension keeps the working time that was left and gives it back.
func TestExtensionAndSuspension(t *testing.T) {
	env := testenv.New(t)
	a := dispatchAt(t, env, at(2026, 11, 25, 9, 0), testenv.SampleSubmission()) // finish due Wed 12-02 17:30
	env.Do(t, a, "sign", env.HandlerA, workflow.Input{})
	env.SetNow(at(2026, 11, 30, 10, 0))
	env.Do(t, a, "request_extension", env.HandlerA, workflow.Input{Days: 3, Note: "需等待供电公司停电窗口"})
	a = env.Do(t, a, "approve_extension", env.Supervisor, workflow.Input{})
	if got, want := due(t, a, "due_finish"), at(2026, 12, 7, 17, 30); !got.Equal(want) {
		t.Errorf("after 3-day extension: %s, want %s", got, want)
	}
	if res, err := env.Engine.Perform(env.App, workflow.Request{Appeal: a.Id, Action: "request_extension", Actor: workflow.ActorFromAuth(env.HandlerA), Input: workflow.Input{Days: 1, Note: "再延一次"}}); err == nil || !strings.Contains(err.Error(), "只能延期一次") {
		t.Errorf("second extension: %v %v", res, err)
	}

	// suspend on Thursday 12-03 at 10:00: left = 12-03 10:00 → 12-07 17:30
	env.SetNow(at(2026, 12, 3, 10, 0))
	env.Do(t, a, "request_suspension", env.HandlerA, workflow.Input{Note: "等待司法鉴定"})
	a = env.Do(t, a, "approve_suspension", env.Operator, workflow.Input{})
	if a.GetString("sla_stage") != "" || a.GetString("next_sla_at") != "" {
		t.Errorf("a suspended case must not run a clock: stage %q next %q", a.GetString("sla_stage"), a.GetString("next_sla_at"))
	}
	// resume the next Monday at 09:00: the same working time is left
	env.SetNow(at(2026, 12, 14, 9, 0))
	a = env.Do(t, a, "resume", env.Operator, workflow.Input{})
	// left was 12-03 10:00–17:30 (5.5 h without lunch) + 12-04 (7 h) + 12-07 (7 h) = 19.5 h;
	// from 12-14 09:00: 6.5 h + 12-15 7 h + 12-16 08:30–12:00, 14:00–16:30
	if got, want := due(t, a, "due_finish"), at(2026, 12, 16, 16, 30); !got.Equal(want) {
		t.Errorf("after resume: %s, want %s", got, want)
	}
}

// TestYearNotCoveredIsRefused: a deadline that would fall into a year the
// calendar does not cover is an error an admin can act on, never a guess.
func TestYearNotCoveredIsRefused(t *testing.T) {
	env := testenv.New(t)
	env.SetNow(at(2027, 12, 20, 10, 0))
	a, _ := env.Submit(t, testenv.SampleSubmission())
	env.Do(t, a, "accept", env.Operator, workflow.Input{Policy: "complex"})
	_, err := env.Engine.Perform(env.App, workflow.Request{Appeal: a.Id, Action: "dispatch", Actor: workflow.ActorFromAuth(env.Operator), Input: workflow.Input{Department: env.DeptA.Id}})
	if err == nil || !strings.Contains(err.Error(), "工作日历未覆盖 2028 年") {
		t.Fatalf("dispatch into 2028: %v", err)
	}
	if reload(t, env, a).GetString("status") != "accepted" {
		t.Errorf("refused dispatch changed the case")
	}
}

// TestAdminCalendarEditsTakeEffect: declaring a day off moves deadlines.
func TestAdminCalendarEditsTakeEffect(t *testing.T) {
	env := testenv.New(t)
	day, err := env.App.FindFirstRecordByData("calendar_days", "date", "2026-11-26")
	if err != nil {
		t.Fatal(err)
	}
	day.Set("work", false)
	day.Set("name", "临时停工")
	res := env.Call(t, "PATCH", "/api/collections/calendar_days/records/"+day.Id, map[string]any{"work": false, "name": "临时停工"}, env.Admin)
	if res.Status != 200 {
		t.Fatalf("admin edit: %d %s", res.Status, res.Body)
	}
	if res := env.Call(t, "PATCH", "/api/collections/calendar_days/records/"+day.Id, map[string]any{"work": true}, env.Operator); res.Status < 400 {
		t.Errorf("an operator edited the calendar: %d", res.Status)
	}
	a := dispatchAt(t, env, at(2026, 11, 25, 9, 0), testenv.SampleSubmission())
	if got, want := due(t, a, "due_sign"), at(2026, 11, 27, 17, 30); !got.Equal(want) {
		t.Errorf("sign due with 11-26 off: %s, want %s", got, want)
	}
	if n, _ := env.App.CountRecords("audit_log", dbx.HashExp{"target_collection": "calendar_days"}); n != 0 {
		_ = n // calendar edits are configuration; audited via the config audit when listed there
	}
}

// events lists the system's timeline entries of an appeal.
func events(t *testing.T, env *testenv.Env, a *core.Record) []string {
	t.Helper()
	list, err := env.App.FindRecordsByFilter("appeal_events", "appeal = {:a} && actor_role = 'system'", "created", 0, 0, dbx.Params{"a": a.Id})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(list))
	for i, e := range list {
		out[i] = e.GetString("action")
	}
	return out
}

// TestSweeperWarnsUrgesAndSupervisesOnce walks one signed case through its
// warning, deadline and two rounds of 督办, sweeping twice at each point.
func TestSweeperWarnsUrgesAndSupervisesOnce(t *testing.T) {
	env := testenv.New(t)
	a := dispatchAt(t, env, at(2026, 11, 25, 9, 0), testenv.SampleSubmission())
	env.Do(t, a, "sign", env.HandlerA, workflow.Input{})
	// 办结 due Wed 12-02 17:30; 5 days × 7 h = 35 working hours from 11-25 09:00
	// (the day of dispatch counts from dispatch on): 80 % ≈ 12-01 17:00 region

	steps := []struct {
		when time.Time
		want []string
	}{
		{at(2026, 11, 30, 9, 0), nil},
		{at(2026, 12, 2, 9, 0), []string{"sla_warning"}},
		{at(2026, 12, 2, 17, 31), []string{"sla_warning", "sla_overdue"}},
		{at(2026, 12, 4, 17, 29), []string{"sla_warning", "sla_overdue"}},
		{at(2026, 12, 4, 17, 30), []string{"sla_warning", "sla_overdue", "supervise"}},
		{at(2026, 12, 8, 17, 30), []string{"sla_warning", "sla_overdue", "supervise", "supervise"}},
	}
	for _, s := range steps {
		env.SetNow(s.when)
		for i := 0; i < 2; i++ { // a second sweep at the same moment does nothing
			if _, err := env.SLA.Sweep(); err != nil {
				t.Fatal(err)
			}
		}
		if got := events(t, env, a); strings.Join(got, ",") != strings.Join(s.want, ",") {
			t.Errorf("at %s: system events %v, want %v", s.when, got, s.want)
		}
	}
	a = reload(t, env, a)
	if a.GetString("sla_state") != "overdue" || a.GetInt("urge_count") != 1 || a.GetInt("supervise_count") != 2 {
		t.Errorf("state %s, urges %d, supervisions %d", a.GetString("sla_state"), a.GetInt("urge_count"), a.GetInt("supervise_count"))
	}
	// replying stops the clock
	env.Do(t, a, "reply", env.HandlerA, workflow.Input{Content: "已于今日完成路灯更换，请核实。"})
	env.SetNow(at(2026, 12, 31, 10, 0))
	if res, _ := env.SLA.Sweep(); res.Warned+res.Overdue+res.Supervised != 0 {
		t.Errorf("a replied case was acted on: %+v", res)
	}
}

// TestRestartBetweenSweepsNeitherRepeatsNorMisses: the state of the timers
// is in the database; an app started on the same data (after a crash)
// neither repeats a 催办 nor misses a crossing that passed while it was down.
func TestRestartBetweenSweepsNeitherRepeatsNorMisses(t *testing.T) {
	env := testenv.New(t)
	a := dispatchAt(t, env, at(2026, 11, 25, 9, 0), testenv.SampleSubmission())
	env.Do(t, a, "sign", env.HandlerA, workflow.Input{})
	env.SetNow(at(2026, 12, 2, 17, 31))
	if _, err := env.SLA.Sweep(); err != nil {
		t.Fatal(err)
	}
	if got := events(t, env, a); len(got) != 2 {
		t.Fatalf("before restart: %v", got)
	}

	restarted := testenv.Reopen(t, env.App.DataDir())
	restarted.SetNow(at(2026, 12, 2, 17, 31)) // the same moment: nothing new
	if res, _ := restarted.SLA.Sweep(); res.Warned+res.Overdue+res.Supervised != 0 {
		t.Errorf("restart repeated an act: %+v", res)
	}
	restarted.SetNow(at(2026, 12, 9, 10, 0)) // down for a week: the first 督办 (12-04) and the second (12-08) are due
	if _, err := restarted.SLA.Sweep(); err != nil {
		t.Fatal(err)
	}
	if got := events(t, restarted, a); strings.Join(got, ",") != "sla_warning,sla_overdue,supervise,supervise" {
		t.Errorf("after restart: %v", got)
	}
}

// TestClockAndBoard: the case shows its time left in working time; the
// supervisor board groups at-risk and overdue cases by department.
func TestClockAndBoard(t *testing.T) {
	env := testenv.New(t)
	a := dispatchAt(t, env, at(2026, 11, 25, 9, 0), testenv.SampleSubmission())
	b := dispatchAt(t, env, at(2026, 11, 25, 9, 0), testenv.SampleSubmission())
	env.Do(t, a, "sign", env.HandlerA, workflow.Input{})
	env.SetNow(at(2026, 11, 26, 9, 30)) // b is not signed: 签收 due 11-26 17:30, 2.5 h + 3.5 h left
	res := env.Call(t, "GET", "/api/sla/appeals/"+b.Id, nil, env.HandlerA)
	if res.Status != 200 || !strings.Contains(res.Body, `"stage_label":"签收"`) || !strings.Contains(res.Body, "剩余 6 小时 0 分") {
		t.Errorf("clock: %d %s", res.Status, res.Body)
	}
	if res := env.Call(t, "GET", "/api/sla/appeals/"+b.Id, nil, env.HandlerC); res.Status != 404 {
		t.Errorf("another department reads the clock: %d", res.Status)
	}
	env.SetNow(at(2026, 11, 27, 9, 0))
	env.SLA.Sweep()
	res = env.Call(t, "GET", "/api/sla/board", nil, env.Supervisor)
	if res.Status != 200 || !strings.Contains(res.Body, `"name":"测试住建局"`) || !strings.Contains(res.Body, `"overdue":1`) || !strings.Contains(res.Body, "已超时") {
		t.Errorf("board: %d %s", res.Status, res.Body)
	}
	if res := env.Call(t, "GET", "/api/sla/board", nil, nil); res.Status != http.StatusUnauthorized {
		t.Errorf("board for guests: %d", res.Status)
	}
}

// TestClockForTheResidentAndAfterHours: the resident reads their clock
// with ticket and query code; a deadline passed at 17:30 reads as overdue
// the next morning although no working time has passed since.
func TestClockForTheResidentAndAfterHours(t *testing.T) {
	env := testenv.New(t)
	env.SetNow(at(2026, 11, 25, 15, 30))
	a, code := env.Submit(t, testenv.SampleSubmission()) // 受理 due 17:30 the same day
	ticket := a.GetString("ticket")
	res := env.Call(t, "GET", "/api/sla/appeals/"+ticket, nil, nil, "X-Query-Code", code)
	if res.Status != 200 || !strings.Contains(res.Body, `"stage":"accept"`) {
		t.Fatalf("resident clock: %d %s", res.Status, res.Body)
	}
	if res := env.Call(t, "GET", "/api/sla/appeals/"+ticket, nil, nil, "X-Query-Code", "WRONG2"); res.Status != 404 {
		t.Errorf("wrong code: %d", res.Status)
	}
	env.SetNow(at(2026, 11, 25, 18, 0))
	res = env.Call(t, "GET", "/api/sla/appeals/"+a.Id, nil, env.Operator)
	if !strings.Contains(res.Body, `"overdue":true`) || !strings.Contains(res.Body, "已超时 0 分") {
		t.Errorf("after hours: %s", res.Body)
	}
	env.SetNow(at(2026, 11, 26, 10, 0))
	res = env.Call(t, "GET", "/api/sla/appeals/"+a.Id, nil, env.Operator)
	if !strings.Contains(res.Body, "已超时 1 小时 30 分") {
		t.Errorf("next morning: %s", res.Body)
	}
	env.Do(t, a, "reject", env.Operator, workflow.Input{Reason: "incomplete"})
	res = env.Call(t, "GET", "/api/sla/appeals/"+a.Id, nil, env.Operator)
	if !strings.Contains(res.Body, `"due":null`) || !strings.Contains(res.Body, `"stage":""`) {
		t.Errorf("no clock: %s", res.Body)
	}
}
