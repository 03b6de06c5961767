package workflow

import (
	"fmt"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Clock turns a time limit into a deadline. The SLA engine replaces the
// default with its working-day calendar; a Clock that cannot compute a
// deadline (e.g. a year the calendar does not cover) returns an error and
// the action is refused rather than guessed.
type Clock interface {
	Add(app core.App, from time.Time, hours float64) (time.Time, error)
}

// WallClock counts time limits in wall-clock hours.
type WallClock struct{}

// Add implements Clock.
func (WallClock) Add(_ core.App, from time.Time, hours float64) (time.Time, error) {
	return from.Add(time.Duration(hours * float64(time.Hour))), nil
}

// PolicyFor answers the SLA policy that governs appeal: its own, else its
// category's, else the one named by its priority ("urgent" or "normal").
func PolicyFor(app core.App, appeal *core.Record) (*core.Record, error) {
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
	code := "normal"
	if appeal.GetString("priority") == "urgent" {
		code = "urgent"
	}
	p, err := app.FindFirstRecordByData("sla_policies", "code", code)
	if err != nil {
		return nil, fmt.Errorf("sla policy %q is missing: %w", code, err)
	}
	return p, nil
}

// deadline computes from + the policy's limit named field (e.g. "finish_hours").
func (s *step) deadline(from time.Time, field string) (types.DateTime, error) {
	policy, err := PolicyFor(s.tx, s.appeal)
	if err != nil {
		return types.DateTime{}, err
	}
	t, err := s.clock.Add(s.tx, from, policy.GetFloat(field))
	if err != nil {
		return types.DateTime{}, err
	}
	return types.ParseDateTime(t)
}

// policyValue reads one number of the appeal's policy.
func (s *step) policyValue(field string) (float64, error) {
	policy, err := PolicyFor(s.tx, s.appeal)
	if err != nil {
		return 0, err
	}
	return policy.GetFloat(field), nil
}
