package residents_test

import (
	"fmt"
	"strings"
	"testing"

	"siyang/internal/testenv"
)

// TestMyAppealsPages: 我的诉求 lists a resident's cases newest first, 20 a
// page, each case on exactly one page; past the last page it lists none but
// still tells how many there are; another resident's list stays empty.
func TestMyAppealsPages(t *testing.T) {
	env := testenv.New(t)
	all := map[string]bool{}
	for i := range 22 {
		sub := testenv.SampleSubmission()
		sub.Title = fmt.Sprintf("第 %d 条诉求", i+1)
		a, _ := env.Submit(t, sub)
		all[a.Id] = true
	}
	type page struct {
		Page       int `json:"page"`
		TotalItems int `json:"totalItems"`
		TotalPages int `json:"totalPages"`
		Items      []struct {
			ID      string `json:"id"`
			Created string `json:"created"`
		} `json:"items"`
	}
	get := func(query string) page {
		t.Helper()
		r := env.Call(t, "GET", "/api/residents/appeals"+query, nil, env.Resident)
		if r.Status != 200 {
			t.Fatalf("%s: %d %s", query, r.Status, r.Body)
		}
		var p page
		r.JSON(t, &p)
		return p
	}
	seen := map[string]bool{}
	for n, want := range map[int]int{1: 20, 2: 2} {
		p := get(fmt.Sprintf("?page=%d", n))
		if p.Page != n || p.TotalItems != 22 || p.TotalPages != 2 || len(p.Items) != want {
			t.Fatalf("page %d: page %d, %d items of %d in %d pages", n, p.Page, len(p.Items), p.TotalItems, p.TotalPages)
		}
		for _, it := range p.Items {
			if !all[it.ID] || seen[it.ID] {
				t.Errorf("page %d: %s is not one of the resident's cases or is listed twice", n, it.ID)
			}
			seen[it.ID] = true
		}
	}
	if len(seen) != 22 {
		t.Errorf("the pages list %d of 22 cases", len(seen))
	}
	first := get("")
	for i := 1; i < len(first.Items); i++ {
		if first.Items[i].Created > first.Items[i-1].Created {
			t.Errorf("not newest first: %s after %s", first.Items[i].Created, first.Items[i-1].Created)
		}
	}
	if p := get("?page=-3"); p.Page != 1 || len(p.Items) != 20 {
		t.Errorf("page=-3: page %d with %d items, want page 1", p.Page, len(p.Items))
	}
	if p := get("?page=3"); len(p.Items) != 0 || p.TotalItems != 22 || p.TotalPages != 2 {
		t.Errorf("past the last page: %d items of %d in %d pages", len(p.Items), p.TotalItems, p.TotalPages)
	}
	r := env.Call(t, "GET", "/api/residents/appeals", nil, env.OtherResident)
	if r.Status != 200 || !strings.Contains(r.Body, `"totalItems":0`) || !strings.Contains(r.Body, `"items":[]`) {
		t.Errorf("another resident: %d %s", r.Status, r.Body)
	}
}
