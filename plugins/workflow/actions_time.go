package workflow

import (
	"fmt"
	"time"

	"github.com/pocketbase/pocketbase/tools/types"
)

// newRequest files a 延期 or 挂起 request for the platform to decide.
func (s *step) newRequest(kind string, days float64) error {
	if pending, err := s.pendingRequest(""); err != nil {
		return err
	} else if pending != nil {
		return Conflict("已有一项延期/挂起申请正在审批，请等待平台处理")
	}
	r, err := s.newRecord("extensions")
	if err != nil {
		return err
	}
	r.Set("appeal", s.appeal.Id)
	r.Set("department", s.actor.Department)
	r.Set("requested_by", s.staffID())
	r.Set("kind", kind)
	r.Set("days", days)
	r.Set("reason", s.in.Note)
	r.Set("status", "pending")
	if err := s.tx.Save(r); err != nil {
		return err
	}
	s.data["request"] = r.Id
	return nil
}

func requestExtension(s *step) (Status, error) {
	errs := &FieldErrors{}
	if s.in.Days <= 0 || s.in.Days != float64(int(s.in.Days)) {
		errs.Add("days", "请填写需要延长的工作日数（正整数）")
	}
	if s.in.Note == "" {
		errs.Add("note", "请填写延期理由")
	}
	if err := errs.Err(); err != nil {
		return "", err
	}
	limit, err := s.policyValue("extension_cap_days")
	if err != nil {
		return "", err
	}
	if limit <= 0 {
		return "", Conflict("该时限类别的工单不允许延期")
	}
	if s.in.Days > limit {
		return "", FieldError("days", fmt.Sprintf("延期最多 %g 个工作日", limit))
	}
	if s.appeal.GetInt("extension_count") > 0 {
		return "", Conflict("每件工单只能延期一次")
	}
	if due := s.appeal.GetDateTime("due_finish"); !due.IsZero() && s.now.After(due.Time()) {
		return "", Conflict("已超过办结期限，不能再申请延期，请尽快办理")
	}
	s.data["days"] = s.in.Days
	return s.from, s.newRequest("extend", s.in.Days)
}

func requestSuspension(s *step) (Status, error) {
	if s.in.Note == "" {
		return "", FieldError("note", "请填写挂起理由（如需等待司法鉴定、汛期停工等）")
	}
	return s.from, s.newRequest("suspend", 0)
}

// decide closes a pending request with the given outcome.
func (s *step) decide(kind, outcome string) (*types.DateTime, error) {
	req, err := s.pendingRequest(kind)
	if err != nil {
		return nil, err
	}
	if req == nil {
		what := map[string]string{"extend": "延期", "suspend": "挂起", "": "延期或挂起"}[kind]
		return nil, Conflict("没有待审批的" + what + "申请")
	}
	req.Set("status", outcome)
	req.Set("decided_by", s.staffID())
	req.Set("decided_at", s.nowDT())
	req.Set("decision_note", s.in.Note)
	if err := s.tx.Save(req); err != nil {
		return nil, err
	}
	s.data["request"] = req.Id
	s.data["kind"] = req.GetString("kind")
	days := req.GetFloat("days")
	due := s.appeal.GetDateTime("due_finish")
	if kind == "extend" && !due.IsZero() {
		t, err := s.clock.Add(s.tx, due.Time(), days, WorkingDays)
		if err != nil {
			return nil, err
		}
		next, _ := types.ParseDateTime(t)
		return &next, nil
	}
	return nil, nil
}

func approveExtension(s *step) (Status, error) {
	due, err := s.decide("extend", "approved")
	if err != nil {
		return "", err
	}
	if due != nil {
		if err := s.setFinishDeadline(*due); err != nil {
			return "", err
		}
		s.summary = "经批准，办理期限延长至 " + due.Time().In(chinaTime).Format("2006-01-02 15:04")
	}
	s.appeal.Set("extension_count", s.appeal.GetInt("extension_count")+1)
	return s.from, nil
}

// pausedUnit is how a paused 办结 clock keeps its time: wall time for a
// wall-hour limit, working time otherwise.
func (s *step) pausedUnit() (string, error) {
	policy, err := PolicyFor(s.tx, s.appeal)
	if err != nil {
		return "", err
	}
	if policy.GetString("finish_unit") == WallHours {
		return WallHours, nil
	}
	return WorkingHours, nil
}

func approveSuspension(s *step) (Status, error) {
	if _, err := s.decide("suspend", "approved"); err != nil {
		return "", err
	}
	unit, err := s.pausedUnit()
	if err != nil {
		return "", err
	}
	remaining := int64(0)
	if due := s.appeal.GetDateTime("due_finish"); !due.IsZero() {
		left, err := s.clock.Left(s.tx, s.now, due.Time(), unit)
		if err != nil {
			return "", err
		}
		remaining = max(int64(left/time.Second), 0)
	}
	s.appeal.Set("remaining_seconds", remaining)
	s.data["remaining_seconds"] = remaining
	s.summary = "经批准暂停办理（挂起），恢复后继续计时"
	return Suspended, s.setFinishDeadline(types.DateTime{})
}

func denyRequest(s *step) (Status, error) {
	if s.in.Note == "" {
		return "", FieldError("note", "请填写驳回理由")
	}
	_, err := s.decide("", "denied")
	return s.from, err
}

func resume(s *step) (Status, error) {
	unit, err := s.pausedUnit()
	if err != nil {
		return "", err
	}
	remaining := time.Duration(s.appeal.GetInt("remaining_seconds")) * time.Second
	t, err := s.clock.Add(s.tx, s.now, remaining.Hours(), unit)
	if err != nil {
		return "", err
	}
	due, _ := types.ParseDateTime(t)
	s.appeal.Set("remaining_seconds", 0)
	s.summary = "恢复办理，办理期限至 " + due.Time().In(chinaTime).Format("2006-01-02 15:04")
	return Handling, s.setFinishDeadline(due)
}

// setFinishDeadline moves the 办结 deadline of the appeal and its lead task.
func (s *step) setFinishDeadline(due types.DateTime) error {
	s.appeal.Set("due_finish", due)
	lead, err := s.leadAssignment()
	if err != nil {
		return nil // no live lead task: only the appeal carries the deadline
	}
	lead.Set("due_finish", due)
	return s.tx.Save(lead)
}

func urge(s *step) (Status, error) {
	s.appeal.Set("urge_count", s.appeal.GetInt("urge_count")+1)
	s.summary = "催办"
	return s.from, nil
}

func supervise(s *step) (Status, error) {
	if s.in.Note == "" && !s.actor.IsSystem {
		return "", FieldError("note", "请填写督办意见")
	}
	if s.actor.IsSystem {
		// the timers escalate once per interval of overdue time
		next := s.appeal.GetDateTime("next_sla_at")
		if s.appeal.GetString("sla_state") != "overdue" || next.IsZero() || s.now.Before(next.Time()) {
			return "", Conflict("未到自动督办时间或已督办")
		}
		s.appeal.Set("sla_escalations", s.appeal.GetInt("sla_escalations")+1)
		s.summary = "已超时，系统自动督办"
	}
	s.appeal.Set("supervise_count", s.appeal.GetInt("supervise_count")+1)
	if s.summary == "" {
		s.summary = "督办"
	}
	return s.from, nil
}
