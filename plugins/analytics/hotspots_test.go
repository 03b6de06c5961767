package analytics_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/tools/types"

	"siyang/internal/testenv"
	"siyang/plugins/workflow"
)

// guestAppeal submits an appeal as a different (guest) resident each time,
// at the given time.
func guestAppeal(t *testing.T, env *testenv.Env, when time.Time, n int, title, content string) {
	t.Helper()
	env.SetNow(when)
	sub := testenv.SampleSubmission()
	sub.Title, sub.Content, sub.ContactPhone = title, content, fmt.Sprintf("1391234%04d", n)
	r, err := env.Engine.Submit(env.App, sub, workflow.ActorFromAuth(nil))
	if err != nil {
		t.Fatal(err)
	}
	created := when.UTC().Format(types.DefaultDateLayout)
	if _, err := env.App.DB().Update("appeals", dbx.Params{"created": created}, dbx.HashExp{"id": r.Appeal.Id}).Execute(); err != nil {
		t.Fatal(err)
	}
}

var smoke = []string{
	"幸福小区北门的烧烤摊每天晚上油烟很大，窗户都不敢开。",
	"幸福小区门口烧烤摊油烟熏人，晚上还很吵，请城管处理。",
	"幸福小区北门烧烤摊油烟扰民，已经持续两个月。",
	"家住幸福小区，楼下烧烤摊油烟太大，孩子咳嗽。",
	"幸福小区北门烧烤摊油烟越来越严重，每晚到凌晨。",
	"幸福小区烧烤摊油烟问题还没解决，气味很大。",
	"幸福小区北门烧烤摊油烟扰民，请尽快处理。",
}

func TestHotspotScanRecordsNewAndSurgingHotspots(t *testing.T) {
	env := testenv.New(t)
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, testenv.China)
	for i := 0; i < 3; i++ {
		guestAppeal(t, env, now.AddDate(0, 0, -20+i), i, "幸福小区烧烤摊油烟扰民", smoke[i])
	}
	guestAppeal(t, env, now.AddDate(0, 0, -10), 50, "咨询居住证办理", "请问居住证办理需要哪些材料和多长时间？")
	env.SetNow(now.AddDate(0, 0, -14))
	res, err := env.Analytics.ScanHotspots()
	if err != nil {
		t.Fatal(err)
	}
	if res.Active != 1 || res.New != 1 || res.Surges != 0 {
		t.Fatalf("first scan %+v", res)
	}
	// a quiet week, then four more residents within three days
	for i := 3; i < 7; i++ {
		guestAppeal(t, env, now.AddDate(0, 0, -10+i), i, "幸福小区烧烤摊油烟扰民", smoke[i])
	}
	env.SetNow(now)
	res, err = env.Analytics.ScanHotspots()
	if err != nil {
		t.Fatal(err)
	}
	if res.Active != 1 || res.New != 0 || res.Surges != 1 {
		t.Fatalf("second scan %+v", res)
	}
	hs, _ := env.App.FindRecordsByFilter("hotspots", "", "", 0, 0)
	if len(hs) != 1 || hs[0].GetInt("count") != 7 || hs[0].GetInt("residents") != 7 || !strings.Contains(hs[0].GetString("title"), "幸福小区") {
		t.Fatalf("hotspots %v", hs)
	}
	// the same picture scanned again raises nothing new
	if res, _ := env.Analytics.ScanHotspots(); res.New+res.Surges != 0 {
		t.Errorf("third scan %+v", res)
	}

	var list struct {
		Hotspots []struct {
			ID, Title string
			Count     int
		}
		Alerts []struct{ Kind, Message string }
	}
	r := env.Call(t, http.MethodGet, "/api/analytics/hotspots", nil, env.Supervisor)
	if r.Status != http.StatusOK {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	r.JSON(t, &list)
	if len(list.Hotspots) != 1 || len(list.Alerts) != 2 || list.Alerts[0].Kind != "surge" || !strings.Contains(list.Alerts[1].Message, "新热点") {
		t.Fatalf("list %+v", list)
	}
	var detail struct {
		Cases []struct{ Ticket, Title string }
	}
	r = env.Call(t, http.MethodGet, "/api/analytics/hotspots/"+list.Hotspots[0].ID, nil, env.Operator)
	r.JSON(t, &detail)
	if len(detail.Cases) != 7 || !strings.HasPrefix(detail.Cases[0].Ticket, "SY") {
		t.Errorf("drill-down %+v", detail)
	}
	if strings.Contains(r.Body, "1391234") {
		t.Error("the drill-down must not carry contact data")
	}
	if r := env.Call(t, http.MethodGet, "/api/analytics/hotspots", nil, env.HandlerA); r.Status != http.StatusForbidden {
		t.Errorf("handler: %d", r.Status)
	}
}

func TestRepliesCarryTheirQualityAndDraftsCanBeChecked(t *testing.T) {
	env := testenv.New(t)
	a := env.Reach(t, workflow.Replied)
	reply, err := env.App.FindFirstRecordByFilter("replies", "appeal = {:a}", dbx.Params{"a": a.Id})
	if err != nil {
		t.Fatal(err)
	}
	if reply.GetInt("quality_score") == 0 || reply.GetBool("quality_perfunctory") || !strings.Contains(reply.GetString("quality"), "criteria") {
		t.Errorf("stored quality %d %v %s", reply.GetInt("quality_score"), reply.GetBool("quality_perfunctory"), reply.GetString("quality"))
	}

	b := env.Reach(t, workflow.Handling)
	var res struct {
		Score       int
		Perfunctory bool
		Flags       []string
	}
	r := env.Call(t, http.MethodPost, "/api/analytics/reply-quality", map[string]string{
		"appeal": b.GetString("ticket"), "content": "您好！您反映的问题已收悉，已转交相关部门处理。感谢您的支持！",
	}, env.HandlerA)
	if r.Status != http.StatusOK {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	r.JSON(t, &res)
	if !res.Perfunctory || res.Score > 40 || len(res.Flags) == 0 || !strings.Contains(res.Flags[0], "形式主义") {
		t.Errorf("draft check %+v", res)
	}
	if r := env.Call(t, http.MethodPost, "/api/analytics/reply-quality", map[string]string{"appeal": b.Id, "content": "已处理"}, env.HandlerC); r.Status != http.StatusNotFound {
		t.Errorf("other department: %d", r.Status)
	}
	if r := env.Call(t, http.MethodPost, "/api/analytics/reply-quality", map[string]string{"appeal": b.Id}, env.HandlerA); r.Status != http.StatusBadRequest || !strings.Contains(r.Body, "content") {
		t.Errorf("empty draft: %d %s", r.Status, r.Body)
	}
}
