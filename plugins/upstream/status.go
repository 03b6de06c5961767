package upstream

import "siyang/plugins/workflow"

// Status is a case state in the upper platform's terms: the coarser steps
// a 12345 platform tracks for a 转办件.
type Status struct {
	Code  string // stable code for the receiving system
	Label string // Chinese label
}

// Statuses maps our states to the upper platform's. 待审核 (the answer is
// being checked by the platform) is still 办理中 upstream; 待回访 is 已答复:
// the answer is out.
var Statuses = map[workflow.Status]Status{
	workflow.Submitted:  {"received", "已接收"},
	workflow.Accepted:   {"accepted", "已受理"},
	workflow.Dispatched: {"dispatched", "已派单"},
	workflow.Handling:   {"processing", "办理中"},
	workflow.Suspended:  {"suspended", "已挂起"},
	workflow.Replied:    {"processing", "办理中"},
	workflow.Callback:   {"replied", "已答复"},
	workflow.Closed:     {"closed", "已办结"},
	workflow.Rejected:   {"returned", "不予受理（退回）"},
	workflow.Withdrawn:  {"withdrawn", "已撤回"},
	workflow.Merged:     {"merged", "已并单"},
}

// answered are the states in which the approved answer is reported.
var answered = map[workflow.Status]bool{workflow.Callback: true, workflow.Closed: true}

// open311Status is the same state as open/closed, as GET requests.{fmt}
// answers it.
func open311Status(s workflow.Status) string {
	switch s {
	case workflow.Callback, workflow.Closed, workflow.Rejected, workflow.Withdrawn, workflow.Merged:
		return "closed"
	}
	return "open"
}
