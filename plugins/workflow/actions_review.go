package workflow

import (
	"unicode/utf8"
)

// applyClassification lets the operator correct kind, category, region,
// priority and time-limit policy while accepting or dispatching.
func (s *step) applyClassification() error {
	errs := &FieldErrors{}
	in := s.in
	if in.Kind != "" {
		if _, ok := KindLabels[in.Kind]; !ok {
			errs.Add("kind", "诉求类型只能是咨询、投诉、求助、建议或举报")
		} else {
			s.appeal.Set("kind", in.Kind)
		}
	}
	if in.Priority != "" {
		if in.Priority != "normal" && in.Priority != "urgent" {
			errs.Add("priority", "紧急程度只能是 normal（一般）或 urgent（紧急）")
		} else {
			s.appeal.Set("priority", in.Priority)
		}
	}
	if in.Category != "" {
		if _, err := s.tx.FindRecordById("categories", in.Category); err != nil {
			errs.Add("category", "所选分类不存在")
		} else {
			s.appeal.Set("category", in.Category)
		}
	}
	if in.Region != "" {
		if _, err := s.tx.FindRecordById("regions", in.Region); err != nil {
			errs.Add("region", "所选乡镇/街道不存在")
		} else {
			s.appeal.Set("region", in.Region)
		}
	}
	if in.Policy != "" {
		p, err := s.tx.FindFirstRecordByData("sla_policies", "code", in.Policy)
		if err != nil {
			errs.Add("sla_policy", "所选时限类别不存在")
		} else {
			s.appeal.Set("sla_policy", p.Id)
		}
	} else if in.Category != "" || in.Priority != "" {
		// a new category or priority brings its own time limit
		s.appeal.Set("sla_policy", "")
		if p, err := PolicyFor(s.tx, s.appeal); err == nil {
			s.appeal.Set("sla_policy", p.Id)
		}
	}
	return errs.Err()
}

func accept(s *step) (Status, error) {
	if err := s.applyClassification(); err != nil {
		return "", err
	}
	s.appeal.Set("accepted_at", s.nowDT())
	s.summary = "您的诉求已受理，正在分派承办单位"
	return Accepted, nil
}

func reject(s *step) (Status, error) {
	label, ok := RejectReasons[s.in.Reason]
	if !ok {
		return "", FieldError("reason", "请选择不予受理的原因（如 incomplete 信息不全、legal_channel 告知法定途径）")
	}
	s.appeal.Set("reject_reason", s.in.Reason)
	s.appeal.Set("closed_at", s.nowDT())
	s.summary = "不予受理：" + label
	if s.in.Note != "" {
		s.summary += "。" + truncate(s.in.Note, 300)
	}
	s.data["reason"] = s.in.Reason
	return Rejected, nil
}

func merge(s *step) (Status, error) {
	if s.in.Target == "" {
		return "", FieldError("target", "请填写要并入的原工单编号")
	}
	original, err := FindAppeal(s.tx, s.in.Target)
	if err != nil {
		return "", FieldError("target", "原工单不存在")
	}
	if original.Id == s.appeal.Id {
		return "", FieldError("target", "不能与自身并单")
	}
	switch Status(original.GetString("status")) {
	case Rejected, Withdrawn, Merged:
		return "", FieldError("target", "原工单已"+StatusLabels[Status(original.GetString("status"))]+"，请选择仍在办理的工单")
	}
	s.appeal.Set("duplicate_of", original.Id)
	s.summary = "您的诉求与工单 " + original.GetString("ticket") + " 反映的是同一问题，已合并办理，办理结果将一并告知"
	s.data["original"] = original.Id
	return Merged, nil
}

func directAnswer(s *step) (Status, error) {
	if s.appeal.GetString("kind") != "consult" {
		return "", Conflict("只有咨询类诉求可以直接答复，其他诉求请派单办理")
	}
	if utf8.RuneCountInString(s.in.Content) < minReplyLen {
		return "", FieldError("content", "请填写答复内容（至少 10 个字）")
	}
	r, err := s.newRecord("replies")
	if err != nil {
		return "", err
	}
	r.Set("appeal", s.appeal.Id)
	r.Set("author", s.staffID())
	r.Set("role", "direct")
	r.Set("content", s.in.Content)
	r.Set("review_status", "approved")
	r.Set("reviewed_by", s.staffID())
	r.Set("reviewed_at", s.nowDT())
	if len(s.in.Files) > 0 {
		r.Set("attachments", s.in.Files)
	}
	if err := s.tx.Save(r); err != nil {
		return "", err
	}
	if s.appeal.GetString("accepted_at") == "" {
		s.appeal.Set("accepted_at", s.nowDT())
	}
	s.appeal.Set("replied_at", s.nowDT())
	if err := s.openCallback(); err != nil {
		return "", err
	}
	s.summary = "平台已直接答复您的咨询"
	s.data["reply"] = r.Id
	return Callback, nil
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
