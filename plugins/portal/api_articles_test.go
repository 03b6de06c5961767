package portal_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/types"

	"siyang/internal/testenv"
)

// The access rules compare published_at with the database's real clock
// (@now), so these fixtures are dated relative to the real time.
func realTime(d time.Duration) types.DateTime {
	dt, _ := types.ParseDateTime(time.Now().Add(d).UTC())
	return dt
}

func TestArticleVisibility(t *testing.T) {
	env := testenv.New(t)
	published := env.Save(t, "articles", map[string]any{
		"title": "关于调整公交线路的通知", "kind": "notice", "status": "published", "published_at": realTime(-time.Hour),
		"body": "<p>自12月1日起……</p>", "department": env.DeptB.Id,
	})
	draft := env.Save(t, "articles", map[string]any{"title": "草稿：供暖方案", "kind": "policy", "status": "draft"})
	future := env.Save(t, "articles", map[string]any{
		"title": "明日发布：招生政策解读", "kind": "interpretation", "status": "published", "published_at": realTime(48 * time.Hour),
	})
	list := "/api/collections/articles/records?sort=-published_at"
	xss := `<p onclick="alert(1)">正文</p><script>alert(1)</script><iframe src="https://evil.example"></iframe><a href="javascript:alert(1)">链接</a>`

	runScenarios(t, env, []tests.ApiScenario{
		{
			Name: "the public lists only what is published and due", Method: http.MethodGet, URL: list,
			ExpectedStatus:     200,
			ExpectedContent:    []string{published.Id, "关于调整公交线路的通知", `"totalItems":1`},
			NotExpectedContent: []string{draft.Id, future.Id},
		},
		{
			Name: "a draft is hidden from the public", Method: http.MethodGet,
			URL: "/api/collections/articles/records/" + draft.Id, ExpectedStatus: 404, ExpectedContent: []string{`"data":{}`},
		},
		{
			Name: "a future article is hidden from the public", Method: http.MethodGet,
			URL: "/api/collections/articles/records/" + future.Id, ExpectedStatus: 404, ExpectedContent: []string{`"data":{}`},
		},
		{
			Name: "a resident account sees what the public sees", Method: http.MethodGet, URL: list,
			Headers: auth(t, env.Resident), ExpectedStatus: 200,
			ExpectedContent: []string{published.Id}, NotExpectedContent: []string{draft.Id, future.Id},
		},
		{
			Name: "staff see drafts and scheduled articles", Method: http.MethodGet, URL: list,
			Headers: auth(t, env.HandlerC), ExpectedStatus: 200,
			ExpectedContent: []string{published.Id, draft.Id, future.Id, `"totalItems":3`},
		},
		{
			Name: "an operator publishes; the body is sanitised on save", Method: http.MethodPost,
			URL: "/api/collections/articles/records", Headers: auth(t, env.Operator),
			Body:               strings.NewReader(`{"title":"县政府工作动态","kind":"news","status":"published","body":` + jsonString(xss) + `}`),
			ExpectedStatus:     200,
			ExpectedContent:    []string{`"body":"<p>正文</p>链接"`, `"published_at":"2026-11-25 01:00:00.000Z"`},
			NotExpectedContent: []string{"script", "onclick", "iframe", "javascript"},
		},
		{
			Name: "an operator's edit is sanitised too", Method: http.MethodPatch,
			URL: "/api/collections/articles/records/" + draft.Id, Headers: auth(t, env.Operator),
			Body:               strings.NewReader(`{"body":` + jsonString(`<p style="color:red">方案</p><img src=x onerror=alert(1)>`) + `}`),
			ExpectedStatus:     200,
			ExpectedContent:    []string{`"body":"<p>方案</p><img src=\"x\">"`},
			NotExpectedContent: []string{"onerror", "style"},
		},
		{
			Name: "a handler may not publish", Method: http.MethodPost,
			URL: "/api/collections/articles/records", Headers: auth(t, env.HandlerA),
			Body:           strings.NewReader(`{"title":"自行发布","kind":"news","status":"published"}`),
			ExpectedStatus: 400, ExpectedContent: []string{"Failed to create record."},
		},
		{
			Name: "a guest may not publish", Method: http.MethodPost, URL: "/api/collections/articles/records",
			Body:           strings.NewReader(`{"title":"自行发布","kind":"news","status":"published"}`),
			ExpectedStatus: 400, ExpectedContent: []string{"Failed to create record."},
		},
	})

	// what is stored is what was shown: sanitised, also for Go saves
	stored := env.Save(t, "articles", map[string]any{"title": "后台保存", "kind": "guide", "status": "draft", "body": xss})
	if got := stored.GetString("body"); got != `<p>正文</p>链接` {
		t.Errorf("body saved from Go = %q", got)
	}
}
