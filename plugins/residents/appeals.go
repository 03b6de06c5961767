package residents

import (
	"net/http"
	"strconv"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"siyang/plugins/workflow"
)

// perPage is how many cases "我的诉求" lists at a time.
const perPage = 20

// myAppeal is one line of "我的诉求".
type myAppeal struct {
	ID           string         `db:"id" json:"id"`
	Ticket       string         `db:"ticket" json:"ticket"`
	Title        string         `db:"title" json:"title"`
	Kind         string         `db:"kind" json:"kind"`
	Status       string         `db:"status" json:"status"`
	Satisfaction string         `db:"satisfaction" json:"satisfaction"`
	Created      types.DateTime `db:"created" json:"created"`
	Updated      types.DateTime `db:"updated" json:"updated"`
	StatusLabel  string         `db:"-" json:"status_label"`
	KindLabel    string         `db:"-" json:"kind_label"`
	CanRate      bool           `db:"-" json:"can_rate"`
	CanAdd       bool           `db:"-" json:"can_supplement"`
	CanWithdraw  bool           `db:"-" json:"can_withdraw"`
}

// handleMyAppeals runs GET /api/residents/appeals?page=N: the signed-in
// resident's cases, newest first, with what they may do on each.
func (p *plugin) handleMyAppeals(e *core.RequestEvent) error {
	page, _ := strconv.Atoi(e.Request.URL.Query().Get("page"))
	if page < 1 {
		page = 1
	}
	var total int
	err := e.App.DB().Select("COUNT(*)").From("appeals").Where(dbx.HashExp{"resident": e.Auth.Id}).Row(&total)
	if err != nil {
		return err
	}
	items := []myAppeal{}
	err = e.App.DB().Select("id", "ticket", "title", "kind", "status", "satisfaction", "created", "updated").
		From("appeals").Where(dbx.HashExp{"resident": e.Auth.Id}).
		OrderBy("created DESC", "id DESC").Limit(perPage).Offset(int64((page - 1) * perPage)).All(&items)
	if err != nil {
		return err
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
	appeal, err := e.App.FindRecordById("appeals", e.Request.PathValue("id"))
	if err != nil || appeal.GetString("resident") != e.Auth.Id {
		return workflow.NotFound("没有找到这条诉求")
	}
	view, err := workflow.ResidentView(e.App, appeal)
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, view)
}
