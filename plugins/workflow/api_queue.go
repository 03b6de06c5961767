package workflow

import (
	"context"
	"encoding/json/jsontext"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"siyang/internal/keptpages"
	"siyang/internal/sqlstmt"
)

// The department workbench's queue: GET /api/workbench/queue. The generic
// record list would evaluate the appeals read rule over every open appeal
// of the county and sort them (docs/performance.md); this walks the
// department's own tasks (assignments) through the indexes on
// (department, status, deadline) and stops after one page, so a page costs
// the same with a hundred open cases or a million appeals.

// queueView is one of the workbench's lists: which case states it shows
// and how the department's tasks are walked for it.
type queueView struct {
	cases   []any         // appeal states the view shows
	streams []queueStream // the task states that can lead to them, merged
	newest  bool          // newest first (by when the task ended) instead of by deadline
}

// queueStream is one task status walked along one index.
type queueStream struct {
	status string
	key    string // the task column the index orders by
	// assistOnly: in this view a lead task of this status cannot occur
	// (the lead's 答复 moves the case to 待审核 in the same step, 审核退回
	// moves the task back to signed), so the walk skips lead tasks inside
	// the index instead of looking up their cases.
	assistOnly bool
}

// queueViews: 待办 (to sign, in hand, 挂起), 待审核 (answered, awaiting the
// platform's review) and 已办结 (answer approved: 回访 and 办结). A pending
// task runs against its 签收 deadline, a signed or answered one against its
// 办结 deadline (an assisting department's own task keeps the deadline it
// was given); a finished task is listed by when it finished.
var queueViews = map[string]queueView{
	"todo": {
		cases:   []any{string(Dispatched), string(Handling), string(Suspended)},
		streams: []queueStream{{"pending", "due_sign", false}, {"signed", "due_finish", false}, {"replied", "due_finish", true}},
	},
	"review": {
		cases:   []any{string(Replied)},
		streams: []queueStream{{"pending", "due_sign", true}, {"signed", "due_finish", true}, {"replied", "due_finish", false}},
	},
	"done": {
		cases:   []any{string(Callback), string(Closed)},
		streams: []queueStream{{"done", "updated", false}},
		newest:  true,
	},
}

const (
	queuePerPage    = 50
	queueMaxPerPage = 200
)

// QueueItem is one row of the workbench's queue: the list columns of the
// case and the department's own task on it. The handler writes its JSON by
// hand (queuejson.go, held to this type by queuejson_test.go).
type QueueItem struct {
	ID                   string                  `json:"id"`
	Ticket               string                  `json:"ticket"`
	Title                string                  `json:"title"`
	Kind                 string                  `json:"kind"`
	Category             string                  `json:"category"`
	CategoryName         string                  `json:"category_name"`
	Status               string                  `json:"status"`
	Priority             string                  `json:"priority"`
	UrgentFlag           bool                    `json:"urgent_flag"`
	SLAStage             string                  `json:"sla_stage"`
	SLAState             string                  `json:"sla_state"`
	SLADueAt             types.DateTime          `json:"sla_due_at"`
	DueSign              types.DateTime          `json:"due_sign"`
	DueFinish            types.DateTime          `json:"due_finish"`
	DueCallback          types.DateTime          `json:"due_callback"`
	UrgeCount            int                     `json:"urge_count"`
	SuperviseCount       int                     `json:"supervise_count"`
	LeadDepartment       string                  `json:"lead_department"`
	AssistingDepartments types.JSONArray[string] `json:"assisting_departments"`
	Created              types.DateTime          `json:"created"`
	Updated              types.DateTime          `json:"updated"`
	Task                 QueueTask               `json:"task"`
}

// QueueTask is the department's task on the case.
type QueueTask struct {
	ID     string `json:"id"`
	Role   string `json:"role"`   // lead 主办 | assist 协办
	Status string `json:"status"` // pending, signed, replied, done
	// Due is the deadline the queue is ordered by (签收 for a pending task,
	// else 办结); for the 已办结 view, when the task finished.
	Due string `json:"due"`
}

// queueRow is one task found by a walk: its ordering key and its case's
// list columns.
type queueRow struct {
	TaskID     string
	TaskRole   string
	TaskStatus string
	TaskKey    string
	Appeal     string
	Case       queueCase
}

var cursorID = regexp.MustCompile(`^[a-z0-9]{15}$`)

// handleQueue runs GET /api/workbench/queue?view=todo|review|done
// &perPage=N&cursor=C[&department=ID]: one page of the department's cases,
// most urgent deadline first (已办结: latest first), and the cursor of the
// next page ("" on the last). Handlers see their own department only;
// platform staff (operator, supervisor, admin) name the department.
func (p *plugin) handleQueue(e *core.RequestEvent) error {
	q := e.Request.URL.Query()
	actor := ActorFromAuth(e.Auth)
	dept := q.Get("department")
	switch actor.StaffRole {
	case "handler":
		if actor.Department == "" {
			return Forbidden("您的账号没有所属单位，请联系系统管理员")
		}
		if dept != "" && dept != actor.Department {
			return Forbidden("只能查看本单位的工单")
		}
		dept = actor.Department
	case "operator", "supervisor", "admin":
		if dept == "" {
			return FieldError("department", "请指定要查看的承办单位（department）")
		}
	default:
		return Forbidden("仅限工作人员使用")
	}
	name := q.Get("view")
	if name == "" {
		name = "todo"
	}
	view, ok := queueViews[name]
	if !ok {
		return FieldError("view", "view 只能是 todo（待办）、review（待审核）或 done（已办结）")
	}
	perPage := queuePerPage
	if s := q.Get("perPage"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > queueMaxPerPage {
			return FieldError("perPage", "perPage 须为 1 到 "+strconv.Itoa(queueMaxPerPage)+" 之间的整数")
		}
		perPage = n
	}
	var after *queueCursor
	if s := q.Get("cursor"); s != "" {
		c, ok := parseQueueCursor(s)
		if !ok {
			return FieldError("cursor", "cursor 无效，请从第一页重新加载")
		}
		after = &c
	}

	key, keep := "", false
	if after == nil {
		key, keep = queuePageKey(q, dept, name, perPage)
	}
	if !keep {
		body, err := readQueue(e.Request.Context(), e.App, dept, name, view, after, perPage)
		if err != nil {
			return err
		}
		return keptpages.SendJSON(e, body) // with ?fields=, PocketBase's picking
	}
	p.queueRefresh.asked(key, dept, name, perPage)
	page, owner := p.queuePages.Begin(key)
	if !owner && page.Body != nil {
		return e.Blob(http.StatusOK, "application/json", page.Body)
	}
	var body []byte
	if owner {
		// deferred: a panic further down (recovered by PocketBase) must
		// still wake the readers waiting for this page
		defer func() { p.queuePages.Finish(key, page, body, "application/json") }()
	}
	body, err := readQueue(e.Request.Context(), e.App, dept, name, view, after, perPage)
	queueComputed(dept, name)
	if err != nil {
		return err
	}
	return e.Blob(http.StatusOK, "application/json", body)
}

// refreshQueuePage computes a kept first page again after a drop
// (queuerefresh.go), unless a reader already has or is computing it.
func (p *plugin) refreshQueuePage(ctx context.Context, key string, w queueWanted) {
	page, owner := p.queuePages.Begin(key)
	if !owner {
		return
	}
	var body []byte
	defer func() { p.queuePages.Finish(key, page, body, "application/json") }()
	body, _ = readQueue(ctx, p.app, w.dept, w.view, queueViews[w.view], nil, w.perPage) // an error keeps nothing
	queueComputed(w.dept, w.view)
}

// queueComputed is called after each computation of a kept first page,
// before it is kept (tests count and pause them; nil in production).
func queueComputed(dept, view string) {
	if f := queueComputedHook.Load(); f != nil {
		(*f)(dept, view)
	}
}

var queueComputedHook atomic.Pointer[func(dept, view string)]

// readQueue reads one page of the queue from the database and answers
// the JSON of GET /api/workbench/queue: view, department, perPage, items
// (QueueItem) and next.
func readQueue(ctx context.Context, app core.App, dept, name string, view queueView, after *queueCursor, perPage int) ([]byte, error) {
	// perPage+1 rows tell whether a next page exists; a department with
	// two live tasks on one case (lead after an assisting task) lists the
	// case once, so when duplicates left the page short while the walk
	// stopped at its limit, it is walked again further.
	var page []queueRow
	next := ""
	for limit := perPage + 1; ; limit *= 2 {
		rows, full, err := queueWalk(ctx, app, name, view, dept, after, limit)
		if err != nil {
			return nil, err
		}
		page, next = queuePage(rows, perPage)
		if next != "" || !full || limit > 4*queueMaxPerPage {
			break
		}
	}
	b := make([]byte, 0, 128+700*len(page))
	b = append(b, `{"view":`...)
	b, _ = jsontext.AppendQuote(b, name)
	b = append(b, `,"department":`...)
	b, _ = jsontext.AppendQuote(b, dept)
	b = append(b, `,"perPage":`...)
	b = strconv.AppendInt(b, int64(perPage), 10)
	b = append(b, `,"items":[`...)
	for i := range page {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendQueueItem(b, &page[i].Case, &page[i])
	}
	b = append(b, `],"next":`...)
	b, _ = jsontext.AppendQuote(b, next)
	return append(b, '}'), nil
}

// queuePage picks the page from the rows in queue order: the first
// perPage distinct cases, and the cursor after the last of them when any
// row follows it.
func queuePage(rows []queueRow, perPage int) (page []queueRow, next string) {
	page = make([]queueRow, 0, min(perPage, len(rows)))
	seen := make(map[string]bool, len(rows))
	for _, r := range rows {
		if len(page) == perPage {
			last := page[len(page)-1]
			return page, queueCursor{key: last.TaskKey, id: last.TaskID}.String()
		}
		if seen[r.Appeal] {
			// a department with two live tasks on one case lists it once
			continue
		}
		seen[r.Appeal] = true
		page = append(page, r)
	}
	return page, ""
}

// queueWalk reads, in queue order, up to limit tasks after the cursor
// whose cases are in the view's states, each with its case's list
// columns (queueWalkStatement). full: the walk stopped at its limit (more
// tasks may follow).
func queueWalk(ctx context.Context, app core.App, name string, view queueView, dept string, after *queueCursor, limit int) (rows []queueRow, full bool, err error) {
	kind := queueFromStart
	key, id := "", ""
	if after != nil {
		kind, key, id = queueAfterDated, after.key, after.id
		if after.key == "" {
			kind = queueAfterUndated
		}
	}
	stmt := queueWalkStatements[queueWalkKey{name, kind}]
	if stmt == nil {
		return nil, false, nil // nothing comes after the last finished task
	}
	args := []any{dept, limit}
	if kind != queueFromStart {
		args = append(args, key, id) // ?3 and ?4 (the undated walks name ?4 only)
	}
	res, err := stmt.Query(ctx, app, args...)
	if err != nil {
		return nil, false, err
	}
	defer res.Close()
	rows = make([]queueRow, 0, limit)
	for res.Next() {
		var r queueRow
		c := &r.Case
		if err := res.Scan(&r.TaskID, &r.TaskRole, &r.TaskStatus, &r.TaskKey, &r.Appeal,
			&c.ticket, &c.title, &c.kind, &c.category,
			&c.status, &c.priority, &c.urgent, &c.slaStage, &c.slaState, &c.slaDueAt, &c.dueSign, &c.dueFinish,
			&c.dueCallback, &c.urgeCount, &c.superviseCount, &c.lead, &c.assisting, &c.created, &c.updated); err != nil {
			return nil, false, err
		}
		c.id = r.Appeal
		rows = append(rows, r)
	}
	if err := res.Err(); err != nil {
		return nil, false, err
	}
	names, err := queueCategoryNames(app)
	if err != nil {
		return nil, false, err
	}
	for i := range rows {
		rows[i].Case.categoryName = names[rows[i].Case.category] // "" for none, as a LEFT JOIN
	}
	// SQLite answers a UNION ALL's parts in turn; held to the queue's
	// order all the same, as the cursor relies on it
	if less := func(i, j int) bool { return queueLess(view, rows[i], rows[j]) }; !sort.SliceIsSorted(rows, less) {
		sort.SliceStable(rows, less)
	}
	return rows, len(rows) == limit, nil
}

// queueLess is the queue's order: by the task's key (deadline, or for
// 已办结 the finishing time, newest first), tasks without one last, then
// by task id so that the cursor is exact.
func queueLess(view queueView, x, y queueRow) bool {
	if (x.TaskKey == "") != (y.TaskKey == "") {
		return y.TaskKey == ""
	}
	if x.TaskKey != y.TaskKey {
		return (x.TaskKey < y.TaskKey) != view.newest
	}
	if x.TaskKey == "" {
		return x.TaskID < y.TaskID
	}
	return (x.TaskID < y.TaskID) != view.newest
}

// Where a page starts: the first page, after a task with a deadline, or
// after a task without one (its walks skip all tasks with a deadline).
const (
	queueFromStart = iota
	queueAfterDated
	queueAfterUndated
)

type queueWalkKey struct {
	view string
	from int
}

// queueWalkStatements holds one statement per view and page start,
// prepared once per connection (internal/sqlstmt); nil where the page can
// hold nothing.
var queueWalkStatements = func() map[queueWalkKey]*sqlstmt.Statement {
	out := map[queueWalkKey]*sqlstmt.Statement{}
	for name, view := range queueViews {
		for _, from := range []int{queueFromStart, queueAfterDated, queueAfterUndated} {
			if sql := queueWalkStatement(view, from); sql != "" {
				out[queueWalkKey{name, from}] = sqlstmt.New(sql)
			}
		}
	}
	return out
}()

// queueWalkColumns are a row's task columns (its ordering key as "k")
// and its case's list columns (the category's name is added from
// queuecategories.go).
const queueWalkColumns = `t.id, t.role, t.status, t.%s AS k, t.appeal,
	a.ticket, a.title, a.kind, a.category, a.status, a.priority, a.urgent_flag,
	a.sla_stage, a.sla_state, a.sla_due_at, a.due_sign, a.due_finish, a.due_callback, a.urge_count,
	a.supervise_count, a.lead_department, a.assisting_departments, a.created, a.updated`

// queueWalkStatement reads a page's rows in queue order in one statement:
// the walks of the view's task states (one index each, ordered by its
// key and id) are merged by SQLite as they are stepped (a compound SELECT
// whose ORDER BY each walk's index already gives: "MERGE (UNION ALL)" in
// its plan), so a page reads about perPage+1 tasks and their cases
// whatever the number of states, instead of perPage+1 of each. Tasks
// without a deadline (a 挂起 case's clock is stopped) come after the
// others, as on the workbench: the index holds them first, so they are a
// second merge, by task id. Each row carries its case's list columns,
// read while the walk checks the case's state.
//
// Parameters: ?1 department, ?2 limit, ?3 and ?4 the
// cursor's key and task id. They are cast so that SQLite plans the
// statement once, not at every run (see internal/sqlstmt).
func queueWalkStatement(view queueView, from int) string {
	states := make([]string, len(view.cases))
	for i, c := range view.cases {
		states[i] = "'" + c.(string) + "'"
	}
	cmp, order := ">", "ASC"
	if view.newest {
		cmp, order = "<", "DESC"
	}
	walk := func(s queueStream, undated bool) string {
		where := ""
		if undated {
			where = " AND t." + s.key + " = ''"
			if from == queueAfterUndated {
				where += " AND t.id > CAST(?4 AS TEXT)"
			}
		} else {
			where = " AND t." + s.key + " != ''"
			if from == queueAfterDated {
				where += " AND (t." + s.key + ", t.id) " + cmp + " (CAST(?3 AS TEXT), CAST(?4 AS TEXT))"
			}
		}
		if s.assistOnly {
			where += " AND t.role = 'assist'"
		}
		// CROSS JOIN keeps the tasks as the outer loop: the walk follows
		// the index and stops at the limit, never starting from the appeals.
		return `SELECT ` + strings.Replace(queueWalkColumns, "%s", s.key, 1) + `
			FROM assignments t CROSS JOIN appeals a ON a.id = t.appeal
			WHERE t.department = CAST(?1 AS TEXT) AND t.status = '` + s.status + `'` + where + `
			  AND a.status IN (` + strings.Join(states, ",") + `)`
	}
	var dated, undated []string
	for _, s := range view.streams {
		if from != queueAfterUndated {
			dated = append(dated, walk(s, false))
		}
		if !view.newest { // a finished task always has its time
			undated = append(undated, walk(s, true))
		}
	}
	var parts []string
	if len(dated) > 0 {
		parts = append(parts, `SELECT * FROM (`+strings.Join(dated, "\nUNION ALL\n")+`
			ORDER BY 4 `+order+`, 1 `+order+` LIMIT CAST(?2 AS INTEGER))`)
	}
	if len(undated) > 0 {
		parts = append(parts, `SELECT * FROM (`+strings.Join(undated, "\nUNION ALL\n")+`
			ORDER BY 1 LIMIT CAST(?2 AS INTEGER))`)
	}
	// the whole LIMIT: the tasks without a deadline are not walked when
	// those with one fill the page
	return strings.Join(parts, "\nUNION ALL\n") + "\nLIMIT CAST(?2 AS INTEGER)"
}

// queueCursor is where the next page starts: the last row's ordering key
// and task id, "key~id" on the wire.
type queueCursor struct{ key, id string }

func (c queueCursor) String() string { return c.key + "~" + c.id }

func parseQueueCursor(s string) (queueCursor, bool) {
	i := strings.LastIndexByte(s, '~')
	if i < 0 || len(s)-i-1 != 15 || len(s) > 64 {
		return queueCursor{}, false
	}
	c := queueCursor{key: s[:i], id: s[i+1:]}
	if !cursorID.MatchString(c.id) {
		return queueCursor{}, false
	}
	if c.key != "" {
		if _, err := types.ParseDateTime(c.key); err != nil {
			return queueCursor{}, false
		}
	}
	return c, true
}
