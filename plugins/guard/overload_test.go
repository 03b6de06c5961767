package guard_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/types"

	"siyang/internal/testenv"
	"siyang/plugins/guard"
)

// busyQueryTimeout stands for PocketBase's 30 s query deadline
// (--queryTimeout), so that a test waits a fraction of a second.
const busyQueryTimeout = 300 * time.Millisecond

// busyApp is a PocketBase app with the guard, a short query deadline and a
// public "notes" collection of a few records, plus two routes that fail the
// way the platform's own handlers fail: returning the database's error.
func busyApp(t testing.TB, config ...guard.Config) *tests.TestApp {
	app, err := tests.NewTestAppWithConfig(core.BaseAppConfig{DataDir: t.TempDir(), QueryTimeout: busyQueryTimeout})
	if err != nil {
		t.Fatal(err)
	}
	app.Settings().RateLimits.Enabled = false
	guard.MustRegister(app, append(config, guard.Config{})[0])
	notes := core.NewBaseCollection("notes")
	notes.ListRule, notes.ViewRule = types.Pointer(""), types.Pointer("")
	notes.Fields.Add(&core.TextField{Name: "title"})
	if err := app.Save(notes); err != nil {
		t.Fatal(err)
	}
	for i, title := range []string{"路灯不亮", "噪音扰民"} {
		r := core.NewRecord(notes)
		r.Id = fmt.Sprintf("note%011d", i)
		r.Set("title", title)
		if err := app.Save(r); err != nil {
			t.Fatal(err)
		}
	}
	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		// a custom endpoint reading through a record query (PocketBase's deadline)
		e.Router.GET("/test/notes-count", func(e *core.RequestEvent) error {
			var n int
			if err := e.App.RecordQuery("notes").Select("COUNT(*)").Row(&n); err != nil {
				return err
			}
			return e.JSON(http.StatusOK, map[string]int{"n": n})
		})
		// a statement still running when its deadline passes: modernc
		// interrupts it (an endless recursive walk, as a scan of 1M rows)
		e.Router.GET("/test/endless", func(e *core.RequestEvent) error {
			ctx, cancel := context.WithTimeout(context.Background(), busyQueryTimeout)
			defer cancel()
			var n int
			err := e.App.DB().NewQuery("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT COUNT(*) FROM c").
				WithContext(ctx).Row(&n)
			return err
		})
		// a request error: a column that does not exist
		e.Router.GET("/test/bad-column", func(e *core.RequestEvent) error {
			var n int
			return e.App.RecordQuery("notes").Select("COUNT(nosuchcolumn)").Row(&n)
		})
		return e.Next()
	})
	return app
}

// holdReadPool leaves the app's read pool one connection and takes it, as
// 8 multi-second scans hold all 8 under load; release gives it back.
func holdReadPool(t testing.TB, app *tests.TestApp) (release func()) {
	db := app.ConcurrentDB().(*dbx.DB).DB()
	db.SetMaxOpenConns(1)
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return func() { conn.Close() }
}

// TestBusyAnswers: a request the database cannot serve within PocketBase's
// query deadline — PocketBase's own record list and view, the platform's
// endpoints — is answered 503 系统繁忙 with Retry-After, not PocketBase's
// 400 "Something went wrong while processing your request." (which tells
// the client its request was wrong); wrong requests still get their 400.
func TestBusyAnswers(t *testing.T) {
	busy := []string{`"status":503`, `"message":"系统繁忙，请稍后再试"`}
	scenarios := []struct {
		name     string
		url      string
		held     bool // every read connection taken for longer than the deadline
		status   int
		contains []string
		retry    string
	}{
		{"list, pool taken", "/api/collections/notes/records?filter=" + urlq(`title ~ "路灯"`), true, 503, busy, "10"},
		{"list with total, pool taken", "/api/collections/notes/records", true, 503, busy, "10"},
		{"view, pool taken", "/api/collections/notes/records/note00000000000", true, 503, busy, "10"},
		{"custom endpoint, pool taken", "/test/notes-count", true, 503, busy, "10"},
		{"statement interrupted at its deadline", "/test/endless", false, 503, busy, "10"},
		{"list, quiet", "/api/collections/notes/records?filter=" + urlq(`title ~ "路灯"`), false, 200, []string{`"totalItems":1`, "路灯不亮"}, ""},
		{"bad filter is still the request's fault", "/api/collections/notes/records?filter=" + urlq(`nosuch = 1`), false, 400, []string{`"status":400`}, ""},
		{"bad column is not busy", "/test/bad-column", false, 400, []string{`"status":400`}, ""},
		{"missing record is still 404", "/api/collections/notes/records/nosuchrecord000", false, 404, []string{`"status":404`}, ""},
	}
	for _, sc := range scenarios {
		var release func()
		s := tests.ApiScenario{
			Name:            sc.name,
			Method:          http.MethodGet,
			URL:             sc.url,
			ExpectedStatus:  sc.status,
			ExpectedContent: sc.contains,
			TestAppFactory:  func(t testing.TB) *tests.TestApp { return busyApp(t) },
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				if sc.held {
					release = holdReadPool(t, app)
				}
			},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				if release != nil {
					release()
				}
				if got := res.Header.Get("Retry-After"); got != sc.retry {
					t.Errorf("Retry-After %q, want %q", got, sc.retry)
				}
			},
		}
		s.Test(t)
	}
}

// TestBusyIntakeLeavesNothing: an intake whose transaction fails on a busy
// database (here: the timeline entry's insert passes its deadline, after
// the appeal's own insert) answers 503 系统繁忙 with Retry-After and leaves
// no appeal and no timeline entry behind; the same submission sent again
// once the database answers is stored once.
func TestBusyIntakeLeavesNothing(t *testing.T) {
	env := testenv.New(t)
	var busy atomic.Bool
	busy.Store(true)
	env.App.OnRecordCreateExecute("appeal_events").BindFunc(func(e *core.RecordEvent) error {
		if err := e.Next(); err != nil || !busy.Load() {
			return err
		}
		// as PocketBase's query deadline reports it (core/db_retry.go)
		return fmt.Errorf("%w; failed query: SELECT ...", context.DeadlineExceeded)
	})
	submit := func() *httptest.ResponseRecorder {
		sub := testenv.SampleSubmission()
		data, _ := json.Marshal(sub)
		req := httptest.NewRequest("POST", "/api/appeals", strings.NewReader(string(data)))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		env.Handler(t).ServeHTTP(rec, req)
		return rec
	}
	rec := submit()
	if rec.Code != 503 || !strings.Contains(rec.Body.String(), "系统繁忙，请稍后再试") || rec.Header().Get("Retry-After") != "10" {
		t.Fatalf("busy intake: %d %s Retry-After=%q", rec.Code, rec.Body.String(), rec.Header().Get("Retry-After"))
	}
	for _, c := range []string{"appeals", "appeal_events"} {
		if n, _ := env.App.CountRecords(c); n != 0 {
			t.Errorf("%d %s stored by a failed intake", n, c)
		}
	}
	busy.Store(false)
	if rec := submit(); rec.Code != 201 {
		t.Fatalf("intake once the database answers: %d %s", rec.Code, rec.Body.String())
	}
	if n, _ := env.App.CountRecords("appeals"); n != 1 {
		t.Errorf("%d appeals after one successful intake", n)
	}
}

func urlq(s string) string { return url.QueryEscape(s) }

// TestBusyLookupsAreNotGuesses: a query-code lookup answered "not found"
// because the database was busy (as PocketBase's record view answers its
// query deadline) is answered 503 and does not count toward the lockout;
// ordinary 404s still lock after 10.
func TestBusyLookupsAreNotGuesses(t *testing.T) {
	app := busyApp(t)
	defer app.Cleanup()
	var busy bool
	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		e.Router.POST("/api/track", func(e *core.RequestEvent) error {
			if busy {
				return e.NotFoundError("", fmt.Errorf("%w; failed query: SELECT ...", context.DeadlineExceeded))
			}
			return e.NotFoundError("", nil)
		})
		return e.Next()
	})
	router, err := apis.NewRouter(app)
	if err != nil {
		t.Fatal(err)
	}
	if err := app.OnServe().Trigger(&core.ServeEvent{App: app, Router: router}, func(e *core.ServeEvent) error { return nil }); err != nil {
		t.Fatal(err)
	}
	mux, err := router.BuildMux()
	if err != nil {
		t.Fatal(err)
	}
	track := func() int {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("POST", "/api/track", strings.NewReader(`{"ticket":"SY2611270001","query_code":"ABCDEF"}`))
		req.Header.Set("Content-Type", "application/json")
		mux.ServeHTTP(rec, req)
		return rec.Code
	}
	busy = true
	for i := 0; i < 15; i++ {
		if code := track(); code != 503 {
			t.Fatalf("busy lookup %d: %d, want 503", i+1, code)
		}
	}
	busy = false
	for i := 0; i < 10; i++ {
		if code := track(); code != 404 {
			t.Fatalf("wrong code %d: %d, want 404 (busy answers must not have counted)", i+1, code)
		}
	}
	if code := track(); code != 429 {
		t.Errorf("11th wrong code: %d, want 429", code)
	}
}
