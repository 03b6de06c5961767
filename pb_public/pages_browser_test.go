package pbpublic_test

import (
	"strings"
	"testing"
	"time"

	"siyang/internal/browser"
	"siyang/plugins/workflow"
)

// pageProblems is run in a page once it has loaded: what breaks the
// accessibility rules the pages keep (docs/portal-pages.md).
const pageProblems = `(() => {
  const problems = [];
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : "");
  const shown = (el) => el.checkVisibility() && el.getBoundingClientRect().width > 0;
  if (document.documentElement.lang !== "zh-CN") problems.push("lang is " + document.documentElement.lang);
  if (document.documentElement.scrollWidth > window.innerWidth) problems.push("sideways scrolling: " + document.documentElement.scrollWidth + " > " + window.innerWidth);
  for (const f of document.querySelectorAll("input:not([type=hidden]), select, textarea")) {
    if (!(f.labels && f.labels.length) && !f.getAttribute("aria-label") && !f.getAttribute("aria-labelledby")) problems.push("no label: " + name(f));
  }
  const targets = "button, select, textarea, input:not([type=hidden]):not([type=radio]):not([type=checkbox]):not(.vh), .btn, .site-nav a, .tabs a, .list .title, .choice, .check, .breadcrumb a, .head-row > a, .quick a";
  for (const el of document.querySelectorAll(targets)) {
    if (!shown(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.height < 43.5 || r.width < 43.5) problems.push("target smaller than 44 px: " + name(el) + " " + Math.round(r.width) + "x" + Math.round(r.height));
  }
  for (const el of document.querySelectorAll("[tabindex]")) if (el.tabIndex > 0) problems.push("positive tabindex: " + name(el));
  for (const img of document.querySelectorAll("img")) if (!img.hasAttribute("alt")) problems.push("image without alt: " + img.src);
  const b = document.querySelector("main button:not([hidden]), .large-toggle");
  b.focus();
  if (getComputedStyle(b).outlineStyle === "none") problems.push("no visible focus on " + name(b));
  b.blur();
  return problems;
})()`

// loaded is true once no part of the page is still loading.
const loaded = `!document.querySelector("[aria-busy=true], .loading")`

// TestEveryPageInBrowser opens every page at phone and desktop width
// (screenshots) and at 320 px in 大字模式, checking the accessibility rules
// on each; 大字模式 is switched on with its button and stays on across
// reloads and pages, then off again.
func TestEveryPageInBrowser(t *testing.T) {
	s := newSite(t)
	s.regions(t)
	appeal := s.publicCase(t, workflow.Closed, "幸福小区门口路灯不亮", "urban", "zhongxing")
	article := s.article(t, "notice", "关于元旦期间政务大厅办公安排的通知", "<p>元旦期间（1月1日至3日）政务大厅暂停办公，网上办事不受影响。</p><h2>一、咨询电话</h2><p>0527-85000000</p>", nil)
	item := s.serviceItem(t, "居住证办理", true)
	s.slot(t, item, s.slotDay(1), "09:00", "09:30", 3)
	pages := []string{
		"index.html", "submit.html", "track.html", "appeals.html", "appeal.html?id=" + appeal.Id,
		"articles.html", "article.html?id=" + article.Id, "services.html", "service.html?id=" + item.Id,
		"scorecards.html", "search.html?q=路灯", "signin.html", "mine.html", "bookings.html",
	}
	visit := func(t *testing.T, p *browser.Page, page string, shot bool) {
		t.Helper()
		p.Go(s.url + "/" + page)
		p.WaitFor(loaded)
		if p.Exists(".alert") {
			t.Errorf("%s shows an error: %s", page, p.Text(".alert"))
		}
		var problems []string
		p.EvalInto(pageProblems, &problems)
		if len(problems) != 0 {
			t.Errorf("%s: %s", page, strings.Join(problems, "; "))
		}
		if shot {
			file, _, _ := strings.Cut(page, "?")
			p.Screenshot(strings.TrimSuffix(file, ".html"))
		}
		checkPage(t, p, page)
	}
	for _, vp := range []browser.Viewport{browser.Phone, browser.Desktop} {
		t.Run(vp.String(), func(t *testing.T) {
			p := s.b.NewPage(t, vp)
			for _, page := range pages {
				visit(t, p, page, true)
			}
		})
	}

	t.Run("large-320px", func(t *testing.T) {
		p := s.open(t, narrow, "index.html")
		if p.Eval(`document.documentElement.classList.contains("large")`) != false {
			t.Fatal("大字模式 is on by default")
		}
		normal := p.Eval(`parseFloat(getComputedStyle(document.body).fontSize)`).(float64)
		p.Click(".large-toggle")
		p.WaitFor(`document.documentElement.classList.contains("large")`)
		if p.Eval(`document.querySelector(".large-toggle").getAttribute("aria-pressed")`) != "true" {
			t.Error("the button does not say it is on")
		}
		large := p.Eval(`parseFloat(getComputedStyle(document.body).fontSize)`).(float64)
		if large < normal*1.25 {
			t.Errorf("大字模式 font %.0f px, normal %.0f px", large, normal)
		}
		p.Screenshot("index-large")
		for _, page := range pages { // every page, still large after each load
			visit(t, p, page, page == "submit.html" || page == "service.html?id="+item.Id)
			if p.Eval(`document.documentElement.classList.contains("large") && document.querySelector(".large-toggle").textContent === "标准字号"`) != true {
				t.Fatalf("%s: 大字模式 did not persist", page)
			}
		}
		p.Click(".large-toggle")
		p.Go(s.url + "/index.html")
		if p.Eval(`document.documentElement.classList.contains("large")`) != false {
			t.Error("大字模式 stays on after switching it off")
		}
	})
}

// TestFailuresInBrowser: when one API cannot be reached, its part of the
// page says so with a 重试 button and the rest keeps working; 重试 works once
// the API is back. On a slow network the page says it is loading.
func TestFailuresInBrowser(t *testing.T) {
	s := newSite(t)
	s.regions(t)
	s.Reach(t, workflow.Closed)
	s.article(t, "notice", "关于元旦期间政务大厅办公安排的通知", "<p>正文</p>", nil)

	// Home: the figures fail, replies and notices are there.
	p := s.b.NewPage(t, browser.Phone)
	p.BlockURL("*/api/portal/stats")
	p.Go(s.url + "/")
	p.WaitText("#stats .alert", "网络连接失败，请检查网络后重试")
	p.WaitText("#replies", "幸福小区门口路灯不亮")
	p.WaitText("#notices", "关于元旦期间政务大厅办公安排的通知")
	p.Screenshot("1-home-stats-failed")
	p.UnblockAll()
	p.Click("#stats .retry")
	p.WaitText("#stats", "受理")
	if p.Exists("#stats .alert") {
		t.Error("the error stays after a successful retry")
	}
	checkPage(t, p, "home")

	// Public appeals: the list and the filter choices each fail alone.
	p.BlockURL("*/api/collections/public_appeals/*")
	p.BlockURL("*/api/collections/regions/*")
	p.Go(s.url + "/appeals.html")
	p.WaitText("#list .alert", "网络连接失败")
	p.WaitText("#filters-load .alert", "网络连接失败")
	p.Screenshot("2-appeals-failed")
	p.UnblockAll()
	p.Click("#list .retry")
	p.WaitText("#list", "共 1 条")
	p.Click("#filters-load .retry")
	p.WaitFor(`document.getElementById("f-region").options.length === 3`)
	checkPage(t, p, "appeals")

	// The submit page still works without its category list.
	p.BlockURL("*/api/collections/categories/*")
	p.Go(s.url + "/submit.html")
	p.WaitText("#category-load .alert", "网络连接失败")
	p.WaitFor(`document.getElementById("region").options.length === 3`)
	p.UnblockAll()
	p.Click("#category-load .retry")
	p.WaitFor(`document.getElementById("category").options.length > 10`)

	// A server error answered in English becomes a Chinese sentence.
	p.Go(s.url + "/article.html?id=nosucharticle12")
	p.WaitText("#article .alert", "没有找到相关内容")

	// Slow network: a loading line first, then the content.
	p.Throttle(600*time.Millisecond, 0)
	p.Go(s.url + "/articles.html")
	p.WaitText("#list", "正在加载")
	p.Screenshot("3-slow-loading")
	p.WaitText("#list", "关于元旦期间政务大厅办公安排的通知")
	p.Throttle(0, 0)
	checkPage(t, p, "slow articles")
}
