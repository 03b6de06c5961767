package hotspot

import (
	"math"
	"sort"
	"unicode"
)

// vector is a sparse TF-IDF vector: term ids ascending, unit length.
type vector struct {
	ids []int32
	w   []float32
}

// vocabulary maps character bigrams to term ids.
type vocabulary map[string]int32

// grams lists the character bigrams of the letters and digits of s, folded
// to half width and lower case, punctuation separating runs.
func grams(s string) []string {
	var out []string
	var prev rune
	for _, r := range s {
		if r >= 0xFF01 && r <= 0xFF5E {
			r -= 0xFEE0
		}
		if !(unicode.IsLetter(r) || unicode.IsDigit(r)) {
			prev = 0
			continue
		}
		r = unicode.ToLower(r)
		if prev != 0 {
			out = append(out, string([]rune{prev, r}))
		}
		prev = r
	}
	return out
}

// vectorize builds TF-IDF vectors (sublinear tf, smoothed idf, unit
// length) of docs, each given as bigram counts. Terms in more than
// maxDF of the documents (and more than 20 of them, so that a small set
// keeps its words) are dropped: they say nothing about a problem.
func vectorize(docs []map[string]float64, maxDF float64) ([]vector, []float64) {
	vocab := vocabulary{}
	df := []int{}
	for _, d := range docs {
		for g := range d {
			id, ok := vocab[g]
			if !ok {
				id = int32(len(df))
				vocab[g] = id
				df = append(df, 0)
			}
			df[id]++
		}
	}
	n := float64(len(docs))
	idf := make([]float64, len(df))
	for i, f := range df {
		if float64(f) > maxDF*n && f > 20 {
			idf[i] = 0
			continue
		}
		idf[i] = math.Log((1+n)/(1+float64(f))) + 1
	}
	out := make([]vector, len(docs))
	for i, d := range docs {
		var v vector
		var norm float64
		type tw struct {
			id int32
			w  float64
		}
		var ts []tw
		for g, c := range d {
			id := vocab[g]
			if idf[id] == 0 {
				continue
			}
			w := (1 + math.Log(c)) * idf[id]
			ts = append(ts, tw{id, w})
			norm += w * w
		}
		sort.Slice(ts, func(a, b int) bool { return ts[a].id < ts[b].id })
		norm = math.Sqrt(norm)
		for _, t := range ts {
			v.ids = append(v.ids, t.id)
			v.w = append(v.w, float32(t.w/norm))
		}
		out[i] = v
	}
	return out, idf
}

// cosine of two unit vectors.
func cosine(a, b vector) float64 {
	var dot float64
	i, j := 0, 0
	for i < len(a.ids) && j < len(b.ids) {
		switch {
		case a.ids[i] == b.ids[j]:
			dot += float64(a.w[i]) * float64(b.w[j])
			i++
			j++
		case a.ids[i] < b.ids[j]:
			i++
		default:
			j++
		}
	}
	return dot
}
