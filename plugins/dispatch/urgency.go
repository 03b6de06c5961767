package dispatch

import (
	"strings"
)

// emergencySigns are phrases that mean a case belongs to an emergency line
// (or needs 紧急 handling now); each names the line.
var emergencySigns = []struct {
	line    string
	phrases []string
}{
	{"119 火警", []string{"着火", "起火", "失火", "火灾", "冒烟", "烧起来", "火势"}},
	{"119 燃气泄漏", []string{"燃气泄漏", "煤气泄漏", "天然气泄漏", "液化气泄漏", "闻到煤气", "闻到燃气", "煤气味", "燃气味"}},
	{"119 被困救援", []string{"被困", "困在电梯", "关在电梯", "电梯困人", "溺水", "落水", "掉进河", "坍塌", "塌方", "压在下面"}},
	{"120 急救", []string{"晕倒", "昏迷", "不省人事", "大出血", "心脏病发", "呼吸困难", "抽搐", "中毒", "急救", "快不行了"}},
	{"110 治安", []string{"打架", "斗殴", "持刀", "拿刀", "砍人", "殴打", "家暴", "抢劫", "绑架", "威胁要杀", "正在偷", "入室盗窃"}},
	{"122 交通事故", []string{"车祸", "交通事故", "撞人", "撞车", "肇事逃逸", "翻车"}},
}

// negations right before a phrase cancel it ("没有着火").
var negations = []string{"没有", "没", "未", "不是", "并非", "防止", "预防", "以免", "避免"}

// emotionSigns mark strong negative emotion (情绪激烈) or a threat to
// oneself, for careful handling.
var emotionSigns = []string{
	"忍无可忍", "气愤", "愤怒", "愤慨", "太过分", "欺人太甚", "投诉无门", "求告无门", "走投无路",
	"活不下去", "不想活", "跳楼", "自杀", "轻生", "同归于尽", "拉横幅", "去北京上访", "集体上访",
	"找媒体", "媒体曝光", "曝光你们", "再不解决", "绝不罢休", "极其不满", "强烈不满", "一拖再拖", "踢皮球",
}

// Urgency reports whether text needs 紧急 handling or an emergency line,
// with the reasons ("119 火警：「着火」").
func Urgency(text string) (bool, []string) {
	t := normalize(text)
	var reasons []string
	for _, sign := range emergencySigns {
		var hits []string
		for _, p := range sign.phrases {
			if containsAffirmed(t, p) {
				hits = append(hits, "「"+p+"」")
			}
		}
		if len(hits) > 0 {
			reasons = append(reasons, sign.line+"："+strings.Join(hits, ""))
		}
	}
	return len(reasons) > 0, reasons
}

// Emotion reports strong negative emotion: a strong phrase, or a burst of
// exclamation marks.
func Emotion(text string) (bool, []string) {
	t := normalize(text)
	var hits []string
	for _, p := range emotionSigns {
		if strings.Contains(t, p) {
			hits = append(hits, "「"+p+"」")
		}
	}
	if strings.Count(t, "!") >= 3 || strings.Contains(t, "!!") {
		hits = append(hits, "连续感叹号")
	}
	return len(hits) > 0, hits
}

// containsAffirmed finds p in t at least once without a negation right
// before it.
func containsAffirmed(t, p string) bool {
	for from := 0; ; {
		i := strings.Index(t[from:], p)
		if i < 0 {
			return false
		}
		at := from + i
		negated := false
		for _, n := range negations {
			if strings.HasSuffix(t[:at], n) {
				negated = true
				break
			}
		}
		if !negated {
			return true
		}
		from = at + len(p)
	}
}
