package migrations_test

import (
	"sort"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/tools/dbutils"

	"siyang/internal/testenv"
	"siyang/plugins/dispatch"
)

// The indexes of appeals that exist in the database are exactly those the
// collection lists (what the dashboard shows and later schema changes
// manage), after the migrations that add or drop an index in place.
func TestAppealIndexesMatchTheCollection(t *testing.T) {
	env := testenv.New(t)
	c, err := env.App.FindCollectionByNameOrId("appeals")
	if err != nil {
		t.Fatal(err)
	}
	var listed []string
	for _, raw := range c.Indexes {
		listed = append(listed, dbutils.ParseIndex(raw).IndexName)
	}
	var existing []string
	if err := env.App.DB().NewQuery("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'appeals' AND sql IS NOT NULL ORDER BY name").Column(&existing); err != nil {
		t.Fatal(err)
	}
	sort.Strings(listed)
	if len(listed) != len(existing) {
		t.Fatalf("the collection lists %v, the database has %v", listed, existing)
	}
	for i := range listed {
		if listed[i] != existing[i] {
			t.Fatalf("the collection lists %v, the database has %v", listed, existing)
		}
	}
	for _, gone := range []string{"idx_appeals_created", "idx_appeals_closed_at", "idx_appeals_sla_state", "idx_appeals_review_queue"} {
		for _, name := range existing {
			if name == gone {
				t.Errorf("%s (redundant, dropped by the index audit) still exists", gone)
			}
		}
	}
}

// The duplicate search's candidate walks (plugins/dispatch/duplicates.go)
// name the open-appeal indexes with INDEXED BY and read id, created, status
// and region: after 1764900800 narrowed them to those columns, each walk is
// still answered from its index alone (no table row visited) and in index
// order (no sort).
func TestOpenAppealWalksStayCoveringAndSorted(t *testing.T) {
	env := testenv.New(t)
	walk := func(index, scope string) string {
		return "SELECT id, created, status, region FROM appeals INDEXED BY " + index + " WHERE " + dispatch.OpenAppealsCondition +
			" AND created >= CAST(? AS TEXT) AND id != ?" + scope + " ORDER BY created DESC, id DESC LIMIT 200"
	}
	for _, w := range []struct{ index, scope string }{
		{"idx_appeals_open_created", ""},
		{"idx_appeals_open_region", " AND region = CAST(? AS TEXT)"},
		{"idx_appeals_open_category", " AND category = CAST(? AS TEXT)"},
	} {
		plan := queryPlan(t, env, walk(w.index, w.scope))
		if !strings.Contains(plan, "COVERING INDEX "+w.index) || strings.Contains(plan, "TEMP B-TREE") {
			t.Errorf("%s: the walk is planned\n%s\nwant a search of the covering index, in its order", w.index, plan)
		}
	}
}

// queryPlan is SQLite's EXPLAIN QUERY PLAN of q (parameters NULL), one
// line per step.
func queryPlan(t *testing.T, env *testenv.Env, q string) string {
	t.Helper()
	args := make([]any, strings.Count(q, "?")) // planned with NULLs
	rows, err := env.App.ConcurrentDB().(*dbx.DB).DB().Query("EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, detail)
	}
	return strings.Join(lines, "\n")
}
