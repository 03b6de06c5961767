package crashtest

import (
	"sort"
	"strconv"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"siyang/plugins/workflow"
)

type report struct{ appeals, events, outbox int }

// verify opens the data folder after the last run and checks every
// acknowledged submission and every appeal that is there at all.
func verify(t *testing.T, dataDir string, got []acked) report {
	t.Helper()
	app := core.NewBaseApp(core.BaseAppConfig{DataDir: dataDir})
	if err := app.Bootstrap(); err != nil {
		t.Fatal(err)
	}
	defer app.ResetBootstrapState()

	var integrity string
	if err := app.DB().NewQuery("PRAGMA integrity_check").Row(&integrity); err != nil || integrity != "ok" {
		t.Fatalf("integrity_check: %q %v", integrity, err)
	}

	type row struct {
		ID           string `db:"id"`
		Ticket       string `db:"ticket"`
		Title        string `db:"title"`
		Content      string `db:"content"`
		ContactName  string `db:"contact_name"`
		ContactPhone string `db:"contact_phone"`
		CodeHash     string `db:"query_code_hash"`
		Status       string `db:"status"`
		DueAccept    string `db:"due_accept"`
		Policy       string `db:"sla_policy"`
	}
	var rows []row
	if err := app.DB().NewQuery("SELECT id, ticket, title, content, contact_name, contact_phone, query_code_hash, status, due_accept, sla_policy FROM appeals").All(&rows); err != nil {
		t.Fatal(err)
	}
	byID := map[string]row{}
	tickets := map[string]bool{}
	for _, r := range rows {
		byID[r.ID] = r
		if tickets[r.Ticket] {
			t.Errorf("ticket %s twice", r.Ticket)
		}
		tickets[r.Ticket] = true
		if r.Title == "" || r.Content == "" || r.ContactName == "" || r.ContactPhone == "" || r.CodeHash == "" ||
			r.Status != "submitted" || r.DueAccept == "" || r.Policy == "" || len(r.Ticket) < 12 {
			t.Errorf("half-written appeal: %+v", r)
		}
	}
	for _, a := range got {
		r, ok := byID[a.ID]
		switch {
		case !ok:
			t.Errorf("LOST: acknowledged %s (%s) is not in the database", a.Ticket, a.ID)
		case r.Ticket != a.Ticket || r.Title != a.Title:
			t.Errorf("acknowledged %s %q is stored as %s %q", a.Ticket, a.Title, r.Ticket, r.Title)
		case r.CodeHash != workflow.HashQueryCode(a.QueryCode):
			t.Errorf("%s: the query code the resident got does not open the case", a.Ticket)
		}
	}

	// every appeal: exactly one first timeline entry, and that entry one outbox row
	type count struct {
		Key string `db:"k"`
		N   int    `db:"n"`
	}
	var events []count
	if err := app.DB().NewQuery("SELECT appeal AS k, COUNT(*) AS n FROM appeal_events WHERE action = 'submit' GROUP BY appeal").All(&events); err != nil {
		t.Fatal(err)
	}
	eventsOf := map[string]int{}
	for _, c := range events {
		eventsOf[c.Key] = c.N
	}
	var outbox []count
	if err := app.DB().NewQuery(`SELECT e.appeal AS k, COUNT(o.id) AS n FROM appeal_events e
		LEFT JOIN outbox o ON o.appeal_event = e.id WHERE e.action = 'submit' GROUP BY e.appeal`).All(&outbox); err != nil {
		t.Fatal(err)
	}
	outboxOf := map[string]int{}
	for _, c := range outbox {
		outboxOf[c.Key] = c.N
	}
	rep := report{appeals: len(rows)}
	for _, r := range rows {
		if eventsOf[r.ID] != 1 {
			t.Errorf("appeal %s has %d submit events", r.Ticket, eventsOf[r.ID])
		}
		if outboxOf[r.ID] != 1 {
			t.Errorf("appeal %s has %d outbox rows for its submit event", r.Ticket, outboxOf[r.ID])
		}
		rep.events += eventsOf[r.ID]
		rep.outbox += outboxOf[r.ID]
	}
	var orphans int
	if err := app.DB().NewQuery("SELECT COUNT(*) FROM appeal_events WHERE appeal NOT IN (SELECT id FROM appeals)").Row(&orphans); err != nil || orphans != 0 {
		t.Errorf("timeline rows without an appeal: %d %v", orphans, err)
	}

	// tickets: per day, 1..n without gaps (the counter commits with the appeal)
	perDay := map[string][]int{}
	for tk := range tickets {
		n, err := strconv.Atoi(tk[8:])
		if err != nil {
			t.Errorf("ticket %q", tk)
			continue
		}
		perDay[tk[:8]] = append(perDay[tk[:8]], n)
	}
	for day, nums := range perDay {
		sort.Ints(nums)
		for i, n := range nums {
			if n != i+1 {
				t.Errorf("%s: ticket numbers have a gap at %d (found %d)", day, i+1, n)
				break
			}
		}
	}
	return rep
}
