package analytics

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/search"

	"siyang/hooks"
	"siyang/plugins/workflow"
)

// exportLimit is the most cases one export holds; a larger list is refused
// with a request to narrow it (an export is a working list, not a dump).
const exportLimit = 5000

// auditedTickets is how many tickets with revealed contact data an audit
// row lists by name (the row's detail holds 64 KB); the count is always kept.
const auditedTickets = 2000

// handleExportCases runs GET /api/analytics/exports/cases.xlsx?filter=…&sort=…
// [&contact=1][&title=…]: the console's list — the same PocketBase filter
// and sort its queue or search used — as a workbook. The appeals list rule
// applies to the caller exactly as for the list itself, so a department
// exports only its own cases. Contact data is left out unless asked for
// and then given only where the contact endpoint would give it (the
// platform; a lead department for a case in hand whose resident is not
// anonymous to it). Every export is written to the audit log.
func (p *Plugin) handleExportCases(e *core.RequestEvent) error {
	q := e.Request.URL.Query()
	filter, sortBy := strings.TrimSpace(q.Get("filter")), strings.TrimSpace(q.Get("sort"))
	title := strings.TrimSpace(q.Get("title"))
	if len([]rune(title)) > 40 {
		return workflow.FieldError("title", "列表名称不能超过 40 个字")
	}
	if title == "" {
		title = "工单列表"
	}
	if len(filter) > 2000 {
		return workflow.FieldError("filter", "筛选条件太长")
	}
	withContact := q.Get("contact") == "1" || q.Get("contact") == "true"
	records, err := listAsCaller(e, filter, sortBy)
	if err != nil {
		return err
	}
	if len(records) > exportLimit {
		return workflow.FieldError("filter", "符合条件的工单超过 5000 件，请缩小查询范围后再导出")
	}

	actor := workflow.ActorFromAuth(e.Auth)
	var revealed []string
	mayContact := func(a *core.Record) bool {
		if !withContact {
			return false
		}
		roles := actor.RolesFor(a)
		if len(roles) == 0 {
			return false
		}
		switch roles[0] {
		case workflow.Operator, workflow.Supervisor, workflow.Admin:
			return true
		case workflow.LeadHandler:
			s := workflow.Status(a.GetString("status"))
			return !a.GetBool("anonymous") && (s == workflow.Dispatched || s == workflow.Handling || s == workflow.Suspended || s == workflow.Replied)
		}
		return false
	}
	rows, err := caseRows(e.App, records, withContact, func(a *core.Record) bool {
		if mayContact(a) {
			revealed = append(revealed, a.GetString("ticket"))
			return true
		}
		return false
	})
	if err != nil {
		return err
	}
	header := []string{"受理编号", "标题", "类型", "状态", "分类", "区域", "地址", "来源", "主办单位", "提交时间", "派单时间", "办结期限", "答复时间", "办结时间", "期限状态", "满意度", "催办次数"}
	widths := []float64{16, 36, 8, 10, 14, 14, 24, 8, 18, 17, 17, 17, 17, 17, 10, 10, 8}
	if withContact {
		header = append(header, "联系人", "联系电话")
		widths = append(widths, 10, 14)
	}
	now := p.now().In(hooks.ChinaTime())
	sheetTitle := title + "（" + now.Format("2006-01-02 15:04") + " 导出，共 " + strconv.Itoa(len(rows)) + " 件）"
	var buf bytes.Buffer
	if err := writeWorkbook(&buf, []sheet{{Name: "工单", Title: sheetTitle, Header: header, Rows: rows, Widths: widths}}); err != nil {
		return err
	}

	detail := map[string]any{"list": title, "filter": filter, "sort": sortBy, "count": len(rows),
		"contact_requested": withContact, "contact_count": len(revealed)}
	if len(revealed) > 0 {
		listed := revealed
		if len(listed) > auditedTickets {
			listed = listed[:auditedTickets]
		}
		detail["contact_tickets"] = listed
	}
	err = hooks.Audit(e.App, hooks.AuditEntry{Action: "cases.export", Actor: e.Auth, TargetCollection: "appeals", Detail: detail, IP: e.RealIP()})
	if err != nil {
		return err
	}
	return sendWorkbook(e, "siyang-cases-"+now.Format("20060102-1504")+".xlsx", "工单导出-"+now.Format("20060102-1504")+".xlsx", buf.Bytes())
}

// listAsCaller lists appeals with a PocketBase filter and sort under the
// collection's list rule for the caller (as GET /api/collections/appeals/records
// would), without hidden fields in the filter, up to exportLimit+1 records.
func listAsCaller(e *core.RequestEvent, filter, sortBy string) ([]*core.Record, error) {
	coll, err := e.App.FindCachedCollectionByNameOrId("appeals")
	if err != nil {
		return nil, err
	}
	info, err := e.RequestInfo()
	if err != nil {
		return nil, err
	}
	superuser := info.HasSuperuserAuth()
	if coll.ListRule == nil && !superuser {
		return nil, workflow.Forbidden("您没有权限导出工单")
	}
	resolver := core.NewRecordFieldResolver(e.App, coll, info, true)
	query := e.App.RecordQuery(coll)
	if !superuser && coll.ListRule != nil && *coll.ListRule != "" {
		expr, err := search.FilterData(*coll.ListRule).BuildExpr(resolver)
		if err != nil {
			return nil, err
		}
		query.AndWhere(expr)
	}
	resolver.SetAllowHiddenFields(superuser)
	if filter != "" {
		expr, err := search.FilterData(filter).BuildExpr(resolver)
		if err != nil {
			return nil, workflow.FieldError("filter", "筛选条件无效："+err.Error())
		}
		query.AndWhere(expr)
	}
	if sortBy == "" {
		sortBy = "-created"
	}
	for _, s := range search.ParseSortFromString(sortBy) {
		expr, err := s.BuildExpr(resolver)
		if err != nil {
			return nil, workflow.FieldError("sort", "排序字段无效："+s.Name)
		}
		query.AndOrderBy(expr)
	}
	if err := resolver.UpdateQuery(query); err != nil {
		return nil, err
	}
	records := []*core.Record{}
	if err := query.Distinct(true).Limit(exportLimit + 1).All(&records); err != nil {
		return nil, err
	}
	return records, nil
}

// caseRows are the export's cells; contact answers whether this case's
// contact data goes in (and notes it).
func caseRows(app core.App, records []*core.Record, withContact bool, contact func(*core.Record) bool) ([][]any, error) {
	cats, err := names(app, "categories")
	if err != nil {
		return nil, err
	}
	regions, err := names(app, "regions")
	if err != nil {
		return nil, err
	}
	depts, err := names(app, "departments")
	if err != nil {
		return nil, err
	}
	cn := hooks.ChinaTime()
	at := func(a *core.Record, field string) string {
		t := a.GetDateTime(field)
		if t.IsZero() {
			return ""
		}
		return t.Time().In(cn).Format("2006-01-02 15:04")
	}
	slaWords := map[string]string{"normal": "正常", "warning": "即将超时", "overdue": "已超时"}
	rows := make([][]any, 0, len(records))
	for _, a := range records {
		sla := "不计时"
		if a.GetString("sla_stage") != "" {
			sla = slaWords[a.GetString("sla_state")]
		}
		row := []any{
			a.GetString("ticket"), a.GetString("title"), workflow.KindLabels[a.GetString("kind")],
			workflow.StatusLabels[workflow.Status(a.GetString("status"))], cats[a.GetString("category")], regions[a.GetString("region")],
			a.GetString("address"), workflow.ChannelLabels[a.GetString("channel")], depts[a.GetString("lead_department")],
			at(a, "created"), at(a, "dispatched_at"), at(a, "due_finish"), at(a, "replied_at"), at(a, "closed_at"),
			sla, workflow.SatisfactionLabels[a.GetString("satisfaction")], a.GetInt("urge_count"),
		}
		if withContact {
			if contact(a) {
				row = append(row, a.GetString("contact_name"), a.GetString("contact_phone"))
			} else {
				row = append(row, "（无权查看）", "（无权查看）")
			}
		}
		rows = append(rows, row)
	}
	return rows, nil
}
