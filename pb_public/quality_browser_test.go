package pbpublic_test

import (
	"strings"
	"testing"

	"siyang/internal/browser"
	"siyang/plugins/workflow"
)

// TestReplyQualityHints: while the handler writes a 答复 the workbench
// checks the draft and says why a perfunctory one is weak (形式主义, in
// words, in an aria-live region); a concrete reply is not flagged. The
// operator reviewing the sent reply sees its stored score and flags in the
// 答复审核 queue and in the case.
func TestReplyQualityHints(t *testing.T) {
	s := newSite(t)
	a := s.Reach(t, workflow.Handling)
	ticket := a.GetString("ticket")

	h := s.signIn(t, browser.Desktop, "workbench.html", s.HandlerA)
	h.Click(`#queue button[data-ticket="` + ticket + `"]`)
	h.WaitVisible(`form[data-action="reply"]`)
	if h.Eval(`document.getElementById("reply-quality").getAttribute("aria-live")`) != "polite" {
		t.Error("the quality hints are not announced (aria-live)")
	}
	area := `form[data-action="reply"] textarea[name="content"]`
	h.Fill(area, "已转交相关部门处理")
	h.WaitText("#reply-quality", "疑似形式主义答复")
	h.WaitText("#reply-quality", "已转交相关部门")
	h.WaitText("#reply-quality", "没有具体措施")
	h.Screenshot("1-perfunctory-draft")

	h.Fill(area, "您好！经现场核查，幸福小区北门路灯因线路老化损坏。根据《城市照明管理规定》，我局已于今日更换线路和灯具，"+
		"北门路灯已恢复照明，并将于下周一前完成小区其余路灯的检修。感谢您的监督！")
	h.WaitFor(`document.querySelector('#reply-quality .quality[data-perfunctory="false"]')`)
	if txt := h.Text("#reply-quality"); containsAny(txt, "疑似形式主义", "已转交相关部门") {
		t.Errorf("a concrete reply is flagged: %s", txt)
	}
	h.Screenshot("2-good-draft")

	// The handler sends a perfunctory reply after all; the operator sees why.
	h.Fill(area, "您好，您反映的问题已转交相关部门处理，感谢您的支持。")
	h.WaitText("#reply-quality", "疑似形式主义答复")
	h.Click(`form[data-action="reply"] button[type=submit]`)
	h.WaitText("#detail", "答复已提交，等待平台审核")

	op := s.signIn(t, browser.Desktop, "console.html", s.Operator)
	op.Click(`#tabs button[data-tab="replies"]`)
	row := `#queue button[data-ticket="` + ticket + `"]`
	op.WaitText(row, "疑似形式主义")
	op.Click(row)
	op.WaitText("#review-quality", "疑似形式主义答复")
	op.WaitText("#review-quality", "已转交相关部门")
	op.WaitText("#detail .reply .quality", "系统评估答复质量")
	op.Screenshot("3-console-review-quality")
	checkPage(t, h, "workbench")
	checkPage(t, op, "console")
}

func containsAny(s string, subs ...string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}
