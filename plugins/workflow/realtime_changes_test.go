package workflow_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"siyang/internal/testenv"
	"siyang/plugins/workflow"
)

// TestRealtimeWorkbenchDeletes: workbench records are never deleted
// through the API (hooks/appendonly.go) and the timeline never at all, but
// Go code may delete a task. Such a delete reaches the workbenches of the
// departments that could see the task on the per-department path, as a
// "delete" message without contact data; an unrelated department hears
// nothing; a delete that is rolled back, or refused (a case its timeline
// still points to), sends nothing.
func TestRealtimeWorkbenchDeletes(t *testing.T) {
	env := testenv.New(t)
	server := httptest.NewServer(env.Handler(t))
	t.Cleanup(func() { server.CloseClientConnections(); server.Close() })
	appeal := env.Reach(t, workflow.Dispatched) // A leads, B assists
	tasks, err := env.App.FindAllRecords("assignments")
	if err != nil || len(tasks) != 2 {
		t.Fatalf("tasks: %d %v", len(tasks), err)
	}

	a := testenv.Subscribe(t, nil, server.URL, env.HandlerA, workbenchTopics...)
	b := testenv.Subscribe(t, nil, server.URL, env.HandlerB, workbenchTopics...)
	c := testenv.Subscribe(t, nil, server.URL, env.HandlerC, workbenchTopics...)
	for _, s := range []*testenv.SSEClient{a, b, c} {
		defer s.Close()
	}
	quiet := func(when string) {
		t.Helper()
		for who, s := range map[string]*testenv.SSEClient{"lead": a, "assisting": b, "unrelated": c} {
			if got := s.Drain(300 * time.Millisecond); len(got) > 0 {
				t.Errorf("%s heard of %s: %v", who, when, got)
			}
		}
	}

	err = env.App.RunInTransaction(func(tx core.App) error {
		if err := tx.Delete(tasks[0]); err != nil {
			return err
		}
		return errors.New("changed my mind")
	})
	if err == nil || err.Error() != "changed my mind" {
		t.Fatalf("rolled-back delete: %v", err)
	}
	quiet("a delete that was rolled back")
	if err := env.App.Delete(appeal); err == nil {
		t.Fatal("a case with a timeline was deleted")
	}
	quiet("a refused delete")
	res := env.Call(t, "DELETE", "/api/collections/assignments/records/"+tasks[0].Id, nil, env.Superuser(t))
	if res.Status != http.StatusForbidden {
		t.Fatalf("the record API deleted a task: %d %s", res.Status, res.Body)
	}
	quiet("a delete the API refused")

	for _, r := range tasks {
		if err := env.App.Delete(r); err != nil {
			t.Fatal(err)
		}
	}
	for who, s := range map[string]*testenv.SSEClient{"lead": a, "assisting": b} {
		got := s.Drain(500 * time.Millisecond)
		if n := topicsOf(t, who, got, appeal.Id); n["assignments/*"] != 2 || len(n) != 1 {
			t.Errorf("%s heard %v of the deletes, want both tasks", who, n)
		}
		for _, m := range got {
			if !strings.Contains(m, `"action":"delete"`) || strings.Contains(m, "李四") || strings.Contains(m, "13912345678") {
				t.Errorf("%s: %s", who, m)
			}
		}
	}
	if got := c.Drain(100 * time.Millisecond); len(got) > 0 {
		t.Errorf("unrelated department heard %d deletes, first: %s", len(got), got[0])
	}
}

// closed waits until the server has ended s's connection.
func closed(s *testenv.SSEClient, within time.Duration) bool {
	deadline := time.After(within)
	for {
		select {
		case _, ok := <-s.Messages:
			if !ok {
				return true
			}
		case <-deadline:
			return false
		}
	}
}

// TestRealtimeMovedHandler: a handler moved to another department, one
// who is no longer a handler and one whose password changed lose their
// workbench stream the moment their staff record is saved, and hear nothing of their former department's
// next 派单; a colleague whose name changed keeps the stream and hears it.
// Subscribing again, the moved clerk hears its new department only.
func TestRealtimeMovedHandler(t *testing.T) {
	env := testenv.New(t)
	server := httptest.NewServer(env.Handler(t))
	t.Cleanup(func() { server.CloseClientConnections(); server.Close() })
	toA := env.Reach(t, workflow.Accepted)
	toB := env.Reach(t, workflow.Accepted)

	moved := env.Staff(t, "handler", env.DeptA.Id)
	promoted := env.Staff(t, "handler", env.DeptA.Id)
	renamed := env.Staff(t, "handler", env.DeptA.Id)
	reset := env.Staff(t, "handler", env.DeptA.Id)
	sMoved := testenv.Subscribe(t, nil, server.URL, moved, workbenchTopics...)
	sPromoted := testenv.Subscribe(t, nil, server.URL, promoted, workbenchTopics...)
	sRenamed := testenv.Subscribe(t, nil, server.URL, renamed, workbenchTopics...)
	sReset := testenv.Subscribe(t, nil, server.URL, reset, workbenchTopics...)
	for _, s := range []*testenv.SSEClient{sMoved, sPromoted, sRenamed, sReset} {
		defer s.Close()
	}

	save := func(r *core.Record, field string, value any) {
		t.Helper()
		r.Set(field, value)
		if err := env.App.Save(r); err != nil {
			t.Fatal(err)
		}
	}
	save(moved, "department", env.DeptB.Id)
	save(promoted, "role", "operator")
	save(renamed, "name", "改了名字的办理人")
	save(reset, "password", "a-new-password-456") // a new token key: its sessions end
	if !closed(sReset, 5*time.Second) {
		t.Error("the stream of a handler whose password changed stays open")
	}
	if !closed(sMoved, 5*time.Second) {
		t.Error("the moved handler's stream stays open")
	}
	if !closed(sPromoted, 5*time.Second) {
		t.Error("the stream of a handler who became an operator stays open")
	}

	env.Do(t, toA, "dispatch", env.Operator, workflow.Input{Department: env.DeptA.Id})
	n := topicsOf(t, "renamed colleague", sRenamed.Drain(500*time.Millisecond), toA.Id)
	if n["appeals/*"] != 1 {
		t.Errorf("a handler whose name changed no longer hears its department: %v", n)
	}

	// subscribing again files the moved clerk under its new department
	again := testenv.Subscribe(t, nil, server.URL, moved, workbenchTopics...)
	defer again.Close()
	env.Do(t, toB, "dispatch", env.Operator, workflow.Input{Department: env.DeptB.Id})
	n = topicsOf(t, "moved handler", again.Drain(500*time.Millisecond), toB.Id)
	if n["appeals/*"] != 1 || n["assignments/*"] != 1 {
		t.Errorf("the moved handler does not hear its new department: %v", n)
	}
}
