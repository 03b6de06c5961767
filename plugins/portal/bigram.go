package portal

import (
	"math"
	"strings"
	"unicode"
)

// vector is a bag of character bigrams with counts.
type vector map[string]int

// bigrams splits s into overlapping pairs of characters. Chinese has no
// spaces between words and most words are two characters long, so pairs of
// characters match words without a dictionary. Only letters and digits
// count; anything else (punctuation, spaces) breaks the run, so no pair
// spans two phrases. Latin letters are lower-cased and full-width forms
// folded, so "ＷＩＦＩ" matches "wifi".
func bigrams(s string) vector {
	v := vector{}
	var prev rune
	for _, r := range s {
		r = fold(r)
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			prev = 0
			continue
		}
		if prev != 0 {
			if pair := string([]rune{prev, r}); !stopPairs[pair] {
				v[pair]++
			}
		}
		prev = r
	}
	return v
}

// stopPairs are pairs that occur in questions about anything: question
// words, politeness, pronouns. Left in, "怎么办" alone would make a street
// light complaint look like a residence permit question.
var stopPairs = map[string]bool{}

func init() {
	for _, p := range strings.Fields(`怎么 么办 么样 怎样 什么 为什 如何 哪些 哪里 请问 是否 能否 可以
		我们 我家 你们 他们 您好 你好 谢谢 麻烦 一下 这个 那个 现在 已经 还是 就是 没有 有没 问题 希望 尽快`) {
		stopPairs[p] = true
	}
}

// fold maps full-width ASCII to ASCII and upper case to lower case.
func fold(r rune) rune {
	if r >= 0xFF01 && r <= 0xFF5E {
		r -= 0xFEE0
	}
	return unicode.ToLower(r)
}

// cosine is the cosine similarity of two bags: 1 for the same mix of
// pairs, 0 for nothing in common.
func cosine(a, b vector) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	var dot, na, nb float64
	for k, x := range a {
		dot += float64(x * b[k])
		na += float64(x * x)
	}
	for _, y := range b {
		nb += float64(y * y)
	}
	return dot / math.Sqrt(na*nb)
}
