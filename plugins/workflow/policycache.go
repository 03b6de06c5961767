package workflow

import (
	"github.com/pocketbase/pocketbase/core"

	"siyang/internal/tablecache"
)

// policyCacheKey holds the app's *tablecache.Cache[policyTables] in
// app.Store(), which the transaction apps share with their app.
const policyCacheKey = "workflow.policyCache"

// policyTables are the SLA policies and each category's policy, kept in
// memory: every intake and many actions resolve an appeal's policy (intake
// three times: its deadline, then the SLA clock's warning point twice), and
// these small tables change only when an administrator edits them. Any
// change of a policy or a category through PocketBase empties the cache
// (tablecache says when and how).
type policyTables struct {
	list       []*core.Record          // sla_policies in table order (as FindAllRecords answers them)
	byID       map[string]*core.Record // sla_policies by id
	ofCategory map[string]string       // category id → its sla_policy id ("" for none)
}

// bindPolicyCache enables the cache for app and binds its invalidation.
func bindPolicyCache(app core.App) {
	app.Store().Set(policyCacheKey, tablecache.New(app, loadPolicyTables, "sla_policies", "categories"))
}

func loadPolicyTables(app core.App) (policyTables, error) {
	list, err := app.FindAllRecords("sla_policies")
	if err != nil {
		return policyTables{}, err
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
		return policyTables{}, err
	}
	ofCategory := make(map[string]string, len(rows))
	for _, r := range rows {
		ofCategory[r.ID] = r.Policy
	}
	return policyTables{list: list, byID: byID, ofCategory: ofCategory}, nil
}

// cachedPolicyFor is PolicyFor from the cache; ok is false when app has
// no cache (the workflow plugin is not registered on it).
func cachedPolicyFor(app core.App, appeal *core.Record) (policy *core.Record, ok bool, err error) {
	c, _ := app.Store().Get(policyCacheKey).(*tablecache.Cache[policyTables])
	if c == nil {
		return nil, false, nil
	}
	t, err := c.Get(app)
	if err != nil {
		return nil, true, err
	}
	list, byID, ofCategory := t.list, t.byID, t.ofCategory
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
