package replyquality

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
)

// relevance: how much of what the appeal is about the reply takes up —
// the share of the title's topic bigrams and the share of the content's 20
// most frequent ones found in the reply, averaged; half of them is full
// marks (a reply rephrases, it does not quote).
func relevance(title, body string, reply map[string]bool) Criterion {
	titleGrams := bigramCounts(title)
	top := topBigrams(bigramCounts(body), 20)
	if len(titleGrams) == 0 && len(top) == 0 {
		return Criterion{Reasons: []string{}}
	}
	var shares []float64
	share := func(grams []string) {
		if len(grams) == 0 {
			return
		}
		hit := 0
		for _, g := range grams {
			if reply[g] {
				hit++
			}
		}
		shares = append(shares, float64(hit)/float64(len(grams)))
	}
	share(topBigrams(titleGrams, 20))
	share(top)
	mean := 0.0
	for _, s := range shares {
		mean += s / float64(len(shares))
	}
	c := Criterion{Score: ptr(math.Min(1, mean/0.5)), Reasons: []string{}}
	if missing := missingTerms(title, reply, 4); mean < 0.2 && len(missing) > 0 {
		c.Reasons = append(c.Reasons, "答复与诉求关联度低：诉求的要点（如「"+strings.Join(missing, "」「")+"」）在答复中没有出现")
	}
	return c
}

// topBigrams are the n most frequent bigrams (ties in text order of their
// first letters, for stable output).
func topBigrams(counts map[string]int, n int) []string {
	out := make([]string, 0, len(counts))
	for g := range counts {
		out = append(out, g)
	}
	sort.Slice(out, func(i, j int) bool {
		if counts[out[i]] != counts[out[j]] {
			return counts[out[i]] > counts[out[j]]
		}
		return out[i] < out[j]
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// missingTerms are the stretches of the title made of topic bigrams the
// reply never uses ("乌江", "两岸居民"): readable words rather than bigrams.
func missingTerms(title string, reply map[string]bool, n int) []string {
	rs := content(title)
	var out []string
	start := -1
	flush := func(end int) {
		if start >= 0 && end-start >= 2 && len(out) < n {
			out = append(out, string(rs[start:min(end, start+4)])) // a word or two, not a clause
		}
		start = -1
	}
	for i := 0; i+1 < len(rs); i++ {
		bg := string(rs[i : i+2])
		topic := !stopBigrams[bg] && !isFunctionBigram(rs[i], rs[i+1])
		if topic && !reply[bg] {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i + 1)
	}
	flush(len(rs))
	return out
}

// maxAsks bounds how many questions of one appeal are checked (long
// letters repeat themselves).
const maxAsks = 8

// asks finds the questions and requests of the appeal and whether the
// reply speaks to each: at least a quarter of the ask's topic bigrams (and
// two or more of them) in the reply; a "when" question is answered by a
// date. A short ask with little topic of its own is about the title.
func asks(title, appeal string, reply map[string]bool, dated bool) []Ask {
	var out []Ask
	for _, s := range sentences(title + "\n" + appeal) {
		if anyMatch(s, askCues) == "" {
			continue
		}
		grams := bigramSet(s)
		if anyMatch(s, whenAsks) != "" && dated {
			out = append(out, Ask{Text: clip(s, 60), Addressed: true})
			continue
		}
		if len(grams) < 3 {
			// "请问什么时候能修好？" is about the title's subject
			for g := range bigramSet(title) {
				grams[g] = true
			}
		}
		if len(grams) < 2 {
			continue
		}
		hit := 0
		for g := range grams {
			if reply[g] {
				hit++
			}
		}
		addressed := hit >= 2 && float64(hit) >= float64(len(grams))/4
		out = append(out, Ask{Text: clip(s, 60), Addressed: addressed})
		if len(out) == maxAsks {
			break
		}
	}
	return out
}

// completeness: the share of the appeal's asks the reply speaks to. An
// appeal without a recognisable question is judged by relevance alone.
func completeness(asks []Ask) Criterion {
	if len(asks) == 0 {
		return Criterion{Score: nil, Reasons: []string{}}
	}
	n := 0
	var open []string
	for _, a := range asks {
		if a.Addressed {
			n++
		} else if len(open) < 2 {
			open = append(open, "「"+a.Text+"」")
		}
	}
	c := Criterion{Score: ptr(float64(n) / float64(len(asks))), Reasons: []string{}}
	if n < len(asks) {
		c.Reasons = append(c.Reasons, fmt.Sprintf("未回应诉求中的问题或要求（%d 个中有 %d 个未见回应），如%s", len(asks), len(asks)-n, strings.Join(open, "、")))
	}
	return c
}

// explanation: a policy basis, an inspection, a fact found — one kind is
// 0.6, two or more full marks.
func explanation(text string) Criterion {
	kinds := 0
	for _, cues := range [][]*regexp.Regexp{policyCues, inspectionCues, factCues} {
		if anyMatch(text, cues) != "" {
			kinds++
		}
	}
	c := Criterion{Reasons: []string{}}
	switch kinds {
	case 0:
		c.Score = ptr(0)
		c.Reasons = append(c.Reasons, "未说明依据：没有引用政策规定，也没有说明调查核实的经过或查明的事实")
	case 1:
		c.Score = ptr(0.6)
	default:
		c.Score = ptr(1)
	}
	return c
}

// specificity: an action taken or committed to (half) and a date or time
// frame (half). It answers whether either was found.
func specificity(text string) (c Criterion, acted, dated bool) {
	// passing the case on (已转交相关部门处理) is not an action
	for _, p := range perfunctoryCues {
		text = p.ReplaceAllString(text, "")
	}
	acted = anyMatch(text, doneCues) != "" || anyMatch(text, plannedCues) != ""
	dated = anyMatch(text, dateCues) != ""
	score := 0.0
	c.Reasons = []string{}
	if acted {
		score += 0.5
	} else {
		c.Reasons = append(c.Reasons, "未说明已经采取或将要采取的具体措施")
	}
	if dated {
		score += 0.5
	} else {
		c.Reasons = append(c.Reasons, "未给出办理时间或完成时限")
	}
	c.Score = ptr(score)
	return c, acted, dated
}

// timeliness: against the deadline when there is one (late by up to the
// time limit again halves it, later is 0), else by calendar days from the
// appeal: 5 days full, 15 days 0.8, 30 days 0.5, 60 days 0.25, later 0.
func timeliness(in Input) Criterion {
	c := Criterion{Reasons: []string{}}
	if in.AskedAt.IsZero() || in.RepliedAt.IsZero() || in.RepliedAt.Before(in.AskedAt) {
		return c
	}
	days := in.RepliedAt.Sub(in.AskedAt).Hours() / 24
	if !in.Due.IsZero() && in.Due.After(in.AskedAt) {
		if !in.RepliedAt.After(in.Due) {
			c.Score = ptr(1)
			return c
		}
		late := in.RepliedAt.Sub(in.Due).Hours() / 24
		limit := in.Due.Sub(in.AskedAt).Hours() / 24
		c.Score = ptr(math.Max(0, 0.5-0.5*late/math.Max(limit, 1)))
		c.Reasons = append(c.Reasons, fmt.Sprintf("超过办理期限 %.0f 天答复", math.Ceil(late)))
		return c
	}
	switch {
	case days <= 5:
		c.Score = ptr(1)
	case days <= 15:
		c.Score = ptr(0.8)
	case days <= 30:
		c.Score = ptr(0.5)
	case days <= 60:
		c.Score = ptr(0.25)
	default:
		c.Score = ptr(0)
	}
	if days > 15 {
		c.Reasons = append(c.Reasons, fmt.Sprintf("答复用时 %.0f 天，超过 15 天", math.Floor(days)))
	}
	return c
}

func clip(s string, n int) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:n]) + "…"
}
