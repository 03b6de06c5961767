package loadgen_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"siyang/internal/testenv"
	"siyang/plugins/loadgen"
	"siyang/plugins/workflow"
)

// seeded is a test app with n generated appeals up to the Env's now.
func seeded(t *testing.T, n int) (*testenv.Env, *loadgen.Stats) {
	t.Helper()
	env := testenv.New(t)
	stats, err := loadgen.Seed(env.App, loadgen.Options{Appeals: n, Days: 120, Now: *env.Now, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	return env, stats
}

func count(t *testing.T, env *testenv.Env, query string, args ...any) int {
	t.Helper()
	var n int
	params := dbx.Params{}
	for i, a := range args {
		params[fmt.Sprintf("p%d", i)] = a
	}
	if err := env.App.DB().NewQuery(query).Bind(params).Row(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func TestSeededDataIsWhatTheWorkflowWouldHaveWritten(t *testing.T) {
	env, stats := seeded(t, 600)
	if got := count(t, env, "SELECT COUNT(*) FROM appeals"); got != 600 || stats.Appeals != 600 {
		t.Fatalf("appeals: %d in the table, %d reported", got, stats.Appeals)
	}
	for _, s := range []string{"closed", "handling", "callback", "rejected"} {
		if stats.ByStatus[s] == 0 {
			t.Errorf("no %s appeal in the mix: %v", s, stats.ByStatus)
		}
	}
	if stats.Overdue == 0 {
		t.Error("no overdue appeal in the mix")
	}
	// every appeal has a ticket of its day, numbered without gaps, and the
	// day counters continue after them
	if got := count(t, env, `SELECT COUNT(*) FROM appeals a WHERE a.ticket NOT LIKE 'SY%' OR
		CAST(substr(a.ticket, 9) AS INTEGER) > (SELECT last FROM ticket_counters c WHERE c.day = substr(a.ticket, 3, 6))`); got != 0 {
		t.Errorf("%d tickets beyond their day's counter", got)
	}
	if got := count(t, env, `SELECT COUNT(*) FROM ticket_counters c WHERE c.last !=
		(SELECT COUNT(*) FROM appeals a WHERE substr(a.ticket, 3, 6) = c.day)`); got != 0 {
		t.Errorf("%d day counters do not match the appeals of their day", got)
	}
	// every appeal's timeline starts with the submission and ends in its state
	if got := count(t, env, `SELECT COUNT(*) FROM appeals a WHERE a.status != (SELECT e.to_status FROM appeal_events e
		WHERE e.appeal = a.id ORDER BY e.created DESC, e.rowid DESC LIMIT 1)`); got != 0 {
		t.Errorf("%d appeals whose last timeline entry is not their state", got)
	}
	if got := count(t, env, `SELECT COUNT(*) FROM appeals a WHERE NOT EXISTS (SELECT 1 FROM appeal_events e
		WHERE e.appeal = a.id AND e.action = 'submit')`); got != 0 {
		t.Errorf("%d appeals without a submission entry", got)
	}
	// the SLA clocks are what the tracking hook leaves: a sweep at the same
	// instant finds nothing to do
	res, err := env.SLA.Sweep()
	if err != nil || res.Warned+res.Overdue+res.Supervised+res.Failed != 0 {
		t.Errorf("a sweep right after seeding acted: %+v %v", res, err)
	}
	if got := count(t, env, `SELECT COUNT(*) FROM appeals WHERE status IN ('submitted','dispatched','handling','callback') AND next_sla_at = '' AND sla_state != 'overdue'`); got != 0 {
		t.Errorf("%d timed appeals without a running clock", got)
	}
	// public copies are masked: no contact phone shows publicly
	if got := count(t, env, `SELECT COUNT(*) FROM appeals WHERE instr(public_content, contact_phone) > 0`); got != 0 {
		t.Errorf("%d public copies show the contact phone", got)
	}
	if got := count(t, env, `SELECT COUNT(*) FROM appeals WHERE content LIKE '%我叫%' AND public_content = content`); got != 0 {
		t.Errorf("%d public copies with the resident's name unmasked", got)
	}
	// referenced attachments exist on disk
	var withFile struct {
		Id          string `db:"id"`
		Attachments string `db:"attachments"`
	}
	if err := env.App.DB().NewQuery(`SELECT id, attachments FROM appeals WHERE attachments != '[]' LIMIT 1`).One(&withFile); err != nil {
		t.Fatalf("no appeal with an attachment: %v", err)
	}
	a, err := env.App.FindRecordById("appeals", withFile.Id)
	if err != nil {
		t.Fatal(err)
	}
	fs, err := env.App.NewFilesystem()
	if err != nil {
		t.Fatal(err)
	}
	defer fs.Close()
	for _, name := range a.GetStringSlice("attachments") {
		if ok, err := fs.Exists(a.BaseFilesPath() + "/" + name); err != nil || !ok {
			t.Errorf("attachment %s of %s missing: %v", name, a.Id, err)
		}
	}
}

func TestWorkflowActsOnASeededAppeal(t *testing.T) {
	env, _ := seeded(t, 400)
	var id string
	err := env.App.DB().NewQuery(`SELECT id FROM appeals WHERE status = 'handling' AND lead_department = {:d} LIMIT 1`).
		Bind(dbx.Params{"d": env.DeptA.Id}).Row(&id)
	if err != nil {
		t.Fatalf("no handling appeal of department A: %v", err)
	}
	a, err := env.App.FindRecordById("appeals", id)
	if err != nil {
		t.Fatal(err)
	}
	replied := env.Do(t, a, "reply", env.HandlerA, workflow.Input{Content: "经核实已安排人员现场处理，问题已解决，感谢监督。"})
	if replied.GetString("status") != string(workflow.Replied) {
		t.Fatalf("status after reply: %s", replied.GetString("status"))
	}
	approved := env.Do(t, replied, "approve_reply", env.Operator, workflow.Input{})
	if approved.GetString("status") != string(workflow.Callback) || approved.GetString("sla_stage") != "callback" {
		t.Fatalf("after approval: %s / %s", approved.GetString("status"), approved.GetString("sla_stage"))
	}

	// a seeded submission can be accepted by an operator
	if err := env.App.DB().NewQuery(`SELECT id FROM appeals WHERE status = 'submitted' LIMIT 1`).Row(&id); err == nil {
		s, _ := env.App.FindRecordById("appeals", id)
		if got := env.Do(t, s, "accept", env.Operator, workflow.Input{}); got.GetString("status") != string(workflow.Accepted) {
			t.Fatalf("accept: %s", got.GetString("status"))
		}
	}
}

func TestSeededAppealsShowInQueuesPublicListTrackAndMyAppeals(t *testing.T) {
	env, _ := seeded(t, 400)
	h := env.Handler(t)
	get := func(path string, as *core.Record) map[string]any {
		t.Helper()
		res := env.Call(t, http.MethodGet, path, nil, as)
		if res.Status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, res.Status, res.Body)
		}
		var out map[string]any
		res.JSON(t, &out)
		return out
	}
	_ = h

	// the department's queue, as the workbench asks for it
	filter := url.QueryEscape(`status = "dispatched" || status = "handling" || status = "suspended"`)
	queue := get("/api/collections/appeals/records?perPage=500&sort=sla_due_at&filter="+filter, env.HandlerA)
	want := count(t, env, `SELECT COUNT(*) FROM appeals WHERE status IN ('dispatched','handling','suspended')
		AND (lead_department = {:p0} OR assisting_departments LIKE '%' || {:p0} || '%')`, env.DeptA.Id)
	if int(queue["totalItems"].(float64)) != want || want == 0 {
		t.Errorf("department A's queue: %v items, %d expected", queue["totalItems"], want)
	}

	// the public list: consented, accepted cases, masked
	public := get("/api/collections/public_appeals/records?sort=-created&perPage=10", nil)
	wantPublic := count(t, env, `SELECT COUNT(*) FROM appeals WHERE public_consent = 1 AND confidential = 0 AND status NOT IN ('submitted','rejected','withdrawn','merged')`)
	if int(public["totalItems"].(float64)) != wantPublic || wantPublic == 0 {
		t.Errorf("public list: %v items, %d expected", public["totalItems"], wantPublic)
	}

	// a ticket lookup with the generated query code
	var ticket string
	if err := env.App.DB().NewQuery(`SELECT ticket FROM appeals WHERE status = 'closed' LIMIT 1`).Row(&ticket); err != nil {
		t.Fatal(err)
	}
	res := env.Call(t, http.MethodPost, "/api/track", map[string]string{"ticket": ticket, "query_code": loadgen.QueryCode(7, ticket)}, nil)
	if res.Status != http.StatusOK || !strings.Contains(res.Body, ticket) || !strings.Contains(res.Body, "已办结") {
		t.Errorf("track %s: %d %s", ticket, res.Status, res.Body)
	}

	// a generated resident sees their own appeals
	var resident string
	if err := env.App.DB().NewQuery(`SELECT resident FROM appeals WHERE resident != '' GROUP BY resident ORDER BY COUNT(*) DESC LIMIT 1`).Row(&resident); err != nil {
		t.Fatal(err)
	}
	user, err := env.App.FindRecordById("users", resident)
	if err != nil {
		t.Fatal(err)
	}
	mine := get("/api/residents/appeals", user)
	wantMine := count(t, env, `SELECT COUNT(*) FROM appeals WHERE resident = {:p0}`, resident)
	if fmt.Sprint(mine["totalItems"]) != fmt.Sprint(wantMine) {
		t.Errorf("my appeals: %v, %d expected (%v)", mine["totalItems"], wantMine, mine)
	}
	_ = time.Second
}
