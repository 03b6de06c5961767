package hooks

import (
	"regexp"
	"strings"
	"unicode"
)

var (
	mobileRe   = regexp.MustCompile(`^1[3-9]\d{9}$`)
	landlineRe = regexp.MustCompile(`^0\d{2,3}-?[2-9]\d{6,7}(-\d{1,6})?$`)
)

// NormalizePhone strips spaces (including the full-width space of Chinese
// input methods) and +86/0086 prefixes so that the same number is always
// stored the same way; normalizing a normalized number changes nothing.
func NormalizePhone(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r):
			return -1
		case r >= '０' && r <= '９':
			return r - '０' + '0'
		case r == '－' || r == '—':
			return '-'
		}
		return r
	}, strings.TrimSpace(s))
	for stripped := true; stripped; {
		stripped = false
		for _, p := range []string{"+86-", "+86", "0086"} {
			if strings.HasPrefix(s, p) {
				s, stripped = s[len(p):], true
				break
			}
		}
	}
	return s
}

// ValidPhone accepts mainland mobile numbers (13x–19x, 11 digits) and
// landlines with area code (0527-88888888, 052788888888, optional extension).
func ValidPhone(s string) bool {
	return mobileRe.MatchString(s) || landlineRe.MatchString(s)
}
