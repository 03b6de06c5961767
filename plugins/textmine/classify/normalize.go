package classify

import (
	"strings"
	"unicode"
)

// Normalize folds full-width forms to half-width, lower-cases letters and
// turns every run of whitespace, punctuation and symbols into one space, so
// that "ＡＢＣ，１２３！" and "abc 123" give the same features. Spaces mark
// segment boundaries: n-grams never span them.
func Normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	pendingSpace := false
	for _, r := range s {
		r = foldWidth(r)
		if !isContent(r) {
			pendingSpace = b.Len() > 0
			continue
		}
		if pendingSpace {
			b.WriteByte(' ')
			pendingSpace = false
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// foldWidth maps full-width ASCII variants (U+FF01–U+FF5E) and the
// ideographic space to their half-width forms; appeals typed on Chinese
// input methods mix both freely.
func foldWidth(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		return r - 0xFEE0
	case r == 0x3000:
		return ' '
	}
	return r
}

// isContent reports whether r carries meaning for classification: letters
// (Han included) and digits. Everything else separates segments.
func isContent(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}
