package migrations

import (
	"github.com/pocketbase/pocketbase/core"
)

// The county's 派单目录 as ordered rules, the suggestion fields the text
// analysis writes on each appeal, and the per-category auto-dispatch switch.
func init() {
	core.AppMigrations.Register(func(app core.App) error {
		rules := core.NewBaseCollection("dispatch_rules", "sy_dispatch_rules")
		rules.ListRule = rule(isStaff)
		rules.ViewRule = rule(isStaff)
		rules.CreateRule = rule(isAdmin)
		rules.UpdateRule = rule(isAdmin)
		rules.DeleteRule = rule(isAdmin)
		rules.Fields.Add(
			&core.TextField{Name: "name", Required: true, Max: 100, Presentable: true},
			&core.NumberField{Name: "sort", OnlyInt: true, Help: "顺序：数字小的先匹配，第一条匹配的规则生效"},
			boolean("active"),
			&core.RelationField{Name: "categories", CollectionId: "sy_categories", MaxSelect: 50, Help: "条件：分类（任一；空为不限）"},
			&core.SelectField{Name: "kinds", MaxSelect: 5, Values: []string{"consult", "complaint", "help", "suggestion", "report"}, Help: "条件：诉求类型（任一；空为不限）"},
			&core.RelationField{Name: "regions", CollectionId: "sy_regions", MaxSelect: 100, Help: "条件：乡镇/街道（任一；空为不限）"},
			&core.TextField{Name: "keywords", Max: 2000, Help: "条件：关键词或短语，逗号或换行分隔（任一出现即可；空为不限）"},
			&core.RelationField{Name: "lead_department", CollectionId: "sy_departments", Required: true, MaxSelect: 1, Help: "结果：主办单位"},
			&core.RelationField{Name: "assisting_departments", CollectionId: "sy_departments", MaxSelect: 20, Help: "结果：协办单位"},
			&core.SelectField{Name: "priority", MaxSelect: 1, Values: []string{"normal", "urgent"}, Help: "结果：紧急程度（空为不改）"},
			&core.RelationField{Name: "sla_policy", CollectionId: "sy_sla_policies", MaxSelect: 1, Help: "结果：时限类别（空为不改）"},
			&core.BoolField{Name: "flagged", Help: "系统标记：把职能部门的事项派给了乡镇街道（国办函〔2025〕66号）"},
			&core.TextField{Name: "flag_reason", Max: 500, Help: "系统标记的原因"},
			text("note", false, 1000),
		)
		timestamps(rules)
		rules.AddIndex("idx_dispatch_rules_sort", false, "active, sort", "")
		if err := app.Save(rules); err != nil {
			return err
		}

		categories, err := app.FindCollectionByNameOrId("categories")
		if err != nil {
			return err
		}
		categories.Fields.Add(
			&core.TextField{Name: "aliases", Max: 500, Help: "别名（逗号分隔），如训练数据里的旧称「卫生计生」"},
			&core.BoolField{Name: "auto_dispatch", Help: "允许自动派单：规则与分类器一致且置信度达到阈值时，无需话务员确认"},
			&core.NumberField{Name: "auto_dispatch_confidence", Help: "自动派单的分类器置信度阈值（默认 0.9）"},
		)
		if err := app.Save(categories); err != nil {
			return err
		}
		for code, aliases := range map[string]string{"health": "卫生计生,卫生", "environment": "环境保护,环保", "urban": "城建"} {
			if c, err := app.FindFirstRecordByData("categories", "code", code); err == nil {
				c.Set("aliases", aliases)
				if err := app.Save(c); err != nil {
					return err
				}
			}
		}

		appeals, err := app.FindCollectionByNameOrId("appeals")
		if err != nil {
			return err
		}
		appeals.Fields.Add(
			&core.RelationField{Name: "suggested_category", CollectionId: "sy_categories", MaxSelect: 1, Help: "分类器建议的分类"},
			&core.NumberField{Name: "suggestion_confidence", Help: "分类器对建议分类的置信度（0–1）"},
			&core.RelationField{Name: "suggested_department", CollectionId: "sy_departments", MaxSelect: 1, Help: "建议的主办单位"},
			&core.RelationField{Name: "suggested_assisting", CollectionId: "sy_departments", MaxSelect: 20, Help: "建议的协办单位"},
			&core.RelationField{Name: "suggestion_rule", CollectionId: "sy_dispatch_rules", MaxSelect: 1, Help: "匹配的派单规则"},
			&core.TextField{Name: "suggestion_explain", Max: 2000, Hidden: true, Help: "建议的依据（含疑似重复工单编号，仅经 /api/dispatch/suggest 给平台人员）"},
			&core.BoolField{Name: "urgent_flag", Help: "疑似紧急或应转 110/119/120/122"},
			&core.TextField{Name: "urgency_reasons", Max: 500, Help: "紧急标记的依据"},
			&core.BoolField{Name: "emotion_flag", Help: "情绪激烈，需谨慎处理"},
			&core.RelationField{Name: "duplicate_candidates", CollectionId: "sy_appeals", MaxSelect: 10, Hidden: true, Help: "疑似重复的在办工单（仅经 /api/dispatch/suggest 给平台人员，承办单位不得看到其他单位的工单）"},
			&core.BoolField{Name: "auto_dispatched", Help: "由系统自动派单"},
		)
		appeals.AddIndex("idx_appeals_review_queue", false, "status, urgent_flag, created", "")
		return app.Save(appeals)
	}, nil)
}
