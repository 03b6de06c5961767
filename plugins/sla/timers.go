package sla

import (
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"siyang/plugins/workflow"
)

// stages says which deadline runs in which state. Other states have no
// running clock (a suspended case keeps its time left on the appeal).
var stages = map[string]struct{ stage, due string }{
	string(workflow.Submitted):  {"accept", "due_accept"},
	string(workflow.Dispatched): {"sign", "due_sign"},
	string(workflow.Handling):   {"finish", "due_finish"},
	string(workflow.Callback):   {"callback", "due_callback"},
}

// escalating stages are the departments' own: overdue ones get 督办 again
// every SuperviseAfterDays working days. The platform's own stages (受理,
// 回访) are reported once.
var escalating = map[string]bool{"sign": true, "finish": true}

// track keeps an appeal's sla_* fields in step with its state and
// deadlines, and sets next_sla_at: the next instant the sweeper must look at
// it (warning, deadline or next 督办), or empty when nothing is running.
func (p *plugin) track(e *core.RecordEvent) error {
	if err := p.updateTimers(e.App, e.Record); err != nil {
		return err
	}
	return e.Next()
}

func (p *plugin) updateTimers(app core.App, r *core.Record) error {
	st, running := stages[r.GetString("status")]
	due := r.GetDateTime(st.due)
	if !running || due.IsZero() {
		r.Set("sla_stage", "")
		r.Set("sla_start", "")
		r.Set("sla_warn_at", "")
		r.Set("sla_due_at", "")
		r.Set("next_sla_at", "")
		r.Set("sla_escalations", 0)
		if r.GetString("sla_state") == "" || !running {
			r.Set("sla_state", "normal")
		}
		return nil
	}

	now := p.now()
	if previous := r.GetString("sla_stage"); previous != st.stage {
		start := now
		if previous == "sign" && st.stage == "finish" && !r.GetDateTime("dispatched_at").IsZero() {
			// the 办结 limit runs from dispatch, not from signing
			start = r.GetDateTime("dispatched_at").Time()
		}
		r.Set("sla_stage", st.stage)
		r.Set("sla_start", start)
		r.Set("sla_state", "normal")
		r.Set("sla_escalations", 0)
		r.Set("sla_due_at", "")
	}
	if r.GetString("sla_start") == "" {
		r.Set("sla_start", now)
	}
	if !r.GetDateTime("sla_due_at").Equal(due) {
		// a new or moved deadline (延期, 重办): the clock starts over
		r.Set("sla_due_at", due)
		r.Set("sla_state", "normal")
		r.Set("sla_escalations", 0)
		warn, err := p.warnPoint(app, r, st.stage, r.GetDateTime("sla_start").Time(), due.Time())
		if err != nil {
			return err
		}
		r.Set("sla_warn_at", warn)
	}
	next, err := p.nextCheck(app, r, st.stage)
	if err != nil {
		return err
	}
	r.Set("next_sla_at", next)
	return nil
}

// warnPoint is where warn_fraction of the stage's time is used, counted
// the way the stage's limit is counted.
func (p *plugin) warnPoint(app core.App, r *core.Record, stage string, start, due time.Time) (types.DateTime, error) {
	policy, err := workflow.PolicyFor(app, r)
	if err != nil {
		return types.DateTime{}, err
	}
	fraction := policy.GetFloat("warn_fraction")
	if fraction <= 0 || fraction >= 1 {
		fraction = 0.8
	}
	unit := policy.GetString(stage + "_unit")
	if unit != workflow.WallHours {
		unit = workflow.WorkingHours
	}
	span, err := p.clock.Left(app, start, due, unit)
	if err != nil {
		return types.DateTime{}, err
	}
	if span <= 0 {
		return types.ParseDateTime(due)
	}
	warn, err := p.clock.Add(app, start, (time.Duration(float64(span) * fraction)).Hours(), unit)
	if err != nil {
		return types.DateTime{}, err
	}
	return types.ParseDateTime(warn)
}

// nextCheck is the next crossing for the sweeper.
func (p *plugin) nextCheck(app core.App, r *core.Record, stage string) (types.DateTime, error) {
	switch r.GetString("sla_state") {
	case "warning":
		return r.GetDateTime("sla_due_at"), nil
	case "overdue":
		if !escalating[stage] {
			return types.DateTime{}, nil
		}
		_, settings, err := p.clock.Calendar(app)
		if err != nil {
			return types.DateTime{}, err
		}
		days := settings.SuperviseAfterDays * float64(r.GetInt("sla_escalations")+1)
		t, err := p.clock.Add(app, r.GetDateTime("sla_due_at").Time(), days, workflow.WorkingDays)
		if err != nil {
			return types.DateTime{}, err
		}
		return types.ParseDateTime(t)
	}
	return r.GetDateTime("sla_warn_at"), nil
}
