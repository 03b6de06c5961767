package dispatch

import (
	"fmt"
	"testing"
)

func stamp(i int) string {
	return fmt.Sprintf("2026-11-%02d %02d:%02d:00.000Z", 1+i/1440, i/60%24, i%60)
}

// A list that grew past its bound is trimmed and marked truncated; once
// closures leave fewer than candidateLimit in it, it asks to be reloaded;
// an appeal older than a truncated list's tail is left to that reload; a
// change of township moves an appeal between the township lists.
func TestOpenWindowBoundsAndReloads(t *testing.T) {
	w := newOpenWindow()
	w.lists, w.byID = map[scopeKey]*scopeList{}, map[string]*windowEntry{}
	county := &scopeList{key: scopeKey{}}
	townA := &scopeList{key: scopeKey{"region", "A"}}
	townB := &scopeList{key: scopeKey{"region", "B"}}
	for _, l := range []*scopeList{county, townA, townB} {
		w.lists[l.key] = l
	}
	n := windowListMax + 1
	for i := range n {
		w.apply(fmt.Sprintf("id%05d", i), stamp(i), "submitted", "A", "")
	}
	if len(county.entries) != windowListLoad || !county.truncated || len(townA.entries) != windowListLoad {
		t.Fatalf("not trimmed: %d %v", len(county.entries), county.truncated)
	}
	if county.entries[0].id != fmt.Sprintf("id%05d", n-1) {
		t.Fatalf("newest first expected, got %s", county.entries[0].id)
	}
	if len(w.byID) != windowListLoad {
		t.Fatalf("trimmed entries still held: %d", len(w.byID))
	}
	since := stamp(0)
	if county.short(since) {
		t.Fatal("a full list asks for a reload")
	}
	// older than the tail of a truncated list: not inserted
	w.apply("old", stamp(1), "handling", "A", "")
	if w.byID["old"] != nil {
		t.Fatal("an appeal older than a truncated list's tail entered it")
	}
	// closures and withdrawals leave the lists
	for i := n - 1; i >= n-windowListLoad+candidateLimit-1; i-- {
		status := "closed"
		if i%2 == 0 {
			status = "withdrawn"
		}
		w.apply(fmt.Sprintf("id%05d", i), stamp(i), status, "A", "")
	}
	if !county.short(since) {
		t.Fatalf("%d entries left, no reload asked", len(county.entries))
	}
	// a new township
	id := county.entries[0].id
	w.apply(id, county.entries[0].created, "accepted", "B", "")
	if len(townB.entries) != 1 || townB.entries[0].id != id || townA.entries[0].id == id || county.entries[0].id != id {
		t.Fatalf("township change not applied: B=%d", len(townB.entries))
	}
	if len(w.byID[id].in) != 2 {
		t.Fatalf("entry in %d lists, want county and B", len(w.byID[id].in))
	}
}
