package workflow_test

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"siyang/internal/testenv"
	"siyang/plugins/workflow"
)

// everyTopic answers the realtime topics a client can ask for: every
// collection of the app as "name/*" and the older "name" form, the given
// records by id, and the wildcard topics of the case's collections once more
// with an expand back to the case (the rules of the expanded collection
// must hold too).
func everyTopic(t *testing.T, env *testenv.Env, records ...string) []string {
	t.Helper()
	collections, err := env.App.FindAllCollections()
	if err != nil {
		t.Fatal(err)
	}
	var topics []string
	for _, c := range collections {
		topics = append(topics, c.Name+"/*", c.Name)
	}
	for _, r := range records {
		topics = append(topics, r)
	}
	expand := "?options=" + url.QueryEscape(`{"query":{"expand":"appeal,appeal.lead_department"}}`)
	for _, c := range []string{"assignments", "appeal_events", "replies", "extensions", "callbacks", "outbox"} {
		topics = append(topics, c+"/*"+expand)
	}
	topics = append(topics, "departments/*?options="+url.QueryEscape(`{"query":{"expand":"appeals_via_lead_department"}}`))
	return topics
}

// TestRealtimeDepartmentIsolation: a handler of department B, subscribed to
// every topic it may ask for, receives nothing while department A works a
// case through the whole loop (extension, suspension, supplement, 催办,
// 退回重办, an unsatisfied rating and 重办, contact reveals); A's handler and
// the operator receive the case's changes, and no message to anyone carries
// a contact field or the resident's name or phone.
func TestRealtimeDepartmentIsolation(t *testing.T) {
	env := testenv.New(t)
	server := httptest.NewServer(env.Handler(t))
	t.Cleanup(func() { server.CloseClientConnections(); server.Close() })

	sub := testenv.SampleSubmission()
	sub.Content = "幸福小区北门路灯已经坏了一个月，晚上出行很不安全，请尽快修复。" // no contact data in the text
	appeal, code := env.Submit(t, sub)
	ticket := appeal.GetString("ticket")

	b := testenv.Subscribe(t, nil, server.URL, env.HandlerB, everyTopic(t, env, "appeals/"+appeal.Id, "sy_appeals/"+appeal.Id)...)
	defer b.Close()
	lead := testenv.Subscribe(t, nil, server.URL, env.HandlerA, "appeals/*", "assignments/*", "appeal_events/*", "replies/*", "extensions/*")
	defer lead.Close()
	operator := testenv.Subscribe(t, nil, server.URL, env.Operator, "appeals/*", "assignments/*", "appeal_events/*", "replies/*", "extensions/*", "callbacks/*")
	defer operator.Close()

	do := func(action string, actor workflow.Actor, in workflow.Input) {
		t.Helper()
		if _, err := env.Engine.Perform(env.App, workflow.Request{Appeal: appeal.Id, Action: action, Actor: actor, Input: in}); err != nil {
			t.Fatalf("%s: %v", action, err)
		}
	}
	handlerA, op, resident := workflow.ActorFromAuth(env.HandlerA), workflow.ActorFromAuth(env.Operator), workflow.Actor{QueryCode: code}
	yes, no := true, false
	reply := workflow.Input{Content: "经现场核查，路灯线路老化，已于今日更换完毕，请您监督。"}
	do("accept", op, workflow.Input{})
	do("dispatch", op, workflow.Input{Department: env.DeptA.Id})
	do("sign", handlerA, workflow.Input{})
	for _, who := range []string{"handler", "operator"} { // each reveal writes an audit row
		reader := env.HandlerA
		if who == "operator" {
			reader = env.Operator
		}
		if res := env.Call(t, "GET", "/api/appeals/"+appeal.Id+"/contact", nil, reader); res.Status != 200 {
			t.Fatalf("contact as %s: %d %s", who, res.Status, res.Body)
		}
	}
	do("request_extension", handlerA, workflow.Input{Days: 2, Note: "需协调供电公司停电检修"})
	do("approve_extension", op, workflow.Input{})
	do("supplement", resident, workflow.Input{Content: "补充：南门路灯也不亮。"})
	do("urge", op, workflow.Input{Note: "请加快办理"})
	do("request_suspension", handlerA, workflow.Input{Note: "等待供电公司排期"})
	do("approve_suspension", op, workflow.Input{})
	do("resume", handlerA, workflow.Input{})
	do("reply", handlerA, reply)
	do("send_back", op, workflow.Input{Note: "请补充南门路灯的处理情况"})
	do("reply", handlerA, reply)
	do("approve_reply", op, workflow.Input{})
	do("rate", op, workflow.Input{Satisfaction: "dissatisfied", Resolved: &no})
	do("reply", handlerA, reply)
	do("approve_reply", op, workflow.Input{})
	do("rate", op, workflow.Input{Satisfaction: "satisfied", Resolved: &yes})

	if got := b.Drain(700 * time.Millisecond); len(got) > 0 {
		for _, m := range got {
			t.Errorf("department B received a realtime message: %s", clip(m))
		}
	}
	for who, c := range map[string]*testenv.SSEClient{"lead department": lead, "operator": operator} {
		got := c.Drain(200 * time.Millisecond)
		if len(got) == 0 {
			t.Errorf("%s received no realtime messages", who)
		}
		seenTicket := false
		for _, m := range got {
			seenTicket = seenTicket || strings.Contains(m, ticket)
			for _, leak := range []string{"contact_phone", "contact_name", "query_code_hash", "13912345678", "李四"} {
				if strings.Contains(m, leak) {
					t.Errorf("%s received %q in %s", who, leak, clip(m))
				}
			}
		}
		if !seenTicket {
			t.Errorf("%s never received the case itself", who)
		}
	}
}

// TestDepartmentKeepsSightOfItsEndedTasksOnly: after 退单 the department
// still lists its own returned task (so its open workbenches can drop the
// case), but neither the case nor, through an expand, any of its text;
// other departments see nothing.
func TestDepartmentKeepsSightOfItsEndedTasksOnly(t *testing.T) {
	env := testenv.New(t)
	a := env.Reach(t, workflow.Dispatched) // A leads, B assists
	env.Do(t, a, "return", env.HandlerA, workflow.Input{Note: "路灯归供电公司管理，不属于本单位职责"})

	res := env.Call(t, "GET", "/api/collections/assignments/records?expand=appeal&filter="+url.QueryEscape(`appeal="`+a.Id+`"`), nil, env.HandlerA)
	if res.Status != 200 || !strings.Contains(res.Body, `"status":"returned"`) {
		t.Fatalf("handler A does not see its returned task: %d %s", res.Status, res.Body)
	}
	if strings.Contains(res.Body, a.GetString("title")) || strings.Contains(res.Body, `"expand":{"appeal"`) {
		t.Errorf("the returned task expands to the case: %s", res.Body)
	}
	if res := env.Call(t, "GET", "/api/collections/appeals/records/"+a.Id, nil, env.HandlerA); res.Status != 404 {
		t.Errorf("handler A still views the returned case: %d", res.Status)
	}
	// B's assisting task was cancelled with the return: B sees its own
	// cancelled task, C sees no task at all.
	res = env.Call(t, "GET", "/api/collections/assignments/records?filter="+url.QueryEscape(`appeal="`+a.Id+`"`), nil, env.HandlerB)
	if !strings.Contains(res.Body, `"status":"cancelled"`) || strings.Contains(res.Body, `"status":"returned"`) {
		t.Errorf("handler B should see only its own cancelled task: %s", res.Body)
	}
	res = env.Call(t, "GET", "/api/collections/assignments/records?filter="+url.QueryEscape(`appeal="`+a.Id+`"`), nil, env.HandlerC)
	if strings.Contains(res.Body, a.Id) {
		t.Errorf("handler C sees another department's tasks: %s", res.Body)
	}
}

func clip(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}
