package portal

import (
	"time"

	"github.com/pocketbase/pocketbase/core"
)

// bindArticles sanitises every article body as it is saved, by whoever
// saves it (dashboard, record API, Go), so that what is stored is already
// safe to show: the portal pages insert it as HTML. A published article
// without a publication time gets the current time.
func bindArticles(app core.App, now func() time.Time) {
	prepare := func(e *core.RecordEvent) error {
		e.Record.Set("body", SanitizeHTML(e.Record.GetString("body")))
		if e.Record.GetString("status") == "published" && e.Record.GetDateTime("published_at").IsZero() {
			e.Record.Set("published_at", dateTime(now()))
		}
		return e.Next()
	}
	app.OnRecordCreate("articles").BindFunc(prepare)
	app.OnRecordUpdate("articles").BindFunc(prepare)
}
