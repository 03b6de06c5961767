package open311

import (
	"encoding/json"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"siyang/hooks"
	"siyang/plugins/workflow"
)

// publicStatuses are the states in which a consenting case is public: as in
// the public_appeals view, an operator must have accepted it first.
var publicStatuses = []any{"accepted", "dispatched", "handling", "suspended", "replied", "callback", "closed"}

// closedStatuses are "closed" in Open311 terms: answered (待回访 included,
// since the reply is out), closed, or ended without handling.
var closedStatuses = []any{"callback", "closed", "rejected", "withdrawn", "merged"}

// openStatuses are the rest.
var openStatuses = []any{"submitted", "accepted", "dispatched", "handling", "suspended", "replied"}

// openOrClosed maps a case status to the spec's two.
func openOrClosed(status string) string {
	for _, s := range closedStatuses {
		if s == status {
			return "closed"
		}
	}
	return "open"
}

// visible is the condition for cases GET may show: the resident consented,
// the case is not 保密, and it was accepted — or, for the client whose key
// submitted it (api_key given), already while it waits for review.
func visible(alias string, key *core.Record) dbx.Expression {
	consent := dbx.HashExp{alias + "public_consent": true, alias + "confidential": false}
	public := dbx.And(consent, dbx.In(alias+"status", publicStatuses...))
	if key == nil {
		return public
	}
	return dbx.Or(public, dbx.And(consent, dbx.HashExp{alias + "external_source": key.Id}))
}

// optionalKey checks an api_key offered on a GET (not required there).
func optionalKey(e *core.RequestEvent, q url.Values) (*core.Record, error) {
	if q.Get("api_key") == "" {
		return nil, nil
	}
	return checkKey(e, q)
}

// parseTime reads an ISO 8601 datetime (a bare date counts in China time).
func parseTime(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	if t, err := time.ParseInLocation("2006-01-02", s, china); err == nil {
		return t, true
	}
	return time.Time{}, false
}

// window reads start_date/end_date: at most Window apart, and the most
// recent Window when neither is given (no upper bound then, so nothing that
// has just come in is missed).
func (p *plugin) window(q url.Values) (from, to time.Time, err error) {
	var ok bool
	if s := q.Get("start_date"); s != "" {
		if from, ok = parseTime(s); !ok {
			return from, to, fail(http.StatusBadRequest, "start_date must be an ISO 8601 datetime with time zone, e.g. 2026-11-25T09:00:00+08:00")
		}
	}
	if s := q.Get("end_date"); s != "" {
		if to, ok = parseTime(s); !ok {
			return from, to, fail(http.StatusBadRequest, "end_date must be an ISO 8601 datetime with time zone, e.g. 2026-11-25T18:00:00+08:00")
		}
	}
	days := int(p.config.Window.Hours() / 24)
	switch {
	case !from.IsZero() && !to.IsZero():
		if to.Before(from) {
			return from, to, fail(http.StatusBadRequest, "end_date must not be before start_date")
		}
		if to.Sub(from) > p.config.Window {
			return from, to, fail(http.StatusBadRequest, "start_date and end_date may not span more than "+strconv.Itoa(days)+" days")
		}
	case !from.IsZero():
		to = from.Add(p.config.Window)
	case !to.IsZero():
		from = to.Add(-p.config.Window)
	default:
		from = p.config.Now().Add(-p.config.Window)
	}
	return from, to, nil
}

func dbTime(t time.Time) string {
	dt, _ := types.ParseDateTime(t.UTC())
	return dt.String()
}

// listRequests answers GET requests.{xml,json}.
func (p *plugin) listRequests(e *core.RequestEvent, _, format string) error {
	q := e.Request.URL.Query()
	key, err := optionalKey(e, q)
	if err != nil {
		return err
	}
	query := e.App.RecordQuery("appeals").AndWhere(visible("", key))
	if ids := splitList(q.Get("service_request_id")); len(ids) > 0 {
		// the spec: a list of ids overrides every other argument
		query = query.AndWhere(dbx.In("ticket", toAny(upper(ids))...)).OrderBy("created DESC").Limit(int64(p.config.MaxResults))
		return p.writeRequests(e, format, query)
	}
	from, to, err := p.window(q)
	if err != nil {
		return err
	}
	query = query.AndWhere(dbx.NewExp("created >= {:from}", dbx.Params{"from": dbTime(from)}))
	if !to.IsZero() {
		query = query.AndWhere(dbx.NewExp("created <= {:to}", dbx.Params{"to": dbTime(to)}))
	}
	if codes := splitList(q.Get("service_code")); len(codes) > 0 {
		cats, err := e.App.FindAllRecords("categories", dbx.In("code", toAny(codes)...), dbx.HashExp{"public": true})
		if err != nil {
			return err
		}
		ids := make([]any, len(cats))
		for i, c := range cats {
			ids[i] = c.Id
		}
		if len(ids) == 0 {
			ids = []any{"-"} // no such service: no requests
		}
		query = query.AndWhere(dbx.In("category", ids...))
	}
	if st := splitList(q.Get("status")); len(st) > 0 {
		var states []any
		for _, s := range st {
			switch s {
			case "open":
				states = append(states, openStatuses...)
			case "closed":
				states = append(states, closedStatuses...)
			default:
				return fail(http.StatusBadRequest, "status must be open or closed")
			}
		}
		query = query.AndWhere(dbx.In("status", states...))
	}
	if b := q.Get("bbox"); b != "" {
		exp, err := bbox(b)
		if err != nil {
			return err
		}
		query = query.AndWhere(exp)
	}
	pageSize := p.config.MaxResults
	if s := q.Get("page_size"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return fail(http.StatusBadRequest, "page_size must be a positive integer")
		}
		pageSize = min(n, p.config.MaxResults)
	}
	page := 1
	if s := q.Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return fail(http.StatusBadRequest, "page must be a positive integer")
		}
		page = n
	}
	query = query.OrderBy("created DESC", "id DESC").Limit(int64(pageSize)).Offset(int64((page - 1) * pageSize))
	return p.writeRequests(e, format, query)
}

// bbox filters by "west,south,east,north" (longitude, latitude, as in
// GeoJSON), on the same rounded position the answer shows.
func bbox(s string) (dbx.Expression, error) {
	parts := strings.Split(s, ",")
	var v [4]float64
	if len(parts) != 4 {
		return nil, fail(http.StatusBadRequest, "bbox must be west,south,east,north in decimal degrees")
	}
	for i, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(f) {
			return nil, fail(http.StatusBadRequest, "bbox must be west,south,east,north in decimal degrees")
		}
		v[i] = f
	}
	if v[0] > v[2] || v[1] > v[3] {
		return nil, fail(http.StatusBadRequest, "bbox must be west,south,east,north with west <= east and south <= north")
	}
	return dbx.NewExp(
		"NOT (json_extract(location,'$.lat') = 0 AND json_extract(location,'$.lon') = 0)"+
			" AND ROUND(json_extract(location,'$.lon'), 3) BETWEEN {:w} AND {:e}"+
			" AND ROUND(json_extract(location,'$.lat'), 3) BETWEEN {:s} AND {:n}",
		dbx.Params{"w": v[0], "s": v[1], "e": v[2], "n": v[3]}), nil
}

// oneRequest answers GET requests/{id}.{xml,json}.
func (p *plugin) oneRequest(e *core.RequestEvent, id, format string) error {
	key, err := optionalKey(e, e.Request.URL.Query())
	if err != nil {
		return err
	}
	var records []*core.Record
	err = e.App.RecordQuery("appeals").AndWhere(visible("", key)).
		AndWhere(dbx.HashExp{"ticket": strings.ToUpper(strings.TrimSpace(id))}).Limit(1).All(&records)
	if err != nil {
		return err
	}
	if len(records) == 0 {
		return fail(http.StatusNotFound, "service_request_id not found")
	}
	return respond(e, format, http.StatusOK, "service_requests", list{item: "request", elems: []any{p.requestView(e.App, records[0], &lookups{})}})
}

// token answers GET tokens/{token}.{xml,json}: our requests are created at
// once, so a token (the id given with the POST answer) always has its id.
func (p *plugin) token(e *core.RequestEvent, token, format string) error {
	a, err := e.App.FindRecordById("appeals", token)
	if err != nil || a.GetString("external_source") == "" {
		return fail(http.StatusNotFound, "token not found")
	}
	return respond(e, format, http.StatusOK, "service_requests", list{item: "request", elems: []any{obj{
		{"service_request_id", a.GetString("ticket")},
		{"token", a.Id},
	}}})
}

func (p *plugin) writeRequests(e *core.RequestEvent, format string, query *dbx.SelectQuery) error {
	var records []*core.Record
	if err := query.All(&records); err != nil {
		return err
	}
	l := &lookups{}
	items := make([]any, len(records))
	for i, a := range records {
		items[i] = p.requestView(e.App, a, l)
	}
	return respond(e, format, http.StatusOK, "service_requests", list{item: "request", elems: items})
}

// lookups caches names read while rendering one answer.
type lookups struct {
	categories  map[string]*core.Record
	departments map[string]string
}

func (l *lookups) category(app core.App, id string) *core.Record {
	if l.categories == nil {
		l.categories = map[string]*core.Record{}
	}
	c, ok := l.categories[id]
	if !ok {
		c, _ = app.FindRecordById("categories", id)
		l.categories[id] = c
	}
	return c
}

func (l *lookups) department(app core.App, id string) string {
	if l.departments == nil {
		l.departments = map[string]string{}
	}
	name, ok := l.departments[id]
	if !ok {
		if d, err := app.FindRecordById("departments", id); err == nil {
			name = d.GetString("name")
		}
		l.departments[id] = name
	}
	return name
}

// requestView is a case as the public may see it: masked text, masked
// address, a position rounded to about 100 m, the masked approved reply,
// and never the resident's name, phone or e-mail.
func (p *plugin) requestView(app core.App, a *core.Record, l *lookups) obj {
	status := a.GetString("status")
	var code, name string
	if c := l.category(app, a.GetString("category")); c != nil {
		code, name = c.GetString("code"), c.GetString("name")
	}
	var lat, lon any
	if loc, ok := a.Get("location").(types.GeoPoint); ok && (loc.Lat != 0 || loc.Lon != 0) {
		lat, lon = round3(loc.Lat), round3(loc.Lon)
	}
	var reply any
	if r := approvedReply(app, a.Id); r != "" {
		reply = r
	}
	return obj{
		{"service_request_id", a.GetString("ticket")},
		{"status", openOrClosed(status)},
		{"status_notes", workflow.StatusLabels[workflow.Status(status)]},
		{"service_name", name},
		{"service_code", code},
		{"description", a.GetString("public_content")},
		{"agency_responsible", l.department(app, a.GetString("lead_department"))},
		{"service_notice", ""},
		{"requested_datetime", isoTime(a.GetDateTime("created").Time())},
		{"updated_datetime", isoTime(a.GetDateTime("updated").Time())},
		{"expected_datetime", isoTime(a.GetDateTime("due_finish").Time())},
		{"address", hooks.MaskText(a.GetString("address"), a.GetString("contact_name"))},
		{"address_id", ""},
		{"zipcode", ""},
		{"lat", lat},
		{"long", lon},
		{"media_url", a.GetString("media_url")},
		{"title", a.GetString("public_title")},
		{"kind", a.GetString("kind")},
		{"reply", reply},
	}
}

func round3(f float64) float64 { return math.Round(f*1000) / 1000 }

// approvedReply is the masked text of the latest accepted answer, as in the
// public_appeals view.
func approvedReply(app core.App, appealID string) string {
	list, err := app.FindRecordsByFilter("replies",
		"appeal = {:id} && review_status = 'approved' && role != 'assist'", "-created", 1, 0, dbx.Params{"id": appealID})
	if err != nil || len(list) == 0 {
		return ""
	}
	return list[0].GetString("public_content")
}

// updates answers GET servicerequestupdates.{xml,json} (FixMyStreet's
// extension): the public timeline entries of public cases, oldest first.
func (p *plugin) updates(e *core.RequestEvent, _, format string) error {
	q := e.Request.URL.Query()
	key, err := optionalKey(e, q)
	if err != nil {
		return err
	}
	from, to, err := p.window(q)
	if err != nil {
		return err
	}
	query := e.App.RecordQuery("appeal_events").
		InnerJoin("appeals a", dbx.NewExp("a.id = appeal_events.appeal")).
		AndWhere(visible("a.", key)).
		AndWhere(dbx.HashExp{"appeal_events.public": true}).
		AndWhere(dbx.NewExp("appeal_events.created >= {:from}", dbx.Params{"from": dbTime(from)}))
	if !to.IsZero() {
		query = query.AndWhere(dbx.NewExp("appeal_events.created <= {:to}", dbx.Params{"to": dbTime(to)}))
	}
	if ids := splitList(q.Get("service_request_id")); len(ids) > 0 {
		query = query.AndWhere(dbx.In("a.ticket", toAny(upper(ids))...))
	}
	var events []*core.Record
	err = query.OrderBy("appeal_events.created ASC", "appeal_events.id ASC").Limit(int64(p.config.MaxResults)).All(&events)
	if err != nil {
		return err
	}
	tickets := map[string]string{}
	items := make([]any, 0, len(events))
	for _, ev := range events {
		id := ev.GetString("appeal")
		if _, ok := tickets[id]; !ok {
			if a, err := e.App.FindRecordById("appeals", id); err == nil {
				tickets[id] = a.GetString("ticket")
			}
		}
		status := ev.GetString("to_status")
		if status == "" {
			status = ev.GetString("from_status")
		}
		items = append(items, obj{
			{"update_id", ev.Id},
			{"service_request_id", tickets[id]},
			{"status", openOrClosed(status)},
			{"status_notes", workflow.StatusLabels[workflow.Status(status)]},
			{"updated_datetime", isoTime(ev.GetDateTime("created").Time())},
			{"description", updateText(e.App, ev)},
			{"media_url", ""},
		})
	}
	return respond(e, format, http.StatusOK, "service_requests_updates", list{item: "request_update", elems: items})
}

// updateText is the entry's public sentence; the entry that approves an
// answer also carries the masked answer, as residents read it.
func updateText(app core.App, ev *core.Record) string {
	text := ev.GetString("summary")
	var data map[string]any
	if err := json.Unmarshal([]byte(ev.GetString("data")), &data); err == nil {
		if id, _ := data["reply"].(string); id != "" && (ev.GetString("action") == "approve_reply" || ev.GetString("action") == "direct_answer") {
			if r, err := app.FindRecordById("replies", id); err == nil && r.GetString("review_status") == "approved" {
				text += "\n" + r.GetString("public_content")
			}
		}
	}
	return text
}

func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

func upper(list []string) []string {
	for i, s := range list {
		list[i] = strings.ToUpper(s)
	}
	return list
}

func toAny(list []string) []any {
	out := make([]any, len(list))
	for i, s := range list {
		out[i] = s
	}
	return out
}
