package workflow

// Status is a state of the closed loop, stored in appeals.status.
type Status string

const (
	Submitted  Status = "submitted"  // 待受理
	Accepted   Status = "accepted"   // 待派单
	Dispatched Status = "dispatched" // 待签收
	Handling   Status = "handling"   // 办理中
	Suspended  Status = "suspended"  // 挂起中
	Replied    Status = "replied"    // 待审核
	Callback   Status = "callback"   // 待回访
	Closed     Status = "closed"     // 已办结
	Rejected   Status = "rejected"   // 不予受理
	Withdrawn  Status = "withdrawn"  // 已撤回
	Merged     Status = "merged"     // 已并单
)

// AllStatuses lists every state in loop order.
var AllStatuses = []Status{Submitted, Accepted, Dispatched, Handling, Suspended, Replied, Callback, Closed, Rejected, Withdrawn, Merged}

// StatusLabels are the Chinese names residents and officials read.
var StatusLabels = map[Status]string{
	Submitted: "待受理", Accepted: "待派单", Dispatched: "待签收", Handling: "办理中",
	Suspended: "挂起中", Replied: "待审核", Callback: "待回访", Closed: "已办结",
	Rejected: "不予受理", Withdrawn: "已撤回", Merged: "已并单",
}

// Role is who may perform an action on a given appeal. Handler roles are
// relative to the case: the lead department's handlers or an assisting one's.
type Role string

const (
	Resident      Role = "resident"       // the appeal's own resident (account or ticket + query code)
	Operator      Role = "operator"       // 平台话务员/管理员
	Supervisor    Role = "supervisor"     // 督办
	Admin         Role = "admin"          // 系统管理员 (staff admin or superuser)
	LeadHandler   Role = "handler:lead"   // handler of the lead (主办) department
	AssistHandler Role = "handler:assist" // handler of an assisting (协办) department
	System        Role = "system"         // timers and integrations inside the binary
)

// AllRoles lists every role the table may name.
var AllRoles = []Role{Resident, Operator, Supervisor, Admin, LeadHandler, AssistHandler, System}

// Action is one transition of the loop: from which states, by which roles,
// into which states. An empty To means the state does not change; several
// To states mean the outcome depends on the input (e.g. a rating).
type Action struct {
	Name   string
	Label  string
	From   []Status
	To     []Status
	Roles  []Role
	Public bool // the timeline entry is shown to the resident
}

var (
	central    = []Role{Operator, Supervisor, Admin}
	operators  = []Role{Operator, Admin}
	openStates = []Status{Submitted, Accepted, Dispatched, Handling, Suspended}
	inHand     = []Status{Dispatched, Handling, Suspended}
	// timed are the states whose clock the SLA timers watch.
	timed = []Status{Submitted, Dispatched, Handling, Callback}
)

// withSystem adds the system (auto-dispatch, timers) to a role list.
func withSystem(roles []Role) []Role { return append([]Role{System}, roles...) }

// Table is the whole workflow: the only place that says which action is
// allowed from which state and for whom. Handlers implement the effect.
var Table = []Action{
	{Name: "accept", Label: "受理", From: []Status{Submitted}, To: []Status{Accepted}, Roles: withSystem(operators), Public: true},
	{Name: "reject", Label: "不予受理", From: []Status{Submitted}, To: []Status{Rejected}, Roles: operators, Public: true},
	{Name: "merge", Label: "并单", From: []Status{Submitted, Accepted}, To: []Status{Merged}, Roles: operators, Public: true},
	{Name: "direct_answer", Label: "直接答复", From: []Status{Submitted, Accepted}, To: []Status{Callback}, Roles: operators, Public: true},
	{Name: "dispatch", Label: "派单", From: []Status{Accepted}, To: []Status{Dispatched}, Roles: withSystem(operators), Public: true},
	{Name: "revoke_dispatch", Label: "撤回派单", From: []Status{Dispatched}, To: []Status{Accepted}, Roles: operators},
	{Name: "redispatch", Label: "改派", From: inHand, To: []Status{Dispatched}, Roles: operators, Public: true},
	{Name: "sign", Label: "签收", From: []Status{Dispatched}, To: []Status{Handling}, Roles: []Role{LeadHandler}, Public: true},
	{Name: "assist_sign", Label: "协办签收", From: inHand, Roles: []Role{AssistHandler}},
	{Name: "return", Label: "退单", From: []Status{Dispatched, Handling}, To: []Status{Accepted}, Roles: []Role{LeadHandler}},
	{Name: "request_extension", Label: "申请延期", From: []Status{Handling}, Roles: []Role{LeadHandler}},
	{Name: "request_suspension", Label: "申请挂起", From: []Status{Handling}, Roles: []Role{LeadHandler}},
	{Name: "approve_extension", Label: "批准延期", From: []Status{Handling}, Roles: central, Public: true},
	{Name: "approve_suspension", Label: "批准挂起", From: []Status{Handling}, To: []Status{Suspended}, Roles: central, Public: true},
	{Name: "deny_request", Label: "驳回延期/挂起申请", From: []Status{Handling}, Roles: central},
	{Name: "resume", Label: "恢复办理", From: []Status{Suspended}, To: []Status{Handling}, Roles: append([]Role{LeadHandler}, central...), Public: true},
	{Name: "reply", Label: "答复", From: []Status{Handling}, To: []Status{Replied}, Roles: []Role{LeadHandler}, Public: true},
	{Name: "assist_reply", Label: "协办答复", From: inHand, Roles: []Role{AssistHandler}},
	{Name: "approve_reply", Label: "审核通过", From: []Status{Replied}, To: []Status{Callback}, Roles: central, Public: true},
	{Name: "send_back", Label: "退回重办", From: []Status{Replied}, To: []Status{Handling}, Roles: central},
	{Name: "rate", Label: "回访评价", From: []Status{Callback}, To: []Status{Closed, Handling}, Roles: []Role{Resident, Operator, Admin}, Public: true},
	{Name: "archive", Label: "办结归档", From: []Status{Callback}, To: []Status{Closed}, Roles: central, Public: true},
	{Name: "urge", Label: "催办", From: []Status{Dispatched, Handling}, Roles: append([]Role{System}, central...)},
	{Name: "supervise", Label: "督办", From: []Status{Dispatched, Handling, Suspended, Replied}, Roles: []Role{Supervisor, Admin, System}},
	{Name: "sla_warning", Label: "预警", From: timed, Roles: []Role{System}},
	{Name: "sla_overdue", Label: "超时催办", From: timed, Roles: []Role{System}},
	{Name: "supplement", Label: "补充材料", From: append(append([]Status{}, openStates...), Replied, Callback), Roles: []Role{Resident}, Public: true},
	{Name: "withdraw", Label: "撤回", From: openStates, To: []Status{Withdrawn}, Roles: []Role{Resident}, Public: true},
}

// Find returns the declared action with the given name.
func Find(name string) (Action, bool) {
	for _, a := range Table {
		if a.Name == name {
			return a, true
		}
	}
	return Action{}, false
}

// AllowsFrom reports whether the action may start from s.
func (a Action) AllowsFrom(s Status) bool { return containsStatus(a.From, s) }

// AllowsRole reports whether r may perform the action.
func (a Action) AllowsRole(r Role) bool {
	for _, x := range a.Roles {
		if x == r {
			return true
		}
	}
	return false
}

// AllowsTo reports whether the action may end in s (staying put when To is empty).
func (a Action) AllowsTo(from, to Status) bool {
	if len(a.To) == 0 {
		return from == to
	}
	return containsStatus(a.To, to)
}

func containsStatus(list []Status, s Status) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
