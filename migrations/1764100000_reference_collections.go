package migrations

import (
	"github.com/pocketbase/pocketbase/core"
)

// Reference data: departments, regions, SLA policies, categories and the
// staff accounts. Public reference lists are readable by anyone (they are
// shown on the residents' pages); only staff admins change them.
func init() {
	core.AppMigrations.Register(func(app core.App) error {
		departments := core.NewBaseCollection("departments", "sy_departments")
		departments.ListRule = rule("")
		departments.ViewRule = rule("")
		departments.CreateRule = rule(isAdmin)
		departments.UpdateRule = rule(isAdmin)
		departments.Fields.Add(
			&core.TextField{Name: "name", Required: true, Max: 100, Presentable: true},
			text("code", true, 40),
			selectOne("kind", true, "职能部门", "乡镇街道", "公共企事业单位"),
			boolean("active"),
			text("contact", false, 100),
			text("phone", false, 40),
			&core.EmailField{Name: "email"},
			&core.BoolField{Name: "sample", Help: "示例数据（演示用，正式上线前删除）"},
		)
		timestamps(departments)
		departments.AddIndex("idx_departments_code", true, "code", "")
		if err := saveWithSelfRelation(app, departments, relation("parent", "sy_departments", false, 1)); err != nil {
			return err
		}

		regions := core.NewBaseCollection("regions", "sy_regions")
		regions.ListRule = rule("")
		regions.ViewRule = rule("")
		regions.CreateRule = rule(isAdmin)
		regions.UpdateRule = rule(isAdmin)
		regions.Fields.Add(
			&core.TextField{Name: "name", Required: true, Max: 100, Presentable: true},
			text("code", true, 40),
			selectOne("kind", true, "乡镇", "街道", "社区", "村"),
			&core.RelationField{Name: "department", CollectionId: "sy_departments", MaxSelect: 1,
				Help: "负责该区域的乡镇政府或街道办事处"},
			&core.BoolField{Name: "sample", Help: "示例数据（演示用，正式上线前删除）"},
		)
		timestamps(regions)
		regions.AddIndex("idx_regions_code", true, "code", "")
		if err := saveWithSelfRelation(app, regions, relation("parent", "sy_regions", false, 1)); err != nil {
			return err
		}

		policies := core.NewBaseCollection("sla_policies", "sy_sla_policies")
		policies.ListRule = rule("")
		policies.ViewRule = rule("")
		policies.CreateRule = rule(isAdmin)
		policies.UpdateRule = rule(isAdmin)
		policies.Fields.Add(
			&core.TextField{Name: "name", Required: true, Max: 60, Presentable: true},
			text("code", true, 40),
			&core.SelectField{Name: "priority", MaxSelect: 1, Values: []string{"normal", "urgent"}, Help: "适用的紧急程度（空为不限）"},
			&core.SelectField{Name: "kind", MaxSelect: 1, Values: []string{"consult", "complaint", "help", "suggestion", "report"}, Help: "适用的诉求类型（空为不限）"},
		)
		for _, stage := range []struct{ name, label string }{
			{"accept", "受理"}, {"sign", "签收"}, {"return", "退单（自派单起）"}, {"finish", "办结（自派单起）"}, {"callback", "回访（自答复审核通过起）"},
		} {
			policies.Fields.Add(
				&core.NumberField{Name: stage.name + "_limit", Required: true, Help: stage.label + "时限"},
				&core.SelectField{Name: stage.name + "_unit", Required: true, MaxSelect: 1, Values: timeUnits, Help: stage.label + "时限单位"},
			)
		}
		policies.Fields.Add(
			&core.NumberField{Name: "extension_cap_days", Help: "延期上限（工作日；0 为不得延期）"},
			&core.NumberField{Name: "warn_fraction", Help: "预警点：时限已用比例，如 0.8"},
		)
		timestamps(policies)
		policies.AddIndex("idx_sla_policies_code", true, "code", "")
		if err := app.Save(policies); err != nil {
			return err
		}

		categories := core.NewBaseCollection("categories", "sy_categories")
		categories.ListRule = rule("")
		categories.ViewRule = rule("")
		categories.CreateRule = rule(isAdmin)
		categories.UpdateRule = rule(isAdmin)
		categories.Fields.Add(
			&core.TextField{Name: "name", Required: true, Max: 60, Presentable: true},
			text("code", true, 40),
			relation("default_department", "sy_departments", false, 1),
			relation("sla_policy", "sy_sla_policies", false, 1),
			&core.TextField{Name: "keywords", Max: 2000, Help: "关键词，以空格或逗号分隔"},
			&core.BoolField{Name: "public", Help: "居民提交时可选"},
			&core.JSONField{Name: "attributes", MaxSize: 1 << 16, Help: "附加表单项（兼作 Open311 服务定义）"},
			number("sort", true),
		)
		timestamps(categories)
		categories.AddIndex("idx_categories_code", true, "code", "")
		if err := saveWithSelfRelation(app, categories, relation("parent", "sy_categories", false, 1)); err != nil {
			return err
		}

		staff := core.NewAuthCollection("staff", "sy_staff")
		staff.ListRule = rule(isStaff)
		staff.ViewRule = rule(isStaff)
		staff.CreateRule = rule(isAdmin)
		staff.UpdateRule = rule(isAdmin)
		staff.AuthRule = rule("active = true")
		staff.PasswordAuth.IdentityFields = []string{"email"}
		staff.Fields.Add(
			&core.TextField{Name: "name", Required: true, Max: 60, Presentable: true},
			selectOne("role", true, "operator", "handler", "supervisor", "admin"),
			relation("department", "sy_departments", false, 1),
			text("phone", false, 40),
			boolean("active"),
		)
		if f, ok := staff.Fields.GetByName("password").(*core.PasswordField); ok {
			f.Min = 10
		}
		timestamps(staff)
		staff.AddIndex("idx_staff_department", false, "department", "")
		if err := app.Save(staff); err != nil {
			return err
		}

		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}
		users.Fields.Add(&core.TextField{Name: "phone", Max: 20, Help: "手机号（仅本人可见）"})
		return app.Save(users)
	}, nil)
}
