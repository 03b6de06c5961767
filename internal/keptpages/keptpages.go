// Package keptpages keeps whole answers (the bytes sent) between changes:
// the hot first pages that many readers ask again and again (the public
// list, the keyword search, the departments' queues). The owner of a cache
// empties it with Changed on every change that can alter a kept answer;
// an answer is also dropped after MaxAge, which bounds changes no hook
// sees (plain SQL, another process). Readers that come while the first
// one reads the same key wait for its answer instead of reading again.
package keptpages

import (
	"strings"
	"sync"
	"time"
)

// Cache is the kept answers of one kind of request, by key.
type Cache struct {
	maxAge   time.Duration
	maxBytes int
	now      func() time.Time

	mu      sync.Mutex
	gen     uint64 // bumped by every change that can alter an answer
	entries map[string]*Page
	bytes   int
}

// Page is one kept answer.
type Page struct {
	gen   uint64 // the generation the answer was read at
	at    time.Time
	ready chan struct{} // closed once the first reader has the answer

	// Body is the answer (nil: the reader failed or it is not kept);
	// ContentType its Content-Type. Both are set before ready is closed.
	Body        []byte
	ContentType string
}

// New answers an empty cache whose answers live at most maxAge and take
// at most maxBytes together (past it the cache starts empty).
func New(maxAge time.Duration, maxBytes int, now func() time.Time) *Cache {
	return &Cache{maxAge: maxAge, maxBytes: maxBytes, now: now, entries: map[string]*Page{}}
}

// Changed empties the cache; an answer being read now is handed to the
// readers waiting for it but not kept.
func (c *Cache) Changed() {
	c.mu.Lock()
	c.gen++
	c.entries = map[string]*Page{}
	c.bytes = 0
	c.mu.Unlock()
}

// ChangedPrefix drops the answers whose key starts with prefix (e.g. one
// department's pages) and leaves the others; an answer of such a key being
// read now is handed to its waiting readers but not kept (Finish finds
// its entry gone).
func (c *Cache) ChangedPrefix(prefix string) {
	c.mu.Lock()
	for key, e := range c.entries {
		if strings.HasPrefix(key, prefix) {
			delete(c.entries, key)
			c.bytes -= len(e.Body)
		}
	}
	c.mu.Unlock()
}

// Begin answers the kept page for key (owner false: read Body, nil if the
// first reader failed), or a new entry that the caller must fill with
// Finish (owner true).
func (c *Cache) Begin(key string) (page *Page, owner bool) {
	c.mu.Lock()
	e := c.entries[key]
	if e != nil && e.gen == c.gen && c.now().Sub(e.at) < c.maxAge {
		c.mu.Unlock()
		<-e.ready
		return e, false
	}
	e = &Page{gen: c.gen, at: c.now(), ready: make(chan struct{})}
	c.entries[key] = e
	c.mu.Unlock()
	return e, true
}

// Finish records the owner's answer (body nil: not kept) and wakes the
// readers waiting for it. An answer read before a change is handed to
// those readers (they asked before the change was committed, or while it
// was) but not kept.
func (c *Cache) Finish(key string, e *Page, body []byte, contentType string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e.Body, e.ContentType = body, contentType
	close(e.ready)
	if c.entries[key] != e {
		return
	}
	if body == nil || e.gen != c.gen {
		delete(c.entries, key)
		return
	}
	c.bytes += len(body)
	if c.bytes > c.maxBytes {
		c.entries = map[string]*Page{key: e}
		c.bytes = len(body)
	}
}
