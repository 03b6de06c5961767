package sla_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"

	"siyang/internal/testenv"
)

// TestBoardCountsEveryCaseAndListsTheMostUrgent: a department with more
// overdue cases than the board lists gets the true count and its most
// urgent cases first; a handler of another department sees none of them.
func TestBoardCountsEveryCaseAndListsTheMostUrgent(t *testing.T) {
	env := testenv.New(t)
	env.SetNow(at(2026, 11, 27, 9, 0))
	const n = 25
	for i := 0; i < n; i++ {
		a, _ := env.Submit(t, testenv.SampleSubmission())
		// the sweeper's verdict, written directly: overdue by i+1 hours
		due := at(2026, 11, 26, 8, 0).Add(-timeHours(i)).UTC().Format("2006-01-02 15:04:05.000Z")
		if _, err := env.App.DB().Update("appeals", dbx.Params{
			"status": "dispatched", "lead_department": env.DeptA.Id, "sla_state": "overdue", "sla_stage": "sign", "sla_due_at": due,
		}, dbx.HashExp{"id": a.Id}).Execute(); err != nil {
			t.Fatal(err)
		}
	}
	var board struct {
		Departments []struct {
			Department string `json:"department"`
			Overdue    int    `json:"overdue"`
			Warning    int    `json:"warning"`
			Items      []struct {
				SLA struct {
					Due string `json:"due"`
				} `json:"sla"`
			} `json:"items"`
		} `json:"departments"`
	}
	res := env.Call(t, "GET", "/api/sla/board", nil, env.Supervisor)
	if res.Status != 200 {
		t.Fatalf("board: %d %s", res.Status, res.Body)
	}
	if err := json.Unmarshal([]byte(res.Body), &board); err != nil {
		t.Fatal(err)
	}
	if len(board.Departments) != 1 {
		t.Fatalf("groups %d, want department A only: %s", len(board.Departments), res.Body)
	}
	g := board.Departments[0]
	if g.Department != env.DeptA.Id || g.Overdue != n || g.Warning != 0 {
		t.Errorf("A: overdue %d warning %d, want %d and 0", g.Overdue, g.Warning, n)
	}
	if len(g.Items) != 20 {
		t.Errorf("%d cases listed, want the 20 most urgent", len(g.Items))
	}
	for i := 1; i < len(g.Items); i++ {
		if g.Items[i].SLA.Due < g.Items[i-1].SLA.Due {
			t.Fatalf("case %d due %s before case %d due %s: want the most urgent first", i, g.Items[i].SLA.Due, i-1, g.Items[i-1].SLA.Due)
		}
	}
	want := at(2026, 11, 26, 8, 0).Add(-timeHours(n - 1)).UTC().Format("2006-01-02 15:04:05.000Z")
	if len(g.Items) > 0 && g.Items[0].SLA.Due != want {
		t.Errorf("first listed due %s, want the longest overdue %s", g.Items[0].SLA.Due, want)
	}
	res = env.Call(t, "GET", "/api/sla/board", nil, env.HandlerB)
	if res.Status != 200 || !strings.Contains(res.Body, `"departments":[]`) {
		t.Errorf("department B's board: %d %s", res.Status, res.Body)
	}
}

func timeHours(i int) time.Duration { return time.Duration(i+1) * time.Hour }
