package dispatch

import (
	"math"
	"sort"
	"time"
	"unicode"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Duplicate is an open appeal that looks like the same problem at the same place.
type Duplicate struct {
	Appeal *core.Record
	Score  float64 // 0–1
	Text   float64 // text similarity
	Place  bool    // same township or a similar address
}

// openStatuses are the states a case can still be merged into.
var openStatuses = []any{"submitted", "accepted", "dispatched", "handling", "suspended", "replied"}

// FindDuplicates looks among the open appeals of the last window (same
// township if known, else same category, else all; the most recent
// candidateLimit) for ones about the same problem at the same place.
func FindDuplicates(app core.App, a *core.Record, window time.Duration, threshold float64) ([]Duplicate, error) {
	since, _ := types.ParseDateTime(time.Now().Add(-window))
	q := app.RecordQuery("appeals").
		AndWhere(dbx.In("status", openStatuses...)).
		AndWhere(dbx.NewExp("created >= {:since}", dbx.Params{"since": since.String()})).
		OrderBy("created DESC").Limit(candidateLimit)
	if a.Id != "" {
		q.AndWhere(dbx.Not(dbx.HashExp{"id": a.Id}))
	}
	switch {
	case a.GetString("region") != "":
		q.AndWhere(dbx.HashExp{"region": a.GetString("region")})
	case a.GetString("category") != "":
		q.AndWhere(dbx.HashExp{"category": a.GetString("category")})
	}
	var candidates []*core.Record
	if err := q.All(&candidates); err != nil {
		return nil, err
	}
	mine := bigrams(a.GetString("title") + " " + a.GetString("content"))
	myPlace := bigrams(a.GetString("address"))
	var out []Duplicate
	for _, c := range candidates {
		text := cosine(mine, bigrams(c.GetString("title")+" "+c.GetString("content")))
		place := samePlace(a, c, myPlace)
		score := text
		if place {
			score = 0.75*text + 0.25
		} else {
			score = 0.75 * text
		}
		if score >= threshold {
			out = append(out, Duplicate{Appeal: c, Score: score, Text: text, Place: place})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Score > out[j].Score })
	if len(out) > maxDuplicates {
		out = out[:maxDuplicates]
	}
	return out, nil
}

const (
	candidateLimit = 500
	maxDuplicates  = 5
)

// samePlace: the same township, or addresses that share most of their wording.
func samePlace(a, b *core.Record, aAddr map[string]float64) bool {
	if a.GetString("region") != "" && a.GetString("region") == b.GetString("region") {
		if a.GetString("address") == "" || b.GetString("address") == "" {
			return true
		}
	}
	if len(aAddr) == 0 || b.GetString("address") == "" {
		return false
	}
	return cosine(aAddr, bigrams(b.GetString("address"))) >= 0.5
}

// bigrams counts the character bigrams of the letters and digits of s
// (punctuation and spaces dropped), the usual unit for short Chinese text.
func bigrams(s string) map[string]float64 {
	var runes []rune
	for _, r := range normalize(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			runes = append(runes, r)
		}
	}
	m := make(map[string]float64, len(runes))
	for i := 0; i+1 < len(runes); i++ {
		m[string(runes[i:i+2])]++
	}
	return m
}

// cosine similarity of two bigram count vectors.
func cosine(a, b map[string]float64) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	var dot, na, nb float64
	for k, v := range a {
		na += v * v
		dot += v * b[k]
	}
	for _, v := range b {
		nb += v * v
	}
	return dot / math.Sqrt(na*nb)
}
