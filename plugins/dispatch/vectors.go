package dispatch

import (
	"sync"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// textFacts are what the duplicate search needs of a candidate beyond the
// columns of the index it walks: its ticket, title and address, and the
// bigram vectors of its text and address. None of these change while a
// case is open (title, content and address are set at intake; only the
// anonymisation of long-closed cases rewrites them), so they are cached by
// appeal id: every intake compares with up to candidateLimit open appeals,
// and re-reading and re-counting their text dominated the cost of an
// intake. A new appeal's facts are put in by its intake (remember), so the
// next intakes find them without a query. What empties the cache: nothing
// but its size bound (it is cleared when full, and refills as intakes ask).
type textFacts struct {
	ticket, title, address string
	text, place            vector
}

var factsCache = &appealFacts{max: 50_000, m: map[string]*textFacts{}}

type appealFacts struct {
	mu  sync.RWMutex
	max int
	m   map[string]*textFacts
}

// lookup answers the cached facts of ids, and the ids it does not hold.
func (c *appealFacts) lookup(ids []string) (map[string]*textFacts, []any) {
	out := make(map[string]*textFacts, len(ids))
	var missing []any
	c.mu.RLock()
	for _, id := range ids {
		if f, ok := c.m[id]; ok {
			out[id] = f
		} else {
			missing = append(missing, id)
		}
	}
	c.mu.RUnlock()
	return out, missing
}

// get answers the cached facts of one appeal, or nil.
func (c *appealFacts) get(id string) *textFacts {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.m[id]
}

func (c *appealFacts) put(id string, f *textFacts) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= c.max {
		clear(c.m) // crude but bounded; the next intakes refill it
	}
	c.m[id] = f
}

// factsOf builds the facts of an appeal from its fields.
func factsOf(ticket, title, content, address string) *textFacts {
	return &textFacts{ticket: ticket, title: title, address: address,
		text: bigrams(title + " " + content), place: bigrams(address)}
}

// remember caches the facts of a new appeal once it has its id and ticket.
func remember(a *core.Record) {
	factsCache.put(a.Id, factsOf(a.GetString("ticket"), a.GetString("title"), a.GetString("content"), a.GetString("address")))
}

// candidateFacts answers the facts of the candidates, reading those not
// cached in one query.
func candidateFacts(app core.App, ids []string) (map[string]*textFacts, error) {
	out, missing := factsCache.lookup(ids)
	if len(missing) == 0 {
		return out, nil
	}
	var rows []struct {
		ID      string `db:"id"`
		Ticket  string `db:"ticket"`
		Title   string `db:"title"`
		Content string `db:"content"`
		Address string `db:"address"`
	}
	if err := app.DB().Select("id", "ticket", "title", "content", "address").From("appeals").
		Where(dbx.In("id", missing...)).All(&rows); err != nil {
		return nil, err
	}
	for _, r := range rows {
		f := factsOf(r.Ticket, r.Title, r.Content, r.Address)
		factsCache.put(r.ID, f)
		out[r.ID] = f
	}
	return out, nil
}
