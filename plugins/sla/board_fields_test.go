package sla_test

import (
	"encoding/json"
	"testing"

	"siyang/internal/testenv"
	"siyang/plugins/workflow"
)

// atRisk is a board with one case of department A at risk (预警) on
// 2 December 14:00, its 办结 due at 17:30 in working hours.
func atRisk(t *testing.T) *testenv.Env {
	t.Helper()
	env := testenv.New(t)
	b := dispatchAt(t, env, at(2026, 11, 25, 9, 0), testenv.SampleSubmission())
	env.Do(t, b, "sign", env.HandlerA, workflow.Input{}) // 办结 due 12-02 17:30
	env.SetNow(at(2026, 12, 2, 14, 0))
	if _, err := env.SLA.Sweep(); err != nil {
		t.Fatal(err)
	}
	return env
}

// TestBoardHonoursFields: PocketBase's ?fields= picks from the board's
// kept answer (its JSON is kept encoded) as from any answer, for the
// request that computes it and the ones given the kept bytes.
func TestBoardHonoursFields(t *testing.T) {
	env := atRisk(t)
	for i := 0; i < 2; i++ {
		res := env.Call(t, "GET", "/api/sla/board?fields=as_of,departments.name,departments.warning", nil, env.Supervisor)
		if res.Status != 200 {
			t.Fatalf("board with fields: %d %s", res.Status, res.Body)
		}
		var got map[string][]map[string]any
		var asOf struct {
			AsOf string `json:"as_of"`
		}
		res.JSON(t, &asOf)
		var raw map[string]json.RawMessage
		res.JSON(t, &raw)
		if len(raw) != 2 || asOf.AsOf == "" {
			t.Fatalf("request %d: keys of %s, want as_of and departments only", i+1, res.Body)
		}
		if err := json.Unmarshal([]byte(`{"departments":`+string(raw["departments"])+`}`), &got); err != nil {
			t.Fatal(err)
		}
		groups := got["departments"]
		if len(groups) != 1 || len(groups[0]) != 2 || groups[0]["name"] != "测试住建局" || groups[0]["warning"] != float64(1) {
			t.Errorf("request %d: departments %v, want A's name and warning count only", i+1, groups)
		}
	}
	if b := readBoard(t, env, env.Supervisor); len(b.Departments) != 1 || len(b.Departments[0].Items) != 1 {
		t.Errorf("after picked answers the board without fields is %+v", b)
	}
}

// TestBoardFollowsCalendarAndLabelChanges: with the clock standing still
// (the kept answer would be given again), a day of the calendar turned
// into a day off changes the listed case's 剩余 at once, and a renamed
// department is named at once.
func TestBoardFollowsCalendarAndLabelChanges(t *testing.T) {
	env := atRisk(t)
	leftText := func() string {
		t.Helper()
		b := readBoard(t, env, env.Supervisor)
		if len(b.Departments) != 1 || len(b.Departments[0].Items) != 1 {
			t.Fatalf("board %+v, want the one case at risk", b)
		}
		return b.Departments[0].Items[0].SLA.LeftText
	}
	before := leftText()
	day, err := env.App.FindFirstRecordByData("calendar_days", "date", "2026-12-02")
	if err != nil {
		t.Fatal(err)
	}
	day.Set("work", false)
	day.Set("name", "临时停工")
	if err := env.App.Save(day); err != nil {
		t.Fatal(err)
	}
	if after := leftText(); after == before {
		t.Errorf("after 12-02 became a day off the case still shows %q", after)
	}

	env.DeptA.Set("name", "测试更名后的住建局")
	if err := env.App.Save(env.DeptA); err != nil {
		t.Fatal(err)
	}
	res := env.Call(t, "GET", "/api/sla/board", nil, env.Supervisor)
	var b struct {
		Departments []struct{ Name string } `json:"departments"`
	}
	res.JSON(t, &b)
	if len(b.Departments) != 1 || b.Departments[0].Name != "测试更名后的住建局" {
		t.Errorf("after the rename the board names %+v", b.Departments)
	}
}
