package dispatch_test

import (
	"fmt"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"siyang/internal/testenv"
	"siyang/plugins/workflow"
)

// trainingTexts are made-up appeals of three categories, for the tests.
var trainingTexts = map[string][]string{
	"urban": {
		"小区门口路灯坏了很久没人修", "道路施工挖开后一直没有恢复", "小区物业不作为垃圾成堆", "老旧小区改造进度太慢",
		"违章建筑占用消防通道", "楼道墙皮脱落存在安全隐患", "小区下水道堵塞污水外溢", "人行道地砖破损绊倒老人",
		"拆迁补偿款迟迟不到位", "小区电梯经常坏物业不修", "房屋漏水开发商不维修", "路面坑洼下雨积水严重",
	},
	"transport": {
		"公交车经常不按时发车", "红绿灯时间太短行人过不去", "出租车拒载还乱收费", "公交站台没有遮雨棚",
		"货车超载严重损坏道路", "客运班车票价上涨不合理", "路口没有红绿灯经常堵车", "公交线路调整后出行不便",
		"网约车司机绕路多收费", "停车位太少车辆乱停", "长途汽车站秩序混乱", "校车安全没有保障",
	},
	"education": {
		"学校违规补课收费", "幼儿园学位紧张报不上名", "老师体罚学生", "学校食堂饭菜质量差",
		"招生政策不公开不透明", "学生作业负担太重", "教师工资拖欠几个月", "学校周边网吧影响学生",
		"中考加分政策有疑问", "乡村学校师资力量薄弱", "校服价格太高强制购买", "体育场馆不对外开放",
	},
}

// seedHistory stores accepted appeals with confirmed categories.
func seedHistory(t *testing.T, env *testenv.Env) {
	t.Helper()
	for code, texts := range trainingTexts {
		cat, err := env.App.FindFirstRecordByData("categories", "code", code)
		if err != nil {
			t.Fatal(err)
		}
		for i, text := range texts {
			sub := testenv.SampleSubmission()
			sub.Title = text
			sub.Content = fmt.Sprintf("%s，希望有关部门尽快处理（第%d件）。", text, i+1)
			sub.Address = ""
			a, _ := env.Submit(t, sub)
			env.Do(t, a, "accept", env.Operator, workflow.Input{Category: cat.Id})
		}
	}
}

func category(t *testing.T, env *testenv.Env, code string) *core.Record {
	t.Helper()
	c, err := env.App.FindFirstRecordByData("categories", "code", code)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func rule(t *testing.T, env *testenv.Env, data map[string]any) *core.Record {
	t.Helper()
	if _, ok := data["active"]; !ok {
		data["active"] = true
	}
	return env.Save(t, "dispatch_rules", data)
}
