package workflow

import (
	"fmt"
	"time"

	"github.com/pocketbase/pocketbase/tools/types"
)

// newRequest files a 延期 or 挂起 request for the platform to decide.
func (s *step) newRequest(kind string, hours float64) error {
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
	r.Set("hours", hours)
	r.Set("reason", s.in.Note)
	r.Set("status", "pending")
	if err := s.tx.Save(r); err != nil {
		return err
	}
	s.data["request"] = r.Id
	return nil
}

func requestExtension(s *step) (Status, error) {
	errs := FieldErrors{}
	if s.in.Hours <= 0 {
		errs.Add("hours", "请填写需要延长的时间（小时，大于 0）")
	}
	if s.in.Note == "" {
		errs.Add("note", "请填写延期理由")
	}
	if err := errs.Err(); err != nil {
		return "", err
	}
	limit, err := s.policyValue("extension_cap_hours")
	if err != nil {
		return "", err
	}
	if limit <= 0 {
		return "", Conflict("该时限类别的工单不允许延期")
	}
	if s.in.Hours > limit {
		return "", FieldError("hours", fmt.Sprintf("延期最多 %g 小时", limit))
	}
	if s.appeal.GetInt("extension_count") > 0 {
		return "", Conflict("每件工单只能延期一次")
	}
	if due := s.appeal.GetDateTime("due_finish"); !due.IsZero() && s.now.After(due.Time()) {
		return "", Conflict("已超过办结期限，不能再申请延期，请尽快办理")
	}
	s.data["hours"] = s.in.Hours
	return s.from, s.newRequest("extend", s.in.Hours)
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
	hours := req.GetFloat("hours")
	due := s.appeal.GetDateTime("due_finish")
	if kind == "extend" && !due.IsZero() {
		t, err := s.clock.Add(s.tx, due.Time(), hours)
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

func approveSuspension(s *step) (Status, error) {
	if _, err := s.decide("suspend", "approved"); err != nil {
		return "", err
	}
	remaining := int64(0)
	if due := s.appeal.GetDateTime("due_finish"); !due.IsZero() {
		remaining = int64(due.Time().Sub(s.now) / time.Second)
		if remaining < 0 {
			remaining = 0
		}
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
	remaining := time.Duration(s.appeal.GetInt("remaining_seconds")) * time.Second
	due, _ := types.ParseDateTime(s.now.Add(remaining))
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
	s.appeal.Set("supervise_count", s.appeal.GetInt("supervise_count")+1)
	s.summary = "督办"
	return s.from, nil
}
