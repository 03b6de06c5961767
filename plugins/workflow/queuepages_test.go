package workflow_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"siyang/internal/testenv"
	"siyang/plugins/workflow"
)

// queueReader reads first pages of the queue as a clerk's workbench does
// (the pages the server keeps between changes) and finds one case on them.
type queueReader struct {
	t   *testing.T
	env *testenv.Env
}

func (q queueReader) page(view string, as *core.Record) (department string, items map[string]workflow.QueueItem) {
	q.t.Helper()
	r := q.env.Call(q.t, "GET", "/api/workbench/queue?view="+view+"&perPage=100&cursor=", nil, as)
	if r.Status != 200 {
		q.t.Fatalf("queue %s: %d %s", view, r.Status, r.Body)
	}
	var page struct {
		Department string               `json:"department"`
		Items      []workflow.QueueItem `json:"items"`
	}
	r.JSON(q.t, &page)
	items = map[string]workflow.QueueItem{}
	for _, it := range page.Items {
		items[it.ID] = it
	}
	return page.Department, items
}

// find answers the case's row on the view's first page of as.
func (q queueReader) find(view string, as, appeal *core.Record) (workflow.QueueItem, bool) {
	q.t.Helper()
	_, items := q.page(view, as)
	it, ok := items[appeal.Id]
	return it, ok
}

// warm reads every first page of A and C, so that each step below is
// read after it from kept pages if the cache failed to forget them.
func (q queueReader) warm() {
	q.t.Helper()
	for _, as := range []*core.Record{q.env.HandlerA, q.env.HandlerC} {
		for _, view := range []string{"todo", "review", "done"} {
			q.page(view, as)
		}
	}
}

// TestWorkbenchQueueSeesEveryChange: each change of a case or of its
// tasks is on the next read of the queue, although the first pages are
// kept between changes (queuepages.go).
func TestWorkbenchQueueSeesEveryChange(t *testing.T) {
	env := testenv.New(t)
	q := queueReader{t, env}
	cat := env.Save(t, "categories", map[string]any{"name": "路灯照明", "code": "streetlight", "sort": 1})
	a, _ := env.Submit(t, testenv.SampleSubmission())
	a = env.Do(t, a, "accept", env.Operator, workflow.Input{Category: cat.Id})

	q.warm()
	a = env.Do(t, a, "dispatch", env.Operator, workflow.Input{Department: env.DeptA.Id})
	it, ok := q.find("todo", env.HandlerA, a)
	if !ok || it.Status != "dispatched" || it.Task.Status != "pending" || it.CategoryName != "路灯照明" {
		t.Fatalf("after 派单: %v %+v", ok, it)
	}

	// PocketBase's field picking still applies (such a request is read
	// from the database, not answered from a kept page)
	if r := env.Call(t, "GET", "/api/workbench/queue?fields=items.ticket,next", nil, env.HandlerA); r.Status != 200 ||
		!strings.Contains(r.Body, a.GetString("ticket")) || strings.Contains(r.Body, `"title"`) {
		t.Errorf("fields: %d %s", r.Status, r.Body)
	}

	q.warm()
	a = env.Do(t, a, "sign", env.HandlerA, workflow.Input{})
	if it, ok = q.find("todo", env.HandlerA, a); !ok || it.Status != "handling" || it.Task.Status != "signed" {
		t.Fatalf("after 签收: %v %+v", ok, it)
	}

	q.warm()
	cat.Set("name", "路灯与照明")
	if err := env.App.Save(cat); err != nil {
		t.Fatal(err)
	}
	if it, _ = q.find("todo", env.HandlerA, a); it.CategoryName != "路灯与照明" {
		t.Errorf("after renaming the category: %q", it.CategoryName)
	}

	q.warm()
	a = env.Do(t, a, "urge", env.Operator, workflow.Input{Note: "请加快办理"})
	if it, _ = q.find("todo", env.HandlerA, a); it.UrgeCount != 1 {
		t.Errorf("after 催办: urge_count %d", it.UrgeCount)
	}

	due := it.Task.Due
	a = env.Do(t, a, "request_extension", env.HandlerA, workflow.Input{Days: 2, Note: "需协调供电公司停电检修"})
	q.warm()
	a = env.Do(t, a, "approve_extension", env.Operator, workflow.Input{})
	if it, _ = q.find("todo", env.HandlerA, a); it.Task.Due <= due || it.DueFinish.String() != it.Task.Due {
		t.Errorf("after 批准延期: due %q → %q (case %s)", due, it.Task.Due, it.DueFinish.String())
	}

	q.warm()
	a = env.Do(t, a, "reply", env.HandlerA, workflow.Input{Content: "经现场核查，路灯线路老化，已于今日更换完毕。"})
	if _, ok = q.find("todo", env.HandlerA, a); ok {
		t.Error("after 答复: still in 待办")
	}
	if it, ok = q.find("review", env.HandlerA, a); !ok || it.Status != "replied" {
		t.Errorf("after 答复: not in 待审核 (%v %+v)", ok, it)
	}

	q.warm()
	a = env.Do(t, a, "approve_reply", env.Operator, workflow.Input{})
	if _, ok = q.find("review", env.HandlerA, a); ok {
		t.Error("after 审核通过: still in 待审核")
	}
	if it, ok = q.find("done", env.HandlerA, a); !ok || it.Status != "callback" {
		t.Errorf("after 审核通过: not in 已办结 as 回访 (%v %+v)", ok, it)
	}

	q.warm()
	yes := true
	a = env.Do(t, a, "rate", env.Operator, workflow.Input{Satisfaction: "satisfied", Resolved: &yes})
	if it, ok = q.find("done", env.HandlerA, a); !ok || it.Status != "closed" {
		t.Errorf("after 办结: %v %+v", ok, it)
	}

	// a task moved to another department
	b := env.Reach(t, workflow.Handling)
	q.warm()
	b = env.Do(t, b, "redispatch", env.Operator, workflow.Input{Department: env.DeptC.Id})
	if _, ok = q.find("todo", env.HandlerA, b); ok {
		t.Error("after 改派: still on A's queue")
	}
	if it, ok = q.find("todo", env.HandlerC, b); !ok || it.LeadDepartment != env.DeptC.Id {
		t.Errorf("after 改派: not on C's queue (%v %+v)", ok, it)
	}
}

// TestWorkbenchQueueClerkMoved: a clerk moved to another department reads
// that department's queue on the next request, not the page kept for the
// department he left.
func TestWorkbenchQueueClerkMoved(t *testing.T) {
	env := testenv.New(t)
	q := queueReader{t, env}
	a := env.Reach(t, workflow.Dispatched) // A's
	c := env.Do(t, env.Reach(t, workflow.Accepted), "dispatch", env.Operator, workflow.Input{Department: env.DeptC.Id})
	clerk := env.Staff(t, "handler", env.DeptA.Id)
	if dept, items := q.page("todo", clerk); dept != env.DeptA.Id || len(items) != 1 || items[a.Id].ID == "" {
		t.Fatalf("before: %s %v", dept, items)
	}
	q.warm()
	clerk.Set("department", env.DeptC.Id)
	if err := env.App.Save(clerk); err != nil {
		t.Fatal(err)
	}
	dept, items := q.page("todo", clerk)
	if dept != env.DeptC.Id || len(items) != 1 || items[c.Id].ID == "" {
		t.Errorf("after the move: department %s, items %v", dept, items)
	}
	if r := env.Call(t, "GET", "/api/workbench/queue?department="+env.DeptA.Id, nil, clerk); r.Status != 403 {
		t.Errorf("asking for the former department: %d %s", r.Status, r.Body)
	}
}

// TestWorkbenchQueueStaleRecordObject: an appeal object saved twice keeps
// the Original() of when it was read; a write through such an object that
// takes the case off the queues is still seen (the stored row is judged).
func TestWorkbenchQueueStaleRecordObject(t *testing.T) {
	env := testenv.New(t)
	q := queueReader{t, env}
	accepted := env.Reach(t, workflow.Accepted)
	old, err := env.App.FindRecordById("appeals", accepted.Id) // read while accepted
	if err != nil {
		t.Fatal(err)
	}
	env.Do(t, accepted, "dispatch", env.Operator, workflow.Input{Department: env.DeptA.Id})
	if _, ok := q.find("todo", env.HandlerA, accepted); !ok {
		t.Fatal("not dispatched to A")
	}
	// the old object (Original: accepted) written back as accepted: neither
	// its Original nor its new state is on a queue; the stored row was
	old.Set("updated", time.Now())
	if err := env.App.Save(old); err != nil {
		t.Fatal(err)
	}
	if _, ok := q.find("todo", env.HandlerA, accepted); ok {
		t.Error("a case written back to 已受理 is still on A's queue")
	}
}
