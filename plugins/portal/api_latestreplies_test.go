package portal_test

import (
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"siyang/internal/testenv"
	"siyang/plugins/workflow"
)

// TestLatestReplies: the home page's 最新答复 are the public cases with an
// approved public reply, newest reply first, as the public list shows them
// (masked text, category and township names) — never a case without
// consent, a 保密 one, or one not answered yet.
func TestLatestReplies(t *testing.T) {
	env := testenv.New(t)
	first := env.Reach(t, workflow.Closed)
	private := testenv.SampleSubmission()
	private.PublicConsent = false
	hidden := env.ReachWith(t, workflow.Closed, private)
	secret := testenv.SampleSubmission()
	secret.Confidential = true
	env.ReachWith(t, workflow.Handling, secret)
	unanswered := env.Reach(t, workflow.Handling)
	urban := testenv.SampleSubmission()
	urban.Category = "urban"
	newest := env.ReachWith(t, workflow.Closed, urban)

	r := env.Call(t, "GET", "/api/portal/latest-replies?perPage=5&expand=category,region&fields=id,reply,expand.category.name", nil, nil)
	if r.Status != 200 {
		t.Fatalf("latest replies: %d %s", r.Status, r.Body)
	}
	var l publicList
	r.JSON(t, &l)
	if len(l.Items) != 2 || l.Items[0].ID != newest.Id || l.Items[1].ID != first.Id {
		t.Fatalf("want the two public answered cases, newest reply first: %s", r.Body)
	}
	for _, it := range l.Items {
		if it.Reply == "" {
			t.Errorf("an item without its reply: %s", r.Body)
		}
	}
	if l.Items[0].Expand.Category.Name == "" {
		t.Errorf("the category is not expanded: %s", r.Body)
	}
	for _, leak := range []string{hidden.Id, unanswered.Id, "13912345678", "李四", `"title"`} {
		if strings.Contains(r.Body, leak) {
			t.Errorf("the answer shows %q: %s", leak, r.Body)
		}
	}
	one := env.Call(t, "GET", "/api/portal/latest-replies?perPage=1", nil, nil)
	var l1 publicList
	one.JSON(t, &l1)
	if len(l1.Items) != 1 || l1.Items[0].ID != newest.Id || l1.Items[0].Title == "" {
		t.Errorf("one reply: %s", one.Body)
	}

	runScenarios(t, env, []tests.ApiScenario{
		{
			Name: "too many per page", Method: "GET", URL: "/api/portal/latest-replies?perPage=500",
			ExpectedStatus: 400, ExpectedContent: []string{`"perPage"`, "每页条数应为 1–20 的整数"},
		},
		{
			Name: "not a number", Method: "GET", URL: "/api/portal/latest-replies?perPage=五",
			ExpectedStatus: 400, ExpectedContent: []string{`"perPage"`},
		},
	})
}

// TestLatestRepliesFollowChanges: the home page's 最新答复 is kept between
// reads, and the next read after a new approved reply, or after a case is
// made 保密, shows the change.
func TestLatestRepliesFollowChanges(t *testing.T) {
	env := testenv.New(t)
	first := env.Reach(t, workflow.Closed)
	ids := func() []string {
		t.Helper()
		r := env.Call(t, "GET", "/api/portal/latest-replies?perPage=5", nil, nil)
		var l publicList
		r.JSON(t, &l)
		var out []string
		for _, it := range l.Items {
			out = append(out, it.ID)
		}
		return out
	}
	if got := ids(); len(got) != 1 || got[0] != first.Id {
		t.Fatalf("before: %v", got)
	}
	ids() // kept now
	second := env.Reach(t, workflow.Closed)
	if got := ids(); len(got) != 2 || got[0] != second.Id {
		t.Fatalf("after a new reply: %v, want %s first", got, second.Id)
	}
	rec, err := env.App.FindRecordById("appeals", second.Id)
	if err != nil {
		t.Fatal(err)
	}
	rec.Set("confidential", true)
	if err := env.App.Save(rec); err != nil {
		t.Fatal(err)
	}
	if got := ids(); len(got) != 1 || got[0] != first.Id {
		t.Fatalf("after 保密: %v, want only %s", got, first.Id)
	}
}
