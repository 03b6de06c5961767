package hotspot

import (
	"regexp"
	"strings"
)

// name gives a group its place (the most frequent place, with the region
// prefix it is most often written with) and its problem (the most central
// title, stripped of the place and of filler words).
func name(msgs []Message, places [][]Place, vecs []vector, members []int) (place, problem string) {
	count := map[string]int{}
	spelled := map[string]map[string]int{}
	for _, i := range members {
		for _, p := range places[i] {
			count[p.Key]++
			if spelled[p.Key] == nil {
				spelled[p.Key] = map[string]int{}
			}
			spelled[p.Key][p.Name]++
		}
	}
	bestKey := ""
	for k, c := range count {
		if c > count[bestKey] || (c == count[bestKey] && len(k) > len(bestKey)) {
			bestKey = k
		}
	}
	if bestKey != "" && count[bestKey] >= (len(members)+2)/3 {
		place = mostFrequent(spelled[bestKey])
		region := map[string]int{}
		for _, i := range members {
			if rs := Regions(msgs[i].Title + msgs[i].Text); len(rs) > 0 {
				region[rs[len(rs)-1]]++
				if len(rs) > 1 && strings.HasSuffix(rs[0], "市") {
					region[rs[1]]++
				}
			}
		}
		if r := mostFrequent(region); r != "" && !strings.HasSuffix(r, "市") {
			place = r + place
		}
	}
	// the most central message's title states the problem
	best, bestSim := members[0], -1.0
	for _, i := range members {
		var s float64
		for _, j := range members {
			if i != j {
				s += cosine(vecs[i], vecs[j])
			}
		}
		if s > bestSim {
			best, bestSim = i, s
		}
	}
	problem = cleanTitle(msgs[best].Title, place, bestKey)
	if problem == "" {
		problem = cleanTitle(firstSentence(msgs[best].Text), place, bestKey)
	}
	return place, problem
}

func mostFrequent(m map[string]int) string {
	best := ""
	for k, c := range m {
		if c > m[best] || (c == m[best] && k < best && m[best] > 0) || best == "" {
			best = k
		}
	}
	return best
}

var (
	fillerRe = regexp.MustCompile(`^(关于|反映|投诉|举报|请求|建议|咨询|希望|强烈|再次|紧急|恳请|呼吁|要求|请问|请|对)+|(的)?(问题|情况|事宜|一事)(的)?(反映|投诉|举报|咨询|请求|建议)?$|[！!？?。.，,…]+$`)
)

// cleanTitle strips a title of the place already named and of filler.
func cleanTitle(title, place, key string) string {
	t := strings.TrimSpace(title)
	for _, s := range []string{place, key} {
		if s != "" {
			t = strings.Replace(t, s, "", 1)
		}
	}
	for i := 0; i < 3; i++ {
		t = strings.TrimSpace(adminRe.ReplaceAllString(t, ""))
		t = strings.TrimSpace(fillerRe.ReplaceAllString(t, ""))
		t = strings.TrimLeft(t, "的在，,、 ")
		t = strings.TrimPrefix(t, "小区")
	}
	if r := []rune(t); len(r) > 30 {
		t = string(r[:30]) + "…"
	}
	return t
}

func firstSentence(s string) string {
	if i := strings.IndexAny(s, "。！？\n"); i > 0 {
		return s[:i]
	}
	return s
}
