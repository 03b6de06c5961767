package portal

import (
	"net/http"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// SQL fragments shared by the statistics and the scorecards
// (docs/portal.md, "Formulas").
const (
	// ratedWhere: the appeals that count in 满意率 — closed in the period
	// with a rating, not closed by referral to an emergency line or a legal
	// channel (their rating judges the referral, not the handling), never
	// rejected.
	ratedWhere = `status = 'closed' AND closed_at >= {:from} AND closed_at < {:to}
   AND satisfaction != '' AND close_reason NOT IN ('emergency_hotline', 'legal_channel') AND reject_reason = ''`
	// satisfied: 满意 or 非常满意 (基本满意 is not).
	satisfied = `satisfaction IN ('very_satisfied', 'satisfied')`
)

// MonthStats are one month's public figures.
type MonthStats struct {
	Period    string `db:"-" json:"period"`            // 2026-11
	Accepted  int    `db:"accepted" json:"accepted"`   // 受理: accepted in the month
	Closed    int    `db:"closed" json:"closed"`       // 办结: closed in the month
	Rated     int    `db:"rated" json:"rated"`         // closed in the month with a rating that counts
	Satisfied int    `db:"satisfied" json:"satisfied"` // of those, 满意 or 非常满意
	// SatisfactionRate is 满意率 in percent with one decimal; nil without ratings.
	SatisfactionRate *float64 `db:"-" json:"satisfaction_rate"`
}

// monthStats counts one period in one query.
func monthStats(app core.App, pr period) (*MonthStats, error) {
	s := &MonthStats{Period: pr.label}
	err := app.DB().NewQuery(`
SELECT
  (SELECT COUNT(*) FROM appeals WHERE accepted_at >= {:from} AND accepted_at < {:to}) AS accepted,
  (SELECT COUNT(*) FROM appeals WHERE status = 'closed' AND closed_at >= {:from} AND closed_at < {:to}) AS closed,
  (SELECT COUNT(*) FROM appeals WHERE ` + ratedWhere + `) AS rated,
  (SELECT COUNT(*) FROM appeals WHERE ` + ratedWhere + ` AND ` + satisfied + `) AS satisfied`).
		Bind(dbx.Params{"from": pr.sqlFrom(), "to": pr.sqlTo()}).One(s)
	if err != nil {
		return nil, err
	}
	s.SatisfactionRate = percent(s.Satisfied, s.Rated)
	return s, nil
}

// handleStats runs GET /api/portal/stats: this month's and last month's
// 受理, 办结 and 满意率 for the portal's front page (China-time months).
func (p *plugin) handleStats(e *core.RequestEvent) error {
	current := monthOf(p.now())
	cur, err := monthStats(e.App, current)
	if err != nil {
		return err
	}
	prev, err := monthStats(e.App, current.previous())
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, map[string]any{"current": cur, "previous": prev})
}
