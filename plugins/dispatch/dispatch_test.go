package dispatch_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"

	"siyang/internal/testenv"
	"siyang/plugins/dispatch"
	"siyang/plugins/workflow"
)

func submit(t *testing.T, env *testenv.Env, title, content string, change ...func(*workflow.Submission)) *testenv.Appeal {
	t.Helper()
	sub := testenv.SampleSubmission()
	sub.Title, sub.Content, sub.Address = title, content, ""
	for _, c := range change {
		c(&sub)
	}
	a, _ := env.Submit(t, sub)
	return &testenv.Appeal{Record: a}
}

// TestRulesMatchInOrderAndExplain: the first matching active rule wins,
// and the explanation names the conditions that held.
func TestRulesMatchInOrderAndExplain(t *testing.T) {
	env := testenv.New(t)
	urban := category(t, env, "urban")
	rule(t, env, map[string]any{"name": "停用规则", "sort": 1, "active": false, "keywords": "路灯", "lead_department": env.DeptC.Id})
	rule(t, env, map[string]any{"name": "路灯归住建", "sort": 10, "keywords": "路灯，ＬＥＤ灯", "categories": []string{urban.Id}, "lead_department": env.DeptA.Id, "assisting_departments": []string{env.DeptB.Id}})
	rule(t, env, map[string]any{"name": "城建兜底", "sort": 20, "categories": []string{urban.Id}, "lead_department": env.DeptB.Id})

	a := submit(t, env, "小区LED灯不亮", "幸福小区门口的led灯坏了一个月。", func(s *workflow.Submission) { s.Category = urban.Id }).Reload(t, env)
	if a.GetString("suggested_department") != env.DeptA.Id || len(a.GetStringSlice("suggested_assisting")) != 1 {
		t.Errorf("first matching rule not applied: %v", a.GetString("suggested_department"))
	}
	res := env.Call(t, "GET", "/api/dispatch/suggest/"+a.Id, nil, env.Operator)
	if res.Status != 200 || !strings.Contains(res.Body, "规则「路灯归住建」匹配：分类「城乡建设」、关键词「ＬＥＤ灯」") {
		t.Errorf("explanation: %d %s", res.Status, res.Body)
	}
	b := submit(t, env, "小区道路破损", "小区内道路坑洼不平。", func(s *workflow.Submission) { s.Category = urban.Id }).Reload(t, env)
	if b.GetString("suggested_department") != env.DeptB.Id {
		t.Errorf("second rule not applied to a case without the keyword")
	}
	if res := env.Call(t, "GET", "/api/dispatch/suggest/"+a.Id, nil, env.HandlerA); res.Status != 403 {
		t.Errorf("handlers read dispatch suggestions: %d", res.Status)
	}
}

// TestTownshipRoutingIsFlagged: 国办函〔2025〕66号 — a functional
// department's work must not be routed down to a township.
func TestTownshipRoutingIsFlagged(t *testing.T) {
	env := testenv.New(t)
	urban := category(t, env, "urban")
	urban.Set("default_department", env.DeptA.Id) // 职能部门
	if err := env.App.Save(urban); err != nil {
		t.Fatal(err)
	}
	region := env.Save(t, "regions", map[string]any{"name": "测试镇", "code": "ts", "kind": "乡镇", "department": env.DeptC.Id})
	bad := rule(t, env, map[string]any{"name": "城建下沉乡镇", "sort": 1, "categories": []string{urban.Id}, "regions": []string{region.Id}, "lead_department": env.DeptC.Id})
	if !bad.GetBool("flagged") || !strings.Contains(bad.GetString("flag_reason"), "「城乡建设」属于测试住建局的职责") {
		t.Errorf("functional work sent to a township not flagged: %v %q", bad.GetBool("flagged"), bad.GetString("flag_reason"))
	}
	local := rule(t, env, map[string]any{"name": "本镇农村事务", "sort": 2, "categories": []string{category(t, env, "agriculture").Id}, "regions": []string{region.Id}, "lead_department": env.DeptC.Id})
	if local.GetBool("flagged") {
		t.Errorf("a township's own work flagged: %q", local.GetString("flag_reason"))
	}
	county := rule(t, env, map[string]any{"name": "全县都派给一个镇", "sort": 3, "keywords": "秸秆", "lead_department": env.DeptC.Id})
	if !county.GetBool("flagged") {
		t.Errorf("county-wide rule to a township not flagged")
	}
}

// TestUrgencyAndEmotionFlags raise the case and explain why.
func TestUrgencyAndEmotionFlags(t *testing.T) {
	env := testenv.New(t)
	for _, c := range []struct {
		text            string
		urgent, emotion bool
		reason          string
	}{
		{"楼下饭店厨房着火了，浓烟很大", true, false, "119 火警"},
		{"单元门口闻到煤气味，很担心燃气泄漏", true, false, "119 燃气泄漏"},
		{"有人在小区门口持刀打架", true, false, "110 治安"},
		{"邻居老人晕倒在楼道里", true, false, "120 急救"},
		{"请问小区消防通道怎么设置可以防止着火", false, false, ""},
		{"反映了三次都没人管，忍无可忍！！！", false, true, ""},
		{"建议增加公交班次", false, false, ""},
	} {
		a := submit(t, env, "紧急情况反映", c.text+"，请尽快处理。").Reload(t, env)
		if a.GetBool("urgent_flag") != c.urgent || a.GetBool("emotion_flag") != c.emotion {
			t.Errorf("%q: urgent %v emotion %v", c.text, a.GetBool("urgent_flag"), a.GetBool("emotion_flag"))
		}
		if c.reason != "" && !strings.Contains(a.GetString("urgency_reasons"), c.reason) {
			t.Errorf("%q: reasons %q", c.text, a.GetString("urgency_reasons"))
		}
	}
	// urgent cases lead the review queue
	list, err := env.App.FindRecordsByFilter("appeals", "status = 'submitted'", "-urgent_flag,created", 1, 0)
	if err != nil || !list[0].GetBool("urgent_flag") {
		t.Errorf("review queue does not start with an urgent case")
	}
}

// TestDuplicateCandidates: the same problem at the same place is offered
// for 并单; another problem, or the same words elsewhere, is not.
func TestDuplicateCandidates(t *testing.T) {
	env := testenv.New(t)
	first := submit(t, env, "幸福小区北门路灯不亮", "幸福小区北门的路灯坏了一个月，晚上很黑。", func(s *workflow.Submission) { s.Address = "众兴街道幸福小区北门" })
	same := submit(t, env, "幸福小区北门路灯坏了", "幸福小区北门路灯坏了一个多月了，晚上很黑不安全。", func(s *workflow.Submission) { s.Address = "众兴街道幸福小区北门口" }).Reload(t, env)
	other := submit(t, env, "学校门口早高峰拥堵", "实验小学门口早上接送孩子车辆拥堵严重。", func(s *workflow.Submission) { s.Address = "实验小学" }).Reload(t, env)
	elsewhere := submit(t, env, "幸福小区北门路灯不亮", "幸福小区北门的路灯坏了一个月，晚上很黑。", func(s *workflow.Submission) { s.Address = "王集镇王集村村部" }).Reload(t, env)

	res := env.Call(t, "GET", "/api/dispatch/suggest/"+same.Id, nil, env.Operator)
	if !strings.Contains(res.Body, first.Id) || !strings.Contains(res.Body, `"same_place":true`) {
		t.Errorf("duplicate not offered: %s", res.Body)
	}
	if n := len(other.GetStringSlice("duplicate_candidates")); n != 0 {
		t.Errorf("a different problem offered %d duplicates", n)
	}
	for _, d := range elsewhere.GetStringSlice("duplicate_candidates") {
		res := env.Call(t, "GET", "/api/dispatch/suggest/"+elsewhere.Id, nil, env.Operator)
		if strings.Contains(res.Body, `"same_place":true`) {
			t.Errorf("another place counted as the same place: %s (%s)", res.Body, d)
		}
	}
	// the operator merges on the suggestion
	env.Do(t, same.Record, "merge", env.Operator, workflow.Input{Target: first.GetString("ticket")})
}

// TestClassifierTrainsFromHistoryAndSurvivesRestart.
func TestClassifierTrainsFromHistoryAndSurvivesRestart(t *testing.T) {
	env := testenv.New(t)
	seedHistory(t, env)
	trained, n, err := env.Dispatch.Retrain(false)
	if err != nil || !trained || n != 36 {
		t.Fatalf("retrain: %v %d %v", trained, n, err)
	}
	if again, _, _ := env.Dispatch.Retrain(false); again {
		t.Errorf("retrained although nothing new was confirmed")
	}
	if _, err := os.Stat(filepath.Join(env.App.DataDir(), dispatch.ModelFile)); err != nil {
		t.Fatalf("model not stored: %v", err)
	}
	check := func(env *testenv.Env, label string) {
		a := submit(t, env, "公交车不按时发车", "这条线路的公交车经常晚点，等车很久。").Reload(t, env)
		if a.GetString("suggested_category") != category(t, env, "transport").Id || a.GetFloat("suggestion_confidence") <= 0.34 {
			t.Errorf("%s: suggested %q (%.2f)", label, a.GetString("suggested_category"), a.GetFloat("suggestion_confidence"))
		}
	}
	check(env, "after training")
	restarted := testenv.Reopen(t, env.App.DataDir())
	check(restarted, "after restart")
}

// TestAutoDispatchOnlyWhenAllowedAndUndoable.
func TestAutoDispatchOnlyWhenAllowedAndUndoable(t *testing.T) {
	env := testenv.New(t)
	seedHistory(t, env)
	if _, _, err := env.Dispatch.Retrain(true); err != nil {
		t.Fatal(err)
	}
	transport := category(t, env, "transport")
	rule(t, env, map[string]any{"name": "公交归交通", "sort": 1, "categories": []string{transport.Id}, "lead_department": env.DeptB.Id})
	text := "公交车经常不按时发车，等车很久"
	// the training history is open too: a township of their own keeps the
	// new cases from being offered as its duplicates (which stops auto-dispatch)
	town := env.Save(t, "regions", map[string]any{"name": "测试镇", "code": "ts", "kind": "乡镇"})
	inTown := func(s *workflow.Submission) { s.Region = town.Id }

	off := submit(t, env, "公交晚点", text, inTown).Reload(t, env)
	if off.GetString("status") != "submitted" {
		t.Fatalf("auto-dispatch while switched off: %s", off.GetString("status"))
	}

	transport.Set("auto_dispatch", true)
	transport.Set("auto_dispatch_confidence", 0.3)
	if err := env.App.Save(transport); err != nil {
		t.Fatal(err)
	}
	env.Do(t, off.Record, "reject", env.Operator, workflow.Input{Reason: "duplicate"})
	on := submit(t, env, "公交晚点严重", text+"，几乎每天如此", inTown).Reload(t, env)
	if on.GetString("status") != "dispatched" || on.GetString("lead_department") != env.DeptB.Id || !on.GetBool("auto_dispatched") {
		t.Fatalf("not auto-dispatched: %s %s", on.GetString("status"), on.GetString("lead_department"))
	}
	events, _ := env.App.FindRecordsByFilter("appeal_events", "appeal = {:a} && actor_role = 'system'", "created", 0, 0, dbx.Params{"a": on.Id})
	if len(events) != 2 || !strings.Contains(events[1].GetString("note"), "系统自动派单：规则「公交归交通」与分类器") {
		t.Errorf("auto-dispatch events: %d", len(events))
	}

	// the operator undoes it and dispatches by hand
	back := env.Do(t, on.Record, "revoke_dispatch", env.Operator, workflow.Input{Note: "应由属地处理"})
	if back.GetString("status") != "accepted" || back.GetBool("auto_dispatched") {
		t.Errorf("revoke: %s", back.GetString("status"))
	}
	env.Do(t, back, "dispatch", env.Operator, workflow.Input{Department: env.DeptC.Id})

	// urgent cases always wait for a person
	urgent := submit(t, env, "公交车起火", "公交车上冒烟着火了，"+text, func(s *workflow.Submission) { s.Region = town.Id; s.Content += "（另一辆）" }).Reload(t, env)
	if urgent.GetString("status") != "submitted" {
		t.Errorf("urgent case auto-dispatched")
	}
}

// TestEvalCommand runs `classify eval` on a small labelled CSV fixture.
func TestEvalCommand(t *testing.T) {
	env := testenv.New(t)
	dir := t.TempDir()
	var csv bytes.Buffer
	csv.WriteString("\ufeff一级标签,留言主题,留言详情\r\n")
	for code, texts := range trainingTexts {
		label := map[string]string{"urban": "城乡建设", "transport": "交通运输", "education": "教育文体"}[code]
		for _, tx := range texts {
			csv.WriteString(label + "," + tx + ",\"" + tx + "，请尽快处理\"\r\n")
		}
	}
	path := filepath.Join(dir, "labeled.csv")
	os.WriteFile(path, csv.Bytes(), 0o600)

	out, err := testenv.RunCommand(t, env, "classify", "eval", "--csv", path, "--folds", "3")
	if err != nil || !strings.Contains(out, "macro-F1") || !strings.Contains(out, "confusion") {
		t.Fatalf("eval: %v\n%s", err, out)
	}
	out, err = testenv.RunCommand(t, env, "classify", "eval", "--csv", path, "--test", path, "--json")
	if err != nil || !strings.Contains(out, `"macro_f1"`) {
		t.Fatalf("eval --test --json: %v\n%s", err, out)
	}
	out, err = testenv.RunCommand(t, env, "classify", "train", "--csv", path)
	if err != nil || !strings.Contains(out, "trained on 36 examples") {
		t.Fatalf("train: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(env.App.DataDir(), dispatch.ModelFile)); err != nil {
		t.Errorf("train did not store the model")
	}
}
