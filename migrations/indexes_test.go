package migrations_test

import (
	"sort"
	"testing"

	"github.com/pocketbase/pocketbase/tools/dbutils"

	"siyang/internal/testenv"
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
