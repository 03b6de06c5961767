package hotspot

import (
	"strings"
	"testing"
	"time"
)

var day0 = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

func msg(id, user, title, text string, day int) Message {
	return Message{ID: id, User: user, Title: title, Text: text, At: day0.AddDate(0, 0, day)}
}

// fixture: one problem at one place reported by four residents, another
// by three, a different problem at the first place, one resident writing
// three times, and noise.
func fixture() []Message {
	return []Message{
		msg("s1", "u1", "幸福小区门口烧烤摊油烟扰民", "幸福小区北门的烧烤摊每天晚上油烟很大，窗户都不敢开。", 0),
		msg("s2", "u2", "投诉幸福小区烧烤摊油烟", "幸福小区门口烧烤摊油烟熏人，晚上还很吵，请城管处理。", 1),
		msg("s3", "u3", "幸福小区北门烧烤油烟扰民问题", "幸福小区北门烧烤摊油烟扰民，已经持续两个月。", 3),
		msg("s4", "u4", "幸福小区烧烤摊油烟太大", "家住幸福小区，楼下烧烤摊油烟太大，孩子咳嗽。", 6),
		msg("w1", "u5", "桃园村自来水经常停水", "桃园村这个月自来水停了五次，村民生活很不方便。", 2),
		msg("w2", "u6", "桃园村停水问题", "桃园村自来水三天两头停水，什么时候能解决？", 4),
		msg("w3", "u7", "反映桃园村自来水停水", "桃园村自来水又停水了，请供水公司查一查。", 5),
		msg("e1", "u8", "幸福小区电梯经常故障", "幸福小区3栋电梯经常故障，老人上下楼困难。", 2),
		msg("e2", "u9", "幸福小区3栋电梯坏了", "幸福小区3栋电梯又坏了，物业不修。", 5),
		msg("r1", "u10", "人民公园健身器材损坏", "人民公园东门健身器材坏了很久。", 3),
		msg("r2", "u10", "人民公园健身器材还是坏的", "人民公园东门健身器材还是坏的，没人修。", 4),
		msg("r3", "u10", "再次反映人民公园健身器材损坏", "人民公园东门健身器材损坏，第三次反映。", 5),
		msg("n1", "u11", "咨询居住证办理", "请问居住证办理需要哪些材料？", 1),
	}
}

func find(t *testing.T, groups []Group, id string) *Group {
	t.Helper()
	for i := range groups {
		for _, x := range groups[i].IDs {
			if x == id {
				return &groups[i]
			}
		}
	}
	return nil
}

func TestGroupsSameProblemAtSamePlace(t *testing.T) {
	groups := Find(fixture(), Options{})
	smoke := find(t, groups, "s1")
	if smoke == nil || strings.Join(smoke.IDs, ",") != "s1,s2,s3,s4" {
		t.Fatalf("油烟 group %+v", smoke)
	}
	if smoke.Residents != 4 || !strings.Contains(smoke.Label, "幸福小区") || !strings.Contains(smoke.Label, "油烟") {
		t.Errorf("油烟 group named %q with %d residents", smoke.Label, smoke.Residents)
	}
	water := find(t, groups, "w1")
	if water == nil || len(water.IDs) != 3 || !strings.Contains(water.Label, "桃园村") {
		t.Fatalf("停水 group %+v", water)
	}
	lift := find(t, groups, "e1")
	if lift == nil || strings.Join(lift.IDs, ",") != "e1,e2" {
		t.Errorf("电梯 at the same estate is another problem: %+v", lift)
	}
	if g := find(t, groups, "r1"); g != nil {
		t.Errorf("one resident writing three times is no hotspot: %+v", g)
	}
	if g := find(t, groups, "n1"); g != nil {
		t.Errorf("a lone message is no hotspot: %+v", g)
	}
	if groups[0].Label != smoke.Label {
		t.Errorf("hottest is %q, want the 油烟 group (most residents)", groups[0].Label)
	}
}

func TestWindowSeparatesOldAndNewReports(t *testing.T) {
	msgs := fixture()
	msgs[3].At = day0.AddDate(1, 0, 0) // s4 a year later
	groups := Find(msgs, Options{Window: 30 * 24 * time.Hour})
	if g := find(t, groups, "s1"); g == nil || len(g.IDs) != 3 {
		t.Fatalf("got %+v", g)
	}
}

func TestHeatRanksResidentsRecencyAndGrowth(t *testing.T) {
	now := day0.AddDate(0, 0, 30)
	base := Group{Count: 5, Residents: 5, Last: now, First: now.AddDate(0, 0, -30)}
	more := base
	more.Residents = 10
	if Heat(more, now) <= Heat(base, now) {
		t.Error("more residents should be hotter")
	}
	stale := base
	stale.Last = now.AddDate(0, 0, -60)
	if Heat(stale, now) >= Heat(base, now) {
		t.Error("an older group should be cooler")
	}
	growing := base
	growing.Recent, growing.Usual = 4, 0.25
	if Heat(growing, now) <= Heat(base, now) {
		t.Error("a group growing faster than usual should be hotter")
	}
	oneVoice := base
	oneVoice.Residents, oneVoice.Count = 1, 20
	if Heat(oneVoice, now) >= Heat(base, now) {
		t.Error("one resident writing twenty times should not outrank five residents")
	}
}

func TestPlaces(t *testing.T) {
	got := Places("A5区劳动东路魅力之城小区临街门面油烟扰民，该小区居民很困扰")
	var keys []string
	for _, p := range got {
		keys = append(keys, p.Key)
	}
	if strings.Join(keys, ",") != "劳动东路,魅力之城" {
		t.Errorf("places %v", keys)
	}
	if got := Places("众兴镇桃园村路灯不亮"); len(got) != 2 || !got[0].Area || got[1].Key != "桃园村" {
		t.Errorf("places %+v", got)
	}
}
