package privacy

import (
	"net/http"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"siyang/hooks"
	"siyang/plugins/workflow"
)

// subject is whose data a request concerns: a signed-in resident's
// account (their linked appeals), or a phone number an administrator
// gives for a resident without an account.
type subject struct {
	user  *core.Record
	phone string
}

// subject checks who may ask: the resident for themselves; a platform
// administrator (staff admin or superuser) for a phone number.
func (p *Plugin) subject(e *core.RequestEvent, phone string) (*subject, error) {
	switch {
	case e.Auth == nil:
		return nil, &router.ApiError{Status: http.StatusUnauthorized, Message: "请先登录：个人信息的导出和删除只能由本人或系统管理员办理", Data: map[string]any{}}
	case e.Auth.Collection().Name == "users":
		return &subject{user: e.Auth}, nil
	case e.Auth.IsSuperuser() || (e.Auth.Collection().Name == "staff" && e.Auth.GetString("role") == "admin"):
		phone = hooks.NormalizePhone(phone)
		if !hooks.ValidPhone(phone) {
			return nil, workflow.FieldError("phone", "请填写申请人的手机号或固定电话（核实身份后办理）")
		}
		return &subject{phone: phone}, nil
	}
	return nil, workflow.Forbidden("个人信息的导出和删除只能由本人或系统管理员办理")
}

func (s *subject) collection() string {
	if s.user != nil {
		return "users"
	}
	return "appeals"
}

func (s *subject) id() string {
	if s.user != nil {
		return s.user.Id
	}
	return ""
}

// appeals are the subject's appeals, oldest first.
func (s *subject) appeals(app core.App) ([]*core.Record, error) {
	if s.user != nil {
		return app.FindRecordsByFilter("appeals", "resident = {:u}", "created", 0, 0, dbx.Params{"u": s.user.Id})
	}
	return app.FindRecordsByFilter("appeals", "contact_phone = {:p}", "created", 0, 0, dbx.Params{"p": s.phone})
}

// bookings are the subject's appointments (by the phone they booked with).
func (s *subject) bookings(app core.App) ([]*core.Record, error) {
	phone := s.phone
	if s.user != nil {
		phone = hooks.NormalizePhone(s.user.GetString("phone"))
	}
	if phone == "" {
		return nil, nil
	}
	return app.FindRecordsByFilter("appointments", "phone = {:p}", "created", 0, 0, dbx.Params{"p": phone})
}
