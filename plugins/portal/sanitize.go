package portal

import (
	"slices"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// allowedAttrs is the whitelist: the elements an article body may keep and,
// for each, the attributes it may keep. Anything else is unwrapped (its text
// stays) or, for the elements in dropped, removed with its content.
var allowedAttrs = map[atom.Atom][]string{
	atom.P: nil, atom.Br: nil, atom.H2: nil, atom.H3: nil, atom.H4: nil,
	atom.Ul: nil, atom.Ol: nil, atom.Li: nil,
	atom.Strong: nil, atom.Em: nil, atom.B: nil, atom.I: nil, atom.U: nil,
	atom.A:     {"href", "title"},
	atom.Img:   {"src", "alt", "title", "width", "height"},
	atom.Table: nil, atom.Thead: nil, atom.Tbody: nil, atom.Tr: nil,
	atom.Th: {"colspan", "rowspan"}, atom.Td: {"colspan", "rowspan"},
	atom.Blockquote: nil,
}

// dropped elements lose their content too: code, styles, embedded
// documents and form controls have no readable text worth keeping.
var dropped = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Iframe: true, atom.Frame: true, atom.Frameset: true,
	atom.Object: true, atom.Embed: true, atom.Applet: true, atom.Noscript: true, atom.Noembed: true,
	atom.Noframes: true, atom.Template: true, atom.Svg: true, atom.Math: true, atom.Textarea: true,
	atom.Select: true, atom.Option: true, atom.Button: true, atom.Input: true, atom.Form: true,
	atom.Head: true, atom.Title: true, atom.Meta: true, atom.Link: true, atom.Base: true,
	atom.Audio: true, atom.Video: true, atom.Source: true, atom.Canvas: true, atom.Xmp: true,
	atom.Plaintext: true,
}

// SanitizeHTML keeps the harmless part of rich text from the editor: the
// whitelisted elements and attributes, links to http, https, mailto or
// relative addresses, images from relative addresses (such as the
// platform's own /api/files/…). Scripts, styles, event handlers, frames and
// every other URL scheme are removed. The input is parsed as a browser
// would parse it and written out again, so malformed markup cannot smuggle
// anything past the whitelist.
func SanitizeHTML(s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	context := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := html.ParseFragment(strings.NewReader(s), context)
	if err != nil {
		// the parser only fails on reader errors; keep nothing rather than guess
		return ""
	}
	var b strings.Builder
	for _, n := range nodes {
		writeNode(&b, n)
	}
	return b.String()
}

func writeNode(b *strings.Builder, n *html.Node) {
	switch n.Type {
	case html.TextNode:
		b.WriteString(html.EscapeString(n.Data))
		return
	case html.ElementNode:
	default:
		// comments, doctypes: nothing a reader sees
		return
	}
	if dropped[n.DataAtom] || n.Namespace != "" {
		return
	}
	names, ok := allowedAttrs[n.DataAtom]
	if !ok {
		writeChildren(b, n)
		return
	}
	attrs, keep := cleanAttrs(n, names)
	if !keep {
		if n.DataAtom != atom.Img {
			writeChildren(b, n)
		}
		return
	}
	b.WriteByte('<')
	b.WriteString(n.DataAtom.String())
	for _, a := range attrs {
		b.WriteByte(' ')
		b.WriteString(a.Key)
		b.WriteString(`="`)
		b.WriteString(html.EscapeString(a.Val))
		b.WriteByte('"')
	}
	b.WriteByte('>')
	if n.DataAtom == atom.Br || n.DataAtom == atom.Img {
		return // void elements
	}
	writeChildren(b, n)
	b.WriteString("</")
	b.WriteString(n.DataAtom.String())
	b.WriteByte('>')
}

func writeChildren(b *strings.Builder, n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		writeNode(b, c)
	}
}

// cleanAttrs keeps the allowed attributes with safe values. keep is false
// for a link without a usable href (it becomes plain text) and an image
// without a usable src (it is removed).
func cleanAttrs(n *html.Node, names []string) (attrs []html.Attribute, keep bool) {
	seen := map[string]bool{}
	for _, a := range n.Attr {
		key := strings.ToLower(a.Key)
		if a.Namespace != "" || seen[key] || !slices.Contains(names, key) {
			continue
		}
		val, ok := a.Val, true
		switch key {
		case "href":
			val, ok = safeURL(val, false)
		case "src":
			val, ok = safeURL(val, true)
		case "width", "height", "colspan", "rowspan":
			val = strings.TrimSpace(val)
			ok = isSmallNumber(val)
		}
		if ok {
			seen[key] = true
			attrs = append(attrs, html.Attribute{Key: key, Val: val})
		}
	}
	switch n.DataAtom {
	case atom.A:
		if !seen["href"] {
			return nil, false
		}
		attrs = append(attrs, html.Attribute{Key: "rel", Val: "noopener noreferrer nofollow"})
	case atom.Img:
		if !seen["src"] {
			return nil, false
		}
	}
	return attrs, true
}

// safeURL answers the URL as it will be written, or false when it must go.
// Browsers ignore whitespace and control characters inside a scheme
// ("java\tscript:"), so those are removed before looking at it. Links may be
// http, https, mailto or relative; images only relative (the platform's own
// files), so that an article cannot load pictures from elsewhere.
func safeURL(raw string, relativeOnly bool) (string, bool) {
	u := strings.Map(func(r rune) rune {
		if r <= ' ' || r == 0x7f {
			return -1
		}
		return r
	}, raw)
	if u == "" || strings.ContainsRune(u, '\\') {
		// a backslash is read as "/" by browsers: "/\evil.com" leaves the site
		return "", false
	}
	if scheme, ok := urlScheme(u); ok {
		if relativeOnly {
			return "", false
		}
		switch strings.ToLower(scheme) {
		case "http", "https", "mailto":
			return u, true
		}
		return "", false
	}
	if strings.HasPrefix(u, "//") {
		// scheme-relative: another host
		return "", false
	}
	return u, true
}

// urlScheme finds a scheme: letters, digits, "+", "-", "." before the first
// ":" that comes before any "/", "?" or "#".
func urlScheme(u string) (string, bool) {
	for i, r := range u {
		switch {
		case r == ':':
			return u[:i], i > 0
		case r == '/' || r == '?' || r == '#':
			return "", false
		}
	}
	return "", false
}

func isSmallNumber(s string) bool {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	return err == nil && n > 0 && n <= 10000
}
