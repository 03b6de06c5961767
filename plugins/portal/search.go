package portal

import (
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"siyang/plugins/workflow"
)

// searchAnswer is GET /api/portal/public-appeals/search's answer: a page
// of public_appeals records (expanded and picked like the public list's;
// ask `fields` with an `items.` prefix), newest first, with the number of
// matches and what was searched.
type searchAnswer struct {
	Page       int            `json:"page"`
	PerPage    int            `json:"perPage"`
	TotalItems int            `json:"totalItems"`
	TotalPages int            `json:"totalPages"`
	Items      []*core.Record `json:"items"`
	// More: there are more matches than TotalItems (searchMaxCount).
	More bool `json:"more"`
	// Complete: every public appeal was searched. While the index of the
	// appeals public before the upgrade is being built, only those
	// submitted from CoveredFrom on were.
	Complete    bool   `json:"complete"`
	CoveredFrom string `json:"coveredFrom"`
}

const (
	searchMaxPerPage = 50
	searchMaxPage    = 1000
)

// searchMaxCount bounds the count of matches: counting reads every match,
// and a word found in half of a million appeals would cost that on every
// new search. Past it the answer says "more than" (More), which is all a
// reader can use: the pages go no further than page 1000 either.
// (A variable for the tests.)
var searchMaxCount = 10_000

// handleSearch runs GET /api/portal/public-appeals/search: the public
// appeals whose title or content holds the keywords q (every run of
// letters and digits in q, in any order), newest first, from the keyword
// index. Optional filters: category, region (ids), status (states, comma
// separated), since (a date: submitted at or after).
func (p *plugin) handleSearch(e *core.RequestEvent) error {
	query := e.Request.URL.Query()
	q := strings.TrimSpace(query.Get("q"))
	if q == "" {
		return workflow.FieldError("q", "请输入要搜索的关键词")
	}
	if utf8.RuneCountInString(q) > searchMaxRunes {
		return workflow.FieldError("q", "关键词不能超过 "+strconv.Itoa(searchMaxRunes)+" 个字")
	}
	match := searchMatch(q)
	if match == "" {
		return workflow.FieldError("q", "关键词应包含汉字、字母或数字")
	}
	page, err := intParam(query.Get("page"), 1, 1, searchMaxPage, "page", "页码应为 1–1000 的整数")
	if err != nil {
		return err
	}
	perPage, err := intParam(query.Get("perPage"), 10, 1, searchMaxPerPage, "perPage", "每页条数应为 1–50 的整数")
	if err != nil {
		return err
	}

	state, err := readSearchState(e.App)
	if err != nil {
		return err
	}
	// one-character keywords from the characters table once it holds
	// every entry (searchchars.go); the pairs otherwise
	table := "portal_search"
	if chars := charsMatch(q); chars != "" {
		ready, err := charsReady(e.App)
		if err != nil {
			return err
		}
		if ready {
			table, match = "portal_search_chars", chars
		}
	}
	params := dbx.Params{"match": match, "lo": int64(0)}
	if !state.Done {
		from, err := parseCreated(state.CoveredFrom)
		if err != nil {
			return err
		}
		params["lo"] = searchRowid(from)
	}
	if v := query.Get("since"); v != "" {
		since, err := parseCreated(v)
		if err != nil || since.IsZero() {
			return workflow.FieldError("since", "日期格式不正确")
		}
		params["lo"] = max(params["lo"].(int64), searchRowid(since))
	}

	// filters on the appeal's own columns join the appeals rows
	var join, where string
	for _, f := range []string{"category", "region"} {
		if v := query.Get(f); v != "" {
			join = " JOIN portal_search_docs d ON d.id = " + table + ".rowid JOIN appeals a ON a.id = d.appeal"
			where += " AND a." + f + " = {:" + f + "}"
			params[f] = v
		}
	}
	if v := query.Get("status"); v != "" {
		var names []string
		for i, s := range strings.Split(v, ",") {
			if !publicStatuses[s] {
				return workflow.FieldError("status", "办理状态不正确")
			}
			name := "s" + strconv.Itoa(i)
			names = append(names, "{:"+name+"}")
			params[name] = s
		}
		join = " JOIN portal_search_docs d ON d.id = " + table + ".rowid JOIN appeals a ON a.id = d.appeal"
		where += " AND a.status IN (" + strings.Join(names, ", ") + ")"
	}
	from := table + join + " WHERE " + table + " MATCH {:match} AND " + table + ".rowid >= {:lo}" + where

	var total int
	params["most"] = searchMaxCount + 1
	if err := e.App.DB().NewQuery("SELECT count(*) FROM (SELECT 1 FROM " + from + " LIMIT {:most})").Bind(params).Row(&total); err != nil {
		return err
	}
	more := total > searchMaxCount
	total = min(total, searchMaxCount)
	answer := &searchAnswer{Page: page, PerPage: perPage, TotalItems: total, TotalPages: min((total+perPage-1)/perPage, searchMaxPage),
		More: more, Items: []*core.Record{}, Complete: state.Done, CoveredFrom: state.CoveredFrom}
	if state.Done {
		answer.CoveredFrom = ""
	}
	if !more && (page-1)*perPage >= total {
		return e.JSON(http.StatusOK, answer)
	}
	params["limit"], params["offset"] = perPage, (page-1)*perPage
	var ids []string
	err = e.App.DB().NewQuery(`SELECT d2.appeal FROM (SELECT ` + table + `.rowid AS rowid FROM ` + from +
		` ORDER BY ` + table + `.rowid DESC LIMIT {:limit} OFFSET {:offset}) hit
		 JOIN portal_search_docs d2 ON d2.id = hit.rowid ORDER BY hit.rowid DESC`).Bind(params).Column(&ids)
	if err != nil {
		return err
	}
	if answer.Items, err = publicRecordsInOrder(e, ids); err != nil {
		return err
	}
	return e.JSON(http.StatusOK, answer)
}

// intParam reads an optional integer query parameter within [lo, hi].
func intParam(v string, fallback, lo, hi int, field, message string) (int, error) {
	if v == "" {
		return fallback, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, workflow.FieldError(field, message)
	}
	return n, nil
}
