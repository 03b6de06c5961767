package workflow

func rate(s *step) (Status, error) {
	errs := &FieldErrors{}
	if _, ok := SatisfactionLabels[s.in.Satisfaction]; !ok {
		errs.Add("satisfaction", "请选择满意度：非常满意、满意、基本满意、不满意或非常不满意")
	}
	if s.in.Resolved == nil {
		errs.Add("resolved", "请选择问题是否已解决")
	}
	if err := errs.Err(); err != nil {
		return "", err
	}
	cb, err := s.pendingCallback()
	if err != nil {
		return "", err
	}
	if cb == nil {
		if cb, err = s.newRecord("callbacks"); err != nil {
			return "", err
		}
		cb.Set("appeal", s.appeal.Id)
	}
	channel := "phone"
	if s.role == Resident {
		channel = "web"
	}
	cb.Set("status", "done")
	cb.Set("channel", channel)
	cb.Set("satisfaction", s.in.Satisfaction)
	cb.Set("resolved", *s.in.Resolved)
	cb.Set("comment", s.in.Note)
	cb.Set("operator", s.staffID())
	cb.Set("done_at", s.nowDT())
	if err := s.tx.Save(cb); err != nil {
		return "", err
	}
	s.appeal.Set("satisfaction", s.in.Satisfaction)
	s.appeal.Set("resolved", *s.in.Resolved)
	s.data["satisfaction"] = s.in.Satisfaction
	s.data["resolved"] = *s.in.Resolved
	s.data["channel"] = channel

	if Dissatisfied(s.in.Satisfaction) {
		return s.reopen()
	}
	reason := "resolved"
	if !*s.in.Resolved {
		reason = "explained"
	}
	s.appeal.Set("close_reason", reason)
	s.appeal.Set("closed_at", s.nowDT())
	s.summary = "回访评价：" + SatisfactionLabels[s.in.Satisfaction] + "，工单办结"
	return Closed, nil
}

// reopen sends a case the resident is dissatisfied with back to the lead
// department for 重办, with a fresh 办结 time limit; it is counted.
func (s *step) reopen() (Status, error) {
	s.appeal.Set("reopen_count", s.appeal.GetInt("reopen_count")+1)
	s.appeal.Set("closed_at", "")
	due, err := s.deadline(s.now, "finish")
	if err != nil {
		return "", err
	}
	s.appeal.Set("due_finish", due)
	lead, err := s.newRecord("assignments")
	if err != nil {
		return "", err
	}
	lead.Set("appeal", s.appeal.Id)
	lead.Set("department", s.appeal.GetString("lead_department"))
	lead.Set("role", "lead")
	lead.Set("status", "signed")
	lead.Set("signed_at", s.nowDT())
	lead.Set("due_finish", due)
	if err := s.tx.Save(lead); err != nil {
		return "", err
	}
	s.summary = "回访评价：" + SatisfactionLabels[s.in.Satisfaction] + "，已退回承办单位重新办理"
	return Handling, nil
}

func archive(s *step) (Status, error) {
	label, ok := ArchiveReasons[s.in.Reason]
	if !ok {
		return "", FieldError("reason", "请选择归档原因（如 unreachable 多次回访无法联系、confirmed 经审核认定办结）")
	}
	cb, err := s.pendingCallback()
	if err != nil {
		return "", err
	}
	if cb != nil {
		cb.Set("status", "cancelled")
		cb.Set("comment", label)
		cb.Set("operator", s.staffID())
		cb.Set("done_at", s.nowDT())
		if err := s.tx.Save(cb); err != nil {
			return "", err
		}
	}
	s.appeal.Set("close_reason", s.in.Reason)
	s.appeal.Set("closed_at", s.nowDT())
	s.summary = "工单办结归档：" + label
	s.data["reason"] = s.in.Reason
	return Closed, nil
}

func supplement(s *step) (Status, error) {
	if s.in.Content == "" && len(s.in.Files) == 0 {
		return "", FieldError("content", "请填写补充内容或上传附件")
	}
	s.in.Note = s.in.Content
	s.eventFiles = s.in.Files
	s.summary = "诉求人补充了材料"
	return s.from, nil
}

func withdraw(s *step) (Status, error) {
	if err := s.cancelOpenAssignments(); err != nil {
		return "", err
	}
	s.appeal.Set("closed_at", s.nowDT())
	s.summary = "诉求人已撤回诉求"
	return Withdrawn, nil
}
