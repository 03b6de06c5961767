package analytics

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"time"

	"siyang/hooks"
)

// columnMap maps the fields a command needs to the CSV's header names,
// e.g. "reply=答复意见,appeal=留言详情". Unnamed fields keep their defaults.
type columnMap map[string]string

// parseColumns reads a --columns flag over the defaults.
func parseColumns(flag string, defaults columnMap) (columnMap, error) {
	m := columnMap{}
	for k, v := range defaults {
		m[k] = v
	}
	for _, pair := range strings.Split(flag, ",") {
		pair = strings.TrimSpace(pair)
		if pair == "" {
			continue
		}
		k, v, ok := strings.Cut(pair, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || k == "" {
			return nil, fmt.Errorf("--columns: %q should be field=列名", pair)
		}
		if _, known := defaults[k]; !known {
			return nil, fmt.Errorf("--columns: unknown field %q (fields: %s)", k, strings.Join(keys(defaults), ", "))
		}
		m[k] = v
	}
	return m, nil
}

func keys(m columnMap) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sortStrings(out)
	return out
}

// csvTable is a CSV file read with its header, fields looked up by name.
type csvTable struct {
	index map[string]int
	rows  [][]string
	cols  columnMap
}

// readCSV reads the whole file; required fields must have their column.
// A byte-order mark is dropped (Excel writes one).
func readCSV(r io.Reader, cols columnMap, required ...string) (*csvTable, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("reading the header: %w", err)
	}
	t := &csvTable{index: map[string]int{}, cols: cols}
	for i, h := range header {
		t.index[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = i
	}
	for _, f := range required {
		if _, ok := t.index[cols[f]]; !ok {
			return nil, fmt.Errorf("column %q (field %s) not in the header %v; map it with --columns %s=列名", cols[f], f, header, f)
		}
	}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		t.rows = append(t.rows, rec)
	}
	return t, nil
}

// get is a row's value of a field ("" when the column is absent or short).
func (t *csvTable) get(row []string, field string) string {
	i, ok := t.index[t.cols[field]]
	if !ok || i >= len(row) {
		return ""
	}
	return strings.TrimSpace(row[i])
}

// csvTimeLayouts are the ways exported appeal lists write times.
var csvTimeLayouts = []string{
	"2006/1/2 15:04:05", "2006/1/2 15:04", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04:05",
	"2006/1/2", "2006-01-02", "2006年1月2日 15:04:05", "2006年1月2日",
}

// parseCSVTime reads a China-time timestamp; zero when empty or unreadable.
func parseCSVTime(s string) time.Time {
	s = strings.TrimSpace(s)
	for _, l := range csvTimeLayouts {
		if t, err := time.ParseInLocation(l, s, hooks.ChinaTime()); err == nil {
			return t
		}
	}
	return time.Time{}
}
