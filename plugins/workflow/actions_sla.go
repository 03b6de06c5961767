package workflow

// The SLA timers act through these system-only actions, so that each
// crossing is one timeline entry. The appeal's sla_* fields are kept by the
// SLA plugin; an action whose crossing is not (or no longer) due answers
// 409, which makes a second sweep, or a sweep after a restart, a no-op.

func slaWarning(s *step) (Status, error) {
	warnAt := s.appeal.GetDateTime("sla_warn_at")
	if s.appeal.GetString("sla_state") != "normal" || warnAt.IsZero() || s.now.Before(warnAt.Time()) {
		return "", Conflict("该环节未到预警时间或已预警")
	}
	s.appeal.Set("sla_state", "warning")
	s.summary = stageLabels[s.appeal.GetString("sla_stage")] + "即将超时，请抓紧办理"
	s.data["stage"] = s.appeal.GetString("sla_stage")
	s.data["due"] = s.appeal.GetString("sla_due_at")
	return s.from, nil
}

func slaOverdue(s *step) (Status, error) {
	due := s.appeal.GetDateTime("sla_due_at")
	if s.appeal.GetString("sla_state") == "overdue" || due.IsZero() || s.now.Before(due.Time()) {
		return "", Conflict("该环节未超时或已催办")
	}
	s.appeal.Set("sla_state", "overdue")
	s.appeal.Set("urge_count", s.appeal.GetInt("urge_count")+1)
	s.summary = stageLabels[s.appeal.GetString("sla_stage")] + "已超时，系统自动催办"
	s.data["stage"] = s.appeal.GetString("sla_stage")
	s.data["due"] = s.appeal.GetString("sla_due_at")
	return s.from, nil
}

// stageLabels name the timed stages for the timeline.
var stageLabels = map[string]string{
	"accept": "受理", "sign": "签收", "finish": "办结", "callback": "回访",
}
