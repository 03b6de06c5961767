package portal

import (
	"net/http"
	"strconv"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/search"

	"siyang/internal/sqlstmt"
	"siyang/plugins/workflow"
)

// latestReplyIDs walks the public appeals newest reply first along their
// partial reply-time index (migration 1764900500) and stops at the page.
// Asked of the public_appeals view with PocketBase's list, SQLite (3.53)
// prefers the status index and sorts every answered public appeal — 7–8 s
// at a million appeals — so the walk is named here (INDEXED BY, which a
// view collection's query cannot carry). The WHERE repeats the index's
// word for word; the reply is the view's `reply` column.
var latestReplyIDs = sqlstmt.New(`SELECT a.id FROM appeals a INDEXED BY idx_appeals_public_replied
 WHERE ` + publicCondition + `
   AND a.replied_at != ''
   AND (SELECT r.public_content FROM replies r
         WHERE r.appeal = a.id AND r.review_status = 'approved' AND r.role != 'assist'
         ORDER BY r.created DESC LIMIT 1) != ''
 ORDER BY a.replied_at DESC, a.created DESC LIMIT CAST(? AS INTEGER)`)

const latestRepliesMax = 20

// handleLatestReplies runs GET /api/portal/latest-replies?perPage=N: the
// public appeals with an approved public reply, newest reply first (the
// home page's 最新答复), as public_appeals records — the same items, and
// the same `expand` and `fields`, as the public list answers.
func (p *plugin) handleLatestReplies(e *core.RequestEvent) error {
	perPage := 5
	if v := e.Request.URL.Query().Get("perPage"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > latestRepliesMax {
			return workflow.FieldError("perPage", "每页条数应为 1–20 的整数")
		}
		perPage = n
	}
	rows, err := latestReplyIDs.Query(e.Request.Context(), e.App, perPage)
	if err != nil {
		return err
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	items, err := publicRecordsInOrder(e, ids)
	if err != nil {
		return err
	}
	// a list result, so that `fields` picks inside the items as it does
	// for the public list (totals are not counted, as with skipTotal)
	return e.JSON(http.StatusOK, &search.Result{Page: 1, PerPage: perPage, TotalItems: -1, TotalPages: -1, Items: items})
}

// publicRecordsInOrder answers the public_appeals records of ids in the
// order of ids (an appeal no longer public is left out), enriched for the
// requester as PocketBase's list enriches them (expand, fields, hidden).
func publicRecordsInOrder(e *core.RequestEvent, ids []string) ([]*core.Record, error) {
	found, err := e.App.FindRecordsByIds("public_appeals", ids)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*core.Record, len(found))
	for _, r := range found {
		byID[r.Id] = r
	}
	items := make([]*core.Record, 0, len(ids))
	for _, id := range ids {
		if r := byID[id]; r != nil {
			items = append(items, r)
		}
	}
	if err := apis.EnrichRecords(e, items); err != nil {
		return nil, err
	}
	return items, nil
}
