package portal_test

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"siyang/internal/testenv"
	"siyang/plugins/portal"
	"siyang/plugins/workflow"
)

// searchList is GET /api/portal/public-appeals/search's answer.
type searchList struct {
	Page        int    `json:"page"`
	More        bool   `json:"more"`
	TotalItems  int    `json:"totalItems"`
	TotalPages  int    `json:"totalPages"`
	Complete    bool   `json:"complete"`
	CoveredFrom string `json:"coveredFrom"`
	Items       []struct {
		ID     string `json:"id"`
		Title  string `json:"title"`
		Expand struct {
			Category struct {
				Name string `json:"name"`
			} `json:"category"`
		} `json:"expand"`
	} `json:"items"`
}

func searchURL(q string, extra ...string) string {
	v := url.Values{"q": {q}, "expand": {"category,region"},
		"fields": {"page,totalItems,totalPages,more,complete,coveredFrom,items.id,items.title,items.expand.category.name"}}
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	return "/api/portal/public-appeals/search?" + v.Encode()
}

func search(t *testing.T, env *testenv.Env, q string, extra ...string) (searchList, string) {
	t.Helper()
	r := env.Call(t, "GET", searchURL(q, extra...), nil, nil)
	if r.Status != 200 {
		t.Fatalf("search %q: %d %s", q, r.Status, r.Body)
	}
	var l searchList
	r.JSON(t, &l)
	return l, r.Body
}

func ids(l searchList) []string {
	var out []string
	for _, it := range l.Items {
		out = append(out, it.ID)
	}
	return out
}

func found(t *testing.T, env *testenv.Env, q, id string) bool {
	t.Helper()
	l, _ := search(t, env, q)
	for _, it := range l.Items {
		if it.ID == id {
			return true
		}
	}
	return false
}

// TestFTS5Compiled: the SQLite inside the binary has FTS5, which the
// keyword index is built on.
func TestFTS5Compiled(t *testing.T) {
	env := testenv.New(t)
	var used int
	if err := env.App.DB().NewQuery("SELECT sqlite_compileoption_used('ENABLE_FTS5')").Row(&used); err != nil || used != 1 {
		t.Fatalf("FTS5 is not compiled in: %d %v", used, err)
	}
}

// TestSearchIndexFollowsPublicity: an appeal is found by a word of its
// title or content exactly while the public list shows it — from its
// acceptance, with its new text after an edit, and no longer once it is
// made 保密, loses the resident's consent, is withdrawn or deleted. A save
// that fails leaves the index as it was.
func TestSearchIndexFollowsPublicity(t *testing.T) {
	env := testenv.New(t)
	sub := testenv.SampleSubmission()
	sub.Title = "人民路井盖松动"
	sub.Content = "人民路与文城路交叉口的井盖松动，车辆经过响声很大。"

	a, _ := env.Submit(t, sub)
	if found(t, env, "井盖", a.Id) {
		t.Fatal("an unreviewed submission is found")
	}
	a = env.Do(t, a, "accept", env.Operator, workflow.Input{})
	l, body := search(t, env, "井盖")
	if l.TotalItems != 1 || len(l.Items) != 1 || l.Items[0].ID != a.Id || !l.Complete || l.Items[0].Title != sub.Title {
		t.Fatalf("after acceptance: %s", body)
	}
	for _, q := range []string{"井", "文城路", "响声很大", "人民路 响声", "交叉口，井盖"} {
		if !found(t, env, q, a.Id) {
			t.Errorf("%q does not find the appeal", q)
		}
	}
	for _, q := range []string{"井盖坏", "路井盖松动了", "文城 大路"} {
		if found(t, env, q, a.Id) {
			t.Errorf("%q finds the appeal", q)
		}
	}

	// an edit of the text: the old words go, the new ones come
	a.Set("content", "人民路的窨井盖板缺失。")
	if err := env.App.Save(a); err != nil {
		t.Fatal(err)
	}
	if found(t, env, "响声", a.Id) || !found(t, env, "窨井盖板", a.Id) {
		t.Error("the edited text is not what is found")
	}

	// a save that fails in its transaction leaves the entry as it was
	err := env.App.RunInTransaction(func(tx core.App) error {
		a.Set("content", "改成了别的内容")
		if err := tx.Save(a); err != nil {
			return err
		}
		return errors.New("rolled back")
	})
	if err == nil || found(t, env, "别的内容", a.Id) || !found(t, env, "窨井盖板", a.Id) {
		t.Errorf("a rolled-back save changed the index (err %v)", err)
	}
	a, _ = env.App.FindRecordById("appeals", a.Id)

	// 保密, and back
	a.Set("confidential", true)
	if err := env.App.Save(a); err != nil {
		t.Fatal(err)
	}
	if found(t, env, "井盖", a.Id) {
		t.Error("a 保密 appeal is found")
	}
	a.Set("confidential", false)
	if err := env.App.Save(a); err != nil {
		t.Fatal(err)
	}
	if !found(t, env, "井盖", a.Id) {
		t.Error("an appeal public again is not found")
	}
	// consent taken back
	a.Set("public_consent", false)
	if err := env.App.Save(a); err != nil {
		t.Fatal(err)
	}
	if found(t, env, "井盖", a.Id) {
		t.Error("an appeal without consent is found")
	}

	// withdrawn by the resident
	b := env.ReachWith(t, workflow.Handling, sub)
	if !found(t, env, "井盖", b.Id) {
		t.Fatal("a handled public appeal is not found")
	}
	env.Do(t, b, "withdraw", env.Resident, workflow.Input{Reason: "已自行解决"})
	if found(t, env, "井盖", b.Id) {
		t.Error("a withdrawn appeal is found")
	}

	// deleted (an appeal without a timeline: the timeline is append-only)
	c := core.NewRecord(b.Collection())
	for k, v := range b.FieldsData() {
		if k != "id" && k != "ticket" && k != "query_code_hash" {
			c.Set(k, v)
		}
	}
	c.Set("status", "accepted")
	if err := env.App.Save(c); err != nil {
		t.Fatal(err)
	}
	if !found(t, env, "井盖", c.Id) {
		t.Fatal("an appeal saved public is not found")
	}
	if err := env.App.Delete(c); err != nil {
		t.Fatal(err)
	}
	if l, body := search(t, env, "井盖"); l.TotalItems != 0 {
		t.Errorf("a deleted appeal is found: %s", body)
	}
	var entries int
	if err := env.App.DB().NewQuery("SELECT count(*) FROM portal_search_docs").Row(&entries); err != nil || entries != 0 {
		t.Errorf("index entries left: %d %v", entries, err)
	}
}

// TestSearchPagesAndPrivacy: matches come newest first, ten to a page,
// with their total; the filters narrow them; the resident's name and
// phone number are not searchable (the index holds the masked public
// text) and never in the answer.
func TestSearchPagesAndPrivacy(t *testing.T) {
	env := testenv.New(t)
	var made []string
	for i := 0; i < 12; i++ {
		sub := testenv.SampleSubmission()
		if i%4 == 0 {
			sub.Category = "urban"
		}
		a := env.ReachWith(t, workflow.Accepted, sub)
		made = append(made, a.Id)
	}
	l, body := search(t, env, "路灯")
	if l.TotalItems != 12 || l.TotalPages != 2 || len(l.Items) != 10 {
		t.Fatalf("first page: %s", body)
	}
	p2, _ := search(t, env, "路灯", "page", "2")
	got := append(ids(l), ids(p2)...)
	want := make([]string, len(made))
	for i := range made { // newest first: the reverse of submission order
		want[i] = made[len(made)-1-i]
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("pages are not newest first:\n got %v\nwant %v", got, want)
	}
	if u, body := search(t, env, "路灯", "category", categoryID(t, env, "urban")); u.TotalItems != 3 || u.Items[0].Expand.Category.Name == "" {
		t.Errorf("category filter: %s", body)
	}
	if s, body := search(t, env, "路灯", "status", "handling,closed"); s.TotalItems != 0 {
		t.Errorf("status filter: %s", body)
	}
	// since, in the form the pages send it (period: to the hour)
	for since, want := range map[string]int{"2099-01-01 00:00:00.000Z": 0, "2020-01-01 00:00:00.000Z": 12} {
		if s, body := search(t, env, "路灯", "since", since); s.TotalItems != want {
			t.Errorf("since %s: want %d: %s", since, want, body)
		}
	}
	// the count stops at its bound and says there are more
	restore := portal.SetSearchMaxCount(5)
	if c, body := search(t, env, "路灯", "perPage", "2", "page", "3"); c.TotalItems != 5 || !c.More || c.TotalPages != 3 || len(c.Items) != 2 {
		t.Errorf("a bounded count: %s", body)
	}
	restore()
	if l, body := search(t, env, "路灯"); l.More {
		t.Errorf("more without a bound reached: %s", body)
	}
	for _, q := range []string{"李四", "13912345678"} {
		if l, body := search(t, env, q); l.TotalItems != 0 {
			t.Errorf("%q is searchable: %s", q, body)
		}
	}
	if strings.Contains(body, "李四") || strings.Contains(body, "13912345678") {
		t.Errorf("contact data in the answer: %s", body)
	}

	runScenarios(t, env, []tests.ApiScenario{
		{Name: "no keyword", Method: "GET", URL: "/api/portal/public-appeals/search?q=", ExpectedStatus: 400,
			ExpectedContent: []string{`"q"`, "请输入要搜索的关键词"}},
		{Name: "punctuation only", Method: "GET", URL: "/api/portal/public-appeals/search?q=" + url.QueryEscape("？！"), ExpectedStatus: 400,
			ExpectedContent: []string{`"q"`, "关键词应包含汉字、字母或数字"}},
		{Name: "bad page", Method: "GET", URL: "/api/portal/public-appeals/search?q=a&page=0", ExpectedStatus: 400,
			ExpectedContent: []string{`"page"`}},
		{Name: "bad since", Method: "GET", URL: "/api/portal/public-appeals/search?q=a&since=yesterday", ExpectedStatus: 400,
			ExpectedContent: []string{`"since"`}},
		{Name: "too long", Method: "GET", URL: "/api/portal/public-appeals/search?q=" + strings.Repeat("路", 51), ExpectedStatus: 400,
			ExpectedContent: []string{`"q"`, "关键词不能超过 50 个字"}},
		{Name: "bad status", Method: "GET", URL: "/api/portal/public-appeals/search?q=a&status=submitted", ExpectedStatus: 400,
			ExpectedContent: []string{`"status"`}},
	})
}

func categoryID(t *testing.T, env *testenv.Env, code string) string {
	t.Helper()
	c, err := env.App.FindFirstRecordByData("categories", "code", code)
	if err != nil {
		t.Fatal(err)
	}
	return c.Id
}

// TestSearchSameAsLike: for a set of words, the index finds the same
// public appeals as the LIKE filter the pages used (title ~ q || content ~ q
// on the public view; for several words, each of them), in the same order
// — one-character words included: answered from the characters table, and
// from the prefix of the pairs while that table is not complete (a
// character ending a text or followed by punctuation is found either way).
func TestSearchSameAsLike(t *testing.T) {
	env := testenv.New(t)
	texts := [][2]string{
		{"幸福小区门口路灯不亮", "北门路灯已经坏了一个月。"},
		{"WiFi 信号差", "图书馆的wifi经常断线，5G也不好。"},
		{"噪音扰民", "夜间施工噪音很大，影响休息。"},
		{"路面破损", "人民路路面坑洼，雨天积水。"},
		{"路灯问题反映", "灯，灯。灯泡不亮，路边的灯。"},
		{"井盖缺失", "文城路口有一个井盖丢了，夜里看不见 7"},
	}
	for _, tx := range texts {
		sub := testenv.SampleSubmission()
		sub.Title, sub.Content = tx[0], tx[1]
		env.ReachWith(t, workflow.Accepted, sub)
	}
	words := []string{"路灯", "wifi", "WIFI", "5g", "噪音", "人民路路面", "积水", "坏了一个月", "门口路灯不亮", "不存在",
		// one character: everywhere, only ending a text (失, 7), only before punctuation (息, 月),
		// latin and digits in either case, found nowhere, and several
		"灯", "路", "失", "7", "息", "月", "泡", "g", "G", "Ｆ", "5", "態", "路 灯", "灯，5", "井 失 7",
		// one character beside a longer word (the prefix of the pairs)
		"路灯 泡", "图书馆 g"}
	sameAsLike := func(t *testing.T) {
		t.Helper()
		for _, q := range words {
			where, params := []string{}, dbx.Params{}
			for i, w := range strings.FieldsFunc(strings.ToLower(strings.ReplaceAll(q, "Ｆ", "f")), func(r rune) bool { return r == ' ' || r == '，' }) {
				name := "w" + string(rune('0'+i))
				where = append(where, "(title LIKE {:"+name+"} OR content LIKE {:"+name+"})")
				params[name] = "%" + w + "%"
			}
			var like []string
			err := env.App.DB().NewQuery("SELECT id FROM public_appeals WHERE " + strings.Join(where, " AND ") + " ORDER BY created DESC").
				Bind(params).Column(&like)
			if err != nil {
				t.Fatal(err)
			}
			l, _ := search(t, env, q)
			if strings.Join(ids(l), ",") != strings.Join(like, ",") || l.TotalItems != len(like) {
				t.Errorf("%q: index %v (total %d), LIKE %v", q, ids(l), l.TotalItems, like)
			}
		}
	}
	if ready, err := portal.CharsReady(env.App); err != nil || !ready {
		t.Fatalf("a new database's characters table is not complete: %v", err)
	}
	t.Run("characters", sameAsLike)

	// the entries made before the characters table: the prefix of the
	// pairs, until the walk has added them
	if _, err := env.App.DB().NewQuery("INSERT INTO portal_search_chars (portal_search_chars) VALUES ('delete-all')").Execute(); err != nil {
		t.Fatal(err)
	}
	if _, err := env.App.DB().NewQuery("UPDATE portal_search_state SET chars_below = (SELECT max(id) + 1 FROM portal_search_docs)").Execute(); err != nil {
		t.Fatal(err)
	}
	env.SetNow(env.Now.Add(2 * time.Minute)) // (plain SQL: past the kept pages' age)
	t.Run("prefix", sameAsLike)

	// the walk, a batch per entry, with an appeal made public meanwhile
	// (its characters written by the hooks, not twice by the walk)
	defer portal.SetBackfillBatch(2)()
	if done, err := portal.CharsStep(env.App); err != nil || done {
		t.Fatalf("first step: done %v, %v", done, err)
	}
	sub := testenv.SampleSubmission()
	sub.Title, sub.Content = "灯杆倾斜", "小区内的灯杆倾斜，存在安全隐患。"
	env.ReachWith(t, workflow.Accepted, sub)
	for steps := 0; ; steps++ {
		done, err := portal.CharsStep(env.App)
		if err != nil || steps > 10 {
			t.Fatalf("walk: %v after %d steps", err, steps)
		}
		if done {
			break
		}
	}
	if ready, err := portal.CharsReady(env.App); err != nil || !ready {
		t.Fatalf("after the walk: %v", err)
	}
	var entries, withChars int
	if err := env.App.DB().NewQuery("SELECT (SELECT count(*) FROM portal_search_docs), (SELECT count(*) FROM portal_search_chars WHERE portal_search_chars MATCH '\"杆\" OR \"路\" OR \"噪\" OR \"wi\" OR \"w\"')").Row(&entries, &withChars); err != nil {
		t.Fatal(err)
	}
	if entries != len(texts)+1 || withChars != entries {
		t.Errorf("after the walk: %d entries, %d with characters", entries, withChars)
	}
	env.SetNow(env.Now.Add(2 * time.Minute))
	t.Run("walked", sameAsLike)
}

// forgetIndex empties the keyword index and marks it as covering the
// appeals submitted from `from` on (an SQL expression), as after the
// upgrade of a database with public appeals.
func forgetIndex(t *testing.T, env *testenv.Env, from string) {
	t.Helper()
	for _, sql := range []string{
		"INSERT INTO portal_search (portal_search) VALUES ('delete-all')",
		"DELETE FROM portal_search_docs",
		"UPDATE portal_search_state SET covered_from = " + from + ", done = 0",
	} {
		if _, err := env.App.DB().NewQuery(sql).Execute(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestSearchBackfill: appeals public before the index existed are indexed
// by the backfill, newest first; until it has reached them the answer
// says from when it searched (complete false) and does not show an older
// entry the hooks wrote meanwhile.
func TestSearchBackfill(t *testing.T) {
	env := testenv.New(t)
	old := env.ReachWith(t, workflow.Accepted, testenv.SampleSubmission())
	env.SetNow(env.Now.Add(24 * time.Hour))
	newer := env.ReachWith(t, workflow.Accepted, testenv.SampleSubmission())
	search(t, env, "路灯") // serving (with a complete index: no backfill runs)

	forgetIndex(t, env, "(SELECT created FROM appeals WHERE id = '"+newer.Id+"')")
	if err := env.App.Save(newer); err != nil { // re-saved: the hooks index it
		t.Fatal(err)
	}
	if err := env.App.Save(old); err != nil { // indexed too, but older than what is covered
		t.Fatal(err)
	}
	// (plain SQL: kept search pages see it after their safety age)
	env.SetNow(env.Now.Add(2 * time.Minute))
	l, body := search(t, env, "路灯")
	if l.Complete || l.CoveredFrom == "" || strings.Join(ids(l), ",") != newer.Id {
		t.Fatalf("while backfilling: %s", body)
	}

	if err := portal.RebuildSearchIndex(env.App); err != nil {
		t.Fatal(err)
	}
	env.SetNow(env.Now.Add(2 * time.Minute)) // (RebuildSearchIndex is for an app that does not serve yet)
	l, body = search(t, env, "路灯")
	if !l.Complete || l.CoveredFrom != "" || strings.Join(ids(l), ",") != newer.Id+","+old.Id {
		t.Fatalf("after the backfill: %s", body)
	}
}

// TestSearchBackfillWhenServing: a server started on a database whose
// index is not complete builds it in the background, and the search sees
// each batch (no kept page hides it).
func TestSearchBackfillWhenServing(t *testing.T) {
	env := testenv.New(t)
	old := env.ReachWith(t, workflow.Accepted, testenv.SampleSubmission())
	env.SetNow(env.Now.Add(time.Hour))
	middle := env.ReachWith(t, workflow.Accepted, testenv.SampleSubmission())
	env.SetNow(env.Now.Add(time.Hour))
	newer := env.ReachWith(t, workflow.Accepted, testenv.SampleSubmission())
	defer portal.SetBackfillBatch(1)()                // a batch per appeal: the walk goes on from where a batch ended
	forgetIndex(t, env, "'9999-12-31 23:59:59.999Z'") // nothing covered yet

	deadline := time.Now().Add(20 * time.Second)
	for {
		l, body := search(t, env, "路灯") // the first request starts the server
		if l.Complete {
			if strings.Join(ids(l), ",") != newer.Id+","+middle.Id+","+old.Id {
				t.Fatalf("the complete index: %s", body)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the backfill did not finish: %s", body)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestSearchCatchesUpPlainSQL: writes to appeals made with plain SQL,
// past the record hooks (an administrator's fix, another tool), reach the
// keyword index at the next sweep: an appeal made public is found, one
// whose text changed is found by its new words only, one made 保密,
// withdrawn or deleted is no longer found — and the kept search pages show
// it. The hooks' own writes and new submissions leave nothing to sweep.
// The resident's name and phone number are never found.
func TestSearchCatchesUpPlainSQL(t *testing.T) {
	defer portal.SetSearchSweep(20 * time.Millisecond)()
	env := testenv.New(t)
	appeal := func(title, content string, status workflow.Status) *core.Record {
		sub := testenv.SampleSubmission()
		sub.Title, sub.Content = title, content
		if status == workflow.Submitted {
			a, _ := env.Submit(t, sub)
			return a
		}
		return env.ReachWith(t, status, sub)
	}
	edited := appeal("人民路井盖松动", "车辆经过时响声很大，影响休息。", workflow.Accepted)
	private := appeal("南门路灯不亮", "南门路灯坏了很久，晚上很黑。", workflow.Accepted)
	withdrawn := appeal("夜间施工噪音", "工地夜间施工噪音扰民，无法入睡。", workflow.Handling)
	deleted := appeal("公交站牌破损", "公交站牌破损多日，无人维修。", workflow.Accepted)
	hidden := appeal("下水道堵塞", "小区下水道堵塞，污水外溢，我是李四。", workflow.Submitted)
	dirty := func() int {
		var n int
		if err := env.App.DB().NewQuery("SELECT count(*) FROM portal_search_dirty").Row(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := dirty(); n != 0 {
		t.Fatalf("the hooks' writes and a submission left %d notes", n)
	}
	// the words asked below, answered before the writes: their pages are
	// kept, and the sweep must empty them
	if !found(t, env, "响声", edited.Id) || found(t, env, "下水道", hidden.Id) || found(t, env, "堵", hidden.Id) {
		t.Fatal("before the writes")
	}
	for _, q := range []string{"窨井盖板", "南门路灯", "噪音", "站牌", "下水道堵塞", "窨", "响"} {
		search(t, env, q)
	}
	for _, sql := range []string{
		"UPDATE appeals SET public_content = '窨井盖板缺失，夜里看不见。' WHERE id = '" + edited.Id + "'",
		"UPDATE appeals SET confidential = 1 WHERE id = '" + private.Id + "'",
		"UPDATE appeals SET status = 'withdrawn' WHERE id = '" + withdrawn.Id + "'",
		"DELETE FROM appeals WHERE id = '" + deleted.Id + "'",
		"UPDATE appeals SET status = 'accepted' WHERE id = '" + hidden.Id + "'",
		// a write that changes nothing public is not noted
		"UPDATE appeals SET priority = priority WHERE id = '" + private.Id + "'",
	} {
		if _, err := env.App.DB().NewQuery(sql).Execute(); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	if n := dirty(); n != 5 {
		t.Errorf("the plain-SQL writes left %d notes, want 5", n)
	}

	want := map[string]map[string]bool{ // word → appeal → found
		"窨井盖板":        {edited.Id: true},
		"响声":          {edited.Id: false},
		"南门路灯":        {private.Id: false},
		"噪音":          {withdrawn.Id: false},
		"站牌":          {deleted.Id: false},
		"下水道堵塞":       {hidden.Id: true},
		"堵":           {hidden.Id: true},
		"窨":           {edited.Id: true},
		"响":           {edited.Id: false},
		"李四":          {hidden.Id: false},
		"13912345678": {hidden.Id: false},
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		var wrong []string
		for q, appeals := range want {
			for id, should := range appeals {
				if found(t, env, q, id) != should {
					wrong = append(wrong, q)
				}
			}
		}
		if len(wrong) == 0 && dirty() == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the sweep, wrong answers for %v (%d notes left)", wrong, dirty())
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, q := range []string{"李四", "13912345678"} {
		if l, body := search(t, env, q); l.TotalItems != 0 {
			t.Errorf("%q is searchable: %s", q, body)
		}
	}
}
