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
	Appeal Candidate
	Score  float64 // 0–1
	Text   float64 // text similarity
	Place  bool    // same township or a similar address
}

// Candidate is the little of an open appeal the comparison needs; reading
// whole records (60-odd fields each) would dominate the cost of an intake.
type Candidate struct {
	Id      string `db:"id"`
	Ticket  string `db:"ticket"`
	Title   string `db:"title"`
	Address string `db:"address"`
	Region  string `db:"region"`
	Status  string `db:"status"`
}

// openStatus are the states a case can still be merged into.
var openStatus = map[string]bool{"submitted": true, "accepted": true, "dispatched": true, "handling": true, "suspended": true, "replied": true}

// FindDuplicates looks among the open appeals of the last window (same
// township if known, else same category, else all; the most recent
// candidateLimit) for ones about the same problem at the same place.
func FindDuplicates(app core.App, a *core.Record, window time.Duration, threshold float64) ([]Duplicate, error) {
	since, _ := types.ParseDateTime(time.Now().Add(-window))
	// Walk the most recent appeals of the place (or category) through the
	// (region|category, created) index and keep the open ones: a filter on
	// status would make SQLite sort every open appeal on each intake.
	q := app.DB().Select("id", "ticket", "title", "address", "region", "status").From("appeals").
		Where(dbx.NewExp("created >= {:since}", dbx.Params{"since": since.String()})).
		OrderBy("created DESC").Limit(2 * candidateLimit)
	if a.Id != "" {
		q.AndWhere(dbx.Not(dbx.HashExp{"id": a.Id}))
	}
	switch {
	case a.GetString("region") != "":
		q.AndWhere(dbx.HashExp{"region": a.GetString("region")})
	case a.GetString("category") != "":
		q.AndWhere(dbx.HashExp{"category": a.GetString("category")})
	}
	var recent []Candidate
	if err := q.All(&recent); err != nil {
		return nil, err
	}
	candidates := recent[:0]
	for _, c := range recent {
		if openStatus[c.Status] && len(candidates) < candidateLimit {
			candidates = append(candidates, c)
		}
	}
	vectors, err := textVectors(app, candidates)
	if err != nil {
		return nil, err
	}
	mine := bigrams(a.GetString("title") + " " + a.GetString("content"))
	myPlace := bigrams(a.GetString("address"))
	var out []Duplicate
	for _, c := range candidates {
		text := cosine(mine, vectors[c.Id])
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
	candidateLimit = 200
	maxDuplicates  = 5
)

// samePlace: the same township, or addresses that share most of their wording.
func samePlace(a *core.Record, b Candidate, aAddr vector) bool {
	if a.GetString("region") != "" && a.GetString("region") == b.Region {
		if a.GetString("address") == "" || b.Address == "" {
			return true
		}
	}
	if len(aAddr) == 0 || b.Address == "" {
		return false
	}
	v, ok := addressCache.get(b.Id)
	if !ok {
		v = bigrams(b.Address)
		addressCache.put(b.Id, v)
	}
	return cosine(aAddr, v) >= 0.5
}

// vector counts character bigrams, each packed into one integer.
type vector map[uint64]float64

// bigrams counts the character bigrams of the letters and digits of s
// (punctuation and spaces dropped), the usual unit for short Chinese text.
func bigrams(s string) vector {
	var runes []rune
	for _, r := range normalize(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			runes = append(runes, r)
		}
	}
	m := make(vector, len(runes))
	for i := 0; i+1 < len(runes); i++ {
		m[uint64(runes[i])<<32|uint64(runes[i+1])]++
	}
	return m
}

// cosine similarity of two bigram count vectors.
func cosine(a, b vector) float64 {
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
