package sla

import (
	"errors"
	"net/http"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/tools/router"
	"github.com/pocketbase/pocketbase/tools/types"

	"siyang/plugins/workflow"
)

// SweepResult counts what one sweep did.
type SweepResult struct {
	Warned, Overdue, Supervised, Skipped, Failed int
}

// sweepBatch bounds one query; a sweep loops until nothing is due.
const sweepBatch = 500

// maxActsPerSweep bounds the catch-up of one appeal after a long downtime.
const maxActsPerSweep = 20

// Sweep acts on every appeal whose next_sla_at has passed: 预警 at the
// warning point, 超时催办 at the deadline, 督办 after each further interval.
// Each act is one workflow action (one timeline entry) in its own
// transaction; an act that is no longer due answers 409 and is skipped, so
// two sweeps, or a restart in between, never act twice.
func (p *plugin) Sweep() (SweepResult, error) {
	var res SweepResult
	now := p.now()
	nowDT, _ := types.ParseDateTime(now)
	// an appeal may take several acts in one sweep (after downtime: warning,
	// deadline and 督办 all passed), but one that answered "not due" or
	// failed is left for the next sweep
	acts := map[string]int{}
	done := map[string]bool{}
	// walk the due appeals in (next_sla_at, id) order with a cursor, so that
	// appeals that cannot be acted on now never block the ones behind them;
	// an appeal acted on gets a later next_sla_at and may come round again
	cursorAt, cursorID := "", ""
	for {
		var due []struct {
			ID     string `db:"id"`
			State  string `db:"sla_state"`
			NextAt string `db:"next_sla_at"`
		}
		err := p.app.DB().Select("id", "sla_state", "next_sla_at").From("appeals").
			Where(dbx.NewExp("next_sla_at != '' AND next_sla_at <= {:now}", dbx.Params{"now": nowDT.String()})).
			AndWhere(dbx.NewExp("(next_sla_at > {:at} OR (next_sla_at = {:at} AND id > {:id}))", dbx.Params{"at": cursorAt, "id": cursorID})).
			OrderBy("next_sla_at", "id").Limit(sweepBatch).All(&due)
		if err != nil {
			return res, err
		}
		if len(due) == 0 {
			return res, nil
		}
		cursorAt, cursorID = due[len(due)-1].NextAt, due[len(due)-1].ID
		for _, a := range due {
			action := map[string]string{"normal": "sla_warning", "warning": "sla_overdue", "overdue": "supervise"}[a.State]
			if action == "" || done[a.ID] || acts[a.ID] >= maxActsPerSweep {
				continue
			}
			acts[a.ID]++
			_, err := p.config.Actions.Perform(p.app, workflow.Request{
				Appeal: a.ID, Action: action, Actor: workflow.SystemActor,
				Input: workflow.Input{Note: "系统计时器"},
			})
			var apiErr *router.ApiError
			switch {
			case err == nil:
				switch action {
				case "sla_warning":
					res.Warned++
				case "sla_overdue":
					res.Overdue++
				default:
					res.Supervised++
				}
			case errors.As(err, &apiErr) && (apiErr.Status == http.StatusConflict || apiErr.Status == http.StatusNotFound):
				res.Skipped++
				done[a.ID] = true
			default:
				res.Failed++
				done[a.ID] = true
				p.app.Logger().Error("sla sweep", "appeal", a.ID, "action", action, "error", err)
			}
		}
	}
}

// sweepEvery runs Sweep; errors are logged, the next run tries again.
func (p *plugin) sweepEvery() {
	started := time.Now()
	res, err := p.Sweep()
	if err != nil {
		p.app.Logger().Error("sla sweep failed", "error", err)
		return
	}
	if res.Warned+res.Overdue+res.Supervised+res.Failed > 0 {
		p.app.Logger().Info("sla sweep", "warned", res.Warned, "overdue", res.Overdue,
			"supervised", res.Supervised, "failed", res.Failed, "took", time.Since(started).String())
	}
}
