package workflow_test

import (
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"siyang/internal/testenv"
	"siyang/plugins/workflow"
)

// TestSubmitEventSameAsValidatedSave: the submission's timeline entry,
// saved without PocketBase's validation, passes that validation and is
// stored field for field as a validated save of the same entry is — for a
// resident's submission and for an operator's registration.
func TestSubmitEventSameAsValidatedSave(t *testing.T) {
	env := testenv.New(t)
	sub := testenv.SampleSubmission()
	mine := env.Call(t, "POST", "/api/appeals", sub, nil)
	phoned := env.Call(t, "POST", "/api/appeals", sub, env.Operator)
	for _, c := range []struct {
		res   testenv.Response
		actor workflow.Actor
	}{{mine, workflow.Actor{}}, {phoned, workflow.ActorFromAuth(env.Operator)}} {
		var answer struct{ Id string }
		c.res.JSON(t, &answer)
		appeal, err := env.App.FindRecordById("appeals", answer.Id)
		if err != nil {
			t.Fatalf("%d %s: %v", c.res.Status, c.res.Body, err)
		}
		stored, err := env.App.FindFirstRecordByFilter("appeal_events", "appeal = {:a} && action = 'submit'", dbx.Params{"a": appeal.Id})
		if err != nil {
			t.Fatal(err)
		}
		if err := env.App.Validate(stored); err != nil {
			t.Errorf("the stored entry fails validation: %v", err)
		}
		validated, err := workflow.SubmitEvent(env.App, appeal, c.actor)
		if err != nil {
			t.Fatal(err)
		}
		if err := env.App.Save(validated); err != nil {
			t.Fatal(err)
		}
		again, err := env.App.FindRecordById("appeal_events", validated.Id)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range stored.Collection().Fields {
			name := f.GetName()
			if name == "id" || f.Type() == core.FieldTypeAutodate {
				continue
			}
			if a, b := stored.GetString(name), again.GetString(name); a != b {
				t.Errorf("field %s: stored %q, a validated save stores %q", name, a, b)
			}
		}
	}
}
