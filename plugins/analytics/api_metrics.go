package analytics

import (
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"siyang/internal/keptpages"
	"siyang/plugins/workflow"
)

// handleMetrics runs GET /api/analytics/metrics?by=department&month=2026-11
// (or year=, from=&to=; filters department, category, township, channel).
func (p *Plugin) handleMetrics(e *core.RequestEvent) error {
	q := e.Request.URL.Query()
	pr, err := parsePeriod(q, p.now())
	if err != nil {
		return err
	}
	by := Dimension(strings.TrimSpace(q.Get("by")))
	if by == "" {
		by = ByTotal
	}
	if !validDimension(by) {
		return workflow.FieldError("by", "分组方式应为 total、department、category、township、channel、month 或 day")
	}
	if by == ByDay && pr.To.Sub(pr.From).Hours() > 24*400 {
		return workflow.FieldError("by", "按日统计的区间最长 400 天，请按月统计")
	}
	channel := strings.TrimSpace(q.Get("channel"))
	if _, ok := channelLabels[channel]; channel != "" && !ok {
		return workflow.FieldError("channel", "来源渠道应为 web、phone、letter、window、open311 或 api")
	}
	scope, err := viewerOf(e).restrict(Scope{
		Department: strings.TrimSpace(q.Get("department")),
		Category:   strings.TrimSpace(q.Get("category")),
		Township:   strings.TrimSpace(q.Get("township")),
		Channel:    channel,
	})
	if err != nil {
		return err
	}
	f, body, err := p.answerWithJSON(pr, by, scope, p.now())
	if err != nil {
		return err
	}
	if body != nil {
		return keptpages.SendJSON(e, body) // the kept JSON; ?fields= still picks
	}
	return e.JSON(http.StatusOK, f)
}
