package dispatch

import (
	"context"
	"math"
	"slices"
	"sort"
	"strconv"
	"time"
	"unicode"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"siyang/internal/sqlstmt"
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
	Created string `db:"created"`
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
	since := windowStart(window)
	scan, err := scanDuplicates(app, a, since, threshold, false)
	if err != nil {
		return nil, err
	}
	return scan.result(since), nil
}

// windowStart is the oldest creation time a candidate may have, as stored.
func windowStart(window time.Duration) string {
	since, _ := types.ParseDateTime(time.Now().Add(-window))
	return since.String()
}

// duplicateScan is the duplicate search of one appeal as the database
// stood at one moment: the candidates in window order, each with its
// comparison. An intake runs the scan before its write transaction (it only
// reads) and, inside it, extends the scan with the appeals committed since
// (those with a larger rowid than after) — one short query instead of the
// whole search while every other submission waits for the writer.
type duplicateScan struct {
	after  int64 // every appeal up to this rowid was considered (when snapshot was asked)
	me     *subject
	window []scanned
}

// scanned is one candidate of the window with its comparison; dup tells
// whether it reached the threshold. The Duplicate itself is built only for
// the few result answers (in the worst case all 200 candidates match).
type scanned struct {
	listed
	score, text float64
	place, dup  bool
}

// scanDuplicates compares a with the most recent open candidates created
// since. With snapshot it also records up to which rowid the appeals were
// read, so that extended can add what is committed later. Outside a
// transaction the candidates come from the app's open-appeal window
// (window.go); inside one (an intake made within a caller's transaction,
// whose uncommitted rows must not enter the shared window) from the
// database.
func scanDuplicates(app core.App, a *core.Record, since string, threshold float64, snapshot bool) (*duplicateScan, error) {
	out := &duplicateScan{}
	var candidates []listed
	var err error
	if w := windowOf(app); w != nil && !app.IsTransactional() {
		candidates, out.after, err = w.candidates(app, a, since)
	} else {
		candidates, out.after, err = readCandidates(app, a, since, snapshot)
	}
	if err != nil {
		return nil, err
	}
	if err := out.compare(app, subjectOf(a), candidates, threshold); err != nil {
		return nil, err
	}
	return out, nil
}

// The candidate queries walk the partial (region|category, created)
// indexes on open appeals (migration 1764800000): only open cases are
// visited, and no sort. The status condition must stay word for word the
// indexes' WHERE. The indexes cover every column read here: no table row
// is visited.
var (
	scanCounty   = sqlstmt.New(openAppeals(byCreated, recentOthers, candidateLimit))
	scanRegion   = sqlstmt.New(openAppeals(byRegion, recentOthers+inRegion, candidateLimit))
	scanCategory = sqlstmt.New(openAppeals(byCategory, recentOthers+inCategory, candidateLimit))
	// NOT INDEXED: the rowid range is the short way to the newest rows
	// (SQLite still seeks by rowid); an index would walk the whole scope
	topUpCounty   = sqlstmt.New(openAppeals("NOT INDEXED", recentOthers+newerRows, candidateLimit))
	topUpRegion   = sqlstmt.New(openAppeals("NOT INDEXED", recentOthers+newerRows+inRegion, candidateLimit))
	topUpCategory = sqlstmt.New(openAppeals("NOT INDEXED", recentOthers+newerRows+inCategory, candidateLimit))
)

// The walks' parts; parameters are cast so that SQLite's STAT4 statistics
// do not make it re-plan the statement at every bind (internal/sqlstmt).
const (
	byCreated    = "INDEXED BY idx_appeals_open_created"
	byRegion     = "INDEXED BY idx_appeals_open_region"
	byCategory   = "INDEXED BY idx_appeals_open_category"
	recentOthers = " AND created >= CAST(? AS TEXT) AND id != ?"
	newerRows    = " AND rowid > CAST(? AS INTEGER)"
	inRegion     = " AND region = CAST(? AS TEXT)"
	inCategory   = " AND category = CAST(? AS TEXT)"
)

// openAppeals is a walk over the open appeals, newest first, reading only
// the columns the partial indexes cover: from names the index (or NOT
// INDEXED), conditions follow the open-appeal condition, which must stay
// word for word the indexes' WHERE.
func openAppeals(from, conditions string, limit int) string {
	return "SELECT id, created, status, region FROM appeals " + from + " WHERE " + OpenAppealsCondition +
		conditions + " ORDER BY created DESC, id DESC LIMIT " + strconv.Itoa(limit)
}

// readCandidates reads a's candidates from the database; with snapshot it
// first reads the appeals' largest rowid (before the candidates: an appeal
// committed in between is then in both, and merge keeps it once).
func readCandidates(app core.App, a *core.Record, since string, snapshot bool) ([]listed, int64, error) {
	ctx := context.Background()
	var after int64
	if snapshot {
		if err := maxAppealRowid.QueryRow(ctx, app).Scan(&after); err != nil {
			return nil, 0, err
		}
	}
	stmt, args := scanCounty, []any{since, a.Id}
	switch key := scopeOf(a); key.field {
	case "region":
		stmt, args = scanRegion, append(args, key.value)
	case "category":
		stmt, args = scanCategory, append(args, key.value)
	}
	candidates, err := queryListed(ctx, app, stmt, args...)
	return candidates, after, err
}

// extended answers the scan with the open candidates committed after it
// (rowid above s.after) added, read with app — the intake's transaction.
// The scan itself is left as it was: a transaction that rolls back (and
// runs again) must not keep candidates that were never committed.
func (s *duplicateScan) extended(app core.App, a *core.Record, since string, threshold float64) (*duplicateScan, error) {
	stmt, args := topUpCounty, []any{since, a.Id, s.after}
	switch key := scopeOf(a); key.field {
	case "region":
		stmt, args = topUpRegion, append(args, key.value)
	case "category":
		stmt, args = topUpCategory, append(args, key.value)
	}
	newer, err := queryListed(context.Background(), app, stmt, args...)
	if err != nil || len(newer) == 0 {
		return s, err
	}
	added := &duplicateScan{after: s.after}
	if err := added.compare(app, s.me, newer, threshold); err != nil {
		return nil, err
	}
	added.window = mergeWindows(added.window, s.window)
	return added, nil
}

// listed is one row of a candidate query: the columns every open-appeal
// index holds, read without reflection (up to candidateLimit per intake).
// facts are the candidate's cached text facts when the window holds them.
type listed struct {
	id, created, status, region string
	facts                       *textFacts
}

func queryListed(ctx context.Context, app core.App, stmt *sqlstmt.Statement, args ...any) ([]listed, error) {
	rows, err := stmt.Query(ctx, app, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []listed
	for rows.Next() {
		var l listed
		if err := rows.Scan(&l.id, &l.created, &l.status, &l.region); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// subject is what the comparison reads of the new appeal, computed once
// per scan (and reused by its extension inside the transaction) instead of
// once per candidate.
type subject struct {
	region, address string
	text, place     vector
}

func subjectOf(a *core.Record) *subject {
	return &subject{region: a.GetString("region"), address: a.GetString("address"),
		text: bigrams(a.GetString("title") + " " + a.GetString("content")), place: bigrams(a.GetString("address"))}
}

// compare appends candidates (most recent first) to the window with their
// comparison with the subject.
func (s *duplicateScan) compare(app core.App, me *subject, candidates []listed, threshold float64) error {
	var ids []string
	for _, c := range candidates {
		if c.facts == nil {
			ids = append(ids, c.id)
		}
	}
	var known map[string]*textFacts
	if len(ids) > 0 {
		var err error
		if known, err = candidateFacts(app, ids); err != nil {
			return err
		}
	}
	s.me = me
	s.window = slices.Grow(s.window, len(candidates))
	for _, l := range candidates {
		if l.facts == nil {
			if l.facts = known[l.id]; l.facts == nil {
				l.facts = &textFacts{} // deleted since it was listed
			}
		}
		entry := scanned{listed: l}
		entry.text = cosine(me.text, l.facts.text)
		if 0.75*entry.text+0.25 >= threshold { // else not even the same place would make it one
			entry.place = samePlace(me, l.region, l.facts)
			entry.score = 0.75 * entry.text
			if entry.place {
				entry.score += 0.25
			}
			entry.dup = entry.score >= threshold
		}
		s.window = append(s.window, entry)
	}
	return nil
}

// duplicate is the answer for a matching candidate.
func (w *scanned) duplicate() Duplicate {
	f := w.facts
	return Duplicate{Appeal: Candidate{Id: w.id, Ticket: f.ticket, Title: f.title, Address: f.address,
		Region: w.region, Status: w.status, Created: w.created}, Score: w.score, Text: w.text, Place: w.place}
}

// mergeWindows merges two windows in window order (most recent first),
// keeping an appeal found in both once.
func mergeWindows(a, b []scanned) []scanned {
	out := make([]scanned, 0, len(a)+len(b))
	seen := make(map[string]bool, len(a))
	for _, x := range a {
		seen[x.id] = true
	}
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j < len(b) && seen[b[j].id]:
			j++
		case j >= len(b) || i < len(a) && newer(&a[i], &b[j]):
			out = append(out, a[i])
			i++
		default:
			out = append(out, b[j])
			j++
		}
	}
	return out
}

// newer is the window order: ORDER BY created DESC, id DESC.
func newer(x, y *scanned) bool {
	if x.created != y.created {
		return x.created > y.created
	}
	return x.id > y.id
}

// result answers the duplicates among the candidateLimit most recent
// candidates created since, best first, at most maxDuplicates.
func (s *duplicateScan) result(since string) []Duplicate {
	// the best maxDuplicates, kept by insertion (an equal score keeps the
	// more recent first)
	best := make([]*scanned, 0, maxDuplicates+1)
	n := 0
	for i := range s.window {
		w := &s.window[i]
		if w.created < since {
			continue // fell out of the window since the scan
		}
		if n++; n > candidateLimit {
			break
		}
		if !w.dup || (len(best) == maxDuplicates && w.score <= best[maxDuplicates-1].score) {
			continue
		}
		at := sort.Search(len(best), func(i int) bool { return best[i].score < w.score })
		best = slices.Insert(best, at, w)
		if len(best) > maxDuplicates {
			best = best[:maxDuplicates]
		}
	}
	out := make([]Duplicate, len(best))
	for i, w := range best {
		out[i] = w.duplicate()
	}
	return out
}

const (
	candidateLimit = 200
	maxDuplicates  = 5
)

// samePlace: the same township, or addresses that share most of their wording.
func samePlace(me *subject, region string, bf *textFacts) bool {
	if me.region != "" && me.region == region {
		if me.address == "" || bf.address == "" {
			return true
		}
	}
	if me.place.empty() || bf.address == "" {
		return false
	}
	return cosine(me.place, bf.place) >= 0.5
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
