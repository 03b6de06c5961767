package loadgen

import (
	"encoding/json"
	"strings"
	"time"

	"siyang/hooks"
	"siyang/plugins/textmine/replyquality"
	"siyang/plugins/workflow"
)

// do applies one action the way its workflow effect does, at l.at.
func (l *life) do(action string) error {
	g, r := l.g, l.r
	op := g.ref.operator(g.rng.Intn(1000))
	switch action {
	case "accept":
		r.Set("accepted_at", mustDT(l.at))
		return l.step(action, workflow.Accepted, "operator", op, "", "您的诉求已受理，正在分派承办单位", nil)
	case "reject":
		reason := []string{"out_of_scope", "legal_channel", "incomplete", "duplicate", "explained"}[g.rng.Intn(5)]
		r.Set("reject_reason", reason)
		r.Set("closed_at", mustDT(l.at))
		return l.step(action, workflow.Rejected, "operator", op, "", "不予受理："+workflow.RejectReasons[reason], map[string]any{"reason": reason})
	case "withdraw":
		r.Set("closed_at", mustDT(l.at))
		return l.step(action, workflow.Withdrawn, "resident", "", "", "诉求人已撤回诉求", nil)
	case "merge":
		original := strings.Fields(g.recent[g.rng.Intn(len(g.recent))])
		r.Set("duplicate_of", original[0])
		return l.step(action, workflow.Merged, "operator", op, "",
			"您的诉求与工单 "+original[1]+" 反映的是同一问题，已合并办理，办理结果将一并告知", map[string]any{"original": original[0]})
	case "dispatch":
		return l.dispatch(op)
	case "sign":
		for _, a := range l.assign {
			a.status, a.signedAt, a.signedBy = "signed", l.at, g.ref.handlerOf(a.department, g.rng.Intn(1000))
		}
		r.Set("signed_at", mustDT(l.at))
		return l.step(action, workflow.Handling, "handler", l.assign[0].signedBy, l.lead,
			"「"+g.ref.deptByID[l.lead].GetString("name")+"」已签收，正在办理", nil)
	case "request_suspension":
		l.ext = newID(g.rng)
		return l.step(action, workflow.Handling, "handler", g.ref.handlerOf(l.lead, 0), l.lead, "", map[string]any{"request": l.ext})
	case "approve_suspension":
		remaining := int(r.GetDateTime("due_finish").Time().Sub(l.at).Seconds())
		r.Set("remaining_seconds", max(remaining, 0))
		g.stats.Extensions++
		if err := g.bulk.add("extensions", l.ext, r.Id, l.lead, g.ref.handlerOf(l.lead, 0), "suspend",
			"需等待上级部门协调意见，申请暂停办理", "approved", op, dt(l.at), dt(l.at), dt(l.at)); err != nil {
			return err
		}
		return l.step(action, workflow.Suspended, "supervisor", op, "", "经批准暂停办理（挂起），恢复后继续计时",
			map[string]any{"request": l.ext, "kind": "suspend", "remaining_seconds": remaining})
	case "reply":
		l.reply, l.replyAt = newID(g.rng), l.at
		lead := l.assign[0]
		lead.status, lead.repliedAt = "replied", l.at
		r.Set("replied_at", mustDT(l.at))
		return l.step(action, workflow.Replied, "handler", lead.signedBy, l.lead, "承办单位已答复，等待平台审核", map[string]any{"reply": l.reply})
	case "approve_reply":
		for _, a := range l.assign {
			a.status = "done"
		}
		due, err := g.deadline(l.policy, l.at, "callback")
		if err != nil {
			return err
		}
		r.Set("due_callback", mustDT(due))
		if err := l.writeReply(op); err != nil {
			return err
		}
		g.stats.Callbacks++
		l.ext = newID(g.rng) // the callback's id, completed by "rate"
		return l.step(action, workflow.Callback, "operator", op, "", "承办单位的答复已审核通过，请查看答复并评价", map[string]any{"reply": l.reply})
	case "rate":
		return l.rate(op)
	}
	return nil
}

// step records the action's timeline entry and moves the state.
func (l *life) step(action string, to workflow.Status, role, staff, dept, summary string, data map[string]any) error {
	if err := l.event(action, role, staff, dept, string(to), summary, data); err != nil {
		return err
	}
	l.status = to
	return nil
}

// dispatch sends the case to the category's (or the township's)
// department, sometimes with a second one assisting.
func (l *life) dispatch(op string) error {
	g, r := l.g, l.r
	lead := r.GetString("suggested_department")
	if _, ok := g.ref.deptByID[lead]; !ok || g.rng.Intn(5) == 0 {
		lead = g.ref.departments[g.rng.Intn(len(g.ref.departments))].Id
	}
	var assisting []string
	if g.rng.Intn(10) == 0 && len(g.ref.departments) > 1 {
		if d := g.ref.departments[g.rng.Intn(len(g.ref.departments))].Id; d != lead {
			assisting = append(assisting, d)
		}
	}
	var due [3]time.Time
	for i, stage := range []string{"sign", "return", "finish"} {
		t, err := g.deadline(l.policy, l.at, stage)
		if err != nil {
			return err
		}
		due[i] = t
	}
	l.lead = lead
	r.Set("lead_department", lead)
	r.Set("assisting_departments", assisting)
	r.Set("dispatched_at", mustDT(l.at))
	r.Set("due_sign", mustDT(due[0]))
	r.Set("due_finish", mustDT(due[2]))
	for i, d := range append([]string{lead}, assisting...) {
		a := &assignment{id: newID(g.rng), department: d, role: "assist", status: "pending", dueSign: due[0], dueFinish: due[2], created: l.at}
		if i == 0 {
			a.role, a.dueReturn = "lead", due[1]
		}
		l.assign = append(l.assign, a)
	}
	if assisting == nil {
		assisting = []string{}
	}
	return l.step("dispatch", workflow.Dispatched, "operator", op, "",
		"已转交「"+g.ref.deptByID[lead].GetString("name")+"」办理", map[string]any{"lead": lead, "assisting": assisting})
}

// writeReply stores the lead department's answer, approved at l.at, with
// the quality score the analytics hook gives every reply.
func (l *life) writeReply(reviewer string) error {
	g, r := l.g, l.r
	pick := g.rng.Intn(len(replyTexts))
	content := replyTexts[pick]
	asked, due := r.GetDateTime("dispatched_at").Time(), r.GetDateTime("due_finish").Time()
	// Scoring is the costliest step of the generator; the score depends on
	// the texts and on how late the reply came, so it is computed once per
	// problem, answer, day of reply and lateness, on the first such reply.
	key := qualityKey{l.problem, pick, int(l.replyAt.Sub(asked).Hours() / 24), l.replyAt.After(due)}
	q, ok := g.quality[key]
	if !ok {
		res := replyquality.Score(replyquality.Input{
			Title: r.GetString("title"), Appeal: r.GetString("content"), Reply: content,
			AskedAt: asked, RepliedAt: l.replyAt, Due: due,
		})
		js, err := json.Marshal(res)
		if err != nil {
			return err
		}
		q = scored{res.Score, res.Perfunctory, string(js)}
		g.quality[key] = q
	}
	lead := l.assign[0]
	g.stats.Replies++
	return g.bulk.add("replies", l.reply, r.Id, lead.id, l.lead, lead.signedBy, "lead", content,
		hooks.MaskText(content, r.GetString("contact_name")), "approved", reviewer, dt(l.at),
		q.score, q.perfunctory, q.json, dt(l.replyAt), dt(l.at))
}

// rate closes the loop with a satisfied callback (a dissatisfied one would
// send the case back, which the generator leaves out).
func (l *life) rate(op string) error {
	g, r := l.g, l.r
	sat := []string{"very_satisfied", "satisfied", "satisfied", "basically_satisfied"}[g.rng.Intn(4)]
	resolved := g.rng.Intn(100) < 85
	reason := "resolved"
	if !resolved {
		reason = "explained"
	}
	r.Set("satisfaction", sat)
	r.Set("resolved", resolved)
	r.Set("close_reason", reason)
	r.Set("closed_at", mustDT(l.at))
	return l.step("rate", workflow.Closed, "operator", op, "", "回访评价："+workflow.SatisfactionLabels[sat]+"，工单办结",
		map[string]any{"satisfaction": sat, "resolved": resolved, "channel": "phone"})
}

// write stores the appeal and the records whose final state is known only
// at the end (assignments, the callback).
func (l *life) write() error {
	g, r := l.g, l.r
	row, err := r.DBExport(g.app)
	if err != nil {
		return err
	}
	values := make([]any, len(g.appealColumns))
	for i, c := range g.appealColumns {
		values[i] = row[c]
	}
	if err := g.bulk.add("appeals", values...); err != nil {
		return err
	}
	for _, a := range l.assign {
		g.stats.Assignments++
		if err := g.bulk.add("assignments", a.id, r.Id, a.department, a.role, a.status, dt(a.dueSign), dt(a.dueReturn),
			dt(a.dueFinish), dt(a.signedAt), a.signedBy, dt(a.repliedAt), dt(a.created), dt(l.at)); err != nil {
			return err
		}
	}
	if r.GetString("due_callback") != "" {
		cb := []any{l.ext, r.Id, "pending", r.GetString("due_callback"), "", "", false, "", "", r.GetString("replied_at"), dt(l.at)}
		if l.status == workflow.Closed {
			cb[2], cb[4], cb[5], cb[6], cb[7], cb[8] = "done", "phone", r.GetString("satisfaction"), r.GetBool("resolved"), g.ref.operator(0), r.GetString("closed_at")
		}
		return g.bulk.add("callbacks", cb...)
	}
	return nil
}

// declareTables names the columns written to each table.
func declareTables(b *bulk, appealColumns []string) {
	b.table("users", "id", "email", "emailVisibility", "verified", "password", "tokenKey", "name", "phone", "created", "updated")
	b.table("appeals", appealColumns...)
	b.table("appeal_events", "id", "appeal", "action", "actor_role", "actor_staff", "actor_department", "from_status",
		"to_status", "summary", "public", "data", "created")
	b.table("assignments", "id", "appeal", "department", "role", "status", "due_sign", "due_return", "due_finish",
		"signed_at", "signed_by", "replied_at", "created", "updated")
	b.table("replies", "id", "appeal", "assignment", "department", "author", "role", "content", "public_content",
		"review_status", "reviewed_by", "reviewed_at", "quality_score", "quality_perfunctory", "quality", "created", "updated")
	b.table("callbacks", "id", "appeal", "status", "due", "channel", "satisfaction", "resolved", "operator", "done_at", "created", "updated")
	b.table("extensions", "id", "appeal", "department", "requested_by", "kind", "reason", "status", "decided_by",
		"decided_at", "created", "updated")
}

// qualityKey classes replies whose quality score is the same.
type qualityKey struct {
	problem, reply, days int
	late                 bool
}

type scored struct {
	score       int
	perfunctory bool
	json        string
}
