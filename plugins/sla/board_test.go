package sla_test

import (
	"encoding/json"
	"fmt"
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
	if res.Status != 200 || res.Body != fmt.Sprintf(`{"departments":%s}`, "[]") {
		t.Errorf("department B's board: %d %s", res.Status, res.Body)
	}
}

func timeHours(i int) time.Duration { return time.Duration(i+1) * time.Hour }

// TestBoardItemsAreTheWholeCasesClock: the board reads only some columns
// of the listed cases; each item still shows the case's ticket, title and
// status, and the clock GET /api/sla/appeals/{id} computes from the whole
// record (policy by priority: an urgent case's 办结 limit is in wall
// hours, a normal one's in working time).
func TestBoardItemsAreTheWholeCasesClock(t *testing.T) {
	env := testenv.New(t)
	env.SetNow(at(2026, 11, 27, 9, 0))
	for i, priority := range []string{"normal", "urgent", "normal"} {
		sub := testenv.SampleSubmission()
		sub.Title = fmt.Sprintf("第 %d 件：%s", i+1, sub.Title)
		a, _ := env.Submit(t, sub)
		// due in the evening: wall and working time left differ
		due := at(2026, 11, 27, 22, 0).Add(time.Duration(i) * time.Hour).UTC().Format("2006-01-02 15:04:05.000Z")
		state := "overdue"
		if i == 2 {
			state = "warning"
		}
		if _, err := env.App.DB().Update("appeals", dbx.Params{
			"status": "handling", "lead_department": env.DeptA.Id, "sla_state": state, "sla_stage": "finish",
			"sla_due_at": due, "priority": priority, "sla_policy": "", // the policy follows the priority
		}, dbx.HashExp{"id": a.Id}).Execute(); err != nil {
			t.Fatal(err)
		}
	}
	var board struct {
		Departments []struct {
			Items []struct {
				ID     string          `json:"id"`
				Ticket string          `json:"ticket"`
				Title  string          `json:"title"`
				Status string          `json:"status"`
				SLA    json.RawMessage `json:"sla"`
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
	if len(board.Departments) != 1 || len(board.Departments[0].Items) != 3 {
		t.Fatalf("want department A with 3 cases: %s", res.Body)
	}
	for _, it := range board.Departments[0].Items {
		r, err := env.App.FindRecordById("appeals", it.ID)
		if err != nil {
			t.Fatal(err)
		}
		if it.Ticket != r.GetString("ticket") || it.Title != r.GetString("title") || it.Status != "handling" {
			t.Errorf("item %+v, want ticket %s title %s status handling", it, r.GetString("ticket"), r.GetString("title"))
		}
		one := env.Call(t, "GET", "/api/sla/appeals/"+it.ID, nil, env.Supervisor)
		if one.Status != 200 {
			t.Fatalf("clock of %s: %d %s", it.ID, one.Status, one.Body)
		}
		if whole := strings.TrimSpace(one.Body); whole != string(it.SLA) {
			t.Errorf("board clock %s, whole case's clock %s", it.SLA, whole)
		}
	}
}
