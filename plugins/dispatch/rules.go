package dispatch

import (
	"strings"

	"github.com/pocketbase/pocketbase/core"
)

// RuleMatch is the first active rule that matches an appeal, and why.
type RuleMatch struct {
	Rule    *core.Record
	Reasons []string // e.g. 分类「城乡建设」, 关键词「路灯」
}

// Explain is the Chinese sentence the operator reads.
func (m *RuleMatch) Explain() string {
	if m == nil {
		return "没有匹配的派单规则"
	}
	why := strings.Join(m.Reasons, "、")
	if why == "" {
		why = "兜底规则（无条件）"
	}
	return "规则「" + m.Rule.GetString("name") + "」匹配：" + why
}

// facts are what the rules look at; category is the operator's or, before
// review, the classifier's suggestion.
type facts struct {
	category, kind, region string
	text                   string // title + content, normalised
}

// activeRules loads the active rules in their order. Every intake walks
// them, so they are cached (plugin.rules, emptied by any change of a rule).
func activeRules(app core.App) ([]*core.Record, error) {
	return app.FindRecordsByFilter("dispatch_rules", "active = true", "sort,created", 0, 0)
}

// matchRules walks the active rules in order and answers the first whose
// every condition holds (a condition lists alternatives; an empty one
// holds for all), or nil.
func (p *plugin) matchRules(app core.App, f facts) (*RuleMatch, error) {
	rules, err := p.rules.Get(app)
	if err != nil {
		return nil, err
	}
	for _, r := range rules {
		if reasons, ok := matchRule(app, r, f); ok {
			return &RuleMatch{Rule: r, Reasons: reasons}, nil
		}
	}
	return nil, nil
}

func matchRule(app core.App, r *core.Record, f facts) ([]string, bool) {
	var reasons []string
	if cats := r.GetStringSlice("categories"); len(cats) > 0 {
		if !contains(cats, f.category) {
			return nil, false
		}
		reasons = append(reasons, "分类「"+name(app, "categories", f.category)+"」")
	}
	if kinds := r.GetStringSlice("kinds"); len(kinds) > 0 {
		if !contains(kinds, f.kind) {
			return nil, false
		}
		reasons = append(reasons, "类型「"+kindLabels[f.kind]+"」")
	}
	if regions := r.GetStringSlice("regions"); len(regions) > 0 {
		if !contains(regions, f.region) {
			return nil, false
		}
		reasons = append(reasons, "乡镇「"+name(app, "regions", f.region)+"」")
	}
	if words := Keywords(r.GetString("keywords")); len(words) > 0 {
		var hit []string
		for _, w := range words {
			if strings.Contains(f.text, normalize(w)) {
				hit = append(hit, "「"+w+"」")
			}
		}
		if len(hit) == 0 {
			return nil, false
		}
		reasons = append(reasons, "关键词"+strings.Join(hit, ""))
	}
	return reasons, true
}

// Keywords splits a rule's keyword list on commas, 、, semicolons and line breaks.
func Keywords(s string) []string {
	parts := strings.FieldsFunc(s, func(r rune) bool {
		return strings.ContainsRune(",，、;；\n\r\t", r)
	})
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	if s == "" {
		return false
	}
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func name(app core.App, collection, id string) string {
	if r, err := app.FindRecordById(collection, id); err == nil {
		return r.GetString("name")
	}
	return id
}

var kindLabels = map[string]string{"consult": "咨询", "complaint": "投诉", "help": "求助", "suggestion": "建议", "report": "举报"}

// normalize folds full-width characters and Latin case so that keywords
// match however the resident typed them.
func normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\u3000':
			r = ' '
		case r >= '！' && r <= '～':
			r = r - '！' + '!'
		}
		b.WriteRune(r)
	}
	return strings.ToLower(b.String())
}
