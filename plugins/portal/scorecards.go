package portal

import (
	"net/http"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// scoreRow is one department's counts in a period, straight from SQL.
type scoreRow struct {
	Department  string `db:"department"`
	Name        string `db:"name"`
	Kind        string `db:"kind"`
	Cases       int    `db:"cases"`
	SignDue     int    `db:"sign_due"`
	SignOnTime  int    `db:"sign_on_time"`
	Replied     int    `db:"replied"`
	ReplyOnTime int    `db:"reply_on_time"`
	Rated       int    `db:"rated"`
	Satisfied   int    `db:"satisfied"`
}

// scorecardSQL counts, per department that led cases dispatched in the
// period: the cases; its lead assignments whose 签收 deadline fell in the
// period (up to now) and those signed by then; the cases it replied to in
// the period and those replied by the 办结 deadline; the ratings that count
// and the satisfied ones. Formulas: docs/portal.md.
const scorecardSQL = `
WITH cases AS (
  SELECT lead_department AS d, COUNT(*) AS n FROM appeals
   WHERE lead_department != '' AND dispatched_at >= {:from} AND dispatched_at < {:to}
   GROUP BY lead_department
), sign AS (
  SELECT department AS d, COUNT(*) AS due,
         SUM(CASE WHEN signed_at != '' AND signed_at <= due_sign THEN 1 ELSE 0 END) AS on_time
    FROM assignments
   WHERE role = 'lead' AND due_sign >= {:from} AND due_sign < {:until}
     AND NOT (status IN ('cancelled', 'returned') AND signed_at = '')
   GROUP BY department
), finish AS (
  SELECT lead_department AS d, COUNT(*) AS replied,
         SUM(CASE WHEN replied_at <= due_finish THEN 1 ELSE 0 END) AS on_time
    FROM appeals
   WHERE lead_department != '' AND replied_at >= {:from} AND replied_at < {:to} AND due_finish != ''
   GROUP BY lead_department
), rating AS (
  SELECT lead_department AS d, COUNT(*) AS rated,
         SUM(CASE WHEN ` + satisfied + ` THEN 1 ELSE 0 END) AS satisfied
    FROM appeals
   WHERE lead_department != '' AND ` + ratedWhere + `
   GROUP BY lead_department
)
SELECT c.d AS department, dep.name AS name, dep.kind AS kind, c.n AS cases,
       COALESCE(s.due, 0) AS sign_due, COALESCE(s.on_time, 0) AS sign_on_time,
       COALESCE(f.replied, 0) AS replied, COALESCE(f.on_time, 0) AS reply_on_time,
       COALESCE(r.rated, 0) AS rated, COALESCE(r.satisfied, 0) AS satisfied
  FROM cases c
  JOIN departments dep ON dep.id = c.d
  LEFT JOIN sign s ON s.d = c.d
  LEFT JOIN finish f ON f.d = c.d
  LEFT JOIN rating r ON r.d = c.d
 ORDER BY dep.name`

// Scorecard is one department's public evaluation (互动评议) for a period.
// A department with fewer cases than the threshold is listed with its case
// count only: a rate over one or two cases says nothing and would single
// out the residents behind them.
type Scorecard struct {
	Rank         *int     `json:"rank"` // 1 = best; ties share a rank; nil when not ranked
	Department   string   `json:"department"`
	Name         string   `json:"name"`
	Kind         string   `json:"kind"` // 职能部门 / 乡镇街道 / 公共企事业单位
	Cases        int      `json:"cases"`
	Insufficient bool     `json:"insufficient"`
	Response     *Rate    `json:"response"`     // 响应率
	OnTime       *Rate    `json:"on_time"`      // 按时办结率
	Satisfaction *Rate    `json:"satisfaction"` // 满意率
	Score        *float64 `json:"score"`        // 综合得分 0–100
}

// Rate is a percentage with what it was computed from.
type Rate struct {
	Rate  *float64 `json:"rate"`  // percent, one decimal; nil when Base is 0
	Count int      `json:"count"` // on time / satisfied
	Base  int      `json:"base"`  // due / replied / rated
}

func newRate(count, base int) *Rate {
	return &Rate{Rate: percent(count, base), Count: count, Base: base}
}

// scorecards computes and ranks the departments of a period.
func (p *plugin) scorecards(app core.App, pr period) ([]*Scorecard, error) {
	until := pr.to
	if now := p.now(); now.Before(until) {
		until = now // a 签收 deadline still ahead is not yet missed
	}
	var rows []scoreRow
	err := app.DB().NewQuery(scorecardSQL).Bind(dbx.Params{
		"from": pr.sqlFrom(), "to": pr.sqlTo(), "until": sqlTime(until),
	}).All(&rows)
	if err != nil {
		return nil, err
	}
	cards := make([]*Scorecard, 0, len(rows))
	for _, r := range rows {
		c := &Scorecard{Department: r.Department, Name: r.Name, Kind: r.Kind, Cases: r.Cases}
		if r.Cases < p.config.MinCases {
			c.Insufficient = true
		} else {
			c.Response = newRate(r.SignOnTime, r.SignDue)
			c.OnTime = newRate(r.ReplyOnTime, r.Replied)
			c.Satisfaction = newRate(r.Satisfied, r.Rated)
			c.Score = c.composite()
		}
		cards = append(cards, c)
	}
	rank(cards)
	return cards, nil
}

// handleScorecards runs GET /api/portal/scorecards?period=2026-11 (or
// ?year=2026; default this month).
func (p *plugin) handleScorecards(e *core.RequestEvent) error {
	pr, err := parsePeriod(e.Request.URL.Query(), p.now())
	if err != nil {
		return err
	}
	cards, err := p.scorecards(e.App, pr)
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, Scorecards{
		Period: pr.label, Kind: pr.kind, From: sqlTime(pr.from), To: sqlTime(pr.to),
		MinCases: p.config.MinCases, Weights: weights, Departments: cards,
	})
}

// Scorecards is the answer of /api/portal/scorecards.
type Scorecards struct {
	Period      string       `json:"period"` // 2026-11 or 2026
	Kind        string       `json:"kind"`   // month or year
	From        string       `json:"from"`   // first instant, UTC datetime
	To          string       `json:"to"`     // first instant after the period
	MinCases    int          `json:"min_cases"`
	Weights     ScoreWeights `json:"weights"`
	Departments []*Scorecard `json:"departments"` // ranked first, then the rest
}
