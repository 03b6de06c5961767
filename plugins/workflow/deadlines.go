package workflow

import (
	"fmt"

	"github.com/pocketbase/dbx"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Time units of a limit (sla_policies.*_unit).
const (
	WallHours    = "wall_hours"
	WorkingHours = "working_hours"
	WorkingDays  = "working_days"
)

// Clock turns a time limit into a deadline. The SLA plugin supplies the
// working-day calendar; a Clock that cannot compute a deadline (a year the
// calendar does not cover) returns an error and the action is refused
// rather than guessed.
type Clock interface {
	// Add answers the deadline amount units after from.
	Add(app core.App, from time.Time, amount float64, unit string) (time.Time, error)
	// Left answers the time from a to b as the unit counts it (working time
	// for working units); negative when b is before a.
	Left(app core.App, a, b time.Time, unit string) (time.Duration, error)
}

// WallClock counts wall-clock hours only; it refuses working-time units,
// which need the SLA plugin's calendar.
type WallClock struct{}

// Add implements Clock.
func (WallClock) Add(_ core.App, from time.Time, amount float64, unit string) (time.Time, error) {
	if unit != WallHours {
		return time.Time{}, fmt.Errorf("时限单位 %s 需要工作日历（SLA 插件）", unit)
	}
	return from.Add(time.Duration(amount * float64(time.Hour))), nil
}

// Left implements Clock.
func (WallClock) Left(_ core.App, a, b time.Time, unit string) (time.Duration, error) {
	if unit != WallHours {
		return 0, fmt.Errorf("时限单位 %s 需要工作日历（SLA 插件）", unit)
	}
	return b.Sub(a), nil
}

// PolicyFor answers the SLA policy that governs appeal: its own, else its
// category's, else the one declared for its priority and kind, else the
// one for its priority, else "normal".
func PolicyFor(app core.App, appeal *core.Record) (*core.Record, error) {
	if p, ok, err := cachedPolicyFor(app, appeal); ok && (p != nil || err != nil) {
		return p, err
	}
	if id := appeal.GetString("sla_policy"); id != "" {
		if p, err := app.FindRecordById("sla_policies", id); err == nil {
			return p, nil
		}
	}
	if id := appeal.GetString("category"); id != "" {
		if c, err := app.FindRecordById("categories", id); err == nil && c.GetString("sla_policy") != "" {
			if p, err := app.FindRecordById("sla_policies", c.GetString("sla_policy")); err == nil {
				return p, nil
			}
		}
	}
	priority, kind := appeal.GetString("priority"), appeal.GetString("kind")
	if priority == "" {
		priority = "normal"
	}
	for _, match := range []dbx.HashExp{
		{"priority": priority, "kind": kind},
		{"priority": priority, "kind": ""},
		{"code": "normal"},
	} {
		list, err := app.FindAllRecords("sla_policies", match)
		if err == nil && len(list) > 0 {
			return list[0], nil
		}
	}
	return nil, fmt.Errorf("no sla policy for priority %q: the sla_policies table needs a \"normal\" row", priority)
}

// Deadline computes from + the policy's limit for stage ("accept", "sign",
// "return", "finish" or "callback").
func Deadline(app core.App, clock Clock, policy *core.Record, from time.Time, stage string) (types.DateTime, error) {
	t, err := clock.Add(app, from, policy.GetFloat(stage+"_limit"), policy.GetString(stage+"_unit"))
	if err != nil {
		return types.DateTime{}, err
	}
	return types.ParseDateTime(t)
}

// deadline is Deadline for the step's appeal.
func (s *step) deadline(from time.Time, stage string) (types.DateTime, error) {
	policy, err := PolicyFor(s.tx, s.appeal)
	if err != nil {
		return types.DateTime{}, err
	}
	return Deadline(s.tx, s.clock, policy, from, stage)
}

// policyValue reads one number of the appeal's policy.
func (s *step) policyValue(field string) (float64, error) {
	policy, err := PolicyFor(s.tx, s.appeal)
	if err != nil {
		return 0, err
	}
	return policy.GetFloat(field), nil
}
