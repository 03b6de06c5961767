package guard_test

import "regexp"

var (
	inlineScript  = regexp.MustCompile(`(?i)<script\b[^>]*>[^<]*[^<\s][^<]*</script>`)
	handlerAttr   = regexp.MustCompile(`(?i)<[a-z][^>]*\son[a-z]+\s*=`)
	styleAttr     = regexp.MustCompile(`(?i)<[a-z][^>]*\sstyle\s*=`)
	javascriptURL = regexp.MustCompile(`(?i)href\s*=\s*["']?\s*javascript:`)
)

// inlineCode lists the pieces of a page a strict CSP would block.
func inlineCode(html string) []string {
	var out []string
	for _, re := range []*regexp.Regexp{inlineScript, handlerAttr, styleAttr, javascriptURL} {
		for _, m := range re.FindAllString(html, 5) {
			if len(m) > 80 {
				m = m[:80]
			}
			out = append(out, m)
		}
	}
	return out
}
