package workflow

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
)

// Request is one action to perform on one appeal.
type Request struct {
	Appeal string // record id or ticket number
	Action string
	Actor  Actor
	Input  Input
}

// Result is the appeal after the action and the timeline entry it wrote.
type Result struct {
	Appeal *core.Record
	Event  *core.Record
}

// step is the state one effect works on, inside the action's transaction.
type step struct {
	tx     core.App
	clock  Clock
	action Action
	appeal *core.Record
	from   Status
	actor  Actor
	role   Role
	in     *Input
	now    time.Time

	// what the effect reports for the timeline entry
	summary    string
	data       map[string]any
	eventFiles []*filesystem.File
}

// effect applies one action and answers the state it leads to.
type effect func(s *step) (Status, error)

// Engine performs workflow actions. It is safe for concurrent use.
type Engine struct {
	clock Clock
	now   func() time.Time

	intakes intakeBatcher // group commit of concurrent submissions
}

// NewEngine returns an engine that computes deadlines with clock.
func NewEngine(clock Clock) *Engine {
	if clock == nil {
		clock = WallClock{}
	}
	return &Engine{clock: clock, now: time.Now}
}

// Perform checks who may do what from which state against the declared
// Table, then runs the action's effect, the appeal update and the timeline
// entry in one transaction.
func (en *Engine) Perform(app core.App, req Request) (*Result, error) {
	action, ok := Find(req.Action)
	if !ok {
		return nil, NotFound("未知的操作：" + req.Action)
	}
	effectFn := effects[action.Name]

	in := req.Input
	in.normalize()
	errs := &FieldErrors{}
	in.checkCommon(errs)
	if err := errs.Err(); err != nil {
		return nil, err
	}

	var result *Result
	err := app.RunInTransaction(func(tx core.App) error {
		// Everything is read inside the transaction: writes are serialised,
		// so this is the state the action really starts from (two handlers
		// signing the same task at once: the second one gets 409), and the
		// case is read once.
		current, err := FindAppeal(tx, req.Appeal)
		if err != nil {
			return err
		}
		role, err := authorize(action, req.Actor, current)
		if err != nil {
			return err
		}
		if err := checkFrom(action, current); err != nil {
			return err
		}
		s := &step{
			tx: tx, clock: en.clock, action: action, appeal: current,
			from: Status(current.GetString("status")), actor: req.Actor, role: role,
			in: &in, now: en.now().UTC(), data: map[string]any{},
		}
		to, err := effectFn(s)
		if err != nil {
			return err
		}
		if !action.AllowsTo(s.from, to) {
			return fmt.Errorf("workflow: action %s may not lead from %s to %s", action.Name, s.from, to)
		}
		current.Set("status", string(to))
		if err := tx.Save(current); err != nil {
			return err
		}
		event, err := s.writeEvent(to)
		if err != nil {
			return err
		}
		result = &Result{Appeal: current, Event: event}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return result, nil
}

// ticketPattern tells a ticket number (SY + yymmdd + sequence) from a record id.
var ticketPattern = regexp.MustCompile(`^SY\d{10,}$`)

// FindAppeal loads an appeal by record id or ticket number.
func FindAppeal(app core.App, ref string) (*core.Record, error) {
	ref = strings.TrimSpace(ref)
	var (
		appeal *core.Record
		err    error
	)
	if ticketPattern.MatchString(strings.ToUpper(ref)) {
		appeal, err = app.FindFirstRecordByData("appeals", "ticket", strings.ToUpper(ref))
	} else {
		appeal, err = app.FindRecordById("appeals", ref)
	}
	if err != nil || appeal == nil {
		return nil, NotFound("工单不存在或您无权查看")
	}
	return appeal, nil
}

// authorize answers the role under which the actor performs the action:
// 401 for a guest without a query code, 404 for a case the actor may not
// see, 403 for a case they see but an action that is not theirs.
func authorize(action Action, actor Actor, appeal *core.Record) (Role, error) {
	roles := actor.RolesFor(appeal)
	if len(roles) == 0 {
		if actor.Record == nil && !actor.IsSystem && actor.QueryCode == "" && actor.StaffRole == "" {
			return "", apiError(http.StatusUnauthorized, "请先登录，或提供受理编号和查询码", nil)
		}
		return "", NotFound("工单不存在或您无权查看")
	}
	for _, r := range roles {
		if action.AllowsRole(r) {
			return r, nil
		}
	}
	who := roleList(action.Roles)
	if who == "" {
		return "", Forbidden(fmt.Sprintf("「%s」由系统计时器自动执行，不能手工操作", action.Label))
	}
	return "", Forbidden(fmt.Sprintf("您（%s）无权执行「%s」，该操作仅限：%s", RoleLabels[roles[0]], action.Label, who))
}

func checkFrom(action Action, appeal *core.Record) error {
	status := Status(appeal.GetString("status"))
	if action.AllowsFrom(status) {
		return nil
	}
	return Conflict(fmt.Sprintf("工单当前状态为「%s」，不能执行「%s」（仅在%s时可以）", StatusLabels[status], action.Label, statusList(action.From)))
}

// RoleLabels are the Chinese names of the roles.
var RoleLabels = map[Role]string{
	Resident: "诉求人", Operator: "平台话务员", Supervisor: "督办人员", Admin: "系统管理员",
	LeadHandler: "主办单位承办人", AssistHandler: "协办单位承办人", System: "系统",
}

func roleList(roles []Role) string {
	names := make([]string, 0, len(roles))
	for _, r := range roles {
		if r != System {
			names = append(names, RoleLabels[r])
		}
	}
	return strings.Join(names, "、")
}

func statusList(list []Status) string {
	names := make([]string, len(list))
	for i, s := range list {
		names[i] = "「" + StatusLabels[s] + "」"
	}
	return strings.Join(names, "")
}

// writeEvent appends the action's timeline entry.
func (s *step) writeEvent(to Status) (*core.Record, error) {
	collection, err := s.tx.FindCachedCollectionByNameOrId("appeal_events")
	if err != nil {
		return nil, err
	}
	e := core.NewRecord(collection)
	e.Set("appeal", s.appeal.Id)
	e.Set("action", s.action.Name)
	e.Set("actor_role", s.actor.actorRoleName([]Role{s.role}))
	if s.actor.Record != nil && s.actor.Record.Collection().Name == "staff" {
		e.Set("actor_staff", s.actor.Record.Id)
	}
	if s.actor.Department != "" {
		e.Set("actor_department", s.actor.Department)
	}
	if s.actor.Via != "" {
		s.data["via"] = s.actor.Via
	}
	e.Set("from_status", string(s.from))
	e.Set("to_status", string(to))
	if s.summary == "" {
		s.summary = s.action.Label
	}
	e.Set("summary", s.summary)
	e.Set("note", s.in.Note)
	e.Set("public", s.action.Public)
	if len(s.data) > 0 {
		e.Set("data", s.data)
	}
	if len(s.eventFiles) > 0 {
		e.Set("attachments", s.eventFiles)
	}
	return e, s.tx.Save(e)
}
