// Package keptpages keeps whole answers (the bytes sent, or a built value)
// between changes: the hot first pages that many readers ask again and
// again (the public list, the keyword search, the departments' queues),
// the SLA board and the monthly report. The owner of a cache empties it
// with Changed on every change that can alter a kept answer; an answer is
// also dropped once it is MaxAge old on the cache's clock, which bounds
// changes no hook sees (plain SQL, another process) and answers that
// depend on the time itself (the SLA board's 剩余 text). Readers that come
// while the first one reads the same key wait for its answer (or its
// error) instead of reading again.
package keptpages

import (
	"errors"
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

	// Value is the answer as a value, for an owner that keeps one beside
	// or instead of Body (Get): e.g. the monthly report, which is also
	// written as a workbook. Set before ready is closed.
	Value any

	// Err is the reader's error (Get), handed to the readers that waited
	// for it; a page with an error is never kept.
	Err error
}

// At is the time on the cache's clock the page was read as of: an
// answer's "as of" (the SLA board's as_of).
func (p *Page) At() time.Time { return p.at }

// New answers an empty cache whose answers live at most maxAge on the
// clock now (maxAge 0: no age bound, the owner's Changed alone empties it;
// negative: none is given again, yet concurrent readers still share one
// read) and take at most maxBytes of Body together (past it the cache
// starts empty). A page read as of a time after now (the clock was set
// back) is not given again either.
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

// fresh says whether e may be given again at now: read since the latest
// change, and younger than maxAge.
func (c *Cache) fresh(e *Page, now time.Time) bool {
	if e.gen != c.gen {
		return false
	}
	if c.maxAge == 0 {
		return true
	}
	age := now.Sub(e.at)
	return age >= 0 && age < c.maxAge
}

// Begin answers the kept page for key (owner false: read Body, nil if the
// first reader failed), or a new entry that the caller must fill with
// Finish (owner true). A page still being read since the latest change is
// waited for (its answer is as fresh as one begun now) unless its read
// began maxAge ago: a reader that hangs holds the others up to maxAge.
func (c *Cache) Begin(key string) (page *Page, owner bool) {
	c.mu.Lock()
	now := c.now()
	if e := c.entries[key]; e != nil && e.gen == c.gen {
		select {
		case <-e.ready:
			if c.fresh(e, now) {
				c.mu.Unlock()
				return e, false
			}
		default:
			if c.maxAge <= 0 || now.Sub(e.at) < c.maxAge {
				c.mu.Unlock()
				<-e.ready
				return e, false
			}
		}
	}
	e := &Page{gen: c.gen, at: now, ready: make(chan struct{})}
	c.entries[key] = e
	c.mu.Unlock()
	return e, true
}

// Finish records the owner's answer (body nil: not kept) and wakes the
// readers waiting for it. An answer read before a change is handed to
// those readers (they asked before the change was committed, or while it
// was) but not kept.
func (c *Cache) Finish(key string, e *Page, body []byte, contentType string) {
	c.finish(key, e, func() bool {
		e.Body, e.ContentType = body, contentType
		return body != nil
	})
}

// Answer is what a reader of Get read.
type Answer struct {
	Body        []byte
	ContentType string
	Value       any
}

// Get answers key's kept page, waits for the one being read, or reads it:
// read reads the answer as of at (the page's At) and says whether it may
// be kept. Its error is handed to the readers that waited for it (as
// Get's error) and is not kept: the next reader reads again. The page is
// shared: not to be modified.
func (c *Cache) Get(key string, read func(at time.Time) (a Answer, keep bool, err error)) (*Page, error) {
	e, owner := c.Begin(key)
	if !owner {
		return e, e.Err
	}
	var (
		a    Answer
		keep bool
		err  = errPanicked
	)
	// deferred: a panic in read (recovered by PocketBase) must still wake
	// the readers waiting for this page
	defer c.finish(key, e, func() bool {
		e.Body, e.ContentType, e.Value, e.Err = a.Body, a.ContentType, a.Value, err
		return keep && err == nil
	})
	a, keep, err = read(e.at)
	return e, err
}

// errPanicked is what the readers waiting for a page get when its reader
// panicked.
var errPanicked = errors.New("keptpages: the reader of this answer failed")

// finish sets the page's answer with set (which says whether it may be
// kept) under the lock, wakes the waiting readers and keeps the page or
// drops it.
func (c *Cache) finish(key string, e *Page, set func() (keep bool)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	keep := set()
	close(e.ready)
	if c.entries[key] != e {
		return
	}
	if !keep || e.gen != c.gen {
		delete(c.entries, key)
		return
	}
	c.bytes += len(e.Body)
	if c.bytes > c.maxBytes {
		c.entries = map[string]*Page{key: e}
		c.bytes = len(e.Body)
	}
}
