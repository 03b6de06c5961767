package portal

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/tests"
)

// TestPublicPageKey: which requests for the public list are kept, and
// that the same page asked with its parameters in another order is one
// page.
func TestPublicPageKey(t *testing.T) {
	const list = "/api/collections/public_appeals/records"
	cases := []struct {
		name, method, url, auth string
		kept                    bool
	}{
		{"the list page", "GET", list + "?page=1&perPage=10&skipTotal=1&sort=-created&expand=category,region&fields=id,title,expand.category.name", "", true},
		{"no parameters", "GET", list, "", true},
		{"a category's third page", "GET", list + "?page=3&filter=category%3D%22abc%22", "", true},
		{"a fourth page", "GET", list + "?page=4", "", false},
		{"a page number that is not one", "GET", list + "?page=x", "", false},
		{"signed in", "GET", list, "token", false},
		{"another collection", "GET", "/api/collections/appeals/records", "", false},
		{"one record", "GET", list + "/abc", "", false},
		{"not a GET", "POST", list, "", false},
		{"an unknown parameter", "GET", list + "?page=1&x=1", "", false},
		{"a parameter twice", "GET", list + "?page=1&page=2", "", false},
		{"another relation expanded", "GET", list + "?expand=category,resident", "", false},
		{"@now in the filter", "GET", list + "?filter=created%3C%40now", "", false},
		{"@collection in the sort", "GET", list + "?sort=%40collection.x", "", false},
		{"a back-relation", "GET", list + "?filter=replies_via_appeal.id%21%3D%22%22", "", false},
		{"some fields", "GET", list + "?fields=title", "", true},
		{"a keyword search", "GET", publicSearchPath + "?q=%E8%B7%AF%E7%81%AF&page=2&perPage=10&expand=category,region&status=closed", "", true},
		{"a keyword search's fourth page", "GET", publicSearchPath + "?q=a&page=4", "", false},
		{"a keyword search with a filter parameter", "GET", publicSearchPath + "?q=a&filter=x", "", false},
		{"a keyword search signed in", "GET", publicSearchPath + "?q=a", "token", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest(c.method, c.url, nil)
			if c.auth != "" {
				r.Header.Set("Authorization", c.auth)
			}
			if _, kept := publicPageKey(r); kept != c.kept {
				t.Errorf("kept %v, want %v", kept, c.kept)
			}
		})
	}
	a, _ := publicPageKey(httptest.NewRequest("GET", list+"?page=1&sort=-created", nil))
	b, _ := publicPageKey(httptest.NewRequest("GET", list+"?sort=-created&page=1", nil))
	if a != b {
		t.Errorf("the same page has two keys: %q, %q", a, b)
	}
}

// SearchWindow-th newest public appeal, and is kept for an hour.
func TestSearchSince(t *testing.T) {
	app, err := tests.NewTestApp()
	if err != nil {
		t.Fatal(err)
	}
	defer app.Cleanup()
	// Only the view's created column is read: a table stands for it.
	if _, err := app.DB().NewQuery("DROP VIEW IF EXISTS public_appeals").Execute(); err != nil {
		t.Fatal(err)
	}
	if _, err := app.DB().NewQuery("CREATE TABLE public_appeals (created TEXT)").Execute(); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	p := &plugin{app: app, config: Config{SearchWindow: 2, Now: func() time.Time { return now }}}
	since := func() string {
		t.Helper()
		s, err := p.searchSince(app)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	add := func(created string) {
		if _, err := app.DB().NewQuery("INSERT INTO public_appeals (created) VALUES ({:c})").Bind(map[string]any{"c": created}).Execute(); err != nil {
			t.Fatal(err)
		}
	}
	add("2026-11-20 10:00:00.000Z")
	if s := since(); s != "" {
		t.Errorf("fewer than the window: %q, want everything", s)
	}
	add("2026-11-22 15:30:00.000Z")
	add("2026-11-24 08:00:00.000Z")
	if s := since(); s != "" {
		t.Errorf("kept for an hour: %q", s)
	}
	now = now.Add(2 * time.Hour)
	if s := since(); s != "2026-11-22 00:00:00.000Z" {
		t.Errorf("two newest of three: %q", s)
	}
}
