package residents

import (
	"database/sql"
	"errors"
	"net/http"
	"strconv"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"siyang/internal/sqlstmt"
	"siyang/plugins/workflow"
)

// perPage is how many cases "我的诉求" lists at a time.
const perPage = 20

// The list's two reads, prepared once per connection (internal/sqlstmt);
// the parameters are cast so that SQLite does not plan the statements
// again at every run (see plugins/workflow/residentcase.go).
var (
	countMine = sqlstmt.New(`SELECT COUNT(*) FROM appeals WHERE resident = CAST(? AS TEXT)`)
	listMine  = sqlstmt.New(`SELECT id, ticket, title, kind, status, satisfaction, created, updated
		FROM appeals WHERE resident = CAST(? AS TEXT) ORDER BY created DESC, id DESC
		LIMIT CAST(? AS INTEGER) OFFSET CAST(? AS INTEGER)`)
)

// myAppeal is one line of "我的诉求".
type myAppeal struct {
	ID           string         `json:"id"`
	Ticket       string         `json:"ticket"`
	Title        string         `json:"title"`
	Kind         string         `json:"kind"`
	Status       string         `json:"status"`
	Satisfaction string         `json:"satisfaction"`
	Created      types.DateTime `json:"created"`
	Updated      types.DateTime `json:"updated"`
	StatusLabel  string         `json:"status_label"`
	KindLabel    string         `json:"kind_label"`
	CanRate      bool           `json:"can_rate"`
	CanAdd       bool           `json:"can_supplement"`
	CanWithdraw  bool           `json:"can_withdraw"`
}

// handleMyAppeals runs GET /api/residents/appeals?page=N: the signed-in
// resident's cases, newest first, with what they may do on each.
func (p *plugin) handleMyAppeals(e *core.RequestEvent) error {
	page, _ := strconv.Atoi(e.Request.URL.Query().Get("page"))
	if page < 1 {
		page = 1
	}
	ctx := e.Request.Context()
	var total int
	if err := countMine.QueryRow(ctx, e.App, e.Auth.Id).Scan(&total); err != nil {
		return err
	}
	items := []myAppeal{}
	if page-1 < (total+perPage-1)/perPage {
		rows, err := listMine.Query(ctx, e.App, e.Auth.Id, perPage, (page-1)*perPage)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var a myAppeal
			if err := rows.Scan(&a.ID, &a.Ticket, &a.Title, &a.Kind, &a.Status, &a.Satisfaction, &a.Created, &a.Updated); err != nil {
				return err
			}
			items = append(items, a)
		}
		if err := rows.Err(); err != nil {
			return err
		}
	}
	for i := range items {
		a := &items[i]
		s := workflow.Status(a.Status)
		a.StatusLabel = workflow.StatusLabels[s]
		a.KindLabel = workflow.KindLabels[a.Kind]
		a.CanRate = s == workflow.Callback
		a.CanAdd = allows("supplement", s)
		a.CanWithdraw = allows("withdraw", s)
	}
	return e.JSON(http.StatusOK, map[string]any{
		"page": page, "perPage": perPage, "totalItems": total,
		"totalPages": (total + perPage - 1) / perPage, "items": items,
	})
}

func allows(action string, s workflow.Status) bool {
	a, ok := workflow.Find(action)
	return ok && a.AllowsFrom(s)
}

// handleMyAppeal runs GET /api/residents/appeals/{id}: one of the
// resident's cases as the track page shows it (workflow.ResidentView). A
// case of someone else answers 404, as if it did not exist.
func (p *plugin) handleMyAppeal(e *core.RequestEvent) error {
	ctx := e.Request.Context()
	c, err := workflow.FindResidentCase(ctx, e.App, e.Request.PathValue("id"))
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if c == nil || c.Resident != e.Auth.Id {
		return workflow.NotFound("没有找到这条诉求")
	}
	view, err := c.View(ctx, e.App)
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, view)
}
