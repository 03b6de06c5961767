package workflow_test

import (
	"net/http"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"siyang/internal/testenv"
	"siyang/plugins/workflow"
)

func yes() *bool { b := true; return &b }

// validInput is a well-formed request for each action.
func validInput(env *testenv.Env, action string) workflow.Input {
	switch action {
	case "reject":
		return workflow.Input{Reason: "incomplete", Note: "请补充具体地址"}
	case "direct_answer":
		return workflow.Input{Content: "根据县医保中心规定，异地就医备案可在线办理，三个工作日内完成。"}
	case "dispatch":
		return workflow.Input{Department: env.DeptA.Id, Assisting: []string{env.DeptB.Id}}
	case "redispatch":
		return workflow.Input{Department: env.DeptC.Id, Note: "属地管理"}
	case "return":
		return workflow.Input{Note: "该路段属于交通局管养范围"}
	case "request_extension":
		return workflow.Input{Days: 2, Note: "需协调供电公司停电施工"}
	case "request_suspension":
		return workflow.Input{Note: "等待司法鉴定结果"}
	case "deny_request", "send_back", "supervise", "urge":
		return workflow.Input{Note: "请按要求尽快办理"}
	case "reply", "assist_reply":
		return workflow.Input{Content: "经现场核查，路灯线路老化，已于今日更换完毕。"}
	case "rate":
		return workflow.Input{Satisfaction: "satisfied", Resolved: yes()}
	case "archive":
		return workflow.Input{Reason: "unreachable"}
	case "supplement":
		return workflow.Input{Content: "补充：路灯编号 SY-0231"}
	}
	return workflow.Input{}
}

// prepare creates what an action needs besides the state (a pending
// request to decide, a signed assisting task, a case to merge into).
func prepare(t testing.TB, env *testenv.Env, appeal *core.Record, action string, in *workflow.Input) {
	switch action {
	case "merge":
		original, _ := env.Submit(t, testenv.SampleSubmission())
		in.Target = original.GetString("ticket")
	case "approve_extension", "deny_request":
		env.Do(t, appeal, "request_extension", env.HandlerA, validInput(env, "request_extension"))
	case "approve_suspension":
		env.Do(t, appeal, "request_suspension", env.HandlerA, validInput(env, "request_suspension"))
	case "assist_reply":
		env.Do(t, appeal, "assist_sign", env.HandlerB, workflow.Input{})
	}
}

// appealFor is a new appeal in status, of a kind the action accepts.
func appealFor(t testing.TB, env *testenv.Env, status workflow.Status, action string) *core.Record {
	sub := testenv.SampleSubmission()
	if action == "direct_answer" {
		sub.Kind = "consult"
	}
	return env.ReachWith(t, status, sub)
}

// actorFor is a person holding role on the fixtures' appeals.
func actorFor(env *testenv.Env, role workflow.Role) *core.Record {
	switch role {
	case workflow.Resident:
		return env.Resident
	case workflow.Operator:
		return env.Operator
	case workflow.Supervisor:
		return env.Supervisor
	case workflow.Admin:
		return env.Admin
	case workflow.LeadHandler:
		return env.HandlerA
	case workflow.AssistHandler:
		return env.HandlerB
	}
	return nil
}

// firstPersonRole is the first role of an action a person (not the system) holds.
func firstPersonRole(a workflow.Action) workflow.Role {
	for _, r := range a.Roles {
		if r != workflow.System {
			return r
		}
	}
	return ""
}

// roleExistsIn: a handler holds a role on a case only while a department is assigned.
func roleExistsIn(role workflow.Role, s workflow.Status) bool {
	if role != workflow.LeadHandler && role != workflow.AssistHandler {
		return true
	}
	switch s {
	case workflow.Dispatched, workflow.Handling, workflow.Suspended, workflow.Replied, workflow.Callback, workflow.Closed:
		return true
	}
	return false
}

// call performs action over HTTP as actor.
func call(t *testing.T, env *testenv.Env, appeal *core.Record, action string, actor *core.Record, in workflow.Input) testenv.Response {
	t.Helper()
	return env.Call(t, http.MethodPost, "/api/appeals/"+appeal.Id+"/actions/"+action, in, actor)
}

// TestEveryActionFromEveryAllowedState performs each action of the declared
// table from each state it is allowed from and checks the resulting state,
// the timeline entry and that nothing else moved.
func TestEveryActionFromEveryAllowedState(t *testing.T) {
	env := testenv.New(t)
	for _, action := range workflow.Table {
		for _, from := range action.From {
			role := firstPersonRole(action)
			if role == "" {
				continue // system-only: the SLA tests drive these through the timers
			}
			appeal := appealFor(t, env, from, action.Name)
			in := validInput(env, action.Name)
			prepare(t, env, appeal, action.Name, &in)
			eventsBefore := countEvents(t, env, appeal.Id)
			res := call(t, env, appeal, action.Name, actorFor(env, role), in)
			if res.Status != http.StatusOK {
				t.Errorf("%s from %s by %s: %d %s", action.Name, from, role, res.Status, res.Body)
				continue
			}
			var answer struct {
				Appeal struct {
					Status workflow.Status `json:"status"`
				} `json:"appeal"`
			}
			res.JSON(t, &answer)
			after, err := env.App.FindRecordById("appeals", appeal.Id)
			if err != nil {
				t.Fatal(err)
			}
			to := workflow.Status(after.GetString("status"))
			if to != answer.Appeal.Status {
				t.Errorf("%s answered state %s but stored %s", action.Name, answer.Appeal.Status, to)
			}
			if !action.AllowsTo(from, to) {
				t.Errorf("%s from %s ended in %s, table allows %v", action.Name, from, to, action.To)
			}
			if got := countEvents(t, env, appeal.Id); got != eventsBefore+1 {
				t.Errorf("%s from %s wrote %d timeline entries, want exactly 1", action.Name, from, got-eventsBefore)
			}
		}
	}
}

// TestEveryActionRefusedFromOtherStates: 409 from every state the table
// does not allow, for a person holding an allowed role (404 where that role
// cannot exist: a handler whose department is not assigned cannot see the case).
func TestEveryActionRefusedFromOtherStates(t *testing.T) {
	env := testenv.New(t)
	for _, action := range workflow.Table {
		role := firstPersonRole(action)
		if role == "" {
			continue // system-only: see TestSystemActorOnlyWhereDeclared
		}
		for _, from := range workflow.AllStatuses {
			if action.AllowsFrom(from) {
				continue
			}
			appeal := appealFor(t, env, from, action.Name)
			want := http.StatusConflict
			if !roleExistsIn(role, from) {
				want = http.StatusNotFound
			}
			res := call(t, env, appeal, action.Name, actorFor(env, role), validInput(env, action.Name))
			if res.Status != want {
				t.Errorf("%s from %s by %s: got %d %s, want %d", action.Name, from, role, res.Status, res.Body, want)
			}
			checkUnchanged(t, env, appeal)
		}
	}
}

// TestEveryActionRefusedForOtherRoles: 403 for every role the table does
// not name, from a state the action is allowed from (404 where that role
// cannot exist in the state).
func TestEveryActionRefusedForOtherRoles(t *testing.T) {
	env := testenv.New(t)
	for _, action := range workflow.Table {
		from := action.From[0]
		for _, role := range workflow.AllRoles {
			if role == workflow.System || action.AllowsRole(role) {
				continue
			}
			appeal := appealFor(t, env, from, action.Name)
			in := validInput(env, action.Name)
			prepare(t, env, appeal, action.Name, &in)
			appeal, _ = env.App.FindRecordById("appeals", appeal.Id)
			want := http.StatusForbidden
			if !roleExistsIn(role, from) {
				want = http.StatusNotFound
			}
			res := call(t, env, appeal, action.Name, actorFor(env, role), in)
			if res.Status != want {
				t.Errorf("%s from %s by %s: got %d %s, want %d", action.Name, from, role, res.Status, res.Body, want)
			}
			checkUnchanged(t, env, appeal)
		}
	}
}

// TestSystemActorOnlyWhereDeclared: the timers may only take the actions
// the table gives the system (预警, 超时催办, 催办, 督办); for the others they get 403.
// (Whether a timer action is due is the SLA tests' business: here a not-yet
// due crossing answers 409, which is not a refusal of the role.)
func TestSystemActorOnlyWhereDeclared(t *testing.T) {
	env := testenv.New(t)
	for _, action := range workflow.Table {
		appeal := appealFor(t, env, action.From[0], action.Name)
		in := validInput(env, action.Name)
		prepare(t, env, appeal, action.Name, &in)
		_, err := env.Engine.Perform(env.App, workflow.Request{Appeal: appeal.Id, Action: action.Name, Actor: workflow.SystemActor, Input: in})
		status := apiStatus(err)
		if action.AllowsRole(workflow.System) {
			if status != http.StatusOK && status != http.StatusConflict {
				t.Errorf("system %s: got %d (%v)", action.Name, status, err)
			}
		} else if status != http.StatusForbidden {
			t.Errorf("system %s: got %d (%v), want 403", action.Name, status, err)
		}
	}
}

func countEvents(t testing.TB, env *testenv.Env, appealID string) int {
	n, err := env.App.CountRecords("appeal_events", dbxHash("appeal", appealID))
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

// checkUnchanged: a refused action leaves the case and its timeline as they were.
func checkUnchanged(t *testing.T, env *testenv.Env, appeal *core.Record) {
	t.Helper()
	after, err := env.App.FindRecordById("appeals", appeal.Id)
	if err != nil {
		t.Fatal(err)
	}
	if after.GetString("status") != appeal.GetString("status") || after.GetString("updated") != appeal.GetString("updated") {
		t.Errorf("refused action changed the appeal: %s → %s", appeal.GetString("status"), after.GetString("status"))
	}
}
