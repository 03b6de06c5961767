package workflow

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/core"
)

// handleTrack runs POST /api/track: ticket number + query code show the
// resident their case and its public timeline, without an account. The code
// travels in the body so that it never lands in access logs.
func (p *plugin) handleTrack(e *core.RequestEvent) error {
	var body struct {
		Ticket    string `json:"ticket" form:"ticket"`
		QueryCode string `json:"query_code" form:"query_code"`
	}
	if err := e.BindBody(&body); err != nil {
		return BodyError(err)
	}
	errs := &FieldErrors{}
	if strings.TrimSpace(body.Ticket) == "" {
		errs.Add("ticket", "请输入受理编号")
	}
	if strings.TrimSpace(body.QueryCode) == "" {
		errs.Add("query_code", "请输入查询码")
	}
	if err := errs.Err(); err != nil {
		return err
	}
	c, err := findResidentCaseByTicket(e.Request.Context(), e.App, strings.ToUpper(strings.TrimSpace(body.Ticket)))
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if c == nil || !checkQueryCodeHash(c.queryCodeHash, body.QueryCode) {
		return NotFound("受理编号或查询码不正确，请核对后重试")
	}
	view, err := c.View(e.Request.Context(), e.App)
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, view)
}

// ResidentView is the case as its own resident sees it: their own text,
// masked contact data, the public timeline and the accepted reply, with
// signed links to their attachments (filelinks.go). A merged case also
// shows the case it follows. It reads what it shows afresh
// (residentcase.go).
func ResidentView(app core.App, appeal *core.Record) (map[string]any, error) {
	c, err := FindResidentCase(context.Background(), app, appeal.Id)
	if err != nil {
		return nil, err
	}
	return c.View(context.Background(), app)
}

func mayStart(action string, s Status) bool {
	a, ok := Find(action)
	return ok && a.AllowsFrom(s)
}
