package hooks

import (
	"github.com/pocketbase/pocketbase/core"
)

// bindMasking keeps the public copies of appeal and reply text masked. The
// public view (public_appeals) only ever reads these copies.
func bindMasking(app core.App) {
	maskAppeal := func(e *core.RecordEvent) error {
		name := e.Record.GetString("contact_name")
		e.Record.Set("public_title", MaskText(e.Record.GetString("title"), name))
		e.Record.Set("public_content", MaskText(e.Record.GetString("content"), name))
		return e.Next()
	}
	app.OnRecordCreate("appeals").BindFunc(maskAppeal)
	app.OnRecordUpdate("appeals").BindFunc(maskAppeal)

	maskReply := func(e *core.RecordEvent) error {
		var name string
		if appeal, err := e.App.FindRecordById("appeals", e.Record.GetString("appeal")); err == nil {
			name = appeal.GetString("contact_name")
		}
		e.Record.Set("public_content", MaskText(e.Record.GetString("content"), name))
		return e.Next()
	}
	app.OnRecordCreate("replies").BindFunc(maskReply)
	app.OnRecordUpdate("replies").BindFunc(maskReply)
}
