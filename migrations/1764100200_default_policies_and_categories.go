package migrations

import (
	"github.com/pocketbase/pocketbase/core"
)

// defaultPolicies are the county's time limits (see docs/decisions.md). They
// are wall-clock hours until the working-day calendar lands (SLA issue).
var defaultPolicies = []map[string]any{
	{"code": "urgent", "name": "紧急", "accept_hours": 1, "sign_hours": 1, "return_hours": 1, "finish_hours": 2, "callback_hours": 24, "extension_cap_hours": 0, "warn_fraction": 0.8},
	{"code": "timely", "name": "时效类（水电气热）", "accept_hours": 2, "sign_hours": 2, "return_hours": 4, "finish_hours": 24, "callback_hours": 24, "extension_cap_hours": 24, "warn_fraction": 0.8},
	{"code": "normal", "name": "一般", "accept_hours": 2, "sign_hours": 24, "return_hours": 48, "finish_hours": 120, "callback_hours": 24, "extension_cap_hours": 240, "warn_fraction": 0.8},
	{"code": "complex", "name": "复杂", "accept_hours": 2, "sign_hours": 24, "return_hours": 48, "finish_hours": 360, "callback_hours": 24, "extension_cap_hours": 240, "warn_fraction": 0.8},
}

// defaultCategories is a first-level catalogue any county can start from; the
// policy code says which time limit applies unless a rule says otherwise.
var defaultCategories = []struct{ code, name, policy, keywords string }{
	{"urban", "城乡建设", "normal", "小区 物业 拆迁 违建 道路 施工 房屋 住房"},
	{"transport", "交通运输", "normal", "公交 出租车 道路 红绿灯 停车 客运 货车"},
	{"labour", "劳动和社会保障", "normal", "工资 欠薪 社保 医保 养老 就业 劳动合同"},
	{"education", "教育文体", "normal", "学校 学生 教师 招生 幼儿园 体育 文化"},
	{"health", "卫生健康", "normal", "医院 医生 疫苗 诊所 药店 计生"},
	{"environment", "生态环境", "normal", "污染 噪音 排污 垃圾 油烟 臭味 河道"},
	{"commerce", "商贸旅游", "normal", "商场 景区 消费 退款 价格 市场"},
	{"utilities", "水电气热", "timely", "停水 停电 燃气 供暖 水压 电压"},
	{"agriculture", "农业农村", "normal", "农田 种植 养殖 补贴 村 宅基地"},
	{"civil", "民政救助", "normal", "低保 救助 养老院 残疾 婚姻 殡葬"},
	{"market", "市场监管", "normal", "食品 安全 假冒 商标 营业执照 计量"},
	{"safety", "公共安全", "urgent", "火灾 燃气泄漏 塌方 溺水 被困 危险"},
	{"other", "其他", "normal", ""},
}

func init() {
	core.AppMigrations.Register(func(app core.App) error {
		policies, err := app.FindCollectionByNameOrId("sla_policies")
		if err != nil {
			return err
		}
		policyIDs := map[string]string{}
		for _, p := range defaultPolicies {
			r := core.NewRecord(policies)
			r.Load(p)
			if err := app.Save(r); err != nil {
				return err
			}
			policyIDs[p["code"].(string)] = r.Id
		}

		categories, err := app.FindCollectionByNameOrId("categories")
		if err != nil {
			return err
		}
		for i, c := range defaultCategories {
			r := core.NewRecord(categories)
			r.Load(map[string]any{
				"code": c.code, "name": c.name, "sla_policy": policyIDs[c.policy],
				"keywords": c.keywords, "public": true, "sort": i + 1,
			})
			if err := app.Save(r); err != nil {
				return err
			}
		}
		return nil
	}, nil)
}
