package sla_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"siyang/internal/testenv"
	"siyang/plugins/workflow"
)

type boardAnswer struct {
	AsOf        string `json:"as_of"`
	Departments []struct {
		Department string `json:"department"`
		Overdue    int    `json:"overdue"`
		Warning    int    `json:"warning"`
		Items      []struct {
			ID  string `json:"id"`
			SLA struct {
				Unit     string `json:"unit"`
				LeftText string `json:"left_text"`
			} `json:"sla"`
		} `json:"items"`
	} `json:"departments"`
}

func readBoard(t *testing.T, env *testenv.Env, as *core.Record) boardAnswer {
	t.Helper()
	res := env.Call(t, "GET", "/api/sla/board", nil, as)
	if res.Status != 200 {
		t.Fatalf("board: %d %s", res.Status, res.Body)
	}
	var b boardAnswer
	res.JSON(t, &b)
	return b
}

// listed is the ids on the board, and the overdue count of all groups.
func (b boardAnswer) listed() (map[string]string, int) {
	ids, overdue := map[string]string{}, 0
	for _, g := range b.Departments {
		overdue += g.Overdue
		for _, it := range g.Items {
			ids[it.ID] = it.SLA.Unit
		}
	}
	return ids, overdue
}

// TestBoardKeptAnswerFollowsEveryChange: the board's answer is kept, yet
// with the clock standing still a case that becomes overdue (the sweep),
// is signed, is extended (延期), or whose policy changes is seen by the
// very next answer; with nothing changed the answer is given again until
// it is BoardMaxAge old, and then it is computed again as of the new time.
func TestBoardKeptAnswerFollowsEveryChange(t *testing.T) {
	env := testenv.New(t)
	a := dispatchAt(t, env, at(2026, 11, 25, 9, 0), testenv.SampleSubmission()) // 签收 due 11-26 17:30
	b := dispatchAt(t, env, at(2026, 11, 25, 9, 0), testenv.SampleSubmission())
	env.Do(t, b, "sign", env.HandlerA, workflow.Input{}) // 办结 due 12-02 17:30

	env.SetNow(at(2026, 12, 2, 14, 0)) // a's deadline passed, b's is near; no sweep yet
	first := readBoard(t, env, env.Supervisor)
	if ids, _ := first.listed(); len(ids) != 0 {
		t.Fatalf("before the sweep the board lists %v, want nothing (the stored state is normal)", ids)
	}
	if again := readBoard(t, env, env.Supervisor); again.AsOf != first.AsOf {
		t.Errorf("nothing changed: as_of %s, want the kept answer's %s", again.AsOf, first.AsOf)
	}

	// a becomes overdue and b at risk (the sweep's actions: a warning,
	// then the 催办), at the same clock
	for i := 0; i < 2; i++ {
		if _, err := env.SLA.Sweep(); err != nil {
			t.Fatal(err)
		}
	}
	ids, overdue := readBoard(t, env, env.Supervisor).listed()
	if _, ok := ids[a.Id]; !ok || overdue != 1 || len(ids) != 2 {
		t.Fatalf("after the sweep: listed %v, overdue %d; want a overdue and b at risk", ids, overdue)
	}
	handler := readBoard(t, env, env.HandlerA) // a scope of its own
	if ids, _ := handler.listed(); len(ids) != 2 {
		t.Errorf("department A's handler sees %v, want both cases", ids)
	}

	// a policy change (the clock's unit) is seen at once
	policy, err := env.App.FindFirstRecordByData("sla_policies", "code", "normal")
	if err != nil {
		t.Fatal(err)
	}
	if ids[a.Id] != workflow.WorkingHours {
		t.Fatalf("a's clock unit %q, want working hours", ids[a.Id])
	}
	policy.Set("sign_unit", workflow.WallHours)
	if err := env.App.Save(policy); err != nil {
		t.Fatal(err)
	}
	if ids, _ := readBoard(t, env, env.Supervisor).listed(); ids[a.Id] != workflow.WallHours {
		t.Errorf("after the policy change a's clock unit is %q, want wall hours", ids[a.Id])
	}

	// signed: a's 签收 clock stops and its 办结 clock is not overdue
	env.Do(t, a, "sign", env.HandlerA, workflow.Input{})
	ids, overdue = readBoard(t, env, env.Supervisor).listed()
	if _, ok := ids[a.Id]; ok || overdue != 0 || len(ids) != 1 {
		t.Errorf("after signing: listed %v, overdue %d; want b only", ids, overdue)
	}
	if ids, _ := readBoard(t, env, env.HandlerA).listed(); len(ids) != 1 {
		t.Errorf("department A's handler still sees %v, want b only", ids)
	}

	// extended: b's deadline moves further
	env.Do(t, b, "request_extension", env.HandlerA, workflow.Input{Days: 3, Note: "需等待供电公司停电窗口"})
	env.Do(t, b, "approve_extension", env.Supervisor, workflow.Input{})
	before := readBoard(t, env, env.Supervisor)
	if ids, overdue := before.listed(); len(ids) != 0 || overdue != 0 {
		t.Errorf("after the extension: listed %v, overdue %d; want nothing", ids, overdue)
	}

	// nothing changes: the answer is kept for BoardMaxAge (30 s), then
	// computed again as of the new time
	env.SetNow(at(2026, 12, 2, 14, 0).Add(20 * time.Second))
	if got := readBoard(t, env, env.Supervisor); got.AsOf != before.AsOf {
		t.Errorf("20 s later: as_of %s, want the kept %s", got.AsOf, before.AsOf)
	}
	env.SetNow(at(2026, 12, 2, 14, 0).Add(31 * time.Second))
	want := at(2026, 12, 2, 14, 0).Add(31 * time.Second).UTC().Format("2006-01-02 15:04:05.000Z")
	if got := readBoard(t, env, env.Supervisor); got.AsOf != want {
		t.Errorf("31 s later: as_of %s, want %s (computed again)", got.AsOf, want)
	}
}

// TestBoardConcurrentRequestsShareOneAnswer: requests arriving together
// are all answered (the ones that find the answer being computed wait for
// it) with the same board.
func TestBoardConcurrentRequestsShareOneAnswer(t *testing.T) {
	env := testenv.New(t)
	dispatchAt(t, env, at(2026, 11, 25, 9, 0), testenv.SampleSubmission())
	env.SetNow(at(2026, 11, 27, 9, 0))
	for i := 0; i < 2; i++ {
		if _, err := env.SLA.Sweep(); err != nil {
			t.Fatal(err)
		}
	}
	env.Handler(t) // the router, built once before the requests race
	bodies := make(chan string, 8)
	for i := 0; i < 8; i++ {
		go func() {
			res := env.Call(t, "GET", "/api/sla/board", nil, env.Supervisor)
			bodies <- res.Body
		}()
	}
	first := <-bodies
	var b boardAnswer
	if err := json.Unmarshal([]byte(first), &b); err != nil || len(b.Departments) != 1 || b.Departments[0].Overdue != 1 {
		t.Fatalf("board %s (%v), want one overdue case", first, err)
	}
	for i := 1; i < 8; i++ {
		if got := <-bodies; got != first {
			t.Errorf("request %d answered %s, want %s", i, got, first)
		}
	}
}
