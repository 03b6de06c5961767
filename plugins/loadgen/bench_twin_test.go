package loadgen_test

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/dbutils"
	"github.com/pocketbase/pocketbase/tools/types"

	"siyang/internal/testenv"
)

// The intake's ladder: between bare PocketBase's create of a small row
// (bare/create) and our intake (POST /api/appeals) stand two rungs that
// are PocketBase's plain create (POST /api/collections/<twin>/records,
// same HTTP stack, same clients) of a row shaped like a stored intake
// row, into a twin of the appeals collection created here at run time:
//
//	bare/appeal-twin          every field and every index of appeals
//	bare/appeal-twin-no-open  the same without the three idx_appeals_open_*
//	bare/appeal-twin-no-index the same fields, no secondary index at all
//
// The twins hold a copy of the appeals' rows (so that their indexes are as
// deep as the appeals' ones; LOADGEN_TWIN_ROWS limits the copy). The rungs
// run only with LOADGEN_LADDER set. No hook of
// ours fires on them: every plugin binds its record hooks by collection
// name (appeals, appeal_events, …), and no twin has such a name.
// intake − appeal-twin is then our own work (hooks, validation, numbering,
// suggestion, rules, deadlines, timeline, outbox, group commit);
// appeal-twin − bare/create is the cost of the appeal row's width and
// indexes in PocketBase's own create.

// twinVariant is one rung: which of the appeals' indexes its twin keeps.
type twinVariant struct {
	rung string                  // sub-benchmark name under bare/
	keep func(index string) bool // whether the twin gets this appeals index
}

var twinVariants = []twinVariant{
	{"appeal-twin", func(string) bool { return true }},
	{"appeal-twin-no-open", func(index string) bool { return !strings.HasPrefix(index, "idx_appeals_open_") }},
	{"appeal-twin-no-index", func(string) bool { return false }},
}

// twinLadder builds each twin the first time its rung runs (a run that
// does not select a rung pays nothing for it).
type twinLadder struct {
	env  *testenv.Env
	c    *client
	once sync.Once
	body map[string]any // a stored intake row, as a create request's body
	mu   sync.Mutex
	made map[string]string // rung → collection name
}

func newTwinLadder(env *testenv.Env, c *client) *twinLadder {
	return &twinLadder{env: env, c: c, made: map[string]string{}}
}

// collection answers the twin of rung v, creating and filling it first.
func (l *twinLadder) collection(b *testing.B, v twinVariant) string {
	l.once.Do(func() { l.body = storedIntakeRow(b, l.env, l.c) })
	l.mu.Lock()
	defer l.mu.Unlock()
	if name, ok := l.made[v.rung]; ok {
		return name
	}
	name := "twin_" + strings.NewReplacer("-", "_", "/", "_").Replace(v.rung)
	started := time.Now()
	rows := makeTwin(b, l.env.App, name, v.keep)
	b.Logf("%s: twin %s with %d appeal rows built in %s", v.rung, name, rows, time.Since(started).Round(time.Millisecond))
	l.made[v.rung] = name
	return name
}

// request answers the create request of the i-th row of a twin: the stored
// intake row with its own ticket (unique) and text varied like the intake
// line's.
func (l *twinLadder) request(i int64) map[string]any {
	row := make(map[string]any, len(l.body))
	for k, v := range l.body {
		row[k] = v
	}
	row["ticket"] = fmt.Sprintf("TW%014d", i)
	row["title"] = fmt.Sprintf("%s（%d 号楼）", l.body["title"], i%500)
	row["content"] = fmt.Sprintf("%s 第 %d 栋楼附近。", l.body["content"], i%500)
	return row
}

// storedIntakeRow submits one sample appeal through POST /api/appeals and
// answers every column its stored row fills (read back from the table),
// except the id, the autodates and files, as a create body.
func storedIntakeRow(b *testing.B, env *testenv.Env, c *client) map[string]any {
	var answer struct {
		ID string `json:"id"`
	}
	data, _ := json.Marshal(testenv.SampleSubmission())
	res, err := c.http.Post(c.base+"/api/appeals", "application/json", strings.NewReader(string(data)))
	if err != nil {
		b.Fatal(err)
	}
	err = json.NewDecoder(res.Body).Decode(&answer)
	res.Body.Close()
	if err != nil || answer.ID == "" {
		b.Fatalf("sample intake: %s %v", res.Status, err)
	}
	rec, err := env.App.FindRecordById("appeals", answer.ID)
	if err != nil {
		b.Fatal(err)
	}
	body := map[string]any{}
	var filled []string
	for _, f := range rec.Collection().Fields {
		switch f.(type) {
		case *core.AutodateField, *core.FileField:
			continue
		}
		name := f.GetName()
		if name == core.FieldNameId {
			continue
		}
		v := rec.Get(name)
		if isZero(v) {
			continue
		}
		body[name] = v
		filled = append(filled, name)
	}
	b.Logf("appeal-shaped body: %d of %d fields filled by an intake (stored status %q): %s",
		len(filled), len(rec.Collection().Fields), rec.GetString("status"), strings.Join(filled, ","))
	return body
}

func isZero(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case bool:
		return !x
	case float64:
		return x == 0
	case int:
		return x == 0
	case []string:
		return len(x) == 0
	case types.DateTime:
		return x.IsZero()
	case types.JSONRaw:
		s := strings.TrimSpace(string(x))
		return s == "" || s == "null" || s == "[]" || s == "{}"
	}
	return false
}

// makeTwin creates collection name with the appeals' fields (none hidden,
// so that a create request may set every column) and the appeals' indexes
// that keep accepts (renamed), open create/view rules, fills it with a copy
// of the appeals' rows (up to LOADGEN_TWIN_ROWS) and answers their number.
// The rows are copied before the indexes are built (a sorted build).
func makeTwin(b *testing.B, app core.App, name string, keep func(string) bool) int {
	appeals, err := app.FindCollectionByNameOrId("appeals")
	if err != nil {
		b.Fatal(err)
	}
	raw, err := json.Marshal(appeals.Fields)
	if err != nil {
		b.Fatal(err)
	}
	var fields core.FieldsList
	if err := json.Unmarshal(raw, &fields); err != nil {
		b.Fatal(err)
	}
	twin := core.NewBaseCollection(name)
	twin.Fields = fields
	for _, f := range twin.Fields {
		f.SetHidden(false)
	}
	twin.ListRule, twin.ViewRule, twin.CreateRule = types.Pointer(""), types.Pointer(""), types.Pointer("")
	if err := app.Save(twin); err != nil {
		b.Fatal(err)
	}
	var columns []string
	for _, f := range fields {
		columns = append(columns, "["+f.GetName()+"]")
	}
	limit := ""
	if n := twinRows(); n >= 0 {
		limit = fmt.Sprintf(" ORDER BY rowid DESC LIMIT %d", n)
	}
	cols := strings.Join(columns, ",")
	res, err := app.DB().NewQuery(fmt.Sprintf("INSERT INTO [%s] (%s) SELECT %s FROM appeals%s", name, cols, cols, limit)).Execute()
	if err != nil {
		b.Fatal(err)
	}
	copied, _ := res.RowsAffected()
	for _, def := range appeals.Indexes {
		idx := dbutils.ParseIndex(def)
		if !idx.IsValid() || !keep(idx.IndexName) {
			continue
		}
		idx.IndexName = strings.Replace(idx.IndexName, "idx_appeals_", "idx_"+name+"_", 1)
		idx.TableName = name
		twin.Indexes = append(twin.Indexes, idx.Build())
	}
	if len(twin.Indexes) > 0 {
		if err := app.Save(twin); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := app.DB().NewQuery("ANALYZE [" + name + "]").Execute(); err != nil {
		b.Fatal(err)
	}
	var live int
	if err := app.DB().NewQuery("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = {:t}").
		Bind(dbx.Params{"t": name}).Row(&live); err != nil {
		b.Fatal(err)
	}
	b.Logf("twin %s: %d indexes in the database (%d declared)", name, live, len(twin.Indexes))
	return int(copied)
}

// twinRows is how many of the appeals' rows (the newest) each twin gets:
// LOADGEN_TWIN_ROWS, or all of them (-1).
func twinRows() int {
	if n, err := strconv.Atoi(os.Getenv("LOADGEN_TWIN_ROWS")); err == nil && n >= 0 {
		return n
	}
	return -1
}
