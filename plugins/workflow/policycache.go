package workflow

import (
	"sync"

	"github.com/pocketbase/pocketbase/core"
)

// policyCacheKey holds the app's *policyCache in app.Store(), which the
// transaction apps share with their app.
const policyCacheKey = "workflow.policyCache"

// policyCache keeps the SLA policies and each category's policy in memory.
// Every intake and many actions resolve an appeal's policy (intake three
// times: its deadline, then the SLA clock's warning point twice), and these
// small tables change only when an administrator edits them.
//
// It stays correct through the record hooks bindPolicyCache binds: any
// create, update or delete of a policy or a category empties it before the
// write, after it commits and after it fails; a load that raced with such
// a change is not kept (gen). Changes written with plain SQL, bypassing the
// hooks, are seen after a restart.
type policyCache struct {
	mu         sync.RWMutex
	gen        uint64
	loaded     bool
	list       []*core.Record          // sla_policies in table order (as FindAllRecords answers them)
	byID       map[string]*core.Record // sla_policies by id
	ofCategory map[string]string       // category id → its sla_policy id ("" for none)
}

// bindPolicyCache enables the cache for app and binds its invalidation.
func bindPolicyCache(app core.App) {
	c := &policyCache{}
	app.Store().Set(policyCacheKey, c)
	collections := []string{"sla_policies", "categories"}
	during := func(e *core.RecordEvent) error {
		c.invalidate()
		err := e.Next()
		c.invalidate()
		return err
	}
	app.OnRecordCreate(collections...).BindFunc(during)
	app.OnRecordUpdate(collections...).BindFunc(during)
	app.OnRecordDelete(collections...).BindFunc(during)
	after := func(e *core.RecordEvent) error {
		c.invalidate()
		return e.Next()
	}
	afterError := func(e *core.RecordErrorEvent) error {
		c.invalidate()
		return e.Next()
	}
	app.OnRecordAfterCreateSuccess(collections...).BindFunc(after)
	app.OnRecordAfterUpdateSuccess(collections...).BindFunc(after)
	app.OnRecordAfterDeleteSuccess(collections...).BindFunc(after)
	app.OnRecordAfterCreateError(collections...).BindFunc(afterError)
	app.OnRecordAfterUpdateError(collections...).BindFunc(afterError)
	app.OnRecordAfterDeleteError(collections...).BindFunc(afterError)
}

func (c *policyCache) invalidate() {
	c.mu.Lock()
	c.gen++
	c.loaded = false
	c.list, c.byID, c.ofCategory = nil, nil, nil
	c.mu.Unlock()
}

// snapshot answers the cached tables, loading them with app when empty.
func (c *policyCache) snapshot(app core.App) ([]*core.Record, map[string]*core.Record, map[string]string, error) {
	c.mu.RLock()
	if c.loaded {
		list, byID, ofCategory := c.list, c.byID, c.ofCategory
		c.mu.RUnlock()
		return list, byID, ofCategory, nil
	}
	gen := c.gen
	c.mu.RUnlock()

	list, err := app.FindAllRecords("sla_policies")
	if err != nil {
		return nil, nil, nil, err
	}
	byID := make(map[string]*core.Record, len(list))
	for _, p := range list {
		byID[p.Id] = p
	}
	var rows []struct {
		ID     string `db:"id"`
		Policy string `db:"sla_policy"`
	}
	if err := app.DB().Select("id", "sla_policy").From("categories").All(&rows); err != nil {
		return nil, nil, nil, err
	}
	ofCategory := make(map[string]string, len(rows))
	for _, r := range rows {
		ofCategory[r.ID] = r.Policy
	}
	c.mu.Lock()
	if c.gen == gen {
		c.loaded, c.list, c.byID, c.ofCategory = true, list, byID, ofCategory
	}
	c.mu.Unlock()
	return list, byID, ofCategory, nil
}

// cachedPolicyFor is PolicyFor from the cache; ok is false when app has
// no cache (the workflow plugin is not registered on it).
func cachedPolicyFor(app core.App, appeal *core.Record) (policy *core.Record, ok bool, err error) {
	c, _ := app.Store().Get(policyCacheKey).(*policyCache)
	if c == nil {
		return nil, false, nil
	}
	list, byID, ofCategory, err := c.snapshot(app)
	if err != nil {
		return nil, true, err
	}
	if p := byID[appeal.GetString("sla_policy")]; p != nil {
		return p, true, nil
	}
	if p := byID[ofCategory[appeal.GetString("category")]]; p != nil {
		return p, true, nil
	}
	priority, kind := appeal.GetString("priority"), appeal.GetString("kind")
	if priority == "" {
		priority = "normal"
	}
	for _, match := range []func(p *core.Record) bool{
		func(p *core.Record) bool { return p.GetString("priority") == priority && p.GetString("kind") == kind },
		func(p *core.Record) bool { return p.GetString("priority") == priority && p.GetString("kind") == "" },
		func(p *core.Record) bool { return p.GetString("code") == "normal" },
	} {
		for _, p := range list {
			if match(p) {
				return p, true, nil
			}
		}
	}
	return nil, true, nil
}
