package analytics

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"siyang/plugins/textmine/replyquality"
	"siyang/plugins/workflow"
)

// bindReplyQuality scores every reply as it is saved, so the operator
// reviewing it sees the score, the flags and their reasons on the record
// (replies.quality_score, quality_perfunctory, quality).
func (p *Plugin) bindReplyQuality() {
	p.app.OnRecordCreate("replies").BindFunc(func(e *core.RecordEvent) error {
		appeal, err := e.App.FindRecordById("appeals", e.Record.GetString("appeal"))
		if err != nil {
			return e.Next() // the save itself reports a missing appeal
		}
		res := p.scoreReply(appeal, e.Record.GetString("content"))
		e.Record.Set("quality_score", res.Score)
		e.Record.Set("quality_perfunctory", res.Perfunctory)
		data, err := json.Marshal(res)
		if err != nil {
			return err
		}
		e.Record.Set("quality", string(data))
		return e.Next()
	})
}

// scoreReply checks a reply (or a draft) against its appeal, timed from
// the dispatch (or the submission) to now against the 办结 deadline.
func (p *Plugin) scoreReply(appeal *core.Record, content string) replyquality.Result {
	asked := appeal.GetDateTime("dispatched_at").Time()
	if asked.IsZero() {
		asked = appeal.GetDateTime("created").Time()
	}
	return replyquality.Score(replyquality.Input{
		Title: appeal.GetString("title"), Appeal: appeal.GetString("content"), Reply: content,
		AskedAt: asked, RepliedAt: p.now(), Due: appeal.GetDateTime("due_finish").Time(),
	})
}

// handleReplyQuality runs POST /api/analytics/reply-quality {appeal,
// content}: the handler's page calls it while the reply is being written.
// Only staff who may see the case get an answer (others 404).
func (p *Plugin) handleReplyQuality(e *core.RequestEvent) error {
	var body struct {
		Appeal  string `json:"appeal"`
		Content string `json:"content"`
	}
	if err := e.BindBody(&body); err != nil {
		return workflow.BodyError(err)
	}
	errs := &workflow.FieldErrors{}
	if strings.TrimSpace(body.Appeal) == "" {
		errs.Add("appeal", "请指明工单（id 或受理编号）")
	}
	if strings.TrimSpace(body.Content) == "" {
		errs.Add("content", "请填写答复内容")
	} else if len([]rune(body.Content)) > 10000 {
		errs.Add("content", "答复内容不能超过 10000 字")
	}
	if err := errs.Err(); err != nil {
		return err
	}
	appeal, err := workflow.FindAppeal(e.App, strings.TrimSpace(body.Appeal))
	if err != nil || len(workflow.ActorFromAuth(e.Auth).RolesFor(appeal)) == 0 {
		return workflow.NotFound("工单不存在")
	}
	return e.JSON(http.StatusOK, p.scoreReply(appeal, body.Content))
}
