package portal_test

import (
	"net/url"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"siyang/internal/testenv"
	"siyang/plugins/workflow"
)

type publicCount struct {
	TotalItems int  `json:"totalItems"`
	Exact      bool `json:"exact"`
}

func countURL(filter string) string {
	return "/api/portal/public-appeals/count?filter=" + url.QueryEscape(filter)
}

// TestPublicCountScenarios: the count is the public list's own total for
// the same filter: public, consented, accepted cases only.
func TestPublicCountScenarios(t *testing.T) {
	base := testenv.New(t)
	for _, s := range []workflow.Status{workflow.Closed, workflow.Handling, workflow.Handling, workflow.Submitted} {
		base.Reach(t, s)
	}
	private := testenv.SampleSubmission()
	private.PublicConsent = false
	base.ReachWith(t, workflow.Closed, private)
	secret := testenv.SampleSubmission()
	secret.Confidential = true
	base.ReachWith(t, workflow.Handling, secret)
	urban := testenv.SampleSubmission()
	urban.Category = "urban"
	base.ReachWith(t, workflow.Closed, urban)

	runScenarios(t, base, []tests.ApiScenario{
		{
			Name: "everything public: accepted, consented, not 保密", Method: "GET", URL: countURL(""),
			ExpectedStatus: 200, ExpectedContent: []string{`"totalItems":4`, `"exact":true`},
		},
		{
			Name: "by state, as the list filters", Method: "GET", URL: countURL(`status = "handling"`),
			ExpectedStatus: 200, ExpectedContent: []string{`"totalItems":2`},
		},
		{
			Name: "by a relation's field (a join)", Method: "GET", URL: countURL(`category.code = "urban"`),
			ExpectedStatus: 200, ExpectedContent: []string{`"totalItems":1`},
		},
		{
			Name: "nothing matches", Method: "GET", URL: countURL(`title ~ "没有这样的标题"`),
			ExpectedStatus: 200, ExpectedContent: []string{`"totalItems":0`},
		},
		{
			Name: "a hidden column cannot be counted on", Method: "GET", URL: countURL(`contact_phone = "13912345678"`),
			ExpectedStatus: 400, ExpectedContent: []string{`"filter"`, "筛选条件无效"},
		},
		{
			Name: "a broken filter", Method: "GET", URL: countURL(`status = `),
			ExpectedStatus: 400, ExpectedContent: []string{"筛选条件无效"},
		},
	})
}

// TestPublicCountSeesChanges: a kept count follows the changes that alter
// it (a case accepted, made 保密, withdrawn from publication) and is not
// recounted for those that cannot.
func TestPublicCountSeesChanges(t *testing.T) {
	env := testenv.New(t)
	get := func(filter string) publicCount {
		t.Helper()
		r := env.Call(t, "GET", countURL(filter), nil, nil)
		var c publicCount
		r.JSON(t, &c)
		if !c.Exact {
			t.Errorf("a small table's count is redone at once, got %s", r.Body)
		}
		return c
	}
	a := env.Reach(t, workflow.Handling)
	if c := get(""); c.TotalItems != 1 {
		t.Fatalf("one public case: %+v", c)
	}
	env.Reach(t, workflow.Submitted) // not accepted: not public
	if c := get(""); c.TotalItems != 1 {
		t.Errorf("after a submission: %+v", c)
	}
	b := env.Reach(t, workflow.Accepted)
	if c := get(""); c.TotalItems != 2 {
		t.Errorf("after an acceptance: %+v", c)
	}
	if c := get(`status = "handling"`); c.TotalItems != 1 {
		t.Errorf("handling: %+v", c)
	}
	env.Do(t, b, "dispatch", env.Operator, workflow.Input{Department: env.DeptA.Id})
	env.Do(t, a, "reply", env.HandlerA, workflow.Input{Content: "经现场核查，路灯线路老化，已于今日更换完毕。"})
	if c := get(`status = "handling"`); c.TotalItems != 0 {
		t.Errorf("handling after the reply: %+v", c)
	}
	b.Set("confidential", true)
	if err := env.App.Save(b); err != nil {
		t.Fatal(err)
	}
	if c := get(""); c.TotalItems != 1 {
		t.Errorf("after 保密: %+v", c)
	}
}
