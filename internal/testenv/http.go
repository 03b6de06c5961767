package testenv

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
)

// Handler answers HTTP requests with the app's full router (PocketBase's
// routes plus every plugin's). It is built once per Env: tests.ApiScenario
// builds a new router for each scenario and so needs a new app each time,
// which is too slow for the generated workflow matrix.
func (env *Env) Handler(t testing.TB) http.Handler {
	t.Helper()
	if env.handler != nil {
		return env.handler
	}
	router, err := apis.NewRouter(env.App)
	if err != nil {
		t.Fatal(err)
	}
	serveEvent := &core.ServeEvent{App: env.App, Router: router}
	err = env.App.OnServe().Trigger(serveEvent, func(e *core.ServeEvent) error {
		mux, err := e.Router.BuildMux()
		env.handler = mux
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return env.handler
}

// Response is a recorded answer.
type Response struct {
	Status int
	Body   string
}

// JSON decodes the body into v.
func (r Response) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.Body), v); err != nil {
		t.Fatalf("decode %q: %v", r.Body, err)
	}
}

// Call sends one request; body may be a string, []byte, io.Reader or a
// value to encode as JSON; as is the record to authenticate as (nil: guest).
func (env *Env) Call(t testing.TB, method, url string, body any, as *core.Record, headers ...string) Response {
	t.Helper()
	var reader io.Reader
	contentType := "application/json"
	switch b := body.(type) {
	case nil:
	case string:
		reader = strings.NewReader(b)
	case []byte:
		reader = strings.NewReader(string(b))
	case io.Reader:
		reader = b
	default:
		data, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		reader = strings.NewReader(string(data))
	}
	req := httptest.NewRequest(method, url, reader)
	req.Header.Set("Content-Type", contentType)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	if as != nil {
		req.Header.Set("Authorization", Token(t, as))
	}
	rec := httptest.NewRecorder()
	env.Handler(t).ServeHTTP(rec, req)
	return Response{Status: rec.Code, Body: rec.Body.String()}
}
