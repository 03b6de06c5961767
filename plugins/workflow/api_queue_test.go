package workflow_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"siyang/internal/testenv"
	"siyang/plugins/workflow"
)

// queueFixture is department A's work in every state it can be in, made
// through the workflow on days apart so that deadlines differ.
type queueFixture struct {
	env *testenv.Env
	// A's 待办: to sign (lead), in hand, 挂起, assisting B's case
	dispatched, handling, suspended, assisting *core.Record
	replied, closed                            *core.Record // A's 待审核 and 已办结
	otherDept, returned, redispatched          *core.Record // never A's
}

type queuePage struct {
	Items []workflow.QueueItem `json:"items"`
	Next  string               `json:"next"`
}

func newQueueFixture(t testing.TB) *queueFixture {
	env := testenv.New(t)
	f := &queueFixture{env: env}
	day := func(n int) { env.SetNow(testenv.DefaultNow.AddDate(0, 0, n)) }
	do := func(a *core.Record, action string, actor *core.Record, in workflow.Input) *core.Record {
		return env.Do(t, a, action, actor, in)
	}
	accepted := func() *core.Record { return env.Reach(t, workflow.Accepted) }

	day(-6)
	f.handling = env.Reach(t, workflow.Handling) // 办结 deadline from 6 days ago: the most urgent
	// B, assisting, has answered A already: its task is replied, the case still A's to finish
	do(f.handling, "assist_sign", env.HandlerB, workflow.Input{})
	do(f.handling, "assist_reply", env.HandlerB, workflow.Input{Content: "协办单位已核查现场，线路归属主办单位维护。"})
	f.closed = env.Reach(t, workflow.Closed)
	day(-5)
	f.suspended = env.Reach(t, workflow.Suspended)
	f.replied = env.Reach(t, workflow.Replied)
	day(-4)
	f.returned = env.Reach(t, workflow.Dispatched)
	do(f.returned, "return", env.HandlerA, workflow.Input{Note: "该事项属于住建部门职责，建议改派住建局办理"})
	f.redispatched = env.Reach(t, workflow.Dispatched)
	do(f.redispatched, "redispatch", env.Operator, workflow.Input{Department: env.DeptC.Id})
	f.otherDept = do(accepted(), "dispatch", env.Operator, workflow.Input{Department: env.DeptC.Id})
	day(-3)
	f.assisting = do(accepted(), "dispatch", env.Operator, workflow.Input{Department: env.DeptB.Id, Assisting: []string{env.DeptA.Id}})
	day(0)
	f.dispatched = env.Reach(t, workflow.Dispatched) // 签收 deadline tomorrow: sooner than any 办结 deadline
	return f
}

func tickets(list ...*core.Record) []string {
	out := make([]string, len(list))
	for i, a := range list {
		out[i] = `"ticket":"` + a.GetString("ticket") + `"`
	}
	return out
}

// runQueueScenarios runs each scenario on its own copy of the fixture's
// database (PocketBase binds routes per router built on an app).
func runQueueScenarios(t *testing.T, f *queueFixture, scenarios []tests.ApiScenario) {
	t.Helper()
	for _, sc := range scenarios {
		sc.TestAppFactory = func(t testing.TB) *tests.TestApp { return testenv.Reopen(t, f.env.App.DataDir()).App }
		sc.DisableTestAppCleanup = true
		sc.Test(t)
	}
}

func bearer(t testing.TB, r *core.Record) map[string]string {
	return map[string]string{"Authorization": testenv.Token(t, r)}
}

// inDeadlineOrder checks the page's order: tasks by the deadline they run
// against, those without one (挂起) last; for a lead task that deadline is
// the case's own.
func inDeadlineOrder(t testing.TB, body []byte) queuePage {
	var page queuePage
	if err := json.Unmarshal(body, &page); err != nil {
		t.Fatal(err)
	}
	due := make([]string, len(page.Items))
	for i, it := range page.Items {
		due[i] = it.Task.Due
		if it.Task.Role == "lead" {
			want := it.SLADueAt
			if want.IsZero() {
				want = it.DueFinish
			}
			if it.Task.Due != want.String() {
				t.Errorf("%s: lead task due %q, case deadline %q", it.Ticket, it.Task.Due, want.String())
			}
		}
	}
	// tasks whose clock is stopped (挂起: no deadline) come last
	if !sort.SliceIsSorted(due, func(i, j int) bool { return due[i] != "" && (due[j] == "" || due[i] < due[j]) }) {
		t.Errorf("not in deadline order: %v", due)
	}
	return page
}

func TestWorkbenchQueue(t *testing.T) {
	f := newQueueFixture(t)
	env := f.env
	otherHandlerA := env.Staff(t, "handler", env.DeptA.Id)
	never := tickets(f.otherDept, f.returned, f.redispatched)

	runQueueScenarios(t, f, []tests.ApiScenario{
		{
			Name: "A's 待办: exactly its open tasks, most urgent deadline first", Method: "GET", URL: "/api/workbench/queue",
			Headers: bearer(t, env.HandlerA), ExpectedStatus: 200,
			ExpectedContent:    append(tickets(f.dispatched, f.handling, f.suspended, f.assisting), `"next":""`),
			NotExpectedContent: append(never, tickets(f.replied, f.closed)...),
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				page := inDeadlineOrder(t, readBody(t, res))
				got := []string{}
				roles := map[string]string{}
				for _, it := range page.Items {
					got = append(got, it.Ticket)
					roles[it.Ticket] = it.Task.Role + "/" + it.Task.Status
				}
				// the overdue 签收 of three days ago first, the 挂起 case (its
				// clock stopped) last; inDeadlineOrder checks the rest
				if len(got) != 4 || got[0] != f.assisting.GetString("ticket") || got[3] != f.suspended.GetString("ticket") {
					t.Errorf("order %v, want %s first and %s last", got, f.assisting.GetString("ticket"), f.suspended.GetString("ticket"))
				}
				for ticket, role := range map[*core.Record]string{f.dispatched: "lead/pending", f.handling: "lead/signed", f.suspended: "lead/signed", f.assisting: "assist/pending"} {
					if roles[ticket.GetString("ticket")] != role {
						t.Errorf("%s: task %q, want %q", ticket.GetString("ticket"), roles[ticket.GetString("ticket")], role)
					}
				}
			},
		},
		{
			Name: "another handler of A sees the same queue", Method: "GET", URL: "/api/workbench/queue?view=todo",
			Headers: bearer(t, otherHandlerA), ExpectedStatus: 200,
			ExpectedContent: tickets(f.dispatched, f.handling, f.suspended, f.assisting), NotExpectedContent: never,
		},
		{
			Name: "the list columns the workbench shows", Method: "GET", URL: "/api/workbench/queue",
			Headers: bearer(t, env.HandlerA), ExpectedStatus: 200,
			ExpectedContent: []string{`"title":"幸福小区门口路灯不亮"`, `"status":"dispatched"`, `"sla_state":"normal"`, `"sla_stage":"sign"`,
				`"urge_count":0`, `"supervise_count":0`, `"lead_department":"` + env.DeptA.Id + `"`, `"role":"assist"`},
			NotExpectedContent: []string{"13912345678", "李四", `"content"`, `"contact_phone"`},
		},
		{
			Name: "B's 待办 holds its lead case and its assisting tasks (one already answered)", Method: "GET", URL: "/api/workbench/queue",
			Headers: bearer(t, env.HandlerB), ExpectedStatus: 200,
			ExpectedContent:    append(tickets(f.assisting, f.dispatched, f.handling, f.suspended), `"status":"replied"`),
			NotExpectedContent: never,
		},
		{
			Name: "B's 待审核 holds the answered case it assists", Method: "GET", URL: "/api/workbench/queue?view=review",
			Headers: bearer(t, env.HandlerB), ExpectedStatus: 200,
			ExpectedContent:    append(tickets(f.replied), `"role":"assist"`),
			NotExpectedContent: append(never, tickets(f.handling, f.dispatched)...),
		},
		{
			Name: "C never sees A's cases, only its own", Method: "GET", URL: "/api/workbench/queue",
			Headers: bearer(t, env.HandlerC), ExpectedStatus: 200,
			ExpectedContent:    tickets(f.otherDept, f.redispatched),
			NotExpectedContent: tickets(f.dispatched, f.handling, f.suspended, f.assisting, f.returned),
		},
		{
			Name: "A's 待审核", Method: "GET", URL: "/api/workbench/queue?view=review",
			Headers: bearer(t, env.HandlerA), ExpectedStatus: 200,
			ExpectedContent:    tickets(f.replied),
			NotExpectedContent: append(never, tickets(f.dispatched, f.handling, f.closed)...),
		},
		{
			Name: "A's 已办结", Method: "GET", URL: "/api/workbench/queue?view=done",
			Headers: bearer(t, env.HandlerA), ExpectedStatus: 200,
			ExpectedContent:    tickets(f.closed),
			NotExpectedContent: append(never, tickets(f.dispatched, f.replied)...),
		},
		{
			Name: "a handler may not ask for another department", Method: "GET", URL: "/api/workbench/queue?department=" + env.DeptC.Id,
			Headers: bearer(t, env.HandlerA), ExpectedStatus: 403, ExpectedContent: []string{"只能查看本单位的工单"},
		},
		{
			Name: "a handler naming their own department", Method: "GET", URL: "/api/workbench/queue?department=" + env.DeptA.Id,
			Headers: bearer(t, env.HandlerA), ExpectedStatus: 200, ExpectedContent: tickets(f.dispatched),
		},
		{
			Name: "the platform names the department", Method: "GET", URL: "/api/workbench/queue?department=" + env.DeptC.Id,
			Headers: bearer(t, env.Supervisor), ExpectedStatus: 200,
			ExpectedContent: tickets(f.otherDept), NotExpectedContent: tickets(f.dispatched),
		},
		{
			Name: "the platform must name one", Method: "GET", URL: "/api/workbench/queue",
			Headers: bearer(t, env.Operator), ExpectedStatus: 400, ExpectedContent: []string{`"department"`, "请指定要查看的承办单位"},
		},
		{
			Name: "a handler without a department", Method: "GET", URL: "/api/workbench/queue",
			Headers: bearer(t, env.Staff(t, "handler", "")), ExpectedStatus: 403, ExpectedContent: []string{"没有所属单位"},
		},
		{
			Name: "guests are asked to sign in", Method: "GET", URL: "/api/workbench/queue",
			ExpectedStatus: 401, ExpectedContent: []string{"请先以工作人员身份登录"},
		},
		{
			Name: "residents are refused", Method: "GET", URL: "/api/workbench/queue",
			Headers: bearer(t, env.Resident), ExpectedStatus: 403, ExpectedContent: []string{"仅限工作人员使用"},
		},
		{
			Name: "unknown view", Method: "GET", URL: "/api/workbench/queue?view=all",
			Headers: bearer(t, env.HandlerA), ExpectedStatus: 400, ExpectedContent: []string{`"view"`, "待办"},
		},
		{
			Name: "page size out of range", Method: "GET", URL: "/api/workbench/queue?perPage=5000",
			Headers: bearer(t, env.HandlerA), ExpectedStatus: 400, ExpectedContent: []string{`"perPage"`, "1 到 200"},
		},
		{
			Name: "forged cursor", Method: "GET", URL: "/api/workbench/queue?cursor=" + url.QueryEscape("x' OR 1=1 --~abc"),
			Headers: bearer(t, env.HandlerA), ExpectedStatus: 400, ExpectedContent: []string{`"cursor"`, "无效"},
		},
	})
}

// TestWorkbenchQueuePaging walks A's 待办 a page of one and of two at a
// time: the pages together are the whole queue, in order, each case once.
func TestWorkbenchQueuePaging(t *testing.T) {
	f := newQueueFixture(t)
	env := f.env
	r := env.Call(t, "GET", "/api/workbench/queue", nil, env.HandlerA)
	var whole queuePage
	r.JSON(t, &whole)
	if len(whole.Items) != 4 {
		t.Fatalf("want 4 open tasks, got %s", r.Body)
	}
	for _, per := range []string{"1", "2", "3"} {
		var got []string
		cursor := ""
		for pages := 0; ; pages++ {
			if pages > 5 {
				t.Fatalf("perPage=%s: paging does not end", per)
			}
			r := env.Call(t, "GET", "/api/workbench/queue?perPage="+per+"&cursor="+url.QueryEscape(cursor), nil, env.HandlerA)
			if r.Status != 200 {
				t.Fatalf("perPage=%s: %d %s", per, r.Status, r.Body)
			}
			page := inDeadlineOrder(t, []byte(r.Body))
			for _, it := range page.Items {
				got = append(got, it.Ticket)
			}
			if page.Next == "" {
				break
			}
			cursor = page.Next
		}
		want := []string{}
		for _, it := range whole.Items {
			want = append(want, it.Ticket)
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("perPage=%s: pages %v, whole list %v", per, got, want)
		}
	}
}

// TestWorkbenchQueueFollowsTheCase: a case leaves A's queue when A returns
// it or the platform moves it elsewhere, and arrives when dispatched.
func TestWorkbenchQueueFollowsTheCase(t *testing.T) {
	env := testenv.New(t)
	count := func() int {
		r := env.Call(t, "GET", "/api/workbench/queue", nil, env.HandlerA)
		var page queuePage
		r.JSON(t, &page)
		return len(page.Items)
	}
	a := env.Reach(t, workflow.Dispatched)
	b := env.Reach(t, workflow.Handling)
	if n := count(); n != 2 {
		t.Fatalf("after two dispatches: %d", n)
	}
	env.Do(t, a, "return", env.HandlerA, workflow.Input{Note: "该事项属于住建部门职责，建议改派住建局办理"})
	if n := count(); n != 1 {
		t.Errorf("after 退单: %d", n)
	}
	env.Do(t, b, "redispatch", env.Operator, workflow.Input{Department: env.DeptC.Id})
	if n := count(); n != 0 {
		t.Errorf("after 改派: %d", n)
	}
	env.SetNow(testenv.DefaultNow.Add(time.Hour))
	env.Do(t, a, "dispatch", env.Operator, workflow.Input{Department: env.DeptA.Id})
	if n := count(); n != 1 {
		t.Errorf("after dispatching again: %d", n)
	}
}

func readBody(t testing.TB, res *http.Response) []byte {
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestWorkbenchQueueCaseWithTwoTasks: a department with two live tasks on
// one case lists it once, and the page is still full and its cursor
// right — the walk stops at perPage+1 tasks, which the second task of
// the case uses up, so the page is walked again further.
func TestWorkbenchQueueCaseWithTwoTasks(t *testing.T) {
	env := testenv.New(t)
	x, y, z := env.Reach(t, workflow.Dispatched), env.Reach(t, workflow.Dispatched), env.Reach(t, workflow.Dispatched)
	first, err := env.App.FindFirstRecordByFilter("assignments", "appeal = {:a} && department = {:d}",
		map[string]any{"a": x.Id, "d": env.DeptA.Id})
	if err != nil {
		t.Fatal(err)
	}
	// x's task first in A's queue, and a second live task of A on x with
	// the same deadline (as a lead task beside an earlier assisting one)
	const early = "2026-11-20 09:30:00.000Z"
	first.Set("due_sign", early)
	if err := env.App.Save(first); err != nil {
		t.Fatal(err)
	}
	env.Save(t, "assignments", map[string]any{"appeal": x.Id, "department": env.DeptA.Id, "role": "assist",
		"status": "pending", "due_sign": early, "due_finish": first.GetString("due_finish")})

	r := env.Call(t, "GET", "/api/workbench/queue?perPage=2", nil, env.HandlerA)
	var page, second queuePage
	r.JSON(t, &page)
	if len(page.Items) != 2 || page.Items[0].ID != x.Id || page.Next == "" {
		t.Fatalf("first page of two: x first, then one of y and z, and a next page: %s", r.Body)
	}
	r = env.Call(t, "GET", "/api/workbench/queue?perPage=2&cursor="+url.QueryEscape(page.Next), nil, env.HandlerA)
	r.JSON(t, &second)
	if len(second.Items) != 1 || second.Next != "" {
		t.Fatalf("second page: %s", r.Body)
	}
	got := map[string]bool{page.Items[1].ID: true, second.Items[0].ID: true}
	if !got[y.Id] || !got[z.Id] {
		t.Errorf("the pages lack y or z: %v", got)
	}
}
