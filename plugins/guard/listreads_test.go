package guard_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"siyang/plugins/guard"
)

// TestListReadsTakeTurns: with one list turn, a record list that reaches
// the database while another still reads waits, then gets 503 系统繁忙 with
// Retry-After once its wait is over; a record view and the platform's own
// endpoints never wait for a list's turn; once the first list has answered,
// the next one reads.
func TestListReadsTakeTurns(t *testing.T) {
	app := busyApp(t, guard.Config{ListReads: 1, ListReadWait: 200 * time.Millisecond})
	defer app.Cleanup()
	entered, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	app.OnRecordsListRequest("notes").BindFunc(func(e *core.RecordsListRequestEvent) error {
		if strings.Contains(e.Request.URL.RawQuery, "slow") {
			once.Do(func() { close(entered) })
			<-release // a scan still running
		}
		return e.Next()
	})
	router, err := apis.NewRouter(app)
	if err != nil {
		t.Fatal(err)
	}
	serve := &core.ServeEvent{App: app, Router: router}
	if err := app.OnServe().Trigger(serve, func(e *core.ServeEvent) error { return nil }); err != nil {
		t.Fatal(err)
	}
	mux, err := router.BuildMux()
	if err != nil {
		t.Fatal(err)
	}
	get := func(path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		return rec
	}

	slow := make(chan *httptest.ResponseRecorder)
	go func() { slow <- get("/api/collections/notes/records?filter=" + urlq(`title != "slow"`)) }()
	<-entered

	rec := get("/api/collections/notes/records")
	if rec.Code != 503 || !strings.Contains(rec.Body.String(), "系统繁忙，请稍后再试") || rec.Header().Get("Retry-After") != "10" {
		t.Errorf("second list while the first reads: %d %s Retry-After=%q", rec.Code, rec.Body.String(), rec.Header().Get("Retry-After"))
	}
	for _, path := range []string{"/api/collections/notes/records/note00000000000", "/test/notes-count"} {
		if rec := get(path); rec.Code != 200 {
			t.Errorf("%s while a list reads: %d %s", path, rec.Code, rec.Body.String())
		}
	}

	close(release)
	if rec := <-slow; rec.Code != 200 {
		t.Errorf("the first list: %d %s", rec.Code, rec.Body.String())
	}
	if rec := get("/api/collections/notes/records"); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"totalItems":2`) {
		t.Errorf("a list after the first answered: %d %s", rec.Code, rec.Body.String())
	}
}
