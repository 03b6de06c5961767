package portal

import (
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

func TestSanitizeHTMLKeepsAllowedMarkup(t *testing.T) {
	in := `<h2>标题</h2><h3>小标题</h3><h4>四级</h4>` +
		`<p>正文<strong>加粗</strong><b>粗</b><em>强调</em><i>斜</i><u>下划线</u><br>换行</p>` +
		`<ul><li>一</li></ul><ol><li>二</li></ol>` +
		`<table><thead><tr><th colspan="2">表头</th></tr></thead><tbody><tr><td>1</td><td rowspan="2">2</td></tr></tbody></table>` +
		`<blockquote>引用</blockquote>` +
		`<p><a href="https://www.siyang.gov.cn/a?b=1&amp;c=2" title="县政府">外链</a>` +
		`<a href="mailto:xxgk@siyang.gov.cn">邮件</a><a href="/articles/123">站内</a><a href="#top">顶部</a></p>` +
		`<p><img src="/api/files/sy_articles/abc/photo.png" alt="现场" width="640" height="480"><img src="images/a.png"></p>`
	want := `<h2>标题</h2><h3>小标题</h3><h4>四级</h4>` +
		`<p>正文<strong>加粗</strong><b>粗</b><em>强调</em><i>斜</i><u>下划线</u><br>换行</p>` +
		`<ul><li>一</li></ul><ol><li>二</li></ol>` +
		`<table><thead><tr><th colspan="2">表头</th></tr></thead><tbody><tr><td>1</td><td rowspan="2">2</td></tr></tbody></table>` +
		`<blockquote>引用</blockquote>` +
		`<p><a href="https://www.siyang.gov.cn/a?b=1&amp;c=2" title="县政府" rel="noopener noreferrer nofollow">外链</a>` +
		`<a href="mailto:xxgk@siyang.gov.cn" rel="noopener noreferrer nofollow">邮件</a>` +
		`<a href="/articles/123" rel="noopener noreferrer nofollow">站内</a>` +
		`<a href="#top" rel="noopener noreferrer nofollow">顶部</a></p>` +
		`<p><img src="/api/files/sy_articles/abc/photo.png" alt="现场" width="640" height="480"><img src="images/a.png"></p>`
	got := SanitizeHTML(in)
	if got != want {
		t.Errorf("SanitizeHTML changed allowed markup\n got: %s\nwant: %s", got, want)
	}
	if again := SanitizeHTML(got); again != got {
		t.Errorf("not idempotent:\n once: %s\ntwice: %s", got, again)
	}
}

// TestSanitizeHTMLStripsXSS runs well-known XSS vectors (OWASP cheat sheet,
// mutation XSS of HTML parsers) through the sanitiser.
func TestSanitizeHTMLStripsXSS(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{"script element", `<script>alert(1)</script><p>正文</p>`, `<p>正文</p>`},
		{"script in upper case", `<SCRIPT SRC=//evil.example/x.js></SCRIPT>正文`, `正文`},
		{"event handler on image", `<img src="a.png" onerror="alert(1)">`, `<img src="a.png">`},
		{"event handler without quotes", `<p onmouseover=alert(1)>文字</p>`, `<p>文字</p>`},
		{"javascript link", `<a href="javascript:alert(1)">点我</a>`, `点我`},
		{"javascript link mixed case", `<a href="JaVaScRiPt:alert(1)">点我</a>`, `点我`},
		{"javascript with entity tab", `<a href="java&#x09;script:alert(1)">点我</a>`, `点我`},
		{"javascript with leading control", `<a href="&#14;  javascript:alert(1)">点我</a>`, `点我`},
		{"javascript with encoded colon", `<a href="javascript&colon;alert(1)">点我</a>`, `点我`},
		{"vbscript link", `<a href="vbscript:msgbox(1)">点我</a>`, `点我`},
		{"data link", `<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">点我</a>`, `点我`},
		{"data image", `<img src="data:image/svg+xml,<svg onload=alert(1)>">`, ``},
		{"remote image", `<img src="https://tracker.example/p.gif">`, ``},
		{"scheme-relative image", `<img src="//evil.example/x.png">`, ``},
		{"backslash link", `<a href="/\evil.example">点我</a>`, `点我`},
		{"iframe", `<iframe src="https://evil.example"></iframe>正文`, `正文`},
		{"iframe srcdoc", `<iframe srcdoc="<script>alert(1)</script>"></iframe>`, ``},
		{"style element", `<style>body{background:url(javascript:alert(1))}</style><p>文字</p>`, `<p>文字</p>`},
		{"style attribute", `<p style="background:url(javascript:alert(1))">文字</p>`, `<p>文字</p>`},
		{"svg onload", `<svg onload=alert(1)><circle r=1 /></svg>文字`, `文字`},
		{"svg script", `<svg><script>alert(1)</script></svg>`, ``},
		{"math mutation", `<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`, ``},
		{"object and embed", `<object data="x.swf"></object><embed src="x.swf">文字`, `文字`},
		{"form and button", `<form action="javascript:alert(1)"><button>提交</button><input value=1></form>`, ``},
		{"base and meta", `<base href="javascript:/"><meta http-equiv="refresh" content="0;url=javascript:alert(1)">文字`, `文字`},
		{"comment", `<!--<script>alert(1)</script>-->文字`, `文字`},
		{"conditional comment", `<!--[if IE]><script>alert(1)</script><![endif]-->文字`, `文字`},
		{"nested script tags", `<<script>script>alert(1)<</script>/script>`, `&lt;/script&gt;`},
		{"unknown wrapper keeps text", `<div class="x" onclick="alert(1)"><span style="color:red">文字</span></div>`, `文字`},
		{"link keeps only safe attributes", `<a href="https://x.example" target="_blank" onclick="alert(1)" style="x">链接</a>`,
			`<a href="https://x.example" rel="noopener noreferrer nofollow">链接</a>`},
		{"non-numeric width", `<img src="a.png" width="100%;x:expression(alert(1))">`, `<img src="a.png">`},
		{"attribute breaking out", `<img src="a.png" alt='"><script>alert(1)</script>'>`, `<img src="a.png" alt="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">`},
		{"noscript breakout", `<noscript><p title="</noscript><img src=x onerror=alert(1)>">`, `<img src="x">&#34;&gt;`},
		{"textarea", `<textarea><script>alert(1)</script></textarea>`, ``},
		{"template", `<template><script>alert(1)</script></template>文字`, `文字`},
		{"entities stay text", `&lt;script&gt;alert(1)&lt;/script&gt;`, `&lt;script&gt;alert(1)&lt;/script&gt;`},
		{"empty", "  ", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := SanitizeHTML(c.in)
			if got != c.want {
				t.Errorf("SanitizeHTML(%q)\n got: %q\nwant: %q", c.in, got, c.want)
			}
			assertSafe(t, got)
		})
	}
}

// assertSafe parses out as a browser would and fails on anything outside
// the whitelist.
func assertSafe(t *testing.T, out string) {
	t.Helper()
	nodes, err := html.ParseFragment(strings.NewReader(out), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		t.Fatal(err)
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			names, ok := allowedAttrs[n.DataAtom]
			if !ok || n.Namespace != "" {
				t.Errorf("element <%s> survived in %q", n.Data, out)
			}
			for _, a := range n.Attr {
				if a.Key == "rel" && n.Data == "a" {
					continue
				}
				if !slices.Contains(names, a.Key) {
					t.Errorf("attribute %s on <%s> survived in %q", a.Key, n.Data, out)
				}
				if a.Key == "href" || a.Key == "src" {
					if _, ok := safeURL(a.Val, a.Key == "src"); !ok {
						t.Errorf("unsafe URL %q survived in %q", a.Val, out)
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
}

// FuzzSanitizeHTML: whatever goes in, what comes out re-parses to
// whitelisted elements, attributes and URLs only.
func FuzzSanitizeHTML(f *testing.F) {
	for _, s := range []string{
		`<p>正文</p>`, `<a href="javascript:alert(1)">x</a>`, `<img src=x onerror=alert(1)>`,
		`<svg><p><style><img src=x onerror=alert(1)></style></p></svg>`,
		`<table><td><a href="/x"><table><tr><td>1`, `<noscript><p title="</noscript><img src=x>">`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		assertSafe(t, SanitizeHTML(in))
	})
}
