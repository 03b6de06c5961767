package workflow

import (
	"strings"
	"unicode/utf8"

	"github.com/pocketbase/pocketbase/tools/filesystem"
)

// Input carries everything an action may need; each action reads the fields
// it uses and ignores the rest. JSON, urlencoded and multipart bodies bind.
type Input struct {
	Note         string   `json:"note" form:"note"`
	Reason       string   `json:"reason" form:"reason"`
	Department   string   `json:"department" form:"department"`
	Assisting    []string `json:"assisting" form:"assisting"`
	Days         float64  `json:"days" form:"days"`
	Content      string   `json:"content" form:"content"`
	Satisfaction string   `json:"satisfaction" form:"satisfaction"`
	Resolved     *bool    `json:"resolved" form:"resolved"`
	Target       string   `json:"target" form:"target"`
	Category     string   `json:"category" form:"category"`
	Region       string   `json:"region" form:"region"`
	Priority     string   `json:"priority" form:"priority"`
	Kind         string   `json:"kind" form:"kind"`
	Policy       string   `json:"sla_policy" form:"sla_policy"`
	QueryCode    string   `json:"query_code" form:"query_code"`

	Files []*filesystem.File `json:"-" form:"-"`
}

// Limits on free text, in characters.
const (
	maxNoteLen    = 2000
	maxContentLen = 10000
	minReplyLen   = 10
	maxFiles      = 9
)

// normalize trims text fields so that "   " counts as empty.
func (in *Input) normalize() {
	in.Note = strings.TrimSpace(in.Note)
	in.Reason = strings.TrimSpace(in.Reason)
	in.Content = strings.TrimSpace(in.Content)
	in.Target = strings.TrimSpace(in.Target)
	in.Department = strings.TrimSpace(in.Department)
}

// checkCommon applies the limits every action shares.
func (in *Input) checkCommon(errs *FieldErrors) {
	if utf8.RuneCountInString(in.Note) > maxNoteLen {
		errs.Add("note", "说明不能超过 2000 字")
	}
	if utf8.RuneCountInString(in.Content) > maxContentLen {
		errs.Add("content", "内容不能超过 10000 字")
	}
	if len(in.Files) > maxFiles {
		errs.Add("attachments", "附件最多 9 个")
	}
	for _, s := range append([]string{in.Note, in.Content}, in.Reason) {
		if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
			errs.Add("content", "内容含有无效字符")
		}
	}
}

// Satisfaction levels of the national 好差评 scale, best first.
var SatisfactionLabels = map[string]string{
	"very_satisfied":      "非常满意",
	"satisfied":           "满意",
	"basically_satisfied": "基本满意",
	"dissatisfied":        "不满意",
	"very_dissatisfied":   "非常不满意",
}

// Dissatisfied reports whether a rating sends the case back for 重办.
func Dissatisfied(level string) bool {
	return level == "dissatisfied" || level == "very_dissatisfied"
}

// RejectReasons are the coded reasons for 不予受理 (national 12345 rules).
var RejectReasons = map[string]string{
	"emergency_hotline": "转紧急热线（110/119/120/122）",
	"legal_channel":     "告知法定途径（诉讼、仲裁、复议、信访等）",
	"explained":         "解释说明",
	"duplicate":         "重复诉求",
	"incomplete":        "信息不全",
	"harassment":        "恶意骚扰",
	"out_of_scope":      "不属于受理范围",
}

// ArchiveReasons are the coded reasons for 办结归档 without a rating.
var ArchiveReasons = map[string]string{
	"unreachable":       "多次回访无法联系",
	"confirmed":         "经审核认定办结",
	"explained":         "已解释说明",
	"legal_channel":     "告知法定途径",
	"emergency_hotline": "已转紧急热线",
}

// KindLabels are the kinds of appeal.
var KindLabels = map[string]string{
	"consult": "咨询", "complaint": "投诉", "help": "求助", "suggestion": "建议", "report": "举报",
}

// ChannelLabels are the ways an appeal reaches the platform.
var ChannelLabels = map[string]string{
	"web": "网站", "phone": "电话", "letter": "信件", "window": "窗口", "open311": "Open311", "api": "接口",
}
