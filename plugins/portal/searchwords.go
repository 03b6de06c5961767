package portal

import (
	"strings"
	"unicode"
)

// The keyword index (searchindex.go) holds, for each public appeal, its
// title and content as words FTS5 can split on spaces: Chinese has none,
// so every run of letters and digits becomes the pairs of neighbouring
// characters, then its last character alone. "路灯不亮" is indexed as
// 路灯 灯不 不亮 亮.
//
// Any piece of a run is then a phrase of its pairs: "灯不亮" is the phrase
// "灯不 不亮", found exactly where the text has those three characters in a
// row — what `content LIKE '%灯不亮%'` finds. One character is a prefix:
// "灯"* matches 灯 followed by anything (灯不) or ending a run (灯), which
// is every place the character occurs. The lone last character also keeps
// two runs apart, so "路灯，灯泡" does not hold the phrase of "路灯泡".
// Keywords of one character only are answered from the table of each
// appeal's characters instead (searchchars.go, charsMatch), which finds
// the same appeals without merging the lists of every pair.
//
// Letters are folded as bigrams() folds them (lower case, full-width to
// ASCII), the same on both sides, so "ＷＩＦＩ" finds "wifi".

// searchMaxRunes bounds a query: a longer one is not a keyword.
const searchMaxRunes = 50

// isWordRune: letters and digits make words; anything else separates.
func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// searchRuns splits s into its runs of letters and digits, folded.
func searchRuns(s string) [][]rune {
	var runs [][]rune
	var run []rune
	for _, r := range s {
		r = fold(r)
		if isWordRune(r) {
			run = append(run, r)
			continue
		}
		if len(run) > 0 {
			runs = append(runs, run)
			run = nil
		}
	}
	if len(run) > 0 {
		runs = append(runs, run)
	}
	return runs
}

// searchWords answers the index text of the given texts (title, content).
func searchWords(texts ...string) string {
	var b strings.Builder
	for _, s := range texts {
		for _, run := range searchRuns(s) {
			for i := range run {
				if b.Len() > 0 {
					b.WriteByte(' ')
				}
				if i+1 < len(run) {
					b.WriteString(string(run[i : i+2]))
				} else {
					b.WriteRune(run[i])
				}
			}
		}
	}
	return b.String()
}

// searchMatch answers the FTS5 query of a resident's keywords: each run of
// letters and digits must occur (a phrase of its pairs, or a one-character
// prefix); runs separated by spaces or punctuation must all occur, in any
// order. "" when q has no letters or digits.
func searchMatch(q string) string {
	var parts []string
	for _, run := range searchRuns(q) {
		if len(run) == 1 {
			parts = append(parts, `"`+string(run)+`"*`)
			continue
		}
		pairs := make([]string, 0, len(run)-1)
		for i := 0; i+1 < len(run); i++ {
			pairs = append(pairs, string(run[i:i+2]))
		}
		parts = append(parts, `"`+strings.Join(pairs, " ")+`"`)
	}
	return strings.Join(parts, " AND ")
}

// charsMatch answers the FTS5 query of q on the characters table when
// every run of letters and digits in q is one character ("灯", "路 灯"):
// each must occur. "" otherwise (a longer run needs the pairs).
func charsMatch(q string) string {
	var parts []string
	for _, run := range searchRuns(q) {
		if len(run) != 1 {
			return ""
		}
		parts = append(parts, `"`+string(run)+`"`)
	}
	return strings.Join(parts, " AND ")
}
