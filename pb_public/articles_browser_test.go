package pbpublic_test

import (
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"siyang/internal/browser"
)

// hostileBody is an article body as no sanitiser would let through; the
// test writes it straight into the database, so only the page's own
// cleaning stands between it and the reader.
const hostileBody = `<p>解读正文第一段。</p><script>window.__xss=1</script>` +
	`<img src=x onerror="window.__xss=1"><img src="javascript:window.__xss=1">` +
	`<p onclick="window.__xss=1" style="color:red">第二段<a href="javascript:window.__xss=1">危险链接</a>` +
	`<a href="/articles.html">站内链接</a></p><svg onload="window.__xss=1"><circle r="5"/></svg>` +
	`<iframe srcdoc="<script>parent.__xss=1</script>"></iframe><details open ontoggle="window.__xss=1">展开</details>` +
	`<div><h2>三、政策要点</h2><table><tr><td colspan="2" onmouseover="window.__xss=1">表格</td></tr></table></div>`

// TestArticlesInBrowser: the 政务公开 columns, search, an article with an
// attachment, and a body that carries script never runs it.
func TestArticlesInBrowser(t *testing.T) {
	s := newSite(t)
	s.article(t, "news", "全县道路改造工作动态", "<p>道路改造进展顺利。</p>", nil)
	notice := s.article(t, "notice", "关于元旦期间政务大厅办公安排的通知", "<p>元旦期间暂停办公。</p>", map[string]any{"pinned": true})
	s.article(t, "notice", "关于开展满意度调查的通知", "<p>请积极参与。</p>", nil)
	pdf, err := filesystem.NewFileFromBytes([]byte("%PDF-1.4\n%%EOF\n"), "实施细则.pdf")
	if err != nil {
		t.Fatal(err)
	}
	policy := s.article(t, "policy", "泗阳县城乡居民医疗保险实施细则", "<p>第一条 为了……</p>", map[string]any{"attachments": []*filesystem.File{pdf}})
	hostile := s.article(t, "interpretation", "医保政策解读<img src=x onerror=window.__xss=1>", "<p>占位</p>", nil)
	if _, err := s.App.DB().NewQuery("UPDATE articles SET body = {:b} WHERE id = {:id}").
		Bind(dbx.Params{"b": hostileBody, "id": hostile.Id}).Execute(); err != nil {
		t.Fatal(err)
	}
	s.Save(t, "articles", map[string]any{"title": "草稿不应出现", "kind": "news", "status": "draft", "department": s.DeptA.Id})

	p := s.open(t, browser.Phone, "articles.html")
	p.WaitText("#list", "全县道路改造工作动态")
	titles := func() []string {
		var got []string
		p.EvalInto(`Array.from(document.querySelectorAll("#list .title"), (a) => a.textContent)`, &got)
		return got
	}
	if got := titles(); len(got) != 5 || got[0] != notice.GetString("title") {
		t.Errorf("all columns: %q, want the 5 published ones, the pinned notice first", got)
	}
	p.Screenshot("1-all")

	p.Click(`#tabs a[href="articles.html?kind=notice"]`)
	p.WaitText("#page-title", "通知公告")
	p.WaitFor(`document.querySelectorAll("#list .title").length === 2`)
	if p.Text(`#tabs a[aria-current=page]`) != "通知公告" {
		t.Error("the current column is not marked")
	}

	// Search within the column keeps the column; in all columns by title.
	p.Fill("#q", "满意度")
	p.Click("#search button[type=submit]")
	p.WaitFor(`location.search.includes("kind=notice") && document.querySelectorAll("#list .title").length === 1`)
	p.Go(s.url + "/articles.html?q=" + "医")
	p.WaitText("#list-title", "“医”的搜索结果")
	// The heading changes before the results arrive: wait for the list.
	p.WaitFor(`document.querySelectorAll("#list .title").length === 2`)
	if got := titles(); len(got) != 2 {
		t.Errorf("search 医: %q, want the policy and its interpretation", got)
	}
	checkPage(t, p, "articles")

	// An article with an attachment.
	p.Go(s.url + "/article.html?id=" + policy.Id)
	p.WaitText("#article h1", "泗阳县城乡居民医疗保险实施细则")
	p.WaitText("#article", "附件 1（PDF 文件）")
	if got := p.Eval(`document.querySelector("#article a[download]").getAttribute("href")`); !strings.HasPrefix(got.(string), "/api/files/") {
		t.Errorf("attachment link %v", got)
	}
	if p.Text("#back") != "← 返回政策文件" {
		t.Errorf("back link %q", p.Text("#back"))
	}

	// The hostile body: text and safe structure stay, everything active goes.
	p.Go(s.url + "/article.html?id=" + hostile.Id)
	p.WaitText("#body", "解读正文第一段")
	p.WaitText("#article h1", "<img src=x onerror=window.__xss=1>")
	p.Screenshot("2-hostile-body")
	var left struct {
		Active  int    `json:"active"`
		Attrs   int    `json:"attrs"`
		Links   string `json:"links"`
		Heading string `json:"heading"`
		Colspan string `json:"colspan"`
	}
	p.EvalInto(`(() => {
		const b = document.getElementById("body");
		return {
			active: b.querySelectorAll("script, svg, iframe, details, style, img:not([src='x'])").length,
			attrs: Array.from(b.querySelectorAll("*")).filter((e) => Array.from(e.attributes).some((a) => /^on|^style$|^srcdoc$/i.test(a.name))).length,
			links: Array.from(b.querySelectorAll("a"), (a) => a.getAttribute("href") + " " + a.rel).join("|"),
			heading: (b.querySelector("h2") || {}).textContent,
			colspan: (b.querySelector("td") || { getAttribute: () => "" }).getAttribute("colspan"),
		};
	})()`, &left)
	if left.Active != 0 || left.Attrs != 0 || left.Links != "/articles.html noopener noreferrer nofollow" ||
		left.Heading != "三、政策要点" || left.Colspan != "2" {
		t.Errorf("cleaned body: %+v", left)
	}
	if !strings.Contains(p.Text("#body"), "危险链接") {
		t.Error("the text of the unsafe link is gone")
	}
	checkPage(t, p, "hostile article")

	// The home page lists the notices; the search page finds articles.
	p.Go(s.url + "/")
	p.WaitText("#notices", "关于元旦期间政务大厅办公安排的通知")
	p.WaitText("#notices", "置顶")
	p.Go(s.url + "/search.html?q=" + "道路")
	p.WaitText("#articles", "全县道路改造工作动态")
	p.WaitText("#appeals", "没有找到相关的公开诉求")
	checkPage(t, p, "search")
}
