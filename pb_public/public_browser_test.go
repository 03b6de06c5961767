package pbpublic_test

import (
	"regexp"
	"strings"
	"testing"

	"siyang/internal/browser"
	"siyang/internal/testenv"
	"siyang/plugins/workflow"
)

// TestPublicAppealsInBrowser: the list of public appeals with its filters
// and pages, and one appeal's page; confidential cases and cases without
// consent never appear, and hostile titles and replies stay text.
func TestPublicAppealsInBrowser(t *testing.T) {
	s := newSite(t)
	_, town := s.regions(t)
	for i := 0; i < 5; i++ {
		s.publicCase(t, workflow.Closed, "幸福小区路灯不亮"+strings.Repeat("！", i), "urban", "zhongxing")
	}
	for i := 0; i < 3; i++ {
		s.publicCase(t, workflow.Callback, "爱园镇公交站台破损"+strings.Repeat("！", i), "transport", "aiyuan")
	}
	for i := 0; i < 3; i++ {
		s.publicCase(t, workflow.Handling, "道路施工噪音扰民"+strings.Repeat("！", i), "urban", "zhongxing")
	}
	hostile := s.publicCase(t, workflow.Handling, `<img src=x onerror="window.__xss=1">井盖缺失`, "urban", "aiyuan")
	secret := workflowSubmission("保密的诉求不应公开")
	secret.Confidential = true
	s.ReachWith(t, workflow.Closed, secret)
	private := workflowSubmission("未同意公开的诉求")
	private.PublicConsent = false
	s.ReachWith(t, workflow.Closed, private)
	// A reply with markup, approved and public.
	replied := s.publicCase(t, workflow.Handling, "排水沟堵塞", "urban", "zhongxing")
	replied = s.Do(t, replied, "reply", s.HandlerA, workflow.Input{Content: `已疏通排水沟。<script>window.__xss=1</script>`})
	replied = s.Do(t, replied, "approve_reply", s.Operator, workflow.Input{})

	p := s.open(t, browser.Desktop, "appeals.html")
	p.WaitText("#list", "第 1 / 2 页，共 13 条")
	count := func() int {
		return int(p.Eval(`document.querySelectorAll("#list .list > li").length`).(float64))
	}
	if n := count(); n != 10 {
		t.Errorf("page 1 shows %d appeals, want 10", n)
	}
	if body := p.Text("main"); strings.Contains(body, "保密的诉求") || strings.Contains(body, "未同意公开") {
		t.Error("a confidential or private case is listed")
	}
	p.Screenshot("1-list")
	p.Click(`#list a[rel=next]`)
	p.WaitText("#list", "第 2 / 2 页")
	if n := count(); n != 3 {
		t.Errorf("page 2 shows %d appeals, want 3", n)
	}

	// Filters: state, township (chosen in the form), keyword.
	p.Go(s.url + "/appeals.html?status=closed")
	p.WaitText("#list", "共 5 条")
	p.Go(s.url + "/appeals.html")
	p.Select("#f-region", town.Id)
	p.Select("#f-status", "callback")
	p.Click(`#filters button[type=submit]`)
	p.WaitText("#list", "共 3 条")
	if got := p.Text("#list"); !strings.Contains(got, "爱园镇公交站台破损") || !strings.Contains(got, "已答复") || !strings.Contains(got, "交通运输") {
		t.Errorf("filtered list: %q", got)
	}
	if p.Value("#f-region") != town.Id || p.Value("#f-status") != "callback" {
		t.Error("the form forgets the chosen filters")
	}
	transport, err := s.App.FindFirstRecordByData("categories", "code", "transport")
	if err != nil {
		t.Fatal(err)
	}
	p.Go(s.url + "/appeals.html?category=" + transport.Id + "&period=7")
	p.WaitText("#list", "共 3 条")
	// The category options load on their own, maybe after the list.
	p.WaitFor(`document.querySelector("#f-category").options.length > 1`)
	if p.Value("#f-category") != transport.Id || p.Value("#f-period") != "7" {
		t.Error("the form does not show the filters of the address")
	}
	p.Go(s.url + "/appeals.html?q=" + "井盖")
	p.WaitText("#list", "共 1 条")
	p.WaitText("#list", "已在全部公开诉求的标题和内容中查找")
	if !strings.Contains(p.Text("#list"), `<img src=x onerror="window.__xss=1">井盖缺失`) {
		t.Errorf("the hostile title is not shown as text: %q", p.Text("#list"))
	}
	checkPage(t, p, "appeals")
	// A keyword with another filter: the index's matches narrowed by it.
	p.Go(s.url + "/appeals.html?q=" + "路灯不亮" + "&status=closed")
	p.WaitText("#list", "共 5 条")
	p.Go(s.url + "/appeals.html?q=" + "路灯不亮" + "&status=callback")
	p.WaitText("#list", "没有符合条件的诉求")
	// The search page: the same keyword, its kept count.
	p.Go(s.url + "/search.html?q=" + "井盖")
	p.WaitText("#appeals", "找到 1 条")
	p.WaitText("#appeals", "已在全部公开诉求的标题和内容中查找")
	if !strings.Contains(p.Text("#appeals"), `<img src=x onerror="window.__xss=1">井盖缺失`) {
		t.Errorf("search: %q", p.Text("#appeals"))
	}

	// One appeal: the masked text and the reply, as text.
	p.Go(s.url + "/appeal.html?id=" + replied.Id)
	p.WaitText("#reply", "已疏通排水沟。<script>window.__xss=1</script>")
	body := p.Text("main")
	if !strings.Contains(body, "李*") || strings.Contains(body, "李四") || strings.Contains(body, "13912345678") {
		t.Errorf("the public page shows contact data: %q", body)
	}
	p.Screenshot("2-detail")
	p.Go(s.url + "/appeal.html?id=" + hostile.Id)
	p.WaitText("main h1", "井盖缺失")
	p.WaitText("main", "正在办理中")
	checkPage(t, p, "appeal")

	// A case that is not public answers like one that does not exist.
	p.Go(s.url + "/appeal.html?id=nosuchappeal12")
	p.WaitText("#appeal .alert", "没有找到相关内容")
}

// workflowSubmission is the sample submission with another title.
func workflowSubmission(title string) workflow.Submission {
	sub := testenv.SampleSubmission()
	sub.Title = title
	return sub
}

// TestHomeAndScorecardsInBrowser: the home page's monthly figures and
// replies, and the departments' scorecards with a department that has too
// few cases shown as 样本不足.
func TestHomeAndScorecardsInBrowser(t *testing.T) {
	s := newSite(t)
	for i := 0; i < 3; i++ {
		s.Reach(t, workflow.Closed) // department A leads, rated 满意
	}
	few, _ := s.Submit(t, testenv.SampleSubmission())
	few = s.Do(t, few, "accept", s.Operator, workflow.Input{})
	s.Do(t, few, "dispatch", s.Operator, workflow.Input{Department: s.DeptC.Id})

	p := s.open(t, browser.Phone, "")
	p.WaitText("#stats", "满意率")
	var figures []string
	p.EvalInto(`Array.from(document.querySelectorAll("#stats dd"), (d) => d.textContent)`, &figures)
	if strings.Join(figures, " ") != "4件 3件 100%" {
		t.Errorf("figures %q, want 受理 4件, 办结 3件, 满意率 100%%", figures)
	}
	p.WaitText("#stats", "2026年11月")
	p.WaitText("#replies", "幸福小区门口路灯不亮")
	p.WaitText("#replies", "已办结")
	p.Screenshot("1-home")
	checkPage(t, p, "home")

	p.Click(`.head-row a[href="scorecards.html"]`)
	p.WaitText("#list", "测试住建局")
	items := p.Text("#list")
	if !regexp.MustCompile(`第 1 名\s*测试住建局`).MatchString(items) ||
		!regexp.MustCompile(`按时办结率\s*100%（3/3）`).MatchString(items) ||
		!regexp.MustCompile(`满意率\s*100%（3/3）`).MatchString(items) ||
		!regexp.MustCompile(`响应率\s*暂无数据`).MatchString(items) {
		t.Errorf("department A's card: %q", items)
	}
	if !regexp.MustCompile(`测试众兴街道[\s\S]*样本不足`).MatchString(items) || strings.Count(items, "第 ") != 1 {
		t.Errorf("department C is not shown as 样本不足 without rank: %q", items)
	}
	if p.Value("#period") != "2026-11" {
		t.Errorf("period chooser shows %q, want the server's month 2026-11", p.Value("#period"))
	}
	p.WaitText("#list-title", "2026年11月")
	p.Screenshot("2-scorecards")
	checkPage(t, p, "scorecards")

	// Another month: nobody had cases.
	p.Select("#period", "2026-10")
	p.Click(`#period-form button[type=submit]`)
	p.WaitText("#list", "本期暂无单位办理诉求")
	if !strings.Contains(p.URL(), "p=2026-10") {
		t.Errorf("the chosen month is not in the address: %s", p.URL())
	}
}
