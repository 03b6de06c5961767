package portal_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"siyang/internal/testenv"
	"siyang/plugins/workflow"
)

// listURL is the public list's first page as appeals.js asks for it.
func listURL(filter string) string {
	return "/api/collections/public_appeals/records?" + url.Values{
		"filter": {filter}, "sort": {"-created"}, "page": {"1"}, "perPage": {"10"}, "skipTotal": {"1"},
		"expand": {"category,region"}, "fields": {"id,ticket,title,status,created,reply,expand.category.name,expand.region.name"},
	}.Encode()
}

type publicList struct {
	Items []struct {
		ID     string `json:"id"`
		Title  string `json:"title"`
		Status string `json:"status"`
		Reply  string `json:"reply"`
		Expand struct {
			Category struct {
				Name string `json:"name"`
			} `json:"category"`
		} `json:"expand"`
	} `json:"items"`
}

// TestPublicPagesSeeChanges: the kept pages of the public list follow at
// once every change a reader would see: a case accepted, a public reply,
// a category renamed, a case made 保密 or withdrawn from publication. A
// change that bypasses the record hooks is seen after the safety age.
func TestPublicPagesSeeChanges(t *testing.T) {
	env := testenv.New(t)
	sub := testenv.SampleSubmission()
	sub.Category = "urban"
	get := func(filter string) (publicList, string) {
		t.Helper()
		r := env.Call(t, "GET", listURL(filter), nil, nil)
		if r.Status != 200 {
			t.Fatalf("list: %d %s", r.Status, r.Body)
		}
		var l publicList
		r.JSON(t, &l)
		return l, r.Body
	}
	has := func(l publicList, id string) bool {
		for _, it := range l.Items {
			if it.ID == id {
				return true
			}
		}
		return false
	}

	a := env.ReachWith(t, workflow.Handling, sub)
	first, body := get("")
	if len(first.Items) != 1 || first.Items[0].ID != a.Id || first.Items[0].Expand.Category.Name == "" {
		t.Fatalf("one public case: %s", body)
	}
	if strings.Contains(body, "13912345678") || strings.Contains(body, "李四") {
		t.Fatalf("the public list shows contact data: %s", body)
	}
	if _, again := get(""); again != body {
		t.Errorf("the same page twice differs:\n%s\n%s", body, again)
	}

	// A new acceptance shows at once, as does a public reply.
	b := env.ReachWith(t, workflow.Accepted, sub)
	if l, body := get(""); !has(l, b.Id) {
		t.Errorf("after an acceptance: %s", body)
	}
	env.Do(t, a, "reply", env.HandlerA, workflow.Input{Content: "经现场核查，路灯线路老化，已于今日更换完毕。"})
	a = env.Do(t, a, "approve_reply", env.Operator, workflow.Input{})
	if l, body := get(`status = "callback"`); len(l.Items) != 1 || l.Items[0].Reply != "经现场核查，路灯线路老化，已于今日更换完毕。" {
		t.Errorf("after the approved reply: %s", body)
	}

	// A category renamed: the expanded name changes on the kept page.
	category, err := env.App.FindFirstRecordByData("categories", "code", "urban")
	if err != nil {
		t.Fatal(err)
	}
	category.Set("name", "城市管理（更名）")
	if err := env.App.Save(category); err != nil {
		t.Fatal(err)
	}
	if l, body := get(""); len(l.Items) != 2 || l.Items[0].Expand.Category.Name != "城市管理（更名）" {
		t.Errorf("after the rename: %s", body)
	}

	// 保密 and withdrawn consent: gone from every kept page at once.
	get(`status = "callback"`)
	a.Set("confidential", true)
	if err := env.App.Save(a); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"", `status = "callback"`} {
		if l, body := get(f); has(l, a.Id) {
			t.Errorf("a case made 保密 is still listed (filter %q): %s", f, body)
		}
	}
	b.Set("public_consent", false)
	if err := env.App.Save(b); err != nil {
		t.Fatal(err)
	}
	if l, body := get(""); len(l.Items) != 0 {
		t.Errorf("after consent was withdrawn: %s", body)
	}

	// A record object saved twice keeps its first Original(): public then
	// private again, through the same object, is still seen (the kept
	// page showed it).
	c := env.ReachWith(t, workflow.Handling, sub)
	c.Set("confidential", true)
	if err := env.App.Save(c); err != nil {
		t.Fatal(err)
	}
	c.Set("confidential", false)
	if err := env.App.Save(c); err != nil {
		t.Fatal(err)
	}
	if l, _ := get(""); !has(l, c.Id) {
		t.Fatal("the case made public again is not listed")
	}
	c.Set("confidential", true)
	if err := env.App.Save(c); err != nil {
		t.Fatal(err)
	}
	if l, body := get(""); has(l, c.Id) {
		t.Errorf("the same object made 保密 again is still listed: %s", body)
	}

	// Plain SQL bypasses the hooks: the kept page is answered until the
	// safety age has passed, then read again.
	d := env.ReachWith(t, workflow.Handling, sub)
	get("")
	if _, err := env.App.DB().NewQuery("UPDATE appeals SET confidential = 1 WHERE id = {:id}").Bind(map[string]any{"id": d.Id}).Execute(); err != nil {
		t.Fatal(err)
	}
	if l, _ := get(""); !has(l, d.Id) {
		t.Fatal("the page was not kept (plain SQL seen at once)")
	}
	env.SetNow(env.Now.Add(2 * time.Minute))
	if l, body := get(""); has(l, d.Id) {
		t.Errorf("a plain SQL change is not seen after the safety age: %s", body)
	}
}

// TestPublicPagesOnlyForGuests: a signed-in request and requests the
// cache cannot follow (@-variables; more in TestPublicPageKey) are
// answered by PocketBase itself, each time.
func TestPublicPagesOnlyForGuests(t *testing.T) {
	env := testenv.New(t)
	a := env.Reach(t, workflow.Handling)
	for _, u := range []string{listURL(""), listURL(`created <= @now`)} {
		env.Call(t, "GET", u, nil, nil) // kept if it may be
	}
	if _, err := env.App.DB().NewQuery("UPDATE appeals SET confidential = 1 WHERE id = {:id}").Bind(map[string]any{"id": a.Id}).Execute(); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		url  string
		as   *core.Record
		kept bool
	}{
		{"a guest's first page is kept", listURL(""), nil, true},
		{"a signed-in resident's goes to PocketBase", listURL(""), env.Resident, false},
		{"@now goes to PocketBase", listURL(`created <= @now`), nil, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := env.Call(t, "GET", c.url, nil, c.as)
			if r.Status != 200 {
				t.Fatalf("%d %s", r.Status, r.Body)
			}
			if shown := strings.Contains(r.Body, a.Id); shown != c.kept {
				t.Errorf("answered from memory: %v, want %v (%s)", shown, c.kept, r.Body)
			}
		})
	}
}

// TestSearchWindowEndpoint: with fewer public appeals than the window,
// keyword searches cover them all (since ""); the window's size is said.
// The start of a full window: TestSearchSince.
func TestSearchWindowEndpoint(t *testing.T) {
	env := testenv.New(t)
	env.Reach(t, workflow.Handling)
	r := env.Call(t, "GET", "/api/portal/public-appeals/search-window", nil, nil)
	if r.Status != 200 || !strings.Contains(r.Body, `"since":""`) || !strings.Contains(r.Body, `"appeals":20000`) {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
}
