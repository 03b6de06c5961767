package loadgen_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"siyang/internal/testenv"
	"siyang/plugins/demo"
	"siyang/plugins/loadgen"
)

// scaleAppeals is the number of seeded appeals of BenchmarkAtScale
// (LOADGEN_APPEALS, default 10,000).
func scaleAppeals() int {
	if n, err := strconv.Atoi(os.Getenv("LOADGEN_APPEALS")); err == nil && n > 0 {
		return n
	}
	return 10_000
}

const benchSeed = 1

// scaleEnv answers the app under test and its number of appeals: a copy of
// the folder LOADGEN_DIR filled by `siyang seed` (its seed must be 1, the
// default), or else a fresh app with the demo reference data and
// LOADGEN_APPEALS generated appeals up to the Env's now.
func scaleEnv(b *testing.B) (*testenv.Env, int) {
	if dir := os.Getenv("LOADGEN_DIR"); dir != "" {
		env := testenv.Reopen(b, dir)
		var n int
		if err := env.App.DB().NewQuery("SELECT COUNT(*) FROM appeals").Row(&n); err != nil {
			b.Fatal(err)
		}
		var last string
		if err := env.App.DB().NewQuery("SELECT MAX(created) FROM appeals").Row(&last); err != nil {
			b.Fatal(err)
		}
		if t, err := types.ParseDateTime(last); err == nil {
			env.SetNow(t.Time().Add(time.Minute)) // the folder's "now": just after its last submission
		}
		return env, n
	}
	n := scaleAppeals()
	env := testenv.New(b)
	if err := env.App.RunInTransaction(func(tx core.App) error { _, err := demo.Seed(tx); return err }); err != nil {
		b.Fatal(err)
	}
	stats, err := loadgen.Seed(env.App, loadgen.Options{Appeals: n, Now: *env.Now, Seed: benchSeed})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d appeals in %s (%d events)", stats.Appeals, stats.Elapsed.Round(time.Millisecond), stats.Events)
	return env, n
}

// BenchmarkAtScale seeds LOADGEN_APPEALS appeals (with the demo's
// departments, townships and categories) and measures, over real loopback
// HTTP with concurrent clients, each request the platform serves most,
// beside bare PocketBase doing the nearest plain equivalent on a plain
// collection of as many rows, in the same run:
//
//	intake              POST /api/appeals              | bare: POST a record
//	                                                   | bare/appeal-twin…: POST an
//	                                                   | appeal-shaped row (the ladder)
//	queue/100, /30      GET /api/workbench/queue       | bare: indexed filter + sort, same page size
//	queue/100/read, ... the same page, never a kept one |
//	queue/30/beside-actions the kept page while other departments act |
//	queue/30/after-changes, /100 the page while its own cases change |
//	queue-records/30    the generic record list before | (the same bare line)
//	public              public_appeals, newest 10      | bare: newest 10 (both skipTotal)
//	public/count        the list's kept total          |
//	public/category     a category's newest 10 + count |
//	public/with-total   newest 10 with PocketBase's    | bare: newest 10 with total
//	                    total (the list before)        |
//	public/home-replies the home page's latest replies | (/list: the old way)
//	public/search/...   keyword search, rows + count   |
//	                    (the LIKE filter before)       |
//	public/index/...    keyword search from the index  |
//	track               POST /api/track                | bare: GET one record by id
//	mine                GET /api/residents/appeals     | bare: indexed filter, newest 10
//	metrics             GET /api/analytics/metrics     | (no counterpart)
//
// p50/p95 are per request; req/s is the throughput of all clients.
func BenchmarkAtScale(b *testing.B) {
	env, n := scaleEnv(b)
	bare := seedBare(b, env, n)
	server := httptest.NewServer(env.Handler(b))
	defer server.Close()
	c := &client{base: server.URL, http: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}}

	handler := busiestHandler(b, env)
	central := env.Staff(b, "supervisor", "")
	resident := busiestResident(b, env)
	tickets := someTickets(b, env, 1000)

	var seq atomic.Int64
	run := func(name string, fn func(i int64) (int, error)) {
		b.Run(name, func(b *testing.B) { measure(b, func() (int, error) { return fn(seq.Add(1)) }) })
	}

	sub := testenv.SampleSubmission()
	run("intake", func(i int64) (int, error) {
		s := sub
		s.Title = fmt.Sprintf("%s（%d 号楼）", sub.Title, i%500)
		s.Content = fmt.Sprintf("%s 第 %d 栋楼附近。", sub.Content, i%500)
		return c.do("POST", "/api/appeals", s, "")
	})
	run("bare/create", func(i int64) (int, error) {
		return c.do("POST", "/api/collections/bare/records", map[string]any{
			"title": sub.Title, "content": sub.Content, "dept": bare.depts[i%int64(len(bare.depts))], "status": "open", "due": bare.due,
		}, "")
	})

	// The intake's ladder (bench_twin_test.go): PocketBase's plain create
	// of an appeal-shaped row into twins of appeals, with all, all but the
	// open_* and none of its indexes. Only with LOADGEN_LADDER set: each
	// twin is a copy of the appeals (at 1M: 10 minutes and gigabytes).
	ladder := newTwinLadder(env, c)
	for _, v := range twinVariants {
		b.Run("bare/"+v.rung, func(b *testing.B) {
			if os.Getenv("LOADGEN_LADDER") == "" {
				b.Skip("LOADGEN_LADDER=1 runs the ladder (each twin copies every appeal: minutes at 1M)")
			}
			// the plain create and its plain answer (the record): ?fields=
			// would cost more (PocketBase encodes the whole record, decodes
			// it again and picks; measured 0.15 ms per create at 100k)
			path := "/api/collections/" + ladder.collection(b, v) + "/records"
			measure(b, func() (int, error) { return c.do("POST", path, ladder.request(seq.Add(1)), "") })
		})
	}

	// The workbench's queue: its first page (the workbench asks for 100, a
	// department system or a phone fewer) from the department's tasks.
	token := testenv.Token(b, handler)
	for _, per := range []int{100, 30} {
		run(fmt.Sprintf("queue/%d", per), func(int64) (int, error) {
			return c.do("GET", fmt.Sprintf("/api/workbench/queue?view=todo&perPage=%d", per), nil, token)
		})
		run(fmt.Sprintf("bare/queue/%d", per), func(i int64) (int, error) {
			f := url.QueryEscape(fmt.Sprintf(`dept = "%s" && status = "open"`, bare.depts[0]))
			return c.do("GET", fmt.Sprintf("/api/collections/bare/records?page=1&perPage=%d&skipTotal=1&sort=due&filter=%s", per, f), nil, "")
		})
	}
	// The same first page asked with a cursor before its first task: never
	// a kept page, so read from the database each time, as the first read
	// after a change is.
	early := url.QueryEscape("2000-01-01 00:00:00.000Z~000000000000000")
	for _, per := range []int{100, 30} {
		run(fmt.Sprintf("queue/%d/read", per), func(int64) (int, error) {
			return c.do("GET", fmt.Sprintf("/api/workbench/queue?view=todo&perPage=%d&cursor=%s", per, early), nil, token)
		})
	}
	// The same first page while other departments' cases are urged (催办)
	// by the supervisor, one action per 10 reads (sent beside the reads, its
	// CPU counted in the line's): a megacity's stream of actions, which a
	// department's kept pages should outlive when the actions are not its.
	others := openCasesOutside(b, env, handler.GetString("department"), 500)
	urge := testenv.Token(b, central)
	for _, per := range []int{30} {
		var actions sync.WaitGroup
		var urged, failed atomic.Int64
		run(fmt.Sprintf("queue/%d/beside-actions", per), func(i int64) (int, error) {
			if i%10 == 0 {
				actions.Add(1)
				go func() {
					defer actions.Done()
					if _, err := c.do("POST", "/api/appeals/"+others[i/10%int64(len(others))]+"/actions/urge", map[string]any{"note": "请加快办理"}, urge); err != nil {
						failed.Add(1)
					}
					urged.Add(1)
				}()
			}
			return c.do("GET", fmt.Sprintf("/api/workbench/queue?view=todo&perPage=%d", per), nil, token)
		})
		actions.Wait()
		b.Logf("queue/%d/beside-actions: %d cases urged, %d failed", per, urged.Load(), failed.Load())
	}
	// The same first page while the department's OWN cases are urged, one
	// action per 10 reads: each action drops the page, so the reads after
	// it are first reads after a change (one computes the page, those
	// arriving meanwhile wait for it) — what a department's clerks see
	// when their workbenches reload on a change.
	mine := openCasesOf(b, env, handler.GetString("department"), 500)
	for _, per := range []int{30, 100} {
		var actions sync.WaitGroup
		var urged, failed atomic.Int64
		var mu sync.Mutex
		var took []time.Duration // the writers' latencies
		run(fmt.Sprintf("queue/%d/after-changes", per), func(i int64) (int, error) {
			if i%10 == 0 {
				actions.Add(1)
				go func() {
					defer actions.Done()
					start := time.Now()
					if _, err := c.do("POST", "/api/appeals/"+mine[i/10%int64(len(mine))]+"/actions/urge", map[string]any{"note": "请加快办理"}, urge); err != nil {
						failed.Add(1)
					}
					mu.Lock()
					took = append(took, time.Since(start))
					mu.Unlock()
					urged.Add(1)
				}()
			}
			return c.do("GET", fmt.Sprintf("/api/workbench/queue?view=todo&perPage=%d", per), nil, token)
		})
		actions.Wait()
		sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
		p50, p95 := time.Duration(0), time.Duration(0)
		if len(took) > 0 {
			p50, p95 = took[len(took)/2], took[len(took)*95/100]
		}
		b.Logf("queue/%d/after-changes: %d own cases urged, %d failed; 催办 p50 %s p95 %s", per, urged.Load(), failed.Load(),
			p50.Round(time.Microsecond), p95.Round(time.Microsecond))
	}
	// The generic record list the workbench used before, for comparison.
	open := url.QueryEscape(`status = "dispatched" || status = "handling" || status = "suspended"`)
	run("queue-records/30", func(int64) (int, error) {
		return c.do("GET", "/api/collections/appeals/records?page=1&perPage=30&skipTotal=1&sort=sla_due_at&filter="+open, nil, token)
	})

	// The public list page: its rows (skipTotal) and its total (the kept
	// count), newest first and filtered by a category, as appeals.js asks.
	category := busiestCategory(b, env)
	catFilter := url.QueryEscape(fmt.Sprintf(`category = "%s"`, category))
	run("public", func(int64) (int, error) {
		return c.do("GET", "/api/collections/public_appeals/records?page=1&perPage=10&skipTotal=1&sort=-created&expand=category,region", nil, "")
	})
	run("public/count", func(int64) (int, error) {
		return c.do("GET", "/api/portal/public-appeals/count?filter=", nil, "")
	})
	run("public/category", func(int64) (int, error) {
		return c.do("GET", "/api/collections/public_appeals/records?page=1&perPage=10&skipTotal=1&sort=-created&expand=category,region&filter="+catFilter, nil, "")
	})
	run("public/category/count", func(int64) (int, error) {
		return c.do("GET", "/api/portal/public-appeals/count?filter="+catFilter, nil, "")
	})
	run("public/with-total", func(int64) (int, error) {
		return c.do("GET", "/api/collections/public_appeals/records?page=1&perPage=10&sort=-created&expand=category,region", nil, "")
	})
	// The home page's latest public replies (home.js: its own endpoint
	// walking the reply-time index); "list" asks the public list the way
	// home.js did before, with a sign-in token so that no kept page answers.
	home := "/api/portal/latest-replies?perPage=5&expand=category,region"
	run("public/home-replies", func(int64) (int, error) { return c.do("GET", home, nil, "") })
	homeList := "/api/collections/public_appeals/records?perPage=5&skipTotal=1&sort=-replied_at,-created&expand=category,region&filter=" +
		url.QueryEscape(`reply != ""`)
	run("public/home-replies/list", func(int64) (int, error) { return c.do("GET", homeList, nil, token) })
	// Keyword search as search.js asks: rows and count within the search
	// window. "miss": a different word each time, found nowhere, so no kept
	// page or count helps and the whole window is read (the worst case);
	// "hit": one common word, asked again and again. "unbounded": the way
	// search.js asked before (every public appeal, PocketBase's total).
	since := searchSince(b, c)
	keyword := func(word string, window bool) string {
		q := fmt.Sprintf(`(title ~ "%s" || content ~ "%s")`, word, word)
		if window && since != "" {
			q += fmt.Sprintf(` && created >= "%s"`, since)
		}
		return url.QueryEscape(q)
	}
	for _, line := range []struct {
		name   string
		word   func(i int64) string
		window bool
		total  bool
	}{
		{"public/search/miss", func(i int64) string { return fmt.Sprintf("无此词%d", i) }, true, false},
		{"public/search/hit", func(int64) string { return "路灯" }, true, false},
		{"public/search/unbounded", func(i int64) string { return fmt.Sprintf("无此词%d", i) }, false, true},
	} {
		run(line.name, func(i int64) (int, error) {
			f := keyword(line.word(i), line.window)
			skip := "&skipTotal=1"
			if line.total {
				skip = ""
			}
			n, err := c.do("GET", "/api/collections/public_appeals/records?perPage=10&sort=-created&expand=category,region&filter="+f+skip, nil, "")
			if err != nil || line.total {
				return n, err
			}
			m, err := c.do("GET", "/api/portal/public-appeals/count?filter="+f, nil, "")
			return n + m, err
		})
	}
	// Keyword search from the index (search.js and appeals.js now): a page
	// of rows and the total of every public appeal in one request, asked
	// as the pages ask. "miss": a new word each time, found nowhere;
	// "hit": one common word (thousands of matches) again and again (a
	// kept page after the first); "deep": the same word's pages 4–53,
	// which are never kept (the cost of a new word with matches);
	// "deep-one": the same for one character (its list in the table of
	// each appeal's characters, once the walk adding them is done).
	indexReady(b, c)
	charsReady(b, env)
	const searchFields = "page,perPage,totalItems,totalPages,complete,coveredFrom,items.id,items.ticket,items.title," +
		"items.status,items.created,items.reply,items.expand.category.name,items.expand.region.name"
	for _, line := range []struct {
		name string
		ask  func(i int64) (word string, page int64)
	}{
		{"public/index/miss", func(i int64) (string, int64) { return fmt.Sprintf("无此词%d", i), 1 }},
		{"public/index/hit", func(int64) (string, int64) { return "路灯", 1 }},
		{"public/index/deep", func(i int64) (string, int64) { return "路灯", 4 + i%50 }},
		{"public/index/deep-one", func(i int64) (string, int64) { return "灯", 4 + i%50 }},
	} {
		run(line.name, func(i int64) (int, error) {
			word, page := line.ask(i)
			return c.do("GET", fmt.Sprintf("/api/portal/public-appeals/search?perPage=10&expand=category,region&fields=%s&page=%d&q=%s",
				searchFields, page, url.QueryEscape(word)), nil, "")
		})
	}
	run("bare/public", func(int64) (int, error) {
		return c.do("GET", "/api/collections/bare/records?page=1&perPage=10&skipTotal=1&sort=-created", nil, "")
	})
	run("bare/public/with-total", func(int64) (int, error) {
		return c.do("GET", "/api/collections/bare/records?page=1&perPage=10&sort=-created", nil, "")
	})
	run("track", func(i int64) (int, error) {
		t := tickets[i%int64(len(tickets))]
		return c.do("POST", "/api/track", map[string]string{"ticket": t, "query_code": loadgen.QueryCode(benchSeed, t)}, "")
	})
	run("bare/view", func(i int64) (int, error) {
		return c.do("GET", "/api/collections/bare/records/"+bare.ids[i%int64(len(bare.ids))], nil, "")
	})
	rtoken := testenv.Token(b, resident)
	run("mine", func(int64) (int, error) { return c.do("GET", "/api/residents/appeals", nil, rtoken) })
	run("bare/mine", func(int64) (int, error) {
		f := url.QueryEscape(fmt.Sprintf(`dept = "%s"`, bare.depts[1]))
		return c.do("GET", "/api/collections/bare/records?page=1&perPage=10&sort=-created&filter="+f, nil, "")
	})
	ctoken := testenv.Token(b, central)
	// The metric roll-up: a folder seeded before it existed gets it built
	// here (its migration left a full rebuild due), and intake above
	// marked a month dirty; one job run brings it up to date.
	started := time.Now()
	if res, err := env.Analytics.RefreshRollup(); err != nil {
		b.Fatal(err)
	} else {
		b.Logf("metric roll-up run: rebuilt %v, months %v, %s", res.Rebuilt, res.Months, time.Since(started).Round(time.Millisecond))
	}
	for _, period := range []string{"month=2026-11", "year=2026"} {
		for _, by := range []string{"department", "township", "category"} {
			run("metrics/"+strings.SplitN(period, "=", 2)[0]+"/"+by, func(int64) (int, error) {
				return c.do("GET", "/api/analytics/metrics?by="+by+"&"+period, nil, ctoken)
			})
		}
	}
	for _, req := range []struct{ name, path string }{
		{"dashboard/day", "/api/analytics/metrics?by=day&month=2026-11"},
		{"dashboard/12-months", "/api/analytics/metrics?by=month&from=2025-12-01&to=2026-11-30"},
		{"dashboard/sla-board", "/api/sla/board"},
		{"dashboard/hotspots", "/api/analytics/hotspots?limit=20"},
		{"report/monthly", "/api/analytics/reports/monthly?month=2026-11"},
	} {
		run(req.name, func(int64) (int, error) { return c.do("GET", req.path, nil, ctoken) })
	}
}

// client sends JSON requests and drains the answers.
type client struct {
	base string
	http *http.Client
}

func (c *client) do(method, path string, body any, token string) (int, error) {
	var r io.Reader
	if body != nil {
		data, _ := json.Marshal(body)
		r = strings.NewReader(string(data))
	}
	req, _ := http.NewRequest(method, c.base+path, r)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	if res.StatusCode >= 300 {
		answer, _ := io.ReadAll(io.LimitReader(res.Body, 300))
		return len(answer), statusError{res.StatusCode, fmt.Sprintf("%s %s: %d %s", method, path, res.StatusCode, answer)}
	}
	n, _ := io.Copy(io.Discard, res.Body)
	return int(n), nil
}

// statusError is an answer that was not a success, with its status.
type statusError struct {
	status int
	text   string
}

func (e statusError) Error() string { return e.text }

// failures counts failed requests by answer status (0: no answer).
type failures struct {
	mu     sync.Mutex
	counts map[int]int
	first  string
}

func (f *failures) add(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.counts == nil {
		f.counts, f.first = map[int]int{}, err.Error()
	}
	var se statusError
	if errors.As(err, &se) {
		f.counts[se.status]++
	} else {
		f.counts[0]++
	}
}

// String lists the statuses with their counts, e.g. "503 ×77".
func (f *failures) String() string {
	var parts []string
	for status, n := range f.counts {
		parts = append(parts, fmt.Sprintf("%d ×%d", status, n))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

// measure runs fn from 16 concurrent clients and reports the latency
// percentiles, the throughput and the answer size.
func measure(b *testing.B, fn func() (int, error)) {
	var (
		mu        sync.Mutex
		latencies []time.Duration
		failed    atomic.Int64
		bytes     atomic.Int64
		fails     failures
	)
	b.SetParallelism(8) // 8 × GOMAXPROCS clients
	cpu0 := processCPU()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			start := time.Now()
			n, err := fn()
			mine = append(mine, time.Since(start))
			bytes.Add(int64(n))
			if err != nil {
				failed.Add(1)
				fails.add(err)
			}
		}
		mu.Lock()
		latencies = append(latencies, mine...)
		mu.Unlock()
	})
	b.StopTimer()
	cpu := processCPU() - cpu0
	if failed.Load() > 0 {
		// by status: 503 is the database too busy to answer in time (see
		// docs/decisions.md "A busy database answers 503"), 0 no answer
		b.Fatalf("%d of %d requests failed (%s), first: %s", failed.Load(), b.N, fails.String(), fails.first)
	}
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	pct := func(p float64) float64 {
		return float64(latencies[min(len(latencies)-1, int(p*float64(len(latencies))))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
	b.ReportMetric(float64(bytes.Load())/float64(b.N), "B/resp")
	// CPU of the whole process (server and its clients) per request: on a
	// shared machine throughput swings with the neighbours' load, CPU per
	// request much less.
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
}

// processCPU is the user and system CPU time this process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// bareRows is the plain PocketBase collection of the baseline.
type bareRows struct {
	ids   []string
	depts []string
	due   string
}

// seedBare creates the baseline collection: n rows of title, content,
// department, status and due date, indexed like the appeals' queue, with
// open list, view and create rules.
func seedBare(b *testing.B, env *testenv.Env, n int) bareRows {
	c := core.NewBaseCollection("bare")
	c.ListRule, c.ViewRule, c.CreateRule = types.Pointer(""), types.Pointer(""), types.Pointer("")
	c.Fields.Add(&core.TextField{Name: "title"}, &core.TextField{Name: "content"}, &core.TextField{Name: "dept"},
		&core.TextField{Name: "status"}, &core.DateField{Name: "due"},
		&core.AutodateField{Name: "created", OnCreate: true}, &core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true})
	c.AddIndex("idx_bare_dept_status_due", false, "dept, status, due", "")
	c.AddIndex("idx_bare_dept_created", false, "dept, created", "")
	c.AddIndex("idx_bare_created", false, "created", "")
	if err := env.App.Save(c); err != nil {
		b.Fatal(err)
	}
	rows := bareRows{depts: []string{"d00", "d01", "d02", "d03", "d04", "d05", "d06", "d07", "d08", "d09", "d10", "d11", "d12", "d13"}}
	rows.due = env.Now.UTC().Add(72 * time.Hour).Format(types.DefaultDateLayout)
	sub := testenv.SampleSubmission()
	err := env.App.RunInTransaction(func(tx core.App) error {
		q := tx.DB().NewQuery(`INSERT INTO bare (id, title, content, dept, status, due, created, updated)
			VALUES ({:id}, {:title}, {:content}, {:dept}, {:status}, {:due}, {:created}, {:created})`).Prepare()
		defer q.Close()
		for i := 0; i < n; i++ {
			id := fmt.Sprintf("bare%011d", i)
			status := "closed"
			if i%20 == 0 {
				status = "open"
			}
			created := env.Now.UTC().Add(-time.Duration(n-i) * time.Minute).Format(types.DefaultDateLayout)
			_, err := q.Bind(dbx.Params{"id": id, "title": sub.Title, "content": sub.Content, "dept": rows.depts[i%len(rows.depts)],
				"status": status, "due": env.Now.UTC().Add(time.Duration(i) * time.Second).Format(types.DefaultDateLayout), "created": created}).Execute()
			if err != nil {
				return err
			}
			if i%97 == 0 && len(rows.ids) < 1000 {
				rows.ids = append(rows.ids, id)
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return rows
}

// busiestHandler is a handler of the department with the most open tasks
// (one is created when the department has none).
func busiestHandler(b *testing.B, env *testenv.Env) *core.Record {
	var dept string
	err := env.App.DB().NewQuery(`SELECT lead_department FROM appeals WHERE status IN ('dispatched','handling','suspended')
		GROUP BY lead_department ORDER BY COUNT(*) DESC LIMIT 1`).Row(&dept)
	if err != nil {
		b.Fatal(err)
	}
	return env.Staff(b, "handler", dept)
}

// openCasesOutside answers up to n cases being handled (催办 is allowed)
// whose lead department is not dept.
func openCasesOutside(b *testing.B, env *testenv.Env, dept string, n int) []string {
	var ids []string
	err := env.App.DB().NewQuery(`SELECT id FROM appeals WHERE status IN ('dispatched','handling')
		AND lead_department != {:d} ORDER BY created DESC LIMIT {:n}`).Bind(dbx.Params{"d": dept, "n": n}).Column(&ids)
	if err != nil || len(ids) == 0 {
		b.Fatalf("no open cases outside %s: %v", dept, err)
	}
	return ids
}

// openCasesOf answers up to n cases being handled (催办 is allowed)
// whose lead department is dept.
func openCasesOf(b *testing.B, env *testenv.Env, dept string, n int) []string {
	var ids []string
	err := env.App.DB().NewQuery(`SELECT id FROM appeals WHERE status IN ('dispatched','handling')
		AND lead_department = {:d} ORDER BY created DESC LIMIT {:n}`).Bind(dbx.Params{"d": dept, "n": n}).Column(&ids)
	if err != nil || len(ids) == 0 {
		b.Fatalf("no open cases of %s: %v", dept, err)
	}
	return ids
}

// busiestCategory is the category with the most appeals.
func busiestCategory(b *testing.B, env *testenv.Env) string {
	var id string
	if err := env.App.DB().NewQuery(`SELECT category FROM appeals WHERE category != '' GROUP BY category ORDER BY COUNT(*) DESC LIMIT 1`).Row(&id); err != nil {
		b.Fatal(err)
	}
	return id
}

func busiestResident(b *testing.B, env *testenv.Env) *core.Record {
	var id string
	if err := env.App.DB().NewQuery(`SELECT resident FROM appeals WHERE resident != '' GROUP BY resident ORDER BY COUNT(*) DESC LIMIT 1`).Row(&id); err != nil {
		b.Fatal(err)
	}
	r, err := env.App.FindRecordById("users", id)
	if err != nil {
		b.Fatal(err)
	}
	return r
}

func someTickets(b *testing.B, env *testenv.Env, n int) []string {
	var list []string
	if err := env.App.DB().NewQuery(`SELECT ticket FROM appeals ORDER BY random() LIMIT {:n}`).Bind(dbx.Params{"n": n}).Column(&list); err != nil {
		b.Fatal(err)
	}
	return list
}

// searchSince answers where keyword searches of the public list start
// (/api/portal/public-appeals/search-window; "" for all).
func searchSince(b *testing.B, c *client) string {
	res, err := c.http.Get(c.base + "/api/portal/public-appeals/search-window")
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK { // a build without the window
		b.Logf("no search window: %s", res.Status)
		return ""
	}
	// (a build without the endpoint may also answer a page: not JSON)
	var w struct {
		Since   string `json:"since"`
		Appeals int    `json:"appeals"`
	}
	if err := json.NewDecoder(res.Body).Decode(&w); err != nil {
		b.Logf("no search window: %v", err)
		return ""
	}
	b.Logf("search window: the newest %d public appeals, since %q", w.Appeals, w.Since)
	return w.Since
}

// charsReady waits for the walk adding the characters of the keyword
// index's older entries (a copied folder from before the characters table)
// and logs how long it took.
func charsReady(b *testing.B, env *testenv.Env) {
	started := time.Now()
	for {
		var below int64
		if err := env.App.DB().NewQuery("SELECT chars_below FROM portal_search_state").Row(&below); err != nil {
			b.Fatal(err)
		}
		if below == 0 {
			b.Logf("keyword index characters complete after %s", time.Since(started).Round(time.Millisecond))
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// indexReady waits for the keyword index of the public appeals to cover
// every public appeal (a copied folder from before the index gets it built
// in the background when the server starts) and logs how long it took.
func indexReady(b *testing.B, c *client) {
	started := time.Now()
	for {
		res, err := c.http.Get(c.base + "/api/portal/public-appeals/search?perPage=1&q=" + url.QueryEscape("路灯"))
		if err != nil {
			b.Fatal(err)
		}
		var answer struct {
			Complete    bool   `json:"complete"`
			CoveredFrom string `json:"coveredFrom"`
		}
		err = json.NewDecoder(res.Body).Decode(&answer)
		res.Body.Close()
		if res.StatusCode == http.StatusNotFound || err != nil { // a build without the index
			b.Logf("no keyword index: %s", res.Status)
			return
		}
		if answer.Complete {
			b.Logf("keyword index complete after %s", time.Since(started).Round(time.Millisecond))
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
}
