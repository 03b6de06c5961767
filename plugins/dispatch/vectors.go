package dispatch

import (
	"sync"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// An appeal's title and content never change after intake, so their
// bigram vectors are cached by appeal id: every intake compares with up to
// candidateLimit open appeals, and recomputing (and re-reading) their text
// each time dominated the cost of an intake.
var (
	textCache    = &vectorCache{max: 50_000, m: map[string]vector{}}
	addressCache = &vectorCache{max: 50_000, m: map[string]vector{}}
)

type vectorCache struct {
	mu  sync.Mutex
	max int
	m   map[string]vector
}

func (c *vectorCache) get(id string) (vector, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[id]
	return v, ok
}

func (c *vectorCache) put(id string, v vector) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= c.max {
		clear(c.m) // crude but bounded; the next intakes refill it
	}
	c.m[id] = v
}

// textVectors answers the text vectors of the candidates, reading the text
// of the uncached ones in one query.
func textVectors(app core.App, ids []string) (map[string]vector, error) {
	out := make(map[string]vector, len(ids))
	var missing []any
	for _, id := range ids {
		if v, ok := textCache.get(id); ok {
			out[id] = v
		} else {
			missing = append(missing, id)
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	var rows []struct {
		ID      string `db:"id"`
		Title   string `db:"title"`
		Content string `db:"content"`
	}
	if err := app.DB().Select("id", "title", "content").From("appeals").Where(dbx.In("id", missing...)).All(&rows); err != nil {
		return nil, err
	}
	for _, r := range rows {
		v := bigrams(r.Title + " " + r.Content)
		textCache.put(r.ID, v)
		out[r.ID] = v
	}
	return out, nil
}
