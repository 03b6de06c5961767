package guard

import (
	"sync"
	"time"
)

// counter counts failures per key in a window and locks a key that reaches
// the limit. It lives in memory: a restart forgets the counts, which only
// gives a guesser one more window, never a lost appeal.
type counter struct {
	limit   int
	window  time.Duration
	lockout time.Duration
	now     func() time.Time

	mu      sync.Mutex
	entries map[string]*entry
	writes  int
}

type entry struct {
	start       time.Time // first failure of the current window
	failures    int
	lockedUntil time.Time
}

func newCounter(limit int, window, lockout time.Duration, now func() time.Time) *counter {
	return &counter{limit: limit, window: window, lockout: lockout, now: now, entries: map[string]*entry{}}
}

// locked answers how long key stays locked (zero: not locked).
func (c *counter) locked(key string) time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entries[key]
	if e == nil {
		return 0
	}
	if left := e.lockedUntil.Sub(c.now()); left > 0 {
		return left
	}
	return 0
}

// fail records one failure of key and reports whether it locked the key
// just now.
func (c *counter) fail(key string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	c.writes++
	if c.writes%1000 == 0 {
		c.prune(now)
	}
	e := c.entries[key]
	if e == nil || now.Sub(e.start) > c.window {
		e = &entry{start: now, lockedUntil: lockedUntil(e)}
		c.entries[key] = e
	}
	e.failures++
	if e.failures >= c.limit && !e.lockedUntil.After(now) {
		e.lockedUntil = now.Add(c.lockout)
		e.failures = 0
		e.start = now
		return true
	}
	return false
}

// reset forgets key's failures (a successful staff sign-in).
func (c *counter) reset(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e := c.entries[key]; e != nil && !e.lockedUntil.After(c.now()) {
		delete(c.entries, key)
	}
}

func lockedUntil(e *entry) time.Time {
	if e == nil {
		return time.Time{}
	}
	return e.lockedUntil
}

// prune drops keys whose window and lock are over, so that a scan over
// many addresses cannot grow the map without bound.
func (c *counter) prune(now time.Time) {
	for k, e := range c.entries {
		if now.Sub(e.start) > c.window && !e.lockedUntil.After(now) {
			delete(c.entries, k)
		}
	}
}
