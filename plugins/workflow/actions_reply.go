package workflow

import (
	"unicode/utf8"

	"github.com/pocketbase/dbx"
)

// newReply stores a department's answer with its attachments.
func (s *step) newReply(assignmentID, role, reviewStatus string) (string, error) {
	if utf8.RuneCountInString(s.in.Content) < minReplyLen {
		return "", FieldError("content", "请填写答复内容（至少 10 个字），说明办理过程和结果")
	}
	r, err := s.newRecord("replies")
	if err != nil {
		return "", err
	}
	r.Set("appeal", s.appeal.Id)
	r.Set("assignment", assignmentID)
	r.Set("department", s.actor.Department)
	r.Set("author", s.staffID())
	r.Set("role", role)
	r.Set("content", s.in.Content)
	r.Set("review_status", reviewStatus)
	if len(s.in.Files) > 0 {
		r.Set("attachments", s.in.Files)
	}
	if err := s.tx.Save(r); err != nil {
		return "", err
	}
	s.data["reply"] = r.Id
	return r.Id, nil
}

func reply(s *step) (Status, error) {
	lead, err := s.leadAssignment()
	if err != nil {
		return "", err
	}
	if _, err := s.newReply(lead.Id, "lead", "pending"); err != nil {
		return "", err
	}
	lead.Set("status", "replied")
	lead.Set("replied_at", s.nowDT())
	if err := s.tx.Save(lead); err != nil {
		return "", err
	}
	s.appeal.Set("replied_at", s.nowDT())
	s.summary = "承办单位已答复，等待平台审核"
	return Replied, nil
}

func assistReply(s *step) (Status, error) {
	a, err := s.assignmentOf(s.actor.Department, "assist")
	if err != nil {
		return "", err
	}
	if a.GetString("status") == "pending" {
		return "", Conflict("请先签收协办任务再答复")
	}
	if _, err := s.newReply(a.Id, "assist", "none"); err != nil {
		return "", err
	}
	a.Set("status", "replied")
	a.Set("replied_at", s.nowDT())
	return s.from, s.tx.Save(a)
}

// pendingLeadReply answers the lead department's reply awaiting review.
func (s *step) pendingLeadReply() (string, error) {
	list, err := s.tx.FindAllRecords("replies", dbx.HashExp{"appeal": s.appeal.Id, "role": "lead", "review_status": "pending"})
	if err != nil {
		return "", err
	}
	if len(list) == 0 {
		return "", Conflict("没有待审核的答复")
	}
	r := list[len(list)-1]
	r.Set("review_status", map[string]string{"approve_reply": "approved", "send_back": "returned"}[s.action.Name])
	r.Set("review_note", s.in.Note)
	r.Set("reviewed_by", s.staffID())
	r.Set("reviewed_at", s.nowDT())
	return r.Id, s.tx.Save(r)
}

func approveReply(s *step) (Status, error) {
	id, err := s.pendingLeadReply()
	if err != nil {
		return "", err
	}
	open, err := s.openAssignments()
	if err != nil {
		return "", err
	}
	if err := s.setAssignmentStatus(open, "done"); err != nil {
		return "", err
	}
	if err := s.openCallback(); err != nil {
		return "", err
	}
	s.data["reply"] = id
	s.summary = "承办单位的答复已审核通过，请查看答复并评价"
	return Callback, nil
}

func sendBack(s *step) (Status, error) {
	if s.in.Note == "" {
		return "", FieldError("note", "请写明退回理由和重办要求")
	}
	id, err := s.pendingLeadReply()
	if err != nil {
		return "", err
	}
	lead, err := s.leadAssignment()
	if err != nil {
		return "", err
	}
	lead.Set("status", "signed")
	if err := s.tx.Save(lead); err != nil {
		return "", err
	}
	s.appeal.Set("redo_count", s.appeal.GetInt("redo_count")+1)
	s.data["reply"] = id
	return Handling, nil
}
