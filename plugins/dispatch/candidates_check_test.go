package dispatch_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"siyang/internal/testenv"
	"siyang/plugins/dispatch"
)

// TestDuplicateCandidatesStoredAfterValidation: the candidates, checked and
// written after PocketBase's validation (candidates_check.go), are stored
// as the suggestion found them, in its order, and read back from the
// database.
func TestDuplicateCandidatesStoredAfterValidation(t *testing.T) {
	env := testenv.New(t)
	var earlier []string
	for range 3 {
		earlier = append(earlier, submit(t, env, "幸福小区北门路灯不亮", "幸福小区北门的路灯坏了一个月，晚上很黑。").Id)
	}
	latest := submit(t, env, "幸福小区北门路灯不亮", "幸福小区北门的路灯坏了一个月，晚上很黑。")
	stored, err := env.App.FindRecordById("appeals", latest.Id)
	if err != nil {
		t.Fatal(err)
	}
	got := stored.GetStringSlice("duplicate_candidates")
	slices.Sort(got)
	slices.Sort(earlier)
	if !slices.Equal(got, earlier) {
		t.Fatalf("stored candidates %v, want the three earlier appeals %v", got, earlier)
	}
	// the same ids the suggestion offers the operator
	res := env.Call(t, "GET", "/api/dispatch/suggest/"+latest.Id, nil, env.Operator)
	for _, id := range earlier {
		if !strings.Contains(res.Body, id) {
			t.Errorf("suggestion does not offer %s: %s", id, res.Body)
		}
	}
}

// TestCandidateCheckAnswersAsPocketBase: for existing, missing and mixed
// ids the check that replaced PocketBase's relation check of
// duplicate_candidates accepts and refuses the same lists, with the same
// error code, and writes the ids back unchanged when it accepts them.
func TestCandidateCheckAnswersAsPocketBase(t *testing.T) {
	env := testenv.New(t)
	a := submit(t, env, "幸福小区北门路灯不亮", "幸福小区北门的路灯坏了一个月，晚上很黑。").Id
	b := submit(t, env, "学校门口早高峰拥堵", "实验小学门口早上接送孩子车辆拥堵严重。").Id
	collection, _ := env.App.FindCollectionByNameOrId("appeals")
	field := collection.Fields.GetByName("duplicate_candidates")
	for _, ids := range [][]string{{a}, {b, a}, {a, "nosuchappeal000"}, {"nosuchappeal000"}} {
		r := core.NewRecord(collection)
		r.Set("duplicate_candidates", ids)
		theirs := field.ValidateValue(context.Background(), env.App, r)
		ours := dispatch.CheckHeldCandidates(env.App, r)
		if (theirs == nil) != (ours == nil) {
			t.Fatalf("%v: PocketBase %v, ours %v", ids, theirs, ours)
		}
		if ours != nil {
			var code interface{ Code() string }
			if !errors.As(ours.(validation.Errors)["duplicate_candidates"], &code) || code.Code() != theirs.(validation.Error).Code() {
				t.Errorf("%v: error %v, PocketBase's %v", ids, ours, theirs)
			}
			continue
		}
		if got := r.GetStringSlice("duplicate_candidates"); !slices.Equal(got, ids) {
			t.Errorf("written back %v, want %v", got, ids)
		}
	}
}
