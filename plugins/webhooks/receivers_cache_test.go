package webhooks_test

import (
	"testing"

	"siyang/internal/testenv"
)

// The active webhooks are cached for every timeline entry: adding,
// switching off, switching on again and deleting one is seen by the very
// next event.
func TestWebhookChangesAreSeenByTheNextEvent(t *testing.T) {
	env := testenv.New(t)
	_, srv := newReceiver(t, "ok")
	rows := func() int { return len(outbox(t, env.App)) }

	env.Submit(t, testenv.SampleSubmission()) // loads the (empty) list
	if rows() != 0 {
		t.Fatalf("outbox rows without any webhook")
	}
	hook := addWebhook(t, env, srv.URL, "")
	env.Submit(t, testenv.SampleSubmission())
	if rows() != 1 {
		t.Fatalf("a new webhook missed the next event: %d rows", rows())
	}
	hook.Set("active", false)
	if err := env.App.Save(hook); err != nil {
		t.Fatal(err)
	}
	env.Submit(t, testenv.SampleSubmission())
	if rows() != 1 {
		t.Fatalf("a switched-off webhook still gets events: %d rows", rows())
	}
	hook.Set("active", true)
	if err := env.App.Save(hook); err != nil {
		t.Fatal(err)
	}
	env.Submit(t, testenv.SampleSubmission())
	if rows() != 2 {
		t.Fatalf("a switched-on webhook missed the next event: %d rows", rows())
	}
	if err := env.App.Delete(hook); err != nil {
		t.Fatal(err)
	}
	env.Submit(t, testenv.SampleSubmission())
	if rows() != 0 { // its rows go with it (cascade) and no new one is written
		t.Fatalf("a deleted webhook still gets events: %d rows", rows())
	}
}
