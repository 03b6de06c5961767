// Package tablecache keeps a value derived from a few small configuration
// collections (webhooks, dispatch rules, …) in memory, for code that reads
// them on every intake or timeline entry while administrators change them
// rarely.
//
// What empties a Cache: any create, update or delete of a record of one of
// its collections through PocketBase (the dashboard, the record API, a
// plugin's app.Save) — before the write, after it, once it commits and
// once it fails or rolls back. A load that raced with such a change is not
// kept (a generation counter), so a reader never keeps a value older than
// the last committed change. Changes written with plain SQL, bypassing the
// record hooks, are seen after Invalidate or a restart.
package tablecache

import (
	"sync"

	"github.com/pocketbase/pocketbase/core"
)

// Cache holds one value of type T loaded from the database.
type Cache[T any] struct {
	load func(app core.App) (T, error)

	mu     sync.RWMutex
	gen    uint64
	loaded bool
	value  T
}

// New answers a cache of the value load computes, emptied by the record
// hooks of collections on app (and on its transactions, which share them).
func New[T any](app core.App, load func(app core.App) (T, error), collections ...string) *Cache[T] {
	c := &Cache[T]{load: load}
	during := func(e *core.RecordEvent) error {
		c.Invalidate()
		err := e.Next()
		c.Invalidate()
		return err
	}
	app.OnRecordCreate(collections...).BindFunc(during)
	app.OnRecordUpdate(collections...).BindFunc(during)
	app.OnRecordDelete(collections...).BindFunc(during)
	after := func(e *core.RecordEvent) error {
		c.Invalidate()
		return e.Next()
	}
	afterError := func(e *core.RecordErrorEvent) error {
		c.Invalidate()
		return e.Next()
	}
	app.OnRecordAfterCreateSuccess(collections...).BindFunc(after)
	app.OnRecordAfterUpdateSuccess(collections...).BindFunc(after)
	app.OnRecordAfterDeleteSuccess(collections...).BindFunc(after)
	app.OnRecordAfterCreateError(collections...).BindFunc(afterError)
	app.OnRecordAfterUpdateError(collections...).BindFunc(afterError)
	app.OnRecordAfterDeleteError(collections...).BindFunc(afterError)
	return c
}

// Invalidate empties the cache; the next Get loads again.
func (c *Cache[T]) Invalidate() {
	c.mu.Lock()
	c.gen++
	c.loaded = false
	var zero T
	c.value = zero
	c.mu.Unlock()
}

// Get answers the cached value, loading it with app when empty. The value
// is shared by every caller: treat it as read-only.
func (c *Cache[T]) Get(app core.App) (T, error) {
	c.mu.RLock()
	if c.loaded {
		v := c.value
		c.mu.RUnlock()
		return v, nil
	}
	gen := c.gen
	c.mu.RUnlock()

	v, err := c.load(app)
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	if c.gen == gen {
		c.loaded, c.value = true, v
	}
	c.mu.Unlock()
	return v, nil
}

// Generation changes whenever the cache is emptied: a caller that computed
// something from one Get can tell, by comparing generations, whether the
// tables may have changed since.
func (c *Cache[T]) Generation() uint64 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.gen
}
