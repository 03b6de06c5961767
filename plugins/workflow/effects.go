package workflow

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// effects maps every action of the Table to what it does. A test checks
// that the two stay in step.
var effects = map[string]effect{
	"accept":             accept,
	"reject":             reject,
	"merge":              merge,
	"direct_answer":      directAnswer,
	"dispatch":           dispatch,
	"redispatch":         redispatch,
	"revoke_dispatch":    revokeDispatch,
	"sign":               sign,
	"assist_sign":        assistSign,
	"return":             returnCase,
	"request_extension":  requestExtension,
	"request_suspension": requestSuspension,
	"approve_extension":  approveExtension,
	"approve_suspension": approveSuspension,
	"deny_request":       denyRequest,
	"resume":             resume,
	"reply":              reply,
	"assist_reply":       assistReply,
	"approve_reply":      approveReply,
	"send_back":          sendBack,
	"rate":               rate,
	"archive":            archive,
	"urge":               urge,
	"supervise":          supervise,
	"sla_warning":        slaWarning,
	"sla_overdue":        slaOverdue,
	"supplement":         supplement,
	"withdraw":           withdraw,
}

func (s *step) nowDT() types.DateTime {
	dt, _ := types.ParseDateTime(s.now)
	return dt
}

func (s *step) newRecord(collection string) (*core.Record, error) {
	c, err := s.tx.FindCachedCollectionByNameOrId(collection)
	if err != nil {
		return nil, err
	}
	return core.NewRecord(c), nil
}

// staffID is the acting staff member's id, if the actor is staff.
func (s *step) staffID() string {
	if s.actor.Record != nil && s.actor.Record.Collection().Name == "staff" {
		return s.actor.Record.Id
	}
	return ""
}

// openAssignments lists the appeal's assignments that are still live.
func (s *step) openAssignments() ([]*core.Record, error) {
	return s.tx.FindAllRecords("assignments",
		dbx.HashExp{"appeal": s.appeal.Id},
		dbx.NotIn("status", "cancelled", "returned", "done"),
	)
}

// assignmentOf answers the live assignment of department in role.
func (s *step) assignmentOf(department, role string) (*core.Record, error) {
	list, err := s.tx.FindAllRecords("assignments",
		dbx.HashExp{"appeal": s.appeal.Id, "department": department, "role": role},
		dbx.NotIn("status", "cancelled", "returned", "done"),
	)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, Conflict("没有找到本单位在该工单上的有效任务")
	}
	return list[0], nil
}

func (s *step) leadAssignment() (*core.Record, error) {
	return s.assignmentOf(s.appeal.GetString("lead_department"), "lead")
}

// setAssignmentStatus changes the status of the given assignments.
func (s *step) setAssignmentStatus(list []*core.Record, status string) error {
	for _, a := range list {
		a.Set("status", status)
		if err := s.tx.Save(a); err != nil {
			return err
		}
	}
	return nil
}

// cancelOpenAssignments ends every live assignment (withdrawal, 改派).
func (s *step) cancelOpenAssignments() error {
	list, err := s.openAssignments()
	if err != nil {
		return err
	}
	return s.setAssignmentStatus(list, "cancelled")
}

// pendingRequest answers the appeal's undecided 延期/挂起 request of kind
// ("" for either), or nil.
func (s *step) pendingRequest(kind string) (*core.Record, error) {
	exp := dbx.HashExp{"appeal": s.appeal.Id, "status": "pending"}
	if kind != "" {
		exp["kind"] = kind
	}
	list, err := s.tx.FindAllRecords("extensions", exp)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	return list[0], nil
}

// departmentName is used in the sentences residents read.
func (s *step) departmentName(id string) string {
	if d, err := s.tx.FindRecordById("departments", id); err == nil {
		return d.GetString("name")
	}
	return ""
}

// pendingCallback answers the appeal's open 回访 record, or nil.
func (s *step) pendingCallback() (*core.Record, error) {
	list, err := s.tx.FindAllRecords("callbacks", dbx.HashExp{"appeal": s.appeal.Id, "status": "pending"})
	if err != nil || len(list) == 0 {
		return nil, err
	}
	return list[0], nil
}

// openCallback creates the 回访 task due per the policy.
func (s *step) openCallback() error {
	due, err := s.deadline(s.now, "callback")
	if err != nil {
		return err
	}
	s.appeal.Set("due_callback", due)
	cb, err := s.newRecord("callbacks")
	if err != nil {
		return err
	}
	cb.Set("appeal", s.appeal.Id)
	cb.Set("status", "pending")
	cb.Set("due", due)
	return s.tx.Save(cb)
}
