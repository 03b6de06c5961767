package hotspot

import "math"

// clusterer links messages into groups.
type clusterer struct {
	msgs   []Message
	places [][]Place
	vecs   []vector
	titles []vector
	opt    Options
}

// Loose large groups are split again with stricter links, so that a chain
// of pairwise-alike messages (幼儿园 here, 幼儿园 there) does not become one
// hotspot: a group over splitSize whose members are on average less alike
// than minCohesion is re-linked with every threshold raised by raiseStep,
// up to maxSplits times.
const (
	splitSize   = 20
	minCohesion = 0.35
	raiseStep   = 0.1
	maxSplits   = 3
)

// split links the members with the thresholds raised by raise and splits
// what comes out loose.
func (c *clusterer) split(members []int, raise float64, depth int) [][]int {
	comps := c.link(members, raise)
	var out [][]int
	for _, comp := range comps {
		if len(comp) > splitSize && depth < maxSplits && c.cohesion(comp) < minCohesion {
			out = append(out, c.split(comp, raise+raiseStep, depth+1)...)
			continue
		}
		out = append(out, comp)
	}
	return out
}

// sim is the closer of the whole texts and the titles alone: a title names
// the problem in a few words, the text may wander.
func (c *clusterer) sim(i, j int) float64 {
	return math.Max(cosine(c.vecs[i], c.vecs[j]), cosine(c.titles[i], c.titles[j]))
}

func (c *clusterer) near(i, j int) bool {
	d := c.msgs[i].At.Sub(c.msgs[j].At)
	return d <= c.opt.Window && -d <= c.opt.Window
}

// conflict: two messages that name specific places, none of them shared,
// are about different places, however alike the words.
func (c *clusterer) conflict(i, j int) bool {
	specific := 0
	for _, a := range c.places[i] {
		for _, b := range c.places[j] {
			if a.Area || b.Area {
				continue
			}
			specific++
			if a.Key == b.Key || a.short() == b.short() {
				return false
			}
		}
	}
	return specific > 0
}

// link answers the connected components of the members under the three
// kinds of link (Options.LinkPlace, LinkTerm, LinkText), each threshold
// raised by raise.
func (c *clusterer) link(members []int, raise float64) [][]int {
	uf := newUnionFind(len(c.msgs))
	byPlace := map[string][]int{}
	for _, i := range members {
		for _, p := range c.places[i] {
			if p.Area {
				continue
			}
			byPlace[p.Key] = append(byPlace[p.Key], i)
			if p.short() != p.Key {
				byPlace[p.short()] = append(byPlace[p.short()], i)
			}
		}
	}
	n := len(c.msgs)
	linkShared := func(index map[string][]int, threshold float64, checkConflict bool) {
		for _, idx := range index {
			if len(idx) > max(n/10, 50) {
				continue // a name a tenth of all messages use (人民路) is no evidence
			}
			for a := 0; a < len(idx); a++ {
				for b := a + 1; b < len(idx); b++ {
					i, j := idx[a], idx[b]
					if c.near(i, j) && !(checkConflict && c.conflict(i, j)) && c.sim(i, j) >= threshold {
						uf.union(i, j)
					}
				}
			}
		}
	}
	linkShared(byPlace, c.opt.LinkPlace+raise, false)
	linkShared(rareTitleTerms(c.msgs, members), c.opt.LinkTerm+raise, true)

	// very alike text, through an inverted index of the terms
	postings := map[int32][]int{}
	acc := make([]float64, n)
	for _, i := range members {
		v := c.vecs[i]
		var touched []int
		for k, id := range v.ids {
			for _, j := range postings[id] {
				if acc[j] == 0 {
					touched = append(touched, j)
				}
				acc[j] += float64(v.w[k]) * float64(c.vecs[j].w[indexOf(c.vecs[j].ids, id)])
			}
			postings[id] = append(postings[id], i)
		}
		for _, j := range touched {
			if acc[j] >= c.opt.LinkText+raise && c.near(i, j) && !c.conflict(i, j) {
				uf.union(i, j)
			}
			acc[j] = 0
		}
	}
	comps := map[int][]int{}
	var order []int
	for _, i := range members {
		r := uf.find(i)
		if _, ok := comps[r]; !ok {
			order = append(order, r)
		}
		comps[r] = append(comps[r], i)
	}
	out := make([][]int, 0, len(order))
	for _, r := range order {
		out = append(out, comps[r])
	}
	return out
}

// cohesion is the members' mean similarity to their centroid.
func (c *clusterer) cohesion(members []int) float64 {
	centroid := map[int32]float64{}
	for _, i := range members {
		v := c.vecs[i]
		for k, id := range v.ids {
			centroid[id] += float64(v.w[k])
		}
	}
	var norm float64
	for _, w := range centroid {
		norm += w * w
	}
	norm = math.Sqrt(norm)
	if norm == 0 {
		return 0
	}
	var sum float64
	for _, i := range members {
		v := c.vecs[i]
		var dot float64
		for k, id := range v.ids {
			dot += float64(v.w[k]) * centroid[id]
		}
		sum += dot / norm
	}
	return sum / float64(len(members))
}
