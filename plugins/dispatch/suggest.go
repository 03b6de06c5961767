package dispatch

import (
	"fmt"
	"strings"

	"github.com/pocketbase/pocketbase/core"
)

// Suggestion is what the platform proposes for one appeal.
type Suggestion struct {
	Category     *core.Record // the classifier's category (nil without a model)
	Confidence   float64
	Alternatives []Alternative
	Rule         *RuleMatch
	Department   string   // lead department: the rule's, else the category's default
	Assisting    []string // from the rule
	Priority     string   // from the rule, or "urgent" when urgency is flagged
	Policy       string   // from the rule
	Urgent       bool
	UrgencyWhy   []string
	Emotion      bool
	EmotionWhy   []string
	Duplicates   []Duplicate
	Explain      string
}

// Alternative is a runner-up category of the classifier.
type Alternative struct {
	Category string  `json:"category"`
	Name     string  `json:"name"`
	Prob     float64 `json:"prob"`
}

// Suggest analyses an appeal: classifier, rules, urgency, emotion and
// duplicates. It reads only; Apply writes the result on the record.
func (p *plugin) Suggest(app core.App, a *core.Record) (*Suggestion, error) {
	text := a.GetString("title") + "\n" + a.GetString("content")
	s := &Suggestion{}
	var why []string

	category := a.GetString("category")
	if m := p.models.current.Load(); m != nil {
		preds := m.Predict(text)
		for i, pr := range preds {
			c, err := resolveCategory(app, pr.Label)
			if err != nil {
				continue
			}
			if s.Category == nil {
				s.Category, s.Confidence = c, pr.Prob
			} else if i < 3 {
				s.Alternatives = append(s.Alternatives, Alternative{c.Id, c.GetString("name"), pr.Prob})
			}
		}
		if s.Category != nil {
			why = append(why, fmt.Sprintf("分类器建议「%s」（置信度 %.2f）", s.Category.GetString("name"), s.Confidence))
			if category == "" {
				category = s.Category.Id
			}
		}
	}

	match, err := MatchRules(app, facts{category: category, kind: a.GetString("kind"), region: a.GetString("region"), text: normalize(text)})
	if err != nil {
		return nil, err
	}
	s.Rule = match
	why = append(why, match.Explain())
	if match != nil {
		s.Department = match.Rule.GetString("lead_department")
		s.Assisting = match.Rule.GetStringSlice("assisting_departments")
		s.Priority = match.Rule.GetString("priority")
		if id := match.Rule.GetString("sla_policy"); id != "" {
			if pol, err := app.FindRecordById("sla_policies", id); err == nil {
				s.Policy = pol.GetString("code")
			}
		}
	} else if category != "" {
		if c, err := app.FindRecordById("categories", category); err == nil && c.GetString("default_department") != "" {
			s.Department = c.GetString("default_department")
			why = append(why, "按分类「"+c.GetString("name")+"」的默认承办单位")
		}
	}

	s.Urgent, s.UrgencyWhy = Urgency(text)
	if s.Urgent {
		s.Priority = "urgent"
		why = append(why, "疑似紧急："+strings.Join(s.UrgencyWhy, "；"))
	}
	s.Emotion, s.EmotionWhy = Emotion(text)
	if s.Emotion {
		why = append(why, "情绪激烈："+strings.Join(s.EmotionWhy, ""))
	}
	s.Duplicates, err = FindDuplicates(app, a, p.config.DuplicateWindow, p.config.DuplicateThreshold)
	if err != nil {
		return nil, err
	}
	if len(s.Duplicates) > 0 {
		tickets := make([]string, len(s.Duplicates))
		for i, d := range s.Duplicates {
			tickets[i] = d.Appeal.Ticket
		}
		why = append(why, "疑似重复："+strings.Join(tickets, "、"))
	}
	s.Explain = strings.Join(why, "；")
	return s, nil
}

// Apply writes a suggestion on the appeal's suggestion fields.
func (s *Suggestion) Apply(a *core.Record) {
	a.Set("suggested_category", "")
	a.Set("suggestion_confidence", 0)
	if s.Category != nil {
		a.Set("suggested_category", s.Category.Id)
		a.Set("suggestion_confidence", s.Confidence)
	}
	a.Set("suggested_department", s.Department)
	a.Set("suggested_assisting", s.Assisting)
	a.Set("suggestion_rule", "")
	if s.Rule != nil {
		a.Set("suggestion_rule", s.Rule.Rule.Id)
	}
	a.Set("suggestion_explain", truncate(s.Explain, 2000))
	a.Set("urgent_flag", s.Urgent)
	a.Set("urgency_reasons", truncate(strings.Join(s.UrgencyWhy, "；"), 500))
	a.Set("emotion_flag", s.Emotion)
	ids := make([]string, len(s.Duplicates))
	for i, d := range s.Duplicates {
		ids[i] = d.Appeal.Id
	}
	a.Set("duplicate_candidates", ids)
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
