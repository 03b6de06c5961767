package loadgen

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"siyang/hooks"
	"siyang/plugins/sla"
	"siyang/plugins/workflow"
)

// paths are the actions that bring a new appeal to each final state.
var paths = map[workflow.Status][]string{
	workflow.Submitted:  nil,
	workflow.Accepted:   {"accept"},
	workflow.Rejected:   {"reject"},
	workflow.Withdrawn:  {"accept", "withdraw"},
	workflow.Merged:     {"merge"},
	workflow.Dispatched: {"accept", "dispatch"},
	workflow.Handling:   {"accept", "dispatch", "sign"},
	workflow.Suspended:  {"accept", "dispatch", "sign", "request_suspension", "approve_suspension"},
	workflow.Replied:    {"accept", "dispatch", "sign", "reply"},
	workflow.Callback:   {"accept", "dispatch", "sign", "reply", "approve_reply"},
	workflow.Closed:     {"accept", "dispatch", "sign", "reply", "approve_reply", "rate"},
}

// delays are how long after the previous step each action usually comes:
// a minimum and a random extra.
var delays = map[string][2]time.Duration{
	"accept":             {5 * time.Minute, 4 * time.Hour},
	"reject":             {10 * time.Minute, 6 * time.Hour},
	"merge":              {10 * time.Minute, 6 * time.Hour},
	"withdraw":           {time.Hour, 48 * time.Hour},
	"dispatch":           {5 * time.Minute, 6 * time.Hour},
	"sign":               {10 * time.Minute, 30 * time.Hour},
	"request_suspension": {24 * time.Hour, 72 * time.Hour},
	"approve_suspension": {time.Hour, 24 * time.Hour},
	"reply":              {24 * time.Hour, 12 * 24 * time.Hour},
	"approve_reply":      {30 * time.Minute, 24 * time.Hour},
	"rate":               {time.Hour, 72 * time.Hour},
}

// finalStatus picks where an appeal submitted age ago stands now: recent
// ones are still in the loop, most older ones are closed, a few are stuck
// (overdue) or waiting for the callback.
func (g *generator) finalStatus(age time.Duration) workflow.Status {
	r := g.rng.Intn(100)
	pick := func(table []struct {
		pct int
		s   workflow.Status
	}) workflow.Status {
		for _, t := range table {
			if r < t.pct {
				return t.s
			}
			r -= t.pct
		}
		return table[len(table)-1].s
	}
	type p = struct {
		pct int
		s   workflow.Status
	}
	switch {
	case age < 2*time.Hour:
		return pick([]p{{70, workflow.Submitted}, {30, workflow.Accepted}})
	case age < 24*time.Hour:
		return pick([]p{{10, workflow.Submitted}, {15, workflow.Accepted}, {3, workflow.Rejected}, {30, workflow.Dispatched}, {42, workflow.Handling}})
	case age < 15*24*time.Hour:
		return pick([]p{{3, workflow.Rejected}, {5, workflow.Dispatched}, {50, workflow.Handling}, {3, workflow.Suspended},
			{10, workflow.Replied}, {12, workflow.Callback}, {17, workflow.Closed}})
	default:
		return pick([]p{{4, workflow.Rejected}, {1, workflow.Withdrawn}, {1, workflow.Merged}, {3, workflow.Handling},
			{1, workflow.Callback}, {90, workflow.Closed}})
	}
}

// life is one appeal being generated.
type life struct {
	g       *generator
	r       *core.Record
	policy  *core.Record
	at      time.Time // time of the step being written
	status  workflow.Status
	assign  []*assignment
	reply   string
	replyAt time.Time
	ext     string
	lead    string
	problem int
}

type assignment struct {
	id, department, role, status  string
	dueSign, dueReturn, dueFinish time.Time
	signedAt, repliedAt, created  time.Time
	signedBy                      string
}

// appeal generates one appeal submitted at created, with its history.
func (g *generator) appeal(created time.Time) error {
	final := g.finalStatus(g.now.Sub(created))
	if final == workflow.Merged && len(g.recent) == 0 {
		final = workflow.Accepted
	}
	l := &life{g: g, r: core.NewRecord(g.appeals), at: created, status: workflow.Submitted}
	if err := l.submit(created); err != nil {
		return err
	}

	steps := paths[final]
	waits := make([]time.Duration, len(steps))
	var total time.Duration
	for i, a := range steps {
		d := delays[a]
		waits[i] = d[0] + time.Duration(g.rng.Int63n(int64(d[1])))
		total += waits[i]
	}
	// squeeze the history of a recent appeal into the time it has had
	if room := g.now.Sub(created) - time.Minute; total > room && total > 0 {
		scale := float64(room) / float64(total)
		for i := range waits {
			waits[i] = time.Duration(float64(waits[i]) * scale)
		}
	}
	for i, a := range steps {
		l.at = l.at.Add(waits[i])
		if err := l.do(a); err != nil {
			return err
		}
	}
	if err := l.clock(); err != nil {
		return err
	}
	l.r.Set("status", string(l.status))
	l.r.SetRaw("updated", mustDT(l.at))
	if err := l.write(); err != nil {
		return err
	}
	g.stats.Appeals++
	g.stats.ByStatus[string(l.status)]++
	if l.r.GetString("sla_state") == "overdue" {
		g.stats.Overdue++
	}
	g.recent = append(g.recent, l.r.Id+" "+l.r.GetString("ticket"))
	if len(g.recent) > 500 {
		g.recent = g.recent[250:]
	}
	return nil
}

func mustDT(t time.Time) types.DateTime {
	d, _ := types.ParseDateTime(t.UTC())
	return d
}

// QueryCode answers the query code of a generated appeal: derived from the
// seed and the ticket, so that benchmarks can track generated cases. It
// is why a generated folder must never become a real one.
func QueryCode(seed int64, ticket string) string {
	key := make([]byte, 8)
	binary.LittleEndian.PutUint64(key, uint64(seed))
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(ticket))
	sum := mac.Sum(nil)
	code := make([]byte, 6)
	for i := range code {
		code[i] = queryAlphabet[int(sum[i])%len(queryAlphabet)]
	}
	return string(code)
}

const queryAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// submit fills what intake writes: the resident's form, ticket, masked
// copies, policy and 受理 deadline, the dispatch suggestion, and the
// first timeline entry.
func (l *life) submit(created time.Time) error {
	g, r := l.g, l.r
	r.Id = newID(g.rng)
	l.problem = g.rng.Intn(len(problems))
	p := problems[l.problem]
	var town *core.Record
	if len(g.ref.towns) > 0 && g.rng.Intn(10) > 0 {
		town = g.ref.towns[g.rng.Intn(len(g.ref.towns))]
	}
	townName := ""
	if town != nil {
		townName = town.GetString("name")
		r.Set("region", town.Id)
	}
	place := places[g.rng.Intn(len(places))]
	name, phone := randomName(g.rng), randomPhone(g.rng)
	channel := []string{"web", "web", "web", "web", "phone", "phone", "phone", "phone", "letter", "window"}[g.rng.Intn(10)]
	if channel == "web" && g.rng.Intn(10) < 8 {
		i := g.rng.Intn(len(g.residentIDs))
		r.Set("resident", g.residentIDs[i])
		phone = g.residentPhone[i]
	}
	if channel != "web" {
		r.Set("registered_by", g.ref.operator(g.rng.Intn(1000)))
	}
	title := fill(g.rng, p.title, townName, place, phone)
	content := fill(g.rng, p.content, townName, place, phone)
	if g.rng.Intn(5) == 0 {
		content += "我叫" + name + "，电话" + phone + "，请尽快联系我。"
	}
	if c, ok := g.ref.catByCode[p.category]; ok && g.rng.Intn(12) > 0 {
		r.Set("category", c.Id)
	} else if len(g.ref.categories) > 0 && g.rng.Intn(2) == 0 {
		r.Set("category", g.ref.categories[g.rng.Intn(len(g.ref.categories))].Id)
	}
	ticket, err := g.nextTicket(created)
	if err != nil {
		return err
	}
	confidential := g.rng.Intn(30) == 0
	priority := "normal"
	if g.rng.Intn(50) == 0 {
		priority = "urgent"
		r.Set("urgent_flag", true)
		r.Set("urgency_reasons", "涉及人身安全")
	}
	r.Load(map[string]any{
		"ticket": ticket, "query_code_hash": workflow.HashQueryCode(QueryCode(g.seed, ticket)),
		"channel": channel, "kind": p.kind, "title": title, "content": content,
		"address": townName + place, "contact_name": name, "contact_phone": phone,
		"public_consent": !confidential && g.rng.Intn(10) < 7, "confidential": confidential,
		"anonymous": g.rng.Intn(20) == 0, "priority": priority, "sla_state": "normal",
		"public_title":   hooks.MaskText(title, name),
		"public_content": hooks.MaskText(content, name),
	})
	if g.rng.Intn(3) == 0 {
		r.Set("location", types.GeoPoint{Lat: 33.68 + g.rng.Float64()*0.1, Lon: 118.62 + g.rng.Float64()*0.12})
	}
	if g.rng.Intn(20) == 0 {
		names := map[string]string{}
		var stored []string
		for k := 0; k < 1+g.rng.Intn(2); k++ {
			s, err := g.attach(r.Id)
			if err != nil {
				return err
			}
			stored = append(stored, s)
			names[s] = "现场照片" + string(rune('1'+k)) + ".jpg"
		}
		r.Set("attachments", stored)
		r.Set("attachment_names", names)
	}
	r.SetRaw("created", mustDT(created))
	policy, err := g.policy(r)
	if err != nil {
		return err
	}
	l.policy = policy
	r.Set("sla_policy", policy.Id)
	due, err := g.deadline(policy, created, "accept")
	if err != nil {
		return err
	}
	r.Set("due_accept", due)
	l.suggest()
	kind := workflow.ChannelLabels[channel]
	actor, staff := "resident", ""
	if channel != "web" {
		actor, staff = "operator", r.GetString("registered_by")
	}
	return l.event("submit", actor, staff, "", "", "诉求已提交（"+kind+"），等待平台受理", nil)
}

// suggest writes what the dispatch analysis would propose without a
// classifier model: the category's default department.
func (l *life) suggest() {
	c := l.category()
	if c == nil || c.GetString("default_department") == "" {
		l.r.Set("suggestion_explain", "没有匹配的派单规则")
		return
	}
	l.r.Set("suggested_department", c.GetString("default_department"))
	l.r.Set("suggestion_explain", "没有匹配的派单规则；按分类「"+c.GetString("name")+"」的默认承办单位")
}

func (l *life) category() *core.Record {
	id := l.r.GetString("category")
	for _, c := range l.g.ref.categories {
		if c.Id == id {
			return c
		}
	}
	return nil
}

// event appends one timeline entry at the step's time.
func (l *life) event(action, role, staff, dept, to, summary string, data map[string]any) error {
	a, _ := workflow.Find(action)
	public := action == "submit" || a.Public
	from := string(l.status)
	if action == "submit" {
		from, to = "", string(workflow.Submitted)
	}
	if to == "" {
		to = from
	}
	if summary == "" {
		summary = a.Label
	}
	var js any
	if len(data) > 0 {
		b, err := json.Marshal(data)
		if err != nil {
			return err
		}
		js = string(b)
	}
	l.g.stats.Events++
	return l.g.bulk.add("appeal_events", newID(l.g.rng), l.r.Id, action, role, staff, dept, from, to, summary, public, js, dt(l.at))
}

// clock sets the SLA fields as the tracking hook left them after the last
// step, then lets the timers' crossings happen up to now: warning,
// overdue (催办) and the repeated automatic 督办, each with its timeline entry.
func (l *life) clock() error {
	g, r := l.g, l.r
	r.Set("status", string(l.status))
	if l.status == workflow.Handling {
		r.Set("sla_stage", "sign") // the 办结 clock then runs from the dispatch
	}
	if err := sla.TrackTimers(g.app, g.clock, l.at, r); err != nil {
		return err
	}
	stage := r.GetString("sla_stage")
	if stage == "" {
		return nil
	}
	warn, due := r.GetDateTime("sla_warn_at").Time(), r.GetDateTime("sla_due_at").Time()
	data := map[string]any{"stage": stage, "due": r.GetString("sla_due_at")}
	if !g.now.Before(warn) {
		l.at = warn
		r.Set("sla_state", "warning")
		if err := l.event("sla_warning", "system", "", "", "", stageLabels[stage]+"即将超时，请抓紧办理", data); err != nil {
			return err
		}
	}
	if !g.now.Before(due) {
		l.at = due
		r.Set("sla_state", "overdue")
		r.Set("urge_count", r.GetInt("urge_count")+1)
		if err := l.event("sla_overdue", "system", "", "", "", stageLabels[stage]+"已超时，系统自动催办", data); err != nil {
			return err
		}
	}
	for i := 0; i < 100; i++ {
		if err := sla.TrackTimers(g.app, g.clock, l.at, r); err != nil {
			return err
		}
		next := r.GetDateTime("next_sla_at").Time()
		if r.GetString("sla_state") != "overdue" || next.IsZero() || g.now.Before(next) {
			return nil
		}
		l.at = next
		r.Set("sla_escalations", r.GetInt("sla_escalations")+1)
		r.Set("supervise_count", r.GetInt("supervise_count")+1)
		if err := l.event("supervise", "system", "", "", "", "已超时，系统自动督办", nil); err != nil {
			return err
		}
	}
	return nil
}

var stageLabels = map[string]string{"accept": "受理", "sign": "签收", "finish": "办结", "callback": "回访"}
