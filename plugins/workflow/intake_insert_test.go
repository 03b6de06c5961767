package workflow_test

import (
	"fmt"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"siyang/internal/testenv"
	"siyang/plugins/workflow"
)

// rawRow reads every column of one appeals row as the database holds it.
func rawRow(t *testing.T, env *testenv.Env, id string) map[string]string {
	t.Helper()
	rows, err := env.App.DB().NewQuery("SELECT * FROM appeals WHERE id = {:id}").Bind(dbx.Params{"id": id}).Rows()
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	if !rows.Next() {
		t.Fatalf("no row %s", id)
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := rows.Scan(ptrs...); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for i, c := range cols {
		out[c] = fmt.Sprintf("%T %v", vals[i], vals[i])
		if b, ok := vals[i].([]byte); ok {
			out[c] = "bytes " + string(b)
		}
	}
	return out
}

// TestIntakeInsertStoresWhatPocketBaseStores: the intake's own write of
// the appeal (intake_insert.go) stores every column, value and type as
// PocketBase's write of the same record does — for a full submission
// with a township, a category, a map point and a resident account.
func TestIntakeInsertStoresWhatPocketBaseStores(t *testing.T) {
	env := testenv.New(t)
	region := env.Save(t, "regions", map[string]any{"name": "测试镇", "code": "ts", "kind": "乡镇"})
	category := env.Save(t, "categories", map[string]any{"name": "测试路灯", "code": "t-lamp", "public": true, "sort": 101, "default_department": env.DeptA.Id})
	sub := testenv.SampleSubmission()
	sub.Region, sub.Category = region.Id, category.Id
	lat, lon := 33.72, 118.68
	sub.Lat, sub.Lon = &lat, &lon
	sub.Anonymous = true
	res := env.Call(t, "POST", "/api/appeals", sub, env.Resident)
	var answer struct{ Id string }
	res.JSON(t, &answer)
	stored, err := env.App.FindRecordById("appeals", answer.Id)
	if err != nil {
		t.Fatalf("%d %s: %v", res.Status, res.Body, err)
	}
	// two copies of the stored record under new ids and tickets: one
	// written by PocketBase's builder, one by the intake's write
	copyOf := func(suffix string) *core.Record {
		c := stored.Fresh()
		c.Id = stored.Id[:len(stored.Id)-1] + suffix
		c.Set("id", c.Id)
		c.Set("ticket", stored.GetString("ticket")+suffix)
		c.MarkAsNew()
		return c
	}
	// suffixes other than the stored id's last character (which is
	// random): the same one would make a copy's id the stored one's
	x, y := "x", "y"
	if last := stored.Id[len(stored.Id)-1:]; last == x || last == y {
		x, y = "v", "w"
	}
	theirs, ours := copyOf(x), copyOf(y)
	data, err := theirs.DBExport(env.App)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.App.NonconcurrentDB().Insert("appeals", data).Execute(); err != nil {
		t.Fatal(err)
	}
	if done, err := workflow.InsertRecord(env.App, ours); err != nil || !done {
		t.Fatalf("intake write: %v %v", done, err)
	}
	a, b := rawRow(t, env, theirs.Id), rawRow(t, env, ours.Id)
	if len(a) != len(b) || len(a) < 60 {
		t.Fatalf("columns: %d and %d", len(a), len(b))
	}
	for col, v := range a {
		if col == "id" || col == "ticket" {
			continue
		}
		if b[col] != v {
			t.Errorf("column %s: PocketBase stores %q, the intake's write %q", col, v, b[col])
		}
	}
	// and the intake's own row was written through it with the same shape
	if got := rawRow(t, env, stored.Id); got["location"] != a["location"] || got["region"] != a["region"] {
		t.Errorf("stored intake row differs: %q %q", got["location"], got["region"])
	}
	var n int
	_ = env.App.DB().NewQuery("SELECT count(*) FROM appeal_events WHERE appeal = {:id}").Bind(dbx.Params{"id": stored.Id}).Row(&n)
	if n != 1 {
		t.Errorf("timeline entries of the intake: %d", n)
	}
}
