package loadgen

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
)

// reference is the configuration the generated cases refer to: whatever
// departments, townships, categories, policies and staff the data folder
// already has (the demo data on a fresh folder).
type reference struct {
	departments []*core.Record
	deptByID    map[string]*core.Record
	towns       []*core.Record
	categories  []*core.Record
	catByCode   map[string]*core.Record
	handlers    map[string][]string // department id → handler staff ids
	central     []string            // operator and supervisor staff ids
}

func loadReference(app core.App) (*reference, error) {
	ref := &reference{deptByID: map[string]*core.Record{}, catByCode: map[string]*core.Record{}, handlers: map[string][]string{}}
	depts, err := app.FindAllRecords("departments")
	if err != nil {
		return nil, err
	}
	for _, d := range depts {
		if d.GetBool("active") {
			ref.departments = append(ref.departments, d)
			ref.deptByID[d.Id] = d
		}
	}
	if len(ref.departments) == 0 {
		return nil, fmt.Errorf("no active departments: seed appeals into a folder with departments (the demo data of a fresh folder has them)")
	}
	regions, err := app.FindAllRecords("regions")
	if err != nil {
		return nil, err
	}
	for _, r := range regions {
		if k := r.GetString("kind"); k == "乡镇" || k == "街道" {
			ref.towns = append(ref.towns, r)
		}
	}
	if ref.categories, err = app.FindAllRecords("categories"); err != nil {
		return nil, err
	}
	for _, c := range ref.categories {
		ref.catByCode[c.GetString("code")] = c
	}
	staff, err := app.FindAllRecords("staff")
	if err != nil {
		return nil, err
	}
	for _, s := range staff {
		switch s.GetString("role") {
		case "handler":
			d := s.GetString("department")
			ref.handlers[d] = append(ref.handlers[d], s.Id)
		case "operator", "supervisor":
			ref.central = append(ref.central, s.Id)
		}
	}
	return ref, nil
}

// handlerOf answers one handler of department, or "" (the timeline then
// names the department only).
func (ref *reference) handlerOf(department string, pick int) string {
	list := ref.handlers[department]
	if len(list) == 0 {
		return ""
	}
	return list[pick%len(list)]
}

func (ref *reference) operator(pick int) string {
	if len(ref.central) == 0 {
		return ""
	}
	return ref.central[pick%len(ref.central)]
}
