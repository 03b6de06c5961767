package analytics

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// snapshotByRegion runs the 在办/超期 snapshot by township: grouped by the
// case's own region from the covering index, each region then mapped to
// its township in Go (the rule of townshipExpr) — instead of two region
// lookups for every open case (tens of thousands at 1M appeals).
func snapshotByRegion(app core.App, m metric, d Dimension, scope Scope, params dbx.Params, rows map[string]*Row) error {
	towns, err := townships(app)
	if err != nil {
		return err
	}
	key := "''"
	if d != ByTownship {
		key = keyExpr(d, m)
	}
	s := scope
	s.Township = ""
	var got []struct {
		counts
		Region string `db:"r"`
	}
	if err := app.DB().NewQuery(metricSQL(m, "a.region AS r, "+key+" AS k", "", false, s, "r, k")).Bind(params).All(&got); err != nil {
		return err
	}
	for _, c := range got {
		t := towns(c.Region)
		if scope.Township != "" && t != scope.Township {
			continue
		}
		if d == ByTownship {
			c.K = t
		}
		addCounts(rows, m.name, c.counts)
	}
	return nil
}

// townships answers a region's township as townshipExpr does: a 乡镇/街道
// is its own; a 村/社区 its parent's, or one level further up; none is "".
func townships(app core.App) (func(region string) string, error) {
	var all []struct {
		ID     string `db:"id"`
		Kind   string `db:"kind"`
		Parent string `db:"parent"`
	}
	if err := app.DB().Select("id", "kind", "parent").From("regions").All(&all); err != nil {
		return nil, err
	}
	type region struct{ kind, parent string }
	byID := make(map[string]region, len(all))
	for _, r := range all {
		byID[r.ID] = region{r.Kind, r.Parent}
	}
	isTownship := func(kind string) bool { return kind == "乡镇" || kind == "街道" }
	return func(id string) string {
		r, ok := byID[id]
		switch {
		case !ok:
			return ""
		case isTownship(r.kind):
			return id
		}
		p, ok := byID[r.parent]
		switch {
		case !ok:
			return ""
		case isTownship(p.kind):
			return r.parent
		}
		return p.parent
	}, nil
}
