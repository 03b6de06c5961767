package replyquality

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// Input is one reply and the appeal it answers.
type Input struct {
	Title     string    // the appeal's title (may be empty)
	Appeal    string    // the appeal's content
	Reply     string    // the reply's text (a draft while the handler writes)
	AskedAt   time.Time // when the appeal came in (zero: unknown)
	RepliedAt time.Time // when the reply was given (zero: now/unknown)
	Due       time.Time // the 办结 deadline, if there is one
}

// Criterion is one criterion's score and why.
type Criterion struct {
	Score   *float64 `json:"score"`   // 0–1; nil when it cannot be judged (e.g. no dates)
	Reasons []string `json:"reasons"` // in Chinese, for the handler and the operator
}

// Ask is one question or request found in the appeal.
type Ask struct {
	Text      string `json:"text"`
	Addressed bool   `json:"addressed"`
}

// Result is the quality check of one reply.
type Result struct {
	Score       int                  `json:"score"` // 0–100
	Level       string               `json:"level"` // 优 / 良 / 中 / 差
	Perfunctory bool                 `json:"perfunctory"`
	Flags       []string             `json:"flags"` // the main problems, in Chinese
	Criteria    map[string]Criterion `json:"criteria"`
	Asks        []Ask                `json:"asks"`
	Substance   int                  `json:"substance"` // characters of substance (greetings and closings left out)
}

// Weights of the criteria in the overall score; a criterion that cannot
// be judged is left out and the rest rescaled.
var Weights = map[string]float64{"relevant": 0.2, "complete": 0.25, "explained": 0.2, "specific": 0.25, "timely": 0.1}

// CriterionNames are the criteria in display order, with their Chinese names.
var CriterionNames = []struct{ Key, Label string }{
	{"relevant", "切题"}, {"complete", "完整"}, {"explained", "有依据"}, {"specific", "具体"}, {"timely", "及时"},
}

// PerfunctoryCap is the highest score a perfunctory reply can get.
const PerfunctoryCap = 40

// minSubstance is the length (characters) below which a reply's substance
// says too little to be a real answer.
const minSubstance = 30

// shortReply is the length (characters of substance) below which a reply
// without any explanation, action or date is perfunctory.
const shortReply = 100

// Score checks a reply against its appeal.
func Score(in Input) Result {
	substance := substanceOf(in.Reply)
	subText := strings.Join(substance, "")
	res := Result{Criteria: map[string]Criterion{}, Substance: runeLen(subText)}
	replyGrams := bigramSet(subText)

	res.Criteria["relevant"] = relevance(in.Title, in.Appeal, replyGrams)
	spec, acted, dated := specificity(subText)
	res.Asks = asks(in.Title, in.Appeal, replyGrams, dated)
	res.Criteria["complete"] = completeness(res.Asks)
	res.Criteria["explained"] = explanation(subText)
	res.Criteria["specific"] = spec
	res.Criteria["timely"] = timeliness(in)

	var sum, weight float64
	for _, c := range CriterionNames {
		if s := res.Criteria[c.Key].Score; s != nil {
			sum += *s * Weights[c.Key]
			weight += Weights[c.Key]
		}
	}
	if weight > 0 {
		res.Score = int(math.Round(sum / weight * 100))
	}
	// Perfunctory: nothing done or planned and no date, and either no
	// substance, or a passing-on/studying formula without any explanation,
	// or a short reply without any explanation.
	if !acted && !dated {
		formula := anyMatch(subText, perfunctoryCues)
		unexplained := *res.Criteria["explained"].Score == 0
		switch {
		case formula != "" && unexplained:
			res.Perfunctory = true
			res.Flags = append(res.Flags, "形式主义答复：只说「"+formula+"」，没有说明情况和依据，没有具体措施，也没有办理时间")
		case res.Substance < minSubstance:
			res.Perfunctory = true
			res.Flags = append(res.Flags, "形式主义答复：没有实质内容，没有具体措施和办理时间")
		case unexplained && res.Substance < shortReply:
			res.Perfunctory = true
			res.Flags = append(res.Flags, "形式主义答复：既未说明依据或调查结果，也没有具体措施和办理时间")
		}
	}
	if res.Substance < minSubstance {
		res.Flags = append(res.Flags, fmt.Sprintf("答复正文过短：除去问候、感谢和结束语只有 %d 个字", res.Substance))
	}
	if res.Perfunctory && res.Score > PerfunctoryCap {
		res.Score = PerfunctoryCap
	}
	for _, c := range CriterionNames {
		cr := res.Criteria[c.Key]
		if cr.Score != nil && *cr.Score < 0.6 {
			res.Flags = append(res.Flags, cr.Reasons...)
		}
	}
	res.Level = level(res.Score)
	if res.Flags == nil {
		res.Flags = []string{}
	}
	return res
}

func level(score int) string {
	switch {
	case score >= 80:
		return "优"
	case score >= 60:
		return "良"
	case score >= 40:
		return "中"
	}
	return "差"
}

func ptr(v float64) *float64 {
	v = math.Round(v*100) / 100
	return &v
}

// substanceOf is the reply's sentences without greetings, thanks, receipt
// formulas, closings and signatures. A sentence that only starts with a
// formula ("您好，经调查…") keeps what follows it.
func substanceOf(reply string) []string {
	var out []string
	for _, s := range sentences(reply) {
		for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == '，' || r == ',' || r == '：' || r == ':' }) {
			part = strings.TrimSpace(part)
			if part == "" || anyMatch(part, boilerplate) != "" {
				continue
			}
			out = append(out, part)
		}
	}
	return out
}
