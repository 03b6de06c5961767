package hotspot

import (
	"math"
	"sort"
	"strings"
	"time"
	"unicode"
)

// Message is one resident's message (an appeal).
type Message struct {
	ID    string
	User  string // who wrote it; "" counts each message as a different resident
	Title string
	Text  string
	At    time.Time
	Likes int // 点赞 and similar reactions where the channel has them
}

// Options tune the grouping. The zero value of a field means its default.
type Options struct {
	// LinkPlace is the lowest text similarity (cosine of TF-IDF bigram
	// vectors) for two messages naming the same place. Default 0.2.
	LinkPlace float64
	// LinkTerm is the lowest similarity for two messages whose titles
	// share a rare term (a trigram few titles use, e.g. 58车贷, 五矿万境):
	// a name the place finder does not know. Default 0.3.
	LinkTerm float64
	// LinkText is the lowest similarity for two messages without a
	// shared place or term: they must be worded very alike. Default 0.5.
	LinkText float64
	// Window is the longest time between two linked messages. Default 120 days.
	Window time.Duration
	// MinResidents is the fewest different residents a hotspot needs. Default 2.
	MinResidents int
	// Now is the reference time for recency and growth; zero means the
	// latest message's time.
	Now time.Time
	// MaxDF drops bigrams found in more than this share of the messages. Default 0.05.
	MaxDF float64
}

func (o *Options) defaults(msgs []Message) {
	if o.LinkPlace == 0 {
		o.LinkPlace = 0.2
	}
	if o.LinkTerm == 0 {
		o.LinkTerm = 0.3
	}
	if o.LinkText == 0 {
		o.LinkText = 0.5
	}
	if o.Window == 0 {
		o.Window = 120 * 24 * time.Hour
	}
	if o.MinResidents == 0 {
		o.MinResidents = 2
	}
	if o.MaxDF == 0 {
		o.MaxDF = 0.05
	}
	if o.Now.IsZero() {
		for _, m := range msgs {
			if m.At.After(o.Now) {
				o.Now = m.At
			}
		}
	}
}

// Group is one hotspot.
type Group struct {
	Label     string    `json:"label"`   // place + problem, one line
	Place     string    `json:"place"`   // e.g. A2区丽发新城
	Problem   string    `json:"problem"` // e.g. 搅拌站噪音扰民
	IDs       []string  `json:"ids"`     // message ids, oldest first
	Count     int       `json:"count"`
	Residents int       `json:"residents"`
	Likes     int       `json:"likes"`
	First     time.Time `json:"first"`
	Last      time.Time `json:"last"`
	Recent    int       `json:"recent"`       // messages in the last 7 days before Now
	Usual     float64   `json:"usual_weekly"` // messages per week before that
	Heat      float64   `json:"heat"`
	members   []int
}

// Find groups the messages and answers the hotspots, hottest first.
func Find(msgs []Message, opt Options) []Group {
	opt.defaults(msgs)
	n := len(msgs)
	places := make([][]Place, n)
	docs := make([]map[string]float64, n)
	titleDocs := make([]map[string]float64, n)
	for i, m := range msgs {
		places[i] = Places(m.Title + "。" + m.Text)
		d, td := map[string]float64{}, map[string]float64{}
		for _, g := range grams(adminRe.ReplaceAllString(m.Title, " ")) {
			d[g] += 2
			td[g]++
		}
		for _, g := range grams(m.Text) {
			d[g]++
		}
		docs[i], titleDocs[i] = d, td
	}
	vecs, _ := vectorize(docs, opt.MaxDF)
	titles, _ := vectorize(titleDocs, opt.MaxDF)

	c := &clusterer{msgs: msgs, places: places, vecs: vecs, titles: titles, opt: opt}
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	comps := c.split(all, 0, 0)
	var groups []Group
	for _, members := range comps {
		g := describe(msgs, places, vecs, members, opt)
		if g.Residents >= opt.MinResidents {
			groups = append(groups, g)
		}
	}
	sort.SliceStable(groups, func(a, b int) bool {
		if groups[a].Heat != groups[b].Heat {
			return groups[a].Heat > groups[b].Heat
		}
		return groups[a].IDs[0] < groups[b].IDs[0]
	})
	return groups
}

func indexOf(ids []int32, id int32) int {
	return sort.Search(len(ids), func(i int) bool { return ids[i] >= id })
}

// describe measures and names a group.
func describe(msgs []Message, places [][]Place, vecs []vector, members []int, opt Options) Group {
	sort.SliceStable(members, func(a, b int) bool { return msgs[members[a]].At.Before(msgs[members[b]].At) })
	g := Group{Count: len(members), members: members}
	users := map[string]bool{}
	for _, i := range members {
		m := msgs[i]
		g.IDs = append(g.IDs, m.ID)
		if m.User == "" {
			users["#"+m.ID] = true
		} else {
			users[m.User] = true
		}
		g.Likes += m.Likes
		if g.First.IsZero() || m.At.Before(g.First) {
			g.First = m.At
		}
		if m.At.After(g.Last) {
			g.Last = m.At
		}
		if !m.At.After(opt.Now) && opt.Now.Sub(m.At) <= 7*24*time.Hour {
			g.Recent++
		}
	}
	g.Residents = len(users)
	before := g.Count - g.Recent
	if weeks := opt.Now.Add(-7*24*time.Hour).Sub(g.First).Hours() / (24 * 7); before > 0 && weeks > 0 {
		g.Usual = float64(before) / math.Max(weeks, 1)
	}
	g.Heat = Heat(g, opt.Now)
	g.Place, g.Problem = name(msgs, places, vecs, members)
	g.Label = g.Place
	if g.Problem != "" {
		if g.Label != "" {
			g.Label += "："
		}
		g.Label += g.Problem
	}
	return g
}

// Heat is the heat index of a group (docs/analytics.md):
//
//	heat = 10·ln(1+residents) + 4·ln(1+messages) + 2·ln(1+likes)
//	     + 5·recency + 5·growth
//
// recency = 0.5^(days since the last message / 30); growth = how far the
// last 7 days outpace the usual weekly rate, log2(1+recent) −
// log2(1+usual), clamped to [0, 2] and halved. Distinct residents weigh
// most (one person writing ten times is one voice); likes are damped
// (a single viral post should not outrank a problem many people report).
func Heat(g Group, now time.Time) float64 {
	days := now.Sub(g.Last).Hours() / 24
	if days < 0 {
		days = 0
	}
	recency := math.Pow(0.5, days/30)
	growth := math.Log2(1+float64(g.Recent)) - math.Log2(1+g.Usual)
	growth = math.Max(0, math.Min(2, growth)) / 2
	h := 10*math.Log(1+float64(g.Residents)) + 4*math.Log(1+float64(g.Count)) + 2*math.Log(1+float64(g.Likes)) +
		5*recency + 5*growth
	return math.Round(h*100) / 100
}

type unionFind struct{ parent []int }

func newUnionFind(n int) *unionFind {
	u := &unionFind{parent: make([]int, n)}
	for i := range u.parent {
		u.parent[i] = i
	}
	return u
}

func (u *unionFind) find(i int) int {
	for u.parent[i] != i {
		u.parent[i] = u.parent[u.parent[i]]
		i = u.parent[i]
	}
	return i
}

func (u *unionFind) union(a, b int) { u.parent[u.find(a)] = u.find(b) }

// rareTitleTerms indexes the messages by the trigrams of their titles that
// few titles share (between 2 and max(20, 1 %) of them), with at least two
// Chinese characters and no stop bigram: names of estates, companies and
// cases the place finder misses.
func rareTitleTerms(msgs []Message, members []int) map[string][]int {
	byTerm := map[string][]int{}
	for _, i := range members {
		m := msgs[i]
		seen := map[string]bool{}
		t := adminRe.ReplaceAllString(m.Title, " ")
		for _, run := range strings.FieldsFunc(t, func(r rune) bool { return !(unicode.IsLetter(r) || unicode.IsDigit(r)) }) {
			rs := []rune(run)
			for k := 0; k+3 <= len(rs); k++ {
				tri := string(rs[k : k+3])
				if seen[tri] || hanCount(rs[k:k+3]) < 2 || stopTerm(tri) {
					continue
				}
				seen[tri] = true
				byTerm[tri] = append(byTerm[tri], i)
			}
		}
	}
	limit := max(20, len(msgs)/100)
	for k, v := range byTerm {
		if len(v) < 2 || len(v) > limit {
			delete(byTerm, k)
		}
	}
	return byTerm
}

func hanCount(rs []rune) int {
	n := 0
	for _, r := range rs {
		if unicode.Is(unicode.Han, r) {
			n++
		}
	}
	return n
}

// stopTerm: a trigram containing a word of complaint rather than a name.
func stopTerm(tri string) bool {
	for _, w := range stopWords {
		if strings.Contains(tri, w) {
			return true
		}
	}
	return false
}

var stopWords = []string{"问题", "反映", "投诉", "举报", "咨询", "建议", "请求", "希望", "关于", "要求", "严重", "扰民",
	"噪音", "油烟", "污染", "违规", "违法", "违建", "拖欠", "工资", "小区", "业主", "物业", "何时", "什么", "为什", "能否",
	"是否", "如何", "怎么", "情况", "相关", "部门", "政府", "领导", "书记", "市长", "解决", "处理", "整改", "安全", "隐患"}
