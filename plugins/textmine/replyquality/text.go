package replyquality

import (
	"regexp"
	"strings"
	"unicode"
)

// sentences splits text at sentence ends and line breaks, trimmed, empty
// ones dropped. Chinese officials' replies often number their points
// ("一是…；二是…"), so semicolons end a sentence too.
func sentences(text string) []string {
	var out []string
	var b strings.Builder
	flush := func() {
		s := strings.TrimSpace(b.String())
		if s != "" {
			out = append(out, s)
		}
		b.Reset()
	}
	for _, r := range text {
		b.WriteRune(r)
		switch r {
		case '。', '！', '？', '!', '?', '；', ';', '\n', '\r':
			flush()
		}
	}
	flush()
	return out
}

// content keeps the letters and digits of s, folded to half width and
// lower case: the units the overlap measures work on.
func content(s string) []rune {
	var out []rune
	for _, r := range s {
		if r >= 0xFF01 && r <= 0xFF5E {
			r -= 0xFEE0
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			out = append(out, unicode.ToLower(r))
		}
	}
	return out
}

// bigramCounts counts the topic bigrams of s (see bigramSet).
func bigramCounts(s string) map[string]int {
	rs := content(s)
	m := map[string]int{}
	for i := 0; i+1 < len(rs); i++ {
		bg := string(rs[i : i+2])
		if stopBigrams[bg] || isFunctionBigram(rs[i], rs[i+1]) {
			continue
		}
		m[bg]++
	}
	return m
}

// bigramSet is the set of character bigrams of s, without the bigrams
// that say nothing about a topic (stopBigrams).
func bigramSet(s string) map[string]bool {
	rs := content(s)
	m := map[string]bool{}
	for i := 0; i+1 < len(rs); i++ {
		bg := string(rs[i : i+2])
		if stopBigrams[bg] || isFunctionBigram(rs[i], rs[i+1]) {
			continue
		}
		m[bg] = true
	}
	return m
}

// isFunctionBigram: bigrams with a function character (的了是在…) or a
// digit or latin letter (A市, 2月: pseudonyms, dates and counts) carry no
// topic.
func isFunctionBigram(a, b rune) bool {
	if functionChars[a] || functionChars[b] {
		return true
	}
	return !unicode.Is(unicode.Han, a) || !unicode.Is(unicode.Han, b)
}

var functionChars = setOf("的了是在和与及或也都就还又很把被对向从给让等着过吗呢吧啊呀么这那其之而且但并我你您他她它们有个为于以将已一上下不")

// stopBigrams are words every appeal or reply uses whatever it is about.
var stopBigrams = setOf2(
	"问题", "反映", "投诉", "咨询", "建议", "请求", "要求", "希望", "关于", "情况", "相关", "部门", "政府",
	"领导", "工作", "我们", "你们", "网友", "留言", "答复", "回复", "处理", "解决", "现在", "目前", "一个",
	"没有", "什么", "如何", "怎么", "为什", "能否", "是否", "可以", "进行", "通过", "今年", "去年", "时间",
	"平台", "书记", "市长", "县长", "区长", "栏目", "来信", "信任", "支持", "感谢", "谢谢", "您好", "如下",
	"调查", "核实", "有关", "单位", "群众", "居民", "市民", "老百", "百姓", "本人", "我家", "尊敬",
)

func setOf(s string) map[rune]bool {
	m := map[rune]bool{}
	for _, r := range s {
		m[r] = true
	}
	return m
}

func setOf2(words ...string) map[string]bool {
	m := map[string]bool{}
	for _, w := range words {
		m[w] = true
	}
	return m
}

// anyMatch reports the first pattern that matches s ("" when none).
func anyMatch(s string, patterns []*regexp.Regexp) string {
	for _, p := range patterns {
		if m := p.FindString(s); m != "" {
			return m
		}
	}
	return ""
}

func compile(exprs ...string) []*regexp.Regexp {
	out := make([]*regexp.Regexp, len(exprs))
	for i, e := range exprs {
		out[i] = regexp.MustCompile(e)
	}
	return out
}

func runeLen(s string) int { return len([]rune(s)) }
