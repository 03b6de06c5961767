package analytics

import (
	"context"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// openSnapshot is 在办/超期 as of the roll-up job's last run: the open
// cases counted per department, township, category, channel and China-time
// day of submission (the snapshot's place on the month/day axis), from one
// index-only GROUP BY over idx_appeals_an_open with the open metric's own
// SQL. Reading the county's open cases (~62,000 at 1M appeals) on every
// dashboard request was most of its cost; the job reads them once a run
// instead, and an answer served from the roll-up says when (open_as_of).
// What replaces a snapshot: only the next job run (RefreshRollup). Before
// the first run there is none and 在办/超期 are computed live.
type openSnapshot struct {
	asOf   string      // the job run's time (UTC datetime)
	groups []openGroup // one per distinct (department, township, category, channel, day)
	names  []string    // the keys; a group's fields index into it
}

// openGroup is the open cases of one department, township, category,
// channel and day, and how many of them are overdue.
type openGroup struct {
	dep, town, cat, chn, day uint32
	base, overdue            int32
}

// openMetric is the 在办/超期 metric (the only snapshot metric).
func openMetric() metric {
	for _, m := range metrics {
		if m.snapshot {
			return m
		}
	}
	panic("analytics: no snapshot metric")
}

// takeOpenSnapshot counts the open cases as of now (ctx: the warm-up's,
// cancelled when the app terminates).
func takeOpenSnapshot(ctx context.Context, app core.App, now string) (*openSnapshot, error) {
	m := openMetric()
	var got []struct {
		Dep    string `db:"dep"`
		Region string `db:"r"`
		Cat    string `db:"cat"`
		Chan   string `db:"chan"`
		Day    string `db:"day"`
		Base   int    `db:"base"`
		H1     int    `db:"h1"`
	}
	keys := m.dept + " AS dep, a.region AS r, a.category AS cat, a.channel AS chan, COALESCE(" + keyExpr(ByDay, m) + ", '') AS day"
	if err := app.DB().NewQuery(metricSQL(m, keys, "", false, Scope{}, "dep, r, cat, chan, day")).WithContext(ctx).Bind(dbx.Params{}).All(&got); err != nil {
		return nil, err
	}
	// Regions are mapped to townships here, by townshipExpr's rule; a
	// region's change marks every month dirty, and the rebuild that
	// follows takes a new snapshot.
	towns, err := townships(app)
	if err != nil {
		return nil, err
	}
	s := &openSnapshot{asOf: now}
	index := map[string]uint32{}
	intern := func(v string) uint32 {
		i, ok := index[v]
		if !ok {
			i = uint32(len(s.names))
			index[v] = i
			s.names = append(s.names, v)
		}
		return i
	}
	type groupKey struct{ dep, town, cat, chn, day uint32 }
	at := map[groupKey]int{}
	for _, r := range got {
		k := groupKey{intern(r.Dep), intern(towns(r.Region)), intern(r.Cat), intern(r.Chan), intern(r.Day)}
		i, ok := at[k]
		if !ok {
			i = len(s.groups)
			at[k] = i
			s.groups = append(s.groups, openGroup{dep: k.dep, town: k.town, cat: k.cat, chn: k.chn, day: k.day})
		}
		s.groups[i].base += int32(r.Base)
		s.groups[i].overdue += int32(r.H1)
	}
	return s, nil
}

// addTo adds the snapshot's 在办/超期 within scope, broken down by d, to
// rows: what runLive adds for the open metric, counted from the groups.
func (s *openSnapshot) addTo(d Dimension, scope Scope, rows map[string]*Row) {
	sums := map[string]*counts{}
	for _, g := range s.groups {
		if scope.Department != "" && s.names[g.dep] != scope.Department ||
			scope.Category != "" && s.names[g.cat] != scope.Category ||
			scope.Township != "" && s.names[g.town] != scope.Township ||
			scope.Channel != "" && s.names[g.chn] != scope.Channel {
			continue
		}
		var k string
		switch d {
		case ByDepartment:
			k = s.names[g.dep]
		case ByCategory:
			k = s.names[g.cat]
		case ByTownship:
			k = s.names[g.town]
		case ByChannel:
			k = s.names[g.chn]
		case ByDay:
			k = s.names[g.day]
		case ByMonth:
			if k = s.names[g.day]; len(k) >= 7 {
				k = k[:7]
			}
		}
		c := sums[k]
		if c == nil {
			c = &counts{K: k}
			sums[k] = c
		}
		c.Base += int(g.base)
		c.H1 += int(g.overdue)
	}
	name := openMetric().name
	for _, c := range sums {
		addCounts(rows, name, *c)
	}
}
