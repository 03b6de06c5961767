package analytics_test

import (
	"encoding/json"
	"net/http"
	"sort"
	"testing"
)

// keysOf decodes a JSON object and answers its keys, sorted.
func keysOf(t *testing.T, body string) ([]string, map[string]json.RawMessage) {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys, m
}

// TestMetricsAndReportHonourFields: PocketBase's ?fields= picks from the
// kept answers (their JSON is kept encoded) as it does from any answer:
// the first request (computed) and the next (the kept bytes) alike.
func TestMetricsAndReportHonourFields(t *testing.T) {
	m, _ := rollupEnv(t)
	for _, url := range []string{
		"/api/analytics/metrics?by=department&month=2026-11",
		"/api/analytics/reports/monthly?month=2026-11",
	} {
		full := m.Call(t, http.MethodGet, url, nil, m.Supervisor)
		if full.Status != 200 {
			t.Fatalf("%s: %d %s", url, full.Status, full.Body)
		}
		if keys, _ := keysOf(t, full.Body); len(keys) < 5 {
			t.Fatalf("%s without fields answers %v, want the whole answer", url, keys)
		}
		for i := 0; i < 2; i++ {
			res := m.Call(t, http.MethodGet, url+"&fields=period,total.label,total.received", nil, m.Supervisor)
			if res.Status != 200 {
				t.Fatalf("%s with fields: %d %s", url, res.Status, res.Body)
			}
			keys, got := keysOf(t, res.Body)
			if len(keys) != 2 || keys[0] != "period" || keys[1] != "total" {
				t.Errorf("%s with fields (request %d) answers keys %v, want period and total", url, i+1, keys)
				continue
			}
			totalKeys, total := keysOf(t, string(got["total"]))
			if len(totalKeys) != 2 || string(total["label"]) == "" || string(total["received"]) == "0" {
				t.Errorf("%s with fields: total %s, want its label and received only", url, got["total"])
			}
			if string(got["period"]) != `"2026-11"` {
				t.Errorf("%s with fields: period %s", url, got["period"])
			}
		}
	}
	// a kept answer picked for one request is still whole for the next
	if keys, _ := keysOf(t, m.Call(t, http.MethodGet, "/api/analytics/metrics?by=department&month=2026-11", nil, m.Supervisor).Body); len(keys) < 5 {
		t.Errorf("after a picked answer the kept one answers %v", keys)
	}
}

// TestReportFollowsALabelChange: a department renamed is in the next
// report at once (the kept one is dropped with the answers it is made of).
func TestReportFollowsALabelChange(t *testing.T) {
	m, _ := rollupEnv(t)
	url := "/api/analytics/reports/monthly?month=2026-11"
	var before struct {
		ByDepartment []struct{ Key, Label string } `json:"by_department"`
	}
	m.Call(t, http.MethodGet, url, nil, m.Supervisor).JSON(t, &before)
	m.DeptA.Set("name", "测试更名后的住建局")
	if err := m.App.Save(m.DeptA); err != nil {
		t.Fatal(err)
	}
	var after struct {
		ByDepartment []struct{ Key, Label string } `json:"by_department"`
	}
	m.Call(t, http.MethodGet, url, nil, m.Supervisor).JSON(t, &after)
	found := false
	for _, r := range after.ByDepartment {
		if r.Key == m.DeptA.Id {
			found = r.Label == "测试更名后的住建局"
		}
	}
	if !found {
		t.Errorf("after the rename the report's departments are %+v", after.ByDepartment)
	}
}
