package analytics

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"siyang/hooks"
	"siyang/internal/keptpages"
	"siyang/plugins/workflow"
)

// xlsxType is the media type of an Excel workbook.
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// reportFor reads ?month=2026-11&department=ID and builds the report the
// viewer may read: the county's for the platform, a department's for the
// platform or that department's handlers (another department: 403).
func (p *Plugin) reportFor(e *core.RequestEvent) (*keptpages.Page, error) {
	q := e.Request.URL.Query()
	for _, k := range []string{"year", "from", "to"} {
		if q.Get(k) != "" {
			return nil, workflow.FieldError("month", "月度报告请用 month 指定月份，如 2026-11")
		}
	}
	pr, err := parsePeriod(url.Values{"month": {q.Get("month")}}, p.now())
	if err != nil {
		return nil, err
	}
	scope, err := viewerOf(e).restrict(Scope{Department: strings.TrimSpace(q.Get("department"))})
	if err != nil {
		return nil, err
	}
	if scope.Department != "" {
		if _, err := e.App.FindRecordById("departments", scope.Department); err != nil {
			return nil, workflow.FieldError("department", "承办单位不存在")
		}
	}
	return p.reportPage(pr, scope.Department, p.now())
}

// handleReport runs GET /api/analytics/reports/monthly: the report as JSON
// (report.html prints it).
func (p *Plugin) handleReport(e *core.RequestEvent) error {
	page, err := p.reportFor(e)
	if err != nil {
		return err
	}
	return keptpages.SendJSON(e, page.Body)
}

// handleReportXLSX runs GET /api/analytics/reports/monthly.xlsx: the same
// report as an Excel workbook. The download is audited like every export.
func (p *Plugin) handleReportXLSX(e *core.RequestEvent) error {
	page, err := p.reportFor(e)
	if err != nil {
		return err
	}
	r := page.Value.(*Report)
	var buf bytes.Buffer
	if err := writeWorkbook(&buf, reportSheets(r)); err != nil {
		return err
	}
	err = hooks.Audit(e.App, hooks.AuditEntry{
		Action: "report.export", Actor: e.Auth, TargetCollection: "departments", TargetID: r.Department,
		Detail: map[string]any{"period": r.Period, "department": r.DepartmentName, "format": "xlsx"},
		IP:     e.RealIP(),
	})
	if err != nil {
		return err
	}
	name := "泗阳网络直通车月度报告-" + r.Period
	if r.DepartmentName != "" {
		name += "-" + r.DepartmentName
	}
	return sendWorkbook(e, "siyang-report-"+r.Period+".xlsx", name+".xlsx", buf.Bytes())
}

// sendWorkbook answers a workbook as a download (ASCII name for old
// clients, the Chinese one per RFC 6266).
func sendWorkbook(e *core.RequestEvent, ascii, name string, data []byte) error {
	h := e.Response.Header()
	h.Set("Content-Disposition", "attachment; filename=\""+ascii+"\"; filename*=UTF-8''"+url.PathEscape(name))
	h.Set("Cache-Control", "no-store")
	return e.Blob(http.StatusOK, xlsxType, data)
}
