package portal_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"siyang/internal/testenv"
	"siyang/plugins/workflow"
)

func TestSimilar(t *testing.T) {
	env := testenv.New(t)
	faq := env.Save(t, "knowledge", map[string]any{
		"question": "居住证怎么办理？需要什么材料？",
		"answer":   "携带身份证和居住证明到居住地派出所办理，咨询电话 0527-85000000。",
		"keywords": "居住证 暂住证 流动人口", "public": true,
	})
	internal := env.Save(t, "knowledge", map[string]any{
		"question": "居住证系统维护期间如何处理", "answer": "内部口径：先登记后补录。", "public": false,
	})
	answered := env.Reach(t, workflow.Closed) // 幸福小区门口路灯不亮, by 李四 13912345678
	open := env.ReachWith(t, workflow.Handling, withTitle("幸福小区门口路灯又不亮了", nil))
	secret := env.ReachWith(t, workflow.Closed, withTitle("幸福小区门口路灯不亮（保密）", func(s *workflow.Submission) { s.Confidential = true }))
	private := env.ReachWith(t, workflow.Closed, withTitle("幸福小区门口路灯不亮（不公开）", func(s *workflow.Submission) { s.PublicConsent = false }))
	others := []string{internal.Id, open.Id, secret.Id, private.Id, "保密", "不公开"}
	contact := []string{"13912345678", "李四", "contact", "query_code"}

	similar := func(q string) string { return "/api/portal/similar?q=" + url.QueryEscape(q) }
	runScenarios(t, env, []tests.ApiScenario{
		{
			Name: "a street light question finds the answered public appeal", Method: http.MethodGet,
			URL: similar("我家小区门口的路灯不亮了，怎么办？"), ExpectedStatus: 200,
			ExpectedContent: []string{
				`"source":"appeal"`, `"id":"` + answered.Id + `"`, `"ticket":"` + answered.GetString("ticket") + `"`,
				`"answer":"经现场核查，路灯线路老化，已于今日更换完毕。"`, "我是李*，电话139****5678",
			},
			NotExpectedContent: append(append([]string{faq.Id}, others...), contact...),
		},
		{
			Name: "a residence permit question finds the knowledge entry first", Method: http.MethodGet,
			URL: similar("请问办理居住证要带哪些材料"), ExpectedStatus: 200,
			ExpectedContent: []string{
				`{"items":[{"source":"knowledge","id":"` + faq.Id + `","ticket":"","title":"居住证怎么办理？需要什么材料？","content":"","answer":"携带身份证`,
			},
			NotExpectedContent: append([]string{answered.Id}, others...),
		},
		{
			Name: "keywords count: 暂住证 is the old name", Method: http.MethodGet,
			URL: similar("暂住证"), ExpectedStatus: 200, ExpectedContent: []string{faq.Id},
		},
		{
			Name: "non-public knowledge is never offered", Method: http.MethodGet,
			URL: similar("居住证系统维护期间如何处理"), ExpectedStatus: 200,
			NotExpectedContent: []string{internal.Id, "内部口径"},
		},
		{
			Name: "an empty question", Method: http.MethodGet, URL: "/api/portal/similar",
			ExpectedStatus: 200, ExpectedContent: []string{`{"items":[]}`},
		},
		{
			Name: "a question too short to compare", Method: http.MethodGet, URL: similar("路灯"),
			ExpectedStatus: 200, ExpectedContent: []string{`{"items":[]}`},
		},
		{
			Name: "punctuation only", Method: http.MethodGet, URL: similar("？？！！。。"),
			ExpectedStatus: 200, ExpectedContent: []string{`{"items":[]}`},
		},
		{
			Name: "a long draft is compared by its first 500 characters", Method: http.MethodGet,
			URL: similar("小区门口路灯不亮" + strings.Repeat("很久了", 300)), ExpectedStatus: 200,
			ExpectedContent: []string{`"items":[`},
		},
		{
			Name: "nothing alike", Method: http.MethodGet, URL: similar("医保卡丢失补办流程"),
			ExpectedStatus: 200, ExpectedContent: []string{`{"items":[]}`},
		},
	})
}

func withTitle(title string, change func(*workflow.Submission)) workflow.Submission {
	s := testenv.SampleSubmission()
	s.Title = title
	if change != nil {
		change(&s)
	}
	return s
}

// TestKnowledgeHits: residents' views are counted, staff views and
// editors' saves leave the count alone.
func TestKnowledgeHits(t *testing.T) {
	env := testenv.New(t)
	k := env.Save(t, "knowledge", map[string]any{"question": "公积金怎么提取？", "answer": "携带身份证到公积金中心办理。", "public": true})
	view := "/api/collections/knowledge/records/" + k.Id
	env.Call(t, "GET", view, nil, nil)
	env.Call(t, "GET", view, nil, env.Resident)
	env.Call(t, "GET", view, nil, env.Operator)
	if res := env.Call(t, "PATCH", view, map[string]any{"answer": "携带身份证和银行卡到公积金中心办理。", "hits": 999}, env.Operator); res.Status != 200 {
		t.Fatalf("edit: %d %s", res.Status, res.Body)
	}
	r, _ := env.App.FindRecordById("knowledge", k.Id)
	if r.GetInt("hits") != 2 {
		t.Errorf("hits = %d, want 2", r.GetInt("hits"))
	}
	if res := env.Call(t, "PATCH", view, map[string]any{"answer": "改"}, env.HandlerA); res.Status != 404 {
		t.Errorf("a handler edits knowledge: %d", res.Status)
	}
}
