package workflow_test

import (
	"testing"

	"siyang/internal/testenv"
)

// TestPolicyEditAppliesToTheNextIntake: the SLA policies are kept in
// memory; an administrator's edit must set the next appeal's deadline.
func TestPolicyEditAppliesToTheNextIntake(t *testing.T) {
	env := testenv.New(t)
	sub := testenv.SampleSubmission()
	sub.Category = ""

	first, _ := env.Submit(t, sub)
	policy, err := env.App.FindFirstRecordByData("sla_policies", "code", "normal")
	if err != nil {
		t.Fatal(err)
	}
	policy.Set("accept_limit", 10)
	policy.Set("accept_unit", "working_days")
	if err := env.App.Save(policy); err != nil {
		t.Fatal(err)
	}
	second, _ := env.Submit(t, sub)

	before, after := first.GetDateTime("due_accept"), second.GetDateTime("due_accept")
	if before.IsZero() || !after.Time().After(before.Time().AddDate(0, 0, 7)) {
		t.Fatalf("受理 deadline before the edit %s, after it %s: the 10-working-day limit was not applied", before, after)
	}
}
