package workflow

import (
	"time"
)

// assign validates the lead and assisting departments and creates their
// assignments with the deadlines of the appeal's policy.
func (s *step) assign() error {
	errs := &FieldErrors{}
	if s.in.Department == "" {
		errs.Add("department", "请选择主办单位")
	}
	lead, err := s.tx.FindRecordById("departments", s.in.Department)
	if s.in.Department != "" && (err != nil || !lead.GetBool("active")) {
		errs.Add("department", "主办单位不存在或已停用")
	}
	seen := map[string]bool{s.in.Department: true}
	var assisting []string
	for _, id := range s.in.Assisting {
		if id == "" || seen[id] {
			if id == s.in.Department && id != "" {
				errs.Add("assisting", "协办单位不能与主办单位相同")
			}
			continue
		}
		seen[id] = true
		d, err := s.tx.FindRecordById("departments", id)
		if err != nil || !d.GetBool("active") {
			errs.Add("assisting", "协办单位不存在或已停用")
			continue
		}
		assisting = append(assisting, id)
	}
	if err := errs.Err(); err != nil {
		return err
	}
	if err := s.applyClassification(); err != nil {
		return err
	}

	dueSign, err := s.deadline(s.now, "sign")
	if err != nil {
		return err
	}
	dueReturn, err := s.deadline(s.now, "return")
	if err != nil {
		return err
	}
	dueFinish, err := s.deadline(s.now, "finish")
	if err != nil {
		return err
	}
	s.appeal.Set("lead_department", lead.Id)
	s.appeal.Set("assisting_departments", assisting)
	s.appeal.Set("dispatched_at", s.nowDT())
	s.appeal.Set("signed_at", "")
	s.appeal.Set("due_sign", dueSign)
	s.appeal.Set("due_finish", dueFinish)
	s.appeal.Set("remaining_seconds", 0)

	for i, dept := range append([]string{lead.Id}, assisting...) {
		a, err := s.newRecord("assignments")
		if err != nil {
			return err
		}
		role := "assist"
		if i == 0 {
			role = "lead"
			a.Set("due_return", dueReturn)
		}
		a.Set("appeal", s.appeal.Id)
		a.Set("department", dept)
		a.Set("role", role)
		a.Set("status", "pending")
		a.Set("due_sign", dueSign)
		a.Set("due_finish", dueFinish)
		if err := s.tx.Save(a); err != nil {
			return err
		}
	}
	s.data["lead"] = lead.Id
	s.data["assisting"] = assisting
	s.summary = "已转交「" + lead.GetString("name") + "」办理"
	return nil
}

func dispatch(s *step) (Status, error) {
	if err := s.assign(); err != nil {
		return "", err
	}
	if s.actor.IsSystem {
		// auto-dispatch: the note says which rule and confidence decided
		s.appeal.Set("auto_dispatched", true)
		s.data["auto"] = true
	}
	return Dispatched, nil
}

// revokeDispatch takes a dispatch back before the department signed (an
// operator's mistake, or an automatic dispatch the operator undoes).
func revokeDispatch(s *step) (Status, error) {
	if err := s.cancelOpenAssignments(); err != nil {
		return "", err
	}
	s.data["department"] = s.appeal.GetString("lead_department")
	s.data["was_auto"] = s.appeal.GetBool("auto_dispatched")
	s.appeal.Set("lead_department", "")
	s.appeal.Set("assisting_departments", []string{})
	s.appeal.Set("due_sign", "")
	s.appeal.Set("due_finish", "")
	s.appeal.Set("auto_dispatched", false)
	return Accepted, nil
}

func redispatch(s *step) (Status, error) {
	if err := s.cancelOpenAssignments(); err != nil {
		return "", err
	}
	if err := s.assign(); err != nil {
		return "", err
	}
	s.summary = "已改派「" + s.departmentName(s.in.Department) + "」办理"
	return Dispatched, nil
}

func sign(s *step) (Status, error) {
	a, err := s.leadAssignment()
	if err != nil {
		return "", err
	}
	if a.GetString("status") != "pending" {
		return "", Conflict("该任务已由本单位签收")
	}
	a.Set("status", "signed")
	a.Set("signed_at", s.nowDT())
	a.Set("signed_by", s.staffID())
	if err := s.tx.Save(a); err != nil {
		return "", err
	}
	s.appeal.Set("signed_at", s.nowDT())
	s.summary = "「" + s.departmentName(a.GetString("department")) + "」已签收，正在办理"
	return Handling, nil
}

func assistSign(s *step) (Status, error) {
	a, err := s.assignmentOf(s.actor.Department, "assist")
	if err != nil {
		return "", err
	}
	if a.GetString("status") != "pending" {
		return "", Conflict("本单位已签收该协办任务")
	}
	a.Set("status", "signed")
	a.Set("signed_at", s.nowDT())
	a.Set("signed_by", s.staffID())
	return s.from, s.tx.Save(a)
}

func returnCase(s *step) (Status, error) {
	if s.in.Note == "" {
		return "", FieldError("note", "请填写退单理由，说明该诉求为何不属于本单位职责")
	}
	lead, err := s.leadAssignment()
	if err != nil {
		return "", err
	}
	if due := lead.GetDateTime("due_return"); !due.IsZero() && s.now.After(due.Time()) {
		return "", Conflict("已超过退单时限（" + due.Time().In(chinaTime).Format("2006-01-02 15:04") + "），请联系平台申请改派")
	}
	open, err := s.openAssignments()
	if err != nil {
		return "", err
	}
	for _, a := range open {
		if a.Id == lead.Id {
			a.Set("status", "returned")
			a.Set("returned_at", s.nowDT())
			a.Set("return_reason", s.in.Note)
		} else {
			a.Set("status", "cancelled")
		}
		if err := s.tx.Save(a); err != nil {
			return "", err
		}
	}
	s.data["department"] = lead.GetString("department")
	s.appeal.Set("lead_department", "")
	s.appeal.Set("assisting_departments", []string{})
	s.appeal.Set("due_sign", "")
	s.appeal.Set("due_finish", "")
	return Accepted, nil
}

var chinaTime = time.FixedZone("CST", 8*3600)
