package pbpublic_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"siyang/internal/browser"
	"siyang/internal/testenv"
	"siyang/plugins/workflow"
)

// dispatchMany submits, accepts and dispatches n cases through the
// workflow engine, all in one transaction (one commit instead of 3n):
// department A leads most; every fifth is B's with A assisting, and of
// those every other one B has already signed — its running deadline is
// then B's 办结, while A's own task still runs against its 签收. Each is
// dispatched at its own minute of one working morning, in a shuffled
// order, so every 签收 deadline differs and the deadline order is not the
// order of creation (the 签收 limit becomes 8 working hours: the default,
// in working days, ends with the day). It answers the cases by id.
func dispatchMany(t *testing.T, s *site, n int) map[string]*core.Record {
	t.Helper()
	start := *s.Now
	defer s.SetNow(start)
	cases := map[string]*core.Record{}
	err := s.App.RunInTransaction(func(tx core.App) error {
		policies, err := tx.FindAllRecords("sla_policies")
		if err != nil {
			return err
		}
		for _, p := range policies {
			p.Set("sign_limit", 8)
			p.Set("sign_unit", workflow.WorkingHours)
			if err := tx.Save(p); err != nil {
				return err
			}
		}
		for i := 0; i < n; i++ {
			s.SetNow(start.Add(time.Duration((i*37)%n) * time.Minute)) // 37 is prime to n: a permutation
			sub := testenv.SampleSubmission()
			sub.Title = fmt.Sprintf("批量工单第%03d号 路灯不亮", i+1)
			receipt, err := s.Engine.Submit(tx, sub, workflow.ActorFromAuth(s.Resident))
			if err != nil {
				return err
			}
			id := receipt.Appeal.Id
			type step struct {
				action string
				actor  *core.Record
				in     workflow.Input
			}
			steps := []step{{"accept", s.Operator, workflow.Input{}}, {"dispatch", s.Operator, workflow.Input{Department: s.DeptA.Id}}}
			if i%5 == 0 {
				steps[1].in = workflow.Input{Department: s.DeptB.Id, Assisting: []string{s.DeptA.Id}}
				if i%10 == 0 {
					steps = append(steps, step{"sign", s.HandlerB, workflow.Input{}})
				}
			}
			for _, step := range steps {
				res, err := s.Engine.Perform(tx, workflow.Request{Appeal: id, Action: step.action,
					Actor: workflow.ActorFromAuth(step.actor), Input: step.in})
				if err != nil {
					return fmt.Errorf("%s: %w", step.action, err)
				}
				cases[id] = res.Appeal
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return cases
}

// rowIDs answers the ids of the queue's rows, top to bottom.
func rowIDs(p *browser.Page) []string {
	var ids []string
	p.EvalInto(`Array.from(document.querySelectorAll("#queue button.case")).map(b => b.getAttribute("data-id"))`, &ids)
	return ids
}

// TestWorkbenchLoadMore: a department with 130 open tasks (26 of them as
// assisting department). The workbench shows the 100 most urgent by the
// department's own deadline, 加载更多 adds the other 30 below them (every
// case once, all in that order), the button is gone once all are
// loaded, the keyboard focus lands on the first row added (and the count
// is read out), and a 催办 of a case from the second page still updates
// that row live.
func TestWorkbenchLoadMore(t *testing.T) {
	s := newSite(t)
	const n = 130
	began := time.Now()
	cases := dispatchMany(t, s, n)
	t.Logf("fixture: %d cases dispatched in %v", n, time.Since(began).Round(time.Millisecond))

	// the expected order: by the 签收 deadline the engine set (A's tasks
	// are all still to sign; a task's deadlines are the case's at 派单)
	want := make([]string, 0, n)
	for id := range cases {
		want = append(want, id)
	}
	slices.SortFunc(want, func(x, y string) int {
		return strings.Compare(cases[x].GetString("due_sign"), cases[y].GetString("due_sign"))
	})
	for i := 1; i < n; i++ {
		if cases[want[i]].GetString("due_sign") == cases[want[i-1]].GetString("due_sign") {
			t.Fatalf("the fixture has two cases with the deadline %s", cases[want[i]].GetString("due_sign"))
		}
	}

	p := s.signIn(t, browser.Desktop, "workbench.html", s.HandlerA)
	p.WaitFor(`document.querySelectorAll("#queue button.case").length === 100`)
	if got := rowIDs(p); !slices.Equal(got, want[:100]) {
		t.Fatalf("the first page is not the 100 most urgent cases in deadline order:\n got %v\nwant %v", got, want[:100])
	}
	p.WaitText("#queue li.more button", "加载更多")
	p.Screenshot("1-first-page")

	// 加载更多 by keyboard: the focus moves to the first case added
	p.Eval(`document.querySelector("#queue li.more button").focus(), true`)
	p.Press("Enter")
	p.WaitFor(`document.querySelectorAll("#queue button.case").length === ` + fmt.Sprint(n))
	if got := rowIDs(p); !slices.Equal(got, want) {
		t.Fatalf("after 加载更多 the queue is not every case once in deadline order:\n got %v\nwant %v", got, want)
	}
	if p.Exists("#queue li.more") {
		t.Error("加载更多 is still offered after the last page")
	}
	if f := p.Focus(); !strings.Contains(f.Text, cases[want[100]].GetString("ticket")) || !f.Visible {
		t.Errorf("after 加载更多 the focus is on %s, want the first added case %s", f, cases[want[100]].GetString("ticket"))
	}
	p.WaitFor(`document.getElementById("live").textContent.includes("已加载 30 条工单，已全部加载")`)
	p.Screenshot("2-all-loaded")

	// a case of the second page is urged — one B leads and has signed, so
	// its running deadline is not A's: its row says so, live, in its place
	var late *core.Record
	for _, id := range want[100:] {
		if cases[id].GetString("status") == "handling" {
			late = cases[id]
			break
		}
	}
	if late == nil {
		t.Fatal("the fixture has no case signed by B on the second page")
	}
	s.Do(t, late, "urge", s.Operator, workflow.Input{Note: "请尽快签收"})
	row := `#queue button[data-id="` + late.Id + `"]`
	p.WaitText(row, "催办 1 次")
	p.WaitText("#activity", "催办："+late.GetString("ticket"))
	if got := rowIDs(p); !slices.Equal(got, want) {
		t.Errorf("after the 催办 the queue changed order or rows:\n got %v\nwant %v", got, want)
	}
	for _, id := range want {
		if id != late.Id && strings.Contains(p.Text(`#queue button[data-id="`+id+`"]`), "催办") {
			t.Errorf("the 催办 shows on another row (%s)", cases[id].GetString("ticket"))
			break
		}
	}
	p.Screenshot("3-urged-on-second-page")
	checkPage(t, p, "workbench")
}

// TestWorkbenchHandlerMoved: a handler's workbench is open when the
// administrator moves the handler to department B. The server ends the
// page's realtime stream; the page reconnects, notices the new department
// and starts again: B's name, B's queue (A's case gone), and B's next
// 派单 arrives live.
func TestWorkbenchHandlerMoved(t *testing.T) {
	s := newSite(t)
	dispatchTo := func(dept *core.Record, title string) *core.Record {
		sub := testenv.SampleSubmission()
		sub.Title = title
		a, _ := s.Submit(t, sub)
		a = s.Do(t, a, "accept", s.Operator, workflow.Input{})
		return s.Do(t, a, "dispatch", s.Operator, workflow.Input{Department: dept.Id})
	}
	caseA := dispatchTo(s.DeptA, "甲单位的路灯工单")
	caseB := dispatchTo(s.DeptB, "乙单位的井盖工单")
	clerk := s.Staff(t, "handler", s.DeptA.Id)

	p := s.signIn(t, browser.Desktop, "workbench.html", clerk)
	p.WaitText("#queue", caseA.GetString("title"))
	p.WaitText("#dept-name", s.DeptA.GetString("name"))
	p.Eval(`window.__sameDocument = true`)

	clerk.Set("department", s.DeptB.Id)
	if err := s.App.Save(clerk); err != nil {
		t.Fatal(err)
	}
	p.WaitFor(`window.__sameDocument !== true`)
	p.WaitText("#dept-name", s.DeptB.GetString("name"))
	p.WaitText("#queue", caseB.GetString("title"))
	p.WaitText("#live-state", "实时更新已连接")
	if strings.Contains(p.Text("#queue"), caseA.GetString("title")) {
		t.Error("the moved handler still sees department A's case")
	}
	later := dispatchTo(s.DeptB, "乙单位的新工单")
	p.WaitText("#queue", later.GetString("title"))
	p.Screenshot("moved-to-B")
	checkPage(t, p, "workbench after the move")
}
