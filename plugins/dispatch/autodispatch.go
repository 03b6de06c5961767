package dispatch

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"

	"siyang/plugins/workflow"
)

// autoDispatch accepts and dispatches a new appeal without an operator
// when its category allows it, the classifier is confident enough, and the
// rule engine agrees (the matched rule names that category, or sends the
// case to that category's own department). Urgent cases and cases with
// duplicate candidates always wait for a person. Each step is a workflow
// action by the system whose note says why; 撤回派单 undoes it.
func (p *plugin) autoDispatch(a *core.Record) {
	why, ok := p.autoDecision(a)
	if !ok {
		return
	}
	note := "系统自动派单：" + why
	steps := []struct {
		action string
		in     workflow.Input
	}{
		{"accept", workflow.Input{Category: a.GetString("suggested_category"), Note: note}},
		{"dispatch", workflow.Input{Department: a.GetString("suggested_department"), Assisting: a.GetStringSlice("suggested_assisting"), Note: note}},
	}
	for _, st := range steps {
		if _, err := p.config.Actions.Perform(p.app, workflow.Request{Appeal: a.Id, Action: st.action, Actor: workflow.SystemActor, Input: st.in}); err != nil {
			p.app.Logger().Warn("auto-dispatch stopped", "appeal", a.Id, "action", st.action, "error", err)
			return
		}
	}
}

// autoDecision answers whether to auto-dispatch and the reason.
func (p *plugin) autoDecision(a *core.Record) (string, bool) {
	catID := a.GetString("suggested_category")
	if catID == "" || a.GetString("suggested_department") == "" || a.GetString("suggestion_rule") == "" ||
		a.GetBool("urgent_flag") || len(a.GetStringSlice("duplicate_candidates")) > 0 {
		return "", false
	}
	if a.GetString("category") != "" && a.GetString("category") != catID {
		return "", false // the resident chose another category: a person decides
	}
	cat, err := p.app.FindRecordById("categories", catID)
	if err != nil || !cat.GetBool("auto_dispatch") {
		return "", false
	}
	threshold := cat.GetFloat("auto_dispatch_confidence")
	if threshold <= 0 {
		threshold = p.config.DefaultAutoConfidence
	}
	confidence := a.GetFloat("suggestion_confidence")
	if confidence < threshold {
		return "", false
	}
	rule, err := p.app.FindRecordById("dispatch_rules", a.GetString("suggestion_rule"))
	if err != nil || rule.GetBool("flagged") {
		return "", false
	}
	agrees := contains(rule.GetStringSlice("categories"), catID) ||
		(cat.GetString("default_department") != "" && cat.GetString("default_department") == rule.GetString("lead_department"))
	if !agrees {
		return "", false
	}
	return fmt.Sprintf("规则「%s」与分类器（「%s」，置信度 %.2f ≥ %.2f）一致", rule.GetString("name"), cat.GetString("name"), confidence, threshold), true
}
