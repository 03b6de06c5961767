package replyquality

import (
	"strings"
	"testing"
	"time"
)

const lampTitle = "幸福小区北门路灯不亮"
const lampAppeal = "幸福小区北门的路灯已经坏了一个月，晚上出行很不安全。请问什么时候能修好？小区门口的下水道也堵了，能否一并疏通？"

func score(reply string) Result {
	return Score(Input{Title: lampTitle, Appeal: lampAppeal, Reply: reply})
}

func hasFlag(r Result, part string) bool {
	for _, f := range r.Flags {
		if strings.Contains(f, part) {
			return true
		}
	}
	return false
}

func TestPassingItOnIsFlaggedPerfunctory(t *testing.T) {
	r := score("您好！您反映的问题已收悉，已转交相关部门处理。感谢您对我们工作的支持！")
	if !r.Perfunctory || r.Score > PerfunctoryCap || r.Level != "差" {
		t.Fatalf("got %+v", r)
	}
	if !hasFlag(r, "只说「已转交相关部门」") {
		t.Errorf("flags %v should quote the formula", r.Flags)
	}
}

func TestStudyingWithoutActionIsPerfunctory(t *testing.T) {
	r := score("您好！关于幸福小区北门路灯不亮的问题，我局高度重视，正在研究解决方案，请耐心等待。")
	if !r.Perfunctory {
		t.Fatalf("got %+v", r)
	}
	if !hasFlag(r, "未给出办理时间") || !hasFlag(r, "未说明已经采取或将要采取的具体措施") {
		t.Errorf("flags %v", r.Flags)
	}
}

func TestGreetingAndClosingAreNotSubstance(t *testing.T) {
	r := score("网友：您好！您的留言已收悉。感谢您对我们工作的关心和支持！如有疑问请致电 0527-85000000。特此答复。")
	if r.Substance != 0 || !r.Perfunctory || !hasFlag(r, "答复正文过短") {
		t.Fatalf("got substance %d, %+v", r.Substance, r)
	}
}

func TestConcreteExplainedReplyScoresWell(t *testing.T) {
	r := score("您好！经现场核查，幸福小区北门路灯因线路老化损坏。根据《城市照明管理规定》，我局已于11月20日更换线路和灯具，" +
		"北门路灯已恢复照明。小区门口下水道堵塞的问题，我局已安排疏通，将于11月25日前完成。感谢您的监督！")
	if r.Perfunctory || r.Score < 80 || r.Level != "优" {
		t.Fatalf("got %d %s %v", r.Score, r.Level, r.Flags)
	}
	if s := r.Criteria["explained"].Score; s == nil || *s != 1 {
		t.Errorf("explained %v, want 1 (a rule and an inspection)", s)
	}
	if s := r.Criteria["specific"].Score; s == nil || *s != 1 {
		t.Errorf("specific %v, want 1", s)
	}
	if len(r.Asks) != 2 || !r.Asks[0].Addressed || !r.Asks[1].Addressed {
		t.Errorf("asks %+v", r.Asks)
	}
}

func TestUnansweredQuestionIsNamed(t *testing.T) {
	r := score("经现场核查，幸福小区北门路灯线路老化，我局已于11月20日更换灯具，路灯已恢复照明。")
	c := r.Criteria["complete"]
	if c.Score == nil || *c.Score != 0.5 {
		t.Fatalf("complete %v, want 0.5 (the 下水道 question is not answered); asks %+v", c.Score, r.Asks)
	}
	if !hasFlag(r, "下水道") {
		t.Errorf("flags %v should quote the open question", r.Flags)
	}
}

func TestOffTopicReplyIsNotRelevant(t *testing.T) {
	r := score("经调查，您反映的养老保险缴费问题，根据《社会保险法》规定，已于11月20日为您补缴。")
	if s := r.Criteria["relevant"].Score; s == nil || *s >= 0.5 {
		t.Fatalf("relevant %v", s)
	}
	if !hasFlag(r, "关联度低") {
		t.Errorf("flags %v", r.Flags)
	}
}

func TestTimeliness(t *testing.T) {
	asked := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	reply := "经现场核查，北门路灯线路老化，已于当日更换，路灯已恢复照明，下水道已疏通。"
	onTime := Score(Input{Title: lampTitle, Appeal: lampAppeal, Reply: reply, AskedAt: asked, RepliedAt: asked.AddDate(0, 0, 3), Due: asked.AddDate(0, 0, 7)})
	if s := onTime.Criteria["timely"].Score; s == nil || *s != 1 {
		t.Errorf("on time: %v", s)
	}
	late := Score(Input{Title: lampTitle, Appeal: lampAppeal, Reply: reply, AskedAt: asked, RepliedAt: asked.AddDate(0, 0, 10), Due: asked.AddDate(0, 0, 7)})
	if s := late.Criteria["timely"].Score; s == nil || *s >= 0.5 || !hasFlag(late, "超过办理期限 3 天") {
		t.Errorf("late: %v %v", s, late.Flags)
	}
	noDates := Score(Input{Title: lampTitle, Appeal: lampAppeal, Reply: reply})
	if noDates.Criteria["timely"].Score != nil {
		t.Errorf("without dates timeliness cannot be judged")
	}
	old := Score(Input{Title: lampTitle, Appeal: lampAppeal, Reply: reply, AskedAt: asked, RepliedAt: asked.AddDate(0, 0, 40)})
	if s := old.Criteria["timely"].Score; s == nil || *s != 0.25 || !hasFlag(old, "答复用时 40 天") {
		t.Errorf("40 days: %v %v", s, old.Flags)
	}
}
