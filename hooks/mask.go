package hooks

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaskText hides personal data a resident typed into text that will be
// shown publicly: mobile and landline numbers, ID and bank-card numbers,
// e-mail addresses, and the given names (the resident's own contact name).
func MaskText(s string, names ...string) string {
	s = maskNames(s, names)
	s = maskEmails(s)
	return maskDigitRuns(s)
}

// maskNames keeps the surname and stars the rest: 张三丰 → 张**.
func maskNames(s string, names []string) string {
	for _, n := range names {
		n = strings.TrimSpace(n)
		if utf8.RuneCountInString(n) < 2 {
			continue
		}
		first, size := utf8.DecodeRuneInString(n)
		masked := string(first) + strings.Repeat("*", utf8.RuneCountInString(n[size:]))
		s = strings.ReplaceAll(s, n, masked)
	}
	return s
}

func isEmailLocal(r rune) bool {
	return r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("._%+-", r))
}

// maskEmails replaces the local part of every address with stars: a***@qq.com.
func maskEmails(s string) string {
	if !strings.Contains(s, "@") {
		return s
	}
	runes := []rune(s)
	for i, r := range runes {
		if r != '@' || i == 0 || i == len(runes)-1 || !isEmailLocal(runes[i+1]) {
			continue
		}
		start := i
		for start > 0 && isEmailLocal(runes[start-1]) {
			start--
		}
		for j := start + 1; j < i; j++ {
			runes[j] = '*'
		}
	}
	return string(runes)
}

func isDigit(r rune) bool { return (r >= '0' && r <= '9') || (r >= '０' && r <= '９') }

// isGroupSep separates the digit groups of a number typed as 138 1234 5678.
func isGroupSep(r rune) bool {
	return r == ' ' || r == '\u00a0' || r == '\u3000' || r == '-' || r == '－'
}

func isIDCheck(r rune) bool { return r == 'X' || r == 'x' || r == 'Ｘ' || r == 'ｘ' }

// maskDigitRuns looks at every run of digits (ASCII or full-width; an ID
// number may end in X) and masks those long enough to identify a person:
// 11-digit mobiles keep 3+4 digits, IDs and card numbers keep the first 3 and
// last 4, other runs of 7 or more keep the last 4. Eight-digit dates stay.
// A number typed in groups of 3 or more digits (138 1234 5678,
// 6222 0212 3456 7890, 0527 8888 1234) is masked as one run when it has the
// shape of a mobile, landline, ID or card number; ranges and dates such as
// 3000-5000, 2026-11-26 or 20261126-20261231 stay as they are.
func maskDigitRuns(s string) string {
	runes := []rune(s)
	for i := 0; i < len(runes); {
		if !isDigit(runes[i]) {
			i++
			continue
		}
		var groups [][2]int // [start, end) of each digit group
		j := i
		for {
			k := j
			for k < len(runes) && isDigit(runes[k]) {
				k++
			}
			groups = append(groups, [2]int{j, k})
			if k-j < 3 || k+1 >= len(runes) || !isGroupSep(runes[k]) {
				break
			}
			next := k + 1
			for next < len(runes) && isDigit(runes[next]) {
				next++
			}
			if next-(k+1) < 3 {
				break
			}
			j = k + 1
		}
		var pos []int // the digits of all groups, in order
		longest := 0
		for _, g := range groups {
			for p := g[0]; p < g[1]; p++ {
				pos = append(pos, p)
			}
			longest = max(longest, g[1]-g[0])
		}
		last := &groups[len(groups)-1]
		if last[1] < len(runes) && isIDCheck(runes[last[1]]) && (len(pos) == 17 || last[1]-last[0] == 17) {
			pos = append(pos, last[1])
			last[1]++
		}
		end := last[1]
		first, n := runes[i], len(pos)
		zero := first == '0' || first == '０'
		// Groups of 7 or more digits are masked on their own, except in an ID
		// number typed as 321323 19900101 123X, whose birth date would stay.
		idShape := len(groups) == 3 && groups[0][1]-groups[0][0] == 6 && groups[1][1]-groups[1][0] == 8 && n == 18
		if len(groups) > 1 && (longest <= 6 || idShape) && ((n == 11 && (first == '1' || first == '１')) ||
			(zero && n >= 10) || (!zero && n >= 15)) {
			run := make([]rune, n)
			for k, p := range pos {
				run[k] = runes[p]
			}
			maskRun(run)
			for k, p := range pos {
				runes[p] = run[k]
			}
		} else {
			for _, g := range groups {
				maskRun(runes[g[0]:g[1]])
			}
		}
		i = end
	}
	return string(runes)
}

func maskRun(run []rune) {
	n := len(run)
	switch {
	case n < 7 || looksLikeDate(run):
		return
	case n == 11 && (run[0] == '1' || run[0] == '１'):
		star(run[3:7])
	case n >= 15:
		star(run[3 : n-4])
	default:
		star(run[:n-4])
	}
}

func star(r []rune) {
	for i := range r {
		r[i] = '*'
	}
}

// looksLikeDate spares yyyymmdd runs such as 20261126 from masking.
func looksLikeDate(run []rune) bool {
	if len(run) != 8 {
		return false
	}
	d := make([]int, 8)
	for i, r := range run {
		if r >= '０' {
			r = r - '０' + '0'
		}
		d[i] = int(r - '0')
	}
	year := d[0]*1000 + d[1]*100 + d[2]*10 + d[3]
	month := d[4]*10 + d[5]
	day := d[6]*10 + d[7]
	return year >= 1900 && year <= 2100 && month >= 1 && month <= 12 && day >= 1 && day <= 31
}

// MaskPhone shows a phone number the way a resident recognises their own:
// 138****5678.
func MaskPhone(phone string) string {
	r := []rune(phone)
	if len(r) < 7 {
		return strings.Repeat("*", len(r))
	}
	keep := 3
	star(r[keep : len(r)-4])
	return string(r)
}

// MaskName keeps the surname only: 张**.
func MaskName(name string) string {
	return maskNames(name, []string{name})
}
