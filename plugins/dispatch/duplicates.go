package dispatch

import (
	"math"
	"slices"
	"sort"
	"strconv"
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

// OpenAppealsCondition selects the states a case can still be merged
// into. It is the WHERE of the partial indexes the duplicate search walks
// (migration 1764800000_open_appeal_indexes.go): SQLite uses a partial
// index only for a query that repeats its condition.
const OpenAppealsCondition = "status IN ('submitted','accepted','dispatched','handling','suspended','replied')"

// FindDuplicates looks among the open appeals of the last window (same
// township if known, else same category, else all; the most recent
// candidateLimit) for ones about the same problem at the same place.
func FindDuplicates(app core.App, a *core.Record, window time.Duration, threshold float64) ([]Duplicate, error) {
	since, _ := types.ParseDateTime(time.Now().Add(-window))
	// Walk the most recent open appeals of the place (or category) through
	// the partial (region|category, created) indexes on open appeals
	// (migration 1764800000): only open cases are visited, and no sort.
	// The status condition must stay word for word the indexes' WHERE.
	from, where := "appeals INDEXED BY idx_appeals_open_created", ""
	params := dbx.Params{"since": since.String(), "id": a.Id}
	switch {
	case a.GetString("region") != "":
		from, where = "appeals INDEXED BY idx_appeals_open_region", " AND region = {:region}"
		params["region"] = a.GetString("region")
	case a.GetString("category") != "":
		from, where = "appeals INDEXED BY idx_appeals_open_category", " AND category = {:category}"
		params["category"] = a.GetString("category")
	}
	// The indexes cover every column read here: no table row is visited.
	var candidates []Candidate
	err := app.DB().NewQuery("SELECT id, ticket, title, address, region, status FROM " + from +
		" WHERE " + OpenAppealsCondition + " AND created >= {:since} AND id != {:id}" + where +
		" ORDER BY created DESC LIMIT " + strconv.Itoa(candidateLimit)).Bind(params).All(&candidates)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(candidates))
	for i, c := range candidates {
		ids[i] = c.Id
	}
	vectors, err := textVectors(app, ids)
	if err != nil {
		return nil, err
	}
	mine := bigrams(a.GetString("title") + " " + a.GetString("content"))
	myPlace := bigrams(a.GetString("address"))
	var out []Duplicate
	for _, c := range candidates {
		text := cosine(mine, vectors[c.Id])
		if 0.75*text+0.25 < threshold {
			continue // not even the same place would make it one
		}
		place := samePlace(a, c, myPlace)
		score := 0.75 * text
		if place {
			score += 0.25
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
	if aAddr.empty() || b.Address == "" {
		return false
	}
	v, ok := addressCache.get(b.Id)
	if !ok {
		v = bigrams(b.Address)
		addressCache.put(b.Id, v)
	}
	return cosine(aAddr, v) >= 0.5
}

// vector counts character bigrams, each packed into one integer, sorted
// by bigram with its norm computed once: an intake compares its text with
// up to candidateLimit cached vectors, and a merge of two sorted lists is
// several times faster than map lookups.
type vector struct {
	keys   []uint64
	counts []float64
	norm   float64 // sqrt of the sum of squared counts
}

func (v vector) empty() bool { return len(v.keys) == 0 }

// bigrams counts the character bigrams of the letters and digits of s
// (punctuation and spaces dropped), the usual unit for short Chinese text.
func bigrams(s string) vector {
	var runes []rune
	for _, r := range normalize(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			runes = append(runes, r)
		}
	}
	if len(runes) < 2 {
		return vector{}
	}
	keys := make([]uint64, len(runes)-1)
	for i := range keys {
		keys[i] = uint64(runes[i])<<32 | uint64(runes[i+1])
	}
	slices.Sort(keys)
	v := vector{keys: keys[:0]}
	var sum float64
	for i, k := range keys {
		if i > 0 && k == keys[i-1] {
			v.counts[len(v.counts)-1]++
			continue
		}
		v.keys = append(v.keys, k)
		v.counts = append(v.counts, 1)
	}
	for _, c := range v.counts {
		sum += c * c
	}
	v.norm = math.Sqrt(sum)
	return v
}

// cosine similarity of two bigram count vectors.
func cosine(a, b vector) float64 {
	if a.empty() || b.empty() {
		return 0
	}
	var dot float64
	for i, j := 0, 0; i < len(a.keys) && j < len(b.keys); {
		switch {
		case a.keys[i] < b.keys[j]:
			i++
		case a.keys[i] > b.keys[j]:
			j++
		default:
			dot += a.counts[i] * b.counts[j]
			i++
			j++
		}
	}
	return dot / (a.norm * b.norm)
}
