package migrations

import (
	"github.com/pocketbase/pocketbase/core"
)

// defaultPolicies are the county's time limits (docs/sla.md): 紧急 2 h,
// 时效类 24 h, 一般 5 working days, 复杂 15 working days to finish; 受理
// within 2 working hours; 签收 within 1 working day (紧急 1 h); 退单 within
// 2 working days; 回访 the next working day; warn at 80 % of the time.
var defaultPolicies = []map[string]any{
	policy("urgent", "紧急", "urgent", limit{1, "wall_hours"}, limit{1, "wall_hours"}, limit{1, "wall_hours"}, limit{2, "wall_hours"}, 0),
	policy("timely", "时效类（水电气热）", "", limit{2, "working_hours"}, limit{4, "wall_hours"}, limit{4, "wall_hours"}, limit{24, "wall_hours"}, 1),
	policy("normal", "一般", "normal", limit{2, "working_hours"}, limit{1, "working_days"}, limit{2, "working_days"}, limit{5, "working_days"}, 10),
	policy("complex", "复杂", "", limit{2, "working_hours"}, limit{1, "working_days"}, limit{2, "working_days"}, limit{15, "working_days"}, 10),
}

type limit struct {
	amount float64
	unit   string
}

func policy(code, name, priority string, accept, sign, ret, finish limit, extensionCapDays float64) map[string]any {
	return map[string]any{
		"code": code, "name": name, "priority": priority,
		"accept_limit": accept.amount, "accept_unit": accept.unit,
		"sign_limit": sign.amount, "sign_unit": sign.unit,
		"return_limit": ret.amount, "return_unit": ret.unit,
		"finish_limit": finish.amount, "finish_unit": finish.unit,
		"callback_limit": 1, "callback_unit": "working_days",
		"extension_cap_days": extensionCapDays, "warn_fraction": 0.8,
	}
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
