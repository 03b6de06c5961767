package portal

import (
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

const (
	// maxQueryRunes: only the start of a long question is compared (the
	// page may send the whole draft as the resident types).
	maxQueryRunes = 500
	// minQueryBigrams: fewer character pairs than this match anything.
	minQueryBigrams = 2
	// maxLikeTerms bounds the SQL prefilter of public appeals.
	maxLikeTerms = 32
	// maxAppealCandidates: the most recent matching public appeals scored.
	maxAppealCandidates = 1000
	// snippetRunes: how much of an appeal's text the list shows.
	snippetRunes = 200
)

// Similar is one answered question that may already answer the resident's.
// It holds only public text: knowledge entries are written for the public,
// and appeals come from the masked public view (public_appeals).
type Similar struct {
	Source  string  `json:"source"`  // "knowledge" (知识库) or "appeal" (已答复的公开诉求)
	ID      string  `json:"id"`      // record id (knowledge or public_appeals)
	Ticket  string  `json:"ticket"`  // the appeal's ticket number; "" for knowledge
	Title   string  `json:"title"`   // the question, or the appeal's masked title
	Content string  `json:"content"` // the appeal's masked text, at most 200 characters; "" for knowledge
	Answer  string  `json:"answer"`  // the knowledge answer, or the approved masked reply
	Score   float64 `json:"score"`   // bigram cosine similarity, 0–1
	hits    int
	created string
}

type knowledgeRow struct {
	ID       string `db:"id"`
	Question string `db:"question"`
	Answer   string `db:"answer"`
	Keywords string `db:"keywords"`
	Hits     int    `db:"hits"`
}

type publicAppealRow struct {
	ID      string         `db:"id"`
	Ticket  string         `db:"ticket"`
	Title   string         `db:"title"`
	Content string         `db:"content"`
	Reply   string         `db:"reply"`
	Created types.DateTime `db:"created"`
}

// handleSimilar runs GET /api/portal/similar?q=…: up to five public answers
// to questions like the resident's, before they submit an appeal (自助).
func (p *plugin) handleSimilar(e *core.RequestEvent) error {
	q := []rune(strings.TrimSpace(e.Request.URL.Query().Get("q")))
	if len(q) > maxQueryRunes {
		q = q[:maxQueryRunes]
	}
	items, err := p.similar(e.App, string(q))
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, map[string]any{"items": items})
}

// similar ranks public knowledge entries and answered public appeals by
// their bigram cosine similarity to q.
func (p *plugin) similar(app core.App, q string) ([]Similar, error) {
	qv := bigrams(q)
	items := []Similar{}
	if len(qv) < minQueryBigrams {
		return items, nil
	}

	var knowledge []knowledgeRow
	err := app.DB().Select("id", "question", "answer", "keywords", "hits").From("knowledge").
		Where(dbx.HashExp{"public": true}).All(&knowledge)
	if err != nil {
		return nil, err
	}
	for _, k := range knowledge {
		score := max(cosine(qv, bigrams(k.Question)), cosine(qv, bigrams(k.Question+"\n"+k.Keywords)))
		items = append(items, Similar{Source: "knowledge", ID: k.ID, Title: k.Question, Answer: k.Answer, Score: score, hits: k.Hits})
	}

	appeals, err := p.appealCandidates(app, qv)
	if err != nil {
		return nil, err
	}
	for _, a := range appeals {
		score := max(cosine(qv, bigrams(a.Title)), cosine(qv, bigrams(a.Title+"\n"+a.Content)))
		items = append(items, Similar{
			Source: "appeal", ID: a.ID, Ticket: a.Ticket, Title: a.Title, Content: snippet(a.Content),
			Answer: a.Reply, Score: score, created: a.Created.String(),
		})
	}

	kept := items[:0]
	for _, it := range items {
		if it.Score >= p.config.SimilarThreshold {
			it.Score = math.Round(it.Score*1000) / 1000
			kept = append(kept, it)
		}
	}
	sort.SliceStable(kept, func(i, j int) bool {
		a, b := kept[i], kept[j]
		switch {
		case a.Score != b.Score:
			return a.Score > b.Score
		case a.Source != b.Source:
			return a.Source == "knowledge" // the official answer first
		case a.hits != b.hits:
			return a.hits > b.hits
		}
		return a.created > b.created
	})
	if len(kept) > p.config.SimilarLimit {
		kept = kept[:p.config.SimilarLimit]
	}
	return kept, nil
}

// appealCandidates reads the answered public appeals that share at least
// one of (up to 32 of) the query's character pairs — the others score 0 —
// most recent first. The public view holds only masked text of cases whose
// residents agreed to publication.
func (p *plugin) appealCandidates(app core.App, qv vector) ([]publicAppealRow, error) {
	terms := make([]string, 0, len(qv))
	for k := range qv {
		terms = append(terms, k)
	}
	sort.Strings(terms) // the same query reads the same candidates
	if len(terms) > maxLikeTerms {
		step := float64(len(terms)) / maxLikeTerms
		sample := make([]string, 0, maxLikeTerms)
		for i := 0; i < maxLikeTerms; i++ {
			sample = append(sample, terms[int(float64(i)*step)])
		}
		terms = sample
	}
	params := dbx.Params{}
	like := make([]string, 0, len(terms))
	for i, t := range terms {
		name := "t" + strconv.Itoa(i)
		params[name] = "%" + t + "%"
		like = append(like, "title LIKE {:"+name+"} OR content LIKE {:"+name+"}")
	}
	var rows []publicAppealRow
	err := app.DB().NewQuery(`
SELECT id, ticket, title, content, reply, created FROM public_appeals
 WHERE reply != '' AND (` + strings.Join(like, " OR ") + `)
 ORDER BY created DESC LIMIT ` + strconv.Itoa(maxAppealCandidates)).Bind(params).All(&rows)
	return rows, err
}

func snippet(s string) string {
	r := []rune(s)
	if len(r) <= snippetRunes {
		return s
	}
	return string(r[:snippetRunes]) + "…"
}
