package classify

import (
	"math"
	"sort"
)

// sparse is an L2-normalised TF-IDF vector with indices in ascending order.
type sparse struct {
	idx []int32
	val []float32
}

// vocabulary maps terms to feature indices and holds their idf weights.
type vocabulary struct {
	terms []string // sorted, so the same data gives the same indices
	idf   []float32
	index map[string]int32
}

// buildVocabulary keeps the terms that occur in at least minDF documents
// (rare terms are mostly names and typos that only add noise and size),
// optionally only the maxTerms most frequent ones, and computes the smoothed
// idf ln((1+N)/(1+df))+1.
func buildVocabulary(docs []map[string]int32, minDF, maxTerms int) vocabulary {
	df := map[string]int32{}
	for _, d := range docs {
		for t := range d {
			df[t]++
		}
	}
	terms := make([]string, 0, len(df))
	for t, n := range df {
		if int(n) >= minDF {
			terms = append(terms, t)
		}
	}
	if maxTerms > 0 && len(terms) > maxTerms {
		sort.Slice(terms, func(i, j int) bool {
			if df[terms[i]] != df[terms[j]] {
				return df[terms[i]] > df[terms[j]]
			}
			return terms[i] < terms[j]
		})
		terms = terms[:maxTerms]
	}
	sort.Strings(terms)
	v := vocabulary{terms: terms, idf: make([]float32, len(terms))}
	n := float64(len(docs))
	for i, t := range terms {
		v.idf[i] = float32(math.Log((1+n)/(1+float64(df[t]))) + 1)
	}
	v.reindex()
	return v
}

func (v *vocabulary) reindex() {
	v.index = make(map[string]int32, len(v.terms))
	for i, t := range v.terms {
		v.index[t] = int32(i)
	}
}

// vector weights known terms by (1+ln tf)·idf and scales to unit length;
// sublinear tf keeps one word repeated ten times from dominating a message.
func (v *vocabulary) vector(tc map[string]int32) sparse {
	var x sparse
	for t, n := range tc {
		i, ok := v.index[t]
		if !ok {
			continue
		}
		x.idx = append(x.idx, i)
		x.val = append(x.val, float32(1+math.Log(float64(n)))*v.idf[i])
	}
	sort.Sort(byIndex(x))
	var ss float64
	for _, w := range x.val {
		ss += float64(w) * float64(w)
	}
	if ss > 0 {
		inv := float32(1 / math.Sqrt(ss))
		for i := range x.val {
			x.val[i] *= inv
		}
	}
	return x
}

type byIndex sparse

func (s byIndex) Len() int           { return len(s.idx) }
func (s byIndex) Less(i, j int) bool { return s.idx[i] < s.idx[j] }
func (s byIndex) Swap(i, j int) {
	s.idx[i], s.idx[j] = s.idx[j], s.idx[i]
	s.val[i], s.val[j] = s.val[j], s.val[i]
}
