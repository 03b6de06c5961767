package dispatch

import (
	"fmt"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"siyang/plugins/textmine/classify"
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
	an, err := p.prepare(app, a, false)
	if err != nil {
		return nil, err
	}
	return p.complete(app, a, an, false)
}

// analysis is the part of a suggestion that depends only on what the
// resident wrote and on the open appeals as they stood: the classifier's
// categories, urgency, emotion and the duplicate scan. An intake computes
// it before its write transaction (see bindIntakePreparation); the rest —
// rules, the category's department, the appeals committed meanwhile — is
// completed inside it.
type analysis struct {
	input  [6]string // what it was computed for: see analysisInput
	since  string    // the duplicate window's start when scanned
	model  *classify.Model
	class  classified
	urgent struct {
		yes bool
		why []string
	}
	emotion struct {
		yes bool
		why []string
	}
	dups *duplicateScan
}

// classified is the classifier's answer with its categories resolved.
type classified struct {
	category     *core.Record
	confidence   float64
	alternatives []Alternative
}

// analysisInput is every field of the appeal the analysis reads.
func analysisInput(a *core.Record) [6]string {
	return [6]string{a.GetString("title"), a.GetString("content"), a.GetString("category"),
		a.GetString("kind"), a.GetString("region"), a.GetString("address")}
}

// prepare computes the analysis of a with app; snapshot records where the
// duplicate scan stopped, so that complete can extend it.
func (p *plugin) prepare(app core.App, a *core.Record, snapshot bool) (*analysis, error) {
	text := a.GetString("title") + "\n" + a.GetString("content")
	an := &analysis{input: analysisInput(a), since: windowStart(p.config.DuplicateWindow)}
	an.model = p.models.current.Load()
	an.class = classifyText(app, an.model, text)
	an.urgent.yes, an.urgent.why = Urgency(text)
	an.emotion.yes, an.emotion.why = Emotion(text)
	var err error
	an.dups, err = scanDuplicates(app, a, an.since, p.config.DuplicateThreshold, snapshot)
	if err != nil {
		return nil, err
	}
	return an, nil
}

// classifyText runs the classifier m (nil: none) on text.
func classifyText(app core.App, m *classify.Model, text string) classified {
	var out classified
	if m == nil {
		return out
	}
	for i, pr := range m.Predict(text) {
		c, err := resolveCategory(app, pr.Label)
		if err != nil {
			continue
		}
		if out.category == nil {
			out.category, out.confidence = c, pr.Prob
		} else if i < 3 {
			out.alternatives = append(out.alternatives, Alternative{c.Id, c.GetString("name"), pr.Prob})
		}
	}
	return out
}

// complete turns an analysis into the suggestion, reading the rules and
// categories with app. With extend (an intake's prepared analysis, app its
// transaction) it first adds the appeals committed since the scan, and
// redoes the classification if the model was retrained meanwhile.
func (p *plugin) complete(app core.App, a *core.Record, an *analysis, extend bool) (*Suggestion, error) {
	text := a.GetString("title") + "\n" + a.GetString("content")
	since, class, dups := an.since, an.class, an.dups
	if extend {
		// an is left as it was: this transaction may roll back and run again
		if m := p.models.current.Load(); m != an.model {
			class = classifyText(app, m, text)
		}
		since = windowStart(p.config.DuplicateWindow)
		var err error
		if dups, err = an.dups.extended(app, a, since, p.config.DuplicateThreshold); err != nil {
			return nil, err
		}
	}
	s := &Suggestion{}
	var why []string

	category := a.GetString("category")
	s.Category, s.Confidence, s.Alternatives = class.category, class.confidence, class.alternatives
	if s.Category != nil {
		why = append(why, fmt.Sprintf("分类器建议「%s」（置信度 %.2f）", s.Category.GetString("name"), s.Confidence))
		if category == "" {
			category = s.Category.Id
		}
	}

	match, err := p.matchRules(app, facts{category: category, kind: a.GetString("kind"), region: a.GetString("region"), text: normalize(text)})
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

	s.Urgent, s.UrgencyWhy = an.urgent.yes, an.urgent.why
	if s.Urgent {
		s.Priority = "urgent"
		why = append(why, "疑似紧急："+strings.Join(s.UrgencyWhy, "；"))
	}
	s.Emotion, s.EmotionWhy = an.emotion.yes, an.emotion.why
	if s.Emotion {
		why = append(why, "情绪激烈："+strings.Join(s.EmotionWhy, ""))
	}
	s.Duplicates = dups.result(since)
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
