package dispatch

import (
	"strings"

	"github.com/pocketbase/pocketbase/core"
)

// flagTownshipRouting marks a rule that sends a functional department's
// work down to a township or sub-district: 国办函〔2025〕66号 forbids
// pushing 职能部门 duties onto 乡镇街道. The rule still works; the flag
// and its reason are shown to admins and operators.
func flagTownshipRouting(app core.App, rule *core.Record) {
	rule.Set("flagged", false)
	rule.Set("flag_reason", "")
	lead, err := app.FindRecordById("departments", rule.GetString("lead_department"))
	if err != nil || lead.GetString("kind") != "乡镇街道" {
		return
	}
	var reasons []string
	for _, id := range rule.GetStringSlice("categories") {
		cat, err := app.FindRecordById("categories", id)
		if err != nil || cat.GetString("default_department") == "" {
			continue
		}
		owner, err := app.FindRecordById("departments", cat.GetString("default_department"))
		if err == nil && owner.GetString("kind") == "职能部门" {
			reasons = append(reasons, "「"+cat.GetString("name")+"」属于"+owner.GetString("name")+"的职责")
		}
	}
	if len(rule.GetStringSlice("regions")) == 0 {
		reasons = append(reasons, "规则未限定乡镇，却把全县的事项派给了"+lead.GetString("name"))
	}
	if len(reasons) > 0 {
		rule.Set("flagged", true)
		rule.Set("flag_reason", "职能部门事项不得派给乡镇街道（国办函〔2025〕66号）："+strings.Join(reasons, "；"))
	}
}
