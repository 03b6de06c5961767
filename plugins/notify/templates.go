package notify

import (
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"
)

// Message kinds: what a mail or text message is about.
const (
	KindNewTask    = "new_task"    // 新工单 (to a department)
	KindUrge       = "urge"        // 催办 (to the lead department)
	KindSupervise  = "supervise"   // 督办 (to the lead department)
	KindReceived   = "received"    // 已受理 (to the resident)
	KindReplied    = "replied"     // 已答复 (to the resident)
	KindRateInvite = "rate_invite" // 请评价 (to the resident)
	// KindMerged tells the resident of a duplicate which ticket their
	// appeal now follows.
	KindMerged = "merged"
	// KindMergedReplied tells the resident of a duplicate that the appeal
	// it was merged into is answered.
	KindMergedReplied = "merged_replied"
	// KindSignInCode is a resident's one-time sign-in code (parameter
	// "code"); sent by plugins/residents through Plugin.Texter.
	KindSignInCode = "sign_in_code"
)

// mailData is what a template may show. It holds no contact data: the
// title and the note are the masked copies, and a resident is addressed
// without a name.
type mailData struct {
	Brand      string // 泗阳网络直通车
	Ticket     string
	Title      string // masked public title
	Kind       string // 投诉, 咨询, …
	Department string // the receiving department's name
	Summary    string // the timeline entry's one line
	Note       string // masked note (催办/督办 reason)
	Due        string // 办结期限, China time
	Reply      string // masked approved reply
	Link       string // track page (residents) or platform (departments)
	Target     string // the ticket a duplicate was merged into
	MoreFiles  int    // attachments left out of the mail (size limit)
}

// mailTemplate is one kind of mail: a subject and an HTML and a text body.
type mailTemplate struct {
	subject *texttemplate.Template
	html    *htmltemplate.Template
	text    *texttemplate.Template
}

// deptFooter and residentFooter end every mail of their audience.
const (
	deptFooterText     = "\n请登录{{.Brand}}部门工作台处理：{{.Link}}\n本邮件由系统自动发送，请勿直接回复。\n"
	deptFooterHTML     = `<p>请登录<a href="{{.Link}}">{{.Brand}}部门工作台</a>处理。</p><p style="color:#666;font-size:12px">本邮件由系统自动发送，请勿直接回复。</p>`
	residentMoreText   = "{{if .MoreFiles}}\n答复另有 {{.MoreFiles}} 个附件因邮件大小限制未随邮件发送。\n{{end}}"
	residentMoreHTML   = `{{if .MoreFiles}}<p>答复另有 {{.MoreFiles}} 个附件因邮件大小限制未随邮件发送。</p>{{end}}`
	residentFooterText = "\n查询办理进度：{{.Link}}\n（查询时请输入受理编号和提交时获得的查询码）\n本邮件由系统自动发送，请勿直接回复。\n"
	residentFooterHTML = `<p>查询办理进度：<a href="{{.Link}}">{{.Link}}</a><br>（查询时请输入受理编号和提交时获得的查询码）</p><p style="color:#666;font-size:12px">本邮件由系统自动发送，请勿直接回复。</p>`
	caseText           = "受理编号：{{.Ticket}}\n诉求标题：{{.Title}}\n诉求类型：{{.Kind}}\n"
	deptMoreText       = "{{if .MoreFiles}}另有 {{.MoreFiles}} 个附件未随邮件发送，请在部门工作台查看。\n{{end}}"
	deptMoreHTML       = `{{if .MoreFiles}}<p>另有 {{.MoreFiles}} 个附件未随邮件发送，请在部门工作台查看。</p>{{end}}`
	caseHTML           = `<table><tr><th align="left">受理编号</th><td>{{.Ticket}}</td></tr><tr><th align="left">诉求标题</th><td>{{.Title}}</td></tr><tr><th align="left">诉求类型</th><td>{{.Kind}}</td></tr>{{if .Due}}<tr><th align="left">办结期限</th><td>{{.Due}}</td></tr>{{end}}</table>`
)

var templates = map[string]mailTemplate{
	KindNewTask: parse(
		"【{{.Brand}}】新工单 {{.Ticket}}：{{.Title}}",
		"{{.Department}}：\n\n平台向贵单位派发了一件新工单，请及时签收办理。\n\n"+caseText+"{{if .Due}}办结期限：{{.Due}}\n{{end}}"+deptMoreText+deptFooterText,
		`<p>{{.Department}}：</p><p>平台向贵单位派发了一件新工单，请及时签收办理。</p>`+caseHTML+deptMoreHTML+deptFooterHTML),
	KindUrge: parse(
		"【{{.Brand}}】催办 {{.Ticket}}：{{.Title}}",
		"{{.Department}}：\n\n以下工单{{.Summary}}，请抓紧办理。\n{{if .Note}}催办说明：{{.Note}}\n{{end}}\n"+caseText+"{{if .Due}}办结期限：{{.Due}}\n{{end}}"+deptFooterText,
		`<p>{{.Department}}：</p><p>以下工单<strong>{{.Summary}}</strong>，请抓紧办理。</p>{{if .Note}}<p>催办说明：{{.Note}}</p>{{end}}`+caseHTML+deptFooterHTML),
	KindSupervise: parse(
		"【{{.Brand}}】督办 {{.Ticket}}：{{.Title}}",
		"{{.Department}}：\n\n以下工单已被督办，请主要负责同志关注并按期办结。\n{{if .Note}}督办意见：{{.Note}}\n{{end}}\n"+caseText+"{{if .Due}}办结期限：{{.Due}}\n{{end}}"+deptFooterText,
		`<p>{{.Department}}：</p><p>以下工单<strong>已被督办</strong>，请主要负责同志关注并按期办结。</p>{{if .Note}}<p>督办意见：{{.Note}}</p>{{end}}`+caseHTML+deptFooterHTML),
	KindReceived: parse(
		"【{{.Brand}}】您的诉求已受理（{{.Ticket}}）",
		"尊敬的市民：\n\n您反映的诉求已经受理，正在分派承办单位办理。\n\n"+caseText+residentFooterText,
		`<p>尊敬的市民：</p><p>您反映的诉求已经受理，正在分派承办单位办理。</p>`+caseHTML+residentFooterHTML),
	KindReplied: parse(
		"【{{.Brand}}】您的诉求已答复（{{.Ticket}}）",
		"尊敬的市民：\n\n您反映的诉求已有答复。\n\n"+caseText+"{{if .Reply}}\n答复内容：\n{{.Reply}}\n{{end}}"+residentMoreText+"\n请打开下面的链接查看完整答复，并对办理情况作出评价。\n"+residentFooterText,
		`<p>尊敬的市民：</p><p>您反映的诉求已有答复。</p>`+caseHTML+`{{if .Reply}}<p><strong>答复内容：</strong></p><blockquote>{{.Reply}}</blockquote>{{end}}`+residentMoreHTML+`<p>请打开下面的链接查看完整答复，并对办理情况作出评价。</p>`+residentFooterHTML),
	KindMerged: parse(
		"【{{.Brand}}】您的诉求已并入工单 {{.Target}} 合并办理（{{.Ticket}}）",
		"尊敬的市民：\n\n您反映的诉求与工单 {{.Target}} 反映的是同一问题，已合并办理，办理结果将一并告知您。凭您自己的受理编号和查询码即可查询合并后的办理进度。\n\n"+caseText+"并入工单：{{.Target}}\n{{if .Reply}}\n该工单已答复：\n{{.Reply}}\n{{end}}"+residentFooterText,
		`<p>尊敬的市民：</p><p>您反映的诉求与工单 <strong>{{.Target}}</strong> 反映的是同一问题，已合并办理，办理结果将一并告知您。凭您自己的受理编号和查询码即可查询合并后的办理进度。</p>`+caseHTML+`<p>并入工单：{{.Target}}</p>{{if .Reply}}<p><strong>该工单已答复：</strong></p><blockquote>{{.Reply}}</blockquote>{{end}}`+residentFooterHTML),
	KindMergedReplied: parse(
		"【{{.Brand}}】您的诉求已答复（{{.Ticket}}，并入工单 {{.Target}}）",
		"尊敬的市民：\n\n您反映的诉求已并入工单 {{.Target}} 合并办理，该工单现已答复。\n\n"+caseText+"并入工单：{{.Target}}\n{{if .Reply}}\n答复内容：\n{{.Reply}}\n{{end}}"+residentFooterText,
		`<p>尊敬的市民：</p><p>您反映的诉求已并入工单 <strong>{{.Target}}</strong> 合并办理，该工单现已答复。</p>`+caseHTML+`<p>并入工单：{{.Target}}</p>{{if .Reply}}<p><strong>答复内容：</strong></p><blockquote>{{.Reply}}</blockquote>{{end}}`+residentFooterHTML),
	KindRateInvite: parse(
		"【{{.Brand}}】请评价诉求办理情况（{{.Ticket}}）",
		"尊敬的市民：\n\n您反映的诉求已经答复，您还没有评价。您的评价是对承办单位最好的监督，请花一分钟告诉我们是否满意。\n\n"+caseText+residentFooterText,
		`<p>尊敬的市民：</p><p>您反映的诉求已经答复，您还没有评价。您的评价是对承办单位最好的监督，请花一分钟告诉我们是否满意。</p>`+caseHTML+residentFooterHTML),
}

func parse(subject, text, html string) mailTemplate {
	return mailTemplate{
		subject: texttemplate.Must(texttemplate.New("subject").Parse(subject)),
		text:    texttemplate.Must(texttemplate.New("text").Parse(text)),
		html: htmltemplate.Must(htmltemplate.New("html").Parse(
			`<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"></head><body style="font-family:sans-serif;line-height:1.6">` +
				html + `</body></html>`)),
	}
}

// render answers the subject, text and HTML of kind for d.
func render(kind string, d mailData) (subject, text, html string, err error) {
	t, ok := templates[kind]
	if !ok {
		return "", "", "", errUnknownKind(kind)
	}
	var s, tx, h strings.Builder
	if err = t.subject.Execute(&s, d); err != nil {
		return
	}
	if err = t.text.Execute(&tx, d); err != nil {
		return
	}
	if err = t.html.Execute(&h, d); err != nil {
		return
	}
	// a subject is one line
	return strings.Join(strings.Fields(s.String()), " "), tx.String(), h.String(), nil
}

type errUnknownKind string

func (e errUnknownKind) Error() string { return "notify: unknown message kind " + string(e) }
