package sla

import (
	"strconv"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// boardItems is how many cases of one department the board lists, most
// urgent first; its counts cover all of them.
const boardItems = 20

// boardColumns are what the board shows of a case and what its clock
// (StatusOf, PolicyFor) reads.
var boardColumns = []string{"id", "ticket", "title", "status", "lead_department",
	"sla_stage", "sla_state", "sla_due_at", "sla_policy", "category", "priority", "kind"}

// boardCases are the listed cases of the departments (in that order, each
// by deadline): each department's first boardItems matching where, picked
// from idx_appeals_sla_board alone (its rowids, in the index's order), then
// those rows read for boardColumns only. The records carry just those
// fields: they are read, never saved.
func boardCases(app core.App, where string, departments []string) ([]*core.Record, error) {
	pick := app.DB().NewQuery(`SELECT rowid FROM appeals INDEXED BY idx_appeals_sla_board
		WHERE ` + where + ` AND lead_department = {:department}
		ORDER BY sla_due_at LIMIT {:limit}`).Prepare()
	defer pick.Close()
	var rowids []any
	for _, d := range departments {
		var got []int64
		if err := pick.Bind(dbx.Params{"department": d, "limit": boardItems}).Column(&got); err != nil {
			return nil, err
		}
		for _, id := range got {
			rowids = append(rowids, id)
		}
	}
	if len(rowids) == 0 {
		return nil, nil
	}
	// A record of a bare collection holds only the columns set on it: the
	// appeals collection's 80 fields, each with its default, made every
	// record ~100 times heavier and the board the server's largest Go heap
	// under load (16 boards at once, 2,000 cases each at a million).
	collection, err := app.FindCachedCollectionByNameOrId("appeals")
	if err != nil {
		return nil, err
	}
	bare := core.NewBaseCollection(collection.Name)
	bare.Id = collection.Id
	var rows []dbx.NullStringMap
	if err := app.DB().Select(append([]string{"rowid AS rid"}, boardColumns...)...).From("appeals").
		Where(dbx.In("rowid", rowids...)).All(&rows); err != nil {
		return nil, err
	}
	byRowid := make(map[string]*core.Record, len(rows))
	for _, row := range rows {
		r := core.NewRecord(bare)
		for _, c := range boardColumns {
			r.Set(c, row[c].String)
		}
		byRowid[row["rid"].String] = r
	}
	out := make([]*core.Record, 0, len(rows))
	for _, id := range rowids {
		if r := byRowid[strconv.FormatInt(id.(int64), 10)]; r != nil {
			out = append(out, r)
		}
	}
	return out, nil
}
