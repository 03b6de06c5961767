package analytics

import (
	"github.com/pocketbase/pocketbase/core"
)

// label fills the Chinese names of the rows' keys.
func label(app core.App, d Dimension, rows []*Row) error {
	var table, none string
	switch d {
	case ByDepartment:
		table, none = "departments", "平台直接答复（无承办单位）"
	case ByCategory:
		table, none = "categories", "未分类"
	case ByTownship:
		table, none = "regions", "未指明乡镇街道"
	case ByChannel:
		for _, r := range rows {
			r.Label = channelLabels[r.Key]
			if r.Label == "" {
				r.Label = r.Key
			}
		}
		return nil
	default:
		for _, r := range rows {
			r.Label = r.Key
			if d == ByTotal {
				r.Label = "合计"
			}
		}
		return nil
	}
	names, err := names(app, table)
	if err != nil {
		return err
	}
	for _, r := range rows {
		switch {
		case r.Key == "":
			r.Label = none
		case names[r.Key] != "":
			r.Label = names[r.Key]
		default:
			r.Label = "（已删除）"
		}
	}
	return nil
}

// names maps the ids of a reference table to their names.
func names(app core.App, table string) (map[string]string, error) {
	var rows []struct {
		ID   string `db:"id"`
		Name string `db:"name"`
	}
	if err := app.DB().Select("id", "name").From(table).All(&rows); err != nil {
		return nil, err
	}
	m := make(map[string]string, len(rows))
	for _, r := range rows {
		m[r.ID] = r.Name
	}
	return m, nil
}
