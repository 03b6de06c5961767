package analytics

import (
	"github.com/pocketbase/pocketbase/core"

	"siyang/plugins/workflow"
)

// viewer is who asks for figures: the platform (operators, supervisors,
// admins, superusers) sees everything; a department handler only their own
// department's figures.
type viewer struct {
	auth       *core.Record
	role       string // operator, supervisor, admin, handler
	department string // for handlers
}

func viewerOf(e *core.RequestEvent) viewer {
	a := workflow.ActorFromAuth(e.Auth)
	return viewer{auth: e.Auth, role: a.StaffRole, department: a.Department}
}

func (v viewer) central() bool { return v.role != "handler" }

// mayReadContact: the roles the platform lets read residents' contact data
// (the workflow's contact endpoint gives it to operators, supervisors and
// admins; a department reads it case by case there, audited, never in bulk).
func (v viewer) mayReadContact() bool { return v.central() }

// restrict applies the viewer's limits to a requested scope: a handler's
// figures are their department's, and asking for another is refused.
func (v viewer) restrict(s Scope) (Scope, error) {
	if v.central() {
		return s, nil
	}
	if v.department == "" {
		return s, workflow.Forbidden("您的账号未关联承办单位，无法查看统计")
	}
	if s.Department != "" && s.Department != v.department {
		return s, workflow.Forbidden("承办单位只能查看本单位的统计")
	}
	s.Department = v.department
	return s, nil
}
