package demo

import (
	"fmt"
	"github.com/pocketbase/pocketbase/core"
)

// sampleDepartments are departments of 泗阳县 as a newcomer would expect to
// find them; codes are ours, contact data is left empty on purpose.
var sampleDepartments = []struct{ code, name, kind string }{
	{"zjj", "县住房和城乡建设局", "职能部门"},
	{"jtj", "县交通运输局", "职能部门"},
	{"rsj", "县人力资源和社会保障局", "职能部门"},
	{"jyj", "县教育局", "职能部门"},
	{"wjw", "县卫生健康委员会", "职能部门"},
	{"sthj", "宿迁市泗阳生态环境局", "职能部门"},
	{"scjg", "县市场监督管理局", "职能部门"},
	{"cgj", "县城市管理局", "职能部门"},
	{"swj", "县水务局", "职能部门"},
	{"nyj", "县农业农村局", "职能部门"},
	{"mzj", "县民政局", "职能部门"},
	{"gaj", "县公安局", "职能部门"},
	{"gdgs", "国网泗阳县供电公司", "公共企事业单位"},
	{"zls", "泗阳县自来水公司", "公共企事业单位"},
}

// sampleTowns are the townships and sub-districts of 泗阳县.
var sampleTowns = []struct{ code, name, kind string }{
	{"zhongxing", "众兴街道", "街道"}, {"laian", "来安街道", "街道"}, {"chengxiang", "城厢街道", "街道"},
	{"aiyuan", "爱园镇", "乡镇"}, {"wangji", "王集镇", "乡镇"}, {"peiwei", "裴圩镇", "乡镇"},
	{"xinyuan", "新袁镇", "乡镇"}, {"likou", "李口镇", "乡镇"}, {"linhe", "临河镇", "乡镇"},
	{"chuancheng", "穿城镇", "乡镇"}, {"zhangjiawei", "张家圩镇", "乡镇"}, {"gaodu", "高渡镇", "乡镇"},
	{"luji", "卢集镇", "乡镇"}, {"zhuangwei", "庄圩乡", "乡镇"}, {"baji", "八集乡", "乡镇"},
	{"nanliuji", "南刘集乡", "乡镇"},
}

// categoryDepartments gives the default categories their usual owner.
var categoryDepartments = map[string]string{
	"urban": "zjj", "transport": "jtj", "labour": "rsj", "education": "jyj",
	"health": "wjw", "environment": "sthj", "commerce": "scjg", "utilities": "zls",
	"agriculture": "nyj", "civil": "mzj", "market": "scjg", "safety": "gaj",
}

// demoStaff is one account per role; handlers in two departments and one
// township so that department isolation can be tried at once.
var demoStaff = []struct{ role, name, email, dept string }{
	{"operator", "演示话务员", "operator@demo.siyang.test", ""},
	{"supervisor", "演示督办员", "supervisor@demo.siyang.test", ""},
	{"admin", "演示管理员", "admin@demo.siyang.test", ""},
	{"handler", "住建局承办人", "zjj@demo.siyang.test", "zjj"},
	{"handler", "交通局承办人", "jtj@demo.siyang.test", "jtj"},
	{"handler", "众兴街道承办人", "zhongxing@demo.siyang.test", "town-zhongxing"},
}

// Seed writes the sample rows with app (a transaction) and answers the demo
// accounts it created.
func Seed(app core.App) ([]Account, error) {
	deptCol, err := app.FindCollectionByNameOrId("departments")
	if err != nil {
		return nil, err
	}
	deptIDs := map[string]string{}
	deptNames := map[string]string{}
	save := func(col *core.Collection, data map[string]any) (*core.Record, error) {
		r := core.NewRecord(col)
		r.Load(data)
		r.Set("sample", true)
		return r, app.Save(r)
	}
	for _, d := range sampleDepartments {
		r, err := save(deptCol, map[string]any{"code": d.code, "name": d.name, "kind": d.kind, "active": true})
		if err != nil {
			return nil, err
		}
		deptIDs[d.code], deptNames[d.code] = r.Id, d.name
	}

	regionCol, err := app.FindCollectionByNameOrId("regions")
	if err != nil {
		return nil, err
	}
	for _, t := range sampleTowns {
		code := "town-" + t.code
		office := t.name
		if t.kind == "街道" {
			office += "办事处"
		} else {
			office += "人民政府"
		}
		d, err := save(deptCol, map[string]any{"code": code, "name": office, "kind": "乡镇街道", "active": true})
		if err != nil {
			return nil, err
		}
		deptIDs[code], deptNames[code] = d.Id, office
		if _, err := save(regionCol, map[string]any{"code": t.code, "name": t.name, "kind": t.kind, "department": d.Id}); err != nil {
			return nil, err
		}
	}

	for cat, dept := range categoryDepartments {
		c, err := app.FindFirstRecordByData("categories", "code", cat)
		if err != nil {
			continue // an admin removed it; nothing to link
		}
		c.Set("default_department", deptIDs[dept])
		if err := app.Save(c); err != nil {
			return nil, err
		}
	}

	staffCol, err := app.FindCollectionByNameOrId("staff")
	if err != nil {
		return nil, err
	}
	var accounts []Account
	for _, s := range demoStaff {
		pw := newPassword()
		r := core.NewRecord(staffCol)
		r.Set("name", s.name)
		r.Set("role", s.role)
		r.Set("email", s.email)
		r.Set("verified", true)
		r.Set("active", true)
		r.Set("department", deptIDs[s.dept])
		r.SetPassword(pw)
		if err := app.Save(r); err != nil {
			return nil, err
		}
		accounts = append(accounts, Account{Role: s.role, Name: s.name, Department: deptNames[s.dept], Email: s.email, Password: pw})
	}
	return accounts, nil
}

// SeedAndPrint writes the sample data and staff into a fresh folder in one
// transaction and prints the accounts (for commands that fill a folder
// outside serve, e.g. the load generator's seed).
func SeedAndPrint(app core.App) error {
	return app.RunInTransaction(func(tx core.App) error {
		accounts, err := Seed(tx)
		for _, a := range accounts {
			fmt.Printf("demo account: %s %s / %s\n", a.Role, a.Email, a.Password)
		}
		return err
	})
}
